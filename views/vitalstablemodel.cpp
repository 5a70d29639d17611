#include "vitalstablemodel.h"

#include "units.h"
#include "vitalsstore.h"

#include <QColor>
#include <QFont>
#include <QLocale>

#include <cmath>

namespace tmdash {

namespace {

// Records by when they were taken, then by id (the store's order), for inserting in place.
bool takenBefore(const Vitals &a, const Vitals &b)
{
    if (a.recorded_at != b.recorded_at)
        return a.recorded_at < b.recorded_at;
    return a.id.value < b.id.value;
}

bool isAbnormal(Flag flag)
{
    return flag != Flag::Normal;
}

bool isCritical(Flag flag)
{
    return flag == Flag::CriticalLow || flag == Flag::CriticalHigh;
}

QString flagMarker(Flag flag)
{
    switch (flag) {
    case Flag::Normal:
        return {};
    case Flag::Low:
        return VitalsTableModel::tr("L", "low flag next to a value");
    case Flag::High:
        return VitalsTableModel::tr("H", "high flag next to a value");
    case Flag::CriticalLow:
        return VitalsTableModel::tr("LL", "critical low flag next to a value");
    case Flag::CriticalHigh:
        return VitalsTableModel::tr("HH", "critical high flag next to a value");
    }
    return {};
}

QString rangeText(Measurement m)
{
    const VitalRange &range = vitalRange(m);
    const QString unit = displayUnit(m);
    if (range.normal_low && range.normal_high)
        return VitalsTableModel::tr("normal %1–%2 %3")
            .arg(VitalsTableModel::formatValue(m, *range.normal_low),
                 VitalsTableModel::formatValue(m, *range.normal_high), unit)
            .trimmed();
    if (range.normal_low)
        return VitalsTableModel::tr("normal from %1 %2")
            .arg(VitalsTableModel::formatValue(m, *range.normal_low), unit)
            .trimmed();
    if (range.normal_high)
        return VitalsTableModel::tr("normal up to %1 %2")
            .arg(VitalsTableModel::formatValue(m, *range.normal_high), unit)
            .trimmed();
    return {};
}

} // namespace

VitalsTableModel::VitalsTableModel(const Database &db, const Principal &who,
                                   const PatientId &patient, QObject *parent)
    : QAbstractTableModel(parent), m_db(db), m_who(who), m_patient(patient)
{
}

int VitalsTableModel::columnOf(Measurement m)
{
    return 1 + int(m);
}

std::optional<Measurement> VitalsTableModel::measurementAt(int column)
{
    if (column < 1 || column > int(measurementInfos().size()))
        return std::nullopt;
    return measurementInfos().at(column - 1).m;
}

int VitalsTableModel::statusColumn()
{
    return 1 + int(measurementInfos().size());
}

int VitalsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int VitalsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : statusColumn() + 1;
}

QString VitalsTableModel::measurementName(Measurement m)
{
    switch (m) {
    case Measurement::SystolicMmHg:
        return tr("Systolic blood pressure");
    case Measurement::DiastolicMmHg:
        return tr("Diastolic blood pressure");
    case Measurement::HeartRateBpm:
        return tr("Heart rate");
    case Measurement::RespiratoryRate:
        return tr("Respiratory rate");
    case Measurement::TemperatureC:
        return tr("Body temperature");
    case Measurement::Spo2Pct:
        return tr("Oxygen saturation");
    case Measurement::HeightCm:
        return tr("Height");
    case Measurement::WeightKg:
        return tr("Weight");
    case Measurement::PainScore:
        return tr("Pain score (0–10)");
    case Measurement::GlucoseMgDl:
        return tr("Blood glucose");
    case Measurement::Bmi:
        return tr("Body mass index");
    }
    return {};
}

QString VitalsTableModel::shortName(Measurement m)
{
    switch (m) {
    case Measurement::SystolicMmHg:
        return tr("Systolic");
    case Measurement::DiastolicMmHg:
        return tr("Diastolic");
    case Measurement::HeartRateBpm:
        return tr("Pulse");
    case Measurement::RespiratoryRate:
        return tr("Resp.");
    case Measurement::TemperatureC:
        return tr("Temp.");
    case Measurement::Spo2Pct:
        return tr("SpO₂");
    case Measurement::HeightCm:
        return tr("Height");
    case Measurement::WeightKg:
        return tr("Weight");
    case Measurement::PainScore:
        return tr("Pain");
    case Measurement::GlucoseMgDl:
        return tr("Glucose");
    case Measurement::Bmi:
        return tr("BMI");
    }
    return {};
}

