#pragma once

#include "consultation.h"
#include "result.h"

#include <QDateTime>

namespace tmdash {

inline constexpr qsizetype kMaxChiefComplaintLength = 500;
inline constexpr qsizetype kMaxNoteTextLength = 20000; // history, examination, plan, ...
inline constexpr qsizetype kMaxDiagnosisDescriptionLength = 500;
inline constexpr int kMinFollowUpDays = 1;
inline constexpr int kMaxFollowUpDays = 365;

// Every failing field of a consultation about to be stored (draft or signed):
//  - patient_id, provider_id, started_at "required";
//  - chief_complaint "required", at most 500 characters ("too_long"), one line ("format");
//  - history, examination, assessment, plan, follow_up_instructions at most 20000 characters;
//  - per live diagnosis row "diagnoses[i].icd10_code": "required" / "format" (ICD-10 shape, see
//    isIcd10Code) / "duplicate" (the same code twice); "diagnoses[i].description" at most 500;
//    "diagnoses[i].is_primary" "duplicate" on every primary row after the first;
//  - follow_up_days "inconsistent" when follow_up_date is also given, else "range" outside 1-365;
//  - signed: signed_at and signed_by "required", signed_at "range" when before started_at;
//    draft: signed_at "inconsistent" when signed_at or signed_by is set;
//  - amends_id "inconsistent" when it names the consultation itself.
// Tombstoned diagnosis rows are skipped.
FieldErrors validateConsultation(const Consultation &consultation);

// Whether `after` may replace the stored `before`. A signed note never changes: any difference
// (see changedConsultationFields) gives field "status", code "immutable", a message naming the
// changed fields and pointing to an addendum. A draft may change and be signed, but its id,
// clinic_id, patient_id and amends_id are fixed ("immutable" on that field). Run
// validateConsultation on `after` as well.
FieldErrors checkConsultationEdit(const Consultation &before, const Consultation &after);

// Whether `addendum` (amends_id set) may amend `target`: target's id is amends_id ("amends_id"
// "inconsistent" otherwise), target is signed ("amends_id" "transition"), not tombstoned
// ("amends_id" "unknown"), and of the same clinic and patient ("inconsistent").
FieldErrors checkAddendumTarget(const Consultation &addendum, const Consultation &target);

// A new draft addendum of `signedNote`, written by `author` at `now`: a new id, amends_id =
// the note's id, the same clinic, patient and appointment; the clinical content (chief
// complaint, history, examination, assessment, diagnoses under new row ids, plan, follow-up)
// copied so that the author edits only what changes. Refused (Invalid, field "amends_id", code
// "transition") unless the note is signed, or code "unknown" when it is tombstoned.
Result<Consultation> makeAddendum(const Consultation &signedNote, const ProviderId &author,
                                  const QDateTime &now);

} // namespace tmdash
