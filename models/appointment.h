#pragma once

#include "enumnames.h"
#include "ids.h"
#include "record.h"

#include <QDateTime>
#include <QString>

namespace tmdash {

enum class AppointmentType { NewPatient, FollowUp, AnnualPhysical, Urgent, Telehealth, Procedure };

template <> struct EnumNames<AppointmentType>
{
    static constexpr std::array<std::pair<AppointmentType, const char *>, 6> names = {{
        {AppointmentType::NewPatient, "new_patient"},
        {AppointmentType::FollowUp, "follow_up"},
        {AppointmentType::AnnualPhysical, "annual_physical"},
        {AppointmentType::Urgent, "urgent"},
        {AppointmentType::Telehealth, "telehealth"},
        {AppointmentType::Procedure, "procedure"},
    }};
};

// Changes only through applyTransition() (appointmentrules.h).
enum class AppointmentStatus {
    Scheduled,
    Confirmed,
    CheckedIn,
    InProgress,
    Completed,
    Cancelled,
    NoShow,
    EnteredInError,
};

template <> struct EnumNames<AppointmentStatus>
{
    static constexpr std::array<std::pair<AppointmentStatus, const char *>, 8> names = {{
        {AppointmentStatus::Scheduled, "scheduled"},
        {AppointmentStatus::Confirmed, "confirmed"},
        {AppointmentStatus::CheckedIn, "checked_in"},
        {AppointmentStatus::InProgress, "in_progress"},
        {AppointmentStatus::Completed, "completed"},
        {AppointmentStatus::Cancelled, "cancelled"},
        {AppointmentStatus::NoShow, "no_show"},
        {AppointmentStatus::EnteredInError, "entered_in_error"},
    }};
};

struct Appointment
{
    AppointmentId id;
    ClinicId clinic_id;
    PatientId patient_id;
    ProviderId provider_id;
    QDateTime start_at; // UTC
    int duration_minutes = 0;
    AppointmentType type = AppointmentType::FollowUp;
    AppointmentStatus status = AppointmentStatus::Scheduled;
    QString room; // empty = none (e.g. telehealth)
    QString reason;
    QString notes;
    QString cancel_reason;
    RecordMeta meta;

    // start_at + duration_minutes: the exclusive end of the half-open interval [start_at, end_at).
    QDateTime end_at() const;
    // True while the appointment occupies its slot: every status except cancelled, no_show and
    // entered_in_error. (A tombstoned row occupies nothing either; see isOccupying().)
    bool isActive() const;
    // isActive() and not tombstoned: what overlap checks count.
    bool isOccupying() const { return isActive() && !meta.isDeleted(); }
};

} // namespace tmdash
