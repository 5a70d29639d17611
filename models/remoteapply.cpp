#include "remoteapply.h"

#include "patientstore.h"
#include "recordtable.h"

namespace tmdash {

Status RemoteApplier::deferForeignKeys() const
{
    return execSql(m_db, m_db.isSqlite() ? QStringLiteral("PRAGMA defer_foreign_keys = ON")
                                         : QStringLiteral("SET CONSTRAINTS ALL DEFERRED"));
}

Result<bool> RemoteApplier::apply(QStringView table, const Row &row) const
{
    const TableSpec *spec = tableSpec(table);
    if (!spec || !spec->synced)
        return Error::invalid(QStringLiteral("entity"), QStringLiteral("unknown"),
                              QStringLiteral("'%1' is not a synced table").arg(table.toString()));
    auto written = RecordTable(m_db, *spec).upsertIfNewer(row);
    if (!written || !*written)
        return written;
    if (table == u"patients")
        if (Status s = PatientStore::indexForSearch(m_db, row); !s)
            return s.error();
    return true;
}

} // namespace tmdash
