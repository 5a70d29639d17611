#include "recordwriter.h"

#include "auditlog.h"
#include "clock.h"

#include <QSet>

namespace tmdash {

namespace {

// The patient a row belongs to, for the audit entry's fields: the patient itself, its
// patient_id, or for an owned list without one (consultation_diagnoses) its parent's patient_id.
Result<QString> patientOfRow(const Database &db, const TableSpec &table, const Row &row)
{
    if (table.name == u"patients")
        return rowText(row, u"id");
    if (table.column(u"patient_id"))
        return rowText(row, u"patient_id");
    const TableSpec *parent = table.parentTable.isEmpty() ? nullptr : tableSpec(table.parentTable);
    if (!parent || !parent->column(u"patient_id"))
        return QString();
    const QString parentId = rowText(row, table.parentColumn);
    if (parentId.isEmpty())
        return QString();
    auto stored = RecordTable(db, *parent).get(parentId);
    if (!stored)
        return stored.error().code == ErrorCode::NotFound ? Result<QString>(QString())
                                                          : Result<QString>(stored.error());
    return rowText(*stored, u"patient_id");
}

// The audit entry of one record write, in the write's transaction: the action, the names of the
// changed columns (never their values) and the patient the record belongs to. The sync
// principal writes none (appendAudit).
Status auditWrite(const Database &db, const Principal &actor, const TableSpec &table,
                  const Row &row, OutboxOp op, const QList<QStringView> &changed)
{
    if (actor.kind == Principal::Kind::Sync)
        return {};
    AuditEvent event;
    switch (op) {
    case OutboxOp::Insert:
        event.action = QStringLiteral("create");
        break;
    case OutboxOp::Update:
        event.action = QStringLiteral("update");
        break;
    case OutboxOp::State:
        event.action = QStringLiteral("state");
        break;
    case OutboxOp::Delete:
        event.action = QStringLiteral("delete");
        break;
    }
    event.entity = table.name.toString();
    event.entity_id = rowText(row, u"id");
    event.clinic_id = rowId<ClinicId>(row, u"clinic_id");
    auto patient = patientOfRow(db, table, row);
    if (!patient)
        return patient.error();
    return appendAudit(db, actor, event, changed, *patient);
}

} // namespace

bool isBookkeepingColumn(QStringView column)
{
    return column == u"created_at" || column == u"created_by" || column == u"updated_at"
           || column == u"updated_by" || column == u"version";
}

QString RecordWriter::actorId() const
{
    return m_actor.user_id.value;
}

Status RecordWriter::recordOutbox(const TableSpec &table, const QString &id, OutboxOp op,
                                  qint64 baseVersion, const QJsonObject &changes) const
{
    if (!m_db.isSqlite() || m_actor.kind == Principal::Kind::Sync)
        return {};
    OutboxEntry entry;
    entry.entity = table.name.toString();
    entry.entity_id = id;
    entry.op = op;
    entry.base_version = baseVersion;
    entry.changes = changes;
    entry.actor_id = actorId();
    return appendOutbox(m_db, entry);
}

Result<Row> RecordWriter::insert(const TableSpec &table, Row row) const
{
    const QString now = formatInstant(nowUtc());
    row.insert(u"created_at", now);
    putText(row, QStringLiteral("created_by"), actorId());
    row.insert(u"updated_at", now);
    putText(row, QStringLiteral("updated_by"), actorId());
    row.insert(u"version", 0);
    // Every column present, so the outbox carries the full row; what the create gives a value
    // is what the audit entry names as changed.
    QList<QStringView> set;
    set.reserve(qsizetype(table.columns.size()));
    for (const ColumnSpec &c : table.columns) {
        const auto it = row.constFind(c.name);
        if (it == row.constEnd())
            row.insert(c.name, QJsonValue::Null);
        else if (c.name != u"id" && !isBookkeepingColumn(c.name) && !it->isNull())
            set << c.name;
    }
    const RecordTable t(m_db, table);
    if (Status s = t.insert(row); !s)
        return s.error();
    const QString id = row.value(u"id").toString();
    if (Status s = recordOutbox(table, id, OutboxOp::Insert, 0, row); !s)
        return s.error();
    if (Status s = auditWrite(m_db, m_actor, table, row, OutboxOp::Insert, set); !s)
        return s.error();
    if (!m_db.isSqlite())
        return t.get(id); // the central's triggers set the version
    return row;
}

Result<Row> RecordWriter::update(const TableSpec &table, const Row &current, const Row &next,
                                 OutboxOp op) const
{
    Row changed;
    QJsonObject changes;
    for (const ColumnSpec &c : table.columns) {
        const QString name = c.name.toString();
        if (!next.contains(name) || isBookkeepingColumn(name) || name == QLatin1String("id"))
            continue;
        const QJsonValue before = current.value(name);
        const QJsonValue after = next.value(name);
        if (before == after)
            continue;
        changed.insert(name, after);
        changes.insert(name, QJsonObject{{QStringLiteral("old"), before}, {QStringLiteral("new"), after}});
    }
    if (changed.isEmpty())
        return current;
    changed.insert(QStringLiteral("updated_at"), formatInstant(nowUtc()));
    putText(changed, QStringLiteral("updated_by"), actorId());
    const QString id = current.value(u"id").toString();
    if (Status s = RecordTable(m_db, table).update(id, changed); !s)
        return s.error();
    if (Status s = recordOutbox(table, id, op, qint64(current.value(u"version").toDouble()), changes); !s)
        return s.error();
    const QStringList changedColumns = changes.keys();
    if (Status s = auditWrite(m_db, m_actor, table, current, op,
                              QList<QStringView>(changedColumns.begin(), changedColumns.end()));
        !s)
        return s.error();
    Row stored = current;
    for (auto it = changed.constBegin(); it != changed.constEnd(); ++it)
        stored.insert(it.key(), it.value());
    return stored;
}

Result<Row> RecordWriter::tombstone(const TableSpec &table, const Row &current) const
{
    Row next = current;
    next.insert(QStringLiteral("deleted_at"), formatInstant(nowUtc()));
    return update(table, current, next, OutboxOp::Delete);
}

Status RecordWriter::syncChildren(const TableSpec &table, const QList<Row> &current,
                                  const QList<Row> &next, const Row &parentColumns,
                                  QList<Row> *written) const
{
    QHash<QString, Row> stored;
    for (const Row &r : current)
        stored.insert(r.value(u"id").toString(), r);
    QSet<QString> kept;
    for (Row r : next) {
        for (auto it = parentColumns.constBegin(); it != parentColumns.constEnd(); ++it)
            r.insert(it.key(), it.value());
        QString id = r.value(u"id").toString();
        if (id.isEmpty()) {
            id = newUuidV7();
            r.insert(QStringLiteral("id"), id);
        }
        kept.insert(id);
        auto now = stored.contains(id) ? update(table, stored.value(id), r) : insert(table, r);
        if (!now)
            return now.error();
        if (written)
            written->append(*now);
    }
    for (const Row &r : current) {
        if (kept.contains(r.value(u"id").toString()) || !r.value(u"deleted_at").isNull())
            continue;
        if (auto s = tombstone(table, r); !s)
            return s.error();
    }
    return {};
}

} // namespace tmdash

