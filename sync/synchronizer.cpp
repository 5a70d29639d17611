#include "synchronizer.h"

#include "clinicroles.h"
#include "clock.h"
#include "faultpoint.h"
#include "ids.h"
#include "livestate.h"
#include "outbox.h"
#include "patientlookup.h"
#include "redisclient.h"
#include "remoteapply.h"
#include "syncresolution.h"
#include "syncstate.h"
#include "transaction.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QThread>

#include <optional>

namespace tmdash {

namespace {

using SqlRows = QList<QVariantList>;

// Runs one statement; the rows as lists of column values.
Result<SqlRows> query(const Database &db, const QString &sql, const QVariantMap &binds = {})
{
    QSqlQuery q(db.connection());
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return Error::storage(q.lastError().text());
    for (auto it = binds.cbegin(); it != binds.cend(); ++it)
        q.bindValue(QLatin1Char(':') + it.key(), it.value());
    if (!q.exec())
        return Error::storage(q.lastError().text().trimmed());
    SqlRows rows;
    const int columns = q.record().count();
    while (q.next()) {
        QVariantList row;
        row.reserve(columns);
        for (int i = 0; i < columns; ++i)
            row << q.value(i);
        rows << row;
    }
    return rows;
}

// A value of the central's to_jsonb() in its Row form (row.h): instants in the canonical UTC
// text, times as HH:MM, JSON documents as they are.
// The central renders instants in UTC ("2026-02-01T09:00:00.5+00:00", SET TimeZone in the
// functions): rewritten as text when it has that shape, parsed otherwise.
std::optional<QString> utcInstantText(const QString &text)
{
    if (text.size() < 25 || !text.endsWith(QLatin1String("+00:00")) || text.at(10) != u'T')
        return std::nullopt;
    QString out = text.left(19);
    QString fraction = text.mid(19, text.size() - 25); // "" or ".5" or ".123456"
    if (!fraction.isEmpty() && (fraction.at(0) != u'.' || fraction.size() < 2))
        return std::nullopt;
    fraction = fraction.isEmpty() ? QStringLiteral(".000") : fraction.left(4).leftJustified(4, u'0');
    return out + fraction + QLatin1Char('Z');
}

QJsonValue fromCentral(const QJsonValue &value, ColumnType type)
{
    if (value.isNull() || value.isUndefined())
        return QJsonValue::Null;
    if (type == ColumnType::Instant)
        if (auto text = utcInstantText(value.toString()))
            return *text;
    switch (type) {
    case ColumnType::Json:
        return value;
    case ColumnType::Integer:
    case ColumnType::Real:
        return value.isString() ? rowValueFromDb(value.toString(), type) : value;
    case ColumnType::Bool:
        return value.isBool() ? value : rowValueFromDb(value.toVariant(), type);
    default:
        return rowValueFromDb(value.toVariant(), type);
    }
}

Row rowFromCentral(const TableSpec &spec, const QJsonObject &json)
{
    Row row;
    for (const ColumnSpec &c : spec.columns)
        row.insert(c.name.toString(), fromCentral(json.value(c.name), c.type));
    return row;
}

QJsonObject mutationJson(const OutboxEntry &e)
{
    return QJsonObject{{QStringLiteral("mutation_id"), e.mutation_id},
                       {QStringLiteral("entity"), e.entity},
                       {QStringLiteral("entity_id"), e.entity_id},
                       {QStringLiteral("op"), toString(e.op)},
                       {QStringLiteral("base_version"), double(e.base_version)},
                       {QStringLiteral("changes"), e.changes},
                       {QStringLiteral("actor_id"), e.actor_id.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                         : QJsonValue(e.actor_id)},
                       {QStringLiteral("device_id"), e.device_id},
                       {QStringLiteral("protocol"), e.protocol},
                       {QStringLiteral("created_at"), e.created_at}};
}

QVariant nullUuid()
{
    return QVariant(QMetaType::fromType<QString>());
}

class Run
{
public:
    // `central`: the connection kept between runs (opened here when closed, closed again when
    // the run fails, so that the next one reconnects); `prepared`: the local schema was checked.
    Run(const Database &local, const SyncOptions &options, Database &central, bool &prepared)
        : m_local(local), m_options(options), m_central(central), m_prepared(prepared)
    {
    }
    Run(const Run &) = delete;
    Run &operator=(const Run &) = delete;

