#include "ctlcontext.h"

#include "recordtable.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tmdash {

int exitCodeFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Invalid:
        return ExitInvalid;
    case ErrorCode::NotFound:
        return ExitNotFound;
    case ErrorCode::NotPermitted:
    case ErrorCode::NotAuthenticated:
        return ExitNotPermitted;
    case ErrorCode::Storage:
        return ExitUnavailable;
    case ErrorCode::Incompatible:
        return ExitIncompatible;
    case ErrorCode::Integrity:
        return ExitIntegrity;
    }
    return ExitUnavailable;
}

int CtlContext::fail(const Error &error) const
{
    if (error.code == ErrorCode::Invalid) {
        QJsonArray errors;
        for (const FieldError &e : error.fields)
            errors.append(QJsonObject{{QStringLiteral("field"), e.field},
                                      {QStringLiteral("code"), e.code},
                                      {QStringLiteral("message"), e.message}});
        printJson(QJsonObject{{QStringLiteral("errors"), errors}});
    }
    *err << "tmdashctl: " << error.message << '\n';
    return exitCodeFor(error.code);
}

int CtlContext::usage(const QString &message) const
{
    *err << "tmdashctl: " << message << "\n(see tmdashctl --help)\n";
    return ExitUsage;
}

void CtlContext::printJson(const QJsonValue &value) const
{
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    *out << QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}

QString CtlContext::option(const QString &name) const
{
    const int i = int(args.indexOf(QStringLiteral("--") + name));
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : QString();
}

bool CtlContext::flag(const QString &name) const
{
    return args.contains(QStringLiteral("--") + name);
}

QStringList CtlContext::positional(const QStringList &optionsWithValue) const
{
    QStringList found;
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a.startsWith(QLatin1String("--"))) {
            if (optionsWithValue.contains(a.mid(2)))
                ++i;
            continue;
        }
        found << a;
    }
    return found;
}

Result<QJsonObject> CtlContext::readJsonObject() const
{
    const QByteArray text = in->readAll().toUtf8();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::invalid(QStringLiteral("json"), QStringLiteral("format"),
                              QStringLiteral("stdin is not valid JSON: %1 at offset %2")
                                  .arg(parseError.errorString())
                                  .arg(parseError.offset));
    if (!doc.isObject())
        return Error::invalid(QStringLiteral("json"), QStringLiteral("format"),
                              QStringLiteral("expected one JSON object on stdin"));
    return doc.object();
}

Result<Principal> CtlContext::principal() const
{
    if (asEmail.isEmpty())
        return Principal::owner();
    auto rows = RecordTable(db, u"users").select(QStringLiteral("lower(email) = lower(:email) AND deleted_at IS NULL"),
                                                 {{QStringLiteral("email"), asEmail}});
    if (!rows)
        return rows.error();
    if (rows->size() != 1)
        return Error{ErrorCode::NotAuthenticated, QStringLiteral("login failed for %1").arg(asEmail), {}};
    const Row &u = rows->first();
    return Principal{Principal::Kind::Person, UserId(u.value(u"id").toString()),
                     ClinicId(u.value(u"clinic_id").toString()),
                     enumFromString<Role>(u.value(u"role").toString()).value_or(Role::Patient), {}};
}

} // namespace tmdash
