#include "syncbench.h"

#include "clock.h"
#include "database.h"
#include "ids.h"
#include "outbox.h"
#include "passwordhash.h"
#include "patientcodec.h"
#include "patientstore.h"
#include "recordtable.h"
#include "redisclient.h"
#include "syncengine.h"
#include "synchronizer.h"
#include "transaction.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QScopeGuard>
#include <QTimer>
#include <QUrl>

#include <hiredis/hiredis.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace tmdash {

namespace {

Status exec(const Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql))
        return Error::storage(QStringLiteral("bench: %1: %2").arg(sql.left(60), q.lastError().text()));
    return {};
}

double seconds(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e9;
}

Result<ClinicId> addClinic(const Database &db, const QString &name)
{
    const QString id = newUuidV7();
    const QString when = formatInstant(nowUtc());
    const Row row{{QStringLiteral("id"), id},
                  {QStringLiteral("clinic_id"), id},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("timezone"), QStringLiteral("America/New_York")},
                  {QStringLiteral("created_at"), when},
                  {QStringLiteral("updated_at"), when}};
    if (Status s = RecordTable(db, u"clinics").insert(row); !s)
        return s.error();
    return ClinicId(id);
}

Row patientRow(const ClinicId &clinic, int index, const QDateTime &now)
{
    Patient p;
    p.id = newId<PatientId>();
    p.clinic_id = clinic;
    p.mrn = QStringLiteral("SB-%1").arg(index, 8, 10, QLatin1Char('0'));
    p.given_name = QStringLiteral("Given%1").arg(index);
    p.family_name = QStringLiteral("Family%1").arg(index % 997);
    p.birth_date = QDate(1950, 1, 1).addDays(index % 20000);
    p.sex = index % 2 ? Sex::Female : Sex::Male;
    p.phone = QStringLiteral("+1617555%1").arg(index % 10000, 4, 10, QLatin1Char('0'));
    p.city = QStringLiteral("Boston");
    p.country = QStringLiteral("US");
    p.meta.created_at = p.meta.updated_at = now;
    return toRow(p);
}

QString csvField(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return QString(); // unquoted empty: NULL
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 17);
    QString text = v.toString();
    text.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

struct Sqlite3Closer
{
    void operator()(sqlite3 *db) const { sqlite3_close(db); }
};
struct StatementFinalizer
{
    void operator()(sqlite3_stmt *s) const { sqlite3_finalize(s); }
};

