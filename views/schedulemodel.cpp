#include "schedulemodel.h"

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

constexpr int kMinutesPerDay = 24 * 60;
constexpr qint64 kSlotSecs = qint64(ScheduleModel::kSlotMinutes) * 60;

int minutesOf(QTime t)
{
    return t.hour() * 60 + t.minute();
}

QTime timeOf(int minutes)
{
    return QTime(0, 0).addSecs(minutes * 60);
}

QColor stateColor(ScheduleModel::SlotState state)
{
    switch (state) {
    case ScheduleModel::SlotState::Closed:
        return QColor(0xcf, 0xcf, 0xcf);
    case ScheduleModel::SlotState::Unavailable:
        return QColor(0xe4, 0xe4, 0xe4);
    case ScheduleModel::SlotState::TimeOff:
        return QColor(0xf2, 0xd4, 0xd4);
    case ScheduleModel::SlotState::Free:
        return QColor(0xea, 0xf6, 0xea);
    case ScheduleModel::SlotState::Busy:
        return QColor(0xf2, 0xf2, 0xf2);
    case ScheduleModel::SlotState::Booked:
    case ScheduleModel::SlotState::Continued:
        break;
    }
    return {};
}

} // namespace

ScheduleModel::ScheduleModel(const Database &db, const Principal &who, QObject *parent)
    : QAbstractTableModel(parent), m_db(db), m_who(who)
{
    Snapshot s;
    if (Status ok = readReferenceData(s); ok) {
        m_clinic = s.clinic;
        m_providers = s.providers;
        m_providerNames = s.providerNames;
    } else {
        m_loadError = ok.error().message;
    }
    m_day = today();
}

int ScheduleModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ScheduleModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QTimeZone ScheduleModel::zone() const
{
    const QTimeZone zone = m_clinic.timeZone();
    return zone.isValid() ? zone : QTimeZone::utc();
}

QDate ScheduleModel::today() const
{
    return nowUtc().toTimeZone(zone()).date();
}

QString ScheduleModel::providerName(const ProviderId &provider) const
{
    const QString name = m_providerNames.value(provider.value);
    return name.isEmpty() ? tr("(unnamed provider)") : name;
}

QString ScheduleModel::patientName(const PatientId &patient) const
{
    return m_patientNames.value(patient.value, tr("(patient)"));
}

std::optional<Appointment> ScheduleModel::appointment(const QString &appointmentId) const
{
    const auto it = m_appointments.constFind(appointmentId);
    if (it == m_appointments.cend())
        return std::nullopt;
    return *it;
}

QModelIndex ScheduleModel::indexOf(const QString &appointmentId) const
{
    if (appointmentId.isEmpty())
        return {};
    for (int c = 0; c < m_cells.size(); ++c)
        for (int r = 0; r < m_cells.at(c).size(); ++r)
            if (m_cells.at(c).at(r).starting.contains(appointmentId))
                return index(r, c);
    return {};
}

QDateTime ScheduleModel::slotStart(int row, int column) const
{
    return QDateTime(m_columns.at(column).day, m_rows.at(row), zone()).toUTC();
}

QVariant ScheduleModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Cell &cell = m_cells.at(index.column()).at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return cell.text;
    case Qt::ToolTipRole:
        return cell.toolTip;
    case Qt::BackgroundRole:
        if (cell.state == SlotState::Booked || cell.state == SlotState::Continued)
            return QBrush(AppointmentNames::statusColor(cell.status));
        return QBrush(stateColor(cell.state));
    case Qt::ForegroundRole:
        if (cell.inactiveOnly)
            return QBrush(QColor(0x70, 0x70, 0x70));
        return {};
    case Qt::FontRole:
        if (cell.inactiveOnly) {
            QFont font;
            font.setStrikeOut(true);
            return font;
        }
        return {};
    case SlotStateRole:
        return int(cell.state);
    case SlotStartRole:
        return slotStart(index.row(), index.column());
    case DayRole:
        return m_columns.at(index.column()).day;
    case ProviderIdRole:
        return m_columns.at(index.column()).provider.value;
    case AppointmentIdRole:
        return cell.appointmentId;
    case AppointmentIdsRole:
        return cell.starting;
    case StatusRole:
        return cell.appointmentId.isEmpty() ? QString() : toString(cell.status);
    default:
        return {};
    }
}

