#include "conflictsrejectionmodel.h"

#include <QColor>
#include <QSet>

namespace tmdash {

ConflictsRejectionModel::ConflictsRejectionModel(QObject *parent) : QAbstractTableModel(parent) {}

int ConflictsRejectionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConflictsRejectionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ConflictsRejectionModel::opName(OutboxOp op)
{
    switch (op) {
    case OutboxOp::Insert:
        return tr("New record");
    case OutboxOp::Update:
        return tr("Changed fields");
    case OutboxOp::State:
        return tr("Status change");
    case OutboxOp::Delete:
        return tr("Removal");
    }
    return {};
}

QVariant ConflictsRejectionModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Rejection &r = m_rows.at(index.row());
    if (role == MutationIdRole)
        return r.entry.mutation_id;
    if (role == Qt::ForegroundRole && index.column() == ReasonColumn)
        return QColor(0xb0, 0x00, 0x20);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (Column(index.column())) {
    case RecordColumn:
        return r.label;
    case ChangeColumn:
        return opName(r.entry.op);
    case ReasonColumn:
        return r.entry.error;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ConflictsRejectionModel::headerData(int section, Qt::Orientation orientation,
                                             int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case RecordColumn:
        return tr("Record");
    case ChangeColumn:
        return tr("Change");
    case ReasonColumn:
        return tr("Why the central refused it");
    case ColumnCount:
        break;
    }
    return {};
}

int ConflictsRejectionModel::rowOf(const QString &mutationId) const
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).entry.mutation_id == mutationId)
            return row;
    return -1;
}

void ConflictsRejectionModel::setRejections(const QList<Rejection> &rejections)
{
    QSet<QString> wanted;
    for (const Rejection &r : rejections)
        wanted.insert(r.entry.mutation_id);
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (wanted.contains(m_rows.at(row).entry.mutation_id))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    // Outbox order: a rejection already shown keeps its row, new ones go where they belong.
    for (int i = 0; i < rejections.size(); ++i) {
        const Rejection &r = rejections.at(i);
        const int row = rowOf(r.entry.mutation_id);
        if (row >= 0) {
            const bool changed =
                m_rows.at(row).entry.error != r.entry.error || m_rows.at(row).label != r.label;
            m_rows[row] = r;
            if (changed)
                Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                                   {Qt::DisplayRole, Qt::ToolTipRole});
            continue;
        }
        int at = 0;
        while (at < m_rows.size() && m_rows.at(at).entry.seq < r.entry.seq)
            ++at;
        beginInsertRows({}, at, at);
        m_rows.insert(at, r);
        endInsertRows();
    }
}

} // namespace tmdash
