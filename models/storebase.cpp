#include "storebase.h"

namespace tmdash {

Result<ClinicId> StoreBase::clinicForNewRecord(const ClinicId &given) const
{
    if (m_actor.isPerson()) {
        if (!given.isNull() && given != m_actor.clinic_id)
            return Error::invalid(QStringLiteral("clinic_id"), QStringLiteral("scope"),
                                  QStringLiteral("records can only be created in your own clinic"));
        return m_actor.clinic_id;
    }
    if (!given.isNull())
        return given;
    auto clinics = RecordTable(m_db, u"clinics").select(QStringLiteral("deleted_at IS NULL"), {}, QStringLiteral("id"), 2);
    if (!clinics)
        return clinics.error();
    if (clinics->size() != 1)
        return Error::invalid(QStringLiteral("clinic_id"), QStringLiteral("required"),
                              clinics->isEmpty() ? QStringLiteral("no clinic exists yet: run bootstrap first")
                                                 : QStringLiteral("name the clinic: this database holds several"));
    return ClinicId(clinics->first().value(u"id").toString());
}

bool StoreBase::inScope(const Row &row, QStringView table) const
{
    if (!m_actor.isPerson())
        return true;
    const QString clinic = table == u"clinics" ? row.value(u"id").toString() : row.value(u"clinic_id").toString();
    if (clinic != m_actor.clinic_id.value)
        return false;
    if (!m_actor.isPatient())
        return true;
    if (table == u"users")
        return row.value(u"id").toString() == m_actor.user_id.value;
    const QString own = m_actor.patient_id.value;
    if (own.isEmpty())
        return table == u"clinics";
    if (table == u"clinics")
        return true;
    if (table == u"patients")
        return row.value(u"id").toString() == own;
    if (!row.contains(u"patient_id") || row.value(u"patient_id").toString() != own)
        return false;
    return table != u"consultations" || row.value(u"status").toString() == QLatin1String("signed");
}

void StoreBase::restrictToScope(QStringView table, QString &where, QVariantMap &binds,
                                const QString &clinicColumn) const
{
    if (!m_actor.isPerson())
        return;
    const QString clinic = !clinicColumn.isEmpty() ? clinicColumn
                           : table == u"clinics"   ? QStringLiteral("id")
                                                   : QStringLiteral("clinic_id");
    where += QStringLiteral(" AND ") + clinic + QStringLiteral(" = :scope_clinic");
    binds.insert(QStringLiteral("scope_clinic"), m_actor.clinic_id.value);
    if (!m_actor.isPatient() || table == u"clinics")
        return;
    if (table == u"users") {
        where += QStringLiteral(" AND id = :scope_user");
        binds.insert(QStringLiteral("scope_user"), m_actor.user_id.value);
        return;
    }
    const QString own = m_actor.patient_id.value;
    const TableSpec *spec = tableSpec(table);
    const bool patientRows = table == u"patients" || (spec && spec->column(u"patient_id"));
    if (own.isEmpty() || !patientRows) {
        // Nothing to bind: an empty id is no valid uuid on PostgreSQL.
        where += QStringLiteral(" AND 1 = 0");
        return;
    }
    where += table == u"patients" ? QStringLiteral(" AND id = :scope_patient")
                                  : QStringLiteral(" AND patient_id = :scope_patient");
    binds.insert(QStringLiteral("scope_patient"), own);
    if (table == u"consultations")
        where += QStringLiteral(" AND status = 'signed'");
}

Result<Row> StoreBase::clinicRow(QStringView table, const QString &id, const QString &what) const
{
    if (!isUuid(id))
        return Error::notFound(QStringLiteral("no %1 with id %2").arg(what, id));
    auto row = RecordTable(m_db, table).get(id);
    if (!row)
        return row.error().code == ErrorCode::NotFound
                   ? Error::notFound(QStringLiteral("no %1 with id %2").arg(what, id))
                   : row.error();
    if (!row->value(u"deleted_at").isNull() ||
        (m_actor.isPerson() && row->value(u"clinic_id").toString() != m_actor.clinic_id.value))
        return Error::notFound(QStringLiteral("no %1 with id %2").arg(what, id));
    return row;
}

Result<Row> StoreBase::visibleRow(QStringView table, const QString &id, const QString &what) const
{
    auto row = RecordTable(m_db, table).get(id);
    if (!row)
        return row.error().code == ErrorCode::NotFound
                   ? Error::notFound(QStringLiteral("no %1 with id %2").arg(what, id))
                   : row.error();
    if (!row->value(u"deleted_at").isNull() || !inScope(*row, table))
        return Error::notFound(QStringLiteral("no %1 with id %2").arg(what, id));
    return row;
}

Status StoreBase::requireReference(QStringView table, const QString &id, const QString &field,
                                   const ClinicId &clinic) const
{
    if (isUuid(id)) {
        auto row = RecordTable(m_db, table).get(id, {u"clinic_id", u"deleted_at"});
        if (!row && row.error().code != ErrorCode::NotFound)
            return row.error();
        const QString wanted = !clinic.isNull() ? clinic.value : m_actor.isPerson() ? m_actor.clinic_id.value : QString();
        if (row && row->value(u"deleted_at").isNull()
            && (wanted.isEmpty() || row->value(u"clinic_id").toString() == wanted))
            return {};
    }
    return Error::invalid(field, QStringLiteral("not_found"),
                          QStringLiteral("There is no %1 with id %2 in this clinic.")
                              .arg(field.chopped(3), id));
}

Result<QList<Row>> childRows(const Database &db, QStringView table, const QString &parentId,
                             bool withTombstones)
{
    const TableSpec *spec = tableSpec(table);
    QString where = spec->parentColumn.toString() + QStringLiteral(" = :parent");
    if (!withTombstones)
        where += QStringLiteral(" AND deleted_at IS NULL");
    return RecordTable(db, *spec).select(where, {{QStringLiteral("parent"), parentId}}, QStringLiteral("created_at, id"));
}

} // namespace tmdash
