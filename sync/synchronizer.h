#pragma once

#include "database.h"
#include "result.h"

#include <QHash>
#include <QStringList>

#include <functional>

namespace tmdash {

// What one sync run is told (tmdashctl sync --once, the desktop's SyncEngine).
struct SyncOptions
{
    QString centralUrl;
    // Where to announce a push that committed (redis://host:port); empty: no announcement.
    QString redisUrl;
    // The clinic, for an owner or admin connection (a clinic role's connection brings its own);
    // empty: the clinic this desktop is bound to.
    QString clinic;
    int pushBatch = 500;
    int pullPage = 1000;
    // How long a pull waits for changes held back by a transaction still open on the central
    // before it reports "pull stalled" (TMDASH_PULL_STALL_SECONDS, default 30).
    int stallSeconds = 30;
    // Called after every pushed batch and pulled page.
    std::function<void(const QString &)> progress;
    // Asked before every batch and page: true ends the run with an error ("sync cancelled");
    // what was committed so far stays (each page with its cursor), the next run goes on.
    std::function<bool()> cancelled;

    // TMDASH_CENTRAL, TMDASH_REDIS, TMDASH_PULL_STALL_SECONDS, TMDASH_SYNC_PUSH_BATCH, TMDASH_SYNC_PULL_PAGE.
    static SyncOptions fromEnvironment();
};

// What one sync run did.
struct SyncReport
{
    QString clinicId;
    bool firstSync = false;
    bool resynced = false; // the central was replaced or restored: pulled in full again
    int pushed = 0;        // mutations sent
    int applied = 0;       // ... applied (duplicates of an earlier push included)
    int conflicts = 0;     // conflicting fields recorded
    int rejected = 0;      // ... refused, kept in the rejections list
    qint64 pulled = 0;     // changes applied from the central
    qint64 skipped = 0;    // ... not applied: the record has local changes still to push
    bool stalled = false;  // changes wait behind a transaction open on the central
    // "table id" of local rows the central lacks after a resync: reported, never deleted.
    QStringList missingOnCentral;
    // Records written here by this run (acknowledgements and pulled changes), per table: what
    // open views refresh in place.
    QHash<QString, QStringList> changedRecords;
    QString redisError; // the announcement failed (Redis is a hint: the sync did not)
    double pushSeconds = 0; // time spent pushing and acknowledging (for `bench sync`)
    double pullSeconds = 0; // time spent pulling and applying
};

// One exchange with the central (DESIGN.md, "Sync"): push the outbox in order and in batches,
// applying each answer and removing what was acknowledged in one local transaction; then pull
// by the (xid, id) watermark, one local transaction per page together with the cursor; repeat
// until nothing is left. Binds a new desktop to its clinic on first sync (migrating an empty
// database), resyncs in full from a replaced or restored central, refuses a demo database.
// Only one sync runs on a database at a time (a lock file beside it).
// Errors: Storage (central unreachable, timed out), Incompatible (upgrade required, demo
// database, schema), Invalid (no clinic named), NotPermitted (the role's clinic is another).
// The central connection is kept between runs of one Synchronizer (and opened again after a
// failed run); the local schema is checked on its first run.
class Synchronizer
{
public:
    Synchronizer(const Database &local, SyncOptions options);
    ~Synchronizer();
    Synchronizer(const Synchronizer &) = delete;
    Synchronizer &operator=(const Synchronizer &) = delete;

    Result<SyncReport> runOnce();

private:
    Database m_local;
    SyncOptions m_options;
    Database m_central;
    bool m_prepared = false;
};

} // namespace tmdash
