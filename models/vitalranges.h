#pragma once

#include "enumnames.h"
#include "result.h"
#include "vitals.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace tmdash {

// How a plausible value compares with the adult reference ranges.
enum class Flag { Normal, Low, High, CriticalLow, CriticalHigh };

template <> struct EnumNames<Flag>
{
    static constexpr std::array<std::pair<Flag, const char *>, 5> names{{
        {Flag::Normal, "normal"},
        {Flag::Low, "low"},
        {Flag::High, "high"},
        {Flag::CriticalLow, "critical_low"},
        {Flag::CriticalHigh, "critical_high"},
    }};
};

// One row of resources/reference/vital-ranges.json, in the measurement's stored unit.
// An absent bound means "no such limit".
struct VitalRange
{
    Measurement m = Measurement::SystolicMmHg;
    QString key;
    QString loinc;
    QString ucum;
    QString displayName;
    // Outside [reject_min, reject_max] (inclusive) a value is impossible and refused.
    std::optional<double> reject_min;
    std::optional<double> reject_max;
    // Strictly below critical_low / above critical_high: critical.
    std::optional<double> critical_low;
    std::optional<double> critical_high;
    // Inside [normal_low, normal_high] (inclusive): normal; between normal and critical: low/high.
    std::optional<double> normal_low;
    std::optional<double> normal_high;
    QString source;

    // True when the value is possible (inside the reject range; NaN and infinities never are).
    bool accepts(double value) const;
    Flag flag(double value) const;
};

// Parses and checks a ranges table: one row per Measurement (BMI included), key/LOINC/UCUM
// agreeing with measurementInfo(), a non-empty source on every row, bounds in order
// (reject_min <= critical_low <= normal_low <= normal_high <= critical_high <= reject_max), reject
// bounds present for entered measurements and absent for derived ones. Rows come back indexed by
// Measurement. Failures are Invalid with fields like "measurements[3].source".
Result<QList<VitalRange>> parseVitalRanges(const QByteArray &json);

// The compiled-in table (":/reference/vital-ranges.json"), parsed on first use. A broken
// built-in table is a broken build: it stops the program with the parse errors.
const QList<VitalRange> &vitalRanges();
const VitalRange &vitalRange(Measurement m);

Flag flagFor(Measurement m, double value);
// A flag for every measurement present on the record, keyed by field key; "bmi" included when
// bmi() is derivable.
QMap<QString, Flag> flagsFor(const Vitals &vitals);

} // namespace tmdash
