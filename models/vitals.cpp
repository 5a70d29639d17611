#include "vitals.h"

#include <cmath>

namespace tmdash {

namespace {

MeasurementInfo info(Measurement m, const char *loinc, const char *ucum, const char *name)
{
    return {m, toString(m), QString::fromLatin1(loinc), QString::fromLatin1(ucum),
            QString::fromLatin1(name)};
}

std::optional<double> Vitals::*member(Measurement m)
{
    switch (m) {
    case Measurement::SystolicMmHg:
        return &Vitals::systolic_mmhg;
    case Measurement::DiastolicMmHg:
        return &Vitals::diastolic_mmhg;
    case Measurement::HeartRateBpm:
        return &Vitals::heart_rate_bpm;
    case Measurement::RespiratoryRate:
        return &Vitals::respiratory_rate;
    case Measurement::TemperatureC:
        return &Vitals::temperature_c;
    case Measurement::Spo2Pct:
        return &Vitals::spo2_pct;
    case Measurement::HeightCm:
        return &Vitals::height_cm;
    case Measurement::WeightKg:
        return &Vitals::weight_kg;
    case Measurement::PainScore:
        return &Vitals::pain_score;
    case Measurement::GlucoseMgDl:
        return &Vitals::glucose_mg_dl;
    case Measurement::Bmi:
        break;
    }
    return nullptr;
}

} // namespace

const QList<MeasurementInfo> &measurementInfos()
{
    // Order follows the enum, so measurementInfo() can index by value.
    static const QList<MeasurementInfo> infos{
        info(Measurement::SystolicMmHg, "8480-6", "mm[Hg]", "Systolic blood pressure"),
        info(Measurement::DiastolicMmHg, "8462-4", "mm[Hg]", "Diastolic blood pressure"),
        info(Measurement::HeartRateBpm, "8867-4", "/min", "Heart rate"),
        info(Measurement::RespiratoryRate, "9279-1", "/min", "Respiratory rate"),
        info(Measurement::TemperatureC, "8310-5", "Cel", "Body temperature"),
        info(Measurement::Spo2Pct, "59408-5", "%", "Oxygen saturation (pulse oximetry)"),
        info(Measurement::HeightCm, "8302-2", "cm", "Body height"),
        info(Measurement::WeightKg, "29463-7", "kg", "Body weight"),
        info(Measurement::PainScore, "72514-3", "{score}", "Pain score"),
        info(Measurement::GlucoseMgDl, "2339-0", "mg/dL", "Blood glucose"),
        info(Measurement::Bmi, "39156-5", "kg/m2", "Body mass index"),
    };
    return infos;
}

const MeasurementInfo &measurementInfo(Measurement m)
{
    return measurementInfos().at(static_cast<qsizetype>(m));
}

std::optional<Measurement> measurementFromKey(QStringView key)
{
    return enumFromString<Measurement>(key);
}

bool isDerived(Measurement m)
{
    return m == Measurement::Bmi;
}

QList<Measurement> enteredMeasurements()
{
    QList<Measurement> out;
    for (const MeasurementInfo &i : measurementInfos())
        if (!isDerived(i.m))
            out << i.m;
    return out;
}

std::optional<double> Vitals::bmi() const
{
    if (!height_cm || !weight_kg || !(*height_cm > 0) || !(*weight_kg > 0))
        return std::nullopt;
    const double metres = *height_cm / 100.0;
    const double raw = *weight_kg / (metres * metres);
    if (!std::isfinite(raw))
        return std::nullopt;
    return std::round(raw * 10.0) / 10.0;
}

std::optional<double> Vitals::value(Measurement m) const
{
    if (m == Measurement::Bmi)
        return bmi();
    const auto field = member(m);
    return field ? this->*field : std::nullopt;
}

void Vitals::setValue(Measurement m, std::optional<double> v)
{
    if (const auto field = member(m))
        this->*field = v;
}

bool Vitals::hasAnyMeasurement() const
{
    for (const Measurement m : enteredMeasurements())
        if (value(m))
            return true;
    return false;
}

} // namespace tmdash
