#pragma once

#include "prescription.h"
#include "prescriptionvalidator.h"
#include "storebase.h"

#include <QList>

namespace tmdash {

// A patient's prescriptions split the way a chart shows them.
struct PatientPrescriptions
{
    QList<Prescription> active; // active and on_hold, newest start first
    QList<Prescription> past;   // completed, cancelled, entered_in_error, newest start first
};

// Prescriptions. Append-only (DESIGN.md): recorded values never change (the database refuses
// it); a prescription is stopped or put on hold by a status change, and a wrong one is marked
// entered_in_error. Reads need ReadPrescriptions, writes WritePrescriptions (permissions.h),
// checked before anything else; the patient role sees only its own.
class PrescriptionStore : public StoreBase
{
public:
    using StoreBase::StoreBase;

    // Stores a new active prescription. Assigns the id when empty and the clinic; fills
    // medication_name from the formulary when empty; stores end_date as derived. Inside the
    // transaction it loads the patient's current (active/on_hold) prescriptions and allergies
    // and runs validatePrescription against them: an interaction or allergy match is refused
    // unless override_reason is given ("medication_code" "interaction" / "allergy"), a dose above
    // the maximum always ("dose_amount" "max_daily_dose"). Every alert found is appended to
    // `alerts` (when given), whether the write succeeds or not.
    Result<Prescription> create(Prescription prescription,
                                QList<PrescriptionAlert> *alerts = nullptr) const;
    // The alerts create() would raise for `prescription` now, without writing anything (for a
    // form to show before saving). Part of prescribing (WritePrescriptions); a patient outside
    // the caller's scope is checked as one with nothing on record.
    Result<QList<PrescriptionAlert>> alertsFor(const Prescription &prescription) const;
    // The prescription (any status); NotFound when absent, tombstoned or outside the caller's
    // clinic.
    Result<Prescription> get(const PrescriptionId &id) const;

    // Status changes (applyPrescriptionTransition; outbox: state). A transition the state
    // machine refuses is "status" "transition".
    Result<Prescription> transition(const PrescriptionId &id, PrescriptionAction action) const;
    Result<Prescription> hold(const PrescriptionId &id) const
    {
        return transition(id, PrescriptionAction::Hold);
    }
    Result<Prescription> resume(const PrescriptionId &id) const
    {
        return transition(id, PrescriptionAction::Resume);
    }
    Result<Prescription> complete(const PrescriptionId &id) const
    {
        return transition(id, PrescriptionAction::Complete);
    }
    Result<Prescription> cancel(const PrescriptionId &id) const
    {
        return transition(id, PrescriptionAction::Cancel);
    }
    Result<Prescription> enterInError(const PrescriptionId &id) const
    {
        return transition(id, PrescriptionAction::EnterInError);
    }

    // A patient's prescriptions, current and past.
    Result<PatientPrescriptions> forPatient(const PatientId &patientId) const;

private:
    Result<QList<Prescription>> currentFor(const PatientId &patientId) const;
    FieldErrors check(const Prescription &rx, QList<PrescriptionAlert> *alerts,
                      Status *storage) const;
};

} // namespace tmdash
