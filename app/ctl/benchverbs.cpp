#include "storagebench.h"
#include "syncbench.h"
#include "verbs.h"

#include <optional>

namespace tmdash {

const char kBenchHelp[] =
    "tmdashctl bench storage [--patients N] [--vitals N] [--searches N] [--charts N]\n"
    "                        [--batch N] [--seed S] [--dir PATH] [--keep]\n"
    "  The storage benchmark, on two fresh SQLite files of its own (--db is not used). It\n"
    "  writes N patients (default 100000, with contacts, insurance, allergies and conditions)\n"
    "  and N vitals (default 1000000) through the stores' create (validation, outbox and\n"
    "  audit on) in all-or-nothing outer transactions of --batch N creates (default 50000),\n"
    "  and the same rows (records, search index and outbox rows) through raw\n"
    "  sqlite3 prepared statements in one transaction into the second file, each thousand\n"
    "  records right after the stores wrote them, so both sides meet the same load. It\n"
    "  prints rows/s for both and their ratio (goal: stores >= 0.5x raw). Then --searches\n"
    "  type-ahead searches of 2-4 letter name prefixes (default 1000) and --charts chart\n"
    "  loads of random patients (default 1000): p50/p95/p99 in ms (goal: p95 < 5 ms). Also\n"
    "  the peak memory.\n"
    "  It prints figures and never fails on time; progress goes to stderr.\n"
    "  --seed S    the data set (default 20240501)\n"
    "  --dir PATH  the files go in a new directory under PATH (default: the temporary\n"
    "              directory), removed afterwards unless --keep\n"
    "\n"
    "tmdashctl bench sync [--central URL] [--changes N] [--dir PATH]\n"
    "  The sync benchmark, on a scratch database it creates beside the URL's (default\n"
    "  $TMDASH_CENTRAL; the user must be able to create databases and, for the COPY baseline,\n"
    "  read server files) and drops afterwards. A desktop pushes N new patients (default\n"
    "  100000) through tmdash_push (acknowledged locally), then the same rows are COPYed into the\n"
    "  same table, and the ratio is printed (goal: push >= 0.25x COPY). Then an empty desktop\n"
    "  pulls the clinic, beside raw sqlite3 prepared inserts of the same rows in one transaction\n"
    "  (goal: pull >= 0.5x raw). It prints figures and never fails on time.\n"
    "\n"
    "tmdashctl bench notify [--central URL] [--redis URL] [--edits N]\n"
    "  The notification benchmark, on a scratch database as above and the Redis at the URL\n"
    "  (default $TMDASH_REDIS): N single edits (default 1000) on desktop A, each pushed and\n"
    "  announced, timed until desktop B's sync engine has it in its store; beside raw Redis\n"
    "  PUBLISH -> receive latency measured first. Prints p50/p99 (goal: p99 < 100 ms).\n";

namespace {

// A whole number >= `minimum` from `--name`, the default when absent, nullopt when malformed.
std::optional<qint64> count(const CtlContext &ctx, const QString &name, qint64 fallback,
                            qint64 minimum, qint64 maximum)
{
    if (!ctx.args.contains(QStringLiteral("--") + name))
        return fallback;
    bool ok = false;
    const qint64 value = ctx.option(name).toLongLong(&ok);
    if (!ok || value < minimum || value > maximum)
        return std::nullopt;
    return value;
}

void printProgress(const CtlContext &ctx, const QString &line)
{
    *ctx.err << "bench: " << line << '\n';
    ctx.err->flush();
}

int runSyncBenchVerb(const CtlContext &ctx)
{
    for (const QString &option : {QStringLiteral("--patients"), QStringLiteral("--vitals"),
                                  QStringLiteral("--searches"), QStringLiteral("--charts"),
                                  QStringLiteral("--batch"), QStringLiteral("--seed"),
                                  QStringLiteral("--keep"), QStringLiteral("--redis"),
                                  QStringLiteral("--edits")})
        if (ctx.args.contains(option))
            return ctx.usage(QStringLiteral("bench sync: unknown option ") + option);
    SyncBenchOptions o;
    o.adminUrl = ctx.args.contains(QStringLiteral("--central")) ? ctx.option(QStringLiteral("central"))
                                                                : qEnvironmentVariable("TMDASH_CENTRAL");
    if (o.adminUrl.isEmpty())
        return ctx.usage(QStringLiteral("bench sync: pass --central URL or set TMDASH_CENTRAL"));
    const auto changes = count(ctx, QStringLiteral("changes"), o.changes, 1, 10000000);
    if (!changes)
        return ctx.usage(QStringLiteral("bench sync: --changes takes a whole number >= 1"));
    o.changes = int(*changes);
    o.dir = ctx.option(QStringLiteral("dir"));
    auto result = runSyncBench(o, [&ctx](const QString &line) { printProgress(ctx, line); });
    if (!result)
        return ctx.fail(result.error());
    if (ctx.json)
        ctx.printJson(syncBenchJson(*result));
    else
        *ctx.out << syncBenchText(*result);
    return ExitOk;
}

int runNotifyBenchVerb(const CtlContext &ctx)
{
    for (const QString &option : {QStringLiteral("--patients"), QStringLiteral("--vitals"),
                                  QStringLiteral("--searches"), QStringLiteral("--charts"),
                                  QStringLiteral("--batch"), QStringLiteral("--seed"),
                                  QStringLiteral("--keep"), QStringLiteral("--changes")})
        if (ctx.args.contains(option))
            return ctx.usage(QStringLiteral("bench notify: unknown option ") + option);
    NotifyBenchOptions o;
    o.adminUrl = ctx.args.contains(QStringLiteral("--central")) ? ctx.option(QStringLiteral("central"))
                                                                : qEnvironmentVariable("TMDASH_CENTRAL");
    o.redisUrl = ctx.args.contains(QStringLiteral("--redis")) ? ctx.option(QStringLiteral("redis"))
                                                              : qEnvironmentVariable("TMDASH_REDIS");
    if (o.adminUrl.isEmpty() || o.redisUrl.isEmpty())
        return ctx.usage(QStringLiteral("bench notify: pass --central URL and --redis URL (or set "
                                        "TMDASH_CENTRAL and TMDASH_REDIS)"));
    const auto edits = count(ctx, QStringLiteral("edits"), o.edits, 1, 1000000);
    if (!edits)
        return ctx.usage(QStringLiteral("bench notify: --edits takes a whole number >= 1"));
    o.edits = int(*edits);
    o.dir = ctx.option(QStringLiteral("dir"));
    auto result = runNotifyBench(o, [&ctx](const QString &line) { printProgress(ctx, line); });
    if (!result)
        return ctx.fail(result.error());
    if (ctx.json)
        ctx.printJson(notifyBenchJson(*result));
    else
        *ctx.out << notifyBenchText(*result);
    return ExitOk;
}

} // namespace

int runBenchVerb(CtlContext &ctx)
{
    const QStringList valued = {QStringLiteral("patients"), QStringLiteral("vitals"),
                                QStringLiteral("searches"), QStringLiteral("charts"),
                                QStringLiteral("batch"),    QStringLiteral("seed"),
                                QStringLiteral("dir"),      QStringLiteral("central"),
                                QStringLiteral("changes"),  QStringLiteral("redis"),
                                QStringLiteral("edits")};
    for (int i = 0; i < ctx.args.size(); ++i) {
        const QString &a = ctx.args.at(i);
        if (!a.startsWith(QLatin1String("--")))
            continue;
        if (valued.contains(a.mid(2))) {
            if (i + 1 >= ctx.args.size())
                return ctx.usage(a + QStringLiteral(" needs a value"));
            ++i;
        } else if (a != QLatin1String("--keep")) {
            return ctx.usage(QStringLiteral("bench: unknown option ") + a);
        }
    }
    const QStringList what = ctx.positional(valued);
    if (what == QStringList{QStringLiteral("sync")})
        return runSyncBenchVerb(ctx);
    if (what == QStringList{QStringLiteral("notify")})
        return runNotifyBenchVerb(ctx);
    if (what != QStringList{QStringLiteral("storage")})
        return ctx.usage(QStringLiteral("bench: expected `bench storage`, `bench sync` or `bench notify`"));
    for (const QString &option : {QStringLiteral("--central"), QStringLiteral("--changes"),
                                  QStringLiteral("--redis"), QStringLiteral("--edits")})
        if (ctx.args.contains(option))
            return ctx.usage(QStringLiteral("bench storage: unknown option ") + option);

    StorageBenchOptions o;
    constexpr qint64 kMaxCount = 100000000;
    const auto patients = count(ctx, QStringLiteral("patients"), o.patients, 1, kMaxCount);
    const auto vitals = count(ctx, QStringLiteral("vitals"), o.vitals, 1, kMaxCount);
    const auto searches = count(ctx, QStringLiteral("searches"), o.searches, 1, kMaxCount);
    const auto charts = count(ctx, QStringLiteral("charts"), o.charts, 1, kMaxCount);
    const auto batch = count(ctx, QStringLiteral("batch"), o.batch, 1, kMaxCount);
    if (!patients || !vitals || !searches || !charts || !batch)
        return ctx.usage(QStringLiteral("bench: --patients, --vitals, --searches, --charts and "
                                        "--batch take a whole number >= 1"));
    o.patients = int(*patients);
    o.vitals = int(*vitals);
    o.searches = int(*searches);
    o.charts = int(*charts);
    o.batch = int(*batch);
    if (ctx.args.contains(QStringLiteral("--seed"))) {
        bool ok = false;
        o.seed = ctx.option(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok)
            return ctx.usage(QStringLiteral("bench: --seed takes a whole number"));
    }
    o.dir = ctx.option(QStringLiteral("dir"));
    o.keep = ctx.flag(QStringLiteral("keep"));

    auto result = runStorageBench(o, [&ctx](const QString &line) { printProgress(ctx, line); });
    if (!result)
        return ctx.fail(result.error());
    if (ctx.json)
        ctx.printJson(storageBenchJson(*result));
    else
        *ctx.out << storageBenchText(*result);
    return ExitOk;
}

} // namespace tmdash
