#include "appointmentnames.h"

namespace tmdash {

QString AppointmentNames::status(AppointmentStatus status)
{
    switch (status) {
    case AppointmentStatus::Scheduled:
        return tr("Scheduled");
    case AppointmentStatus::Confirmed:
        return tr("Confirmed");
    case AppointmentStatus::CheckedIn:
        return tr("Checked in");
    case AppointmentStatus::InProgress:
        return tr("In progress");
    case AppointmentStatus::Completed:
        return tr("Completed");
    case AppointmentStatus::Cancelled:
        return tr("Cancelled");
    case AppointmentStatus::NoShow:
        return tr("No-show");
    case AppointmentStatus::EnteredInError:
        return tr("Entered in error");
    }
    return {};
}

QString AppointmentNames::type(AppointmentType type)
{
    switch (type) {
    case AppointmentType::NewPatient:
        return tr("New patient");
    case AppointmentType::FollowUp:
        return tr("Follow-up");
    case AppointmentType::AnnualPhysical:
        return tr("Annual physical");
    case AppointmentType::Urgent:
        return tr("Urgent");
    case AppointmentType::Telehealth:
        return tr("Telehealth");
    case AppointmentType::Procedure:
        return tr("Procedure");
    }
    return {};
}

QString AppointmentNames::action(AppointmentAction action)
{
    switch (action) {
    case AppointmentAction::Confirm:
        return tr("C&onfirm");
    case AppointmentAction::CheckIn:
        return tr("Check &in");
    case AppointmentAction::Start:
        return tr("&Start visit");
    case AppointmentAction::Complete:
        return tr("Co&mplete");
    case AppointmentAction::NoShow:
        return tr("&No-show");
    case AppointmentAction::Cancel:
        return tr("&Cancel appointment…");
    case AppointmentAction::EnterInError:
        return tr("Entered in &error");
    }
    return {};
}

QString AppointmentNames::provider(const Provider &provider, const QString &displayName)
{
    if (provider.credentials.isEmpty())
        return displayName.isEmpty() ? tr("(unnamed provider)") : displayName;
    return displayName.isEmpty() ? provider.credentials
                                 : tr("%1, %2").arg(displayName, provider.credentials);
}

QColor AppointmentNames::statusColor(AppointmentStatus status)
{
    switch (status) {
    case AppointmentStatus::Scheduled:
        return QColor(0xcf, 0xe2, 0xff);
    case AppointmentStatus::Confirmed:
        return QColor(0xb9, 0xdc, 0xf5);
    case AppointmentStatus::CheckedIn:
        return QColor(0xff, 0xe5, 0x99);
    case AppointmentStatus::InProgress:
        return QColor(0xf9, 0xcb, 0x9c);
    case AppointmentStatus::Completed:
        return QColor(0xd9, 0xd2, 0xe9);
    case AppointmentStatus::Cancelled:
    case AppointmentStatus::NoShow:
    case AppointmentStatus::EnteredInError:
        return QColor(0xf4, 0xf4, 0xf4);
    }
    return {};
}

} // namespace tmdash
