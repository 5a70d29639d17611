#pragma once

#include "formulary.h"
#include "patient.h"
#include "prescription.h"
#include "result.h"

#include <QList>
#include <QString>

#include <optional>

namespace tmdash {

inline constexpr int kMinRefills = 0;
inline constexpr int kMaxRefills = 11;
inline constexpr int kMinDurationDays = 1;
inline constexpr int kMaxDurationDays = 365;
inline constexpr qsizetype kMaxInstructionsLength = 2000;
inline constexpr qsizetype kMaxOverrideReasonLength = 1000;

// A warning the prescriber sees before saving. `kind` is "interaction", "allergy" or
// "max_daily_dose"; `severity` is the interaction's ("high", "contraindicated"), the allergy's
// criticality ("low", "high", "unable_to_assess"), or "high" for a dose above the maximum.
struct PrescriptionAlert
{
    QString kind;
    QString severity;
    QString message;
    friend bool operator==(const PrescriptionAlert &, const PrescriptionAlert &) = default;
};

// Units counted in whole items (tablet, capsule, patch, puff, suppository, with plurals and
// "tab"/"cap"), for which quantity = dose x doses per day x days. Case-insensitive.
bool isCountableUnit(const QString &unit);

// `amount` in unit `from` expressed in unit `to`: the same unit (ignoring case), or mass units
// among g, mg, mcg (also "ug", "µg"); nullopt otherwise (e.g. mg to mL).
std::optional<double> convertDoseAmount(double amount, const QString &from, const QString &to);

// The most the prescription gives in one day, in the unit of `medication`'s max_daily_dose:
// dose x maxDosesPerDay() (prn counts as kPrnMaxDosesPerDay). A countable dose unit ("2 tablet")
// is converted through the prescription's strength when that is one amount with a unit
// ("500 mg"). nullopt when the medication has no maximum or the units cannot be related.
std::optional<DoseQuantity> dailyDose(const Prescription &rx, const Medication &medication);

// An active medication allergy (not tombstoned) whose substance equals, ignoring case and
// surrounding white space, the medication's name, one of its ingredients (for a combination
// "a / b"), its class, or one of its allergy_groups.
bool allergyMatches(const PatientAllergy &allergy, const Medication &medication);

// Every failing field of a prescription about to be stored, checked against the built-in
// formulary():
//  - patient_id, provider_id, start_date, dose_unit "required";
//  - medication_code "required", or "unknown" when not a formulary code; medication_name
//    "inconsistent" when given and not the formulary's name; form "unknown" when given and not
//    one of the formulary's forms;
//  - dose_amount "range" unless > 0; refills "range" outside 0-11; duration_days "range" outside
//    1-365, "inconsistent" above 1 with frequency once; quantity "range" unless > 0;
//  - quantity "inconsistent" when, for a scheduled (not as-needed) prescription in a countable
//    unit with both quantity and duration, quantity < dose x doses per day x duration_days
//    (more is allowed: the rest covers refills of a partial fill or spillage);
//  - dose_amount "max_daily_dose" when dailyDose() exceeds the medication's maximum (equal is
//    allowed). Always refused, whatever the override reason;
//  - medication_code "interaction" for each interaction with a current (active or on_hold, not
//    tombstoned) prescription in `activeForPatient` other than this one, and "allergy" for each
//    matching allergy in `allergies` (see allergyMatches), both only while this prescription is
//    itself current, and both refused only while override_reason is blank;
//  - strength, route, instructions, override_reason lengths ("too_long").
// Every interaction, allergy match and dose above the maximum is also appended to `alerts` (when
// given), override reason or not, so a form can show them before saving.
FieldErrors validatePrescription(const Prescription &rx,
                                 const QList<Prescription> &activeForPatient,
                                 const QList<PatientAllergy> &allergies,
                                 QList<PrescriptionAlert> *alerts = nullptr);

} // namespace tmdash
