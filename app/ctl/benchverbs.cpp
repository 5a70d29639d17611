#include "verbs.h"

namespace tmdash {

const char kBenchHelp[] = "tmdashctl bench: not available yet\n";

int runBenchVerb(CtlContext &ctx)
{
    return ctx.usage(QStringLiteral("bench is not available yet"));
}

} // namespace tmdash
