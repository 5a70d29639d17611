#include "verbs.h"

namespace tmdash {

const char kPrescriptionHelp[] = "tmdashctl prescription: not available yet\n";

int runPrescriptionVerb(CtlContext &ctx)
{
    return ctx.usage(QStringLiteral("prescription is not available yet"));
}

} // namespace tmdash
