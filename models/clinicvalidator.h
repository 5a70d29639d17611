#pragma once

#include "clinic.h"
#include "result.h"

namespace tmdash {

inline constexpr qsizetype kMaxClinicNameLength = 200;

// Every failing field of a clinic:
//  - name: required, at most kMaxClinicNameLength characters;
//  - timezone: required; "unknown" unless QTimeZone knows the IANA id;
//  - phone: optional, E.164 after normalising ("format"); country: optional ISO 3166-1 alpha-2
//    ("format" / "unknown"); address fields: optional single-line text ("too_long" / "format");
//  - business_hours: one error per bad day, field "business_hours.<weekday key>" (e.g.
//    "business_hours.wednesday", see weekdayKey()): "required" when only one of open/close is set,
//    "format" when a set time is invalid, "range" unless open < close. A day with neither is
//    closed.
FieldErrors validateClinic(const Clinic &clinic);

} // namespace tmdash
