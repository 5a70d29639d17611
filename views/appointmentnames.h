#pragma once

#include "appointment.h"
#include "appointmentrules.h"
#include "provider.h"

#include <QColor>
#include <QCoreApplication>
#include <QString>

namespace tmdash {

// How the schedule and the waiting room name and colour appointments, for people.
class AppointmentNames
{
    Q_DECLARE_TR_FUNCTIONS(AppointmentNames)
public:
    static QString status(AppointmentStatus status);
    static QString type(AppointmentType type);
    // "Check in", "Cancel…", ... as a menu or button text (with a mnemonic).
    static QString action(AppointmentAction action);
    // "Grace Hopper, MD": the name ProviderStore::displayNames gives, with the credentials.
    static QString provider(const Provider &provider, const QString &displayName);
    // The background of a booked slot in this status.
    static QColor statusColor(AppointmentStatus status);
};

} // namespace tmdash
