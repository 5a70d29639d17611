#include "transaction.h"

#include <QHash>

namespace tmdash {

namespace {

// Open transactions per connection; connections belong to one thread, so per thread.
thread_local QHash<QString, int> openDepth;

QString savepoint(int depth)
{
    return QStringLiteral("tmdash_sp%1").arg(depth);
}

} // namespace

Transaction::Transaction(const Database &db) : m_db(db), m_depth(openDepth.value(db.connectionName()))
{
    if (m_depth == 0)
        m_started = execSql(m_db, m_db.isSqlite() ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
    else
        m_started = execSql(m_db, QStringLiteral("SAVEPOINT ") + savepoint(m_depth));
    m_open = m_started.ok();
    if (m_open)
        openDepth[m_db.connectionName()] = m_depth + 1;
}

Transaction::~Transaction()
{
    if (!m_open)
        return;
    if (m_depth == 0) {
        const Status ignored = execSql(m_db, QStringLiteral("ROLLBACK"));
        Q_UNUSED(ignored)
    } else {
        const Status undone = execSql(m_db, QStringLiteral("ROLLBACK TO ") + savepoint(m_depth));
        const Status released = execSql(m_db, QStringLiteral("RELEASE ") + savepoint(m_depth));
        Q_UNUSED(undone)
        Q_UNUSED(released)
    }
    openDepth[m_db.connectionName()] = m_depth;
}

Status Transaction::commit()
{
    if (!m_open)
        return Error::storage(QStringLiteral("commit without an open transaction"));
    Status s = execSql(m_db, m_depth == 0 ? QStringLiteral("COMMIT") : QStringLiteral("RELEASE ") + savepoint(m_depth));
    if (s) {
        m_open = false;
        openDepth[m_db.connectionName()] = m_depth;
    }
    return s;
}

} // namespace tmdash
