#include "clinicroles.h"

#include "transaction.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariantMap>

namespace tmdash {

namespace {

constexpr qsizetype kMaxRoleNameLength = 63; // PostgreSQL's NAMEDATALEN - 1
constexpr qsizetype kMinClinicPasswordLength = 12;
constexpr int kSaltBytes = 16; // as PostgreSQL's own SCRAM verifiers

QString text(const char *message)
{
    return QCoreApplication::translate("Validation", message);
}

Error notOnSqlite()
{
    return Error::invalid(QStringLiteral("db"), QStringLiteral("unsupported"),
                          text("Clinic login roles exist only on a central PostgreSQL database; a "
                               "desktop (SQLite) database holds one clinic and has no database "
                               "roles."));
}

// Runs `sql` with `binds` and returns the query positioned before its first row.
Result<QSqlQuery> run(const Database &db, const QString &sql, const QVariantMap &binds = {})
{
    // QPSQL prepares with SQL-level PREPARE, which takes no DDL: statements without values run
    // as they are.
    QSqlQuery q(db.connection());
    bool ok = false;
    if (binds.isEmpty()) {
        ok = q.exec(sql);
    } else if (q.prepare(sql)) {
        for (auto it = binds.cbegin(); it != binds.cend(); ++it)
            q.bindValue(QLatin1Char(':') + it.key(), it.value());
        ok = q.exec();
    }
    if (!ok) {
        const QString message = q.lastError().text().trimmed();
        if (message.contains(QLatin1String("permission denied")))
            return Error::notPermitted(message);
        return Error::storage(message);
    }
    return q;
}

// One value of a query that returns exactly one row.
Result<QVariant> scalar(const Database &db, const QString &sql, const QVariantMap &binds = {})
{
    auto q = run(db, sql, binds);
    if (!q)
        return q.error();
    if (!q.value().next())
        return Error::storage(QStringLiteral("no row from: ") + sql);
    return q.value().value(0);
}

// Formats a statement on the server (format() with %I for names and %L for literals, the
// values bound) and runs the statement it returns: DDL takes no parameters, and this way no
// name or secret is ever spliced into SQL text here.
Status runFormatted(const Database &db, const QString &formatCall, const QVariantMap &binds)
{
    auto statement = scalar(db, QStringLiteral("SELECT ") + formatCall, binds);
    if (!statement)
        return statement.error();
    auto done = run(db, statement->toString());
    if (!done)
        return done.error();
    return {};
}

QByteArray hmacSha256(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

} // namespace

FieldErrors validateClinicLogin(const QString &login)
{
    static const QRegularExpression shape(QStringLiteral("^[a-z_][a-z0-9_]*$"));
    static const QStringList reserved = {
        QStringLiteral("tmdash_clinic"), QStringLiteral("tmdash_admin"),
        QStringLiteral("public"),        QStringLiteral("none"),
        QStringLiteral("all"),           QStringLiteral("user"),
        QStringLiteral("current_user"),  QStringLiteral("session_user"),
        QStringLiteral("current_role"),
    };
    const QString field = QStringLiteral("login");
    if (login.isEmpty())
        return {{field, QStringLiteral("required"),
                 text("Give the clinic's database login name with --login, e.g. "
                      "clinic_north.")}};
    FieldErrors errors;
    if (login.size() > kMaxRoleNameLength)
        errors.append({field, QStringLiteral("too_long"),
                       text("A database login name has at most %1 characters; got %2.")
                           .arg(kMaxRoleNameLength)
                           .arg(login.size())});
    if (!shape.match(login).hasMatch())
        errors.append({field, QStringLiteral("format"),
                       text("A database login name may contain only lowercase letters a-z, "
                            "digits and '_', and starts with a letter or '_'.")});
    else if (login.startsWith(QLatin1String("pg_")) || reserved.contains(login))
        errors.append({field, QStringLiteral("reserved"),
                       text("'%1' is reserved for PostgreSQL or TMDash itself; choose another "
                            "name, e.g. clinic_north.")
                           .arg(login)});
    return errors;
}

FieldErrors validateClinicPassword(const QString &password)
{
    const QString field = QStringLiteral("password");
    if (password.isEmpty())
        return {{field, QStringLiteral("required"),
                 text("Give the login's password on the first line of stdin.")}};
    FieldErrors errors;
    if (password.size() < kMinClinicPasswordLength)
        errors.append({field, QStringLiteral("too_short"),
                       text("A clinic login's password has at least %1 characters; got %2. "
                            "Generate one, e.g. with `openssl rand -base64 24`.")
                           .arg(kMinClinicPasswordLength)
                           .arg(password.size())});
    for (QChar c : password) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e) {
            errors.append({field, QStringLiteral("format"),
                           text("A clinic login's password may contain only printable ASCII "
                                "characters (letters, digits, punctuation and spaces).")});
            break;
        }
    }
    return errors;
}

QString scramSha256Verifier(const QString &password, const QByteArray &salt, int iterations)
{
    // PBKDF2-HMAC-SHA-256 (RFC 8018) with one output block: SaltedPassword of RFC 5802.
    const QByteArray key = password.toUtf8();
    QByteArray u = hmacSha256(key, salt + QByteArray("\0\0\0\1", 4));
    QByteArray salted = u;
    for (int i = 1; i < iterations; ++i) {
        u = hmacSha256(key, u);
        for (qsizetype j = 0; j < salted.size(); ++j)
            salted[j] = char(salted.at(j) ^ u.at(j));
    }
    const QByteArray clientKey = hmacSha256(salted, QByteArrayLiteral("Client Key"));
    const QByteArray storedKey = QCryptographicHash::hash(clientKey, QCryptographicHash::Sha256);
    const QByteArray serverKey = hmacSha256(salted, QByteArrayLiteral("Server Key"));
    return QStringLiteral("SCRAM-SHA-256$%1:%2$%3:%4")
        .arg(iterations)
        .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(storedKey.toBase64()),
             QString::fromLatin1(serverKey.toBase64()));
}

