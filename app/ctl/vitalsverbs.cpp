#include "verbs.h"

namespace tmdash {

const char kVitalsHelp[] = "tmdashctl vitals: not available yet\n";

int runVitalsVerb(CtlContext &ctx)
{
    return ctx.usage(QStringLiteral("vitals is not available yet"));
}

} // namespace tmdash
