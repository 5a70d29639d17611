#include "verbsupport.h"
#include "usercodec.h"
#include "cliniccodec.h"

#include "ids.h"

#include <QSet>

#include <algorithm>

namespace tmdash {

namespace {

// The top-level JSON key an error's field belongs to ("diagnoses[0].icd10_code" -> "diagnoses").
QString topLevelKey(const QString &field)
{
    qsizetype end = field.size();
    for (QChar stop : {QLatin1Char('['), QLatin1Char('.')})
        if (const qsizetype i = field.indexOf(stop); i >= 0 && i < end)
            end = i;
    return field.left(end);
}

} // namespace

Result<Row> checkedRow(QJsonObject input, const InputRules &rules, FieldErrors earlier)
{
    FieldErrors errors = std::move(earlier);
    for (auto it = rules.verbOnly.constBegin(); it != rules.verbOnly.constEnd(); ++it) {
        if (!input.contains(it.key()))
            continue;
        errors << FieldError{
            it.key(), QStringLiteral("read_only"),
            QStringLiteral("'%1' cannot be sent; it changes with %2").arg(it.key(), it.value())};
    }
    for (auto it = rules.enums.constBegin(); it != rules.enums.constEnd(); ++it) {
        if (!input.contains(it.key()))
            continue;
        const QJsonValue value = input.value(it.key());
        if (value.isString() && it.value().contains(value.toString()))
            continue;
        if (!value.isString() && !value.isNull())
            continue; // a wrong type: rowFromJson says so
        errors << FieldError{
            it.key(), value.isNull() ? QStringLiteral("required") : QStringLiteral("unknown"),
            QStringLiteral("'%1' must be one of: %2")
                .arg(it.key(), it.value().join(QStringLiteral(", ")))};
    }
    QSet<QString> reported;
    for (const FieldError &e : errors)
        reported.insert(topLevelKey(e.field));
    for (const QString &key : reported)
        input.remove(key);
    auto row = rowFromJson(input, rules.shape);
    if (!row)
        errors << row.error().fields;
    if (!errors.isEmpty())
        return Error::invalid(errors);
    return *row;
}

Row mergedRow(Row base, const Row &changes)
{
    for (auto it = changes.constBegin(); it != changes.constEnd(); ++it)
        if (!it.value().isArray())
            base.insert(it.key(), it.value());
    return base;
}

QList<Row> listRows(const Row &input, const QString &key)
{
    QList<Row> out;
    for (const QJsonValue &v : input.value(key).toArray())
        out << v.toObject();
    return out;
}

int idArgument(const CtlContext &ctx, const QStringList &positional, const QString &usage,
               const QString &what, QString *id)
{
    if (positional.size() != 2)
        return ctx.usage(usage);
    *id = positional.at(1).toLower();
    if (!isUuid(*id))
        return ctx.fail(
            Error::notFound(QStringLiteral("no %1 with id %2").arg(what, positional.at(1))));
    return ExitOk;
}

void printTable(const CtlContext &ctx, const QStringList &header, const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QString &h : header)
        widths << h.size();
    for (const QStringList &r : rows)
        for (qsizetype i = 0; i < r.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], r.at(i).size());
    auto line = [&](const QStringList &cells) {
        QString text;
        for (qsizetype i = 0; i < cells.size(); ++i)
            text += i + 1 == cells.size()
                        ? cells.at(i)
                        : cells.at(i).leftJustified(widths.value(i)) + QLatin1String("  ");
        *ctx.out << text << '\n';
    };
    line(header);
    for (const QStringList &r : rows)
        line(r);
}

QString numberCell(const QJsonValue &value)
{
    if (!value.isDouble())
        return {};
    QString text = QString::number(value.toDouble(), 'f', 1);
    if (text.endsWith(QLatin1String(".0")))
        text.chop(2);
    return text;
}

QJsonObject clinicJson(const Clinic &clinic)
{
    return toRow(clinic);
}

QJsonObject userJson(const User &user)
{
    Row row = toRow(user);
    row.remove(QStringLiteral("password_hash"));
    row.remove(QStringLiteral("totp_secret"));
    row.remove(QStringLiteral("recovery_codes"));
    if (user.totp_enabled)
        row.insert(QStringLiteral("recovery_codes_left"), int(user.recovery_codes.size()));
    putInt(row, QStringLiteral("failed_logins"), user.failed_logins);
    putInstant(row, QStringLiteral("locked_until"), user.locked_until);
    putInstant(row, QStringLiteral("last_login_at"), user.last_login_at);
    return row;
}

QString passwordFromStdin(const CtlContext &ctx)
{
    QString password = ctx.in->readLine();
    if (password.endsWith(QLatin1Char('\r')))
        password.chop(1);
    return password;
}

int checkOptions(const CtlContext &ctx, const QStringList &withValue, const QStringList &flags)
{
    for (int i = 0; i < ctx.args.size(); ++i) {
        const QString &a = ctx.args.at(i);
        if (!a.startsWith(QLatin1String("--")))
            continue;
        const QString name = a.mid(2);
        if (withValue.contains(name)) {
            if (i + 1 >= ctx.args.size())
                return ctx.usage(QStringLiteral("%1 needs a value").arg(a));
            ++i;
        } else if (!flags.contains(name)) {
            return ctx.usage(QStringLiteral("unknown option %1").arg(a));
        }
    }
    return ExitOk;
}

} // namespace tmdash