Result<ClinicRole> createClinicRole(const Database &db, const Principal &actor,
                                    const ClinicId &clinic, const QString &login,
                                    const QString &password)
{
    if (db.isSqlite())
        return notOnSqlite();
    // Who may comes before the input is looked at.
    if (actor.kind != Principal::Kind::Owner)
        return Error::notPermitted(QStringLiteral(
            "only the database's owner creates clinic login roles: run without --as"));
    FieldErrors errors = validateClinicLogin(login);
    errors << validateClinicPassword(password);
    if (!errors.isEmpty())
        return Error::invalid(errors);

    Transaction tx(db);
    if (!tx.started())
        return tx.started().error();
    auto rights = run(db, QStringLiteral("SELECT tmdash_is_admin(), rolsuper OR rolcreaterole "
                                         "FROM pg_roles WHERE rolname = current_user"));
    if (!rights)
        return rights.error();
    if (!rights.value().next() || !rights->value(0).toBool() || !rights->value(1).toBool())
        return Error::notPermitted(QStringLiteral(
            "this connection may not create clinic login roles: connect as the database's "
            "owner (or a member of tmdash_admin) with the CREATEROLE attribute"));

    if (!isUuid(clinic.value))
        return Error::notFound(QStringLiteral("no clinic with id %1").arg(clinic.value));
    auto found = run(db,
                     QStringLiteral("SELECT 1 FROM clinics WHERE id = CAST(:id AS uuid) "
                                    "AND deleted_at IS NULL"),
                     {{QStringLiteral("id"), clinic.value}});
    if (!found)
        return found.error();
    if (!found.value().next())
        return Error::notFound(QStringLiteral("no clinic with id %1").arg(clinic.value));

    const QVariantMap byLogin{{QStringLiteral("login"), login}};
    auto mapping = run(db,
                       QStringLiteral("SELECT CAST(clinic_id AS text), created_at FROM "
                                      "clinic_roles WHERE role_name = :login"),
                       byLogin);
    if (!mapping)
        return mapping.error();
    const bool mapped = mapping.value().next();
    if (mapped && mapping->value(0).toString() != clinic.value)
        return Error::invalid(QStringLiteral("login"), QStringLiteral("duplicate"),
                              text("'%1' is already the login of another clinic; choose another "
                                   "name.")
                                  .arg(login));
    auto role = run(db, QStringLiteral("SELECT 1 FROM pg_roles WHERE rolname = :login"), byLogin);
    if (!role)
        return role.error();
    if (role.value().next() && !mapped)
        return Error::invalid(QStringLiteral("login"), QStringLiteral("duplicate"),
                              text("A database role '%1' already exists and is not this "
                                   "clinic's login; it is never taken over. Choose another "
                                   "name.")
                                  .arg(login));

    QByteArray salt(kSaltBytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(salt.data()),
                                          kSaltBytes / int(sizeof(quint32)));
    const QVariantMap binds{{QStringLiteral("login"), login},
                            {QStringLiteral("secret"), scramSha256Verifier(password, salt)}};
    const QString createOrAlter =
        mapped ? QStringLiteral("format('ALTER ROLE %I WITH LOGIN PASSWORD %L', "
                                "CAST(:login AS text), CAST(:secret AS text))")
               : QStringLiteral("format('CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB "
                                "NOCREATEROLE INHERIT NOREPLICATION NOBYPASSRLS PASSWORD %L "
                                "IN ROLE tmdash_clinic', CAST(:login AS text), "
                                "CAST(:secret AS text))");
    if (Status s = runFormatted(db, createOrAlter, binds); !s)
        return s.error();
    if (mapped) {
        // A rotation also repairs a membership someone revoked by hand.
        if (Status s = runFormatted(db,
                                    QStringLiteral("format('GRANT tmdash_clinic TO %I', "
                                                   "CAST(:login AS text))"),
                                    byLogin);
            !s)
            return s.error();
    }
    if (Status s = runFormatted(db,
                                QStringLiteral("format('GRANT CONNECT ON DATABASE %I TO %I', "
                                               "current_database(), CAST(:login AS text))"),
                                byLogin);
        !s)
        return s.error();

    ClinicRole result{login, clinic, {}};
    if (mapped) {
        result.created_at = mapping->value(1).toDateTime().toUTC();
    } else {
        auto created =
            scalar(db,
                   QStringLiteral("INSERT INTO clinic_roles (role_name, clinic_id) "
                                  "VALUES (:login, CAST(:clinic AS uuid)) "
                                  "RETURNING created_at"),
                   {{QStringLiteral("login"), login}, {QStringLiteral("clinic"), clinic.value}});
        if (!created)
            return created.error();
        result.created_at = created->toDateTime().toUTC();
    }
    if (Status s = tx.commit(); !s)
        return s.error();
    return result;
}

Result<ClinicId> sessionClinic(const Database &db)
{
    if (db.isSqlite())
        return notOnSqlite();
    auto clinic = scalar(db, QStringLiteral("SELECT CAST(tmdash_session_clinic() AS text)"));
    if (!clinic)
        return clinic.error();
    return ClinicId(clinic->isNull() ? QString() : clinic->toString());
}

} // namespace tmdash
