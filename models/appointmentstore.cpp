#include "appointmentstore.h"

#include "appointmentcodec.h"
#include "cliniccodec.h"
#include "clock.h"
#include "providercodec.h"
#include "transaction.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

namespace tmdash {

namespace {

const QString kAppointments = QStringLiteral("appointments");

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

// The checks of validateAppointment that need no database. It runs the scheduling checks only
// for an appointment that occupies its slot, so a copy that does not gives exactly the field
// checks, and bad input is refused before a transaction opens.
FieldErrors fieldErrors(Appointment a)
{
    a.status = AppointmentStatus::EnteredInError;
    return validateAppointment(a, Clinic{}, Provider{}, {});
}

bool isChangeable(AppointmentStatus status)
{
    return status == AppointmentStatus::Scheduled || status == AppointmentStatus::Confirmed ||
           status == AppointmentStatus::CheckedIn;
}

// On PostgreSQL two bookings in one clinic could otherwise both pass the overlap check under
// READ COMMITTED; a transaction-scoped advisory lock per clinic serialises them (SQLite's
// BEGIN IMMEDIATE already does). An advisory lock needs no privilege on any table.
Status lockClinicSchedule(const Database &db, const ClinicId &clinic)
{
    if (db.isSqlite())
        return {};
    QSqlQuery q(db.connection());
    q.prepare(QStringLiteral("SELECT pg_advisory_xact_lock(hashtext(:key))"));
    q.bindValue(QStringLiteral(":key"), QString(QStringLiteral("appointments:") + clinic.value));
    if (!q.exec())
        return Error::storage(QStringLiteral("locking the schedule: ") + q.lastError().text());
    return {};
}

QList<Appointment> appointmentsFrom(const QList<Row> &rows)
{
    QList<Appointment> out;
    out.reserve(rows.size());
    for (const Row &r : rows)
        out << appointmentFromRow(r);
    return out;
}

} // namespace

Result<Clinic> AppointmentStore::loadClinic(const ClinicId &clinicId) const
{
    auto row = visibleRow(u"clinics", clinicId.value, QStringLiteral("clinic"));
    if (!row)
        return row.error();
    return clinicFromRow(*row);
}

Result<AppointmentStore::Context> AppointmentStore::loadContext(const ProviderId &providerId,
                                                                const ClinicId &clinicId) const
{
    const QString what = QStringLiteral("provider");
    if (!isUuid(providerId.value))
        return Error::notFound(QStringLiteral("no provider with id %1").arg(providerId.value));
    // A patient sees no provider record, but may ask for their own appointments with one.
    auto row = m_actor.isPatient() ? clinicRow(u"providers", providerId.value, what)
                                   : visibleRow(u"providers", providerId.value, what);
    if (!row)
        return row.error();
    Context c;
    c.provider = providerFromRow(*row);
    if (!clinicId.isNull() && c.provider.clinic_id != clinicId)
        return Error::notFound(
            QStringLiteral("no provider with id %1 in this clinic").arg(providerId.value));
    auto availability = childRows(m_db, u"provider_availability", providerId.value);
    if (!availability)
        return availability.error();
    for (const Row &r : *availability)
        c.provider.availability << availabilityFromRow(r);
    auto timeOff = childRows(m_db, u"provider_time_off", providerId.value);
    if (!timeOff)
        return timeOff.error();
    for (const Row &r : *timeOff)
        c.provider.time_off << timeOffFromRow(r);
    auto clinic = loadClinic(c.provider.clinic_id);
    if (!clinic)
        return clinic.error();
    c.clinic = *clinic;
    return c;
}

Result<QList<Appointment>> AppointmentStore::between(const QString &column, const QString &value,
                                                     const QDateTime &from, const QDateTime &to,
                                                     bool allPatients) const
{
    QString where = column + QStringLiteral(" = :value AND deleted_at IS NULL AND "
                                            "start_at >= :from AND start_at < :to");
    QVariantMap binds{{QStringLiteral("value"), value},
                      {QStringLiteral("from"), formatInstant(from)},
                      {QStringLiteral("to"), formatInstant(to)}};
    if (!allPatients)
        restrictToScope(kAppointments, where, binds);
    auto rows =
        RecordTable(m_db, kAppointments).select(where, binds, QStringLiteral("start_at, id"));
    if (!rows)
        return rows.error();
    return appointmentsFrom(*rows);
}

Status AppointmentStore::checkBooking(const Appointment &a) const
{
    FieldErrors errors;
    if (Status s = requireReference(u"patients", a.patient_id.value, QStringLiteral("patient_id"), a.clinic_id); !s)
        errors << s.error().fields;
    auto context = loadContext(a.provider_id, a.clinic_id);
    if (!context && context.error().code != ErrorCode::NotFound)
        return context.error();
    if (!context)
        errors.append(
            {QStringLiteral("provider_id"), QStringLiteral("not_found"),
             tr("There is no provider with id %1 in this clinic.").arg(a.provider_id.value)});
    if (!errors.isEmpty())
        return Error::invalid(errors);

    if (Status s = lockClinicSchedule(m_db, a.clinic_id); !s)
        return s;
    // Every stored appointment that may overlap [start, end): one starting before `end` and less
    // than the longest possible appointment before `start`, of the same provider or patient, or
    // in any room when this one names a room. validateAppointment decides on the exact overlap,
    // the status, and the room (trimmed, case-insensitively).
    const QDateTime start = a.start_at;
    const QDateTime end = a.end_at();
    QString where =
        QStringLiteral("clinic_id = :clinic AND deleted_at IS NULL AND start_at > :from "
                       "AND start_at < :to AND (provider_id = :provider OR patient_id = :patient");
    if (!a.room.trimmed().isEmpty())
        where += QStringLiteral(" OR room IS NOT NULL");
    where += QLatin1Char(')');
    auto rows = RecordTable(m_db, kAppointments)
                    .select(where,
                            {{QStringLiteral("clinic"), a.clinic_id.value},
                             {QStringLiteral("from"),
                              formatInstant(start.addSecs(-qint64(kMaxAppointmentMinutes) * 60))},
                             {QStringLiteral("to"), formatInstant(end)},
                             {QStringLiteral("provider"), a.provider_id.value},
                             {QStringLiteral("patient"), a.patient_id.value}},
                            QStringLiteral("start_at, id"));
    if (!rows)
        return rows.error();
    errors = validateAppointment(a, context->clinic, context->provider, appointmentsFrom(*rows));
    if (!errors.isEmpty())
        return Error::invalid(errors);
    return {};
}

Result<Appointment> AppointmentStore::create(Appointment a) const
{
    if (Status allowed = permit(Action::WriteAppointments); !allowed)
        return allowed.error();
    auto clinic = clinicForNewRecord(a.clinic_id);
    if (!clinic)
        return clinic.error();
    a.clinic_id = *clinic;
    if (a.id.isNull())
        a.id = newId<AppointmentId>();
    a.status = AppointmentStatus::Scheduled;
    a.cancel_reason.clear();
    a.meta = RecordMeta{};
    a.room = a.room.trimmed();
    if (FieldErrors errors = fieldErrors(a); !errors.isEmpty())
        return Error::invalid(errors);

    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    if (Status s = checkBooking(a); !s)
        return s.error();
    auto stored = writer().insert(*tableSpec(kAppointments), toRow(a));
    if (!stored)
        return stored.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(a.id);
}

Result<Appointment> AppointmentStore::get(const AppointmentId &id) const
{
    if (Status allowed = permit(Action::ReadAppointments); !allowed)
        return allowed.error();
    if (!isUuid(id.value))
        return Error::notFound(QStringLiteral("no appointment with id %1").arg(id.value));
    auto row = visibleRow(kAppointments, id.value, QStringLiteral("appointment"));
    if (!row)
        return row.error();
    return appointmentFromRow(*row);
}

Result<Appointment> AppointmentStore::update(const Appointment &edited) const
{
    if (Status allowed = permit(Action::WriteAppointments); !allowed)
        return allowed.error();
    if (!isUuid(edited.id.value))
        return Error::notFound(QStringLiteral("no appointment with id %1").arg(edited.id.value));
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kAppointments, edited.id.value, QStringLiteral("appointment"));
    if (!current)
        return current.error();
    const Appointment stored = appointmentFromRow(*current);
    if (!isChangeable(stored.status))
        return Error::invalid(QStringLiteral("status"), QStringLiteral("immutable"),
                              tr("A %1 appointment cannot be changed; only scheduled, confirmed "
                                 "and checked-in ones can.")
                                  .arg(toString(stored.status)));

