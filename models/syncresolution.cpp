#include "syncresolution.h"

#include "auditlog.h"
#include "clock.h"
#include "recordeditor.h"
#include "recordwriter.h"
#include "transaction.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace tmdash {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Sync", text);
}

// A JSON value stored as text (the conflicts table holds scalars too, which QJsonDocument alone
// does not parse).
// A JSON value as the JSON document the conflicts table holds (QJsonDocument writes only
// objects and arrays: write [value] and take the brackets off).
QString jsonText(const QJsonValue &value)
{
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

QJsonValue jsonFromText(const QVariant &text)
{
    if (text.isNull())
        return QJsonValue::Null;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray("[" + text.toString().toUtf8() + "]"));
    return doc.isArray() && !doc.array().isEmpty() ? doc.array().first()
                                                   : QJsonValue(QJsonValue::Null);
}

const QString kConflictColumns = QStringLiteral(
    "id, entity, entity_id, field, local_value, central_value, mutation_id, detected_at, "
    "resolved_at, resolution");

SyncConflict conflictFromQuery(const QSqlQuery &q)
{
    SyncConflict c;
    c.id = q.value(0).toString();
    c.entity = q.value(1).toString();
    c.entity_id = q.value(2).toString();
    c.field = q.value(3).toString();
    c.local_value = jsonFromText(q.value(4));
    c.central_value = jsonFromText(q.value(5));
    c.mutation_id = q.value(6).toString();
    c.detected_at = parseInstant(q.value(7).toString()).value_or(QDateTime());
    if (!q.value(8).isNull())
        c.resolved_at = parseInstant(q.value(8).toString());
    c.resolution = enumFromString<ConflictResolution>(q.value(9).toString());
    return c;
}

OutboxEntry outboxEntryFromRow(const Row &r)
{
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
    return e;
}

Status execBound(const Database &db, const QString &sql, const QVariantMap &binds)
{
    QSqlQuery q(db.connection());
    q.prepare(sql);
    for (auto it = binds.constBegin(); it != binds.constEnd(); ++it)
        q.bindValue(QLatin1Char(':') + it.key(), it.value());
    if (!q.exec())
        return Error::storage(q.lastError().text());
    return {};
}

// The row a refused insert would have created: its domain columns (bookkeeping left to the
// store that writes it again).
Row insertedColumns(const QJsonObject &changes)
{
    Row row;
    for (auto it = changes.constBegin(); it != changes.constEnd(); ++it)
        if (!isBookkeepingColumn(it.key()) && it.key() != u"deleted_at")
            row.insert(it.key(), it.value());
    return row;
}

// {field: new value} of an update's or a state change's {field: {"old", "new"}}.
QJsonObject newValues(const QJsonObject &changes)
{
    QJsonObject out;
    for (auto it = changes.constBegin(); it != changes.constEnd(); ++it)
        if (!isBookkeepingColumn(it.key()))
            out.insert(it.key(), it.value().toObject().value(u"new"));
    return out;
}

} // namespace

Status recordConflict(const Database &db, const SyncConflict &c)
{
    QSqlQuery q(db.connection());
    q.prepare(QStringLiteral("INSERT INTO conflicts (id, entity, entity_id, field, local_value, central_value, "
                             "mutation_id, detected_at) VALUES (:id, :entity, :entity_id, :field, :local, "
                             ":central, :m, :at) ON CONFLICT (id) DO NOTHING"));
    q.bindValue(QStringLiteral(":id"), c.id);
    q.bindValue(QStringLiteral(":entity"), c.entity);
    q.bindValue(QStringLiteral(":entity_id"), c.entity_id);
    q.bindValue(QStringLiteral(":field"), c.field);
    q.bindValue(QStringLiteral(":local"), jsonText(c.local_value));
    q.bindValue(QStringLiteral(":central"), jsonText(c.central_value));
    q.bindValue(QStringLiteral(":m"), c.mutation_id);
    q.bindValue(QStringLiteral(":at"), formatInstant(nowUtc()));
    if (!q.exec())
        return Error::storage(q.lastError().text());
    return {};
}


Status SyncResolutionStore::permitHandling() const
{
    if (m_actor.isPatient())
        return Error::notPermitted(
            tr("The patient role may not handle sync conflicts and rejections."));
    return {};
}

Result<bool> SyncResolutionStore::recordInScope(const QString &entity, const QString &entityId,
                                                const Row &absentRow) const
{
    if (!m_actor.isPerson())
        return true;
    const TableSpec *spec = tableSpec(entity);
    if (!spec || !spec->synced)
        return false;
    auto stored = RecordTable(m_db, *spec).get(entityId);
    if (stored)
        return inScope(*stored, entity);
    if (stored.error().code != ErrorCode::NotFound)
        return stored.error();
    return absentRow.isEmpty() || inScope(absentRow, entity);
}

