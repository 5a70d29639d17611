#pragma once

#include "migrator.h"
#include "result.h"

#include <QSqlDatabase>
#include <QString>

class QSqlQuery;

namespace tmdash {

// A parsed database URL: `sqlite:PATH` or
// `postgresql://user:password@host:port/dbname[?sslmode=...&sslrootcert=...]`.
// The query may carry libpq's TLS options, passed through to the connection as they are:
// sslmode (disable, allow, prefer, require, verify-ca, verify-full), sslrootcert, sslcert,
// sslkey, sslcrl (file paths). Any other parameter, or an unknown sslmode, is refused (Invalid,
// field "db"), so that a misspelt option never silently leaves a connection unencrypted.
struct DatabaseUrl
{
    SqlDialect dialect = SqlDialect::Sqlite;
    QString path; // SQLite file
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString databaseName;
    QString sslmode;
    QString sslrootcert;
    QString sslcert;
    QString sslkey;
    QString sslcrl;

    static Result<DatabaseUrl> parse(const QString &url);
    QString redacted() const; // for messages: never shows the password
    // The libpq options of the URL as QPSQL connect options ("sslmode='require';..."), each
    // value quoted for libpq; empty when there are none.
    QString libpqOptions() const;
};

// A handle to one open connection: its name and dialect. Cheap to copy; stores keep one of these
// (never a QSqlDatabase member) and the connection belongs to the thread that opened it.
class Database
{
public:
    Database() = default;

    // Opens a new connection. SQLite files are created readable by their owner only and opened in
    // WAL mode with foreign keys on, a 5 s busy timeout, synchronous=FULL and a 64 MiB page
    // cache. PostgreSQL connections get connect/statement/idle-in-transaction timeouts and TCP
    // keepalives so that nothing hangs. Unreachable -> ErrorCode::Storage.
    static Result<Database> open(const QString &url, const QString &connectionName = {});
    static Result<Database> open(const DatabaseUrl &url, const QString &connectionName = {});

    // Closes and removes the connection.
    void close();

    QString connectionName() const { return m_name; }
    SqlDialect dialect() const { return m_dialect; }
    bool isSqlite() const { return m_dialect == SqlDialect::Sqlite; }
    QSqlDatabase connection() const { return QSqlDatabase::database(m_name, false); }

    // Refuses (Incompatible) a schema newer than this program or a changed migration; fails
    // (Storage) when the database was never migrated up to the latest step.
    Status requireCurrentSchema() const;
    // Migrates an empty or older database up to the latest step.
    Status migrateToLatest() const;

private:
    QString m_name;
    SqlDialect m_dialect = SqlDialect::Sqlite;
};

// Runs `sql` (one statement) and reports a storage error naming the statement's purpose.
Status execSql(const Database &db, const QString &sql);

// The prepared statement for `sql` on this connection, kept until the connection is closed
// (compiling SQL was most of a store write's cost), or nullptr when it does not compile (`error`
// says why). Connections belong to one thread, and so does the cache. Callers finish() the
// statement after use, so that a cached SELECT never holds a read snapshot.
QSqlQuery *cachedStatement(const Database &db, const QString &sql, QString *error);

} // namespace tmdash
