#pragma once

#include "database.h"
#include "result.h"
#include "row.h"
#include "schema.h"

#include <QList>
#include <QVariantList>

namespace tmdash {

// When an arriving row replaces the stored one (DESIGN.md, "Apply-remote path").
enum class ReplaceWhen {
    Newer,    // a pulled change: only a newer version
    NotOlder, // a push acknowledgement: the central's row as it answered, same version included
    Always,   // a full resync from a restored central, whose versions may have gone back
};

// Generic SQL over one table of the catalogue (schema.h): the same statements on SQLite and
// PostgreSQL, with every value bound (never spliced into the SQL text). Rows are normalised
// (row.h), so a row read back equals the row written.
class RecordTable
{
public:
    RecordTable(const Database &db, const TableSpec &spec) : m_db(db), m_spec(&spec) {}
    RecordTable(const Database &db, QStringView table);

    const TableSpec &spec() const { return *m_spec; }

    // The row with this id (tombstones included), or NotFound.
    Result<Row> get(const QString &id) const;
    // Only the named columns of the row with this id (tombstones included), or NotFound: for a
    // check that needs two columns of a wide row.
    Result<Row> get(const QString &id, const QList<QStringView> &columns) const;

    // Rows matching `where` (SQL over this table's columns with :name placeholders), in
    // `orderBy` order, at most `limit` (all when negative) after skipping `offset`. `where` and `orderBy` are program text, never user input.
    Result<QList<Row>> select(const QString &where, const QVariantMap &binds = {},
                              const QString &orderBy = QString(), int limit = -1, int offset = 0) const;

    Status insert(const Row &row) const;
    // Sets the given columns of the row with this id.
    Status update(const QString &id, const Row &columns) const;
    // Inserts the row, or replaces the stored one when `row.version` passes `when`; returns
    // whether anything was written (the apply-remote path).
    Result<bool> upsertRemote(const Row &row, ReplaceWhen when) const;
    // Removes the row (only for a row the central never had, see RemoteApplier::removeAbsent).
    Status remove(const QString &id) const;

private:
    QString selectList() const;
    Row readRow(const class QSqlQuery &q) const;

    Database m_db;
    const TableSpec *m_spec;
};

// Maps a failed statement to an error: constraint violations become Invalid naming the field
// when it can be told from the message, everything else Storage.
Error sqlError(const QString &table, const QString &driverText);

} // namespace tmdash
