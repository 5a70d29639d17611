#pragma once

#include "row.h"
#include "vitals.h"

namespace tmdash {

// Vitals <-> a row of `vitals` (column names = field names). BMI is derived and never stored.
Row toRow(const Vitals &vitals);
Vitals vitalsFromRow(const Row &row);

} // namespace tmdash
