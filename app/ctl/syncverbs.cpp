#include "clock.h"
#include "patientlookup.h"
#include "syncengine.h"
#include "synchronizer.h"
#include "syncstate.h"
#include "verbsupport.h"
#include "verbs.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSocketNotifier>

#include <csignal>
#include <unistd.h>

namespace tmdash {

const char kSyncHelp[] =
    "tmdashctl --db sqlite:PATH sync --once [--central URL] [--clinic ID] [--redis URL]\n"
    "                             | --watch [--central URL] [--clinic ID] [--redis URL] | status\n"
    "  --once   exchanges this desktop's changes with the central PostgreSQL: pushes the outbox\n"
    "           in order, then pulls what changed there, until nothing is left. The first sync of\n"
    "           an empty database migrates it, binds it to its clinic and pulls the clinic in full\n"
    "           (progress on stderr). Conflicts and refused changes are reported (see\n"
    "           `tmdashctl conflicts` and `tmdashctl rejections`), not errors.\n"
    "           --central URL  postgresql://... (default: $TMDASH_CENTRAL); a clinic's database\n"
    "                          role brings its clinic\n"
    "           --clinic ID    the clinic, for an owner or administrator connection (first sync)\n"
    "           Exit 0 when everything was exchanged, 5 when the central is unreachable or the\n"
    "           pull stalled (changes wait behind a transaction open on the central for\n"
    "           $TMDASH_PULL_STALL_SECONDS, default 30), 6 when incompatible (upgrade required,\n"
    "           a demo database). Run as the database's owner (no --as).\n"
    "           --redis URL    redis://host:port (default: $TMDASH_REDIS): announce the push to\n"
    "                          the clinic's other desktops\n"
    "  --watch  keeps syncing until SIGINT or SIGTERM: when Redis announces another desktop's\n"
    "           push (and after every reconnect to Redis), when this database's outbox grows, and\n"
    "           every $TMDASH_POLL_SECONDS (default 30; ten times less often while Redis is up);\n"
    "           retries with backoff while the central is down. One line per run on stderr.\n"
    "  status   what this desktop knows: its clinic, changes waiting to be pushed, open\n"
    "           conflicts, rejections, the last success and the last error, a stalled pull, and\n"
    "           after a resync the local records the central lacks, and how many patient\n"
    "           lookups the cache answered (hits) and the central answered (misses).\n";

namespace {

QJsonObject reportJson(const SyncReport &r)
{
    return QJsonObject{{QStringLiteral("clinic_id"), r.clinicId},
                       {QStringLiteral("first_sync"), r.firstSync},
                       {QStringLiteral("resynced"), r.resynced},
                       {QStringLiteral("pushed"), r.pushed},
                       {QStringLiteral("applied"), r.applied},
                       {QStringLiteral("conflicts"), r.conflicts},
                       {QStringLiteral("rejected"), r.rejected},
                       {QStringLiteral("pulled"), double(r.pulled)},
                       {QStringLiteral("skipped"), double(r.skipped)},
                       {QStringLiteral("stalled"), r.stalled},
                       {QStringLiteral("missing_on_central"),
                        QJsonArray::fromStringList(r.missingOnCentral)}};
}

int runOnce(CtlContext &ctx)
{
    if (int code = checkOptions(ctx, {QStringLiteral("central"), QStringLiteral("clinic"), QStringLiteral("redis")},
                                {QStringLiteral("once")});
        code != ExitOk)
        return code;
    SyncOptions options = SyncOptions::fromEnvironment();
    if (const QString central = ctx.option(QStringLiteral("central")); !central.isEmpty())
        options.centralUrl = central;
    if (const QString redis = ctx.option(QStringLiteral("redis")); !redis.isEmpty())
        options.redisUrl = redis;
    options.clinic = ctx.option(QStringLiteral("clinic"));
    QTextStream *err = ctx.err;
    options.progress = [err](const QString &message) {
        *err << message << '\n';
        err->flush();
    };
    auto report = Synchronizer(ctx.db, options).runOnce();
    if (!report)
        return ctx.fail(report.error());
    if (ctx.json) {
        ctx.printJson(reportJson(*report));
    } else {
        *ctx.out << "pushed " << report->pushed << " (applied " << report->applied << ", conflicts "
                 << report->conflicts << ", rejected " << report->rejected << "), pulled "
                 << report->pulled << " (skipped " << report->skipped
                 << " with local changes still to push)\n";
        for (const QString &missing : report->missingOnCentral)
            *ctx.out << "not on the central (kept here): " << missing << '\n';
    }
    if (!report->redisError.isEmpty())
        *ctx.err << "the other desktops were not told (they poll): " << report->redisError << '\n';
    if (report->stalled)
        return ctx.fail(Error::storage(QStringLiteral(
            "pull stalled: changes wait behind a transaction still open on the central")));
    return ExitOk;
}

// SIGINT/SIGTERM end `sync --watch`: the handler writes to a pipe the event loop watches.
int g_signalPipe[2] = {-1, -1};

void onTerminate(int)
{
    const char byte = 1;
    const ssize_t written = ::write(g_signalPipe[1], &byte, 1);
    (void)written;
}

int runWatch(CtlContext &ctx)
{
    if (int code = checkOptions(ctx, {QStringLiteral("central"), QStringLiteral("clinic"), QStringLiteral("redis")},
                                {QStringLiteral("watch")});
        code != ExitOk)
        return code;
    SyncEngineSettings settings = SyncEngineSettings::fromEnvironment(ctx.dbUrl);
    if (const QString central = ctx.option(QStringLiteral("central")); !central.isEmpty())
        settings.sync.centralUrl = central;
    if (const QString redis = ctx.option(QStringLiteral("redis")); !redis.isEmpty())
        settings.sync.redisUrl = redis;
    settings.sync.clinic = ctx.option(QStringLiteral("clinic"));
    if (settings.sync.centralUrl.isEmpty())
        return ctx.fail(Error::invalid(QStringLiteral("central"), QStringLiteral("required"),
                                       QStringLiteral("no central: pass --central URL or set TMDASH_CENTRAL")));
    if (::pipe(g_signalPipe) != 0)
        return ctx.fail(Error::storage(QStringLiteral("cannot set up signal handling")));
    std::signal(SIGINT, onTerminate);
    std::signal(SIGTERM, onTerminate);
    QSocketNotifier terminate(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&terminate, &QSocketNotifier::activated, qApp, &QCoreApplication::quit);

    int exitCode = ExitOk;
    QTextStream *err = ctx.err;
    SyncEngine engine(settings);
    QObject::connect(&engine, &SyncEngine::synced, qApp, [err](const SyncReport &r, const QString &trigger) {
        *err << "sync (" << trigger << "): pushed " << r.pushed << ", conflicts " << r.conflicts
             << ", rejected " << r.rejected << ", pulled " << r.pulled
             << (r.stalled ? QStringLiteral(", pull stalled") : QString())
             << (r.redisError.isEmpty() ? QString() : QStringLiteral(", Redis: ") + r.redisError) << '\n';
        err->flush();
    });
    QObject::connect(&engine, &SyncEngine::failed, qApp,
                     [&exitCode, &ctx](const QString &message, const QString &trigger, int code) {
                         *ctx.err << "sync (" << trigger << ") failed: " << message << '\n';
                         ctx.err->flush();
                         // Only an unreachable central is worth waiting for.
                         if (ErrorCode(code) != ErrorCode::Storage) {
                             exitCode = exitCodeFor(ErrorCode(code));
                             QCoreApplication::quit();
                         }
                     });
    bool redisOnline = false;
    QObject::connect(&engine, &SyncEngine::statusChanged, qApp, [err, &redisOnline](const SyncStatus &s) {
        if (s.redisConfigured && s.redisOnline != redisOnline) {
            redisOnline = s.redisOnline;
            *err << (redisOnline ? "Redis: connected, listening for other desktops' pushes\n"
                                 : "Redis: unreachable, polling\n");
            err->flush();
        }
    });
    engine.start();
    QCoreApplication::exec();
    engine.stop();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    ::close(g_signalPipe[0]);
    ::close(g_signalPipe[1]);
    return exitCode;
}

int runStatus(CtlContext &ctx)
{
    if (int code = checkOptions(ctx, {}); code != ExitOk)
        return code;
    auto status = readSyncStatus(ctx.db);
    if (!status)
        return ctx.fail(status.error());
    const QString last = status->lastSuccess.isValid() ? formatInstant(status->lastSuccess) : QString();
    auto lookups = lookupCounters(ctx.db);
    if (!lookups)
        return ctx.fail(lookups.error());
    if (ctx.json) {
        ctx.printJson(QJsonObject{
            {QStringLiteral("clinic_id"), status->clinicId},
            {QStringLiteral("online"), status->online},
            {QStringLiteral("pending"), status->pending},
            {QStringLiteral("open_conflicts"), status->openConflicts},
            {QStringLiteral("rejections"), status->rejections},
            {QStringLiteral("last_success"), last.isEmpty() ? QJsonValue() : QJsonValue(last)},
            {QStringLiteral("last_error"), status->lastError},
            {QStringLiteral("stalled"), status->stalled},
            {QStringLiteral("missing_on_central"), QJsonArray::fromStringList(status->missingOnCentral)},
            {QStringLiteral("lookup_cache_hits"), double(lookups->hits)},
            {QStringLiteral("lookup_cache_misses"), double(lookups->misses)}});
        return ExitOk;
    }
    *ctx.out << "clinic:          " << (status->clinicId.isEmpty() ? QStringLiteral("(not synced yet)") : status->clinicId) << '\n'
             << "last sync:       " << (status->online ? QStringLiteral("reached the central") : QStringLiteral("offline")) << '\n'
             << "pending changes: " << status->pending << '\n'
             << "open conflicts:  " << status->openConflicts << '\n'
             << "rejections:      " << status->rejections << '\n'
             << "last success:    " << (last.isEmpty() ? QStringLiteral("never") : last) << '\n'
             << "patient lookups: " << lookups->hits << " answered from the cache, " << lookups->misses
             << " by the central\n";
    if (!status->lastError.isEmpty())
        *ctx.out << "last error:      " << status->lastError << '\n';
    if (status->stalled)
        *ctx.out << "pull stalled:    changes wait behind a transaction open on the central\n";
    for (const QString &missing : status->missingOnCentral)
        *ctx.out << "not on the central (kept here): " << missing << '\n';
    return ExitOk;
}

} // namespace

int runSyncVerb(CtlContext &ctx)
{
    if (!ctx.asEmail.isEmpty())
        return ctx.fail(Error::notPermitted(
            QStringLiteral("sync is run by the database's owner: run without --as")));
    const QStringList pos = ctx.positional({QStringLiteral("central"), QStringLiteral("clinic"), QStringLiteral("redis")});
    if (pos.isEmpty() && ctx.flag(QStringLiteral("once")))
        return runOnce(ctx);
    if (pos.isEmpty() && ctx.flag(QStringLiteral("watch")))
        return runWatch(ctx);
    if (pos == QStringList{QStringLiteral("status")}) {
        if (Status s = ctx.db.requireCurrentSchema(); !s)
            return ctx.fail(s.error());
        return runStatus(ctx);
    }
    return ctx.usage(QStringLiteral("sync --once | --watch [--central URL] [--clinic ID] [--redis URL] | sync status"));
}

} // namespace tmdash
