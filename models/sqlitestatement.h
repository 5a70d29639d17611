#pragma once

#include "database.h"
#include "schema.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QVariant>

#include <functional>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace tmdash {

// A statement prepared straight on a desktop's SQLite connection (the same sqlite3 handle Qt's
// driver uses), kept until the connection is closed. The stores' per-row writes go through it:
// binding a Row value here skips Qt SQL's conversions (QVariant, named placeholders), which cost
// more than SQLite's own work for a small insert. Positional parameters ?1, ?2, ...; like the
// connection, it belongs to one thread.
class SqliteStatement
{
public:
    // The statement for `sql` on this connection, or nullptr when `db` is not SQLite or the
    // statement does not compile (`error` says why).
    static SqliteStatement *cached(const Database &db, const QString &sql, QString *error);
    // The same, kept under a key the caller makes cheaply (e.g. a table and the set of columns
    // it writes): `sql` is called only when the statement is not prepared yet.
    struct Key
    {
        const void *owner;
        int kind;
        quint64 variant;
        bool operator==(const Key &) const = default;
    };
    static SqliteStatement *cached(const Database &db, const Key &key,
                                   const std::function<QString()> &sql, QString *error);

    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;
    ~SqliteStatement();

    // Binds a Row value (row.h) the way it is stored on SQLite: null, INTEGER for integers and
    // booleans, REAL, JSON documents as compact text, everything else as text.
    void bind(int position, const QJsonValue &value, ColumnType type);
    void bindText(int position, QStringView text);
    void bindTextOrNull(int position, QStringView text); // empty text as null, like putText
    void bindUtf8(int position, QByteArray text);
    void bindInt64(int position, qint64 value);
    void bindNull(int position);

    // Runs a statement that returns no rows, then resets it: false when SQLite refused it
    // (errorText() says why). changes() is the number of rows it wrote.
    bool run();
    int changes() const { return m_changes; }
    const QString &errorText() const { return m_error; }

    // For a query: steps to the next row (false at the end, and on an error errorText() then
    // names); column() reads the current row as the QVariant Qt's driver would give (null,
    // qint64, double, QString or QByteArray); reset() ends the query, so that it holds no read
    // snapshot, and must follow.
    bool next();
    QVariant column(int index) const;
    void reset();

private:
    SqliteStatement(sqlite3 *db, sqlite3_stmt *statement) : m_db(db), m_statement(statement)
    {
        m_texts.reserve(32);
    }
    friend void forgetSqliteStatements(const QString &connectionName);
    // An empty buffer for text written here (a row's JSON), valid until the statement is reset
    // and then kept for the next run: writing into it allocates nothing once it has grown.
    QByteArray &scratch();

    sqlite3 *m_db;
    sqlite3_stmt *m_statement;
    std::vector<QByteArray> m_texts; // what the bound text points at, until the statement ran
    std::vector<QByteArray> m_scratch; // scratch() buffers; the first m_scratchUsed are bound
    std::size_t m_scratchUsed = 0;
    int m_changes = 0;
    QString m_error;
};

// The sqlite3 handle of an open SQLite connection (the one Qt's driver uses), or nullptr.
sqlite3 *sqliteHandle(const Database &db);

// Finalizes the connection's statements: Database::close() calls it before closing.
void forgetSqliteStatements(const QString &connectionName);

} // namespace tmdash
