#include "clinicstore.h"

#include "cliniccodec.h"
#include "clinicvalidator.h"
#include "fieldrules.h"
#include "transaction.h"

namespace tmdash {

namespace {

const QString kClinics = QStringLiteral("clinics");

// Stored form of people-entered values: phone in E.164, country in capitals.
void normalise(Clinic &c)
{
    if (auto phone = normalizePhone(c.phone); phone)
        c.phone = *phone;
    c.country = c.country.trimmed().toUpper();
    c.name = c.name.trimmed();
    c.timezone = c.timezone.trimmed();
}

} // namespace

Result<Clinic> ClinicStore::create(Clinic c) const
{
    if (m_actor.kind != Principal::Kind::Owner)
        return Error::notPermitted(QStringLiteral("only the database's owner can create a clinic"));
    if (c.id.isNull())
        c.id = newId<ClinicId>();
    normalise(c);
    if (FieldErrors errors = validateClinic(c); !errors.isEmpty())
        return Error::invalid(errors);

    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    if (auto stored = writer().insert(*tableSpec(kClinics), toRow(c)); !stored)
        return stored.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(c.id);
}

Result<Clinic> ClinicStore::get(const ClinicId &id) const
{
    if (Status allowed = permit(Action::ReadClinic); !allowed)
        return allowed.error();
    auto row = visibleRow(kClinics, id.value, QStringLiteral("clinic"));
    if (!row)
        return row.error();
    return clinicFromRow(*row);
}

Result<Clinic> ClinicStore::update(const Clinic &edited) const
{
    if (Status allowed = permit(Action::ManageClinic); !allowed)
        return allowed.error();
    Clinic c = edited;
    normalise(c);
    if (FieldErrors errors = validateClinic(c); !errors.isEmpty())
        return Error::invalid(errors);

    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kClinics, c.id.value, QStringLiteral("clinic"));
    if (!current)
        return current.error();
    Row next = toRow(c);
    next.remove(QStringLiteral("deleted_at"));
    if (auto stored = writer().update(*tableSpec(kClinics), *current, next); !stored)
        return stored.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(c.id);
}

Result<QList<Clinic>> ClinicStore::list() const
{
    if (Status allowed = permit(Action::ReadClinic); !allowed)
        return allowed.error();
    QString where = QStringLiteral("deleted_at IS NULL");
    QVariantMap binds;
    restrictToScope(kClinics, where, binds);
    auto rows = RecordTable(m_db, kClinics).select(where, binds, QStringLiteral("lower(name), id"));
    if (!rows)
        return rows.error();
    QList<Clinic> out;
    for (const Row &r : *rows)
        out << clinicFromRow(r);
    return out;
}

} // namespace tmdash
