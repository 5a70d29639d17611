#include "waitingroommodel.h"

#include "appointmentnames.h"
#include "appointmentstore.h"
#include "clinicstore.h"
#include "clock.h"
#include "patientstore.h"
#include "providerstore.h"

#include <QBrush>
#include <QFont>
#include <QLocale>

#include <algorithm>

namespace tmdash {

namespace {

// Past this wait the time is shown in red.
constexpr int kLongWaitMinutes = 30;

bool onBoard(const Appointment &a)
{
    return !a.meta.isDeleted() &&
           (a.status == AppointmentStatus::CheckedIn || a.status == AppointmentStatus::InProgress);
}

} // namespace

WaitingRoomModel::WaitingRoomModel(const Database &db, const Principal &who, QObject *parent)
    : QAbstractTableModel(parent), m_db(db), m_who(who), m_zone(QTimeZone::utc())
{
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &WaitingRoomModel::tick);
    m_tick.start();
    refresh();
}

int WaitingRoomModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int WaitingRoomModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QDate WaitingRoomModel::clinicToday() const
{
    return nowUtc().toTimeZone(m_zone).date();
}

int WaitingRoomModel::minutesSince(const Appointment &a)
{
    const qint64 secs = a.meta.updated_at.secsTo(nowUtc());
    return secs > 0 ? int(secs / 60) : 0;
}

int WaitingRoomModel::rowOf(const QString &appointmentId) const
{
    for (int r = 0; r < m_rows.size(); ++r)
        if (m_rows.at(r).appointment.id.value == appointmentId)
            return r;
    return -1;
}

int WaitingRoomModel::waitingCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](const Row &r) {
        return r.appointment.status == AppointmentStatus::CheckedIn;
    }));
}

int WaitingRoomModel::inProgressCount() const
{
    return int(m_rows.size()) - waitingCount();
}

QVariant WaitingRoomModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const Appointment &a = row.appointment;
    const bool waiting = a.status == AppointmentStatus::CheckedIn;
    const int minutes = minutesSince(a);
    switch (role) {
    case AppointmentIdRole:
        return a.id.value;
    case StatusRole:
        return toString(a.status);
    case MinutesRole:
        return minutes;
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case PatientColumn:
            return row.patient;
        case ProviderColumn:
            return row.provider;
        case RoomColumn:
            return a.room.isEmpty() ? tr("—") : a.room;
        case StatusColumn:
            return AppointmentNames::status(a.status);
        case SinceColumn:
            return QLocale().toString(a.meta.updated_at.toTimeZone(m_zone).time(),
                                      QStringLiteral("HH:mm"));
        case WaitingColumn:
            return waiting ? tr("%n min", "", minutes) : tr("in visit %n min", "", minutes);
        case ColumnCount:
            break;
        }
        return {};
    case SortRole:
        switch (Column(index.column())) {
        case PatientColumn:
            return row.patient.toCaseFolded();
        case ProviderColumn:
            return row.provider.toCaseFolded();
        case RoomColumn:
            return a.room.toCaseFolded();
        case StatusColumn:
            return int(a.status);
        case SinceColumn:
            return a.meta.updated_at;
        case WaitingColumn:
            // Those waiting before those with a provider, then by time.
            return (waiting ? 0 : 100000) + minutes;
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        return tr("%1 — %2, %3").arg(row.patient, AppointmentNames::status(a.status),
                                     a.reason.isEmpty() ? AppointmentNames::type(a.type) : a.reason);
    case Qt::BackgroundRole:
        if (index.column() == StatusColumn)
            return QBrush(AppointmentNames::statusColor(a.status));
        return {};
    case Qt::ForegroundRole:
        if (index.column() == WaitingColumn && waiting && minutes >= kLongWaitMinutes)
            return QBrush(QColor(0xb0, 0x00, 0x20));
        return {};
    default:
        return {};
    }
}

QVariant WaitingRoomModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case PatientColumn:
        return tr("Patient");
    case ProviderColumn:
        return tr("Provider");
    case RoomColumn:
        return tr("Room");
    case StatusColumn:
        return tr("Status");
    case SinceColumn:
        return tr("Since");
    case WaitingColumn:
        return tr("Waiting");
    case ColumnCount:
        break;
    }
    return {};
}

