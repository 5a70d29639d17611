#include "units.h"

#include <QCoreApplication>

namespace tmdash {

namespace {

// stored = value * factor + offset
struct Conversion
{
    const char *ucum;
    double factor;
    double offset;
};

constexpr double kPoundKg = 0.45359237; // international avoirdupois pound, exact
constexpr double kInchCm = 2.54;        // international inch, exact
// mg/dL per mmol/L of glucose (molar mass 180.16 g/mol / 10).
constexpr double kGlucoseMmolToMgDl = 18.016;

QList<Conversion> conversions(Measurement m)
{
    switch (m) {
    case Measurement::SystolicMmHg:
    case Measurement::DiastolicMmHg:
        return {{"mm[Hg]", 1, 0}};
    case Measurement::HeartRateBpm:
        return {{"/min", 1, 0}, {"{beats}/min", 1, 0}};
    case Measurement::RespiratoryRate:
        return {{"/min", 1, 0}, {"{breaths}/min", 1, 0}};
    case Measurement::TemperatureC:
        return {{"Cel", 1, 0}, {"[degF]", 5.0 / 9.0, -32.0 * 5.0 / 9.0}};
    case Measurement::Spo2Pct:
        return {{"%", 1, 0}};
    case Measurement::HeightCm:
        return {{"cm", 1, 0}, {"m", 100, 0}, {"[in_i]", kInchCm, 0}};
    case Measurement::WeightKg:
        return {{"kg", 1, 0}, {"g", 0.001, 0}, {"[lb_av]", kPoundKg, 0}};
    case Measurement::PainScore:
        return {{"{score}", 1, 0}};
    case Measurement::GlucoseMgDl:
        return {{"mg/dL", 1, 0}, {"mmol/L", kGlucoseMmolToMgDl, 0}};
    case Measurement::Bmi:
        return {{"kg/m2", 1, 0}};
    }
    return {};
}

} // namespace

QStringList acceptedUnits(Measurement m)
{
    QStringList out;
    for (const Conversion &c : conversions(m))
        out << QString::fromLatin1(c.ucum);
    return out;
}

QString displayUnit(Measurement m)
{
    switch (m) {
    case Measurement::SystolicMmHg:
    case Measurement::DiastolicMmHg:
        return QStringLiteral("mmHg");
    case Measurement::TemperatureC:
        return QStringLiteral("\u00B0C");
    case Measurement::PainScore:
        return QString();
    case Measurement::Bmi:
        return QStringLiteral("kg/m\u00B2");
    default:
        return measurementInfo(m).ucum;
    }
}

Result<double> convertToStoredUnit(Measurement m, double value, const QString &ucum)
{
    for (const Conversion &c : conversions(m)) {
        if (ucum == QLatin1StringView(c.ucum))
            return value * c.factor + c.offset;
    }
    const MeasurementInfo &info = measurementInfo(m);
    const QString message =
        QCoreApplication::translate("Validation",
                                    "Unit \"%1\" cannot be used for %2; use one of: %3.")
            .arg(ucum, info.displayName.toLower(), acceptedUnits(m).join(QStringLiteral(", ")));
    return Error::invalid(info.key, QStringLiteral("unit"), message);
}

} // namespace tmdash
