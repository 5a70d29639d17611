#include "recordtable.h"

#include "sqlitestatement.h"

#include <QHash>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QVarLengthArray>

namespace tmdash {

namespace {
// What a statement kept under SqliteStatement::Key does with its table.
enum StatementKind { InsertStatement, UpdateStatement, SelectColumnsStatement };

// The desktop index that holds every column of `read` for the records of `table`, when there is
// one (SQLite migration 5): a write that refers to a patient reads its clinic and tombstone from
// it. SQLite's planner would take the primary key's index for `id = ?` and then read the record
// itself, a page that in a large transaction is seldom still in the cache; the index, under a
// third of the table's size, stays there.
QStringView referenceIndex(const TableSpec &table,
                           const QVarLengthArray<const ColumnSpec *, 8> &read)
{
    if (table.name != u"patients")
        return {};
    for (const ColumnSpec *c : read)
        if (c->name != u"id" && c->name != u"clinic_id" && c->name != u"deleted_at")
            return {};
    return u"patients_reference";
}
} // namespace

RecordTable::RecordTable(const Database &db, QStringView table) : m_db(db), m_spec(tableSpec(table))
{
    Q_ASSERT_X(m_spec, "RecordTable", "unknown table");
}

QString RecordTable::selectList() const
{
    QStringList cols;
    for (const ColumnSpec &c : m_spec->columns)
        cols << c.name.toString();
    return cols.join(QStringLiteral(", "));
}

Row RecordTable::readRow(const QSqlQuery &q) const
{
    Row row;
    int i = 0;
    for (const ColumnSpec &c : m_spec->columns)
        row.insert(c.name.toString(), rowValueFromDb(q.value(i++), c.type));
    return row;
}

Result<Row> RecordTable::get(const QString &id) const
{
    auto rows = select(QStringLiteral("id = :id"), {{QStringLiteral("id"), id}});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return Error::notFound(QStringLiteral("no %1 with id %2").arg(m_spec->name.toString(), id));
    return rows->first();
}

Result<Row> RecordTable::get(const QString &id, const QList<QStringView> &columns) const
{
    // Read in the table's column order, so that the set of columns (a bit each) keys the
    // statement without building its SQL.
    Q_ASSERT_X(m_spec->columns.size() <= 64, "RecordTable::get", "a table of more than 64 columns");
    quint64 mask = 0;
    for (QStringView c : columns) {
        const ColumnSpec *column = m_spec->column(c);
        Q_ASSERT_X(column, "RecordTable::get", "unknown column");
        mask |= quint64(1) << (column - m_spec->columns.data());
    }
    QVarLengthArray<const ColumnSpec *, 8> read;
    for (qsizetype i = 0; i < qsizetype(m_spec->columns.size()); ++i)
        if (mask & (quint64(1) << i))
            read.append(&m_spec->columns[size_t(i)]);
    auto sql = [&] {
        QStringList names;
        for (const ColumnSpec *c : read)
            names << c->name.toString();
        QString from = m_spec->name.toString();
        if (const QStringView index =
                m_db.isSqlite() ? referenceIndex(*m_spec, read) : QStringView();
            !index.isEmpty())
            from += QStringLiteral(" INDEXED BY ") + index.toString();
        return QStringLiteral("SELECT %1 FROM %2 WHERE id = %3")
            .arg(names.join(QStringLiteral(", ")), from,
                 m_db.isSqlite() ? QStringLiteral("?1") : QStringLiteral(":id"));
    };
    std::optional<Row> row;
    auto take = [&](const auto &valueAt) {
        row.emplace();
        for (qsizetype i = 0; i < read.size(); ++i)
            row->insert(read[i]->name, rowValueFromDb(valueAt(int(i)), read[i]->type));
    };
    if (m_db.isSqlite()) {
        // A write's reference checks: straight on SQLite, like its inserts.
        QString error;
        SqliteStatement *q =
            SqliteStatement::cached(m_db, {m_spec, SelectColumnsStatement, mask}, sql, &error);
        if (!q)
            return Error::storage(error);
        q->bindText(1, id);
        if (q->next()) {
            take([q](int i) { return q->column(i); });
        } else if (!q->errorText().isEmpty()) {
            const QString text = q->errorText();
            q->reset();
            return sqlError(m_spec->name.toString(), text);
        }
        q->reset();
    } else {
        QString error;
        QSqlQuery *q = cachedStatement(m_db, sql(), &error);
        if (!q)
            return Error::storage(error);
        q->bindValue(QStringLiteral(":id"), id);
        if (!q->exec()) {
            const QString text = q->lastError().text();
            q->finish();
            return sqlError(m_spec->name.toString(), text);
        }
        if (q->next())
            take([q](int i) { return q->value(i); });
        q->finish();
    }
    if (!row)
        return Error::notFound(QStringLiteral("no %1 with id %2").arg(m_spec->name.toString(), id));
    return *row;
}

Result<QList<Row>> RecordTable::select(const QString &where, const QVariantMap &binds,
                                       const QString &orderBy, int limit, int offset) const
{
    QString sql = QStringLiteral("SELECT ") + selectList() + QStringLiteral(" FROM ") + m_spec->name.toString();
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where;
    if (!orderBy.isEmpty())
        sql += QStringLiteral(" ORDER BY ") + orderBy;
    if (limit >= 0 || offset > 0) // SQLite takes OFFSET only after a LIMIT (-1: none)
        sql += QStringLiteral(" LIMIT ")
               + (limit >= 0 ? QString::number(limit)
                             : (m_db.isSqlite() ? QStringLiteral("-1") : QStringLiteral("ALL")));
    if (offset > 0)
        sql += QStringLiteral(" OFFSET ") + QString::number(offset);
    QString error;
    QSqlQuery *q = cachedStatement(m_db, sql, &error);
    if (!q)
        return Error::storage(error);
    for (auto it = binds.cbegin(); it != binds.cend(); ++it)
        q->bindValue(QLatin1Char(':') + it.key(), it.value());
    if (!q->exec()) {
        const QString text = q->lastError().text();
        q->finish();
        return sqlError(m_spec->name.toString(), text);
    }
    QList<Row> out;
    while (q->next())
        out << readRow(*q);
    q->finish(); // resets the statement: a cached SELECT must not hold a read snapshot
    return out;
}

namespace {

// The columns of a table that a row carries, in the table's order: which ones (bit i for the
// table's column i, the key of the prepared statement) and their values.
struct PresentColumns
{
    quint64 mask = 0;
    QVarLengthArray<std::pair<const ColumnSpec *, QJsonValue>, 48> values;
};

PresentColumns presentColumns(const TableSpec &spec, const Row &row, bool skipId)
{
    Q_ASSERT_X(spec.columns.size() <= 64, "presentColumns", "a table of more than 64 columns");
    PresentColumns present;
    int i = 0;
    for (const ColumnSpec &c : spec.columns) {
        if (!(skipId && c.name == u"id")) {
            if (auto it = row.constFind(c.name); it != row.constEnd()) {
                present.mask |= quint64(1) << i;
                present.values.append({&c, *it});
            }
        }
        ++i;
    }
    return present;
}

// Binds the present columns to ?1, ?2, ... in order; returns the last position used.
int bindColumns(SqliteStatement &statement, const PresentColumns &present)
{
    int position = 0;
    for (const auto &[column, value] : present.values)
        statement.bind(++position, value, column->type);
    return position;
}

} // namespace

Status RecordTable::insert(const Row &row) const
{
    if (m_db.isSqlite()) {
        // The stores' hottest statement: bound straight on SQLite (sqlitestatement.h).
        const PresentColumns present = presentColumns(*m_spec, row, false);
        QString error;
        SqliteStatement *statement = SqliteStatement::cached(
            m_db, {m_spec, InsertStatement, present.mask},
            [&] {
                QStringList cols, params;
                for (const auto &[column, value] : present.values) {
                    cols << column->name.toString();
                    params << QLatin1Char('?') + QString::number(params.size() + 1);
                }
                return QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                    .arg(m_spec->name.toString(), cols.join(QStringLiteral(", ")),
                         params.join(QStringLiteral(", ")));
            },
            &error);
        if (!statement)
            return Error::storage(error);
        bindColumns(*statement, present);
        if (!statement->run())
            return sqlError(m_spec->name.toString(), statement->errorText());
        return {};
    }
    QStringList cols, params;
    for (const ColumnSpec &c : m_spec->columns) {
        if (!row.contains(c.name))
            continue;
        cols << c.name.toString();
        params << QLatin1Char(':') + c.name.toString();
    }
    QString error;
    QSqlQuery *q = cachedStatement(m_db,
                               QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                                   .arg(m_spec->name.toString(), cols.join(QStringLiteral(", ")),
                                        params.join(QStringLiteral(", "))),
                               &error);
    if (!q)
        return Error::storage(error);
    for (const ColumnSpec &c : m_spec->columns)
        if (row.contains(c.name))
            q->bindValue(QLatin1Char(':') + c.name.toString(), rowValueToDb(row.value(c.name), c.type));
    const bool ok = q->exec();
    const QString text = ok ? QString() : q->lastError().text();
    q->finish();
    if (!ok)
        return sqlError(m_spec->name.toString(), text);
    return {};
}

Status RecordTable::update(const QString &id, const Row &columns) const
{
    if (m_db.isSqlite()) {
        const PresentColumns present = presentColumns(*m_spec, columns, true);
        if (present.values.isEmpty())
            return {};
        QString error;
        SqliteStatement *statement = SqliteStatement::cached(
            m_db, {m_spec, UpdateStatement, present.mask},
            [&] {
                QStringList sets;
                for (const auto &[column, value] : present.values)
                    sets << column->name.toString() + QStringLiteral(" = ?")
                                + QString::number(sets.size() + 1);
                return QStringLiteral("UPDATE %1 SET %2 WHERE id = ?%3")
                    .arg(m_spec->name.toString(), sets.join(QStringLiteral(", ")))
                    .arg(sets.size() + 1);
            },
            &error);
        if (!statement)
            return Error::storage(error);
        statement->bindText(bindColumns(*statement, present) + 1, id);
        if (!statement->run())
            return sqlError(m_spec->name.toString(), statement->errorText());
        if (statement->changes() == 0)
            return Error::notFound(QStringLiteral("no %1 with id %2").arg(m_spec->name.toString(), id));
        return {};
    }
    QStringList sets;
    for (const ColumnSpec &c : m_spec->columns)
        if (columns.contains(c.name) && c.name != u"id")
            sets << c.name.toString() + QStringLiteral(" = :") + c.name.toString();
    if (sets.isEmpty())
        return {};
    QString error;
    QSqlQuery *q = cachedStatement(m_db,
                               QStringLiteral("UPDATE %1 SET %2 WHERE id = :id")
                                   .arg(m_spec->name.toString(), sets.join(QStringLiteral(", "))),
                               &error);
    if (!q)
        return Error::storage(error);
    for (const ColumnSpec &c : m_spec->columns)
        if (columns.contains(c.name) && c.name != u"id")
            q->bindValue(QLatin1Char(':') + c.name.toString(), rowValueToDb(columns.value(c.name), c.type));
    q->bindValue(QStringLiteral(":id"), id);
    const bool ok = q->exec();
    const QString text = ok ? QString() : q->lastError().text();
    const int affected = ok ? q->numRowsAffected() : 0;
    q->finish();
    if (!ok)
        return sqlError(m_spec->name.toString(), text);
    if (affected == 0)
        return Error::notFound(QStringLiteral("no %1 with id %2").arg(m_spec->name.toString(), id));
    return {};
}

Result<bool> RecordTable::upsertRemote(const Row &row, ReplaceWhen when) const
{
    // One statement: insert, or replace the stored row when the version passes `when`.
    QStringList cols, params, sets;
    for (const ColumnSpec &c : m_spec->columns) {
        if (!row.contains(c.name))
            continue;
        const QString name = c.name.toString();
        cols << name;
        params << QLatin1Char(':') + name;
        if (name != QLatin1String("id"))
            sets << name + QStringLiteral(" = excluded.") + name;
    }
    const QString table = m_spec->name.toString();
    QString sql = QStringLiteral("INSERT INTO %1 (%2) VALUES (%3) ON CONFLICT (id) DO UPDATE SET %4")
                      .arg(table, cols.join(QStringLiteral(", ")), params.join(QStringLiteral(", ")),
                           sets.join(QStringLiteral(", ")));
    if (when == ReplaceWhen::Newer)
        sql += QStringLiteral(" WHERE excluded.version > %1.version").arg(table);
    else if (when == ReplaceWhen::NotOlder)
        sql += QStringLiteral(" WHERE excluded.version >= %1.version").arg(table);
    QString error;
    QSqlQuery *q = cachedStatement(m_db, sql, &error);
    if (!q)
        return Error::storage(error);
    for (const ColumnSpec &c : m_spec->columns)
        if (row.contains(c.name))
            q->bindValue(QLatin1Char(':') + c.name.toString(), rowValueToDb(row.value(c.name), c.type));
    const bool ok = q->exec();
    const QString text = ok ? QString() : q->lastError().text();
    const int affected = ok ? q->numRowsAffected() : 0;
    q->finish();
    if (!ok)
        return sqlError(table, text);
    return affected > 0;
}

Status RecordTable::remove(const QString &id) const
{
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral("DELETE FROM %1 WHERE id = :id").arg(m_spec->name.toString()));
    q.bindValue(QStringLiteral(":id"), id);
    if (!q.exec())
        return Error::storage(q.lastError().text());
    return {};
}

