#pragma once

#include "ctlcontext.h"

namespace tmdash {

// One verb handler per entity; each reads ctx.args (after the entity word) and returns the exit
// code. The database is open; the schema has been checked unless the verb is `migrate`.
int runMigrateVerb(CtlContext &ctx);
int runPatientVerb(CtlContext &ctx);

} // namespace tmdash