QVariant ScheduleModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section >= m_columns.size())
            return {};
        if (role == Qt::DisplayRole)
            return m_columns.at(section).title;
        if (role == Qt::ToolTipRole)
            return m_columns.at(section).toolTip;
        if (role == Qt::FontRole && m_mode == Mode::Week && m_columns.at(section).day == today()) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    }
    if (section < 0 || section >= m_rows.size())
        return {};
    if (role == Qt::DisplayRole)
        return QLocale().toString(m_rows.at(section), QStringLiteral("HH:mm"));
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignTop));
    return {};
}

void ScheduleModel::setView(const ProviderId &provider, QDate day, Mode mode)
{
    m_provider = provider;
    m_day = day.isValid() ? day : today();
    m_mode = provider.isNull() ? Mode::Day : mode;
    auto next = read();
    if (!next) {
        // A new view that cannot be read shows nothing rather than the previous view's cells.
        m_loadError = next.error().message;
        beginResetModel();
        m_columns.clear();
        m_rows.clear();
        m_cells.clear();
        m_appointments.clear();
        endResetModel();
        Q_EMIT loadFailed(m_loadError);
        return;
    }
    apply(std::move(next).value(), true);
}

void ScheduleModel::recordsChanged(const QStringList &ids)
{
    for (const QString &id : ids)
        m_patientNames.remove(id);
    auto next = read();
    if (!next) {
        m_loadError = next.error().message;
        Q_EMIT loadFailed(m_loadError);
        return;
    }
    apply(std::move(next).value(), false);
}

Status ScheduleModel::readReferenceData(Snapshot &s) const
{
    auto clinics = ClinicStore(m_db, m_who).list();
    if (!clinics)
        return clinics.error();
    if (clinics->isEmpty())
        return Error::notFound(tr("This desktop has no clinic yet."));
    // A person sees their own clinic only; a desktop database holds exactly one.
    s.clinic = clinics->constFirst();
    if (!m_who.clinic_id.isNull())
        for (const Clinic &c : std::as_const(*clinics))
            if (c.id == m_who.clinic_id)
                s.clinic = c;
    auto providers = ProviderStore(m_db, m_who).list();
    if (!providers)
        return providers.error();
    for (const Provider &p : std::as_const(*providers))
        if (p.clinic_id == s.clinic.id)
            s.providers << p;
    auto names = ProviderStore(m_db, m_who).displayNames();
    if (!names)
        return names.error();
    for (const Provider &p : std::as_const(s.providers))
        s.providerNames.insert(p.id.value, AppointmentNames::provider(p, names->value(p.id.value)));
    return {};
}

QString ScheduleModel::cachedPatientName(const PatientId &patient)
{
    const auto it = m_patientNames.constFind(patient.value);
    if (it != m_patientNames.cend())
        return *it;
    auto p = PatientStore(m_db, m_who).get(patient);
    const QString name = p ? p->displayName() : tr("(patient not available)");
    m_patientNames.insert(patient.value, name);
    return name;
}

QString ScheduleModel::formatRange(const Appointment &a, const QTimeZone &zone)
{
    const QLocale locale;
    return tr("%1–%2")
        .arg(locale.toString(a.start_at.toTimeZone(zone).time(), QStringLiteral("HH:mm")),
             locale.toString(a.end_at().toTimeZone(zone).time(), QStringLiteral("HH:mm")));
}

