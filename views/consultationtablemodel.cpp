#include "consultationtablemodel.h"

#include "consultationstore.h"
#include "permissions.h"
#include "providerstore.h"

#include <QColor>
#include <QFont>

namespace tmdash {

namespace {

// Newest first; notes started at the same instant by id, for a stable order.
bool listedBefore(const Consultation &a, const Consultation &b)
{
    if (a.started_at != b.started_at)
        return a.started_at > b.started_at;
    return a.id.value > b.id.value;
}

} // namespace

ConsultationTableModel::ConsultationTableModel(const Database &db, const Principal &who,
                                               const PatientId &patient, QObject *parent)
    : QAbstractTableModel(parent), m_db(db), m_who(who), m_patient(patient)
{
}

int ConsultationTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConsultationTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ConsultationTableModel::statusName(const Consultation &c)
{
    if (c.isAddendum())
        return c.isSigned() ? tr("Addendum, signed") : tr("Addendum, draft");
    return c.isSigned() ? tr("Signed") : tr("Draft");
}

QVariant ConsultationTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Consultation &c = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case DateColumn:
            return c.started_at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        case ProviderColumn: {
            const QString name = m_providerNames.value(c.provider_id.value);
            return name.trimmed().isEmpty() ? tr("(unnamed provider)") : name;
        }
        case StatusColumn:
            return statusName(c);
        case SummaryColumn:
            return c.chief_complaint.section(QLatin1Char('\n'), 0, 0);
        }
        return {};
    case Qt::ToolTipRole:
        if (c.isSigned() && c.signed_at)
            return tr("Signed %1")
                .arg(c.signed_at->toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        return c.isAddendum() ? tr("An addendum to a signed note") : QVariant();
    case Qt::FontRole:
        if (!c.isSigned()) {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        return {};
    case Qt::ForegroundRole:
        if (!c.isSigned() && index.column() == StatusColumn)
            return QColor(0xa1, 0x4a, 0x00);
        return {};
    case ConsultationIdRole:
        return c.id.value;
    case StatusRole:
        return int(c.status);
    case AmendsIdRole:
        return c.amends_id ? c.amends_id->value : QString();
    case StartedAtRole:
        return c.started_at;
    }
    return {};
}

QVariant ConsultationTableModel::headerData(int section, Qt::Orientation orientation,
                                            int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case DateColumn:
        return tr("Date");
    case ProviderColumn:
        return tr("Provider");
    case StatusColumn:
        return tr("Status");
    case SummaryColumn:
        return tr("Chief complaint");
    }
    return {};
}

bool ConsultationTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_loaded && !m_failed;
}

void ConsultationTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    auto notes = ConsultationStore(m_db, m_who).forPatient(m_patient);
    if (!notes) {
        m_failed = true;
        Q_EMIT loadFailed(notes.error().message);
        return;
    }
    readProviderNames();
    m_loaded = true;
    QList<Consultation> sorted = *notes;
    std::sort(sorted.begin(), sorted.end(), listedBefore);
    if (sorted.isEmpty())
        return;
    beginInsertRows({}, 0, int(sorted.size()) - 1);
    m_rows = sorted;
    endInsertRows();
}

void ConsultationTableModel::readProviderNames()
{
    // Roles that may not read providers see "(unknown provider)".
    if (!principalMay(m_who, Action::ReadProviders))
        return;
    if (auto names = ProviderStore(m_db, m_who).displayNames())
        m_providerNames = *names;
}

int ConsultationTableModel::rowOf(const ConsultationId &id) const
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).id == id)
            return row;
    return -1;
}

const Consultation *ConsultationTableModel::find(const ConsultationId &id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_rows.at(row);
}

void ConsultationTableModel::refresh()
{
    if (!m_loaded) {
        m_failed = false;
        if (canFetchMore({}))
            fetchMore({});
        return;
    }
    auto notes = ConsultationStore(m_db, m_who).forPatient(m_patient);
    if (!notes) {
        Q_EMIT loadFailed(notes.error().message);
        return;
    }
    const QHash<QString, QString> oldNames = m_providerNames;
    readProviderNames();
    QList<ConsultationId> present;
    for (const Consultation &c : std::as_const(*notes)) {
        present << c.id;
        const int row = rowOf(c.id);
        if (row >= 0) {
            const Consultation &old = m_rows.at(row);
            const bool named =
                oldNames.value(c.provider_id.value) == m_providerNames.value(c.provider_id.value);
            if (!changedConsultationFields(old, c).isEmpty() || !named ||
                old.meta.version != c.meta.version || old.meta.updated_at != c.meta.updated_at) {
                m_rows[row] = c;
                Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            }
            continue;
        }
        int at = 0;
        while (at < m_rows.size() && listedBefore(m_rows.at(at), c))
            ++at;
        beginInsertRows({}, at, at);
        m_rows.insert(at, c);
        endInsertRows();
    }
    // Drafts removed (tombstoned) elsewhere, or notes gone out of scope.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (present.contains(m_rows.at(row).id))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
}

} // namespace tmdash
