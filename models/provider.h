#pragma once

#include "ids.h"
#include "record.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QTime>

namespace tmdash {

// A weekly window in which the provider sees patients: local wall-clock times in the clinic's
// time zone, [start_time, end_time) on ISO weekday `weekday` (1 = Monday ... 7 = Sunday).
struct ProviderAvailability
{
    RowId id;
    int weekday = 1;
    QTime start_time;
    QTime end_time;
    QString room; // where the provider usually is in this window; empty = unspecified
    RecordMeta meta;
};

// An absence, [start_at, end_at) in UTC.
struct ProviderTimeOff
{
    RowId id;
    QDateTime start_at;
    QDateTime end_at;
    QString reason;
    RecordMeta meta;
};

struct Provider
{
    ProviderId id;
    ClinicId clinic_id;
    UserId user_id;
    QString npi; // 10 digits, Luhn check digit over the prefix 80840
    QString license_number;
    QString license_region;
    QDate license_expires;
    QString specialty;
    QString credentials; // "MD", "DO", "NP", "PA", "RN", ...
    int default_slot_minutes = 15;
    QList<ProviderAvailability> availability;
    QList<ProviderTimeOff> time_off;
    RecordMeta meta;

    // The live (not tombstoned) availability windows on an ISO weekday, ordered by start time.
    QList<ProviderAvailability> availabilityOn(int isoWeekday) const;
    // True when a live time-off row overlaps [from, to) (half-open: touching is no overlap).
    bool isOffDuring(const QDateTime &from, const QDateTime &to) const;
};

} // namespace tmdash
