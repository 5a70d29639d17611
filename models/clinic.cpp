#include "clinic.h"

namespace tmdash {

namespace {
constexpr std::array<const char *, 7> kWeekdayKeys = {"monday", "tuesday",  "wednesday", "thursday",
                                                      "friday", "saturday", "sunday"};

const DayHours &closedDay()
{
    static const DayHours closed;
    return closed;
}
} // namespace

bool DayHours::contains(QTime from, QTime to) const
{
    if (isClosed() || !from.isValid() || !to.isValid())
        return false;
    return *open <= from && from <= to && to <= *close;
}

const DayHours &Clinic::hoursOn(int isoWeekday) const
{
    if (isoWeekday < 1 || isoWeekday > 7)
        return closedDay();
    return business_hours[std::size_t(isoWeekday - 1)];
}

void Clinic::setHoursOn(int isoWeekday, DayHours hours)
{
    if (isoWeekday >= 1 && isoWeekday <= 7)
        business_hours[std::size_t(isoWeekday - 1)] = hours;
}

void Clinic::setWeekdayHours(QTime openAt, QTime closeAt)
{
    for (int day = 1; day <= 7; ++day)
        setHoursOn(day, day <= 5 ? DayHours::between(openAt, closeAt) : DayHours::closed());
}

QTimeZone Clinic::timeZone() const
{
    if (timezone.isEmpty())
        return {};
    return QTimeZone(timezone.toUtf8());
}

QString weekdayKey(int isoWeekday)
{
    if (isoWeekday < 1 || isoWeekday > 7)
        return {};
    return QString::fromLatin1(kWeekdayKeys[std::size_t(isoWeekday - 1)]);
}

std::optional<int> weekdayFromKey(QStringView key)
{
    for (std::size_t i = 0; i < kWeekdayKeys.size(); ++i)
        if (key == QLatin1StringView(kWeekdayKeys[i]))
            return int(i) + 1;
    return std::nullopt;
}

} // namespace tmdash
