#include "conflictsfieldmodel.h"

#include "editablerows.h"
#include "schema.h"

#include <QColor>
#include <QFont>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSet>

namespace tmdash {

namespace {

const QColor kLocalBackground(0xff, 0xf4, 0xe5);   // this desktop's side
const QColor kCentralBackground(0xe8, 0xf0, 0xfe); // the central's side

} // namespace

ConflictsFieldModel::ConflictsFieldModel(QObject *parent) : QAbstractTableModel(parent) {}

int ConflictsFieldModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConflictsFieldModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ConflictsFieldModel::displayValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::Bool:
        return value.toBool() ? tr("Yes") : tr("No");
    case QJsonValue::Double:
        return QLocale::c().toString(value.toDouble(), 'g', 15);
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

QString ConflictsFieldModel::editText(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return displayValue(value);
}

QJsonValue ConflictsFieldModel::valueFromText(const QString &text, const QString &table,
                                              const QString &field)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return QJsonValue::Null;
    const TableSpec *spec = tableSpec(table);
    const ColumnSpec *column = spec ? spec->column(field) : nullptr;
    if (!column)
        return t;
    switch (column->type) {
    case ColumnType::Integer:
    case ColumnType::Real: {
        bool ok = false;
        double number = QLocale().toDouble(t, &ok);
        if (!ok)
            number = QLocale::c().toDouble(t, &ok);
        return ok ? QJsonValue(number) : QJsonValue(t); // the store names a wrong type
    }
    case ColumnType::Bool: {
        const QString lower = t.toLower();
        if (lower == QLatin1String("true") || lower == tr("yes").toLower())
            return true;
        if (lower == QLatin1String("false") || lower == tr("no").toLower())
            return false;
        return t;
    }
    case ColumnType::Json: {
        const QJsonDocument doc = QJsonDocument::fromJson(t.toUtf8());
        if (doc.isObject())
            return doc.object();
        if (doc.isArray())
            return doc.array();
        return t;
    }
    case ColumnType::Uuid:
    case ColumnType::Text:
    case ColumnType::Date:
    case ColumnType::Instant:
    case ColumnType::Time:
        break;
    }
    return t;
}

QString ConflictsFieldModel::fieldName(const QString &field)
{
    QString name = field;
    name.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!name.isEmpty())
        name[0] = name.at(0).toUpper();
    return name;
}

QString ConflictsFieldModel::entityName(const QString &table)
{
    static const QList<std::pair<QString, const char *>> names{
        {QStringLiteral("clinics"), QT_TR_NOOP("Clinic")},
        {QStringLiteral("users"), QT_TR_NOOP("User")},
        {QStringLiteral("patients"), QT_TR_NOOP("Patient")},
        {QStringLiteral("providers"), QT_TR_NOOP("Provider")},
        {QStringLiteral("appointments"), QT_TR_NOOP("Appointment")},
        {QStringLiteral("vitals"), QT_TR_NOOP("Vitals")},
        {QStringLiteral("consultations"), QT_TR_NOOP("Consultation")},
        {QStringLiteral("prescriptions"), QT_TR_NOOP("Prescription")},
        {QStringLiteral("patient_emergency_contacts"), QT_TR_NOOP("Emergency contact")},
        {QStringLiteral("patient_insurance"), QT_TR_NOOP("Insurance")},
        {QStringLiteral("patient_allergies"), QT_TR_NOOP("Allergy")},
        {QStringLiteral("patient_conditions"), QT_TR_NOOP("Problem list entry")},
        {QStringLiteral("provider_availability"), QT_TR_NOOP("Availability window")},
        {QStringLiteral("provider_time_off"), QT_TR_NOOP("Time off")},
        {QStringLiteral("consultation_diagnoses"), QT_TR_NOOP("Diagnosis")},
    };
    for (const auto &[key, name] : names)
        if (key == table)
            return tr(name);
    return table;
}