// The raw baseline: the rows by sqlite3 prepared inserts in one transaction, into a file with
// the desktop schema and the same pragmas (WAL, synchronous=FULL, foreign keys on).
Result<double> rawInserts(const QString &path, const Row &clinic, const QList<Row> &rows)
{
    {
        auto db = Database::open(QStringLiteral("sqlite:") + path, QStringLiteral("bench-raw-schema"));
        if (!db)
            return db.error();
        Database schema = *db;
        Status migrated = schema.migrateToLatest();
        if (migrated)
            migrated = RecordTable(schema, u"clinics").insert(clinic);
        schema.close();
        if (!migrated)
            return migrated.error();
    }
    sqlite3 *opened = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &opened, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close(opened);
        return Error::storage(QStringLiteral("bench: cannot open ") + path);
    }
    std::unique_ptr<sqlite3, Sqlite3Closer> db(opened);
    const auto fail = [&](const char *what) {
        return Error::storage(QStringLiteral("bench: %1: %2")
                                  .arg(QString::fromLatin1(what), QString::fromUtf8(sqlite3_errmsg(db.get()))));
    };
    for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"})
        if (sqlite3_exec(db.get(), pragma, nullptr, nullptr, nullptr) != SQLITE_OK)
            return fail(pragma);
    const TableSpec &spec = *tableSpec(u"patients");
    QStringList names;
    QStringList marks;
    for (const ColumnSpec &c : spec.columns) {
        names << c.name.toString();
        marks << QStringLiteral("?");
    }
    const QByteArray sql = QStringLiteral("INSERT INTO patients (%1) VALUES (%2)")
                               .arg(names.join(QLatin1Char(',')), marks.join(QLatin1Char(',')))
                               .toUtf8();
    sqlite3_stmt *prepared = nullptr;
    if (sqlite3_prepare_v2(db.get(), sql.constData(), -1, &prepared, nullptr) != SQLITE_OK) {
        sqlite3_finalize(prepared);
        return fail("prepare");
    }
    std::unique_ptr<sqlite3_stmt, StatementFinalizer> insert(prepared);
    QElapsedTimer timer;
    timer.start();
    if (sqlite3_exec(db.get(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail("begin");
    for (const Row &row : rows) {
        int i = 1;
        for (const ColumnSpec &c : spec.columns) {
            const QJsonValue v = row.value(c.name);
            if (v.isNull() || v.isUndefined()) {
                sqlite3_bind_null(insert.get(), i);
            } else if (v.isBool()) {
                sqlite3_bind_int(insert.get(), i, v.toBool() ? 1 : 0);
            } else if (v.isDouble()) {
                if (c.type == ColumnType::Real)
                    sqlite3_bind_double(insert.get(), i, v.toDouble());
                else
                    sqlite3_bind_int64(insert.get(), i, qint64(v.toDouble()));
            } else {
                const QByteArray text = v.toString().toUtf8();
                sqlite3_bind_text(insert.get(), i, text.constData(), int(text.size()), SQLITE_TRANSIENT);
            }
            ++i;
        }
        if (sqlite3_step(insert.get()) != SQLITE_DONE)
            return fail("insert");
        sqlite3_reset(insert.get());
    }
    if (sqlite3_exec(db.get(), "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail("commit");
    return seconds(timer);
}

// A migrated database of its own beside the admin URL's, dropped when the benchmark ends,
// however it ends.
class ScratchCentral
{
public:
    ScratchCentral(const Database &admin, QString name, QString url)
        : m_admin(admin), m_name(std::move(name)), m_url(std::move(url))
    {
    }

    static Result<ScratchCentral *> make(const QString &adminUrl)
    {
        auto admin = Database::open(adminUrl, QStringLiteral("bench-admin"));
        if (!admin)
            return admin.error();
        Database a = *admin;
        if (a.isSqlite()) {
            a.close();
            return Error::invalid(QStringLiteral("central"), QStringLiteral("not_postgresql"),
                                  QStringLiteral("the benchmark needs a PostgreSQL URL (--central)"));
        }
        const QString name = QStringLiteral("tmdash_bench_") + newUuidV7().right(12);
        if (Status s = exec(a, QStringLiteral("CREATE DATABASE ") + name); !s) {
            a.close();
            return s.error();
        }
        QUrl url(adminUrl);
        url.setPath(QLatin1Char('/') + name);
        auto scratch = std::make_unique<ScratchCentral>(a, name, url.toString());
        auto central = Database::open(url.toString(), QStringLiteral("bench-central"));
        if (!central)
            return central.error();
        scratch->m_central = *central;
        if (Status s = central->migrateToLatest(); !s)
            return s.error();
        return scratch.release();
    }

    QString url() const { return m_url; }

    ~ScratchCentral()
    {
        m_central.close();
        const Status dropped = exec(m_admin, QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_name));
        Q_UNUSED(dropped)
        m_admin.close();
    }
    ScratchCentral(const ScratchCentral &) = delete;
    ScratchCentral &operator=(const ScratchCentral &) = delete;
    Database m_central;

private:
    Database m_admin;
    QString m_name;
    QString m_url;
};

} // namespace

Result<SyncBenchResult> runSyncBench(const SyncBenchOptions &options,
                                     const std::function<void(const QString &)> &progress)
{
    SyncBenchResult result;
    result.changes = options.changes;
    auto made = ScratchCentral::make(options.adminUrl);
    if (!made)
        return made.error();
    std::unique_ptr<ScratchCentral> scratch(*made);
    const Database *central = &scratch->m_central;
    const QUrl url(scratch->url());
    auto clinic = addClinic(*central, QStringLiteral("Bench North"));
    auto other = addClinic(*central, QStringLiteral("Bench South"));
    if (!clinic || !other)
        return (clinic ? other : clinic).error();

    QTemporaryDir dir(QDir(options.dir.isEmpty() ? QDir::tempPath() : options.dir)
                          .filePath(QStringLiteral("tmdash-syncbench-XXXXXX")));
    if (!dir.isValid())
        return Error::storage(QStringLiteral("bench: cannot make a temporary directory"));
    // The server reads the COPY file itself: it must be able to reach it.
    QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                          | QFileDevice::ExeGroup | QFileDevice::ExeOther);
    SyncOptions sync = SyncOptions::fromEnvironment();
    sync.centralUrl = url.toString();
    sync.clinic = clinic->value;

    // The pushing desktop: bound, then N new patients in its outbox (rows and outbox rows as
    // the stores write them; their write speed is issue 4's benchmark).
    auto pusher = Database::open(QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("pusher.sqlite")),
                                 QStringLiteral("bench-pusher"));
    if (!pusher)
        return pusher.error();
    auto bound = Synchronizer(*pusher, sync).runOnce();
    if (!bound)
        return bound.error();
    progress(QStringLiteral("writing %1 patients to the outbox").arg(options.changes));
    const QDateTime now = nowUtc();
    QList<Row> rows;
    rows.reserve(options.changes);
    {
        Transaction tx(*pusher);
        if (!tx.started())
            return tx.started().error();
        for (int i = 0; i < options.changes; ++i) {
            rows << patientRow(*clinic, i, now);
            if (Status s = RecordTable(*pusher, u"patients").insert(rows.last()); !s)
                return s.error();
            OutboxEntry entry;
            entry.mutation_id = newUuidV7();
            entry.entity = QStringLiteral("patients");
            entry.entity_id = rows.last().value(u"id").toString();
            entry.op = OutboxOp::Insert;
            entry.changes = rows.last();
            if (Status s = appendOutbox(*pusher, entry); !s)
                return s.error();
        }
        if (Status s = tx.commit(); !s)
            return s.error();
    }
    progress(QStringLiteral("pushing"));
    auto pushed = Synchronizer(*pusher, sync).runOnce();
    Database(*pusher).close();
    if (!pushed)
        return pushed.error();
    if (pushed->applied != options.changes)
        return Error::storage(QStringLiteral("bench: %1 of %2 pushed changes were applied")
                                  .arg(pushed->applied)
                                  .arg(options.changes));
    result.pushSeconds = pushed->pushSeconds;

    // COPY of the same rows (other ids, the other clinic) into the same table.
    progress(QStringLiteral("COPY baseline"));
    const TableSpec &spec = *tableSpec(u"patients");
    QStringList columns;
    for (const ColumnSpec &c : spec.columns)
        columns << c.name.toString();
    const QString csvPath = dir.filePath(QStringLiteral("patients.csv"));
    {
        QFile csv(csvPath);
        if (!csv.open(QIODevice::WriteOnly))
            return Error::storage(QStringLiteral("bench: cannot write ") + csvPath);
        QTextStream out(&csv);
        for (Row row : std::as_const(rows)) {
            row.insert(QStringLiteral("id"), newUuidV7());
            row.insert(QStringLiteral("clinic_id"), other->value);
            QStringList fields;
            for (const ColumnSpec &c : spec.columns)
                fields << csvField(row.value(c.name));
            out << fields.join(QLatin1Char(',')) << '\n';
        }
        csv.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther
                           | QFileDevice::ReadGroup);
    }
    QElapsedTimer timer;
    timer.start();
    if (Status s = exec(*central, QStringLiteral("COPY patients (%1) FROM '%2' WITH (FORMAT csv)")
                                      .arg(columns.join(QLatin1Char(',')), csvPath));
        !s)
        return s.error();
    result.copySeconds = seconds(timer);

    // An empty desktop pulls the clinic.
    progress(QStringLiteral("pulling into an empty desktop"));
    auto puller = Database::open(QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("puller.sqlite")),
                                 QStringLiteral("bench-puller"));
    if (!puller)
        return puller.error();
    auto pulled = Synchronizer(*puller, sync).runOnce();
    if (!pulled) {
        Database(*puller).close();
        return pulled.error();
    }
    result.pullSeconds = pulled->pullSeconds;
    result.pulled = pulled->pulled;
    auto stored = RecordTable(*puller, u"patients").select(QString());
    auto clinicRow = RecordTable(*puller, u"clinics").get(clinic->value);
    Database(*puller).close();
    if (!stored || !clinicRow)
        return (stored ? clinicRow.error() : stored.error());

    progress(QStringLiteral("raw sqlite3 baseline"));
    auto raw = rawInserts(dir.filePath(QStringLiteral("raw.sqlite")), *clinicRow, *stored);
    if (!raw)
        return raw.error();
    result.rawInsertSeconds = *raw;
    return result;
}