QString VitalsTableModel::formatValue(Measurement m, double value)
{
    // Temperatures and BMI are read to a tenth; the rest show a tenth only when they have one.
    const bool tenths = m == Measurement::TemperatureC || m == Measurement::Bmi ||
                        std::abs(value - std::round(value)) >= 0.05;
    return QLocale().toString(value, 'f', tenths ? 1 : 0);
}

QString VitalsTableModel::flagName(Flag flag)
{
    switch (flag) {
    case Flag::Normal:
        return tr("Normal");
    case Flag::Low:
        return tr("Low");
    case Flag::High:
        return tr("High");
    case Flag::CriticalLow:
        return tr("Critically low");
    case Flag::CriticalHigh:
        return tr("Critically high");
    }
    return {};
}

QVariant VitalsTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Vitals &v = m_rows.at(index.row());
    const bool inError = v.status == VitalsStatus::EnteredInError;
    const std::optional<Measurement> m = measurementAt(index.column());
    std::optional<double> value;
    if (m)
        value = v.value(*m);
    // Normal where there is no value (plain values keep GCC's optional analysis quiet).
    const Flag flag = value ? flagFor(*m, *value) : Flag::Normal;

    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == RecordedAtColumn)
            return v.recorded_at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        if (index.column() == statusColumn())
            return inError ? tr("Entered in error") : tr("Final");
        if (!value)
            return {};
        if (isAbnormal(flag))
            return QString(formatValue(*m, *value) + QLatin1Char(' ') + flagMarker(flag));
        return formatValue(*m, *value);
    case Qt::ToolTipRole:
        if (!value)
            return {};
        return tr("%1: %2 %3 — %4 (%5)")
            .arg(measurementName(*m), formatValue(*m, *value), displayUnit(*m), flagName(flag),
                 rangeText(*m));
    case Qt::ForegroundRole:
        if (inError)
            return QColor(Qt::gray);
        if (isAbnormal(flag))
            return isCritical(flag) ? QColor(0xb0, 0x00, 0x20) : QColor(0xa1, 0x4a, 0x00);
        return {};
    case Qt::FontRole:
        if (inError || isCritical(flag)) {
            QFont font;
            font.setStrikeOut(inError);
            font.setBold(isCritical(flag) && !inError);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (m)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case VitalsIdRole:
        return v.id.value;
    case RecordedAtRole:
        return v.recorded_at;
    case StatusRole:
        return int(v.status);
    case ValueRole:
        return value ? QVariant(*value) : QVariant();
    case FlagRole:
        return value ? QVariant(int(flag)) : QVariant();
    }
    return {};
}

QVariant VitalsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    const std::optional<Measurement> m = measurementAt(section);
    if (role == Qt::DisplayRole) {
        if (section == RecordedAtColumn)
            return tr("Taken");
        if (section == statusColumn())
            return tr("Status");
        if (!m)
            return {};
        const QString unit = displayUnit(*m);
        return unit.isEmpty() ? shortName(*m) : tr("%1 (%2)").arg(shortName(*m), unit);
    }
    if (role == Qt::ToolTipRole && m)
        return measurementName(*m);
    return {};
}

bool VitalsTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_loaded && !m_failed;
}

void VitalsTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    auto records = VitalsStore(m_db, m_who).forPatient(m_patient);
    if (!records) {
        m_failed = true;
        Q_EMIT loadFailed(records.error().message);
        return;
    }
    m_loaded = true;
    if (records->isEmpty())
        return;
    beginInsertRows({}, 0, int(records->size()) - 1);
    m_rows = *records;
    endInsertRows();
}

int VitalsTableModel::rowOf(const VitalsId &id) const
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).id == id)
            return row;
    return -1;
}

void VitalsTableModel::refresh()
{
    if (!m_loaded) {
        m_failed = false;
        return; // the first fetchMore reads everything
    }
    auto records = VitalsStore(m_db, m_who).forPatient(m_patient);
    if (!records) {
        Q_EMIT loadFailed(records.error().message);
        return;
    }
    QList<VitalsId> present;
    for (const Vitals &v : std::as_const(*records)) {
        present << v.id;
        const int row = rowOf(v.id);
        if (row >= 0) {
            const Vitals &old = m_rows.at(row);
            // Recorded values never change (append-only); status and bookkeeping may.
            if (old.status != v.status || old.meta.version != v.meta.version ||
                old.meta.updated_at != v.meta.updated_at) {
                m_rows[row] = v;
                Q_EMIT dataChanged(index(row, 0), index(row, statusColumn()));
            }
            continue;
        }
        int at = 0;
        while (at < m_rows.size() && !takenBefore(v, m_rows.at(at)))
            ++at;
        beginInsertRows({}, at, at);
        m_rows.insert(at, v);
        endInsertRows();
    }
    // Records that went out of scope (they are never deleted).
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (present.contains(m_rows.at(row).id))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
}

} // namespace tmdash
