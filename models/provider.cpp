#include "provider.h"

#include <algorithm>

namespace tmdash {

QList<ProviderAvailability> Provider::availabilityOn(int isoWeekday) const
{
    QList<ProviderAvailability> out;
    for (const ProviderAvailability &row : availability)
        if (!row.meta.isDeleted() && row.weekday == isoWeekday)
            out.append(row);
    std::stable_sort(out.begin(), out.end(),
                     [](const auto &a, const auto &b) { return a.start_time < b.start_time; });
    return out;
}

bool Provider::isOffDuring(const QDateTime &from, const QDateTime &to) const
{
    return std::any_of(time_off.cbegin(), time_off.cend(), [&](const ProviderTimeOff &off) {
        return !off.meta.isDeleted() && off.start_at.isValid() && off.end_at.isValid() &&
               off.start_at < to && from < off.end_at;
    });
}

} // namespace tmdash
