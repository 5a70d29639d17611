#include "verbs.h"

namespace tmdash {

const char kSeedHelp[] = "tmdashctl seed: not available yet\n";

int runSeedVerb(CtlContext &ctx)
{
    return ctx.usage(QStringLiteral("seed is not available yet"));
}

} // namespace tmdash
