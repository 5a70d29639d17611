#include "syncbench.h"

#include "clock.h"
#include "database.h"
#include "ids.h"
#include "outbox.h"
#include "patientcodec.h"
#include "recordtable.h"
#include "synchronizer.h"
#include "transaction.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QUrl>

#include <sqlite3.h>

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

// Drops the scratch central when the benchmark ends, however it ends.
class ScratchCentral
{
public:
    ScratchCentral(const Database &admin, QString name) : m_admin(admin), m_name(std::move(name)) {}
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
};

} // namespace

Result<SyncBenchResult> runSyncBench(const SyncBenchOptions &options,
                                     const std::function<void(const QString &)> &progress)
{
    SyncBenchResult result;
    result.changes = options.changes;
    auto admin = Database::open(options.adminUrl, QStringLiteral("bench-admin"));
    if (!admin)
        return admin.error();
    if (admin->isSqlite())
        return Error::invalid(QStringLiteral("central"), QStringLiteral("not_postgresql"),
                              QStringLiteral("bench sync needs a PostgreSQL URL (--central)"));
    const QString name = QStringLiteral("tmdash_bench_") + newUuidV7().right(12);
    if (Status s = exec(*admin, QStringLiteral("CREATE DATABASE ") + name); !s) {
        Database a = *admin;
        a.close();
        return s.error();
    }
    ScratchCentral scratch(*admin, name);
    QUrl url(options.adminUrl);
    url.setPath(QLatin1Char('/') + name);
    auto central = Database::open(url.toString(), QStringLiteral("bench-central"));
    if (!central)
        return central.error();
    scratch.m_central = *central;
    if (Status s = central->migrateToLatest(); !s)
        return s.error();
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

} // namespace tmdash
