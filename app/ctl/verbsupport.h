#pragma once

#include "clinic.h"
#include "ctlcontext.h"
#include "jsoninput.h"
#include "row.h"
#include "user.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QStringList>

// Helpers shared by the entity verbs: the input checks the JsonShape cannot express, merging
// changes onto a stored record, the ID argument, option checking, JSON for clinics and users, and
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

// The stored clinic as JSON: its row (business_hours as {"1": {"open": "08:00", "close":
// "17:00"}, ...}, keyed by ISO weekday, closed days absent) with the bookkeeping fields.
QJsonObject clinicJson(const Clinic &clinic);

// The stored user as JSON without its secrets: password_hash and totp_secret never leave the
// program. The desktop-local login bookkeeping (failed_logins, locked_until, last_login_at) is
// included, read-only.
QJsonObject userJson(const User &user);
// A password from the first line of stdin (what --password-stdin promises), without its newline.
QString passwordFromStdin(const CtlContext &ctx);

// A usage error (exit 64) for the first `--option` in ctx.args that is neither in `withValue`
// nor in `flags`, or for an option of `withValue` given without its value; 0 when all are
// known. A mistyped option must not be ignored silently (e.g. `--clinc` adding to the wrong
// clinic).
int checkOptions(const CtlContext &ctx, const QStringList &withValue,
                 const QStringList &flags = {});

} // namespace tmdash