    FieldErrors errors;
    const QString immutable = QStringLiteral("immutable");
    if (edited.patient_id != stored.patient_id)
        errors.append({QStringLiteral("patient_id"), immutable,
                       tr("The patient of an appointment cannot change; cancel it and book a new "
                          "one.")});
    if (!edited.clinic_id.isNull() && edited.clinic_id != stored.clinic_id)
        errors.append({QStringLiteral("clinic_id"), immutable,
                       tr("The clinic of an appointment cannot change.")});
    if (edited.status != stored.status)
        errors.append({QStringLiteral("status"), immutable,
                       tr("The status changes only through its actions (confirm, check in, "
                          "cancel, ...).")});
    if (edited.cancel_reason != stored.cancel_reason)
        errors.append({QStringLiteral("cancel_reason"), immutable,
                       tr("The cancellation reason is given when cancelling.")});
    if (!errors.isEmpty())
        return Error::invalid(errors);

    Appointment a = stored;
    a.start_at = edited.start_at;
    a.duration_minutes = edited.duration_minutes;
    a.type = edited.type;
    a.provider_id = edited.provider_id;
    a.room = edited.room.trimmed();
    a.reason = edited.reason;
    a.notes = edited.notes;
    if (FieldErrors fields = fieldErrors(a); !fields.isEmpty())
        return Error::invalid(fields);
    if (Status s = checkBooking(a); !s)
        return s.error();
    Row next = toRow(a);
    next.remove(QStringLiteral("deleted_at"));
    auto written = writer().update(*tableSpec(kAppointments), *current, next);
    if (!written)
        return written.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(a.id);
}

