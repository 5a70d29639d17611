#include "transaction.h"

#include "sqlitestatement.h"


namespace tmdash {

namespace {

// Per connection; connections belong to one thread, so per thread.
struct ConnectionState
{
    int depth = 0; // open Transactions
    quint64 generation = 0;
};
thread_local QHash<QString, ConnectionState> connections;
thread_local quint64 lastGeneration = 0;

void newGeneration(const Database &db)
{
    connections[db.connectionName()].generation = ++lastGeneration;
}

void setDepth(const Database &db, int depth)
{
    connections[db.connectionName()].depth = depth;
}

QString savepoint(int depth)
{
    return QStringLiteral("tmdash_sp%1").arg(depth);
}

// Transaction control runs once per store write: on SQLite its statements are prepared once per
// connection. (PostgreSQL cannot prepare them.)
Status control(const Database &db, const QString &sql)
{
    if (!db.isSqlite())
        return execSql(db, sql);
    QString error;
    SqliteStatement *statement = SqliteStatement::cached(db, sql, &error);
    if (!statement)
        return Error::storage(error);
    if (!statement->run())
        return Error::storage(statement->errorText());
    return {};
}

} // namespace

bool inTransaction(const Database &db)
{
    return connections.value(db.connectionName()).depth > 0;
}

quint64 transactionGeneration(const Database &db)
{
    return connections.value(db.connectionName()).generation;
}

Transaction::Transaction(const Database &db)
    : m_db(db), m_depth(connections.value(db.connectionName()).depth)
{
    if (m_depth == 0)
        m_started = control(m_db, m_db.isSqlite() ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
    else
        m_started = control(m_db, QStringLiteral("SAVEPOINT ") + savepoint(m_depth));
    m_open = m_started.ok();
    if (m_open) {
        setDepth(m_db, m_depth + 1);
        if (m_depth == 0)
            newGeneration(m_db);
    }
}

Transaction::~Transaction()
{
    if (!m_open)
        return;
    if (m_depth == 0) {
        const Status ignored = control(m_db, QStringLiteral("ROLLBACK"));
        Q_UNUSED(ignored)
    } else {
        const Status undone = control(m_db, QStringLiteral("ROLLBACK TO ") + savepoint(m_depth));
        const Status released = control(m_db, QStringLiteral("RELEASE ") + savepoint(m_depth));
        Q_UNUSED(undone)
        Q_UNUSED(released)
    }
    setDepth(m_db, m_depth);
    newGeneration(m_db);
}

Status Transaction::commit()
{
    if (!m_open)
        return Error::storage(QStringLiteral("commit without an open transaction"));
    Status s = control(m_db, m_depth == 0 ? QStringLiteral("COMMIT") : QStringLiteral("RELEASE ") + savepoint(m_depth));
    if (s) {
        m_open = false;
        setDepth(m_db, m_depth);
        if (m_depth == 0)
            newGeneration(m_db);
    }
    return s;
}

} // namespace tmdash
