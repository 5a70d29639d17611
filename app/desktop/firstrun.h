#pragma once

#include "database.h"

namespace tmdash {

// The first run of the desktop on an empty database (issue 8): the SetupDialog wired to a
// FirstSync (set up this desktop against the central) or to the demo seeder. Returns whether
// the database now holds a clinic to log in to. The central URL that worked is remembered in
// sync_state without its password (DESIGN: passwords are never stored; use ~/.pgpass).
bool runFirstRun(const Database &db, const QString &localUrl, const QString &centralUrl,
                 const QString &redisUrl);

// Whether the database holds a clinic yet.
bool hasClinic(const Database &db);

// The central URL remembered by the first run, or empty.
QString rememberedCentral(const Database &db);

} // namespace tmdash
