#include "verbs.h"

namespace tmdash {

const char kConsultationHelp[] = "tmdashctl consultation: not available yet\n";

int runConsultationVerb(CtlContext &ctx)
{
    return ctx.usage(QStringLiteral("consultation is not available yet"));
}

} // namespace tmdash