Result<ScheduleModel::Snapshot> ScheduleModel::read()
{
    Snapshot s;
    if (Status ok = readReferenceData(s); !ok)
        return ok.error();
    const QTimeZone tz = s.clinic.timeZone().isValid() ? s.clinic.timeZone() : QTimeZone::utc();
    const QLocale locale;
    const AppointmentStore store(m_db, m_who);

    const Provider *single = nullptr;
    if (!m_provider.isNull()) {
        for (const Provider &p : std::as_const(s.providers))
            if (p.id == m_provider)
                single = &p;
        if (!single)
            return Error::notFound(tr("This provider is no longer in the clinic's list."));
    }

    // The columns.
    if (!single) {
        for (const Provider &p : std::as_const(s.providers))
            s.columns << ColumnInfo{m_day, p.id, s.providerNames.value(p.id.value),
                                    p.specialty.isEmpty() ? s.providerNames.value(p.id.value)
                                                          : p.specialty};
    } else if (m_mode == Mode::Week) {
        const QDate monday = m_day.addDays(1 - m_day.dayOfWeek());
        for (int i = 0; i < 7; ++i) {
            const QDate d = monday.addDays(i);
            s.columns << ColumnInfo{d, m_provider, locale.toString(d, QStringLiteral("ddd d MMM")),
                                    locale.toString(d, QLocale::LongFormat)};
        }
    } else {
        s.columns << ColumnInfo{m_day, m_provider, locale.toString(m_day, QLocale::LongFormat),
                                s.providerNames.value(m_provider.value)};
    }

    // The appointments.
    Result<QList<Appointment>> appointments =
        !single                 ? store.forClinicDay(m_day, s.clinic.id)
        : m_mode == Mode::Week ? store.forProviderWeek(m_provider, m_day)
                               : store.forProviderDay(m_provider, m_day);
    if (!appointments)
        return appointments.error();
    for (const Appointment &a : std::as_const(*appointments))
        s.appointments.insert(a.id.value, a);

    // Per column: its appointments and free slots, and the span of hours to show.
    QList<QList<Appointment>> perColumn;
    QList<QList<QDateTime>> freePerColumn;
    int first = kMinutesPerDay;
    int last = 0;
    const auto widen = [&](int from, int to) {
        first = std::min(first, from);
        last = std::max(last, to);
    };
    for (const ColumnInfo &column : std::as_const(s.columns)) {
        QList<Appointment> mine;
        for (const Appointment &a : std::as_const(*appointments)) {
            if (a.provider_id != column.provider || a.start_at.toTimeZone(tz).date() != column.day)
                continue;
            mine << a;
            cachedPatientName(a.patient_id);
            const QDateTime localStart = a.start_at.toTimeZone(tz);
            const QDateTime localEnd = a.end_at().toTimeZone(tz);
            widen(minutesOf(localStart.time()),
                  localEnd.date() > column.day ? kMinutesPerDay
                                               : std::max(minutesOf(localEnd.time()),
                                                          minutesOf(localStart.time()) + 1));
        }
        perColumn << mine;
        const DayHours &hours = s.clinic.hoursOn(column.day.dayOfWeek());
        if (!hours.isClosed())
            widen(minutesOf(*hours.open), std::max(minutesOf(*hours.close), minutesOf(*hours.open)));
        for (const Provider &p : std::as_const(s.providers)) {
            if (p.id != column.provider)
                continue;
            for (const ProviderAvailability &w : p.availabilityOn(column.day.dayOfWeek()))
                if (w.start_time.isValid() && w.end_time.isValid())
                    widen(minutesOf(w.start_time), minutesOf(w.end_time));
        }
        auto free = store.freeSlots(column.provider, column.day, kSlotMinutes);
        if (!free)
            return free.error();
        freePerColumn << *free;
    }
    if (first >= last) { // nothing open, nothing booked: a plain working day, greyed
        first = 8 * 60;
        last = 17 * 60;
    }
    first = first / kSlotMinutes * kSlotMinutes;
    last = std::min(kMinutesPerDay, (last + kSlotMinutes - 1) / kSlotMinutes * kSlotMinutes);
    for (int m = first; m < last; m += kSlotMinutes)
        s.rows << timeOf(m);

    for (int c = 0; c < s.columns.size(); ++c) {
        const Provider *provider = nullptr;
        for (const Provider &p : std::as_const(s.providers))
            if (p.id == s.columns.at(c).provider)
                provider = &p;
        QList<Cell> cells;
        cells.reserve(s.rows.size());
        for (QTime t : std::as_const(s.rows))
            cells << cellFor(s, s.columns.at(c), provider, t, perColumn.at(c), freePerColumn.at(c));
        s.cells << cells;
    }
    return s;
}

