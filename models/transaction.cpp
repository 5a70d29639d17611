#include "transaction.h"

namespace tmdash {

Transaction::Transaction(const Database &db) : m_db(db)
{
    m_started = execSql(m_db, m_db.isSqlite() ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
    m_open = m_started.ok();
}

Transaction::~Transaction()
{
    if (m_open) {
        const Status ignored = execSql(m_db, QStringLiteral("ROLLBACK"));
        Q_UNUSED(ignored)
    }
}

Status Transaction::commit()
{
    if (!m_open)
        return Error::storage(QStringLiteral("commit without an open transaction"));
    Status s = execSql(m_db, QStringLiteral("COMMIT"));
    if (s)
        m_open = false;
    return s;
}

} // namespace tmdash
