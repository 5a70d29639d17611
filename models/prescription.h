#pragma once

#include "enumnames.h"
#include "ids.h"
#include "record.h"
#include "result.h"

#include <QDate>
#include <QList>
#include <QString>

#include <optional>

namespace tmdash {

// How often a dose is taken. `once` is a single dose in total; `prn` is "as needed" without a
// schedule.
enum class Frequency { Once, Qd, Bid, Tid, Qid, Q4h, Q6h, Q8h, Q12h, Qhs, Prn };

template <> struct EnumNames<Frequency>
{
    static constexpr std::array<std::pair<Frequency, const char *>, 11> names{{
        {Frequency::Once, "once"},
        {Frequency::Qd, "qd"},
        {Frequency::Bid, "bid"},
        {Frequency::Tid, "tid"},
        {Frequency::Qid, "qid"},
        {Frequency::Q4h, "q4h"},
        {Frequency::Q6h, "q6h"},
        {Frequency::Q8h, "q8h"},
        {Frequency::Q12h, "q12h"},
        {Frequency::Qhs, "qhs"},
        {Frequency::Prn, "prn"},
    }};
};

// The most doses `prn` may mean in one day, for dose ceilings: every 4 hours around the clock.
inline constexpr int kPrnMaxDosesPerDay = 6;

// The most doses a day a frequency allows: qd, qhs and once 1, bid and q12h 2, tid and q8h 3,
// qid and q6h 4, q4h 6, prn kPrnMaxDosesPerDay.
int dosesPerDay(Frequency frequency);

// Changes only through applyPrescriptionTransition().
enum class PrescriptionStatus { Active, OnHold, Completed, Cancelled, EnteredInError };

template <> struct EnumNames<PrescriptionStatus>
{
    static constexpr std::array<std::pair<PrescriptionStatus, const char *>, 5> names{{
        {PrescriptionStatus::Active, "active"},
        {PrescriptionStatus::OnHold, "on_hold"},
        {PrescriptionStatus::Completed, "completed"},
        {PrescriptionStatus::Cancelled, "cancelled"},
        {PrescriptionStatus::EnteredInError, "entered_in_error"},
    }};
};

// What a person does to a prescription; each action leads to exactly one status.
enum class PrescriptionAction { Hold, Resume, Complete, Cancel, EnterInError };

template <> struct EnumNames<PrescriptionAction>
{
    // "error" as for appointments (AppointmentAction), so command-line verbs read alike.
    static constexpr std::array<std::pair<PrescriptionAction, const char *>, 5> names{{
        {PrescriptionAction::Hold, "hold"},
        {PrescriptionAction::Resume, "resume"},
        {PrescriptionAction::Complete, "complete"},
        {PrescriptionAction::Cancel, "cancel"},
        {PrescriptionAction::EnterInError, "error"},
    }};
};

// Append-only (DESIGN.md): a prescription is stopped by a status change, and a wrong one is
// marked entered_in_error and replaced by a new row pointing at it (replaces_id).
struct Prescription
{
    PrescriptionId id;
    ClinicId clinic_id;
    PatientId patient_id;
    ProviderId provider_id;
    std::optional<ConsultationId> consultation_id;
    QString medication_code; // RxNorm RXCUI of a formulary row
    QString medication_name;
    QString strength; // "500 mg"
    QString form;     // a form of the formulary row ("tablet")
    double dose_amount = 0;
    QString dose_unit; // "mg", "tablet", "mL", ...
    QString route;     // "oral", ...
    Frequency frequency = Frequency::Qd;
    bool as_needed = false;
    std::optional<int> duration_days;
    std::optional<double> quantity; // per fill, in dose_unit when that is countable
    int refills = 0;
    QDate start_date;
    QString instructions;
    PrescriptionStatus status = PrescriptionStatus::Active;
    // Why an interaction or allergy alert was overridden; empty when none was.
    QString override_reason;
    std::optional<PrescriptionId> replaces_id;
    RecordMeta meta;

    // Derived, never stored input: the last day taken, start_date + duration_days - 1; nullopt
    // without a duration or a valid start date.
    std::optional<QDate> end_date() const;
    // dosesPerDay(frequency).
    int maxDosesPerDay() const { return tmdash::dosesPerDay(frequency); }
    // Taken as needed: as_needed, or frequency prn.
    bool isAsNeeded() const { return as_needed || frequency == Frequency::Prn; }
    // Active or on hold, and not tombstoned: what interaction checks count.
    bool isCurrent() const;
};

// The status an action leads to (Hold -> on_hold, Resume -> active, Complete -> completed,
// Cancel -> cancelled, EnterInError -> entered_in_error).
PrescriptionStatus targetStatus(PrescriptionAction action);

// The state machine:
//   active          --hold-->     on_hold
//   on_hold         --resume-->   active
//   active|on_hold  --complete--> completed
//   active|on_hold  --cancel-->   cancelled
//   every status but entered_in_error --error--> entered_in_error
// completed and cancelled end a prescription (a new one is written instead); entered_in_error is
// final, and marking it again is refused like any other no-op.
bool isTransitionAllowed(PrescriptionStatus from, PrescriptionAction action);
// The actions allowed from a status, in enum order (for menus and buttons).
QList<PrescriptionAction> allowedActions(PrescriptionStatus from);
// The action that turns `from` into `to`, if the state machine has one (for checking a stored
// status change, e.g. an incoming `state` mutation).
std::optional<PrescriptionAction> actionBetween(PrescriptionStatus from, PrescriptionStatus to);

// The status after `action`, or Error::invalid with field "status", code "transition" (the
// message names both statuses) when the machine does not allow it.
Result<PrescriptionStatus> applyPrescriptionTransition(PrescriptionStatus from,
                                                       PrescriptionAction action);

} // namespace tmdash
