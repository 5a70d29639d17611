#pragma once

#include "database.h"
#include "result.h"
#include "syncstatus.h"

namespace tmdash {

// What a desktop remembers about its sync in sync_state (never synced itself).
inline constexpr char kStateClinic[] = "clinic_id";          // the clinic it replicates
inline constexpr char kStateSystemIdentifier[] = "central_system_identifier";
inline constexpr char kStateResync[] = "resync_pending";     // "1" while a full resync runs
inline constexpr char kStateMissing[] = "missing_on_central"; // after a resync, one per line
inline constexpr char kStateDemo[] = "demo";                 // "1": seeded demo data, never syncs
inline constexpr char kStateLastSuccess[] = "last_sync_success";
inline constexpr char kStateLastError[] = "last_sync_error";
inline constexpr char kStateStalled[] = "pull_stalled";

// The pull cursor: (xid, id) of the last change_log row applied.
struct SyncCursor
{
    quint64 xid = 0;
    qint64 id = 0;
};

Result<SyncCursor> readCursor(const Database &local);
// Call inside the transaction that applied the rows up to it.
Status writeCursor(const Database &local, quint64 xid, qint64 id);

// Records how a sync run ended (last success or last error, stalled).
Status recordOutcome(const Database &local, const Status &outcome, bool stalled);

// The sync state as the desktop database holds it (`tmdashctl sync status`); `online` is whether
// the last run reached the central.
Result<SyncStatus> readSyncStatus(const Database &local);

} // namespace tmdash
