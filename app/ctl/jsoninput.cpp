#include "jsoninput.h"

#include "clock.h"
#include "ids.h"
#include "recordwriter.h"

#include <QJsonArray>
#include <QTime>

namespace tmdash {

namespace {

bool isReadOnly(QStringView column)
{
    return isBookkeepingColumn(column) || column == u"deleted_at";
}

QString typeName(ColumnType type)
{
    switch (type) {
    case ColumnType::Uuid:
        return QStringLiteral("a UUID string");
    case ColumnType::Text:
        return QStringLiteral("a string");
    case ColumnType::Integer:
        return QStringLiteral("a whole number");
    case ColumnType::Real:
        return QStringLiteral("a number");
    case ColumnType::Bool:
        return QStringLiteral("true or false");
    case ColumnType::Date:
        return QStringLiteral("a date YYYY-MM-DD");
    case ColumnType::Instant:
        return QStringLiteral("an ISO 8601 instant with Z or an offset");
    case ColumnType::Time:
        return QStringLiteral("a time HH:MM");
    case ColumnType::Json:
        return QStringLiteral("a JSON object");
    }
    return {};
}

// The Row form of one JSON value, or nullopt when it has the wrong type or shape.
void convertObject(const QJsonObject &input, const TableSpec &table, const QStringList &hidden,
                   const QString &prefix, Row &row, FieldErrors &errors)
{
    for (auto it = input.constBegin(); it != input.constEnd(); ++it) {
        const QString field = prefix + it.key();
        const ColumnSpec *column = table.column(it.key());
        if (!column || hidden.contains(it.key())) {
            errors << FieldError{field, QStringLiteral("unknown"),
                                 QStringLiteral("'%1' is not a field here").arg(it.key())};
            continue;
        }
        if (isReadOnly(it.key())) {
            errors << FieldError{field, QStringLiteral("read_only"),
                                 QStringLiteral("'%1' is set by the program and cannot be sent").arg(it.key())};
            continue;
        }
        const auto value = rowValueFromInput(it.value(), column->type);
        if (!value) {
            errors << FieldError{field, QStringLiteral("type"),
                                 QStringLiteral("expected %1").arg(typeName(column->type))};
            continue;
        }
        row.insert(it.key(), *value);
    }
}

} // namespace

Result<Row> rowFromJson(const QJsonObject &input, const JsonShape &shape)
{
    FieldErrors errors;
    Row row;
    QJsonObject plain;
    for (auto it = input.constBegin(); it != input.constEnd(); ++it) {
        if (shape.derived.contains(it.key())) {
            errors << FieldError{it.key(), QStringLiteral("read_only"),
                                 QStringLiteral("'%1' is derived and cannot be sent").arg(it.key())};
        } else if (const TableSpec *list = shape.lists.value(it.key())) {
            if (!it.value().isArray()) {
                errors << FieldError{it.key(), QStringLiteral("type"), QStringLiteral("expected an array of objects")};
                continue;
            }
            const QStringList hidden{QStringLiteral("clinic_id"), list->parentColumn.toString()};
            QJsonArray rows;
            const QJsonArray items = it.value().toArray();
            for (int i = 0; i < items.size(); ++i) {
                const QString prefix = QStringLiteral("%1[%2].").arg(it.key()).arg(i);
                if (!items[i].isObject()) {
                    errors << FieldError{prefix.chopped(1), QStringLiteral("type"), QStringLiteral("expected an object")};
                    continue;
                }
                Row child;
                convertObject(items[i].toObject(), *list, hidden, prefix, child, errors);
                rows.append(child);
            }
            row.insert(it.key(), rows);
        } else {
            plain.insert(it.key(), it.value());
        }
    }
    convertObject(plain, *shape.table, {}, QString(), row, errors);
    if (!errors.isEmpty())
        return Error::invalid(errors);
    return row;
}

} // namespace tmdash