Result<Appointment> AppointmentStore::reschedule(const AppointmentId &id, const QDateTime &startAt,
                                                 int durationMinutes) const
{
    if (Status allowed = permit(Action::WriteAppointments); !allowed)
        return allowed.error();
    auto current = get(id);
    if (!current)
        return current.error();
    Appointment edited = *current;
    edited.start_at = startAt.toUTC();
    edited.duration_minutes = durationMinutes;
    return update(edited);
}

Result<Appointment> AppointmentStore::transition(const AppointmentId &id, AppointmentAction action,
                                                 const QString &reason) const
{
    if (Status allowed = permit(Action::WriteAppointments); !allowed)
        return allowed.error();
    if (!isUuid(id.value))
        return Error::notFound(QStringLiteral("no appointment with id %1").arg(id.value));
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kAppointments, id.value, QStringLiteral("appointment"));
    if (!current)
        return current.error();
    const Appointment stored = appointmentFromRow(*current);
    auto next = applyTransition(stored.status, action, reason);
    if (!next)
        return next.error();
    Row changes;
    putText(changes, QStringLiteral("status"), toString(*next));
    if (action == AppointmentAction::Cancel)
        putText(changes, QStringLiteral("cancel_reason"), reason.trimmed());
    auto written = writer().update(*tableSpec(kAppointments), *current, changes, OutboxOp::State);
    if (!written)
        return written.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(id);
}

Result<Appointment> AppointmentStore::confirm(const AppointmentId &id) const
{
    return transition(id, AppointmentAction::Confirm);
}

Result<Appointment> AppointmentStore::checkIn(const AppointmentId &id) const
{
    return transition(id, AppointmentAction::CheckIn);
}

Result<Appointment> AppointmentStore::start(const AppointmentId &id) const
{
    return transition(id, AppointmentAction::Start);
}

Result<Appointment> AppointmentStore::complete(const AppointmentId &id) const
{
    return transition(id, AppointmentAction::Complete);
}

Result<Appointment> AppointmentStore::noShow(const AppointmentId &id) const
{
    return transition(id, AppointmentAction::NoShow);
}

Result<Appointment> AppointmentStore::cancel(const AppointmentId &id, const QString &reason) const
{
    return transition(id, AppointmentAction::Cancel, reason);
}