    Result<SyncReport> exec();

private:
    Status connect();
    Status bindClinic();
    Status checkIdentity();
    Status push();
    Status acknowledge(const QList<OutboxEntry> &sent, const QJsonArray &results,
                       const QStringList &resolved);
    Status pull();
    Result<SqlRows> fetchPage();
    Result<bool> changesHeldBack();
    Status applyPages(SqlRows rows);
    Status applyPage(const SqlRows &rows);
    Status reportMissing();
    Result<bool> hasPendingWork();
    void announce();
    void updateLiveState();
    Status checkCancelled() const
    {
        if (m_options.cancelled && m_options.cancelled())
            return Error::storage(QStringLiteral("sync cancelled"));
        return {};
    }
    void progress(const QString &message) const
    {
        if (m_options.progress)
            m_options.progress(message);
    }

    Database m_local;
    SyncOptions m_options;
    Database &m_central;
    bool &m_prepared;
    SyncReport m_report;
    QString m_clinic;          // the clinic this run exchanges
    QVariant m_clinicArgument; // what push and pull name: NULL for a clinic role's connection
    bool m_resync = false;
    QStringList m_pushedPatients; // for the lookup cache
    QString m_systemIdentifier;
    quint64 m_centralXid = 0;
};

Result<SyncReport> Run::exec()
{
    if (!m_prepared) {
        if (Status s = m_local.migrateToLatest(); !s)
            return s.error();
        m_prepared = true;
    }
    auto demo = syncStateValue(m_local, QString::fromLatin1(kStateDemo));
    if (!demo)
        return demo.error();
    if (*demo == QLatin1String("1"))
        return Error::incompatible(QStringLiteral(
            "this database holds demo data (tmdashctl seed) and never syncs: set up the desktop "
            "with an empty database instead"));
    if (Status s = connect(); !s)
        return s.error();
    if (Status s = bindClinic(); !s)
        return s.error();
    if (Status s = checkIdentity(); !s)
        return s.error();
    // Push, pull, and again while the desktop wrote something meanwhile (bounded: a desktop
    // that never stops writing is caught up by the next run).
    for (int round = 0; round < 5; ++round) {
        QElapsedTimer timer;
        timer.start();
        const int pushedBefore = m_report.pushed;
        if (Status s = push(); !s)
            return s.error();
        m_report.pushSeconds += double(timer.nsecsElapsed()) / 1e9;
        if (m_report.pushed > pushedBefore)
            announce();
        timer.restart();
        if (Status s = pull(); !s)
            return s.error();
        m_report.pullSeconds += double(timer.nsecsElapsed()) / 1e9;
        if (m_resync && !m_report.stalled) {
            if (Status s = reportMissing(); !s)
                return s.error();
            m_resync = false;
        }
        auto more = hasPendingWork();
        if (!more)
            return more.error();
        if (!*more || m_report.stalled)
            break;
    }
    updateLiveState();
    return m_report;
}

Status Run::connect()
{
    if (m_options.centralUrl.isEmpty())
        return Error::invalid(QStringLiteral("central"), QStringLiteral("required"),
                              QStringLiteral("no central: pass --central URL or set TMDASH_CENTRAL"));
    if (m_central.connectionName().isEmpty()) {
        auto central = Database::open(m_options.centralUrl, QStringLiteral("sync-central-") + newUuidV7());
        if (!central)
            return central.error();
        m_central = *central;
        if (m_central.isSqlite()) {
            m_central.close();
            return Error::invalid(QStringLiteral("central"), QStringLiteral("not_postgresql"),
                                  QStringLiteral("the central is a PostgreSQL URL (postgresql://...)"));
        }
    }
    auto identity = query(m_central, QStringLiteral("SELECT system_identifier::text, current_xid::text "
                                                    "FROM tmdash_central_identity()"));
    if (!identity)
        return Error::storage(QStringLiteral("the central does not answer as a TMDash central "
                                             "(is it migrated?): ")
                              + identity.error().message);
    m_systemIdentifier = identity->first().at(0).toString();
    m_centralXid = identity->first().at(1).toString().toULongLong();
    return {};
}

Status Run::bindClinic()
{
    auto roleClinic = sessionClinic(m_central);
    if (!roleClinic)
        return roleClinic.error();
    auto bound = syncStateValue(m_local, QString::fromLatin1(kStateClinic));
    if (!bound)
        return bound.error();
    const QString named = m_options.clinic;
    if (!roleClinic->isNull() && !named.isEmpty() && named != roleClinic->value)
        return Error::notPermitted(QStringLiteral("this connection's role belongs to clinic %1, "
                                                  "not %2")
                                       .arg(roleClinic->value, named));
    m_clinic = !roleClinic->isNull() ? roleClinic->value : !named.isEmpty() ? named : *bound;
    m_clinicArgument = roleClinic->isNull() ? QVariant(m_clinic) : nullUuid();
    if (m_clinic.isEmpty())
        return Error::invalid(QStringLiteral("clinic"), QStringLiteral("required"),
                              QStringLiteral("an owner or administrator connection names the clinic "
                                             "to sync: pass --clinic ID"));
    if (!bound->isEmpty() && *bound != m_clinic)
        return Error::invalid(QStringLiteral("clinic"), QStringLiteral("other_clinic"),
                              QStringLiteral("this desktop belongs to clinic %1, not %2")
                                  .arg(*bound, m_clinic));
    m_report.clinicId = m_clinic;
    if (!bound->isEmpty())
        return {};
    // First sync: the desktop may hold nothing of another clinic.
    auto others = query(m_local, QStringLiteral("SELECT id FROM clinics WHERE id <> :c LIMIT 1"),
                        {{QStringLiteral("c"), m_clinic}});
    if (!others)
        return others.error();
    if (!others->isEmpty())
        return Error::invalid(QStringLiteral("clinic"), QStringLiteral("other_clinic"),
                              QStringLiteral("this database holds clinic %1; a desktop replicates "
                                             "one clinic")
                                  .arg(others->first().first().toString()));
    auto known = query(m_central, QStringLiteral("SELECT 1 FROM clinics WHERE id = CAST(:c AS uuid)"),
                       {{QStringLiteral("c"), m_clinic}});
    if (!known)
        return known.error();
    if (known->isEmpty())
        return Error::notFound(QStringLiteral("the central has no clinic %1 (or this connection "
                                              "may not see it)")
                                   .arg(m_clinic));
    m_report.firstSync = true;
    progress(QStringLiteral("first sync: this desktop now belongs to clinic %1").arg(m_clinic));
    return setSyncStateValue(m_local, QString::fromLatin1(kStateClinic), m_clinic);
}

Status Run::checkIdentity()
{
    auto cursor = readCursor(m_local);
    if (!cursor)
        return cursor.error();
    auto stored = syncStateValue(m_local, QString::fromLatin1(kStateSystemIdentifier));
    if (!stored)
        return stored.error();
    auto pending = syncStateValue(m_local, QString::fromLatin1(kStateResync));
    if (!pending)
        return pending.error();
    const bool replaced = !stored->isEmpty() && *stored != m_systemIdentifier;
    const bool restored = cursor->xid > m_centralXid;
    Transaction tx(m_local);
    if (!tx.started())
        return tx.started();
    if (replaced || restored) {
        progress(replaced ? QStringLiteral("the central is another database than last time: full resync")
                          : QStringLiteral("the central was restored from a backup: full resync"));
        if (Status s = writeCursor(m_local, 0, 0); !s)
            return s;
        if (Status s = setSyncStateValue(m_local, QString::fromLatin1(kStateResync), QStringLiteral("1")); !s)
            return s;
        m_resync = true;
    } else {
        m_resync = *pending == QLatin1String("1");
    }
    if (Status s = setSyncStateValue(m_local, QString::fromLatin1(kStateSystemIdentifier), m_systemIdentifier); !s)
        return s;
    m_report.resynced = m_resync;
    return tx.commit();
}

Status Run::push()
{
    auto device = deviceId(m_local);
    if (!device)
        return device.error();
    for (;;) {
        if (Status s = checkCancelled(); !s)
            return s;
        auto entries = outboxEntries(m_local, true, m_options.pushBatch);
        if (!entries)
            return entries.error();
        auto resolved = resolvedMutations(m_local);
        if (!resolved)
            return resolved.error();
        if (entries->isEmpty() && resolved->isEmpty())
            return {};
        QJsonArray mutations;
        for (const OutboxEntry &e : *entries)
            mutations.append(mutationJson(e));
        const QJsonObject batch{{QStringLiteral("protocol"), kSyncProtocolVersion},
                                {QStringLiteral("device_id"), *device},
                                {QStringLiteral("mutations"), mutations},
                                {QStringLiteral("resolved"), QJsonArray::fromStringList(*resolved)}};
        syncFaultPoint("before_send");
        auto answer = query(m_central,
                            QStringLiteral("SELECT tmdash_push(CAST(:b AS jsonb), CAST(:c AS uuid))::text"),
                            {{QStringLiteral("b"), QString::fromUtf8(QJsonDocument(batch).toJson(
                                                       QJsonDocument::Compact))},
                             {QStringLiteral("c"), m_clinicArgument}});
        if (!answer)
            return answer.error();
        const QJsonObject result =
            QJsonDocument::fromJson(answer->first().first().toString().toUtf8()).object();
        if (result.value(u"error").toString() == QLatin1String("upgrade_required"))
            return Error::incompatible(QStringLiteral("upgrade required: ")
                                       + result.value(u"message").toString()
                                       + QStringLiteral(" The outbox is kept."));
        const QJsonArray results = result.value(u"results").toArray();
        if (results.size() != entries->size())
            return Error::storage(QStringLiteral("the central answered %1 results for %2 mutations")
                                      .arg(results.size())
                                      .arg(entries->size()));
        syncFaultPoint("after_central_commit");
        if (Status s = acknowledge(*entries, results, *resolved); !s)
            return s;
        m_report.pushed += int(entries->size());
        if (!entries->isEmpty())
            progress(QStringLiteral("pushed %1 changes").arg(m_report.pushed));
    }
}

Status Run::acknowledge(const QList<OutboxEntry> &sent, const QJsonArray &results,
                        const QStringList &resolved)
{
    Transaction tx(m_local);
    if (!tx.started())
        return tx.started();
    RemoteApplier applier(m_local);
    if (Status s = applier.begin(); !s)
        return s;
    for (qsizetype i = 0; i < sent.size(); ++i) {
        const OutboxEntry &entry = sent.at(i);
        const QJsonObject r = results.at(i).toObject();
        if (r.value(u"mutation_id").toString() != entry.mutation_id)
            return Error::storage(QStringLiteral("the central answered out of order (%1 for %2)")
                                      .arg(r.value(u"mutation_id").toString(), entry.mutation_id));
        const QString status = r.value(u"status").toString();
        if (entry.entity == QLatin1String("patients"))
            m_pushedPatients << entry.entity_id;
        if (status == QLatin1String("rejected")) {
            ++m_report.rejected;
            if (Status s = rejectOutbox(m_local, entry.mutation_id, r.value(u"reason").toString()); !s)
                return s;
        } else {
            ++m_report.applied;
            if (Status s = acknowledgeOutbox(m_local, entry.mutation_id); !s)
                return s;
        }
        for (const QJsonValue &c : r.value(u"conflicts").toArray()) {
            const QJsonObject conflict = c.toObject();
            ++m_report.conflicts;
            SyncConflict recorded;
            recorded.id = conflict.value(u"id").toString();
            recorded.entity = entry.entity;
            recorded.entity_id = entry.entity_id;
            recorded.field = conflict.value(u"field").toString();
            recorded.local_value = conflict.value(u"local_new");
            recorded.central_value = conflict.value(u"central_value");
            recorded.mutation_id = entry.mutation_id;
            if (Status s = recordConflict(m_local, recorded); !s)
                return s;
        }
        // The record becomes the central's answer, unless more local changes of it are still
        // to be pushed (their acknowledgement brings it then).
        auto later = hasPendingOutbox(m_local, entry.entity_id);
        if (!later)
            return later.error();
        if (*later)
            continue;
        const TableSpec *spec = tableSpec(entry.entity);
        if (!spec)
            continue;
        if (r.value(u"row").isObject()) {
            auto applied = applier.apply(entry.entity, rowFromCentral(*spec, r.value(u"row").toObject()),
                                         ReplaceWhen::NotOlder);
            if (!applied)
                return applied.error();
        } else if (auto removed = applier.removeAbsent(entry.entity, entry.entity_id); !removed) {
            return removed.error();
        }
        m_report.changedRecords[entry.entity] << entry.entity_id;
    }
    if (Status s = forgetResolvedMutations(m_local, resolved); !s)
        return s;
    if (Status s = applier.end(); !s)
        return s;
    return tx.commit();
}

Result<SqlRows> Run::fetchPage()
{
    auto cursor = readCursor(m_local);
    if (!cursor)
        return cursor.error();
    return query(m_central,
                 QStringLiteral("SELECT xid::text, id, entity, entity_id::text, row::text "
                                "FROM tmdash_pull(CAST(:x AS xid8), :i, :n, CAST(:c AS uuid))"),
                 {{QStringLiteral("x"), QString::number(cursor->xid)},
                  {QStringLiteral("i"), cursor->id},
                  {QStringLiteral("n"), m_options.pullPage},
                  {QStringLiteral("c"), m_clinicArgument}});
}

Result<bool> Run::changesHeldBack()
{
    auto cursor = readCursor(m_local);
    if (!cursor)
        return cursor.error();
    auto held = query(m_central,
                      QStringLiteral("SELECT 1 FROM change_log WHERE clinic_id = CAST(:c AS uuid) "
                                     "AND (xid, id) > (CAST(:x AS xid8), :i) LIMIT 1"),
                      {{QStringLiteral("x"), QString::number(cursor->xid)},
                       {QStringLiteral("i"), cursor->id},
                       {QStringLiteral("c"), m_clinic}});
    if (!held)
        return held.error();
    return !held->isEmpty();
}

Status Run::pull()
{
    QElapsedTimer waiting;
    for (;;) {
        if (Status s = checkCancelled(); !s)
            return s;
        auto rows = fetchPage();
        if (!rows)
            return rows.error();
        if (!rows->isEmpty()) {
            waiting.invalidate();
            if (Status s = applyPages(*rows); !s)
                return s;
            progress(QStringLiteral("pulled %1 changes").arg(m_report.pulled));
            continue;
        }
        // Nothing pullable: done, unless changes wait behind a transaction still open.
        auto held = changesHeldBack();
        if (!held)
            return held.error();
        if (!*held) {
            m_report.stalled = false;
            return {};
        }
        if (!waiting.isValid())
            waiting.start();
        if (waiting.elapsed() >= qint64(m_options.stallSeconds) * 1000) {
            m_report.stalled = true;
            progress(QStringLiteral("pull stalled: changes wait behind a transaction open on the "
                                    "central for %1 s")
                         .arg(waiting.elapsed() / 1000));
            return {};
        }
        QThread::msleep(200);
    }
}

Status Run::applyPages(SqlRows rows)
{
    Transaction tx(m_local);
    if (!tx.started())
        return tx.started();
    const RemoteApplier applier(m_local);
    for (;;) {
        if (Status s = applier.begin(); !s)
            return s;
        if (Status s = applyPage(rows); !s)
            return s;
        if (Status s = applier.end(); !s)
            return s;
        Status committed = tx.commit();
        if (committed || !committed.error().message.contains(QLatin1String("FOREIGN KEY")))
            return committed;
        // A row points at one that is not here yet: its parent was committed on the central
        // after it (a higher xid), so it is on a later page. Take that page into this
        // transaction, which stays open after the refused COMMIT.
        auto next = fetchPage();
        if (!next)
            return next.error();
        if (next->isEmpty())
            return Error::storage(QStringLiteral("pulled rows point at records the central has "
                                                 "not sent yet; the next sync retries"));
        rows = *next;
    }
}

Status Run::applyPage(const SqlRows &rows)
{
    RemoteApplier applier(m_local);
    auto pendingRecords = pendingOutboxRecords(m_local);
    if (!pendingRecords)
        return pendingRecords.error();
    const QSet<QString> &pending = *pendingRecords;
    const ReplaceWhen when = m_resync ? ReplaceWhen::Always : ReplaceWhen::Newer;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (i == rows.size() / 2)
            syncFaultPoint("mid_pull_page");
        const QVariantList &r = rows.at(i);
        const QString entity = r.at(2).toString();
        if (pending.contains(r.at(3).toString())) {
            ++m_report.skipped;
            continue;
        }
        const TableSpec *spec = tableSpec(entity);
        if (!spec || !spec->synced)
            return Error::incompatible(QStringLiteral("the central sends changes of '%1', which this "
                                                      "program does not know: upgrade TMDash Clinic")
                                           .arg(entity));
        const QJsonObject json = QJsonDocument::fromJson(r.at(4).toString().toUtf8()).object();
        auto applied = applier.apply(entity, rowFromCentral(*spec, json), when);
        if (!applied)
            return applied.error();
        ++m_report.pulled;
        if (*applied)
            m_report.changedRecords[entity] << r.at(3).toString();
    }
    const QVariantList &last = rows.last();
    return writeCursor(m_local, last.at(0).toString().toULongLong(), last.at(1).toLongLong());
}

Status Run::reportMissing()
{
    QStringList missing;
    for (const TableSpec &spec : allTableSpecs()) {
        if (!spec.synced)
            continue;
        const QString table = spec.name.toString();
        const QString where = table == QLatin1String("clinics") ? QStringLiteral("id = CAST(:c AS uuid)")
                                                                : QStringLiteral("clinic_id = CAST(:c AS uuid)");
        auto central = query(m_central, QStringLiteral("SELECT id::text FROM %1 WHERE %2").arg(table, where),
                             {{QStringLiteral("c"), m_clinic}});
        if (!central)
            return central.error();
        QSet<QString> there;
        for (const QVariantList &r : *central)
            there.insert(r.first().toString());
        auto local = query(m_local,
                           QStringLiteral("SELECT id FROM %1 t WHERE NOT EXISTS (SELECT 1 FROM outbox o "
                                          "WHERE o.entity_id = t.id)")
                               .arg(table));
        if (!local)
            return local.error();
        for (const QVariantList &r : *local)
            if (!there.contains(r.first().toString()))
                missing << table + QLatin1Char(' ') + r.first().toString();
    }
    m_report.missingOnCentral = missing;
    Transaction tx(m_local);
    if (!tx.started())
        return tx.started();
    if (Status s = setSyncStateValue(m_local, QString::fromLatin1(kStateMissing), missing.join(QLatin1Char('\n'))); !s)
        return s;
    if (Status s = setSyncStateValue(m_local, QString::fromLatin1(kStateResync), QString()); !s)
        return s;
    if (!missing.isEmpty())
        progress(QStringLiteral("%1 local records are not on the central; they are kept (tmdashctl "
                                "sync status lists them)")
                     .arg(missing.size()));
    return tx.commit();
}

// Tells the clinic's other desktops that the central changed (DESIGN.md: Redis is a hint; a
// failure is reported and the desktops' polls catch up).
void Run::announce()
{
    if (m_options.redisUrl.isEmpty())
        return;
    auto device = deviceId(m_local);
    const QJsonObject message{{QStringLiteral("clinic_id"), m_clinic},
                              {QStringLiteral("device_id"), device ? *device : QString()}};
    if (Status s = redisPublish(m_options.redisUrl, clinicChangeChannel(m_clinic),
                                QJsonDocument(message).toJson(QJsonDocument::Compact));
        !s)
        m_report.redisError = s.error().message;
}

// What Redis keeps for the clinic follows what this run changed: cached organization-wide
// lookups that may hold a pushed patient are dropped, the waiting-room board re-reads the
// appointments that changed. Failures are reported; the next run (or the TTLs) catch up.
void Run::updateLiveState()
{
    if (m_options.redisUrl.isEmpty())
        return;
    const auto note = [this](const Status &s) {
        if (!s && m_report.redisError.isEmpty())
            m_report.redisError = s.error().message;
    };
    if (!m_pushedPatients.isEmpty())
        note(invalidateLookups(m_options.redisUrl, m_local, m_pushedPatients));
    const QStringList appointments = m_report.changedRecords.value(QStringLiteral("appointments"));
    if (!appointments.isEmpty())
        note(refreshWaitingRoom(m_options.redisUrl, m_local, ClinicId(m_clinic), appointments));
}

Result<bool> Run::hasPendingWork()
{
    auto entries = outboxEntries(m_local, true, 1);
    if (!entries)
        return entries.error();
    auto resolved = resolvedMutations(m_local);
    if (!resolved)
        return resolved.error();
    return !entries->isEmpty() || !resolved->isEmpty();
}

} // namespace