ScheduleModel::Cell ScheduleModel::cellFor(const Snapshot &s, const ColumnInfo &column,
                                           const Provider *provider, QTime localTime,
                                           const QList<Appointment> &appointments,
                                           const QList<QDateTime> &free) const
{
    const QTimeZone tz = s.clinic.timeZone().isValid() ? s.clinic.timeZone() : QTimeZone::utc();
    const QDateTime start = QDateTime(column.day, localTime, tz).toUTC();
    const QDateTime end = start.addSecs(kSlotSecs);
    Cell cell;

    QList<const Appointment *> starting;
    const Appointment *covering = nullptr;
    for (const Appointment &a : appointments) {
        if (a.start_at >= start && a.start_at < end)
            starting << &a;
        else if (a.isOccupying() && a.start_at < start && a.end_at() > start && !covering)
            covering = &a;
    }
    // Those that hold the slot first, then the retracted ones (for the day sheet).
    std::stable_sort(starting.begin(), starting.end(), [](const Appointment *a, const Appointment *b) {
        return a->isOccupying() && !b->isOccupying();
    });

    QStringList lines;
    QStringList tips;
    for (const Appointment *a : std::as_const(starting)) {
        cell.starting << a->id.value;
        const QString patient = m_patientNames.value(a->patient_id.value);
        QString line = a->reason.isEmpty()
                           ? tr("%1 · %2").arg(patient, AppointmentNames::status(a->status))
                           : tr("%1 — %2 · %3")
                                 .arg(patient, a->reason, AppointmentNames::status(a->status));
        lines << line;
        QString tip = tr("%1 %2\n%3 (%4), %5")
                          .arg(formatRange(*a, tz), patient, AppointmentNames::type(a->type),
                               AppointmentNames::status(a->status),
                               a->room.isEmpty() ? tr("no room") : tr("room %1").arg(a->room));
        if (!a->reason.isEmpty())
            tip += QLatin1Char('\n') + tr("Reason: %1").arg(a->reason);
        if (!a->cancel_reason.isEmpty())
            tip += QLatin1Char('\n') + tr("Cancelled: %1").arg(a->cancel_reason);
        tips << tip;
    }

    const DayHours &hours = s.clinic.hoursOn(column.day.dayOfWeek());
    const int startMinutes = minutesOf(localTime);
    const QTime localEnd = startMinutes + kSlotMinutes >= kMinutesPerDay
                               ? QTime(23, 59, 59, 999)
                               : timeOf(startMinutes + kSlotMinutes);
    const bool isFree = std::any_of(free.cbegin(), free.cend(), [&](const QDateTime &f) {
        return f >= start && f < end;
    });

    if (!starting.isEmpty() && starting.constFirst()->isOccupying()) {
        cell.state = SlotState::Booked;
        cell.appointmentId = starting.constFirst()->id.value;
        cell.status = starting.constFirst()->status;
    } else if (covering) {
        cell.state = SlotState::Continued;
        cell.appointmentId = covering->id.value;
        cell.status = covering->status;
        lines.prepend(tr("⋮ %1").arg(m_patientNames.value(covering->patient_id.value)));
        tips.prepend(tr("%1 %2 (continued)")
                         .arg(formatRange(*covering, tz),
                              m_patientNames.value(covering->patient_id.value)));
    } else if (isFree) {
        cell.state = SlotState::Free;
        tips.prepend(tr("Free"));
    } else if (!hours.contains(localTime, localEnd)) {
        cell.state = SlotState::Closed;
        tips.prepend(tr("The clinic is closed"));
    } else if (provider && provider->isOffDuring(start, end)) {
        cell.state = SlotState::TimeOff;
        QString reason;
        for (const ProviderTimeOff &off : provider->time_off)
            if (!off.meta.isDeleted() && off.start_at < end && start < off.end_at)
                reason = off.reason;
        lines.prepend(tr("Time off"));
        tips.prepend(reason.isEmpty() ? tr("Time off") : tr("Time off: %1").arg(reason));
    } else if (const QList<ProviderAvailability> windows =
                   provider ? provider->availabilityOn(column.day.dayOfWeek())
                            : QList<ProviderAvailability>();
               std::none_of(windows.cbegin(), windows.cend(), [&](const ProviderAvailability &w) {
                   return w.start_time <= localTime && localEnd <= w.end_time;
               })) {
        cell.state = SlotState::Unavailable;
        tips.prepend(tr("The provider does not see patients at this time"));
    } else {
        cell.state = SlotState::Busy;
        tips.prepend(tr("Partly taken"));
    }
    if (cell.appointmentId.isEmpty() && !starting.isEmpty()) {
        cell.appointmentId = starting.constFirst()->id.value;
        cell.status = starting.constFirst()->status;
        cell.inactiveOnly = true;
    }
    cell.text = lines.join(QLatin1Char('\n'));
    cell.toolTip = tips.join(QStringLiteral("\n\n"));
    return cell;
}

