#include "verbs.h"

namespace tmdash {

const char kProviderHelp[] = "tmdashctl provider: not available yet\n";

int runProviderVerb(CtlContext &ctx)
{
    return ctx.usage(QStringLiteral("provider is not available yet"));
}

} // namespace tmdash
