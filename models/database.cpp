#include "database.h"

#include "sqlitestatement.h"

#include <QAtomicInt>
#include <QFile>
#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>

namespace tmdash {

namespace {

thread_local QHash<QString, QHash<QString, QSqlQuery>> statementCache; // by connection, then SQL

QString uniqueConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("tmdash-%1").arg(counter.fetchAndAddRelaxed(1));
}

int envSeconds(const char *name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

} // namespace

Result<DatabaseUrl> DatabaseUrl::parse(const QString &text)
{
    DatabaseUrl url;
    if (text.startsWith(QLatin1String("sqlite:"))) {
        url.dialect = SqlDialect::Sqlite;
        url.path = text.mid(7);
        if (url.path.startsWith(QLatin1String("//")))
            url.path = url.path.mid(2);
        if (url.path.isEmpty())
            return Error::invalid(QStringLiteral("db"), QStringLiteral("format"),
                                  QStringLiteral("sqlite: URL needs a file path, e.g. sqlite:/var/lib/tmdash/clinic.db"));
        return url;
    }
    if (text.startsWith(QLatin1String("postgresql://")) || text.startsWith(QLatin1String("postgres://"))) {
        const QUrl u(text);
        if (!u.isValid() || u.host().isEmpty() || u.path().size() < 2)
            return Error::invalid(QStringLiteral("db"), QStringLiteral("format"),
                                  QStringLiteral("expected postgresql://user:password@host:port/dbname"));
        url.dialect = SqlDialect::Postgres;
        url.host = u.host();
        url.port = u.port(5432);
        url.user = u.userName();
        url.password = u.password();
        url.databaseName = u.path().mid(1);
        const auto items = QUrlQuery(u).queryItems(QUrl::FullyDecoded);
        for (const auto &[key, value] : items) {
            QString *target = key == QLatin1String("sslmode")       ? &url.sslmode
                              : key == QLatin1String("sslrootcert") ? &url.sslrootcert
                              : key == QLatin1String("sslcert")     ? &url.sslcert
                              : key == QLatin1String("sslkey")      ? &url.sslkey
                              : key == QLatin1String("sslcrl")      ? &url.sslcrl
                                                                    : nullptr;
            if (!target)
                return Error::invalid(
                    QStringLiteral("db"), QStringLiteral("unknown"),
                    QStringLiteral("unknown database URL option '%1': use sslmode, sslrootcert, "
                                   "sslcert, sslkey or sslcrl")
                        .arg(key));
            // QPSQL turns ';' into the separator of its options, so such a value cannot pass.
            if (value.isEmpty() || value.contains(QLatin1Char(';')))
                return Error::invalid(QStringLiteral("db"), QStringLiteral("format"),
                                      QStringLiteral("the database URL option %1 needs a value "
                                                     "without ';'")
                                          .arg(key));
            *target = value;
        }
        static const QStringList sslmodes = {
            QStringLiteral("disable"), QStringLiteral("allow"),     QStringLiteral("prefer"),
            QStringLiteral("require"), QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
        if (!url.sslmode.isEmpty() && !sslmodes.contains(url.sslmode))
            return Error::invalid(QStringLiteral("db"), QStringLiteral("unknown"),
                                  QStringLiteral("unknown sslmode '%1': use disable, allow, "
                                                 "prefer, require, verify-ca or verify-full")
                                      .arg(url.sslmode));
        return url;
    }
    return Error::invalid(QStringLiteral("db"), QStringLiteral("format"),
                          QStringLiteral("unknown database URL '%1': use sqlite:PATH or "
                                         "postgresql://user:password@host:port/dbname")
                              .arg(text));
}

QString DatabaseUrl::redacted() const
{
    if (dialect == SqlDialect::Sqlite)
        return QStringLiteral("sqlite:") + path;
    QString text =
        QStringLiteral("postgresql://%1@%2:%3/%4").arg(user, host).arg(port).arg(databaseName);
    if (!sslmode.isEmpty())
        text += QStringLiteral("?sslmode=") + sslmode;
    return text;
}

QString DatabaseUrl::libpqOptions() const
{
    // libpq conninfo values in single quotes, with \ and \' escaped: paths may hold spaces.
    const auto quoted = [](QString value) {
        value.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
        value.replace(QLatin1Char('\''), QStringLiteral("\\'"));
        return QString(QLatin1Char('\'') + value + QLatin1Char('\''));
    };
    QStringList options;
    for (const auto &[key, value] :
         {std::pair{"sslmode", &sslmode}, std::pair{"sslrootcert", &sslrootcert},
          std::pair{"sslcert", &sslcert}, std::pair{"sslkey", &sslkey},
          std::pair{"sslcrl", &sslcrl}})
        if (!value->isEmpty())
            options << QString::fromLatin1(key) + QLatin1Char('=') + quoted(*value);
    return options.join(QLatin1Char(';'));
}

Result<Database> Database::open(const QString &url, const QString &connectionName)
{
    auto parsed = DatabaseUrl::parse(url);
    if (!parsed)
        return parsed.error();
    return open(*parsed, connectionName);
}

Result<Database> Database::open(const DatabaseUrl &url, const QString &connectionName)
{
    Database handle;
    handle.m_name = connectionName.isEmpty() ? uniqueConnectionName() : connectionName;
    handle.m_dialect = url.dialect;
    if (url.dialect == SqlDialect::Sqlite) {
        if (!QFile::exists(url.path)) {
            // Created owner-only before SQLite touches it: the file holds patient records.
            QFile f(url.path);
            if (!f.open(QIODevice::WriteOnly))
                return Error::storage(QStringLiteral("cannot create database file %1: %2")
                                          .arg(url.path, f.errorString()));
            f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), handle.m_name);
        db.setDatabaseName(url.path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
        if (!db.open()) {
            const QString message = db.lastError().text();
            handle.close();
            return Error::storage(QStringLiteral("cannot open %1: %2").arg(url.path, message));
        }
        for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON",
                                   "PRAGMA synchronous=FULL", "PRAGMA cache_size=-65536",
                                   "PRAGMA busy_timeout=10000", "PRAGMA temp_store=MEMORY"}) {
            if (Status s = execSql(handle, QString::fromLatin1(pragma)); !s) {
                handle.close();
                return s.error();
            }
        }
        return handle;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), handle.m_name);
    db.setHostName(url.host);
    db.setPort(url.port);
    db.setUserName(url.user);
    db.setPassword(url.password);
    db.setDatabaseName(url.databaseName);
    QString options = QStringLiteral("connect_timeout=%1;keepalives=1;keepalives_idle=10;"
                                     "keepalives_interval=5;keepalives_count=3;"
                                     "application_name=tmdash")
                          .arg(envSeconds("TMDASH_CONNECT_TIMEOUT", 5));
    if (const QString tls = url.libpqOptions(); !tls.isEmpty())
        options += QLatin1Char(';') + tls;
    db.setConnectOptions(options);
    if (!db.open()) {
        const QString message = db.lastError().text();
        db = QSqlDatabase(); // no handle may be left when the connection is removed
        handle.close();
        return Error::storage(QStringLiteral("cannot connect to %1: %2").arg(url.redacted(), message.trimmed()));
    }
    const QString setup = QStringLiteral(
        "SET statement_timeout = '%1s'; SET idle_in_transaction_session_timeout = '%2s'; "
        "SET client_min_messages = warning; SET TIME ZONE 'UTC'")
                              .arg(envSeconds("TMDASH_STATEMENT_TIMEOUT", 60))
                              .arg(envSeconds("TMDASH_IDLE_TX_TIMEOUT", 120));
    if (Status s = execSql(handle, setup); !s) {
        handle.close();
        return s.error();
    }
    return handle;
}

