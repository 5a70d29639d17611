#include "outbox.h"

#include "clock.h"
#include "enumnames.h"
#include "recordtable.h"
#include "sqlitestatement.h"
#include "transaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace tmdash {

Status appendOutbox(const Database &db, OutboxEntry entry)
{
    auto device = deviceId(db);
    if (!device)
        return device.error();
    // The outbox is a desktop's: every local write appends one row, bound straight from the
    // entry (sqlitestatement.h).
    QString error;
    SqliteStatement *insert = SqliteStatement::cached(
        db,
        QStringLiteral("INSERT INTO outbox (mutation_id, entity, entity_id, op, base_version, "
                       "changes, actor_id, device_id, protocol, created_at, status) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'pending')"),
        &error);
    if (!insert)
        return Error::storage(error);
    insert->bindText(1, entry.mutation_id.isEmpty() ? newUuidV7() : entry.mutation_id);
    insert->bindText(2, entry.entity);
    insert->bindText(3, entry.entity_id);
    insert->bindText(4, toString(entry.op));
    insert->bindInt64(5, entry.base_version);
    insert->bind(6, entry.changes, ColumnType::Json);
    insert->bindTextOrNull(7, entry.actor_id);
    insert->bindText(8, *device);
    insert->bindInt64(9, entry.protocol);
    insert->bindText(10, formatInstant(nowUtc()));
    if (!insert->run())
        return sqlError(QStringLiteral("outbox"), insert->errorText());
    return {};
}

Result<QList<OutboxEntry>> outboxEntries(const Database &db, bool pendingOnly, int limit)
{
    auto rows = RecordTable(db, u"outbox").select(pendingOnly ? QStringLiteral("status = 'pending'") : QString(),
                                                  {}, QStringLiteral("seq"), limit);
    if (!rows)
        return rows.error();
    QList<OutboxEntry> out;
    for (const Row &r : *rows) {
        OutboxEntry e;
        e.seq = qint64(r.value(u"seq").toDouble());
        e.mutation_id = rowText(r, u"mutation_id");
        e.entity = rowText(r, u"entity");
        e.entity_id = rowText(r, u"entity_id");
        e.op = enumFromString<OutboxOp>(rowText(r, u"op")).value_or(OutboxOp::Update);
        e.base_version = qint64(r.value(u"base_version").toDouble());
        e.changes = r.value(u"changes").toObject();
        e.actor_id = rowText(r, u"actor_id");
        e.device_id = rowText(r, u"device_id");
        e.protocol = rowInt(r, u"protocol").value_or(0);
        e.created_at = rowText(r, u"created_at");
        e.status = rowText(r, u"status");
        e.error = rowText(r, u"error");
        out << e;
    }
    return out;
}

Result<QString> syncStateValue(const Database &db, const QString &key)
{
    QSqlQuery q(db.connection());
    q.prepare(QStringLiteral("SELECT value FROM sync_state WHERE key = :key"));
    q.bindValue(QStringLiteral(":key"), key);
    if (!q.exec())
        return Error::storage(q.lastError().text());
    return q.next() ? q.value(0).toString() : QString();
}

Status setSyncStateValue(const Database &db, const QString &key, const QString &value)
{
    QSqlQuery q(db.connection());
    q.prepare(QStringLiteral("INSERT INTO sync_state (key, value) VALUES (:key, :value) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    q.bindValue(QStringLiteral(":key"), key);
    q.bindValue(QStringLiteral(":value"), value);
    if (!q.exec())
        return Error::storage(q.lastError().text());
    return {};
}

Result<QString> deviceId(const Database &db)
{
    if (!db.isSqlite())
        return QStringLiteral("central");
    // Every outbox row and audit entry names it: read once per transaction.
    thread_local TransactionScoped<QString> known;
    if (const QString *id = known.find(db))
        return *id;
    auto stored = syncStateValue(db, QStringLiteral("device_id"));
    if (!stored)
        return stored;
    QString id = *stored;
    if (id.isEmpty()) {
        id = newUuidV7();
        if (Status s = setSyncStateValue(db, QStringLiteral("device_id"), id); !s)
            return s.error();
    }
    known.keep(db, id);
    return id;
}

namespace {

const QString kResolvedKey = QStringLiteral("resolved_mutations");

Status storeResolved(const Database &db, const QStringList &ids)
{
    return setSyncStateValue(db, kResolvedKey,
                             QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(ids))
                                                   .toJson(QJsonDocument::Compact)));
}

} // namespace

namespace {

Status run(QSqlQuery &q)
{
    if (!q.exec())
        return Error::storage(q.lastError().text());
    return {};
}

} // namespace

Status acknowledgeOutbox(const Database &db, const QString &mutationId)
{
    QSqlQuery q(db.connection());
    q.prepare(QStringLiteral("DELETE FROM outbox WHERE mutation_id = :m"));
    q.bindValue(QStringLiteral(":m"), mutationId);
    return run(q);
}

Status rejectOutbox(const Database &db, const QString &mutationId, const QString &reason)
{
    QSqlQuery q(db.connection());
    q.prepare(QStringLiteral("UPDATE outbox SET status = 'rejected', error = :e WHERE mutation_id = :m"));
    q.bindValue(QStringLiteral(":e"), reason);
    q.bindValue(QStringLiteral(":m"), mutationId);
    return run(q);
}

Result<bool> hasPendingOutbox(const Database &db, const QString &entityId)
{
    QSqlQuery q(db.connection());
    q.prepare(QStringLiteral("SELECT 1 FROM outbox WHERE entity_id = :id AND status = 'pending' LIMIT 1"));
    q.bindValue(QStringLiteral(":id"), entityId);
    if (Status s = run(q); !s)
        return s.error();
    return q.next();
}

Result<QSet<QString>> pendingOutboxRecords(const Database &db)
{
    QSqlQuery q(db.connection());
    q.prepare(QStringLiteral("SELECT DISTINCT entity_id FROM outbox WHERE status = 'pending'"));
    if (Status s = run(q); !s)
        return s.error();
    QSet<QString> ids;
    while (q.next())
        ids.insert(q.value(0).toString());
    return ids;
}

Result<QStringList> resolvedMutations(const Database &db)
{
    auto stored = syncStateValue(db, kResolvedKey);
    if (!stored)
        return stored.error();
    QStringList ids;
    for (const QJsonValue &v : QJsonDocument::fromJson(stored->toUtf8()).array())
        ids << v.toString();
    return ids;
}

Status markMutationResolved(const Database &db, const QString &mutationId)
{
    auto ids = resolvedMutations(db);
    if (!ids)
        return ids.error();
    QStringList list = *ids;
    if (!list.contains(mutationId))
        list << mutationId;
    return storeResolved(db, list);
}

Status forgetResolvedMutations(const Database &db, const QStringList &sent)
{
    auto ids = resolvedMutations(db);
    if (!ids)
        return ids.error();
    QStringList list = *ids;
    for (const QString &id : sent)
        list.removeAll(id);
    return storeResolved(db, list);
}

} // namespace tmdash
