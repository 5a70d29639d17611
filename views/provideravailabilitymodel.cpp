#include "provideravailabilitymodel.h"

#include "clinic.h"
#include "editablerows.h"

#include <QLocale>
#include <QSet>

#include <tuple>

namespace tmdash {

ProviderAvailabilityModel::ProviderAvailabilityModel(QObject *parent) : QAbstractTableModel(parent)
{
}

int ProviderAvailabilityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProviderAvailabilityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::pair<int, QString> ProviderAvailabilityModel::splitField(const QString &field,
                                                              QStringView list)
{
    return RowErrors::splitField(field, list);
}

int ProviderAvailabilityModel::readWeekday(const QString &text)
{
    const QString t = text.trimmed();
    bool number = false;
    const int n = t.toInt(&number);
    if (number)
        return n >= 1 && n <= 7 ? n : 0;
    if (t.size() < 2)
        return 0;
    const QLocale locale;
    for (int day = 1; day <= 7; ++day) {
        for (const QString &name : {locale.dayName(day, QLocale::LongFormat),
                                    locale.dayName(day, QLocale::ShortFormat), weekdayKey(day)})
            if (name.startsWith(t, Qt::CaseInsensitive))
                return day;
    }
    return 0;
}

QString ProviderAvailabilityModel::weekdayName(int isoWeekday)
{
    return QLocale().dayName(isoWeekday, QLocale::LongFormat);
}

std::optional<QTime> ProviderAvailabilityModel::readTime(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    for (const QString &format :
         {QStringLiteral("H:mm"), QStringLiteral("HH:mm"), QStringLiteral("HHmm")}) {
        const QTime time = QTime::fromString(t, format);
        if (time.isValid())
            return time;
    }
    return QTime();
}

QString ProviderAvailabilityModel::keyOf(int column)
{
    switch (column) {
    case WeekdayColumn:
        return QStringLiteral("weekday");
    case StartColumn:
        return QStringLiteral("start_time");
    case EndColumn:
        return QStringLiteral("end_time");
    case RoomColumn:
        return QStringLiteral("room");
    default:
        return {};
    }
}

QString ProviderAvailabilityModel::messagesOf(int row) const
{
    // In column order, then anything else the row was refused for.
    QStringList keys;
    for (int column = 0; column < ProblemColumn; ++column)
        keys << keyOf(column);
    return m_errors.messages(row, keys);
}

QVariant ProviderAvailabilityModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Window &w = m_rows.at(index.row());
    const QString key = keyOf(index.column());
    const QString error = m_errors.message(index.row(), key);
    switch (role) {
    case RowIdRole:
        return w.id.value;
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
    case WeekdayColumn:
        if (const int day = readWeekday(w.weekday); day > 0)
            return weekdayName(day);
        return w.weekday;
    case StartColumn:
        return w.start;
    case EndColumn:
        return w.end;
    case RoomColumn:
        return w.room;
    case ProblemColumn:
        return role == Qt::DisplayRole ? messagesOf(index.row()) : QVariant();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ProviderAvailabilityModel::headerData(int section, Qt::Orientation orientation,
                                               int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case WeekdayColumn:
        return tr("Weekday");
    case StartColumn:
        return tr("From");
    case EndColumn:
        return tr("To");
    case RoomColumn:
        return tr("Room");
    case ProblemColumn:
        return tr("Problem");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags ProviderAvailabilityModel::flags(const QModelIndex &index) const
{
    return EditableRows::cellFlags(
        *this, index, index.column() != ProblemColumn ? Qt::ItemIsEditable : Qt::NoItemFlags);
}

bool ProviderAvailabilityModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable))
        return false;
    Window &w = m_rows[index.row()];
    const QString text = value.toString();
    QString *cell = nullptr;
    switch (Column(index.column())) {
    case WeekdayColumn:
        cell = &w.weekday;
        break;
    case StartColumn:
        cell = &w.start;
        break;
    case EndColumn:
        cell = &w.end;
        break;
    case RoomColumn:
        cell = &w.room;
        break;
    case ProblemColumn:
    case ColumnCount:
        return false;
    }
    if (*cell == text)
        return true;
    *cell = text;
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    Q_EMIT edited();
    return true;
}

