#include "patienttablemodel.h"

#include "clock.h"
#include "patientstore.h"

#include <QHash>

namespace tmdash {

namespace {

// What SQLite's lower() does (ASCII only), as the UTF-8 bytes its BINARY collation compares.
QByteArray asciiLowerUtf8(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    for (char &c : bytes)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return bytes;
}

QString givenNames(const Patient &p)
{
    return p.middle_name.isEmpty() ? p.given_name : p.given_name + QLatin1Char(' ') + p.middle_name;
}

} // namespace

PatientTableModel::PatientTableModel(const Database &db, const Principal &who, QObject *parent)
    : QAbstractTableModel(parent), m_db(db), m_who(who)
{
}

int PatientTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PatientTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString PatientTableModel::sexName(Sex sex)
{
    switch (sex) {
    case Sex::Female:
        return tr("Female");
    case Sex::Male:
        return tr("Male");
    case Sex::Other:
        return tr("Other");
    case Sex::Unknown:
        return tr("Unknown");
    }
    return {};
}

QVariant PatientTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Patient &p = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case MrnColumn:
            return p.mrn;
        case FamilyNameColumn:
            return p.family_name;
        case GivenNameColumn:
            return givenNames(p);
        case BirthDateColumn:
            return p.birth_date ? formatDate(*p.birth_date) : QString();
        case SexColumn:
            return sexName(p.sex);
        case PhoneColumn:
            return p.phone;
        case CityColumn:
            return p.city;
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case MrnColumn:
            return p.mrn.toCaseFolded();
        case FamilyNameColumn:
            return p.family_name.toCaseFolded();
        case GivenNameColumn:
            return givenNames(p).toCaseFolded();
        case BirthDateColumn:
            return p.birth_date ? *p.birth_date : QDate();
        case SexColumn:
            return sexName(p.sex).toCaseFolded();
        case PhoneColumn:
            return p.phone;
        case CityColumn:
            return p.city.toCaseFolded();
        }
        return {};
    case PatientIdRole:
        return p.id.value;
    case Qt::ToolTipRole:
        return p.displayName();
    }
    return {};
}

QVariant PatientTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case MrnColumn:
        return tr("MRN");
    case FamilyNameColumn:
        return tr("Family name");
    case GivenNameColumn:
        return tr("Given name");
    case BirthDateColumn:
        return tr("Birth date");
    case SexColumn:
        return tr("Sex");
    case PhoneColumn:
        return tr("Phone");
    case CityColumn:
        return tr("City");
    }
    return {};
}

bool PatientTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !isSearching() && !m_exhausted && !m_failed;
}

void PatientTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    std::optional<QList<Patient>> fresh = nextPage();
    // A page of patients shown already (moved there by a rename) adds nothing: read on.
    while (fresh && fresh->isEmpty() && !m_exhausted)
        fresh = nextPage();
    if (!fresh || fresh->isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + fresh->size() - 1));
    for (const Patient &p : *fresh)
        m_shown.insert(p.id.value);
    m_rows += *fresh;
    endInsertRows();
}

Result<QList<Patient>> PatientTableModel::readRows(int offset, int count) const
{
    return PatientStore(m_db, m_who).list(count, offset);
}

std::optional<QList<Patient>> PatientTableModel::nextPage()
{
    // The loaded pages end after the store's first m_offset patients, as far as the changes
    // notified so far tell. A change written before its notification arrives (sync, another
    // window) shifts that, so read from a little earlier and start after the boundary key: no
    // patient is skipped, and one seen twice is shown once.
    int start = m_boundary ? std::max(0, m_offset - kOverlap) : 0;
    for (;;) {
        const int count = kPageSize + (m_offset - start);
        auto rows = readRows(start, count);
        if (!rows) {
            // No retry loop from the view: the next reset (search, clearing it) tries again.
            m_failed = true;
            Q_EMIT loadFailed(rows.error().message);
            return std::nullopt;
        }
        qsizetype first = 0;
        if (m_boundary)
            while (first < rows->size() && keyOf(rows->at(first)) <= *m_boundary)
                ++first;
        if (first == 0 && start > 0) { // the prefix shrank by more than the overlap
            start = std::max(0, start - count);
            continue;
        }
        if (first == rows->size() && rows->size() == count) { // it grew by more than a page
            start += count;
            continue;
        }
        m_offset = start + int(rows->size());
        if (rows->size() < count)
            m_exhausted = true;
        QList<Patient> fresh;
        for (qsizetype i = first; i < rows->size(); ++i)
            if (!m_shown.contains(rows->at(i).id.value))
                fresh << rows->at(i);
        if (first < rows->size())
            m_boundary = keyOf(rows->constLast());
        return fresh;
    }
}