Result<Appointment> AppointmentStore::enterInError(const AppointmentId &id) const
{
    return transition(id, AppointmentAction::EnterInError);
}

Result<QList<Appointment>> AppointmentStore::forProviderDay(const ProviderId &providerId,
                                                            QDate localDay) const
{
    if (Status allowed = permit(Action::ReadAppointments); !allowed)
        return allowed.error();
    auto context = loadContext(providerId, {});
    if (!context)
        return context.error();
    const QTimeZone zone = context->clinic.timeZone();
    return between(QStringLiteral("provider_id"), providerId.value, localDay.startOfDay(zone),
                   localDay.addDays(1).startOfDay(zone));
}

Result<QList<Appointment>> AppointmentStore::forProviderWeek(const ProviderId &providerId,
                                                             QDate localDayInWeek) const
{
    if (Status allowed = permit(Action::ReadAppointments); !allowed)
        return allowed.error();
    auto context = loadContext(providerId, {});
    if (!context)
        return context.error();
    const QTimeZone zone = context->clinic.timeZone();
    const QDate monday = localDayInWeek.addDays(1 - localDayInWeek.dayOfWeek());
    return between(QStringLiteral("provider_id"), providerId.value, monday.startOfDay(zone),
                   monday.addDays(7).startOfDay(zone));
}

Result<QList<Appointment>> AppointmentStore::forClinicDay(QDate localDay,
                                                          const ClinicId &clinic) const
{
    if (Status allowed = permit(Action::ReadAppointments); !allowed)
        return allowed.error();
    // Another clinic than the caller's own is absent for a person, as any out-of-scope record.
    if (m_actor.isPerson() && !clinic.isNull() && clinic != m_actor.clinic_id)
        return Error::notFound(QStringLiteral("no clinic with id %1").arg(clinic.value));
    auto clinicId = clinicForNewRecord(clinic);
    if (!clinicId)
        return clinicId.error();
    if (!isUuid(clinicId->value))
        return Error::notFound(QStringLiteral("no clinic with id %1").arg(clinicId->value));
    auto loaded = loadClinic(*clinicId);
    if (!loaded)
        return loaded.error();
    const QTimeZone zone = loaded->timeZone();
    return between(QStringLiteral("clinic_id"), clinicId->value, localDay.startOfDay(zone),
                   localDay.addDays(1).startOfDay(zone));
}

Result<QList<Appointment>> AppointmentStore::forPatient(const PatientId &patientId) const
{
    if (Status allowed = permit(Action::ReadAppointments); !allowed)
        return allowed.error();
    if (!isUuid(patientId.value))
        return Error::notFound(QStringLiteral("no patient with id %1").arg(patientId.value));
    auto patient = visibleRow(u"patients", patientId.value, QStringLiteral("patient"));
    if (!patient)
        return patient.error();
    QString where = QStringLiteral("patient_id = :patient AND deleted_at IS NULL");
    QVariantMap binds{{QStringLiteral("patient"), patientId.value}};
    restrictToScope(kAppointments, where, binds);
    auto rows =
        RecordTable(m_db, kAppointments).select(where, binds, QStringLiteral("start_at, id"));
    if (!rows)
        return rows.error();
    return appointmentsFrom(*rows);
}

Result<QList<QDateTime>> AppointmentStore::freeSlots(const ProviderId &providerId, QDate localDay,
                                                     int slotMinutes) const
{
    if (Status allowed = permit(Action::ReadAppointments); !allowed)
        return allowed.error();
    auto context = loadContext(providerId, {});
    if (!context)
        return context.error();
    const QTimeZone zone = context->clinic.timeZone();
    // Every booking of the provider counts, whoever the caller: the answer is a list of times
    // that names no patient, and leaving other patients' bookings out would offer taken slots.
    auto booked = between(QStringLiteral("provider_id"), providerId.value,
                          localDay.startOfDay(zone), localDay.addDays(1).startOfDay(zone),
                          /*allPatients=*/true);
    if (!booked)
        return booked.error();
    return tmdash::freeSlots(context->clinic, context->provider, localDay, *booked, slotMinutes);
}

} // namespace tmdash
