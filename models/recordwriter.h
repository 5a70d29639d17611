#pragma once

#include "database.h"
#include "outbox.h"
#include "principal.h"
#include "recordtable.h"

namespace tmdash {

// Writes records on behalf of a principal inside the caller's transaction: fills the bookkeeping
// columns, writes only what changed, and on a desktop (SQLite) appends the outbox row of each
// changed record in the same transaction (DESIGN.md, "Local writes"). On PostgreSQL no outbox
// is written: the central records changes itself.
class RecordWriter
{
public:
    RecordWriter(const Database &db, const Principal &actor) : m_db(db), m_actor(actor) {}

    // Inserts a new record; `row` holds the domain columns (id included). Returns the stored row.
    Result<Row> insert(const TableSpec &table, Row row) const;

    // Writes the columns of `next` that differ from `current` (the stored row) and records them
    // as {old, new} pairs under `op` (update or state). Nothing changed -> nothing written.
    Result<Row> update(const TableSpec &table, const Row &current, const Row &next,
                       OutboxOp op = OutboxOp::Update) const;

    // Sets the tombstone (deleted_at) of a stored record.
    Result<Row> tombstone(const TableSpec &table, const Row &current) const;

    // Brings an owned list in line with `next`: rows with a new id are inserted, changed rows
    // updated, stored rows missing from `next` tombstoned. `parentColumns` (clinic_id and the
    // parent id) are set on every row. `written`, when given, receives the live rows as they
    // are now stored, in the order of `next`.
    Status syncChildren(const TableSpec &table, const QList<Row> &current, const QList<Row> &next,
                        const Row &parentColumns, QList<Row> *written = nullptr) const;

private:
    QString actorId() const;
    Status recordOutbox(const TableSpec &table, const QString &id, OutboxOp op, qint64 baseVersion,
                        const QJsonObject &changes) const;

    Database m_db;
    Principal m_actor;
};

// Columns of `row` that are not bookkeeping (what people change).
bool isBookkeepingColumn(QStringView column);

} // namespace tmdash
