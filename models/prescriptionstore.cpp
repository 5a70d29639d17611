#include "prescriptionstore.h"

#include "formulary.h"
#include "outbox.h"
#include "patientcodec.h"
#include "prescriptioncodec.h"
#include "transaction.h"

#include <QCoreApplication>

namespace tmdash {

namespace {

const QString kPrescriptions = QStringLiteral("prescriptions");

// A prescription as the store writes it: new rows are active, the name is the formulary's.
void prepare(Prescription &rx)
{
    if (rx.medication_name.trimmed().isEmpty())
        if (const Medication *m = findMedication(rx.medication_code))
            rx.medication_name = m->name;
    rx.status = PrescriptionStatus::Active;
    rx.override_reason = rx.override_reason.trimmed();
    rx.meta = {};
}

} // namespace

Result<QList<Prescription>> PrescriptionStore::currentFor(const PatientId &patientId) const
{
    auto rows =
        RecordTable(m_db, kPrescriptions)
            .select(QStringLiteral("patient_id = :patient AND status IN ('active', 'on_hold') "
                                   "AND deleted_at IS NULL"),
                    {{QStringLiteral("patient"), patientId.value}},
                    QStringLiteral("start_date, id"));
    if (!rows)
        return rows.error();
    QList<Prescription> out;
    for (const Row &r : *rows)
        out << prescriptionFromRow(r);
    return out;
}

// validatePrescription against the patient's stored prescriptions and allergies; `storage` is
// set when reading them failed.
FieldErrors PrescriptionStore::check(const Prescription &rx, QList<PrescriptionAlert> *alerts,
                                     Status *storage) const
{
    auto current = currentFor(rx.patient_id);
    if (!current) {
        *storage = current.error();
        return {};
    }
    auto allergyRows = childRows(m_db, u"patient_allergies", rx.patient_id.value);
    if (!allergyRows) {
        *storage = allergyRows.error();
        return {};
    }
    QList<PatientAllergy> allergies;
    for (const Row &r : *allergyRows)
        allergies << allergyFromRow(r);
    return validatePrescription(rx, *current, allergies, alerts);
}

Result<Prescription> PrescriptionStore::create(Prescription rx,
                                               QList<PrescriptionAlert> *alerts) const
{
    if (Status allowed = permit(Action::WritePrescriptions); !allowed)
        return allowed.error();
    auto clinic = clinicForNewRecord(rx.clinic_id);
    if (!clinic)
        return clinic.error();
    rx.clinic_id = *clinic;
    if (rx.id.isNull())
        rx.id = newId<PrescriptionId>();
    prepare(rx);
    // The checks that need no database first, so a malformed form never takes the write lock.
    if (FieldErrors errors = validatePrescription(rx, {}, {}); !errors.isEmpty()) {
        if (alerts)
            validatePrescription(rx, {}, {}, alerts);
        return Error::invalid(errors);
    }

    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    if (Status s = requireReference(u"patients", rx.patient_id.value, QStringLiteral("patient_id")); !s)
        return s.error();
    Status storage;
    const FieldErrors errors = check(rx, alerts, &storage);
    if (!storage)
        return storage.error();
    if (!errors.isEmpty())
        return Error::invalid(errors);
    if (auto stored = writer().insert(*tableSpec(kPrescriptions), toRow(rx)); !stored)
        return stored.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(rx.id);
}

Result<QList<PrescriptionAlert>>
PrescriptionStore::alertsFor(const Prescription &prescription) const
{
    // Part of prescribing; it reads the patient's allergies and current medication.
    if (Status allowed = permit(Action::WritePrescriptions); !allowed)
        return allowed.error();
    Prescription rx = prescription;
    prepare(rx);
    QList<PrescriptionAlert> alerts;
    // A patient outside the caller's clinic is absent: there is nothing on record to check
    // against, so their allergies and medication cannot be probed through the alerts.
    if (!isUuid(rx.patient_id.value)) {
        validatePrescription(rx, {}, {}, &alerts);
        return alerts;
    }
    if (auto patient = visibleRow(u"patients", rx.patient_id.value, QStringLiteral("patient"));
        !patient) {
        if (patient.error().code != ErrorCode::NotFound)
            return patient.error();
        validatePrescription(rx, {}, {}, &alerts);
        return alerts;
    }
    Status storage;
    check(rx, &alerts, &storage);
    if (!storage)
        return storage.error();
    return alerts;
}

Result<Prescription> PrescriptionStore::get(const PrescriptionId &id) const
{
    if (Status allowed = permit(Action::ReadPrescriptions); !allowed)
        return allowed.error();
    auto row = visibleRow(kPrescriptions, id.value, QStringLiteral("prescription"));
    if (!row)
        return row.error();
    return prescriptionFromRow(*row);
}

Result<Prescription> PrescriptionStore::transition(const PrescriptionId &id,
                                                   PrescriptionAction action) const
{
    if (Status allowed = permit(Action::WritePrescriptions); !allowed)
        return allowed.error();
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kPrescriptions, id.value, QStringLiteral("prescription"));
    if (!current)
        return current.error();
    const Prescription stored = prescriptionFromRow(*current);
    auto next = applyPrescriptionTransition(stored.status, action);
    if (!next)
        return next.error();
    Row row = *current;
    row.insert(QStringLiteral("status"), toString(*next));
    if (auto written = writer().update(*tableSpec(kPrescriptions), *current, row, OutboxOp::State);
        !written)
        return written.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(id);
}

Result<PatientPrescriptions> PrescriptionStore::forPatient(const PatientId &patientId) const
{
    if (Status allowed = permit(Action::ReadPrescriptions); !allowed)
        return allowed.error();
    QString where = QStringLiteral("patient_id = :patient AND deleted_at IS NULL");
    QVariantMap binds{{QStringLiteral("patient"), patientId.value}};
    restrictToScope(kPrescriptions, where, binds);
    auto rows = RecordTable(m_db, kPrescriptions)
                    .select(where, binds, QStringLiteral("start_date DESC, created_at DESC, id"));
    if (!rows)
        return rows.error();
    PatientPrescriptions out;
    for (const Row &r : *rows) {
        Prescription rx = prescriptionFromRow(r);
        (rx.status == PrescriptionStatus::Active || rx.status == PrescriptionStatus::OnHold
             ? out.active
             : out.past)
            << rx;
    }
    return out;
}

} // namespace tmdash
