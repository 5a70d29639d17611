#include "transaction.h"

#include "sqlitestatement.h"

#include <algorithm>
#include <utility>

namespace tmdash {

namespace {

struct Deferred
{
    QString key;
    DeferredWork apply = nullptr;
    QSet<QString> ids;     // still to apply
    QSet<QString> applied; // applied early (runDeferred) in the open transaction
};

// Per connection; connections belong to one thread, so per thread.
struct ConnectionState
{
    int depth = 0; // open Transactions
    quint64 generation = 0;
    QList<Deferred> deferred; // of the open outermost transaction
    bool allOrNothing = false; // the outermost one was opened AllOrNothing
    bool failed = false;       // ... and a Transaction inside it ended without commit
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

Error failedUnit()
{
    return Error::storage(QStringLiteral(
        "an earlier write in this all-or-nothing transaction failed, so none of it was saved"));
}

// The outermost Transaction has ended: its mode goes with it.
void endUnit(const Database &db)
{
    ConnectionState &state = connections[db.connectionName()];
    state.allOrNothing = false;
    state.failed = false;
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

// What was applied early may have been undone by a savepoint's rollback: it is applied again.
void reopenDeferred(const Database &db)
{
    for (Deferred &d : connections[db.connectionName()].deferred)
        d.ids.unite(std::exchange(d.applied, {}));
}

} // namespace

// Runs the pending deferred work under `key`, or all of it for an empty key (the commit). Work
// that defers more is run too.
Status runDeferred(const Database &db, QStringView key)
{
    for (;;) {
        QList<Deferred> &deferred = connections[db.connectionName()].deferred;
        const auto it = std::find_if(deferred.begin(), deferred.end(), [&](const Deferred &d) {
            return (key.isEmpty() || d.key == key) && !d.ids.isEmpty();
        });
        if (it == deferred.end())
            return {};
        const QSet<QString> ids = std::exchange(it->ids, {});
        it->applied.unite(ids);
        const DeferredWork apply = it->apply;
        if (Status s = apply(db, ids); !s)
            return s;
    }
}

Status deferUntilCommit(const Database &db, QStringView key, const QString &id, DeferredWork apply)
{
    if (!inTransaction(db))
        return apply(db, {id});
    QList<Deferred> &deferred = connections[db.connectionName()].deferred;
    for (Deferred &d : deferred) {
        if (d.key == key) {
            d.ids.insert(id);
            return {};
        }
    }
    deferred.append({key.toString(), apply, {id}, {}});
    return {};
}

bool inTransaction(const Database &db)
{
    return connections.value(db.connectionName()).depth > 0;
}

quint64 transactionGeneration(const Database &db)
{
    return connections.value(db.connectionName()).generation;
}

Transaction::Transaction(const Database &db, Nesting nesting)
    : m_db(db), m_depth(connections.value(db.connectionName()).depth)
{
    const ConnectionState &state = connections[m_db.connectionName()];
    m_savepoint = m_depth > 0 && !state.allOrNothing;
    if (m_depth == 0)
        m_started = control(m_db, m_db.isSqlite() ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
    else if (m_savepoint)
        m_started = control(m_db, QStringLiteral("SAVEPOINT ") + savepoint(m_depth));
    else if (state.failed)
        m_started = failedUnit();
    m_open = m_started.ok();
    if (m_open) {
        setDepth(m_db, m_depth + 1);
        if (m_depth == 0) {
            newGeneration(m_db);
            ConnectionState &opened = connections[m_db.connectionName()];
            opened.deferred.clear();
            opened.allOrNothing = nesting == Nesting::AllOrNothing;
        }
    }
}

Transaction::~Transaction()
{
    if (!m_open)
        return;
    if (m_depth == 0) {
        const Status ignored = control(m_db, QStringLiteral("ROLLBACK"));
        Q_UNUSED(ignored)
        connections[m_db.connectionName()].deferred.clear();
        endUnit(m_db);
    } else if (m_savepoint) {
        const Status undone = control(m_db, QStringLiteral("ROLLBACK TO ") + savepoint(m_depth));
        reopenDeferred(m_db);
        const Status released = control(m_db, QStringLiteral("RELEASE ") + savepoint(m_depth));
        Q_UNUSED(undone)
        Q_UNUSED(released)
    } else {
        connections[m_db.connectionName()].failed = true;
    }
    setDepth(m_db, m_depth);
    newGeneration(m_db);
}

Status Transaction::commit()
{
    if (!m_open)
        return Error::storage(QStringLiteral("commit without an open transaction"));
    if (connections[m_db.connectionName()].failed)
        return failedUnit(); // the destructors roll back
    if (m_depth == 0)
        if (Status done = runDeferred(m_db, {}); !done)
            return done;
    Status s;
    if (m_depth == 0)
        s = control(m_db, QStringLiteral("COMMIT"));
    else if (m_savepoint)
        s = control(m_db, QStringLiteral("RELEASE ") + savepoint(m_depth));
    if (s) {
        m_open = false;
        setDepth(m_db, m_depth);
        if (m_depth == 0) {
            newGeneration(m_db);
            endUnit(m_db);
        }
    }
    return s;
}

} // namespace tmdash