QJsonObject syncBenchJson(const SyncBenchResult &r)
{
    return QJsonObject{
        {QStringLiteral("changes"), r.changes},
        {QStringLiteral("push"), QJsonObject{{QStringLiteral("seconds"), r.pushSeconds},
                                             {QStringLiteral("per_second"), r.pushPerSecond()}}},
        {QStringLiteral("copy"), QJsonObject{{QStringLiteral("seconds"), r.copySeconds},
                                             {QStringLiteral("per_second"), r.copyPerSecond()}}},
        {QStringLiteral("push_vs_copy"), r.copyPerSecond() > 0 ? r.pushPerSecond() / r.copyPerSecond() : 0},
        {QStringLiteral("pull"), QJsonObject{{QStringLiteral("seconds"), r.pullSeconds},
                                             {QStringLiteral("changes"), double(r.pulled)},
                                             {QStringLiteral("per_second"), r.pullPerSecond()}}},
        {QStringLiteral("raw_sqlite"), QJsonObject{{QStringLiteral("seconds"), r.rawInsertSeconds},
                                                   {QStringLiteral("per_second"), r.rawPerSecond()}}},
        {QStringLiteral("pull_vs_raw"), r.rawPerSecond() > 0 ? r.pullPerSecond() / r.rawPerSecond() : 0},
    };
}

