#pragma once

#include "enumnames.h"
#include "ids.h"
#include "record.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace tmdash {

enum class VitalsStatus { Final, EnteredInError };

template <> struct EnumNames<VitalsStatus>
{
    static constexpr std::array<std::pair<VitalsStatus, const char *>, 2> names{{
        {VitalsStatus::Final, "final"},
        {VitalsStatus::EnteredInError, "entered_in_error"},
    }};
};

// Every measurement a vitals record can carry, plus the derived BMI. The stored name of each is
// its field key (the Vitals member, database column and JSON key).
enum class Measurement {
    SystolicMmHg,
    DiastolicMmHg,
    HeartRateBpm,
    RespiratoryRate,
    TemperatureC,
    Spo2Pct,
    HeightCm,
    WeightKg,
    PainScore,
    GlucoseMgDl,
    Bmi,
};

template <> struct EnumNames<Measurement>
{
    static constexpr std::array<std::pair<Measurement, const char *>, 11> names{{
        {Measurement::SystolicMmHg, "systolic_mmhg"},
        {Measurement::DiastolicMmHg, "diastolic_mmhg"},
        {Measurement::HeartRateBpm, "heart_rate_bpm"},
        {Measurement::RespiratoryRate, "respiratory_rate"},
        {Measurement::TemperatureC, "temperature_c"},
        {Measurement::Spo2Pct, "spo2_pct"},
        {Measurement::HeightCm, "height_cm"},
        {Measurement::WeightKg, "weight_kg"},
        {Measurement::PainScore, "pain_score"},
        {Measurement::GlucoseMgDl, "glucose_mg_dl"},
        {Measurement::Bmi, "bmi"},
    }};
};

// What a measurement is: its field key, LOINC code, the UCUM code of the unit it is stored in,
// and a name for people.
struct MeasurementInfo
{
    Measurement m;
    QString key;
    QString loinc;
    QString ucum;
    QString displayName;
};

// All measurements in declaration order, BMI last.
const QList<MeasurementInfo> &measurementInfos();
const MeasurementInfo &measurementInfo(Measurement m);
std::optional<Measurement> measurementFromKey(QStringView key);
// True for measurements computed from others (BMI): never entered, never stored as input.
bool isDerived(Measurement m);
// The measurements a person enters (everything but the derived ones), in declaration order.
QList<Measurement> enteredMeasurements();

// One set of measurements taken at one time. Append-only: a correction is a new record whose
// `replaces_id` names the one it corrects, which becomes entered_in_error.
struct Vitals
{
    VitalsId id;
    ClinicId clinic_id;
    PatientId patient_id;
    AppointmentId appointment_id; // null: not taken at an appointment
    QDateTime recorded_at;
    UserId recorded_by;

    // In the stored units of measurementInfo(): mm[Hg], /min, Cel, %, cm, kg, {score}, mg/dL.
    std::optional<double> systolic_mmhg;
    std::optional<double> diastolic_mmhg;
    std::optional<double> heart_rate_bpm;
    std::optional<double> respiratory_rate;
    std::optional<double> temperature_c;
    std::optional<double> spo2_pct;
    std::optional<double> height_cm;
    std::optional<double> weight_kg;
    std::optional<double> pain_score;
    std::optional<double> glucose_mg_dl;

    VitalsStatus status = VitalsStatus::Final;
    VitalsId replaces_id; // null: not a correction
    RecordMeta meta;

    // weight / (height in m)^2 in kg/m2, rounded to 1 decimal; nullopt unless both are present
    // and positive.
    std::optional<double> bmi() const;

    // A measurement by its enum; Measurement::Bmi reads bmi().
    std::optional<double> value(Measurement m) const;
    // Sets an entered measurement; setting Measurement::Bmi does nothing (it is derived).
    void setValue(Measurement m, std::optional<double> v);
    // True when at least one entered measurement is present.
    bool hasAnyMeasurement() const;
};

} // namespace tmdash
