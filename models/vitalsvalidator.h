#pragma once

#include "result.h"
#include "vitals.h"

#include <QDateTime>

namespace tmdash {

// How far recorded_at may lie ahead of `now`: desktop clocks drift, and a reading taken a moment
// ago on a fast clock must not be refused.
inline constexpr qint64 kVitalsClockSkewSeconds = 5 * 60;

// Every failing field of a vitals record about to be stored, against the compiled-in ranges
// (vitalRange()):
//  - patient_id "required"; recorded_at "required", or "future" when more than
//    kVitalsClockSkewSeconds after `now` (exactly that much is accepted);
//  - "measurements" "required" when no entered measurement is present;
//  - each present measurement (field = its key) "impossible" outside its reject range, inclusive
//    (NaN and infinities included); the message names the value, the unit and the accepted range;
//  - pain_score "format" when it is not a whole number;
//  - systolic_mmhg "inconsistent" when both pressures are possible and systolic <= diastolic;
//  - replaces_id "inconsistent" when a record names itself as the one it replaces.
// Abnormal but possible values are not errors: flagsFor() flags them. Whether a status may be
// set on create or changed is the store's concern, not checked here.
FieldErrors validateVitals(const Vitals &vitals, const QDateTime &now);

} // namespace tmdash
