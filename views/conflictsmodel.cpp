#include "conflictsmodel.h"

#include "conflictsfieldmodel.h"

#include <QLocale>
#include <QSet>

#include <algorithm>

namespace tmdash {

QDateTime ConflictsModel::Record::detectedAt() const
{
    return conflicts.isEmpty() ? QDateTime() : conflicts.constFirst().detected_at;
}

ConflictsModel::ConflictsModel(QObject *parent) : QAbstractTableModel(parent) {}

int ConflictsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConflictsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConflictsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Record &r = m_rows.at(index.row());
    if (role == RecordKeyRole)
        return r.key();
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (Column(index.column())) {
    case RecordColumn:
        return r.label;
    case FieldsColumn: {
        QStringList fields;
        for (const SyncConflict &c : r.conflicts)
            fields << ConflictsFieldModel::fieldName(c.field);
        fields.removeDuplicates();
        return fields.join(QStringLiteral(", "));
    }
    case DetectedColumn:
        return QLocale().toString(r.detectedAt().toLocalTime(), QLocale::ShortFormat);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ConflictsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case RecordColumn:
        return tr("Record");
    case FieldsColumn:
        return tr("Fields");
    case DetectedColumn:
        return tr("Found");
    case ColumnCount:
        break;
    }
    return {};
}

QList<ConflictsModel::Record> ConflictsModel::group(const QList<SyncConflict> &conflicts)
{
    QList<Record> out;
    for (const SyncConflict &c : conflicts) {
        const QString key = c.entity + QLatin1Char('/') + c.entity_id;
        auto it = std::find_if(out.begin(), out.end(),
                               [&key](const Record &r) { return r.key() == key; });
        if (it == out.end())
            out << Record{c.entity, c.entity_id, {}, {c}};
        else
            it->conflicts << c;
    }
    return out;
}

int ConflictsModel::rowOf(const QString &key) const
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).key() == key)
            return row;
    return -1;
}

int ConflictsModel::conflictCount() const
{
    int count = 0;
    for (const Record &r : m_rows)
        count += int(r.conflicts.size());
    return count;
}

void ConflictsModel::setRecords(const QList<Record> &records)
{
    QSet<QString> wanted;
    for (const Record &r : records)
        wanted.insert(r.key());
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (wanted.contains(m_rows.at(row).key()))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    // Records keep their place (oldest first); new ones come after.
    for (const Record &r : records) {
        const int row = rowOf(r.key());
        if (row < 0) {
            const int at = int(m_rows.size());
            beginInsertRows({}, at, at);
            m_rows << r;
            endInsertRows();
            continue;
        }
        QStringList before, after;
        for (const SyncConflict &c : std::as_const(m_rows.at(row).conflicts))
            before << c.id;
        for (const SyncConflict &c : r.conflicts)
            after << c.id;
        const bool changed = before != after || m_rows.at(row).label != r.label;
        m_rows[row] = r;
        if (changed)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                               {Qt::DisplayRole, Qt::ToolTipRole});
    }
}

} // namespace tmdash
