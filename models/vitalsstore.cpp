#include "vitalsstore.h"

#include "clock.h"
#include "outbox.h"
#include "transaction.h"
#include "vitalscodec.h"
#include "vitalsvalidator.h"

#include <QCoreApplication>

namespace tmdash {

namespace {

const QString kVitals = QStringLiteral("vitals");

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

Status markStatus(const RecordWriter &w, const Row &current, VitalsStatus status)
{
    Row next = current;
    next.insert(QStringLiteral("status"), toString(status));
    auto stored = w.update(*tableSpec(kVitals), current, next, OutboxOp::State);
    if (!stored)
        return stored.error();
    return {};
}

} // namespace

Result<Vitals> VitalsStore::create(Vitals v) const
{
    if (Status allowed = permit(Action::WriteVitals); !allowed)
        return allowed.error();
    auto clinic = clinicForNewRecord(v.clinic_id);
    if (!clinic)
        return clinic.error();
    v.clinic_id = *clinic;
    if (v.id.isNull())
        v.id = newId<VitalsId>();
    if (v.recorded_by.isNull())
        v.recorded_by = m_actor.user_id;
    v.status = VitalsStatus::Final;
    v.meta = {};
    FieldErrors errors = validateVitals(v, nowUtc());
    if (!v.replaces_id.isNull())
        errors.append({QStringLiteral("replaces_id"), QStringLiteral("inconsistent"),
                       tr("A correction of an earlier record is recorded as a correction of "
                          "that record, not as a new one.")});
    if (!errors.isEmpty())
        return Error::invalid(errors);

    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    if (Status s = requireReference(u"patients", v.patient_id.value, QStringLiteral("patient_id")); !s)
        return s.error();
    auto stored = writer().insert(*tableSpec(kVitals), toRow(v));
    if (!stored)
        return stored.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    v.meta = rowMeta(*stored); // the record as written: what was given, and the bookkeeping
    return v;
}

Result<Vitals> VitalsStore::get(const VitalsId &id) const
{
    if (Status allowed = permit(Action::ReadVitals); !allowed)
        return allowed.error();
    // Unlike most records, vitals are never tombstoned by the program; visibleRow still hides a
    // tombstone written elsewhere.
    auto row = visibleRow(kVitals, id.value, QStringLiteral("vitals record"));
    if (!row)
        return row.error();
    return vitalsFromRow(*row);
}

Result<QList<Vitals>> VitalsStore::forPatient(const PatientId &patientId,
                                              bool includeEnteredInError) const
{
    if (Status allowed = permit(Action::ReadVitals); !allowed)
        return allowed.error();
    QString where = QStringLiteral("patient_id = :patient AND deleted_at IS NULL");
    QVariantMap binds{{QStringLiteral("patient"), patientId.value}};
    if (!includeEnteredInError)
        where += QStringLiteral(" AND status = 'final'");
    restrictToScope(kVitals, where, binds);
    auto rows = RecordTable(m_db, kVitals).select(where, binds, QStringLiteral("recorded_at, id"));
    if (!rows)
        return rows.error();
    QList<Vitals> out;
    out.reserve(rows->size());
    for (const Row &r : *rows)
        out << vitalsFromRow(r);
    return out;
}

Result<Vitals> VitalsStore::correct(const VitalsId &id, Vitals corrected) const
{
    if (Status allowed = permit(Action::WriteVitals); !allowed)
        return allowed.error();
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kVitals, id.value, QStringLiteral("vitals record"));
    if (!current)
        return current.error();
    const Vitals old = vitalsFromRow(*current);
    if (old.status != VitalsStatus::Final)
        return Error::invalid(QStringLiteral("status"), QStringLiteral("transition"),
                              tr("This record is already marked entered in error; correct the "
                                 "record that replaced it instead."));
    FieldErrors errors;
    if (!corrected.patient_id.isNull() && corrected.patient_id != old.patient_id)
        errors.append({QStringLiteral("patient_id"), QStringLiteral("inconsistent"),
                       tr("A correction belongs to the same patient as the record it corrects.")});
    if (corrected.id.isNull() || corrected.id == old.id)
        corrected.id = newId<VitalsId>();
    corrected.clinic_id = old.clinic_id;
    corrected.patient_id = old.patient_id;
    corrected.replaces_id = old.id;
    corrected.status = VitalsStatus::Final;
    if (corrected.recorded_by.isNull())
        corrected.recorded_by = m_actor.user_id;
    corrected.meta = {};
    errors.append(validateVitals(corrected, nowUtc()));
    if (!errors.isEmpty())
        return Error::invalid(errors);

    const RecordWriter w = writer();
    if (auto stored = w.insert(*tableSpec(kVitals), toRow(corrected)); !stored)
        return stored.error();
    if (Status s = markStatus(w, *current, VitalsStatus::EnteredInError); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(corrected.id);
}

Result<Vitals> VitalsStore::markInError(const VitalsId &id) const
{
    if (Status allowed = permit(Action::WriteVitals); !allowed)
        return allowed.error();
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kVitals, id.value, QStringLiteral("vitals record"));
    if (!current)
        return current.error();
    if (vitalsFromRow(*current).status != VitalsStatus::Final)
        return Error::invalid(QStringLiteral("status"), QStringLiteral("transition"),
                              tr("This record is already marked entered in error."));
    if (Status s = markStatus(writer(), *current, VitalsStatus::EnteredInError); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(id);
}

} // namespace tmdash
