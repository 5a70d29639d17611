#include "recordwriter.h"

#include "clock.h"

#include <QSet>

namespace tmdash {

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
    row.insert(QStringLiteral("created_at"), now);
    putText(row, QStringLiteral("created_by"), actorId());
    row.insert(QStringLiteral("updated_at"), now);
    putText(row, QStringLiteral("updated_by"), actorId());
    row.insert(QStringLiteral("version"), 0);
    if (!row.contains(u"deleted_at"))
        row.insert(QStringLiteral("deleted_at"), QJsonValue::Null);
    // Every column present, so the outbox carries the full row.
    for (const ColumnSpec &c : table.columns)
        if (!row.contains(c.name))
            row.insert(c.name.toString(), QJsonValue::Null);
    const RecordTable t(m_db, table);
    if (Status s = t.insert(row); !s)
        return s.error();
    const QString id = row.value(u"id").toString();
    if (Status s = recordOutbox(table, id, OutboxOp::Insert, 0, row); !s)
        return s.error();
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
                                  const QList<Row> &next, const Row &parentColumns) const
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
        if (auto it = stored.constFind(id); it != stored.constEnd()) {
            if (auto s = update(table, *it, r); !s)
                return s.error();
        } else if (auto s = insert(table, r); !s) {
            return s.error();
        }
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

