#pragma once

#include "provider.h"
#include "result.h"

#include <QDate>

namespace tmdash {

inline constexpr int kMinSlotMinutes = 5;
inline constexpr int kMaxSlotMinutes = 480;

// Every failing field of a provider, checked as of `today` (the clinic's or UTC date):
//  - npi: required, 10 digits ("format") with a valid Luhn check digit ("checksum");
//  - license_number: required; license_expires: required, and "expired" when before `today` —
//    a provider that is being saved live (not tombstoned) must hold a current licence; the expiry
//    day itself still counts as valid;
//  - default_slot_minutes: 5-480 ("range");
//  - availability[i]: weekday 1-7 ("range"), start_time/end_time required, end after start
//    ("range" on end_time), and no two live windows of the same weekday overlapping ("overlap" on
//    the later row's start_time; half-open, so 09:00-12:00 and 12:00-17:00 is fine);
//  - time_off[i]: start_at/end_at required, end after start ("range" on end_at), reason length.
// Tombstoned rows of the owned lists are skipped: they are history, not schedule.
FieldErrors validateProvider(const Provider &provider, QDate today);

} // namespace tmdash
