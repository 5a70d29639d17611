#include "verbs.h"

namespace tmdash {

const char kBootstrapHelp[] = "tmdashctl bootstrap: not available yet\n";

int runBootstrapVerb(CtlContext &ctx)
{
    return ctx.usage(QStringLiteral("bootstrap is not available yet"));
}

} // namespace tmdash
