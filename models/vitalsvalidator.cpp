#include "vitalsvalidator.h"

#include "units.h"
#include "vitalranges.h"

#include <QCoreApplication>

#include <cmath>

namespace tmdash {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

// "400 /min", "60 °C", or just "11" for a unitless score.
QString withUnit(double value, Measurement m)
{
    const QString unit = displayUnit(m);
    const QString number = QString::number(value);
    return unit.isEmpty() ? number : number + QLatin1Char(' ') + unit;
}

QString rangeText(const VitalRange &r)
{
    const QString unit = displayUnit(r.m);
    const QString range =
        QString::number(*r.reject_min) + QLatin1Char('-') + QString::number(*r.reject_max);
    return unit.isEmpty() ? range : range + QLatin1Char(' ') + unit;
}

} // namespace

FieldErrors validateVitals(const Vitals &vitals, const QDateTime &now)
{
    FieldErrors errors;
    const auto add = [&errors](const QString &field, const char *code, const QString &message) {
        errors.append({field, QString::fromLatin1(code), message});
    };

    if (vitals.patient_id.isNull())
        add(QStringLiteral("patient_id"), "required", tr("The patient is required."));

    if (!vitals.recorded_at.isValid()) {
        add(QStringLiteral("recorded_at"), "required",
            tr("The time the measurements were taken is required."));
    } else if (now.isValid() && vitals.recorded_at > now.addSecs(kVitalsClockSkewSeconds)) {
        add(QStringLiteral("recorded_at"), "future",
            tr("The measurements cannot have been taken in the future; expected a time no "
               "later than %1 minutes from now.")
                .arg(kVitalsClockSkewSeconds / 60));
    }

    if (!vitals.hasAnyMeasurement())
        add(QStringLiteral("measurements"), "required",
            tr("At least one measurement is required."));

    for (const Measurement m : enteredMeasurements()) {
        const std::optional<double> value = vitals.value(m);
        if (!value)
            continue;
        const VitalRange &range = vitalRange(m);
        if (!range.accepts(*value)) {
            add(range.key, "impossible",
                tr("%1 %2 is impossible; expected %3.")
                    .arg(measurementInfo(m).displayName, withUnit(*value, m), rangeText(range)));
        } else if (m == Measurement::PainScore && *value != std::floor(*value)) {
            add(range.key, "format",
                tr("Pain score %1 is not a whole number; expected 0, 1, 2, ... 10.")
                    .arg(QString::number(*value)));
        }
    }

    const auto &sys = vitals.systolic_mmhg;
    const auto &dia = vitals.diastolic_mmhg;
    if (sys && dia && vitalRange(Measurement::SystolicMmHg).accepts(*sys) &&
        vitalRange(Measurement::DiastolicMmHg).accepts(*dia) && !(*sys > *dia)) {
        add(QStringLiteral("systolic_mmhg"), "inconsistent",
            tr("Systolic pressure %1 mmHg must be higher than diastolic pressure %2 mmHg.")
                .arg(QString::number(*sys), QString::number(*dia)));
    }

    if (!vitals.replaces_id.isNull() && vitals.replaces_id == vitals.id)
        add(QStringLiteral("replaces_id"), "inconsistent",
            tr("A correction cannot replace itself; replaces_id must name an earlier record."));

    return errors;
}

} // namespace tmdash
