#include "uservalidator.h"

#include "fieldrules.h"

#include <QCoreApplication>
#include <QFile>
#include <QSet>
#include <QStringList>
#include <QtGlobal>

namespace tmdash {

namespace {

constexpr qsizetype kMinEmailPartLength = 3;

QString text(const char *source)
{
    return QCoreApplication::translate("Validation", source);
}

// Loaded once, on first use, case-folded. The file is compiled in; a missing file is a build
// defect that tst_referencefiles reports, so here it is only logged.
const QSet<QString> &commonPasswords()
{
    static const QSet<QString> passwords = [] {
        QSet<QString> out;
        QFile file(QStringLiteral(":/reference/common-passwords.txt"));
        if (!file.open(QIODevice::ReadOnly)) {
            qCritical("tmdash: the common-password list :/reference/common-passwords.txt is "
                      "missing; passwords are not checked against it");
            return out;
        }
        const QList<QByteArray> lines = file.readAll().split('\n');
        out.reserve(lines.size());
        for (const QByteArray &line : lines) {
            const QString entry = QString::fromUtf8(line.trimmed());
            if (!entry.isEmpty())
                out.insert(entry.toCaseFolded());
        }
        return out;
    }();
    return passwords;
}

} // namespace

bool isCommonPassword(const QString &password)
{
    return commonPasswords().contains(password.toCaseFolded());
}

FieldErrors checkPassword(const QString &password, const QString &email)
{
    const QString field = QStringLiteral("password");
    FieldErrors errors;

    const qsizetype length = codePointCount(password);
    if (length < kMinPasswordLength)
        errors.append({field, QStringLiteral("too_short"),
                       text("The password has %1 characters; use at least %2. A few unrelated "
                            "words make a long password that is easy to remember.")
                           .arg(length)
                           .arg(kMinPasswordLength)});
    else if (length > kMaxPasswordLength)
        errors.append({field, QStringLiteral("too_long"),
                       text("The password has %1 characters; at most %2 are allowed.")
                           .arg(length)
                           .arg(kMaxPasswordLength)});

    if (!password.isEmpty() && isCommonPassword(password))
        errors.append({field, QStringLiteral("common_password"),
                       text("This password is on a list of commonly used passwords that "
                            "attackers try first; choose another.")});

    const qsizetype at = email.lastIndexOf(u'@');
    if (at > 0) {
        QStringList parts{email.left(at)};
        const qsizetype plus = parts.front().indexOf(u'+');
        if (plus > 0)
            parts.append(parts.front().left(plus));
        for (const QString &part : std::as_const(parts)) {
            if (codePointCount(part) >= kMinEmailPartLength &&
                password.contains(part, Qt::CaseInsensitive)) {
                errors.append({field, QStringLiteral("contains_email"),
                               text("The password contains the part of the email address "
                                    "before the '@'; choose one that does not.")});
                break;
            }
        }
    }
    return errors;
}

FieldErrors validateUser(const User &user, const QString &defaultCallingCode)
{
    FieldErrors errors;
    checkEmail(errors, QStringLiteral("email"), user.email, Presence::Required);
    checkPersonName(errors, QStringLiteral("given_name"), user.given_name, Presence::Required);
    checkPersonName(errors, QStringLiteral("family_name"), user.family_name, Presence::Required);
    checkPhone(errors, QStringLiteral("phone"), user.phone, Presence::Optional, defaultCallingCode);
    if (user.failed_logins < 0)
        errors.append({QStringLiteral("failed_logins"), QStringLiteral("range"),
                       text("Failed logins cannot be negative (got %1); expected 0 or more.")
                           .arg(user.failed_logins)});
    if (user.totp_enabled && user.totp_secret.isEmpty())
        errors.append({QStringLiteral("totp_secret"), QStringLiteral("required"),
                       text("Two-factor login is switched on but no authenticator secret is "
                            "enrolled; enrol one first, or switch two-factor login off.")});
    return errors;
}

} // namespace tmdash