void ScheduleModel::apply(Snapshot next, bool reset)
{
    m_loadError.clear();
    bool providersDiffer = next.providers.size() != m_providers.size() ||
                           next.providerNames != m_providerNames;
    for (int i = 0; !providersDiffer && i < next.providers.size(); ++i)
        providersDiffer = next.providers.at(i).id != m_providers.at(i).id;

    bool sameShape = !reset && next.rows == m_rows && next.columns.size() == m_columns.size();
    for (int c = 0; sameShape && c < next.columns.size(); ++c)
        sameShape = next.columns.at(c).day == m_columns.at(c).day &&
                    next.columns.at(c).provider == m_columns.at(c).provider;

    if (!sameShape) {
        beginResetModel();
        m_clinic = std::move(next.clinic);
        m_providers = std::move(next.providers);
        m_providerNames = std::move(next.providerNames);
        m_columns = std::move(next.columns);
        m_rows = std::move(next.rows);
        m_cells = std::move(next.cells);
        m_appointments = std::move(next.appointments);
        endResetModel();
    } else {
        m_clinic = std::move(next.clinic);
        m_providers = std::move(next.providers);
        m_providerNames = std::move(next.providerNames);
        m_appointments = std::move(next.appointments);
        for (int c = 0; c < m_columns.size(); ++c) {
            if (m_columns.at(c).title != next.columns.at(c).title ||
                m_columns.at(c).toolTip != next.columns.at(c).toolTip) {
                m_columns[c] = next.columns.at(c);
                Q_EMIT headerDataChanged(Qt::Horizontal, c, c);
            }
        }
        static const QList<int> roles{Qt::DisplayRole,    Qt::ToolTipRole,   Qt::BackgroundRole,
                                      Qt::ForegroundRole, Qt::FontRole,      SlotStateRole,
                                      AppointmentIdRole,  AppointmentIdsRole, StatusRole};
        for (int c = 0; c < m_cells.size(); ++c) {
            QList<Cell> &column = m_cells[c];
            const QList<Cell> &incoming = next.cells.at(c);
            int r = 0;
            while (r < column.size()) {
                if (column.at(r) == incoming.at(r)) {
                    ++r;
                    continue;
                }
                const int from = r;
                while (r < column.size() && !(column.at(r) == incoming.at(r))) {
                    column[r] = incoming.at(r);
                    ++r;
                }
                Q_EMIT dataChanged(index(from, c), index(r - 1, c), roles);
            }
        }
    }
    if (providersDiffer)
        Q_EMIT providersChanged();
    Q_EMIT loaded();
}

} // namespace tmdash
