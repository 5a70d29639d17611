#include "verbs.h"

namespace tmdash {

const char kAppointmentHelp[] = "tmdashctl appointment: not available yet\n";

int runAppointmentVerb(CtlContext &ctx)
{
    return ctx.usage(QStringLiteral("appointment is not available yet"));
}

} // namespace tmdash
