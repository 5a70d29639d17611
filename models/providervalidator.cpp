#include "providervalidator.h"

#include "fieldrules.h"

#include <QCoreApplication>

namespace tmdash {

namespace {

constexpr qsizetype kMaxLicenseLength = 50;
constexpr qsizetype kMaxSpecialtyLength = 100;
constexpr qsizetype kMaxCredentialsLength = 50;
constexpr qsizetype kMaxRoomLength = 64;
constexpr qsizetype kMaxTimeOffReasonLength = 500;

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

QString hhmm(QTime time)
{
    return time.toString(QStringLiteral("HH:mm"));
}

QString rowField(const char *list, qsizetype index, const char *member)
{
    return QStringLiteral("%1[%2].%3")
        .arg(QLatin1StringView(list))
        .arg(index)
        .arg(QLatin1StringView(member));
}

void checkLicenseExpiry(FieldErrors &errors, const Provider &p, QDate today)
{
    const QString field = QStringLiteral("license_expires");
    if (!p.license_expires.isValid()) {
        errors.append(
            {field, QStringLiteral("required"), tr("The licence expiry date is required.")});
        return;
    }
    if (!p.meta.isDeleted() && p.license_expires < today)
        errors.append(
            {field, QStringLiteral("expired"),
             tr("The licence expired on %1; an active provider needs a licence valid "
                "today (%2) or later.")
                 .arg(p.license_expires.toString(Qt::ISODate), today.toString(Qt::ISODate))});
}

void checkAvailability(FieldErrors &errors, const QList<ProviderAvailability> &rows)
{
    // Rows fit for the overlap check: live, weekday in range, start < end.
    QList<qsizetype> sound;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const ProviderAvailability &row = rows[i];
        if (row.meta.isDeleted())
            continue;
        bool ok = true;
        if (row.weekday < 1 || row.weekday > 7) {
            ok = false;
            errors.append({rowField("availability", i, "weekday"), QStringLiteral("range"),
                           tr("Weekday %1 is out of range; expected 1 (Monday) to 7 (Sunday).")
                               .arg(row.weekday)});
        }
        if (!row.start_time.isValid()) {
            ok = false;
            errors.append({rowField("availability", i, "start_time"), QStringLiteral("required"),
                           tr("A start time (HH:MM) is required.")});
        }
        if (!row.end_time.isValid()) {
            ok = false;
            errors.append({rowField("availability", i, "end_time"), QStringLiteral("required"),
                           tr("An end time (HH:MM) is required.")});
        }
        if (row.start_time.isValid() && row.end_time.isValid() &&
            !(row.start_time < row.end_time)) {
            ok = false;
            errors.append({rowField("availability", i, "end_time"), QStringLiteral("range"),
                           tr("The window ends at %1, not after it starts (%2); expected an end "
                              "time after the start time on the same day.")
                               .arg(hhmm(row.end_time), hhmm(row.start_time))});
        }
        checkText(errors, rowField("availability", i, "room"), row.room, Presence::Optional,
                  kMaxRoomLength);
        if (ok)
            sound.append(i);
    }

    for (qsizetype n = 0; n < sound.size(); ++n) {
        const ProviderAvailability &row = rows[sound[n]];
        for (qsizetype m = 0; m < n; ++m) {
            const ProviderAvailability &earlier = rows[sound[m]];
            if (earlier.weekday == row.weekday && earlier.start_time < row.end_time &&
                row.start_time < earlier.end_time) {
                errors.append(
                    {rowField("availability", sound[n], "start_time"), QStringLiteral("overlap"),
                     tr("%1-%2 overlaps another window on the same weekday (%3-%4, row "
                        "%5).")
                         .arg(hhmm(row.start_time), hhmm(row.end_time), hhmm(earlier.start_time),
                              hhmm(earlier.end_time), QString::number(sound[m] + 1))});
                break;
            }
        }
    }
}

void checkTimeOff(FieldErrors &errors, const QList<ProviderTimeOff> &rows)
{
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const ProviderTimeOff &row = rows[i];
        if (row.meta.isDeleted())
            continue;
        if (!row.start_at.isValid())
            errors.append({rowField("time_off", i, "start_at"), QStringLiteral("required"),
                           tr("The start of the time off is required.")});
        if (!row.end_at.isValid())
            errors.append({rowField("time_off", i, "end_at"), QStringLiteral("required"),
                           tr("The end of the time off is required.")});
        if (row.start_at.isValid() && row.end_at.isValid() && !(row.start_at < row.end_at))
            errors.append({rowField("time_off", i, "end_at"), QStringLiteral("range"),
                           tr("The time off must end after it starts.")});
        checkText(errors, rowField("time_off", i, "reason"), row.reason, Presence::Optional,
                  kMaxTimeOffReasonLength);
    }
}

} // namespace

FieldErrors validateProvider(const Provider &p, QDate today)
{
    FieldErrors errors;
    checkNpi(errors, QStringLiteral("npi"), p.npi, Presence::Required);
    checkText(errors, QStringLiteral("license_number"), p.license_number, Presence::Required,
              kMaxLicenseLength);
    checkText(errors, QStringLiteral("license_region"), p.license_region, Presence::Optional,
              kMaxLicenseLength);
    checkLicenseExpiry(errors, p, today);
    checkText(errors, QStringLiteral("specialty"), p.specialty, Presence::Optional,
              kMaxSpecialtyLength);
    checkText(errors, QStringLiteral("credentials"), p.credentials, Presence::Optional,
              kMaxCredentialsLength);
    if (p.default_slot_minutes < kMinSlotMinutes || p.default_slot_minutes > kMaxSlotMinutes)
        errors.append({QStringLiteral("default_slot_minutes"), QStringLiteral("range"),
                       tr("A default slot of %1 minutes is out of range; expected %2-%3 minutes.")
                           .arg(p.default_slot_minutes)
                           .arg(kMinSlotMinutes)
                           .arg(kMaxSlotMinutes)});
    checkAvailability(errors, p.availability);
    checkTimeOff(errors, p.time_off);
    return errors;
}

} // namespace tmdash
