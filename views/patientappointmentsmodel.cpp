#include "patientappointmentsmodel.h"

#include "appointmentnames.h"
#include "appointmentstore.h"
#include "permissions.h"
#include "providerstore.h"

#include <QColor>
#include <QFont>

namespace tmdash {

namespace {

bool startsBefore(const Appointment &a, const Appointment &b)
{
    if (a.start_at != b.start_at)
        return a.start_at < b.start_at;
    return a.id.value < b.id.value;
}

bool sameShown(const Appointment &a, const Appointment &b)
{
    return a.start_at == b.start_at && a.duration_minutes == b.duration_minutes &&
           a.type == b.type && a.status == b.status && a.provider_id == b.provider_id &&
           a.room == b.room && a.reason == b.reason && a.cancel_reason == b.cancel_reason &&
           a.meta.version == b.meta.version && a.meta.updated_at == b.meta.updated_at;
}

} // namespace

PatientAppointmentsModel::PatientAppointmentsModel(const Database &db, const Principal &who,
                                                   const PatientId &patient, QObject *parent)
    : QAbstractTableModel(parent), m_db(db), m_who(who), m_patient(patient)
{
}

int PatientAppointmentsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PatientAppointmentsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PatientAppointmentsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Appointment &a = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StartColumn:
            return a.start_at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        case DurationColumn:
            return tr("%n min", nullptr, a.duration_minutes);
        case TypeColumn:
            return AppointmentNames::type(a.type);
        case ProviderColumn: {
            const QString name = m_providerNames.value(a.provider_id.value);
            return name.trimmed().isEmpty() ? tr("(unnamed provider)") : name;
        }
        case RoomColumn:
            return a.room;
        case StatusColumn:
            return AppointmentNames::status(a.status);
        case ReasonColumn:
            return a.reason;
        }
        return {};
    case Qt::ToolTipRole:
        if (!a.cancel_reason.isEmpty())
            return tr("Cancelled: %1").arg(a.cancel_reason);
        return a.notes.isEmpty() ? QVariant() : QVariant(a.notes);
    case Qt::ForegroundRole:
        return a.isActive() ? QVariant() : QVariant(QColor(Qt::gray));
    case Qt::FontRole:
        if (a.status == AppointmentStatus::EnteredInError) {
            QFont struck;
            struck.setStrikeOut(true);
            return struck;
        }
        return {};
    case AppointmentIdRole:
        return a.id.value;
    case StatusRole:
        return int(a.status);
    case StartAtRole:
        return a.start_at;
    }
    return {};
}

QVariant PatientAppointmentsModel::headerData(int section, Qt::Orientation orientation,
                                              int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StartColumn:
        return tr("When");
    case DurationColumn:
        return tr("Length");
    case TypeColumn:
        return tr("Type");
    case ProviderColumn:
        return tr("Provider");
    case RoomColumn:
        return tr("Room");
    case StatusColumn:
        return tr("Status");
    case ReasonColumn:
        return tr("Reason");
    }
    return {};
}

bool PatientAppointmentsModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_loaded && !m_failed;
}

void PatientAppointmentsModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    auto all = AppointmentStore(m_db, m_who).forPatient(m_patient);
    if (!all) {
        m_failed = true;
        Q_EMIT loadFailed(all.error().message);
        return;
    }
    readProviderNames();
    m_loaded = true;
    if (all->isEmpty())
        return;
    beginInsertRows({}, 0, int(all->size()) - 1);
    m_rows = *all;
    std::sort(m_rows.begin(), m_rows.end(), startsBefore);
    endInsertRows();
}

void PatientAppointmentsModel::readProviderNames()
{
    if (!principalMay(m_who, Action::ReadProviders))
        return;
    if (auto names = ProviderStore(m_db, m_who).displayNames())
        m_providerNames = *names;
}

int PatientAppointmentsModel::rowOf(const AppointmentId &id) const
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).id == id)
            return row;
    return -1;
}

void PatientAppointmentsModel::refresh()
{
    if (!m_loaded) {
        m_failed = false;
        return; // the first fetchMore reads everything
    }
    auto all = AppointmentStore(m_db, m_who).forPatient(m_patient);
    if (!all) {
        Q_EMIT loadFailed(all.error().message);
        return;
    }
    const QHash<QString, QString> oldNames = m_providerNames;
    readProviderNames();
    QList<Appointment> next = *all;
    std::sort(next.begin(), next.end(), startsBefore);
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        bool listed = false;
        for (const Appointment &a : std::as_const(next))
            listed = listed || a.id == m_rows.at(row).id;
        if (listed)
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    for (int i = 0; i < next.size(); ++i) {
        const Appointment &a = next.at(i);
        const int row = rowOf(a.id);
        if (row < 0) {
            beginInsertRows({}, i, i);
            m_rows.insert(i, a);
            endInsertRows();
            continue;
        }
        if (row != i) { // rescheduled: moves to its new place
            beginMoveRows({}, row, row, {}, i);
            m_rows.move(row, i);
            endMoveRows();
        }
        if (!sameShown(m_rows.at(i), a)) {
            m_rows[i] = a;
            Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
        }
    }
    // Provider names may have changed for rows that did not.
    if (oldNames != m_providerNames && !m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, ProviderColumn), index(int(m_rows.size()) - 1, ProviderColumn),
                           {Qt::DisplayRole});
}

} // namespace tmdash
