#include "providertimeoffmodel.h"

#include "clock.h"
#include "editablerows.h"

#include <QSet>

#include <tuple>

namespace tmdash {

namespace {

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
    QStringList keys;
    for (int column = 0; column < ProblemColumn; ++column)
        keys << keyOf(column);
    return m_errors.messages(row, keys);
}

QVariant ProviderTimeOffModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Absence &a = m_rows.at(index.row());
    const QString key = keyOf(index.column());
    const QString error = m_errors.message(index.row(), key);
    switch (role) {
    case RowIdRole:
        return a.id.value;
    case ErrorRole:
        return error;
    case Qt::BackgroundRole:
        return error.isEmpty() ? QVariant() : QVariant(EditableRows::errorBackground());
    case Qt::ForegroundRole:
        return index.column() == ProblemColumn ? QVariant(EditableRows::problemForeground())
                                               : QVariant();
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
    return EditableRows::cellFlags(
        *this, index, index.column() != ProblemColumn ? Qt::ItemIsEditable : Qt::NoItemFlags);
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
    m_errors.removeRow(row);
    endRemoveRows();
    Q_EMIT edited();
}

void ProviderTimeOffModel::setErrors(const FieldErrors &errors)
{
    const QSet<int> changed = m_errors.replace(errors, u"time_off", int(m_rows.size()));
    for (int row : changed)
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
