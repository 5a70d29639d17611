#pragma once

#include "storebase.h"
#include "vitals.h"

#include <QList>

namespace tmdash {

// Vitals records. Append-only (DESIGN.md): nothing is edited or deleted; a wrong record is
// corrected by a new one (replaces_id) or marked entered_in_error. The database refuses any
// change to recorded values, so the only update a store ever writes is the status. Reads need
// ReadVitals, writes WriteVitals (permissions.h), checked before anything else; the patient
// role sees only its own records.
class VitalsStore : public StoreBase
{
public:
    using StoreBase::StoreBase;

    // Stores a new record (status final) after validateVitals against nowUtc(). Assigns the id
    // when empty, the clinic, and recorded_by (the acting user) when empty. A record naming
    // replaces_id is refused ("replaces_id" "inconsistent"): use correct(). The patient must be
    // visible ("patient_id" "unknown" otherwise).
    Result<Vitals> create(Vitals vitals) const;
    // The record (either status); NotFound when absent or outside the caller's clinic.
    Result<Vitals> get(const VitalsId &id) const;
    // A patient's records by recorded_at (oldest first); entered_in_error ones only when asked.
    Result<QList<Vitals>> forPatient(const PatientId &patientId,
                                     bool includeEnteredInError = true) const;

    // In one transaction: stores `corrected` as a new final record with replaces_id = `id`
    // (same clinic and patient) and marks the record `id` entered_in_error (outbox: insert, then
    // state). Only a final record can be corrected ("status" "transition"). Returns the new
    // record.
    Result<Vitals> correct(const VitalsId &id, Vitals corrected) const;
    // Marks a final record entered_in_error (outbox: state); "status" "transition" when it
    // already is.
    Result<Vitals> markInError(const VitalsId &id) const;
};

} // namespace tmdash
