#include "clock.h"
#include "synchronizer.h"
#include "syncstate.h"
#include "verbsupport.h"
#include "verbs.h"

#include <QJsonArray>

namespace tmdash {

const char kSyncHelp[] =
    "tmdashctl --db sqlite:PATH sync --once [--central URL] [--clinic ID] | status\n"
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
    "  status   what this desktop knows: its clinic, changes waiting to be pushed, open\n"
    "           conflicts, rejections, the last success and the last error, a stalled pull, and\n"
    "           after a resync the local records the central lacks.\n";

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
    if (int code = checkOptions(ctx, {QStringLiteral("central"), QStringLiteral("clinic")},
                                {QStringLiteral("once")});
        code != ExitOk)
        return code;
    SyncOptions options = SyncOptions::fromEnvironment();
    if (const QString central = ctx.option(QStringLiteral("central")); !central.isEmpty())
        options.centralUrl = central;
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
    if (report->stalled)
        return ctx.fail(Error::storage(QStringLiteral(
            "pull stalled: changes wait behind a transaction still open on the central")));
    return ExitOk;
}

int runStatus(CtlContext &ctx)
{
    if (int code = checkOptions(ctx, {}); code != ExitOk)
        return code;
    auto status = readSyncStatus(ctx.db);
    if (!status)
        return ctx.fail(status.error());
    const QString last = status->lastSuccess.isValid() ? formatInstant(status->lastSuccess) : QString();
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
            {QStringLiteral("missing_on_central"), QJsonArray::fromStringList(status->missingOnCentral)}});
        return ExitOk;
    }
    *ctx.out << "clinic:          " << (status->clinicId.isEmpty() ? QStringLiteral("(not synced yet)") : status->clinicId) << '\n'
             << "last sync:       " << (status->online ? QStringLiteral("reached the central") : QStringLiteral("offline")) << '\n'
             << "pending changes: " << status->pending << '\n'
             << "open conflicts:  " << status->openConflicts << '\n'
             << "rejections:      " << status->rejections << '\n'
             << "last success:    " << (last.isEmpty() ? QStringLiteral("never") : last) << '\n';
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
    const QStringList pos = ctx.positional({QStringLiteral("central"), QStringLiteral("clinic")});
    if (pos.isEmpty() && ctx.flag(QStringLiteral("once")))
        return runOnce(ctx);
    if (pos == QStringList{QStringLiteral("status")}) {
        if (Status s = ctx.db.requireCurrentSchema(); !s)
            return ctx.fail(s.error());
        return runStatus(ctx);
    }
    return ctx.usage(QStringLiteral("sync --once [--central URL] [--clinic ID] | sync status"));
}

} // namespace tmdash
