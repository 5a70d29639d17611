#pragma once

#include <QStringView>

#include <span>

namespace tmdash {

// How a column's value is carried between the databases, the stores and JSON. Both databases
// store the same logical value: SQLite as TEXT/INTEGER/REAL, PostgreSQL in its native type.
enum class ColumnType {
    Uuid,    // canonical lowercase text
    Text,
    Integer,
    Real,
    Bool,    // SQLite 0/1, PostgreSQL boolean, JSON true/false
    Date,    // "YYYY-MM-DD"
    Instant, // canonical UTC "YYYY-MM-DDTHH:MM:SS.sssZ"
    Time,    // local wall clock "HH:MM"
    Json,    // a JSON document (SQLite TEXT, PostgreSQL jsonb)
};

struct ColumnSpec
{
    QStringView name;
    ColumnType type;
    bool nullable;
};

// One table of migration step 1 (docs/schema.md lists the same).
struct TableSpec
{
    QStringView name;
    bool synced;           // carries the synced-row columns and travels through the outbox
    bool desktopOnly;      // exists only in the SQLite desktop database
    QStringView parentTable;  // owned lists: the owning table ...
    QStringView parentColumn; // ... and the column that points at it
    std::span<const ColumnSpec> columns;

    const ColumnSpec *column(QStringView columnName) const
    {
        for (const ColumnSpec &c : columns)
            if (c.name == columnName)
                return &c;
        return nullptr;
    }
};

std::span<const TableSpec> allTableSpecs();

// The spec of a table by name, or nullptr.
inline const TableSpec *tableSpec(QStringView name)
{
    for (const TableSpec &t : allTableSpecs())
        if (t.name == name)
            return &t;
    return nullptr;
}

} // namespace tmdash