namespace {

// The column a unique index is about: "users_email_unique" -> "email",
// "providers_user_unique" -> "user_id", "patients_pkey" -> "id".
QString fieldOfIndex(const QString &table, QString index)
{
    if (index.endsWith(QLatin1String("_pkey")))
        return QStringLiteral("id");
    if (index.startsWith(table + QLatin1Char('_')))
        index = index.mid(table.size() + 1);
    if (index.endsWith(QLatin1String("_unique")))
        index.chop(7);
    if (const TableSpec *spec = tableSpec(table); spec && !spec->column(index)
        && spec->column(QString(index + QStringLiteral("_id"))))
        return index + QStringLiteral("_id");
    return index;
}

} // namespace

Error sqlError(const QString &table, const QString &driverText)
{
    static const QRegularExpression sqliteUnique(QStringLiteral(R"(UNIQUE constraint failed: (?:index '(\w+)'|([\w.]+(?:, [\w.]+)*)))"));
    static const QRegularExpression pgUnique(QStringLiteral(R"(unique constraint "(\w+)\")"));
    static const QRegularExpression sqliteCheck(QStringLiteral(R"(CHECK constraint failed: (\w+))"));
    static const QRegularExpression trigger(QStringLiteral(R"((\w+): (a signed consultation never changes[^(]*|recorded values never change[^(]*|the consultation is signed))"));
    if (const auto m = trigger.match(driverText); m.hasMatch())
        return Error::invalid(QStringLiteral("status"), QStringLiteral("immutable"),
                              m.captured(1) + QStringLiteral(": ") + m.captured(2).trimmed());
    QString duplicateField;
    if (const auto m = sqliteUnique.match(driverText); m.hasMatch())
        duplicateField = !m.captured(1).isEmpty()
                             ? fieldOfIndex(table, m.captured(1))
                             : m.captured(2).split(QStringLiteral(", ")).last().section(QLatin1Char('.'), 1);
    else if (const auto pm = pgUnique.match(driverText); pm.hasMatch())
        duplicateField = fieldOfIndex(table, pm.captured(1));
    if (!duplicateField.isEmpty())
        return Error::invalid(duplicateField, QStringLiteral("duplicate"),
                              QStringLiteral("another %1 record already has this %2").arg(table, duplicateField));
    if (driverText.contains(QLatin1String("FOREIGN KEY")) || driverText.contains(QLatin1String("foreign key")))
        return Error::invalid(QStringLiteral("reference"), QStringLiteral("not_found"),
                              QStringLiteral("a record this %1 refers to does not exist").arg(table));
    if (const auto m = sqliteCheck.match(driverText); m.hasMatch() || driverText.contains(QLatin1String("check constraint")))
        return Error::invalid(m.hasMatch() ? m.captured(1) : QStringLiteral("record"), QStringLiteral("constraint"),
                              QStringLiteral("the database refused the %1 row: %2").arg(table, driverText.trimmed()));
    if (driverText.contains(QLatin1String("NOT NULL")) || driverText.contains(QLatin1String("not-null")))
        return Error::invalid(QStringLiteral("record"), QStringLiteral("required"),
                              QStringLiteral("the database refused the %1 row: %2").arg(table, driverText.trimmed()));
    return Error::storage(QStringLiteral("%1: %2").arg(table, driverText.trimmed()));
}

} // namespace tmdash