QVariant ConflictsFieldModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Line &line = m_rows.at(index.row());
    const SyncConflict &c = line.conflict;
    const bool differs = c.local_value != c.central_value;
    switch (role) {
    case ConflictIdRole:
        return c.id;
    case DiffersRole:
        return differs;
    case Qt::BackgroundRole:
        if (index.column() == MergedColumn && !line.problem.isEmpty())
            return EditableRows::errorBackground();
        if (differs && index.column() == LocalColumn)
            return kLocalBackground;
        if (differs && index.column() == CentralColumn)
            return kCentralBackground;
        return {};
    case Qt::FontRole:
        if (differs && (index.column() == LocalColumn || index.column() == CentralColumn)) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::ForegroundRole:
        return index.column() == ProblemColumn ? QVariant(EditableRows::problemForeground())
                                               : QVariant();
    case Qt::ToolTipRole:
        if (index.column() == MergedColumn)
            return tr("Type the value to keep; blank keeps no value.");
        return index.column() == ProblemColumn ? line.problem : QVariant();
    case Qt::DisplayRole:
    case Qt::EditRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case FieldColumn:
        return fieldName(c.field);
    case LocalColumn:
        return displayValue(c.local_value);
    case CentralColumn:
        return displayValue(c.central_value);
    case MergedColumn:
        return line.merged;
    case ProblemColumn:
        return line.problem;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ConflictsFieldModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case FieldColumn:
        return tr("Field");
    case LocalColumn:
        return tr("This desktop");
    case CentralColumn:
        return tr("Central");
    case MergedColumn:
        return tr("Merged (editable)");
    case ProblemColumn:
        return tr("Problem");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags ConflictsFieldModel::flags(const QModelIndex &index) const
{
    return EditableRows::cellFlags(
        *this, index, index.column() == MergedColumn ? Qt::ItemIsEditable : Qt::NoItemFlags);
}

bool ConflictsFieldModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable))
        return false;
    Line &line = m_rows[index.row()];
    if (line.merged == value.toString())
        return true;
    line.merged = value.toString();
    line.problem.clear(); // said about the text before this edit
    Q_EMIT dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1),
                       {Qt::DisplayRole, Qt::EditRole, Qt::BackgroundRole, Qt::ToolTipRole});
    return true;
}

void ConflictsFieldModel::setConflicts(const QString &entity, const QString &entityId,
                                       const QList<SyncConflict> &conflicts)
{
    if (entity != m_entity || entityId != m_entityId) {
        beginResetModel();
        m_entity = entity;
        m_entityId = entityId;
        m_rows.clear();
        for (const SyncConflict &c : conflicts)
            m_rows << Line{c, editText(c.local_value), {}};
        endResetModel();
        return;
    }
    QSet<QString> open;
    for (const SyncConflict &c : conflicts)
        open.insert(c.id);
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (open.contains(m_rows.at(row).conflict.id))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    for (const SyncConflict &c : conflicts) {
        int row = 0;
        while (row < m_rows.size() && m_rows.at(row).conflict.id != c.id)
            ++row;
        if (row < m_rows.size()) {
            if (m_rows.at(row).conflict.central_value != c.central_value ||
                m_rows.at(row).conflict.local_value != c.local_value) {
                m_rows[row].conflict = c;
                Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                                   {Qt::DisplayRole, Qt::BackgroundRole, DiffersRole});
            }
            continue;
        }
        const int at = int(m_rows.size());
        beginInsertRows({}, at, at);
        m_rows << Line{c, editText(c.local_value), {}};
        endInsertRows();
    }
}

QJsonValue ConflictsFieldModel::mergedValue(int row) const
{
    const Line &line = m_rows.at(row);
    return valueFromText(line.merged, line.conflict.entity, line.conflict.field);
}

void ConflictsFieldModel::setProblem(int row, const QString &message)
{
    if (row < 0 || row >= m_rows.size() || m_rows.at(row).problem == message)
        return;
    m_rows[row].problem = message;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                       {Qt::DisplayRole, Qt::BackgroundRole, Qt::ToolTipRole});
}

void ConflictsFieldModel::clearProblems()
{
    for (int row = 0; row < m_rows.size(); ++row)
        setProblem(row, {});
}

} // namespace tmdash