Status SyncResolutionStore::permitChange(const QString &entity, const QString &entityId,
                                         const Row &absentRow, const QString &what) const
{
    const auto action = RecordEditor::writeAction(entity);
    if (!action)
        return Error::invalid(QStringLiteral("entity"), QStringLiteral("unsupported"),
                              tr("'%1' holds no records people change").arg(entity));
    if (Status allowed = permit(*action); !allowed)
        return allowed;
    auto scoped = recordInScope(entity, entityId, absentRow);
    if (!scoped)
        return scoped.error();
    if (!*scoped)
        return Error::notFound(what);
    return {};
}

Status SyncResolutionStore::audit(const QString &action, const QString &entity,
                                  const QString &entityId, const QJsonObject &fields) const
{
    AuditEvent event;
    event.action = action;
    event.entity = entity;
    event.entity_id = entityId;
    event.fields = fields;
    return appendAudit(m_db, m_actor, event);
}

Result<SyncConflict> SyncResolutionStore::loadConflict(const QString &id) const
{
    const QString missing = QStringLiteral("no conflict with id %1").arg(id);
    if (!m_db.isSqlite() || !isUuid(id))
        return Error::notFound(missing);
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral("SELECT %1 FROM conflicts WHERE id = :id").arg(kConflictColumns));
    q.bindValue(QStringLiteral(":id"), id.toLower());
    if (!q.exec())
        return Error::storage(q.lastError().text());
    if (!q.next())
        return Error::notFound(missing);
    return conflictFromQuery(q);
}

Result<QList<SyncConflict>> SyncResolutionStore::conflicts(ConflictFilter filter) const
{
    if (Status s = permitHandling(); !s)
        return s.error();
    QList<SyncConflict> out;
    if (!m_db.isSqlite())
        return out;
    QSqlQuery q(m_db.connection());
    if (!q.exec(QStringLiteral("SELECT %1 FROM conflicts %2 ORDER BY detected_at, id")
                    .arg(kConflictColumns, filter == ConflictFilter::Open
                                               ? QStringLiteral("WHERE resolved_at IS NULL")
                                               : QString())))
        return Error::storage(q.lastError().text());
    while (q.next()) {
        SyncConflict c = conflictFromQuery(q);
        const auto read = RecordEditor::readAction(c.entity);
        if (!read || !principalMay(m_actor, *read))
            continue;
        auto scoped = recordInScope(c.entity, c.entity_id);
        if (!scoped)
            return scoped.error();
        if (*scoped)
            out << c;
    }
    return out;
}

