#pragma once

#include "result.h"
#include "vitals.h"

#include <QString>
#include <QStringList>

namespace tmdash {

// The UCUM codes accepted as input for a measurement, the stored unit first
// (e.g. temperature_c: "Cel", "[degF]").
QStringList acceptedUnits(Measurement m);

// The stored unit written for people: "mmHg", "/min", "°C", "%", "cm", "kg", "mg/dL", "kg/m²";
// empty for the unitless pain score.
QString displayUnit(Measurement m);

// Converts `value` given in UCUM unit `ucum` (case-sensitive, as UCUM codes are) to the
// measurement's stored unit. An unknown unit, or one that does not measure this quantity
// (e.g. "[lb_av]" for temperature), is an Invalid error with field = the measurement key and
// code "unit". The value itself is not range-checked here (that is validateVitals' job).
Result<double> convertToStoredUnit(Measurement m, double value, const QString &ucum);

} // namespace tmdash
