#include "patient.h"

#include <QStringList>

namespace tmdash {

QString Patient::displayName() const
{
    QStringList parts;
    for (const QString &part : {given_name, middle_name, family_name}) {
        const QString trimmed = part.trimmed();
        if (!trimmed.isEmpty())
            parts.append(trimmed);
    }
    return parts.join(u' ');
}

std::optional<int> Patient::ageOn(const QDate &day) const
{
    if (!birth_date || !birth_date->isValid() || !day.isValid() || day < *birth_date)
        return std::nullopt;
    int years = day.year() - birth_date->year();
    // Not yet had this year's birthday. Someone born on 29 February turns a year older on
    // 1 March in common years (the usual legal reading, e.g. England and Wales, most US states).
    if (day.month() < birth_date->month() ||
        (day.month() == birth_date->month() && day.day() < birth_date->day()))
        --years;
    return years;
}

} // namespace tmdash
