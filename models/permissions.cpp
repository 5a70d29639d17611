#include "permissions.h"

namespace tmdash {

bool roleMay(Role role, Action action)
{
    switch (role) {
    case Role::Admin:
        switch (action) {
        case Action::ReadClinic:
        case Action::ManageClinic:
        case Action::ReadUsers:
        case Action::ManageUsers:
        case Action::ReadProviders:
        case Action::ManageProviders:
        case Action::ReadPatients:
        case Action::ReadAppointments:
        case Action::ReadVitals:
        case Action::ReadConsultations:
        case Action::ReadPrescriptions:
        case Action::ReadAudit:
            return true;
        default:
            return false;
        }
    case Role::Provider:
        switch (action) {
        case Action::ReadClinic:
        case Action::ReadProviders:
        case Action::ReadPatients:
        case Action::WritePatients:
        case Action::WriteProblemList:
        case Action::ReadAppointments:
        case Action::WriteAppointments:
        case Action::ReadVitals:
        case Action::WriteVitals:
        case Action::ReadConsultations:
        case Action::WriteConsultations:
        case Action::SignConsultations:
        case Action::ReadPrescriptions:
        case Action::WritePrescriptions:
            return true;
        default:
            return false;
        }
    case Role::Staff:
        switch (action) {
        case Action::ReadClinic:
        case Action::ReadProviders:
        case Action::ReadPatients:
        case Action::WritePatients:
        case Action::ReadAppointments:
        case Action::WriteAppointments:
        case Action::ReadVitals:
        case Action::WriteVitals:
        case Action::ReadConsultations:
        case Action::ReadPrescriptions:
            return true;
        default:
            return false;
        }
    case Role::Patient:
        // Their own record only (the scope rule), read only.
        switch (action) {
        case Action::ReadClinic:
        case Action::ReadPatients:
        case Action::ReadAppointments:
        case Action::ReadVitals:
        case Action::ReadConsultations:
        case Action::ReadPrescriptions:
            return true;
        default:
            return false;
        }
    }
    return false;
}

bool principalMay(const Principal &principal, Action action)
{
    return !principal.isPerson() || roleMay(principal.role, action);
}

QString describe(Action action)
{
    switch (action) {
    case Action::ReadClinic: return QStringLiteral("read clinic settings");
    case Action::ManageClinic: return QStringLiteral("change clinic settings");
    case Action::ReadUsers: return QStringLiteral("read user accounts");
    case Action::ManageUsers: return QStringLiteral("manage user accounts");
    case Action::ReadProviders: return QStringLiteral("read providers");
    case Action::ManageProviders: return QStringLiteral("manage providers");
    case Action::ReadPatients: return QStringLiteral("read patients");
    case Action::WritePatients: return QStringLiteral("change patients");
    case Action::WriteProblemList: return QStringLiteral("change problem lists");
    case Action::ReadAppointments: return QStringLiteral("read appointments");
    case Action::WriteAppointments: return QStringLiteral("change appointments");
    case Action::ReadVitals: return QStringLiteral("read vitals");
    case Action::WriteVitals: return QStringLiteral("record vitals");
    case Action::ReadConsultations: return QStringLiteral("read consultations");
    case Action::WriteConsultations: return QStringLiteral("write consultations");
    case Action::SignConsultations: return QStringLiteral("sign consultations");
    case Action::ReadPrescriptions: return QStringLiteral("read prescriptions");
    case Action::WritePrescriptions: return QStringLiteral("write prescriptions");
    case Action::ReadAudit: return QStringLiteral("read the audit log");
    }
    return {};
}

Status requirePermission(const Principal &principal, Action action)
{
    if (principalMay(principal, action))
        return {};
    return Error::notPermitted(QStringLiteral("The %1 role may not %2.").arg(toString(principal.role), describe(action)));
}

} // namespace tmdash
