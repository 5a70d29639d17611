#include "appointmentrules.h"

#include "clock.h"
#include "fieldrules.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>

namespace tmdash {

namespace {

constexpr qsizetype kMaxRoomLength = 64;
constexpr qsizetype kMaxReasonLength = 500;
constexpr qsizetype kMaxNotesLength = 10000;

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

QString hhmm(QTime time)
{
    return time.toString(QStringLiteral("HH:mm"));
}

QString statusText(AppointmentStatus status)
{
    return QStringLiteral("\"%1\"").arg(toString(status));
}

bool overlaps(const QDateTime &aStart, const QDateTime &aEnd, const QDateTime &bStart,
              const QDateTime &bEnd)
{
    return aStart < bEnd && bStart < aEnd;
}

// The local [start, end] of an appointment in `zone`, or nullopt when it spans local midnight.
struct LocalSpan
{
    QDate date;
    QTime start;
    QTime end;
};

std::optional<LocalSpan> localSpan(const QDateTime &start, const QDateTime &end,
                                   const QTimeZone &zone)
{
    const QDateTime localStart = start.toTimeZone(zone);
    const QDateTime localEnd = end.toTimeZone(zone);
    if (localStart.date() != localEnd.date())
        return std::nullopt;
    return LocalSpan{localStart.date(), localStart.time(), localEnd.time()};
}

// The scheduling checks of validateAppointment, shared with freeSlots. Assumes a valid start_at
// and an in-range duration.
void checkSchedule(FieldErrors &errors, const Appointment &a, const Clinic &clinic,
                   const Provider &provider, const QList<Appointment> &others)
{
    const QDateTime start = a.start_at;
    const QDateTime end = a.end_at();
    const QString startField = QStringLiteral("start_at");

    const QTimeZone zone = clinic.timeZone();
    if (!zone.isValid()) {
        errors.append({startField, QStringLiteral("outside_hours"),
                       tr("The time cannot be checked against the clinic's hours: the clinic's "
                          "time zone \"%1\" is not known.")
                           .arg(clinic.timezone)});
    } else {
        const std::optional<LocalSpan> span = localSpan(start, end, zone);
        if (!span) {
            errors.append({startField, QStringLiteral("outside_hours"),
                           tr("The appointment runs past midnight in the clinic's time zone; it "
                              "must start and end on the same day.")});
        } else {
            const int weekday = span->date.dayOfWeek();
            const DayHours &hours = clinic.hoursOn(weekday);
            if (hours.isClosed()) {
                errors.append({startField, QStringLiteral("outside_hours"),
                               tr("The clinic is closed on %1 (%2).")
                                   .arg(weekdayKey(weekday), span->date.toString(Qt::ISODate))});
            } else if (!hours.contains(span->start, span->end)) {
                errors.append(
                    {startField, QStringLiteral("outside_hours"),
                     tr("%1-%2 on %3 is outside the clinic's hours; expected within "
                        "%4-%5 (clinic time).")
                         .arg(hhmm(span->start), hhmm(span->end), span->date.toString(Qt::ISODate),
                              hhmm(*hours.open), hhmm(*hours.close))});
            }

            const QList<ProviderAvailability> windows = provider.availabilityOn(weekday);
            const bool available =
                std::any_of(windows.cbegin(), windows.cend(), [&](const ProviderAvailability &w) {
                    return w.start_time.isValid() && w.end_time.isValid() &&
                           w.start_time <= span->start && span->end <= w.end_time;
                });
            if (!available) {
                QStringList listed;
                for (const ProviderAvailability &w : windows)
                    listed << QString(hhmm(w.start_time) + QLatin1Char('-') + hhmm(w.end_time));
                errors.append(
                    {startField, QStringLiteral("outside_availability"),
                     listed.isEmpty()
                         ? tr("The provider does not see patients on %1s.").arg(weekdayKey(weekday))
                         : tr("%1-%2 is outside the provider's availability on %3; expected "
                              "within %4 (clinic time).")
                               .arg(hhmm(span->start), hhmm(span->end), weekdayKey(weekday),
                                    listed.join(QStringLiteral(", ")))});
            }
        }
    }

    if (provider.isOffDuring(start, end))
        errors.append({startField, QStringLiteral("time_off"),
                       tr("The provider is away (time off) during this appointment.")});

    const QString room = a.room.trimmed();
    bool providerClash = false;
    bool roomClash = false;
    bool patientClash = false;
    for (const Appointment &other : others) {
        if (!other.isOccupying() || !other.start_at.isValid())
            continue;
        if (!a.id.isNull() && other.id == a.id)
            continue;
        if (!overlaps(start, end, other.start_at, other.end_at()))
            continue;
        const QString when =
            zone.isValid()
                ? other.start_at.toTimeZone(zone).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                : formatInstant(other.start_at);
        if (!providerClash && !a.provider_id.isNull() && other.provider_id == a.provider_id) {
            providerClash = true;
            errors.append({startField, QStringLiteral("overlap"),
                           tr("The provider already has an appointment at %1 (%2 minutes) that "
                              "overlaps this one.")
                               .arg(when)
                               .arg(other.duration_minutes)});
        }
        if (!roomClash && !room.isEmpty() &&
            other.room.trimmed().compare(room, Qt::CaseInsensitive) == 0) {
            roomClash = true;
            errors.append({QStringLiteral("room"), QStringLiteral("overlap"),
                           tr("Room %1 is already booked at %2 (%3 minutes).")
                               .arg(room, when)
                               .arg(other.duration_minutes)});
        }
        if (!patientClash && !a.patient_id.isNull() && other.patient_id == a.patient_id) {
            patientClash = true;
            errors.append({QStringLiteral("patient_id"), QStringLiteral("overlap"),
                           tr("The patient already has an appointment at %1 (%2 minutes) that "
                              "overlaps this one.")
                               .arg(when)
                               .arg(other.duration_minutes)});
        }
    }
}

} // namespace

AppointmentStatus targetStatus(AppointmentAction action)
{
    switch (action) {
    case AppointmentAction::Confirm:
        return AppointmentStatus::Confirmed;
    case AppointmentAction::CheckIn:
        return AppointmentStatus::CheckedIn;
    case AppointmentAction::Start:
        return AppointmentStatus::InProgress;
    case AppointmentAction::Complete:
        return AppointmentStatus::Completed;
    case AppointmentAction::NoShow:
        return AppointmentStatus::NoShow;
    case AppointmentAction::Cancel:
        return AppointmentStatus::Cancelled;
    case AppointmentAction::EnterInError:
        return AppointmentStatus::EnteredInError;
    }
    return AppointmentStatus::EnteredInError;
}

bool isTransitionAllowed(AppointmentStatus from, AppointmentAction action)
{
    using S = AppointmentStatus;
    switch (action) {
    case AppointmentAction::Confirm:
        return from == S::Scheduled;
    case AppointmentAction::CheckIn:
    case AppointmentAction::NoShow:
        return from == S::Scheduled || from == S::Confirmed;
    case AppointmentAction::Start:
        return from == S::CheckedIn;
    case AppointmentAction::Complete:
        return from == S::InProgress;
    case AppointmentAction::Cancel:
        return from == S::Scheduled || from == S::Confirmed || from == S::CheckedIn;
    case AppointmentAction::EnterInError:
        return from != S::EnteredInError;
    }
    return false;
}

QList<AppointmentAction> allowedActions(AppointmentStatus from)
{
    QList<AppointmentAction> out;
    for (const auto &[action, name] : EnumNames<AppointmentAction>::names) {
        Q_UNUSED(name);
        if (isTransitionAllowed(from, action))
            out.append(action);
    }
    return out;
}

std::optional<AppointmentAction> actionBetween(AppointmentStatus from, AppointmentStatus to)
{
    for (const auto &[action, name] : EnumNames<AppointmentAction>::names) {
        Q_UNUSED(name);
        if (targetStatus(action) == to && isTransitionAllowed(from, action))
            return action;
    }
    return std::nullopt;
}

Result<AppointmentStatus> applyTransition(AppointmentStatus from, AppointmentAction action,
                                          const QString &reason)
{
    const AppointmentStatus to = targetStatus(action);
    if (!isTransitionAllowed(from, action))
        return Error::invalid(QStringLiteral("status"), QStringLiteral("transition"),
                              tr("An appointment cannot go from %1 to %2 (action \"%3\"); "
                                 "allowed from %1: %4.")
                                  .arg(statusText(from), statusText(to), toString(action), [&] {
                                      QStringList names;
                                      for (AppointmentAction a : allowedActions(from))
                                          names << toString(a);
                                      return names.isEmpty() ? tr("nothing")
                                                             : names.join(QStringLiteral(", "));
                                  }()));
    if (action == AppointmentAction::Cancel && reason.trimmed().isEmpty())
        return Error::invalid(QStringLiteral("cancel_reason"), QStringLiteral("reason_required"),
                              tr("Cancelling an appointment needs a reason."));
    return to;
}

FieldErrors validateAppointment(const Appointment &a, const Clinic &clinic,
                                const Provider &provider, const QList<Appointment> &others)
{
    FieldErrors errors;
    const QString required = QStringLiteral("required");
    const QString inconsistent = QStringLiteral("inconsistent");

    if (a.patient_id.isNull())
        errors.append({QStringLiteral("patient_id"), required, tr("A patient is required.")});

    if (a.provider_id.isNull())
        errors.append({QStringLiteral("provider_id"), required, tr("A provider is required.")});
    else if (!provider.id.isNull() && a.provider_id != provider.id)
        errors.append({QStringLiteral("provider_id"), inconsistent,
                       tr("The appointment names a different provider than the one checked "
                          "against.")});

    if (!a.clinic_id.isNull() && !clinic.id.isNull() && a.clinic_id != clinic.id)
        errors.append({QStringLiteral("clinic_id"), inconsistent,
                       tr("The appointment belongs to a different clinic.")});

    if (!a.start_at.isValid())
        errors.append({QStringLiteral("start_at"), required, tr("A start time is required.")});

    const bool durationOk = a.duration_minutes >= kMinAppointmentMinutes &&
                            a.duration_minutes <= kMaxAppointmentMinutes;
    if (!durationOk)
        errors.append({QStringLiteral("duration_minutes"), QStringLiteral("range"),
                       tr("A duration of %1 minutes is out of range; expected %2-%3 minutes.")
                           .arg(a.duration_minutes)
                           .arg(kMinAppointmentMinutes)
                           .arg(kMaxAppointmentMinutes)});

    if (a.status == AppointmentStatus::Cancelled && a.cancel_reason.trimmed().isEmpty())
        errors.append({QStringLiteral("cancel_reason"), QStringLiteral("reason_required"),
                       tr("A cancelled appointment needs a cancellation reason.")});

    checkText(errors, QStringLiteral("room"), a.room, Presence::Optional, kMaxRoomLength);
    checkText(errors, QStringLiteral("reason"), a.reason, Presence::Optional, kMaxReasonLength);
    checkText(errors, QStringLiteral("notes"), a.notes, Presence::Optional, kMaxNotesLength,
              TextShape::MultiLine);
    checkText(errors, QStringLiteral("cancel_reason"), a.cancel_reason, Presence::Optional,
              kMaxReasonLength);

    if (a.isOccupying() && a.start_at.isValid() && durationOk)
        checkSchedule(errors, a, clinic, provider, others);
    return errors;
}

QList<QDateTime> freeSlots(const Clinic &clinic, const Provider &provider, QDate localDay,
                           const QList<Appointment> &booked, int slotMinutes)
{
    const int minutes = slotMinutes > 0 ? slotMinutes : provider.default_slot_minutes;
    const QTimeZone zone = clinic.timeZone();
    if (minutes < kMinAppointmentMinutes || minutes > kMaxAppointmentMinutes || !zone.isValid() ||
        !localDay.isValid())
        return {};

    Appointment candidate;
    candidate.clinic_id = clinic.id;
    candidate.provider_id = provider.id;
    candidate.duration_minutes = minutes;
    candidate.status = AppointmentStatus::Scheduled;

    QList<QDateTime> out;
    const qint64 step = qint64(minutes) * 60;
    for (const ProviderAvailability &window : provider.availabilityOn(localDay.dayOfWeek())) {
        if (!window.start_time.isValid() || !window.end_time.isValid())
            continue;
        const int endSecs = window.end_time.msecsSinceStartOfDay() / 1000;
        for (qint64 secs = window.start_time.msecsSinceStartOfDay() / 1000; secs + step <= endSecs;
             secs += step) {
            const QTime local = QTime(0, 0).addSecs(int(secs));
            const QDateTime at(localDay, local, zone);
            // A wall time in a DST gap does not exist; Qt would move it, so skip it.
            const QDateTime back = at.toTimeZone(zone);
            if (back.date() != localDay || back.time() != local)
                continue;
            candidate.start_at = at.toUTC();
            FieldErrors errors;
            checkSchedule(errors, candidate, clinic, provider, booked);
            if (errors.isEmpty())
                out.append(candidate.start_at);
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace tmdash
