#pragma once

#include "clinic.h"
#include "row.h"

#include <QJsonObject>

namespace tmdash {

// Clinic <-> a row of clinics (column names = field names; clinic_id = id).
Row toRow(const Clinic &clinic);
Clinic clinicFromRow(const Row &row);

// The business_hours column: {"1": {"open": "08:00", "close": "17:00"}, ...} keyed by ISO
// weekday (1 = Monday ... 7 = Sunday), times as local "HH:MM"; a closed day is absent. A day with
// only one of open/close set is not stored (the validator refuses it before it gets here).
QJsonObject businessHoursToJson(const std::array<DayHours, 7> &hours);
// The inverse; unknown keys and unreadable times are ignored (the day stays closed).
std::array<DayHours, 7> businessHoursFromJson(const QJsonValue &value);

} // namespace tmdash