QString WaitingRoomModel::patientName(const PatientId &patient)
{
    const auto it = m_patientNames.constFind(patient.value);
    if (it != m_patientNames.cend())
        return *it;
    auto p = PatientStore(m_db, m_who).get(patient);
    const QString name = p ? p->displayName() : tr("(patient not available)");
    m_patientNames.insert(patient.value, name);
    return name;
}

void WaitingRoomModel::recordsChanged(const QStringList &ids)
{
    for (const QString &id : ids)
        m_patientNames.remove(id);
    refresh();
}

void WaitingRoomModel::refresh()
{
    auto clinics = ClinicStore(m_db, m_who).list();
    if (!clinics || clinics->isEmpty()) {
        Q_EMIT loadFailed(clinics ? tr("This desktop has no clinic yet.") : clinics.error().message);
        return;
    }
    Clinic clinic = clinics->constFirst();
    for (const Clinic &c : std::as_const(*clinics))
        if (c.id == m_who.clinic_id)
            clinic = c;
    m_zone = clinic.timeZone().isValid() ? clinic.timeZone() : QTimeZone::utc();
    m_day = clinicToday();
    auto providers = ProviderStore(m_db, m_who).list();
    auto names = ProviderStore(m_db, m_who).displayNames();
    auto today = AppointmentStore(m_db, m_who).forClinicDay(m_day, clinic.id);
    if (!providers || !names || !today) {
        Q_EMIT loadFailed(!providers ? providers.error().message
                          : !names   ? names.error().message
                                     : today.error().message);
        return;
    }
    QHash<QString, QString> providerNames;
    for (const Provider &p : std::as_const(*providers))
        providerNames.insert(p.id.value, AppointmentNames::provider(p, names->value(p.id.value)));

    QList<Row> incoming;
    for (const Appointment &a : std::as_const(*today))
        if (onBoard(a))
            incoming << Row{a, patientName(a.patient_id),
                            providerNames.value(a.provider_id.value, tr("(provider)"))};

    // Leaving the board.
    for (int r = int(m_rows.size()) - 1; r >= 0; --r) {
        const QString id = m_rows.at(r).appointment.id.value;
        const bool stays = std::any_of(incoming.cbegin(), incoming.cend(), [&](const Row &n) {
            return n.appointment.id.value == id;
        });
        if (!stays) {
            beginRemoveRows({}, r, r);
            m_rows.removeAt(r);
            endRemoveRows();
        }
    }
    // Changed in place, or arriving at the end.
    for (const Row &n : std::as_const(incoming)) {
        const int r = rowOf(n.appointment.id.value);
        if (r < 0) {
            const int at = int(m_rows.size());
            beginInsertRows({}, at, at);
            m_rows.append(n);
            endInsertRows();
            continue;
        }
        const Row &old = m_rows.at(r);
        const Appointment &o = old.appointment;
        const Appointment &a = n.appointment;
        if (old.patient == n.patient && old.provider == n.provider && o.status == a.status &&
            o.room == a.room && o.reason == a.reason && o.type == a.type &&
            o.meta.updated_at == a.meta.updated_at)
            continue;
        m_rows[r] = n;
        Q_EMIT dataChanged(index(r, 0), index(r, ColumnCount - 1),
                           {Qt::DisplayRole, Qt::ToolTipRole, Qt::BackgroundRole,
                            Qt::ForegroundRole, SortRole, StatusRole, MinutesRole});
    }
    Q_EMIT refreshed();
}

void WaitingRoomModel::tick()
{
    if (clinicToday() != m_day) {
        refresh();
        return;
    }
    if (m_rows.isEmpty())
        return;
    Q_EMIT dataChanged(index(0, WaitingColumn), index(int(m_rows.size()) - 1, WaitingColumn),
                       {Qt::DisplayRole, Qt::ForegroundRole, SortRole, MinutesRole});
}

} // namespace tmdash
