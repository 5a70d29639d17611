#pragma once

#include "database.h"
#include "result.h"

#include <QHash>
#include <QSet>

namespace tmdash {

// One write transaction, rolled back on destruction unless commit() succeeded. On SQLite the
// outermost one starts with BEGIN IMMEDIATE, so a writer waits for the lock (busy timeout) up
// front instead of failing half-way when a read transaction cannot be upgraded. Opened while
// another Transaction is open on the same connection it becomes a savepoint inside it, so a
// store call can be part of a larger unit (a batch, a sync page) and still roll back alone.
//
// An outermost Transaction opened AllOrNothing (a bulk load: the seed, the storage benchmark)
// takes no savepoints for the Transactions inside it: one of them that ends without commit()
// fails the whole unit instead, whose commit() then returns that failure and rolls everything
// back. Nothing partial is kept either way; the bulk load skips the savepoint's copy of every
// page a store call touches.
class Transaction
{
public:
    enum class Nesting { Savepoints, AllOrNothing };

    explicit Transaction(const Database &db, Nesting nesting = Nesting::Savepoints);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    // The result of BEGIN; a store checks it before writing.
    const Status &started() const { return m_started; }
    Status commit();

private:
    Database m_db;
    Status m_started;
    int m_depth = 0; // 0 = outermost
    bool m_open = false;
    bool m_savepoint = false;
};

// Whether a Transaction is open on the database's connection.
bool inTransaction(const Database &db);

// Per-record work that is cheaper done once for a whole transaction than once per write (the
// desktop's full-text index flushes its buffer at every savepoint). `id` is remembered under `key`
// until just before the outermost Transaction on the connection commits, where `apply` gets
// every id remembered under that key, inside the transaction (a failure fails the commit, and the
// caller's transaction rolls back). Ids of a savepoint that rolled back are still passed: `apply`
// reads what the database holds now. A rollback of the outermost transaction forgets them.
// Outside a transaction `apply` runs at once.
using DeferredWork = Status (*)(const Database &db, const QSet<QString> &ids);
Status deferUntilCommit(const Database &db, QStringView key, const QString &id, DeferredWork apply);
// Runs the work remembered under `key` now (e.g. before reading what it maintains); an empty key
// runs all of it (what the outermost commit does).
Status runDeferred(const Database &db, QStringView key);

// A number that changes whenever the outermost Transaction on the connection begins or ends and
// whenever one of its savepoints is rolled back: what was read or written under one number is
// still what the database holds while the number stays the same.
quint64 transactionGeneration(const Database &db);

// A value per connection that holds only inside the open Transaction it was kept in, and until a
// rollback to any savepoint of it. While a write transaction is open nobody else can change the
// rows it read (SQLite's write lock, or a lock the caller holds on PostgreSQL), so a store can
// answer repeated reads in it from memory. Used as a thread_local, like the connections.
template <typename T>
class TransactionScoped
{
public:
    const T *find(const Database &db) const
    {
        auto it = m_values.constFind(db.connectionName());
        if (it == m_values.constEnd() || !inTransaction(db)
            || it->generation != transactionGeneration(db))
            return nullptr;
        return &it->value;
    }
    void keep(const Database &db, T value)
    {
        if (inTransaction(db))
            m_values.insert(db.connectionName(), {transactionGeneration(db), std::move(value)});
    }

private:
    struct Entry
    {
        quint64 generation = 0;
        T value;
    };
    QHash<QString, Entry> m_values;
};

} // namespace tmdash