QString syncBenchText(const SyncBenchResult &r)
{
    const auto line = [](const QString &label, double perSecond, double secs) {
        return QStringLiteral("%1 %2 changes/s (%3 s)\n")
            .arg(label.leftJustified(34), QString::number(perSecond, 'f', 0).rightJustified(9),
                 QString::number(secs, 'f', 2));
    };
    QString text = QStringLiteral("sync benchmark, %1 changes\n").arg(r.changes);
    text += line(QStringLiteral("push (tmdash_push, acknowledged)"), r.pushPerSecond(), r.pushSeconds);
    text += line(QStringLiteral("COPY of the same rows"), r.copyPerSecond(), r.copySeconds);
    text += QStringLiteral("  push / COPY = %1 (goal >= 0.25)\n")
                .arg(r.copyPerSecond() > 0 ? r.pushPerSecond() / r.copyPerSecond() : 0, 0, 'f', 3);
    text += line(QStringLiteral("pull into an empty desktop"), r.pullPerSecond(), r.pullSeconds);
    text += line(QStringLiteral("raw sqlite3 inserts, same rows"), r.rawPerSecond(), r.rawInsertSeconds);
    text += QStringLiteral("  pull / raw = %1 (goal >= 0.5)\n")
                .arg(r.rawPerSecond() > 0 ? r.pullPerSecond() / r.rawPerSecond() : 0, 0, 'f', 3);
    return text;
}


namespace {

LatencySummary summarize(std::vector<double> ms)
{
    LatencySummary out;
    out.count = int(ms.size());
    if (ms.empty())
        return out;
    std::sort(ms.begin(), ms.end());
    const auto rank = [&](double p) {
        const auto i = std::size_t(std::max(0.0, std::ceil(p * double(ms.size())) - 1));
        return ms[std::min(i, ms.size() - 1)];
    };
    out.p50_ms = rank(0.50);
    out.p99_ms = rank(0.99);
    out.max_ms = ms.back();
    return out;
}

double msSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

// Raw Redis: PUBLISH on one connection, receive on a subscribed RedisClient in this event loop.
Result<LatencySummary> rawPublishLatency(const QString &redisUrl, int count)
{
    auto endpoint = RedisEndpoint::parse(redisUrl);
    if (!endpoint)
        return endpoint.error();
    const QString channel = QStringLiteral("tmdash:bench:") + newUuidV7();
    RedisClient subscriber(redisUrl);
    subscriber.subscribe(channel);
    QEventLoop loop;
    QByteArray received;
    QObject::connect(&subscriber, &RedisClient::message, &loop, [&](const QString &, const QByteArray &payload) {
        received = payload;
        loop.quit();
    });
    QObject::connect(&subscriber, &RedisClient::connected, &loop, &QEventLoop::quit);
    subscriber.start();
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    loop.exec();
    if (!subscriber.isConnected())
        return Error::storage(QStringLiteral("bench: Redis at %1 is unreachable").arg(redisUrl));
    const timeval timeout{2, 0};
    std::unique_ptr<redisContext, decltype(&redisFree)> c(
        redisConnectWithTimeout(endpoint->host.toUtf8().constData(), endpoint->port, timeout), &redisFree);
    if (!c || c->err)
        return Error::storage(QStringLiteral("bench: Redis at %1 is unreachable").arg(redisUrl));
    const QByteArray name = channel.toUtf8();
    // The SUBSCRIBE is sent on connect; wait until a message comes through.
    for (int i = 0; i < 100 && received.isEmpty(); ++i) {
        freeReplyObject(redisCommand(c.get(), "PUBLISH %b %b", name.constData(), size_t(name.size()), "warm", size_t(4)));
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec();
    }
    std::vector<double> ms;
    for (int i = 0; i < count; ++i) {
        const QByteArray payload = QByteArray::number(i);
        received.clear();
        QElapsedTimer t;
        t.start();
        freeReplyObject(redisCommand(c.get(), "PUBLISH %b %b", name.constData(), size_t(name.size()),
                                     payload.constData(), size_t(payload.size())));
        QTimer guard;
        guard.setSingleShot(true);
        QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
        guard.start(2000);
        while (received != payload && guard.isActive())
            loop.exec();
        if (received != payload)
            return Error::storage(QStringLiteral("bench: a published message never arrived"));
        ms.push_back(msSince(t));
    }
    return summarize(ms);
}

} // namespace