void ProviderAvailabilityModel::setWindows(const QList<ProviderAvailability> &windows)
{
    beginResetModel();
    m_rows.clear();
    m_errors.clear();
    for (const ProviderAvailability &a : windows) {
        if (a.meta.isDeleted())
            continue;
        m_rows << Window{a.id,
                         a.meta,
                         QString::number(a.weekday),
                         a.start_time.toString(QStringLiteral("HH:mm")),
                         a.end_time.toString(QStringLiteral("HH:mm")),
                         a.room};
    }
    endResetModel();
}

QList<ProviderAvailability> ProviderAvailabilityModel::windows(FieldErrors &unreadable) const
{
    QList<ProviderAvailability> out;
    for (int i = 0; i < m_rows.size(); ++i) {
        const Window &w = m_rows.at(i);
        const QString prefix = QStringLiteral("availability[%1].").arg(i);
        ProviderAvailability a;
        a.id = w.id;
        a.meta = w.meta;
        a.room = w.room.trimmed();
        a.weekday = readWeekday(w.weekday);
        if (a.weekday == 0 && !w.weekday.trimmed().isEmpty())
            unreadable << FieldError{prefix + QStringLiteral("weekday"), QStringLiteral("format"),
                                     tr("“%1” is not a weekday.").arg(w.weekday)};
        for (const auto &[text, slot, key] :
             {std::tuple{w.start, &a.start_time, QStringLiteral("start_time")},
              std::tuple{w.end, &a.end_time, QStringLiteral("end_time")}}) {
            const std::optional<QTime> read = readTime(text);
            *slot = read.value_or(QTime());
            if (read && !read->isValid())
                unreadable << FieldError{prefix + key, QStringLiteral("format"),
                                         tr("“%1” is not a time; expected e.g. 09:30.").arg(text)};
        }
        out << a;
    }
    return out;
}

int ProviderAvailabilityModel::addWindow()
{
    QSet<int> used;
    for (const Window &w : std::as_const(m_rows))
        used.insert(readWeekday(w.weekday));
    int day = 1;
    while (day < 7 && used.contains(day))
        ++day;
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows << Window{newId<RowId>(),          {}, QString::number(day), QStringLiteral("09:00"),
                     QStringLiteral("17:00"), {}};
    endInsertRows();
    Q_EMIT edited();
    return row;
}

void ProviderAvailabilityModel::removeWindow(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    // Errors name rows by their index: the ones after this row move up by one.
    m_errors.removeRow(row);
    endRemoveRows();
    Q_EMIT edited();
}

void ProviderAvailabilityModel::setErrors(const FieldErrors &errors)
{
    const QSet<int> changed = m_errors.replace(errors, u"availability", int(m_rows.size()));
    for (int row : changed)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                           {Qt::DisplayRole, Qt::BackgroundRole, Qt::ToolTipRole, ErrorRole});
}

void ProviderAvailabilityModel::markSaved(const QList<ProviderAvailability> &stored)
{
    for (int row = 0; row < m_rows.size(); ++row) {
        Window &w = m_rows[row];
        for (const ProviderAvailability &a : stored) {
            if (a.id != w.id)
                continue;
            w.meta = a.meta;
            // As stored: "9:00" reads back as "09:00", "wed" as Wednesday.
            w.weekday = QString::number(a.weekday);
            w.start = a.start_time.toString(QStringLiteral("HH:mm"));
            w.end = a.end_time.toString(QStringLiteral("HH:mm"));
            w.room = a.room;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                               {Qt::DisplayRole, Qt::EditRole, RowIdRole});
        }
    }
}

} // namespace tmdash
