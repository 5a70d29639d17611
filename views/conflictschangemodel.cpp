#include "conflictschangemodel.h"

#include "conflictsfieldmodel.h"
#include "editablerows.h"
#include "recordwriter.h"

#include <QColor>
#include <QFont>

namespace tmdash {

namespace {

const QColor kEditedBackground(0xe6, 0xf4, 0xea);

// Columns a person does not retry with: bookkeeping and what places the record.
bool isShownField(const QString &field)
{
    return !isBookkeepingColumn(field) && field != QLatin1String("deleted_at") &&
           field != QLatin1String("id") && field != QLatin1String("clinic_id");
}

} // namespace

ConflictsChangeModel::ConflictsChangeModel(QObject *parent) : QAbstractTableModel(parent) {}

int ConflictsChangeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConflictsChangeModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConflictsChangeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Line &line = m_rows.at(index.row());
    const bool edited = line.retry != ConflictsFieldModel::editText(line.refused);
    switch (role) {
    case FieldKeyRole:
        return line.field;
    case EditedRole:
        return edited;
    case Qt::BackgroundRole:
        if (index.column() == RetryColumn && !line.problem.isEmpty())
            return EditableRows::errorBackground();
        if (index.column() == RetryColumn && edited)
            return kEditedBackground;
        return {};
    case Qt::FontRole:
        if (index.column() == RefusedColumn) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::ForegroundRole:
        return index.column() == ProblemColumn ? QVariant(EditableRows::problemForeground())
                                               : QVariant();
    case Qt::ToolTipRole:
        return index.column() == ProblemColumn ? line.problem : QVariant();
    case Qt::DisplayRole:
    case Qt::EditRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case FieldColumn:
        return ConflictsFieldModel::fieldName(line.field);
    case BeforeColumn:
        return ConflictsFieldModel::displayValue(line.before);
    case RefusedColumn:
        return ConflictsFieldModel::displayValue(line.refused);
    case RetryColumn:
        return line.retry;
    case ProblemColumn:
        return line.problem;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ConflictsChangeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case FieldColumn:
        return tr("Field");
    case BeforeColumn:
        return tr("Before");
    case RefusedColumn:
        return tr("Refused value");
    case RetryColumn:
        return tr("Retry with (editable)");
    case ProblemColumn:
        return tr("Problem");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags ConflictsChangeModel::flags(const QModelIndex &index) const
{
    return EditableRows::cellFlags(
        *this, index, index.column() == RetryColumn ? Qt::ItemIsEditable : Qt::NoItemFlags);
}

bool ConflictsChangeModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable))
        return false;
    Line &line = m_rows[index.row()];
    if (line.retry == value.toString())
        return true;
    line.retry = value.toString();
    line.problem.clear();
    Q_EMIT dataChanged(
        this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1),
        {Qt::DisplayRole, Qt::EditRole, Qt::BackgroundRole, Qt::ToolTipRole, EditedRole});
    return true;
}

void ConflictsChangeModel::setRejection(const OutboxEntry &entry)
{
    if (entry.mutation_id == m_entry.mutation_id && !m_entry.mutation_id.isEmpty()) {
        m_entry = entry;
        return;
    }
    beginResetModel();
    m_entry = entry;
    m_rows.clear();
    for (auto it = entry.changes.constBegin(); it != entry.changes.constEnd(); ++it) {
        if (!isShownField(it.key()))
            continue;
        Line line;
        line.field = it.key();
        if (entry.op == OutboxOp::Insert) {
            line.refused = it.value();
        } else if (entry.op != OutboxOp::Delete) {
            line.before = it.value().toObject().value(u"old");
            line.refused = it.value().toObject().value(u"new");
        } else {
            continue;
        }
        line.retry = ConflictsFieldModel::editText(line.refused);
        m_rows << line;
    }
    endResetModel();
}

QJsonObject ConflictsChangeModel::edits() const
{
    QJsonObject out;
    for (const Line &line : m_rows)
        if (line.retry != ConflictsFieldModel::editText(line.refused))
            out.insert(line.field,
                       ConflictsFieldModel::valueFromText(line.retry, m_entry.entity, line.field));
    return out;
}

int ConflictsChangeModel::rowOf(const QString &field) const
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).field == field)
            return row;
    return -1;
}

QStringList ConflictsChangeModel::setErrors(const FieldErrors &errors)
{
    QStringList unplaced;
    QList<QString> problems(m_rows.size());
    for (const FieldError &e : errors) {
        const int row = rowOf(e.field);
        if (row < 0) {
            unplaced << e.message;
            continue;
        }
        if (problems[row].isEmpty())
            problems[row] = e.message;
    }
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).problem == problems.at(row))
            continue;
        m_rows[row].problem = problems.at(row);
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                           {Qt::DisplayRole, Qt::BackgroundRole, Qt::ToolTipRole});
    }
    unplaced.removeDuplicates();
    return unplaced;
}

} // namespace tmdash
