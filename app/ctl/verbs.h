#pragma once

#include "ctlcontext.h"

namespace tmdash {

// One verb handler per entity; each reads ctx.args (after the entity word) and returns the exit
// code. The database is open; the schema has been checked unless the verb is `migrate`.
// Each verb file defines its handler and its --help text.
#define TMDASH_DECLARE_VERB(name)                                                                  \
    int run##name##Verb(CtlContext &ctx);                                                          \
    extern const char k##name##Help[];

TMDASH_DECLARE_VERB(Migrate)
TMDASH_DECLARE_VERB(Patient)
TMDASH_DECLARE_VERB(Bootstrap)
TMDASH_DECLARE_VERB(Clinic)
TMDASH_DECLARE_VERB(User)
TMDASH_DECLARE_VERB(Provider)
TMDASH_DECLARE_VERB(Appointment)
TMDASH_DECLARE_VERB(Vitals)
TMDASH_DECLARE_VERB(Consultation)
TMDASH_DECLARE_VERB(Prescription)
TMDASH_DECLARE_VERB(Seed)
TMDASH_DECLARE_VERB(Bench)
TMDASH_DECLARE_VERB(Audit)
TMDASH_DECLARE_VERB(Sync)
TMDASH_DECLARE_VERB(Conflicts)
TMDASH_DECLARE_VERB(Rejections)
TMDASH_DECLARE_VERB(Presence)
TMDASH_DECLARE_VERB(Board)

#undef TMDASH_DECLARE_VERB

} // namespace tmdash