SyncOptions SyncOptions::fromEnvironment()
{
    SyncOptions options;
    options.centralUrl = qEnvironmentVariable("TMDASH_CENTRAL");
    options.redisUrl = qEnvironmentVariable("TMDASH_REDIS");
    const auto positive = [](const char *name, int fallback) {
        bool ok = false;
        const int value = qEnvironmentVariableIntValue(name, &ok);
        return ok && value > 0 ? value : fallback;
    };
    options.stallSeconds = positive("TMDASH_PULL_STALL_SECONDS", options.stallSeconds);
    options.pushBatch = positive("TMDASH_SYNC_PUSH_BATCH", options.pushBatch);
    options.pullPage = positive("TMDASH_SYNC_PULL_PAGE", options.pullPage);
    return options;
}

Synchronizer::Synchronizer(const Database &local, SyncOptions options)
    : m_local(local), m_options(std::move(options))
{
}

Synchronizer::~Synchronizer()
{
    m_central.close();
}

Result<SyncReport> Synchronizer::runOnce()
{
    if (!m_local.isSqlite())
        return Error::invalid(QStringLiteral("db"), QStringLiteral("not_desktop"),
                              QStringLiteral("sync runs on a desktop database (sqlite:PATH); the "
                                             "central is --central"));
    // One sync per database at a time; a lock left by a killed process is taken over.
    QLockFile lock(m_local.connection().databaseName() + QStringLiteral(".sync-lock"));
    lock.setStaleLockTime(0);
    if (!lock.tryLock(60000))
        return Error::storage(QStringLiteral("another sync of this database is still running"));
    auto report = Run(m_local, m_options, m_central, m_prepared).exec();
    if (!report)
        m_central.close(); // whatever went wrong, the next run starts on a fresh connection
    if (Status s = recordOutcome(m_local, report ? Status() : Status(report.error()),
                                 report && report->stalled);
        !s && report)
        return s.error();
    return report;
}

} // namespace tmdash
