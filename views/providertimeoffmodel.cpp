#include "providertimeoffmodel.h"

#include "clock.h"
#include "provideravailabilitymodel.h"

#include <QColor>
#include <QSet>

#include <tuple>

namespace tmdash {

namespace {

const QColor kErrorBackground(0xfd, 0xe7, 0xe9);
const QString kLocalFormat = QStringLiteral("yyyy-MM-dd HH:mm");

} // namespace

ProviderTimeOffModel::ProviderTimeOffModel(const QTimeZone &clinicZone, QObject *parent)
    : QAbstractTableModel(parent), m_zone(clinicZone.isValid() ? clinicZone : QTimeZone::utc())
{
}

int ProviderTimeOffModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProviderTimeOffModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::optional<QDateTime> ProviderTimeOffModel::readInstant(const QString &text,
                                                           const QTimeZone &zone)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    for (const QString &format :
         {kLocalFormat, QStringLiteral("yyyy-MM-dd H:mm"), QStringLiteral("yyyy-MM-ddTHH:mm")}) {
        QDateTime local = QDateTime::fromString(t, format);
        if (local.isValid()) {
            local.setTimeZone(zone); // the wall-clock time typed is the clinic's
            return local.toUTC();
        }
    }
    const QDate day = QDate::fromString(t, QStringLiteral("yyyy-MM-dd"));
    if (day.isValid())
        return QDateTime(day, QTime(0, 0), zone).toUTC();
    return QDateTime();
}

QString ProviderTimeOffModel::formatLocal(const QDateTime &utc, const QTimeZone &zone)
{
    return utc.isValid() ? utc.toTimeZone(zone).toString(kLocalFormat) : QString();
}

QString ProviderTimeOffModel::keyOf(int column)
{
    switch (column) {
    case StartColumn:
        return QStringLiteral("start_at");
    case EndColumn:
        return QStringLiteral("end_at");
    case ReasonColumn:
        return QStringLiteral("reason");
    default:
        return {};
    }
}

QString ProviderTimeOffModel::messagesOf(int row) const
{
    const QHash<QString, QString> errors = m_errors.value(row);
    QStringList out;
    for (int column = 0; column < ProblemColumn; ++column)
        if (errors.contains(keyOf(column)))
            out << errors.value(keyOf(column));
    for (auto it = errors.constBegin(); it != errors.constEnd(); ++it)
        if (!out.contains(it.value()))
            out << it.value();
    return out.join(QStringLiteral("; "));
}

QVariant ProviderTimeOffModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Absence &a = m_rows.at(index.row());
    const QString key = keyOf(index.column());
    const QString error = key.isEmpty() ? QString() : m_errors.value(index.row()).value(key);
    switch (role) {
    case RowIdRole:
        return a.id.value;
    case ErrorRole:
        return error;
    case Qt::BackgroundRole:
        return error.isEmpty() ? QVariant() : QVariant(kErrorBackground);
    case Qt::ForegroundRole:
        return index.column() == ProblemColumn ? QVariant(QColor(0xb0, 0x00, 0x20)) : QVariant();
    case Qt::ToolTipRole:
        return index.column() == ProblemColumn ? messagesOf(index.row()) : error;
    case Qt::DisplayRole:
    case Qt::EditRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case StartColumn:
        return a.start;
    case EndColumn:
        return a.end;
    case ReasonColumn:
        return a.reason;
    case ProblemColumn:
        return role == Qt::DisplayRole ? messagesOf(index.row()) : QVariant();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ProviderTimeOffModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case StartColumn:
        return tr("From");
    case EndColumn:
        return tr("Until");
    case ReasonColumn:
        return tr("Reason");
    case ProblemColumn:
        return tr("Problem");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags ProviderTimeOffModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() != ProblemColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

bool ProviderTimeOffModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable))
        return false;
    Absence &a = m_rows[index.row()];
    QString *cell = index.column() == StartColumn ? &a.start
                    : index.column() == EndColumn ? &a.end
                                                  : &a.reason;
    const QString text = value.toString();
    if (*cell == text)
        return true;
    *cell = text;
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    Q_EMIT edited();
    return true;
}

