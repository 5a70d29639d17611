#pragma once

#include "appointment.h"
#include "clinic.h"
#include "enumnames.h"
#include "provider.h"
#include "result.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace tmdash {

// The bounds of an appointment's length, inclusive.
inline constexpr int kMinAppointmentMinutes = 5;
inline constexpr int kMaxAppointmentMinutes = 480;

// What a person does to an appointment; each action leads to exactly one status.
enum class AppointmentAction { Confirm, CheckIn, Start, Complete, NoShow, Cancel, EnterInError };

template <> struct EnumNames<AppointmentAction>
{
    static constexpr std::array<std::pair<AppointmentAction, const char *>, 7> names = {{
        {AppointmentAction::Confirm, "confirm"},
        {AppointmentAction::CheckIn, "check_in"},
        {AppointmentAction::Start, "start"},
        {AppointmentAction::Complete, "complete"},
        {AppointmentAction::NoShow, "no_show"},
        {AppointmentAction::Cancel, "cancel"},
        {AppointmentAction::EnterInError, "error"},
    }};
};

// The status an action leads to (Confirm -> confirmed, ..., EnterInError -> entered_in_error).
AppointmentStatus targetStatus(AppointmentAction action);

// The state machine:
//   scheduled            --confirm-->  confirmed
//   scheduled|confirmed  --check_in--> checked_in
//   checked_in           --start-->    in_progress
//   in_progress          --complete--> completed
//   scheduled|confirmed  --no_show-->  no_show
//   scheduled|confirmed|checked_in --cancel--> cancelled   (needs a reason)
//   every status but entered_in_error --error--> entered_in_error
// entered_in_error is final: marking it again is refused like any other no-op.
bool isTransitionAllowed(AppointmentStatus from, AppointmentAction action);
// The actions allowed from a status, in enum order (for menus and buttons).
QList<AppointmentAction> allowedActions(AppointmentStatus from);
// The action that turns `from` into `to`, if the state machine has one. For checking a stored
// status change (e.g. an incoming `state` mutation) against the machine.
std::optional<AppointmentAction> actionBetween(AppointmentStatus from, AppointmentStatus to);

// The status after `action`, or Error::invalid with field "status", code "transition" (the
// message names both statuses) when the machine does not allow it; for an allowed Cancel with a
// blank `reason`, field "cancel_reason", code "reason_required". `reason` is ignored otherwise.
Result<AppointmentStatus> applyTransition(AppointmentStatus from, AppointmentAction action,
                                          const QString &reason = {});

// Every failing field of an appointment about to be stored. Field checks always run:
// patient_id, provider_id, start_at required; duration_minutes 5-480 ("range"); cancel_reason
// required when cancelled ("reason_required"); text lengths ("too_long"); clinic_id and
// provider_id consistent with `clinic` and `provider` ("inconsistent").
// Scheduling checks run when the appointment occupies its slot (Appointment::isOccupying) and its
// time is well-formed; all intervals are half-open, so back-to-back is never a conflict:
//  - start_at "outside_hours": the whole appointment, converted to the clinic's time zone
//    (QTimeZone, so DST is honoured), lies within that local day's business hours;
//  - start_at "outside_availability": ... and within one of the provider's availability windows
//    for that local weekday;
//  - start_at "time_off": it overlaps none of the provider's time off;
//  - start_at / room / patient_id "overlap": no other occupying appointment in `others` (same id
//    and tombstones ignored) of the same provider / the same non-empty room (compared trimmed,
//    case-insensitively) / the same patient overlaps it.
// `others` may hold any appointments of the clinic (typically those of that day); the caller
// chooses them. Stores call this on create and when time, duration, provider, room or patient
// change; pure status changes go through applyTransition.
FieldErrors validateAppointment(const Appointment &appointment, const Clinic &clinic,
                                const Provider &provider, const QList<Appointment> &others);

// The start times (UTC, ascending) on the clinic-local day `localDay` at which an appointment of
// `slotMinutes` with `provider` would pass the scheduling checks above (hours, availability, time
// off, the provider's own bookings in `booked`). Candidates step by `slotMinutes` from the start
// of each availability window; local times that do not exist (a DST gap) are skipped.
// `slotMinutes` <= 0 means the provider's default_slot_minutes; outside 5-480 gives no slots.
QList<QDateTime> freeSlots(const Clinic &clinic, const Provider &provider, QDate localDay,
                           const QList<Appointment> &booked, int slotMinutes = 0);

} // namespace tmdash
