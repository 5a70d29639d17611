#pragma once

#include "consultation.h"
#include "storebase.h"

#include <QList>

namespace tmdash {

// Consultation notes with their diagnoses (owned list consultation_diagnoses). A note is
// editable and removable while draft; signing freezes it for good (the database refuses any
// change to a signed note or its diagnoses); an addendum is a new draft note whose amends_id
// names the signed one. Reads need ReadConsultations, drafts and addenda WriteConsultations,
// signing SignConsultations (permissions.h), checked before anything else; the patient role sees
// only its own signed notes.
class ConsultationStore : public StoreBase
{
public:
    using StoreBase::StoreBase;

    // Stores a new draft note with its diagnoses. Assigns the id when empty and the clinic;
    // status is always draft (sign() signs). Refused: validateConsultation errors, an unknown
    // patient ("patient_id" "unknown"), a note naming amends_id ("amends_id" "inconsistent":
    // use addendum()).
    Result<Consultation> create(Consultation consultation) const;
    // The note with its live diagnoses (primary first, then as added); NotFound when absent,
    // tombstoned or outside the caller's clinic.
    Result<Consultation> get(const ConsultationId &id) const;
    // Stores `edited` (a full note as returned by get, with changes) while the stored note is a
    // draft: changed columns and diagnosis rows are written, missing diagnoses tombstoned. A
    // signed note is refused with "status" "immutable" (checkConsultationEdit) and nothing is
    // written; signing goes through sign() ("status" "transition" here).
    Result<Consultation> update(const Consultation &edited) const;
    // Tombstones a draft note and its diagnoses; a signed note is refused ("status"
    // "immutable").
    Status remove(const ConsultationId &id) const;

    // Signs a draft: status signed, signed_at now, signed_by the acting user (outbox: state).
    // Refused: a note already signed ("status" "transition"); a caller without a user id, e.g.
    // the owner principal ("signed_by" "required": only a person can sign).
    Result<Consultation> sign(const ConsultationId &id) const;
    // Stores `content` as a new draft addendum of the signed note `signedId`: amends_id, clinic
    // and patient are taken from that note, diagnoses get new row ids. Refused
    // (checkAddendumTarget) unless that note is signed ("amends_id" "transition"); refused with
    // "amends_id" "unknown" when it is absent or out of scope. makeAddendum() builds a
    // ready-to-edit `content`.
    Result<Consultation> addendum(const ConsultationId &signedId, Consultation content) const;

    // A patient's notes (with diagnoses), by started_at, oldest first.
    Result<QList<Consultation>> forPatient(const PatientId &patientId) const;

private:
    Result<Consultation> load(const Row &row) const;
    Result<Consultation> insertDraft(Consultation c) const;
};

} // namespace tmdash
