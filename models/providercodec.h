#pragma once

#include "provider.h"
#include "row.h"

namespace tmdash {

// Provider <-> rows of providers and its owned lists provider_availability and
// provider_time_off (column names = field names; wall-clock times as "HH:MM").
Row toRow(const Provider &provider);
Row toRow(const ProviderAvailability &availability);
Row toRow(const ProviderTimeOff &timeOff);

Provider providerFromRow(const Row &row);
ProviderAvailability availabilityFromRow(const Row &row);
ProviderTimeOff timeOffFromRow(const Row &row);

} // namespace tmdash