void ProviderTimeOffModel::setTimeOff(const QList<ProviderTimeOff> &timeOff)
{
    beginResetModel();
    m_rows.clear();
    m_errors.clear();
    for (const ProviderTimeOff &t : timeOff)
        if (!t.meta.isDeleted())
            m_rows << Absence{t.id, t.meta, formatLocal(t.start_at, m_zone),
                              formatLocal(t.end_at, m_zone), t.reason};
    endResetModel();
}

QList<ProviderTimeOff> ProviderTimeOffModel::timeOff(FieldErrors &unreadable) const
{
    QList<ProviderTimeOff> out;
    for (int i = 0; i < m_rows.size(); ++i) {
        const Absence &a = m_rows.at(i);
        ProviderTimeOff t;
        t.id = a.id;
        t.meta = a.meta;
        t.reason = a.reason.trimmed();
        const QString prefix = QStringLiteral("time_off[%1].").arg(i);
        for (const auto &[text, instant, key] :
             {std::tuple{a.start, &t.start_at, QStringLiteral("start_at")},
              std::tuple{a.end, &t.end_at, QStringLiteral("end_at")}}) {
            const std::optional<QDateTime> read = readInstant(text, m_zone);
            *instant = read.value_or(QDateTime());
            if (read && !read->isValid())
                unreadable << FieldError{
                    prefix + key, QStringLiteral("format"),
                    tr("“%1” is not a date and time; expected e.g. 2026-05-04 13:30.").arg(text)};
        }
        out << t;
    }
    return out;
}

int ProviderTimeOffModel::addTimeOff()
{
    const QDate tomorrow = nowUtc().toTimeZone(m_zone).date().addDays(1);
    const QDateTime start(tomorrow, QTime(0, 0), m_zone);
    const QDateTime end(tomorrow.addDays(1), QTime(0, 0), m_zone);
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows << Absence{
        newId<RowId>(), {}, start.toString(kLocalFormat), end.toString(kLocalFormat), {}};
    endInsertRows();
    Q_EMIT edited();
    return row;
}

void ProviderTimeOffModel::removeTimeOff(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    QHash<int, QHash<QString, QString>> shifted;
    for (auto it = m_errors.constBegin(); it != m_errors.constEnd(); ++it)
        if (it.key() != row)
            shifted.insert(it.key() > row ? it.key() - 1 : it.key(), it.value());
    m_errors = shifted;
    endRemoveRows();
    Q_EMIT edited();
}

void ProviderTimeOffModel::setErrors(const FieldErrors &errors)
{
    QHash<int, QHash<QString, QString>> next;
    for (const FieldError &e : errors) {
        const auto [row, key] = ProviderAvailabilityModel::splitField(e.field, u"time_off");
        if (row < 0 || row >= m_rows.size() || next.value(row).contains(key))
            continue;
        next[row].insert(key, e.message);
    }
    QSet<int> changed;
    for (auto it = next.constBegin(); it != next.constEnd(); ++it)
        if (m_errors.value(it.key()) != it.value())
            changed.insert(it.key());
    for (auto it = m_errors.constBegin(); it != m_errors.constEnd(); ++it)
        if (!next.contains(it.key()))
            changed.insert(it.key());
    m_errors = next;
    for (int row : std::as_const(changed))
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                           {Qt::DisplayRole, Qt::BackgroundRole, Qt::ToolTipRole, ErrorRole});
}

void ProviderTimeOffModel::markSaved(const QList<ProviderTimeOff> &stored)
{
    for (int row = 0; row < m_rows.size(); ++row) {
        Absence &a = m_rows[row];
        for (const ProviderTimeOff &t : stored) {
            if (t.id != a.id)
                continue;
            a.meta = t.meta;
            a.start = formatLocal(t.start_at, m_zone);
            a.end = formatLocal(t.end_at, m_zone);
            a.reason = t.reason;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                               {Qt::DisplayRole, Qt::EditRole, RowIdRole});
        }
    }
}

} // namespace tmdash
