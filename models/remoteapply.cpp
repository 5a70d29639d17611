#include "remoteapply.h"

#include "patientstore.h"

#include <QSqlError>
#include <QSqlQuery>

namespace tmdash {

namespace {

Result<const TableSpec *> syncedSpec(QStringView table)
{
    const TableSpec *spec = tableSpec(table);
    if (!spec || !spec->synced)
        return Error::invalid(QStringLiteral("entity"), QStringLiteral("unknown"),
                              QStringLiteral("'%1' is not a synced table").arg(table.toString()));
    return spec;
}

} // namespace

Status RemoteApplier::begin() const
{
    if (!m_db.isSqlite())
        return execSql(m_db, QStringLiteral("SET CONSTRAINTS ALL DEFERRED"));
    if (Status s = execSql(m_db, QStringLiteral("PRAGMA defer_foreign_keys = ON")); !s)
        return s;
    return execSql(m_db, QStringLiteral("INSERT OR REPLACE INTO sync_state (key, value) "
                                        "VALUES ('applying_remote', '1')"));
}

Status RemoteApplier::end() const
{
    if (!m_db.isSqlite())
        return {};
    return execSql(m_db, QStringLiteral("DELETE FROM sync_state WHERE key = 'applying_remote'"));
}

Result<bool> RemoteApplier::apply(QStringView table, const Row &row, ReplaceWhen when) const
{
    auto spec = syncedSpec(table);
    if (!spec)
        return spec.error();
    auto written = RecordTable(m_db, **spec).upsertRemote(row, when);
    if (!written || !*written)
        return written;
    if (table == u"patients")
        if (Status s = PatientStore::indexForSearch(m_db, row); !s)
            return s.error();
    return true;
}

Result<int> RemoteApplier::removeAbsent(QStringView table, const QString &id) const
{
    auto spec = syncedSpec(table);
    if (!spec)
        return spec.error();
    int removed = 0;
    // Children first: every synced table's foreign keys that point at `table`.
    for (const TableSpec &child : allTableSpecs()) {
        if (!child.synced)
            continue;
        QSqlQuery keys(m_db.connection());
        if (!keys.exec(QStringLiteral("PRAGMA foreign_key_list(%1)").arg(child.name.toString())))
            return Error::storage(keys.lastError().text());
        QStringList columns;
        while (keys.next())
            if (keys.value(2).toString() == table)
                columns << keys.value(3).toString();
        for (const QString &column : columns) {
            auto rows = RecordTable(m_db, child).select(column + QStringLiteral(" = :id"),
                                                       {{QStringLiteral("id"), id}});
            if (!rows)
                return rows.error();
            for (const Row &r : *rows) {
                auto n = removeAbsent(child.name, r.value(u"id").toString());
                if (!n)
                    return n.error();
                removed += *n;
            }
        }
    }
    auto current = RecordTable(m_db, **spec).get(id);
    if (!current)
        return current.error().code == ErrorCode::NotFound ? Result<int>(removed) : current.error();
    if (Status s = RecordTable(m_db, **spec).remove(id); !s)
        return s.error();
    if (table == u"patients") {
        Row gone = *current;
        gone.insert(QStringLiteral("deleted_at"), QStringLiteral("1970-01-01T00:00:00.000Z"));
        if (Status s = PatientStore::indexForSearch(m_db, gone); !s)
            return s.error();
    }
    return removed + 1;
}

} // namespace tmdash
