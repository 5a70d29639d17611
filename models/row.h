#pragma once

#include "ids.h"
#include "record.h"
#include "schema.h"

#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QTime>
#include <QVariant>

#include <optional>

namespace tmdash {

// A record as its column values: the one shape shared by the stores' SQL, the outbox `changes`,
// sync payloads and the command line's JSON. Values are normalised by column type (ColumnType):
// text, numbers, true/false, canonical instants and dates as strings, null for absent.
using Row = QJsonObject;

// Normalises a value read from either database into its Row form.
QJsonValue rowValueFromDb(const QVariant &value, ColumnType type);
// The Row form of a value a person gave (JSON input, a merged value) for a column of `type`, or
// nullopt for a wrong type or shape: instants of any ISO 8601 form become canonical.
std::optional<QJsonValue> rowValueFromInput(const QJsonValue &value, ColumnType type);
// The value to bind for a Row value in the given dialect.
QVariant rowValueToDb(const QJsonValue &value, ColumnType type);
// A JSON document (an object or an array) as compact UTF-8 text, as JSON columns store it (the
// outbox's changes, for one): QJsonDocument::fromJson reads back the same values. Whole numbers
// are written as integers and others in their shortest exact form, so the text need not be
// byte for byte what QJsonDocument writes; it is written here because every desktop write stores
// one, and QJsonDocument took longer than the insert.
QByteArray compactJson(const QJsonValue &document);
// The same text appended to `out`: a caller that writes one per row keeps its buffer, so that
// a row's JSON (about a kilobyte) is not allocated again at every write.
void appendCompactJson(QByteArray &out, const QJsonValue &document);
// Appends `text` as a quoted JSON string when it needs no escaping (printable ASCII, no quote
// or backslash), which is how most stored text looks, and returns true; otherwise appends nothing
// and returns false. The same bytes any JSON writer, QJsonDocument included, gives such text.
bool appendPlainJsonString(QByteArray &out, QStringView text);

// Row accessors used by the entity codecs (lenient about numbers stored as text and the like).
QString rowText(const Row &row, QStringView key);
std::optional<double> rowDouble(const Row &row, QStringView key);
std::optional<int> rowInt(const Row &row, QStringView key);
bool rowBool(const Row &row, QStringView key);
std::optional<QDate> rowDate(const Row &row, QStringView key);
std::optional<QDateTime> rowInstant(const Row &row, QStringView key);
std::optional<QTime> rowTime(const Row &row, QStringView key);
template<class IdT>
IdT rowId(const Row &row, QStringView key)
{
    return IdT(rowText(row, key));
}

// Writers: empty text, empty ids and absent optionals become null.
void putText(Row &row, const QString &key, const QString &value);
void putDouble(Row &row, const QString &key, std::optional<double> value);
void putInt(Row &row, const QString &key, std::optional<int> value);
void putBool(Row &row, const QString &key, bool value);
void putDate(Row &row, const QString &key, std::optional<QDate> value);
void putInstant(Row &row, const QString &key, std::optional<QDateTime> value);
void putTime(Row &row, const QString &key, std::optional<QTime> value);
template<class Tag>
void putId(Row &row, const QString &key, const Id<Tag> &id)
{
    putText(row, key, id.value);
}

// The synced-row bookkeeping columns.
void putMeta(Row &row, const RecordMeta &meta);
RecordMeta rowMeta(const Row &row);

// A row of `table` with every column present and null (a shared copy). A codec that writes every
// column starts from it: each put then replaces a value instead of growing the row by one column,
// which on a desktop's writes took about a tenth of a record's create.
Row blankRow(QStringView table);

} // namespace tmdash
