#pragma once

#include "database.h"
#include "result.h"

namespace tmdash {

// One write transaction, rolled back on destruction unless commit() succeeded. On SQLite the
// outermost one starts with BEGIN IMMEDIATE, so a writer waits for the lock (busy timeout) up
// front instead of failing half-way when a read transaction cannot be upgraded. Opened while
// another Transaction is open on the same connection it becomes a savepoint inside it, so a
// store call can be part of a larger unit (a batch, a sync page) and still roll back alone.
class Transaction
{
public:
    explicit Transaction(const Database &db);
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
};

} // namespace tmdash
