#include "verbs.h"

namespace tmdash {

const char kUserHelp[] = "tmdashctl user: not available yet\n";

int runUserVerb(CtlContext &ctx)
{
    return ctx.usage(QStringLiteral("user is not available yet"));
}

} // namespace tmdash
