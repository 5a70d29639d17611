#pragma once

#include "appointment.h"
#include "row.h"

namespace tmdash {

// Appointment <-> a row of `appointments` (column names = field names).
Row toRow(const Appointment &appointment);
Appointment appointmentFromRow(const Row &row);

} // namespace tmdash
