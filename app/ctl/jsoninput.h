#pragma once

#include "result.h"
#include "row.h"
#include "schema.h"

#include <QJsonObject>
#include <QMap>

namespace tmdash {

// How JSON from stdin maps onto one entity: its table, its owned lists (JSON key -> table) and
// the read-only or derived fields that must not be sent.
struct JsonShape
{
    const TableSpec *table = nullptr;
    QMap<QString, const TableSpec *> lists;
    QStringList derived; // e.g. "bmi", "end_date", "flags"
};

// Checks every field of `input` against the shape (unknown fields, read-only fields, types,
// UUIDs, dates, any ISO 8601 instant -> canonical UTC) and returns the row, with owned lists as
// arrays of rows under their keys. All failing fields are reported together.
Result<Row> rowFromJson(const QJsonObject &input, const JsonShape &shape);

} // namespace tmdash
