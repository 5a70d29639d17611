#pragma once

#include "ctlcontext.h"
#include "jsoninput.h"
#include "row.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QStringList>

// Helpers shared by the appointment, vitals, consultation and prescription verbs: the input
// checks the JsonShape cannot express, merging changes onto a stored record, the ID argument and
// tables for people.

namespace tmdash {

// What an entity's JSON may carry beyond its table's columns.
struct InputRules
{
    JsonShape shape;
    // Fields that only a verb of their own changes (status, signed_at, replaces_id, ...): field ->
    // that verb, named in the read_only message.
    QMap<QString, QString> verbOnly;
    // Text columns holding a closed set: field -> the stored names allowed (code "unknown").
    QMap<QString, QStringList> enums;
};

// rowFromJson(input, rules.shape) plus the rules above and the errors a caller found earlier
// (e.g. a unit that does not exist). A field already reported is not checked again, so each
// failing field appears once; all of them come back together.
Result<Row> checkedRow(QJsonObject input, const InputRules &rules, FieldErrors earlier = {});

// `base` with the plain (non-array) values of `changes` put over it: the record an `update`
// stores. Owned lists (arrays) are left to the caller.
Row mergedRow(Row base, const Row &changes);

// The rows of an owned list as rowFromJson returned them under `key`.
QList<Row> listRows(const Row &input, const QString &key);

// The ID argument of `<entity> <action> ID`: returns 0 and sets `id` when present and a UUID;
// otherwise prints the problem and returns its exit code (usage without an ID, not found for
// something that cannot be an id, as every unknown id is).
int idArgument(const CtlContext &ctx, const QStringList &positional, const QString &usage,
               const QString &what, QString *id);

// Prints `rows` under `header` as left-aligned columns, each as wide as its widest cell.
void printTable(const CtlContext &ctx, const QStringList &header, const QList<QStringList> &rows);

// A number for a table cell: up to one decimal, no trailing ".0"; empty when absent.
QString numberCell(const QJsonValue &value);

} // namespace tmdash
