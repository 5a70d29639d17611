#include "row.h"

#include "clock.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QUuid>

#include <cmath>

namespace tmdash {

QJsonValue rowValueFromDb(const QVariant &value, ColumnType type)
{
    if (value.isNull() || !value.isValid())
        return QJsonValue::Null;
    switch (type) {
    case ColumnType::Uuid:
        if (value.metaType().id() == QMetaType::QUuid)
            return value.toUuid().toString(QUuid::WithoutBraces);
        return value.toString();
    case ColumnType::Text:
        return value.toString();
    case ColumnType::Integer:
        return double(value.toLongLong());
    case ColumnType::Real:
        return value.toDouble();
    case ColumnType::Bool:
        if (value.metaType().id() == QMetaType::QString)
            return value.toString() == QLatin1String("1") || value.toString() == QLatin1String("true");
        return value.toBool();
    case ColumnType::Date:
        if (value.metaType().id() == QMetaType::QDate)
            return formatDate(value.toDate());
        return value.toString().left(10);
    case ColumnType::Instant:
        if (value.metaType().id() == QMetaType::QDateTime)
            return formatInstant(value.toDateTime());
        if (auto parsed = parseInstant(value.toString()))
            return formatInstant(*parsed);
        return value.toString();
    case ColumnType::Time:
        if (value.metaType().id() == QMetaType::QTime)
            return value.toTime().toString(QStringLiteral("HH:mm"));
        return value.toString().left(5);
    case ColumnType::Json: {
        const QJsonDocument doc = QJsonDocument::fromJson(value.toString().toUtf8());
        if (doc.isObject())
            return doc.object();
        if (doc.isArray())
            return doc.array();
        return value.toString();
    }
    }
    return QJsonValue::Null;
}

std::optional<QJsonValue> rowValueFromInput(const QJsonValue &v, ColumnType type)
{
    if (v.isNull())
        return QJsonValue(QJsonValue::Null);
    switch (type) {
    case ColumnType::Uuid:
        if (v.isString() && isUuid(v.toString()))
            return QJsonValue(v.toString().toLower());
        return std::nullopt;
    case ColumnType::Text:
        return v.isString() ? std::optional(v) : std::nullopt;
    case ColumnType::Integer:
        if (v.isDouble() && v.toDouble() == double(qint64(v.toDouble())))
            return v;
        return std::nullopt;
    case ColumnType::Real:
        return v.isDouble() ? std::optional(v) : std::nullopt;
    case ColumnType::Bool:
        return v.isBool() ? std::optional(v) : std::nullopt;
    case ColumnType::Date:
        if (v.isString())
            if (auto d = parseDate(v.toString()))
                return QJsonValue(formatDate(*d));
        return std::nullopt;
    case ColumnType::Instant:
        if (v.isString())
            if (auto t = parseInstant(v.toString()))
                return QJsonValue(formatInstant(*t));
        return std::nullopt;
    case ColumnType::Time:
        if (v.isString() && v.toString().size() == 5 &&
            QTime::fromString(v.toString(), QStringLiteral("HH:mm")).isValid())
            return v;
        return std::nullopt;
    case ColumnType::Json:
        return v.isObject() ? std::optional(v) : std::nullopt;
    }
    return std::nullopt;
}

bool appendPlainJsonString(QByteArray &out, QStringView text)
{
    for (QChar c : text)
        if (c.unicode() < 0x20 || c.unicode() >= 0x7f || c == u'"' || c == u'\\')
            return false;
    const qsizetype at = out.size();
    out.resize(at + text.size() + 2);
    char *to = out.data() + at;
    *to++ = '"';
    for (QChar c : text)
        *to++ = char(c.unicode());
    *to = '"';
    return true;
}

namespace {

void appendJsonString(QByteArray &out, QStringView text)
{
    if (appendPlainJsonString(out, text))
        return;
    out += '"';
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c >= 0x20 && c != u'"' && c != u'\\')
            continue;
        out += text.sliced(start, i - start).toUtf8();
        start = i + 1;
        switch (c) {
        case u'"':
            out += "\\\"";
            break;
        case u'\\':
            out += "\\\\";
            break;
        case u'\b':
            out += "\\b";
            break;
        case u'\f':
            out += "\\f";
            break;
        case u'\n':
            out += "\\n";
            break;
        case u'\r':
            out += "\\r";
            break;
        case u'\t':
            out += "\\t";
            break;
        default: {
            static const char hex[] = "0123456789abcdef";
            const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
            out.append(escaped, 6);
        }
        }
    }
    out += text.sliced(start).toUtf8();
    out += '"';
}

void appendJson(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        return;
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (!std::isfinite(d))
            out += "null"; // as QJsonDocument writes it: JSON has no infinity or NaN
        else if (d == std::trunc(d) && std::fabs(d) < 9007199254740992.0) // exact as an integer
            out += QByteArray::number(qint64(d));
        else
            out += QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
        return;
    }
    case QJsonValue::String:
        appendJsonString(out, value.toString());
        return;
    case QJsonValue::Array: {
        out += '[';
        bool first = true;
        for (const QJsonValue &item : value.toArray()) {
            if (!first)
                out += ',';
            first = false;
            appendJson(out, item);
        }
        out += ']';
        return;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        out += '{';
        bool first = true;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (!first)
                out += ',';
            first = false;
            appendJsonString(out, it.key());
            out += ':';
            appendJson(out, it.value());
        }
        out += '}';
        return;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        return;
    }
}

} // namespace

