#include "appointment.h"

namespace tmdash {

QDateTime Appointment::end_at() const
{
    if (!start_at.isValid())
        return {};
    return start_at.addSecs(qint64(duration_minutes) * 60);
}

bool Appointment::isActive() const
{
    switch (status) {
    case AppointmentStatus::Cancelled:
    case AppointmentStatus::NoShow:
    case AppointmentStatus::EnteredInError:
        return false;
    case AppointmentStatus::Scheduled:
    case AppointmentStatus::Confirmed:
    case AppointmentStatus::CheckedIn:
    case AppointmentStatus::InProgress:
    case AppointmentStatus::Completed:
        return true;
    }
    return false;
}

} // namespace tmdash