Result<NotifyBenchResult> runNotifyBench(const NotifyBenchOptions &options,
                                         const std::function<void(const QString &)> &progress)
{
    NotifyBenchResult result;
    progress(QStringLiteral("raw Redis publish -> receive"));
    auto raw = rawPublishLatency(options.redisUrl, options.edits);
    if (!raw)
        return raw.error();
    result.raw = *raw;

    auto made = ScratchCentral::make(options.adminUrl);
    if (!made)
        return made.error();
    std::unique_ptr<ScratchCentral> scratch(*made);
    auto clinic = addClinic(scratch->m_central, QStringLiteral("Bench North"));
    if (!clinic)
        return clinic.error();
    auto hash = hashPassword(QStringLiteral("bench-only-password-not-for-people"));
    if (!hash)
        return hash.error();
    const QString userId = newUuidV7();
    const QString when = formatInstant(nowUtc());
    const Row user{{QStringLiteral("id"), userId},
                   {QStringLiteral("clinic_id"), clinic->value},
                   {QStringLiteral("email"), QStringLiteral("bench@example.org")},
                   {QStringLiteral("given_name"), QStringLiteral("Bench")},
                   {QStringLiteral("family_name"), QStringLiteral("Desk")},
                   {QStringLiteral("role"), QStringLiteral("staff")},
                   {QStringLiteral("status"), QStringLiteral("active")},
                   {QStringLiteral("password_hash"), *hash},
                   {QStringLiteral("totp_enabled"), false},
                   {QStringLiteral("created_at"), when},
                   {QStringLiteral("updated_at"), when}};
    if (Status s = RecordTable(scratch->m_central, u"users").insert(user); !s)
        return s.error();
    const Principal staff{Principal::Kind::Person, UserId(userId), *clinic, Role::Staff, {}};

    QTemporaryDir dir(QDir(options.dir.isEmpty() ? QDir::tempPath() : options.dir)
                          .filePath(QStringLiteral("tmdash-notifybench-XXXXXX")));
    if (!dir.isValid())
        return Error::storage(QStringLiteral("bench: cannot make a temporary directory"));
    SyncOptions sync;
    sync.centralUrl = scratch->url();
    sync.clinic = clinic->value;
    sync.redisUrl = options.redisUrl;
    const QString aUrl = QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("a.sqlite"));
    const QString bUrl = QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("b.sqlite"));
    auto a = Database::open(aUrl, QStringLiteral("bench-a"));
    if (!a)
        return a.error();
    Database desktopA = *a;
    const auto closeA = qScopeGuard([&desktopA] { desktopA.close(); });
    {
        auto b = Database::open(bUrl, QStringLiteral("bench-b"));
        if (!b)
            return b.error();
        Database desktopB = *b;
        auto bound = Synchronizer(desktopB, sync).runOnce();
        desktopB.close();
        if (!bound)
            return bound.error();
    }
    if (auto bound = Synchronizer(desktopA, sync).runOnce(); !bound)
        return bound.error();
    Patient p;
    p.given_name = QStringLiteral("Nora");
    p.family_name = QStringLiteral("Bench");
    p.birth_date = QDate(1970, 1, 1);
    p.sex = Sex::Female;
    auto created = PatientStore(desktopA, staff).create(p);
    if (!created)
        return created.error();
    if (auto pushed = Synchronizer(desktopA, sync).runOnce(); !pushed)
        return pushed.error();

    SyncEngineSettings settings;
    settings.localUrl = bUrl;
    settings.sync = sync;
    settings.pollSeconds = 3600; // B hears or waits
    settings.debounceMs = 0;
    SyncEngine engine(settings);
    QEventLoop loop;
    QString lastTrigger;
    bool arrived = false;
    const QString patientId = created->id.value;
    QObject::connect(&engine, &SyncEngine::synced, &loop, [&](const SyncReport &r, const QString &trigger) {
        if (r.changedRecords.value(QStringLiteral("patients")).contains(patientId)) {
            arrived = true;
            lastTrigger = trigger;
            loop.quit();
        }
    });
    engine.start();
    // Ready when B listens and its first run brought the patient.
    QElapsedTimer ready;
    ready.start();
    while (!(engine.status().redisOnline && arrived) && ready.elapsed() < 10000) {
        QTimer::singleShot(50, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!engine.status().redisOnline || !arrived)
        return Error::storage(QStringLiteral("bench: desktop B did not get ready (Redis or the central unreachable)"));
    progress(QStringLiteral("%1 single edits from A until they are in B's store").arg(options.edits));
    std::vector<double> ms;
    Patient current = *created;
    Synchronizer pusher(desktopA, sync); // a desktop keeps its central connection
    for (int i = 0; i < options.edits; ++i) {
        current.city = QStringLiteral("City %1").arg(i);
        arrived = false;
        QElapsedTimer t;
        t.start();
        auto edited = PatientStore(desktopA, staff).update(current);
        if (!edited)
            return edited.error();
        current = *edited;
        auto pushed = pusher.runOnce();
        if (!pushed)
            return pushed.error();
        QTimer guard;
        guard.setSingleShot(true);
        QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
        guard.start(10000);
        while (!arrived && guard.isActive())
            loop.exec();
        if (!arrived)
            return Error::storage(QStringLiteral("bench: edit %1 never reached desktop B").arg(i));
        ms.push_back(msSince(t));
        if (lastTrigger != QLatin1String("notification"))
            ++result.byPoll;
        current = PatientStore(desktopA, staff).get(current.id).value();
    }
    engine.stop();
    result.edit = summarize(ms);
    return result;
}

