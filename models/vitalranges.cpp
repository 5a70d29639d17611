#include "vitalranges.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QtGlobal>

#include <cmath>

namespace tmdash {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

// The ordered chain of bounds a row must respect, in the JSON's names.
constexpr std::array<const char *, 6> kBoundOrder{"reject_min",  "critical_low",  "normal_low",
                                                  "normal_high", "critical_high", "reject_max"};

std::optional<double> VitalRange::*boundMember(int index)
{
    switch (index) {
    case 0:
        return &VitalRange::reject_min;
    case 1:
        return &VitalRange::critical_low;
    case 2:
        return &VitalRange::normal_low;
    case 3:
        return &VitalRange::normal_high;
    case 4:
        return &VitalRange::critical_high;
    default:
        return &VitalRange::reject_max;
    }
}

void parseRow(const QJsonObject &row, const QString &path, QList<std::optional<VitalRange>> &out,
              FieldErrors &errors)
{
    const auto fail = [&](const QString &name, const char *code, const QString &message) {
        errors.append({path + QLatin1Char('.') + name, QString::fromLatin1(code), message});
    };

    const QString key = row.value(QLatin1StringView("key")).toString();
    const std::optional<Measurement> m = measurementFromKey(key);
    if (!m) {
        fail(QStringLiteral("key"), "unknown", tr("Unknown measurement \"%1\".").arg(key));
        return;
    }
    const MeasurementInfo &info = measurementInfo(*m);
    const auto index = static_cast<qsizetype>(*m);
    if (out.at(index)) {
        fail(QStringLiteral("key"), "duplicate", tr("\"%1\" appears more than once.").arg(key));
        return;
    }

    VitalRange r;
    r.m = *m;
    r.key = key;
    r.loinc = row.value(QLatin1StringView("loinc")).toString();
    r.ucum = row.value(QLatin1StringView("ucum")).toString();
    r.displayName = row.value(QLatin1StringView("display_name")).toString();
    r.source = row.value(QLatin1StringView("source")).toString().trimmed();

    if (r.loinc != info.loinc)
        fail(QStringLiteral("loinc"), "inconsistent",
             tr("LOINC code \"%1\" differs from %2.").arg(r.loinc, info.loinc));
    if (r.ucum != info.ucum)
        fail(QStringLiteral("ucum"), "inconsistent",
             tr("Unit \"%1\" differs from the stored unit %2.").arg(r.ucum, info.ucum));
    if (r.displayName.isEmpty())
        fail(QStringLiteral("display_name"), "required", tr("A display name is required."));
    if (r.source.isEmpty())
        fail(QStringLiteral("source"), "required",
             tr("Every row must name the source of its numbers."));

    for (int i = 0; i < int(kBoundOrder.size()); ++i) {
        const QString name = QString::fromLatin1(kBoundOrder[i]);
        const QJsonValue v = row.value(name);
        if (v.isUndefined() || v.isNull())
            continue;
        if (!v.isDouble() || !std::isfinite(v.toDouble())) {
            fail(name, "format", tr("Must be a number or null."));
            continue;
        }
        r.*boundMember(i) = v.toDouble();
    }

    const bool rejectPresent = r.reject_min && r.reject_max;
    if (isDerived(*m) && (r.reject_min || r.reject_max))
        fail(QStringLiteral("reject_min"), "inconsistent",
             tr("A derived measurement is never refused; leave its reject range null."));
    if (!isDerived(*m) && !rejectPresent)
        fail(QStringLiteral("reject_min"), "required",
             tr("An entered measurement needs both reject_min and reject_max."));

    // Every present bound must not be below any present bound earlier in the chain.
    for (int later = 1; later < int(kBoundOrder.size()); ++later) {
        const std::optional<double> high = r.*boundMember(later);
        if (!high)
            continue;
        for (int earlier = 0; earlier < later; ++earlier) {
            const std::optional<double> low = r.*boundMember(earlier);
            if (low && *low > *high) {
                fail(QString::fromLatin1(kBoundOrder[later]), "range",
                     tr("%1 (%2) is below %3 (%4).")
                         .arg(QString::fromLatin1(kBoundOrder[later]))
                         .arg(*high)
                         .arg(QString::fromLatin1(kBoundOrder[earlier]))
                         .arg(*low));
                break;
            }
        }
    }

    out[index] = r;
}

} // namespace

bool VitalRange::accepts(double value) const
{
    if (!std::isfinite(value))
        return false;
    return (!reject_min || value >= *reject_min) && (!reject_max || value <= *reject_max);
}

Flag VitalRange::flag(double value) const
{
    if (critical_low && value < *critical_low)
        return Flag::CriticalLow;
    if (critical_high && value > *critical_high)
        return Flag::CriticalHigh;
    if (normal_low && value < *normal_low)
        return Flag::Low;
    if (normal_high && value > *normal_high)
        return Flag::High;
    return Flag::Normal;
}

Result<QList<VitalRange>> parseVitalRanges(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull())
        return Error::invalid(QString(), QStringLiteral("format"),
                              tr("Not valid JSON: %1.").arg(parseError.errorString()));
    const QJsonValue rowsValue = doc.object().value(QLatin1StringView("measurements"));
    if (!rowsValue.isArray())
        return Error::invalid(QStringLiteral("measurements"), QStringLiteral("required"),
                              tr("A \"measurements\" array is required."));

    const QList<MeasurementInfo> &infos = measurementInfos();
    QList<std::optional<VitalRange>> byMeasurement(infos.size());
    FieldErrors errors;
    const QJsonArray rows = rowsValue.toArray();
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QString path = QStringLiteral("measurements[%1]").arg(i);
        if (!rows.at(i).isObject()) {
            errors.append({path, QStringLiteral("format"), tr("Each row must be an object.")});
            continue;
        }
        parseRow(rows.at(i).toObject(), path, byMeasurement, errors);
    }

    QList<VitalRange> out;
    for (qsizetype i = 0; i < infos.size(); ++i) {
        if (byMeasurement.at(i))
            out << *byMeasurement.at(i);
        else
            errors.append({QStringLiteral("measurements"), QStringLiteral("required"),
                           tr("No row for \"%1\".").arg(infos.at(i).key)});
    }
    if (!errors.isEmpty())
        return Error::invalid(std::move(errors));
    return out;
}

const QList<VitalRange> &vitalRanges()
{
    static const QList<VitalRange> table = [] {
        QFile file(QStringLiteral(":/reference/vital-ranges.json"));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("Cannot open the built-in :/reference/vital-ranges.json");
        Result<QList<VitalRange>> parsed = parseVitalRanges(file.readAll());
        if (!parsed)
            qFatal("The built-in vital-ranges.json is broken: %s",
                   qPrintable(parsed.error().message));
        return std::move(parsed).value();
    }();
    return table;
}

const VitalRange &vitalRange(Measurement m)
{
    return vitalRanges().at(static_cast<qsizetype>(m));
}

Flag flagFor(Measurement m, double value)
{
    return vitalRange(m).flag(value);
}

QMap<QString, Flag> flagsFor(const Vitals &vitals)
{
    QMap<QString, Flag> out;
    for (const MeasurementInfo &info : measurementInfos()) {
        if (const std::optional<double> v = vitals.value(info.m))
            out.insert(info.key, flagFor(info.m, *v));
    }
    return out;
}

} // namespace tmdash
