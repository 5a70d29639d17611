#include "verbs.h"

namespace tmdash {

const char kClinicHelp[] = "tmdashctl clinic: not available yet\n";

int runClinicVerb(CtlContext &ctx)
{
    return ctx.usage(QStringLiteral("clinic is not available yet"));
}

} // namespace tmdash