QJsonObject notifyBenchJson(const NotifyBenchResult &r)
{
    const auto latency = [](const LatencySummary &l) {
        return QJsonObject{{QStringLiteral("count"), l.count},
                           {QStringLiteral("p50_ms"), l.p50_ms},
                           {QStringLiteral("p99_ms"), l.p99_ms},
                           {QStringLiteral("max_ms"), l.max_ms}};
    };
    return QJsonObject{{QStringLiteral("edit_to_other_desktop"), latency(r.edit)},
                       {QStringLiteral("raw_publish_receive"), latency(r.raw)},
                       {QStringLiteral("not_by_notification"), r.byPoll},
                       {QStringLiteral("goal_p99_ms"), 100}};
}

QString notifyBenchText(const NotifyBenchResult &r)
{
    const auto line = [](const QString &label, const LatencySummary &l) {
        return QStringLiteral("%1 p50 %2 ms  p99 %3 ms  max %4 ms  (%5)\n")
            .arg(label.leftJustified(40), QString::number(l.p50_ms, 'f', 2), QString::number(l.p99_ms, 'f', 2),
                 QString::number(l.max_ms, 'f', 2), QString::number(l.count));
    };
    QString text = line(QStringLiteral("edit on A -> in B's store"), r.edit);
    text += line(QStringLiteral("raw Redis PUBLISH -> message"), r.raw);
    text += QStringLiteral("  goal: p99 under 100 ms on loopback; %1 edits arrived other than by "
                           "notification\n")
                .arg(r.byPoll);
    return text;
}

} // namespace tmdash
