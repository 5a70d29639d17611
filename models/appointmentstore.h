#pragma once

#include "appointment.h"
#include "appointmentrules.h"
#include "clinic.h"
#include "provider.h"
#include "storebase.h"

#include <QDate>
#include <QDateTime>
#include <QList>

namespace tmdash {

// Appointments. They are never deleted: a booking is retracted by cancel (with a reason) or
// entered_in_error, so there is no remove(). Every write validates with the domain rules
// (appointmentrules.h), checks overlaps against the stored appointments inside its transaction,
// and on a desktop appends one outbox row (insert, update, or `state` for a status change); a
// failed write leaves nothing behind.
//
// Local days and weeks are days in the clinic's time zone (the provider's clinic, or the clinic
// queried), so "Monday" means the clinic's Monday whatever the computer's zone.
//
// Reads need ReadAppointments, every write WriteAppointments (permissions.h), checked before
// anything else; the patient role sees only its own appointments.
class AppointmentStore : public StoreBase
{
public:
    using StoreBase::StoreBase;

    // Books an appointment. Assigns the id when empty and the clinic (the caller's); the status
    // is always `scheduled` and cancel_reason is cleared. The patient and the provider must
    // exist, not deleted, in that clinic (else Invalid, field patient_id / provider_id, code
    // not_found). Then validateAppointment decides against the stored occupying appointments of
    // the same provider, patient or room around that time: "overlap", "outside_hours",
    // "outside_availability", "time_off", ... Returns the stored appointment.
    Result<Appointment> create(Appointment appointment) const;

    // NotFound when absent, deleted or outside the caller's clinic.
    Result<Appointment> get(const AppointmentId &id) const;

    // Stores `edited` (as returned by get, with changes to start_at, duration_minutes, type,
    // provider_id, room, reason or notes), re-validated like create. status and cancel_reason
    // change only through the actions below, patient_id and clinic_id never (field, code
    // "immutable"). Only scheduled, confirmed and checked-in appointments can be changed (field
    // status, code "immutable"). Unchanged -> nothing written.
    Result<Appointment> update(const Appointment &edited) const;
    // Moves an appointment (update of start_at and duration_minutes).
    Result<Appointment> reschedule(const AppointmentId &id, const QDateTime &startAt,
                                   int durationMinutes) const;

    // The state changes (appointmentrules.h: applyTransition). A refused transition is Invalid
    // with field status, code transition; cancel without a reason is field cancel_reason, code
    // reason_required. Written as one outbox row with op `state` carrying status (and
    // cancel_reason) as old/new pairs.
    Result<Appointment> confirm(const AppointmentId &id) const;
    Result<Appointment> checkIn(const AppointmentId &id) const;
    Result<Appointment> start(const AppointmentId &id) const;
    Result<Appointment> complete(const AppointmentId &id) const;
    Result<Appointment> noShow(const AppointmentId &id) const;
    Result<Appointment> cancel(const AppointmentId &id, const QString &reason) const;
    Result<Appointment> enterInError(const AppointmentId &id) const;
    Result<Appointment> transition(const AppointmentId &id, AppointmentAction action,
                                   const QString &reason = {}) const;

    // Queries. Every status is returned (cancelled ones included, for the day sheet), tombstones
    // never; ordered by start_at (then id). NotFound when the provider / patient is not visible.
    // For the patient role, only their own appointments are listed.
    // The appointments of a provider starting on `localDay` in the clinic's time zone.
    Result<QList<Appointment>> forProviderDay(const ProviderId &providerId, QDate localDay) const;
    // ... in the ISO week (Monday to Sunday, clinic time) that contains `localDayInWeek`.
    Result<QList<Appointment>> forProviderWeek(const ProviderId &providerId,
                                               QDate localDayInWeek) const;
    // Every appointment of the clinic starting on `localDay` (clinic time). `clinic` empty: the
    // caller's clinic (or the database's only clinic for the owner).
    Result<QList<Appointment>> forClinicDay(QDate localDay, const ClinicId &clinic = {}) const;
    // All appointments of a patient, oldest first.
    Result<QList<Appointment>> forPatient(const PatientId &patientId) const;
    // The free start times (UTC, ascending) of a provider on a clinic-local day for an
    // appointment of `slotMinutes` (<= 0: the provider's default), per the domain's freeSlots.
    // Every booking of the provider counts, for every role: the answer names no patient.
    Result<QList<QDateTime>> freeSlots(const ProviderId &providerId, QDate localDay,
                                       int slotMinutes = 0) const;

private:
    // A provider with its availability and time off, and its clinic.
    struct Context
    {
        Clinic clinic;
        Provider provider;
    };
    Result<Context> loadContext(const ProviderId &providerId, const ClinicId &clinicId) const;
    Result<Clinic> loadClinic(const ClinicId &clinicId) const;
    // Appointments whose `column` is `value` starting in [from, to), in the caller's scope
    // unless `allPatients` (the provider's occupied times for freeSlots).
    Result<QList<Appointment>> between(const QString &column, const QString &value,
                                       const QDateTime &from, const QDateTime &to,
                                       bool allPatients = false) const;
    // Checks references and the schedule of `a` inside the caller's transaction.
    Status checkBooking(const Appointment &a) const;
};

} // namespace tmdash
