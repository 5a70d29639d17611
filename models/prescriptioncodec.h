#pragma once

#include "prescription.h"
#include "row.h"

namespace tmdash {

// Prescription <-> a row of `prescriptions` (column names = field names). end_date is stored
// as derived (Prescription::end_date()) so that queries can use it; reading ignores it.
// replaces_id has no column in schema step 1 and is neither written nor read.
Row toRow(const Prescription &prescription);
Prescription prescriptionFromRow(const Row &row);

} // namespace tmdash