void Database::close()
{
    if (m_name.isEmpty())
        return;
    statementCache.remove(m_name);
    forgetSqliteStatements(m_name);
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
    m_name.clear();
}

Status Database::requireCurrentSchema() const
{
    Migrator migrator(m_name, m_dialect);
    const Migrator::Outcome outcome = migrator.check();
    if (outcome.kind == Migrator::Outcome::Incompatible)
        return Error::incompatible(outcome.message);
    if (!outcome.ok())
        return Error::storage(outcome.message);
    if (migrator.currentVersion() < migrator.latestVersion())
        return Error::storage(QStringLiteral("the database schema is at step %1 of %2: run "
                                             "`tmdashctl migrate up` first")
                                  .arg(migrator.currentVersion())
                                  .arg(migrator.latestVersion()));
    return {};
}

Status Database::migrateToLatest() const
{
    Migrator migrator(m_name, m_dialect);
    const Migrator::Outcome outcome = migrator.up();
    if (outcome.kind == Migrator::Outcome::Incompatible)
        return Error::incompatible(outcome.message);
    if (!outcome.ok())
        return Error::storage(outcome.message);
    return {};
}

QSqlQuery *cachedStatement(const Database &db, const QString &sql, QString *error)
{
    auto &perConnection = statementCache[db.connectionName()];
    auto it = perConnection.find(sql);
    if (it == perConnection.end()) {
        QSqlQuery q(db.connection());
        q.setForwardOnly(true);
        if (!q.prepare(sql)) {
            *error = q.lastError().text();
            return nullptr;
        }
        it = perConnection.insert(sql, q);
    }
    return &it.value();
}

Status execSql(const Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql))
        return Error::storage(q.lastError().text());
    return {};
}

} // namespace tmdash