void PatientTableModel::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_searchText)
        return;
    QList<Patient> found;
    if (!trimmed.isEmpty()) {
        auto result = PatientStore(m_db, m_who).search(trimmed, kSearchLimit);
        if (!result) {
            Q_EMIT loadFailed(result.error().message);
            return;
        }
        found = *result;
    }
    beginResetModel();
    m_searchText = trimmed;
    m_rows = found;
    m_shown.clear();
    for (const Patient &p : std::as_const(found))
        m_shown.insert(p.id.value);
    m_offset = 0;
    m_boundary.reset();
    m_exhausted = !trimmed.isEmpty();
    m_failed = false;
    if (trimmed.isEmpty())
        loadFirstPage(); // back to the list: no empty table while the view asks for more
    endResetModel();
    if (!trimmed.isEmpty())
        Q_EMIT searchAnswered(int(found.size()));
}

void PatientTableModel::loadFirstPage()
{
    if (const std::optional<QList<Patient>> first = nextPage()) {
        m_rows = *first;
        for (const Patient &p : *first)
            m_shown.insert(p.id.value);
    }
}

int PatientTableModel::rowOf(const QString &patientId) const
{
    if (!m_shown.contains(patientId))
        return -1;
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).id.value == patientId)
            return row;
    return -1;
}

PatientTableModel::SortKey PatientTableModel::keyOf(const Patient &patient)
{
    return {asciiLowerUtf8(patient.family_name), asciiLowerUtf8(patient.given_name),
            patient.id.value.toUtf8()};
}

void PatientTableModel::recordsChanged(const QStringList &patientIds)
{
    if (patientIds.isEmpty())
        return;
    const PatientStore store(m_db, m_who);
    if (isSearching()) {
        // One search answers for every changed patient: whether it still matches, and its row.
        auto result = store.search(m_searchText, kSearchLimit);
        if (!result) {
            Q_EMIT loadFailed(result.error().message);
            return;
        }
        QHash<QString, Patient> matches;
        for (const Patient &p : std::as_const(*result))
            matches.insert(p.id.value, p);
        for (const QString &id : patientIds) {
            const auto it = matches.constFind(id);
            applySearchChange(id, it == matches.constEnd() ? std::nullopt
                                                           : std::optional<Patient>(*it));
        }
        return;
    }
    for (const QString &id : patientIds) {
        auto patient = store.get(PatientId(id));
        if (patient)
            applyBrowsingChange(id, *patient);
        else if (patient.error().code == ErrorCode::NotFound) // deleted or out of scope
            applyBrowsingChange(id, std::nullopt);
        else
            Q_EMIT loadFailed(patient.error().message);
    }
}

void PatientTableModel::applyBrowsingChange(const QString &id, const std::optional<Patient> &now)
{
    const int row = rowOf(id);
    // Keep "the store's first m_offset patients are those up to m_boundary" true, so the next
    // page starts at the right patient: a patient entering or leaving that prefix moves the
    // offset by one. A shown patient whose new name sorts after the boundary stays where it is
    // (in place, as promised) and is skipped when its page comes.
    const bool wasBefore = row >= 0 && m_boundary && keyOf(m_rows.at(row)) <= *m_boundary;
    const bool isBefore = now && m_boundary && keyOf(*now) <= *m_boundary;
    m_offset += int(isBefore) - int(wasBefore);
    if (!now) {
        if (row >= 0)
            removeRow(row);
    } else if (row >= 0) {
        updateRow(row, *now);
    } else if (isBefore || m_exhausted) {
        insertSorted(*now);
    }
    // Otherwise the patient sorts after the loaded pages and arrives with its page.
}

void PatientTableModel::applySearchChange(const QString &id, const std::optional<Patient> &now)
{
    const int row = rowOf(id);
    if (!now) {
        if (row >= 0)
            removeRow(row);
    } else if (row >= 0) {
        updateRow(row, *now);
    } else {
        insertSorted(*now);
    }
}

void PatientTableModel::updateRow(int row, const Patient &patient)
{
    m_rows[row] = patient;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                       {Qt::DisplayRole, Qt::ToolTipRole, SortRole});
}

void PatientTableModel::insertSorted(const Patient &patient)
{
    const SortKey key = keyOf(patient);
    int row = 0;
    while (row < m_rows.size() && keyOf(m_rows.at(row)) <= key)
        ++row;
    beginInsertRows({}, row, row);
    m_rows.insert(row, patient);
    m_shown.insert(patient.id.value);
    endInsertRows();
}

void PatientTableModel::removeRow(int row)
{
    beginRemoveRows({}, row, row);
    m_shown.remove(m_rows.takeAt(row).id.value);
    endRemoveRows();
}

} // namespace tmdash
