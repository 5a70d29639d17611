#include "ctlcontext.h"

#include "authenticator.h"
#include "recordtable.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

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

namespace {

// Reads one line from the controlling terminal without echoing it; empty when there is none.
std::optional<QString> promptOnTerminal(const QString &prompt, bool secret)
{
    const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    const QByteArray text = prompt.toUtf8();
    if (::write(fd, text.constData(), size_t(text.size())) < 0) {
        ::close(fd);
        return std::nullopt;
    }
    termios saved{};
    const bool restore = secret && ::tcgetattr(fd, &saved) == 0;
    if (restore) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    QByteArray line;
    char c = 0;
    while (::read(fd, &c, 1) == 1 && c != '\n')
        line.append(c);
    if (restore) {
        ::tcsetattr(fd, TCSAFLUSH, &saved);
        [[maybe_unused]] const auto ignored = ::write(fd, "\n", 1);
    }
    ::close(fd);
    if (line.endsWith('\r'))
        line.chop(1);
    return QString::fromUtf8(line);
}

} // namespace

Result<Principal> CtlContext::principal() const
{
    if (asEmail.isEmpty())
        return Principal::owner();
    return person();
}

Result<Principal> CtlContext::person() const
{
    if (m_person)
        return *m_person;
    if (asEmail.isEmpty())
        return Error{ErrorCode::NotAuthenticated,
                     QStringLiteral("this command acts as a user: give --as EMAIL (with TMDASH_PASSWORD, "
                                    "or answer the password prompt)"),
                     {}};
    LoginAttempt attempt;
    attempt.email = asEmail;
    if (const QString clinic = option(QStringLiteral("clinic")); isUuid(clinic))
        attempt.clinic = ClinicId(clinic.toLower());
    if (qEnvironmentVariableIsSet("TMDASH_PASSWORD")) {
        attempt.password = qEnvironmentVariable("TMDASH_PASSWORD");
    } else if (auto typed = promptOnTerminal(QStringLiteral("Password for %1: ").arg(asEmail), true)) {
        attempt.password = *typed;
    } else {
        return Error{ErrorCode::NotAuthenticated,
                     QStringLiteral("no password for %1: set TMDASH_PASSWORD or run from a terminal").arg(asEmail),
                     {}};
    }
    attempt.second_factor = qEnvironmentVariable("TMDASH_TOTP");
    const Authenticator authenticator(db);
    Result<Principal> result = authenticator.login(attempt);
    const auto needsCode = [](const Result<Principal> &r) {
        return !r && !r.error().fields.isEmpty() && r.error().fields.first().field == QLatin1String("totp");
    };
    if (needsCode(result) && attempt.second_factor.isEmpty()) {
        if (auto typed = promptOnTerminal(QStringLiteral("TOTP code for %1: ").arg(asEmail), false)) {
            attempt.second_factor = *typed;
            result = authenticator.login(attempt);
        }
    }
    if (needsCode(result))
        result = Error{ErrorCode::NotAuthenticated,
                       QStringLiteral("%1 needs a TOTP code: set TMDASH_TOTP (or a recovery code) or run "
                                      "from a terminal").arg(asEmail),
                       {}};
    m_person = result;
    return result;
}

} // namespace tmdash