QByteArray compactJson(const QJsonValue &document)
{
    QByteArray out;
    appendCompactJson(out, document);
    return out;
}

void appendCompactJson(QByteArray &out, const QJsonValue &document)
{
    appendJson(out, document);
}

QVariant rowValueToDb(const QJsonValue &value, ColumnType type)
{
    if (value.isNull() || value.isUndefined())
        return QVariant(QMetaType::fromType<QString>());
    switch (type) {
    case ColumnType::Integer:
        return qint64(value.toDouble());
    case ColumnType::Real:
        return value.toDouble();
    case ColumnType::Bool:
        return value.toBool();
    case ColumnType::Json:
        if (value.isObject() || value.isArray())
            return QString::fromUtf8(compactJson(value));
        return value.toString();
    default:
        return value.toString();
    }
}

QString rowText(const Row &row, QStringView key)
{
    const QJsonValue v = row.value(key);
    if (v.isDouble())
        return QString::number(v.toDouble());
    return v.toString();
}

std::optional<double> rowDouble(const Row &row, QStringView key)
{
    const QJsonValue v = row.value(key);
    if (v.isDouble())
        return v.toDouble();
    if (v.isString()) {
        bool ok = false;
        const double d = v.toString().toDouble(&ok);
        if (ok)
            return d;
    }
    return std::nullopt;
}

std::optional<int> rowInt(const Row &row, QStringView key)
{
    if (auto d = rowDouble(row, key))
        return int(*d);
    return std::nullopt;
}

bool rowBool(const Row &row, QStringView key)
{
    const QJsonValue v = row.value(key);
    if (v.isDouble())
        return v.toDouble() != 0;
    return v.toBool();
}

std::optional<QDate> rowDate(const Row &row, QStringView key)
{
    return parseDate(row.value(key).toString());
}

std::optional<QDateTime> rowInstant(const Row &row, QStringView key)
{
    return parseInstant(row.value(key).toString());
}

std::optional<QTime> rowTime(const Row &row, QStringView key)
{
    const QTime t = QTime::fromString(row.value(key).toString(), QStringLiteral("HH:mm"));
    if (!t.isValid())
        return std::nullopt;
    return t;
}

void putText(Row &row, const QString &key, const QString &value)
{
    row.insert(key, value.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(value));
}

void putDouble(Row &row, const QString &key, std::optional<double> value)
{
    row.insert(key, value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null));
}

void putInt(Row &row, const QString &key, std::optional<int> value)
{
    row.insert(key, value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null));
}

void putBool(Row &row, const QString &key, bool value)
{
    row.insert(key, value);
}

void putDate(Row &row, const QString &key, std::optional<QDate> value)
{
    row.insert(key, value && value->isValid() ? QJsonValue(formatDate(*value)) : QJsonValue(QJsonValue::Null));
}

void putInstant(Row &row, const QString &key, std::optional<QDateTime> value)
{
    row.insert(key, value && value->isValid() ? QJsonValue(formatInstant(*value))
                                              : QJsonValue(QJsonValue::Null));
}

void putTime(Row &row, const QString &key, std::optional<QTime> value)
{
    row.insert(key, value && value->isValid() ? QJsonValue(value->toString(QStringLiteral("HH:mm")))
                                              : QJsonValue(QJsonValue::Null));
}

void putMeta(Row &row, const RecordMeta &meta)
{
    putInstant(row, QStringLiteral("created_at"), meta.created_at);
    putId(row, QStringLiteral("created_by"), meta.created_by);
    putInstant(row, QStringLiteral("updated_at"), meta.updated_at);
    putId(row, QStringLiteral("updated_by"), meta.updated_by);
    row.insert(QStringLiteral("version"), double(meta.version));
    putInstant(row, QStringLiteral("deleted_at"), meta.deleted_at);
}

RecordMeta rowMeta(const Row &row)
{
    RecordMeta meta;
    meta.created_at = rowInstant(row, u"created_at").value_or(QDateTime());
    meta.created_by = rowId<UserId>(row, u"created_by");
    meta.updated_at = rowInstant(row, u"updated_at").value_or(QDateTime());
    meta.updated_by = rowId<UserId>(row, u"updated_by");
    meta.version = qint64(row.value(u"version").toDouble());
    meta.deleted_at = rowInstant(row, u"deleted_at");
    return meta;
}

Row blankRow(QStringView table)
{
    static const QHash<QStringView, Row> blanks = [] {
        QHash<QStringView, Row> all;
        for (const TableSpec &t : allTableSpecs()) {
            Row r;
            for (const ColumnSpec &c : t.columns)
                r.insert(c.name, QJsonValue::Null);
            all.insert(t.name, r);
        }
        return all;
    }();
    Q_ASSERT_X(blanks.contains(table), "blankRow", "unknown table");
    return blanks.value(table);
}

} // namespace tmdash
