#include "clinicvalidator.h"

#include "fieldrules.h"

#include <QCoreApplication>
#include <QTimeZone>

namespace tmdash {

namespace {

constexpr qsizetype kMaxAddressLineLength = 200;
constexpr qsizetype kMaxCityLength = 100;
constexpr qsizetype kMaxRegionLength = 100;
constexpr qsizetype kMaxPostalCodeLength = 20;

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

void checkTimeZone(FieldErrors &errors, const QString &value)
{
    const QString field = QStringLiteral("timezone");
    if (value.trimmed().isEmpty()) {
        errors.append({field, QStringLiteral("required"),
                       tr("A time zone is required, as an IANA name such as "
                          "\"America/New_York\".")});
        return;
    }
    if (!QTimeZone::isTimeZoneIdAvailable(value.toUtf8()))
        errors.append({field, QStringLiteral("unknown"),
                       tr("\"%1\" is not a known time zone; expected an IANA name such as "
                          "\"America/New_York\" or \"Europe/Berlin\".")
                           .arg(value)});
}

void checkDay(FieldErrors &errors, int weekday, const DayHours &day)
{
    const QString key = weekdayKey(weekday);
    const QString field = QStringLiteral("business_hours.") + key;
    if (!day.open && !day.close)
        return; // closed
    if (!day.open || !day.close) {
        errors.append({field, QStringLiteral("required"),
                       tr("%1 has only an opening or only a closing time; give both, or neither "
                          "for a closed day.")
                           .arg(key)});
        return;
    }
    if (!day.open->isValid() || !day.close->isValid()) {
        errors.append({field, QStringLiteral("format"),
                       tr("%1 has an invalid time; expected HH:MM.").arg(key)});
        return;
    }
    if (!(*day.open < *day.close))
        errors.append({field, QStringLiteral("range"),
                       tr("On %1 the clinic opens at %2 and closes at %3; the opening time must "
                          "be before the closing time.")
                           .arg(key, day.open->toString(QStringLiteral("HH:mm")),
                                day.close->toString(QStringLiteral("HH:mm")))});
}

} // namespace

FieldErrors validateClinic(const Clinic &clinic)
{
    FieldErrors errors;
    checkText(errors, QStringLiteral("name"), clinic.name, Presence::Required,
              kMaxClinicNameLength);
    checkTimeZone(errors, clinic.timezone);
    checkPhone(errors, QStringLiteral("phone"), clinic.phone, Presence::Optional);
    checkText(errors, QStringLiteral("address_line"), clinic.address_line, Presence::Optional,
              kMaxAddressLineLength);
    checkText(errors, QStringLiteral("city"), clinic.city, Presence::Optional, kMaxCityLength);
    checkText(errors, QStringLiteral("region"), clinic.region, Presence::Optional,
              kMaxRegionLength);
    checkText(errors, QStringLiteral("postal_code"), clinic.postal_code, Presence::Optional,
              kMaxPostalCodeLength);
    checkCountryCode(errors, QStringLiteral("country"), clinic.country, Presence::Optional);
    for (int weekday = 1; weekday <= 7; ++weekday)
        checkDay(errors, weekday, clinic.hoursOn(weekday));
    return errors;
}

} // namespace tmdash
