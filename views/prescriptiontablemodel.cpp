#include "prescriptiontablemodel.h"

#include <QColor>
#include <QFont>
#include <QLocale>

namespace tmdash {

namespace {

bool sameShown(const Prescription &a, const Prescription &b)
{
    return a.status == b.status && a.override_reason == b.override_reason &&
           a.meta.version == b.meta.version && a.meta.updated_at == b.meta.updated_at &&
           a.meta.deleted_at == b.meta.deleted_at;
}

QString dateText(const std::optional<QDate> &date)
{
    return date && date->isValid() ? date->toString(Qt::ISODate) : QString();
}

} // namespace

PrescriptionTableModel::PrescriptionTableModel(QObject *parent) : QAbstractTableModel(parent) {}

int PrescriptionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PrescriptionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString PrescriptionTableModel::frequencyName(Frequency frequency)
{
    switch (frequency) {
    case Frequency::Once:
        return tr("once");
    case Frequency::Qd:
        return tr("once a day");
    case Frequency::Bid:
        return tr("twice a day");
    case Frequency::Tid:
        return tr("three times a day");
    case Frequency::Qid:
        return tr("four times a day");
    case Frequency::Q4h:
        return tr("every 4 hours");
    case Frequency::Q6h:
        return tr("every 6 hours");
    case Frequency::Q8h:
        return tr("every 8 hours");
    case Frequency::Q12h:
        return tr("every 12 hours");
    case Frequency::Qhs:
        return tr("at bedtime");
    case Frequency::Prn:
        return tr("as needed");
    }
    return {};
}

QString PrescriptionTableModel::statusName(PrescriptionStatus status)
{
    switch (status) {
    case PrescriptionStatus::Active:
        return tr("Active");
    case PrescriptionStatus::OnHold:
        return tr("On hold");
    case PrescriptionStatus::Completed:
        return tr("Completed");
    case PrescriptionStatus::Cancelled:
        return tr("Cancelled");
    case PrescriptionStatus::EnteredInError:
        return tr("Entered in error");
    }
    return {};
}

QString PrescriptionTableModel::actionName(PrescriptionAction action)
{
    switch (action) {
    case PrescriptionAction::Hold:
        return tr("&Hold");
    case PrescriptionAction::Resume:
        return tr("Res&ume");
    case PrescriptionAction::Complete:
        return tr("Co&mplete");
    case PrescriptionAction::Cancel:
        return tr("Ca&ncel prescription");
    case PrescriptionAction::EnterInError:
        return tr("Entered in &error");
    }
    return {};
}

QString PrescriptionTableModel::doseText(const Prescription &rx)
{
    QString text = tr("%1 %2").arg(QLocale().toString(rx.dose_amount), rx.dose_unit);
    if (!rx.route.isEmpty())
        text += QLatin1Char(' ') + rx.route;
    text += tr(", %1").arg(frequencyName(rx.frequency));
    if (rx.as_needed && rx.frequency != Frequency::Prn)
        text += tr(", as needed");
    if (rx.duration_days)
        text += tr(", for %n day(s)", nullptr, *rx.duration_days);
    return text;
}

QString PrescriptionTableModel::medicationText(const Prescription &rx)
{
    QStringList parts{rx.medication_name.isEmpty() ? rx.medication_code : rx.medication_name};
    if (!rx.strength.isEmpty())
        parts << rx.strength;
    if (!rx.form.isEmpty())
        parts << QString(rx.form).replace(QLatin1Char('_'), QLatin1Char(' '));
    return parts.join(QLatin1Char(' '));
}

QVariant PrescriptionTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Prescription &rx = m_rows.at(index.row());
    const bool inError = rx.status == PrescriptionStatus::EnteredInError;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case MedicationColumn:
            return medicationText(rx);
        case DoseColumn:
            return doseText(rx);
        case StartColumn:
            return dateText(rx.start_date);
        case EndColumn:
            return dateText(rx.end_date());
        case RefillsColumn:
            return rx.refills;
        case StatusColumn:
            return statusName(rx.status);
        case OverrideColumn:
            return rx.override_reason.isEmpty() ? QString() : tr("Alert overridden");
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == OverrideColumn && !rx.override_reason.isEmpty())
            return tr("Override reason: %1").arg(rx.override_reason);
        if (!rx.instructions.isEmpty())
            return rx.instructions;
        return {};
    case Qt::ForegroundRole:
        if (inError)
            return QColor(Qt::gray);
        if (index.column() == StatusColumn && rx.status == PrescriptionStatus::OnHold)
            return QColor(0xa1, 0x4a, 0x00);
        if (index.column() == OverrideColumn)
            return QColor(0xb0, 0x00, 0x20);
        return {};
    case Qt::FontRole:
        if (inError) {
            QFont struck;
            struck.setStrikeOut(true);
            return struck;
        }
        return {};
    case PrescriptionIdRole:
        return rx.id.value;
    case StatusRole:
        return int(rx.status);
    case OverrideReasonRole:
        return rx.override_reason;
    }
    return {};
}

QVariant PrescriptionTableModel::headerData(int section, Qt::Orientation orientation,
                                            int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case MedicationColumn:
        return tr("Medication");
    case DoseColumn:
        return tr("Dose");
    case StartColumn:
        return tr("Start");
    case EndColumn:
        return tr("Last day");
    case RefillsColumn:
        return tr("Refills");
    case StatusColumn:
        return tr("Status");
    case OverrideColumn:
        return tr("Alerts");
    }
    return {};
}

int PrescriptionTableModel::rowOf(const PrescriptionId &id) const
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).id == id)
            return row;
    return -1;
}

void PrescriptionTableModel::setPrescriptions(const QList<Prescription> &prescriptions)
{
    // Rows no longer listed go first, then each listed one is put at its place.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        bool listed = false;
        for (const Prescription &rx : prescriptions)
            listed = listed || rx.id == m_rows.at(row).id;
        if (listed)
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    for (int i = 0; i < prescriptions.size(); ++i) {
        const Prescription &rx = prescriptions.at(i);
        const int row = rowOf(rx.id);
        if (row < 0) {
            beginInsertRows({}, i, i);
            m_rows.insert(i, rx);
            endInsertRows();
            continue;
        }
        if (row != i) { // row > i: the rows before i are already in place
            beginMoveRows({}, row, row, {}, i);
            m_rows.move(row, i);
            endMoveRows();
        }
        if (!sameShown(m_rows.at(i), rx)) {
            m_rows[i] = rx;
            Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
        }
    }
}

} // namespace tmdash
