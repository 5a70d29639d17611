#pragma once

#include "ctl.h"
#include "database.h"
#include "principal.h"
#include "result.h"

#include <QJsonObject>
#include <QStringList>
#include <QTextStream>

#include <optional>

namespace tmdash {

// What one tmdashctl invocation carries through its verbs: the global options, the streams and
// the open database.
struct CtlContext
{
    QString dbUrl;
    QString asEmail;
    bool json = false;
    QStringList args; // the verb's own arguments (after the verb words)
    QTextStream *in = nullptr;
    QTextStream *out = nullptr;
    QTextStream *err = nullptr;
    Database db;

    // Prints an error the way the contract says (field errors as JSON on stdout for exit 2) and
    // returns the exit code for it.
    int fail(const Error &error) const;
    int usage(const QString &message) const;
    void printJson(const QJsonValue &value) const;

    // `--name VALUE` from args, or empty.
    QString option(const QString &name) const;
    bool flag(const QString &name) const;
    // The positional arguments (those not starting with "--" and not an option's value).
    QStringList positional(const QStringList &optionsWithValue) const;

    // Reads one JSON object from stdin; Invalid (field "json") when it is not one.
    Result<QJsonObject> readJsonObject() const;
    // The acting principal: the database owner without --as; with --as, the user of that email
    // once authenticated (person()).
    Result<Principal> principal() const;
    // The user named by --as, authenticated with TMDASH_PASSWORD (else a prompt on the terminal)
    // and, when the account has TOTP, TMDASH_TOTP (else a prompt); NotAuthenticated (exit 4)
    // without --as or when the login fails. Logs in once per invocation.
    Result<Principal> person() const;

private:
    mutable std::optional<Result<Principal>> m_person; // one login per invocation
};

int exitCodeFor(ErrorCode code);

} // namespace tmdash
