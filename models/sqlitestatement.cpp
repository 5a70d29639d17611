#include "sqlitestatement.h"

#include "row.h"

#include <QSqlDriver>

#include <sqlite3.h>

#include <memory>
#include <unordered_map>

namespace tmdash {

namespace {

struct KeyHash
{
    std::size_t operator()(const SqliteStatement::Key &key) const
    {
        return qHashMulti(0, key.owner, key.kind, key.variant);
    }
};

struct ConnectionStatements
{
    sqlite3 *handle = nullptr;
    std::unordered_map<QString, std::unique_ptr<SqliteStatement>> bySql;
    std::unordered_map<SqliteStatement::Key, SqliteStatement *, KeyHash> byKey;
};

// By connection name; connections belong to one thread, and so does this.
thread_local std::unordered_map<QString, ConnectionStatements> statements;

} // namespace

SqliteStatement *SqliteStatement::cached(const Database &db, const Key &key,
                                         const std::function<QString()> &sql, QString *error)
{
    if (db.isSqlite()) {
        ConnectionStatements &connection = statements[db.connectionName()];
        if (auto it = connection.byKey.find(key); it != connection.byKey.end())
            return it->second;
    }
    SqliteStatement *made = cached(db, sql(), error);
    if (made)
        statements[db.connectionName()].byKey.emplace(key, made);
    return made;
}

SqliteStatement *SqliteStatement::cached(const Database &db, const QString &sql, QString *error)
{
    if (!db.isSqlite()) {
        *error = QStringLiteral("not an SQLite connection");
        return nullptr;
    }
    ConnectionStatements &connection = statements[db.connectionName()];
    if (auto it = connection.bySql.find(sql); it != connection.bySql.end())
        return it->second.get();
    if (!connection.handle) {
        connection.handle = sqliteHandle(db);
        if (!connection.handle) {
            *error = QStringLiteral("the SQLite connection is not open");
            return nullptr;
        }
    }
    sqlite3_stmt *prepared = nullptr;
    const QByteArray text = sql.toUtf8();
    if (sqlite3_prepare_v3(connection.handle, text.constData(), int(text.size()),
                           SQLITE_PREPARE_PERSISTENT, &prepared, nullptr)
        != SQLITE_OK) {
        *error = QString::fromUtf8(sqlite3_errmsg(connection.handle));
        sqlite3_finalize(prepared);
        return nullptr;
    }
    auto made = std::unique_ptr<SqliteStatement>(new SqliteStatement(connection.handle, prepared));
    return connection.bySql.emplace(sql, std::move(made)).first->second.get();
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_statement);
}

void SqliteStatement::bindUtf8(int position, QByteArray text)
{
    m_texts.push_back(std::move(text));
    const QByteArray &kept = m_texts.back();
    sqlite3_bind_text(m_statement, position, kept.constData(), int(kept.size()), SQLITE_STATIC);
}

void SqliteStatement::bindText(int position, QStringView text)
{
    bindUtf8(position, text.toUtf8());
}

void SqliteStatement::bindTextOrNull(int position, QStringView text)
{
    if (text.isEmpty())
        bindNull(position);
    else
        bindText(position, text);
}

void SqliteStatement::bindNull(int position)
{
    sqlite3_bind_null(m_statement, position);
}

void SqliteStatement::bindInt64(int position, qint64 value)
{
    sqlite3_bind_int64(m_statement, position, value);
}

void SqliteStatement::bind(int position, const QJsonValue &value, ColumnType type)
{
    if (value.isNull() || value.isUndefined()) {
        bindNull(position);
        return;
    }
    switch (type) {
    case ColumnType::Integer:
        sqlite3_bind_int64(m_statement, position, qint64(value.toDouble()));
        return;
    case ColumnType::Real:
        sqlite3_bind_double(m_statement, position, value.toDouble());
        return;
    case ColumnType::Bool:
        sqlite3_bind_int(m_statement, position, value.toBool() ? 1 : 0);
        return;
    case ColumnType::Json:
        if (value.isObject() || value.isArray()) {
            QByteArray &text = scratch();
            appendCompactJson(text, value);
            sqlite3_bind_text(m_statement, position, text.constData(), int(text.size()),
                              SQLITE_STATIC);
            return;
        }
        break;
    default:
        break;
    }
    bindUtf8(position, value.toString().toUtf8());
}

bool SqliteStatement::run()
{
    const int rc = sqlite3_step(m_statement);
    const bool ok = rc == SQLITE_DONE || rc == SQLITE_ROW;
    if (ok) {
        m_changes = sqlite3_changes(m_db);
        m_error.clear();
    } else {
        m_changes = 0;
        m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
    }
    reset();
    return ok;
}

bool SqliteStatement::next()
{
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return true;
    m_error = rc == SQLITE_DONE ? QString() : QString::fromUtf8(sqlite3_errmsg(m_db));
    return false;
}

QVariant SqliteStatement::column(int index) const
{
    switch (sqlite3_column_type(m_statement, index)) {
    case SQLITE_INTEGER:
        return qint64(sqlite3_column_int64(m_statement, index));
    case SQLITE_FLOAT:
        return sqlite3_column_double(m_statement, index);
    case SQLITE_TEXT:
        return QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(m_statement, index)),
                                 sqlite3_column_bytes(m_statement, index));
    case SQLITE_BLOB:
        return QByteArray(static_cast<const char *>(sqlite3_column_blob(m_statement, index)),
                          sqlite3_column_bytes(m_statement, index));
    default:
        return QVariant();
    }
}

QByteArray &SqliteStatement::scratch()
{
    if (m_scratchUsed == m_scratch.size())
        m_scratch.emplace_back();
    QByteArray &buffer = m_scratch[m_scratchUsed++];
    buffer.resize(0); // keeps what it has allocated
    return buffer;
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    m_texts.clear();
    // A kilobyte or two a row is worth keeping; an unusually large document is not.
    constexpr qsizetype kKept = 64 * 1024;
    for (std::size_t i = 0; i < m_scratchUsed; ++i)
        if (m_scratch[i].capacity() > kKept)
            m_scratch[i] = QByteArray();
    m_scratchUsed = 0;
}

sqlite3 *sqliteHandle(const Database &db)
{
    if (!db.isSqlite())
        return nullptr;
    const QVariant handle = db.connection().driver()->handle();
    if (qstrcmp(handle.typeName(), "sqlite3*") != 0 || !handle.data())
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.data());
}

void forgetSqliteStatements(const QString &connectionName)
{
    statements.erase(connectionName);
}

} // namespace tmdash