Result<SyncConflict> SyncResolutionStore::resolve(const QString &conflictId,
                                                  ConflictResolution keep,
                                                  const std::optional<QJsonValue> &merged) const
{
    if (Status s = permitHandling(); !s)
        return s.error();
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto conflict = loadConflict(conflictId);
    if (!conflict)
        return conflict.error();
    const QString missing = QStringLiteral("no conflict with id %1").arg(conflictId);
    if (Status s = permitChange(conflict->entity, conflict->entity_id, {}, missing); !s)
        return s.error();
    if (!conflict->isOpen())
        return Error::invalid(
            QStringLiteral("id"), QStringLiteral("resolved"),
            tr("This conflict was resolved already (%1).")
                .arg(toString(conflict->resolution.value_or(ConflictResolution::Central))));
    if (keep == ConflictResolution::Merged && !merged)
        return Error::invalid(QStringLiteral("value"), QStringLiteral("required"),
                              tr("Keeping a merged value needs the value."));

    if (keep != ConflictResolution::Central) {
        const QJsonValue value =
            keep == ConflictResolution::Local ? conflict->local_value : *merged;
        const RecordEditor editor(m_db, m_actor);
        if (Status s = editor.setFields(conflict->entity, conflict->entity_id,
                                        QJsonObject{{conflict->field, value}});
            !s)
            return s.error();
    }
    const QDateTime now = nowUtc();
    if (Status s = execBound(m_db,
                             QStringLiteral("UPDATE conflicts SET resolved_at = :at, resolution = "
                                            ":resolution WHERE id = :id"),
                             {{QStringLiteral("at"), formatInstant(now)},
                              {QStringLiteral("resolution"), toString(keep)},
                              {QStringLiteral("id"), conflict->id}});
        !s)
        return s.error();
    if (!conflict->mutation_id.isEmpty()) {
        QSqlQuery q(m_db.connection());
        q.prepare(QStringLiteral("SELECT count(*) FROM conflicts WHERE mutation_id = :m AND "
                                 "resolved_at IS NULL"));
        q.bindValue(QStringLiteral(":m"), conflict->mutation_id);
        if (!q.exec() || !q.next())
            return Error::storage(q.lastError().text());
        if (q.value(0).toLongLong() == 0)
            if (Status s = markMutationResolved(m_db, conflict->mutation_id); !s)
                return s.error();
    }
    if (Status s = audit(QStringLiteral("conflict_resolved"), conflict->entity, conflict->entity_id,
                         {{QStringLiteral("field"), conflict->field},
                          {QStringLiteral("resolution"), toString(keep)},
                          {QStringLiteral("mutation_id"), conflict->mutation_id}});
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    SyncConflict resolved = *conflict;
    resolved.resolved_at = parseInstant(formatInstant(now));
    resolved.resolution = keep;
    return resolved;
}

Result<OutboxEntry> SyncResolutionStore::loadRejection(const QString &mutationId) const
{
    const QString missing =
        QStringLiteral("no rejected change with mutation id %1").arg(mutationId);
    if (!m_db.isSqlite() || !isUuid(mutationId))
        return Error::notFound(missing);
    auto rows = RecordTable(m_db, u"outbox")
                    .select(QStringLiteral("mutation_id = :m AND status = 'rejected'"),
                            {{QStringLiteral("m"), mutationId.toLower()}});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return Error::notFound(missing);
    return outboxEntryFromRow(rows->first());
}

Result<QList<OutboxEntry>> SyncResolutionStore::rejections() const
{
    if (Status s = permitHandling(); !s)
        return s.error();
    QList<OutboxEntry> out;
    if (!m_db.isSqlite())
        return out;
    auto rows = RecordTable(m_db, u"outbox")
                    .select(QStringLiteral("status = 'rejected'"), {}, QStringLiteral("seq"));
    if (!rows)
        return rows.error();
    for (const Row &r : *rows) {
        const OutboxEntry e = outboxEntryFromRow(r);
        const auto read = RecordEditor::readAction(e.entity);
        if (!read || !principalMay(m_actor, *read))
            continue;
        auto scoped =
            recordInScope(e.entity, e.entity_id, e.op == OutboxOp::Insert ? e.changes : Row());
        if (!scoped)
            return scoped.error();
        if (*scoped)
            out << e;
    }
    return out;
}

Status SyncResolutionStore::retry(const QString &mutationId, const QJsonObject &edits) const
{
    if (Status s = permitHandling(); !s)
        return s;
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started();
    auto rejected = loadRejection(mutationId);
    if (!rejected)
        return rejected.error();
    const OutboxEntry &e = *rejected;
    const QString missing =
        QStringLiteral("no rejected change with mutation id %1").arg(mutationId);
    if (Status s = permitChange(e.entity, e.entity_id, e.op == OutboxOp::Insert ? e.changes : Row(),
                                missing);
        !s)
        return s;

    const RecordEditor editor(m_db, m_actor);
    Status written;
    switch (e.op) {
    case OutboxOp::Insert: {
        if (edits.contains(u"id") && edits.value(u"id").toString().toLower() != e.entity_id)
            return Error::invalid(QStringLiteral("id"), QStringLiteral("immutable"),
                                  tr("A retried record keeps its id."));
        Row row = insertedColumns(e.changes);
        for (auto it = edits.constBegin(); it != edits.constEnd(); ++it)
            row.insert(it.key(), it.value());
        written = editor.create(e.entity, row);
        break;
    }
    case OutboxOp::Update:
    case OutboxOp::State: {
        QJsonObject fields = newValues(e.changes);
        for (auto it = edits.constBegin(); it != edits.constEnd(); ++it)
            fields.insert(it.key(), it.value());
        written = editor.setFields(e.entity, e.entity_id, fields);
        break;
    }
    case OutboxOp::Delete:
        if (!edits.isEmpty())
            return Error::invalid(edits.constBegin().key(), QStringLiteral("unknown"),
                                  tr("A deletion is retried as it was: it takes no edits."));
        written = editor.remove(e.entity, e.entity_id);
        break;
    }
    if (!written)
        return written;
    if (Status s = execBound(m_db,
                             QStringLiteral("DELETE FROM outbox WHERE mutation_id = :m AND "
                                            "status = 'rejected'"),
                             {{QStringLiteral("m"), e.mutation_id}});
        !s)
        return s;
    if (Status s = markMutationResolved(m_db, e.mutation_id); !s)
        return s;
    if (Status s = audit(QStringLiteral("rejection_retried"), e.entity, e.entity_id,
                         {{QStringLiteral("mutation_id"), e.mutation_id},
                          {QStringLiteral("op"), toString(e.op)},
                          {QStringLiteral("changed"), QJsonArray::fromStringList(edits.keys())}});
        !s)
        return s;
    return tx.commit();
}

Status SyncResolutionStore::discard(const QString &mutationId) const
{
    if (Status s = permitHandling(); !s)
        return s;
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started();
    auto rejected = loadRejection(mutationId);
    if (!rejected)
        return rejected.error();
    const OutboxEntry &e = *rejected;
    const QString missing =
        QStringLiteral("no rejected change with mutation id %1").arg(mutationId);
    if (Status s = permitChange(e.entity, e.entity_id, e.op == OutboxOp::Insert ? e.changes : Row(),
                                missing);
        !s)
        return s;
    if (Status s = execBound(m_db,
                             QStringLiteral("DELETE FROM outbox WHERE mutation_id = :m AND "
                                            "status = 'rejected'"),
                             {{QStringLiteral("m"), e.mutation_id}});
        !s)
        return s;
    if (Status s = markMutationResolved(m_db, e.mutation_id); !s)
        return s;
    if (Status s = audit(QStringLiteral("rejection_discarded"), e.entity, e.entity_id,
                         {{QStringLiteral("mutation_id"), e.mutation_id},
                          {QStringLiteral("op"), toString(e.op)}});
        !s)
        return s;
    return tx.commit();
}

} // namespace tmdash
