#pragma once

#include "database.h"
#include "patient.h"
#include "principal.h"
#include "result.h"

#include <QAbstractTableModel>
#include <QByteArray>
#include <QList>
#include <QSet>
#include <QStringList>

#include <optional>
#include <tuple>

namespace tmdash {

// The patients of the caller's clinic as a table over PatientStore, in one of two modes:
//  - browsing (no search text): every patient by name, fetched lazily in pages of kPageSize
//    through canFetchMore()/fetchMore(), so a clinic of 100,000 patients opens at once;
//  - searching: the store's type-ahead search for the text (at most kSearchLimit matches), run
//    on the UI thread because it answers in milliseconds.
// A new search text is a new query, so it resets the model. Changes that arrive afterwards (from
// sync or another window) come in through recordsChanged(), which never resets: changed rows get
// dataChanged in place, new rows are inserted, deleted ones removed, so the view keeps its
// selection and scroll position. Sorting by column is a PatientSortFilterModel's job.
class PatientTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        MrnColumn,
        FamilyNameColumn,
        GivenNameColumn,
        BirthDateColumn,
        SexColumn,
        PhoneColumn,
        CityColumn,
        ColumnCount
    };
    enum Role {
        PatientIdRole = Qt::UserRole + 1, // QString, every column
        SortRole,                         // what a column sorts by (case-folded text, QDate)
    };
    static constexpr int kPageSize = 200;
    // A screenful and more of the best matches: a short prefix matches thousands, and the next
    // keystroke narrows them (the store's search time grows with the limit).
    static constexpr int kSearchLimit = 60;
    // How far before the expected end of the loaded pages the next page is read (see nextPage).
    static constexpr int kOverlap = 50;

    PatientTableModel(const Database &db, const Principal &who, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // Empty (after trimming) switches back to browsing. The same text again does nothing.
    void setSearchText(const QString &text);
    QString searchText() const { return m_searchText; }
    bool isSearching() const { return !m_searchText.isEmpty(); }

    const Patient &patientAt(int row) const { return m_rows.at(row); }
    // The row showing the patient, or -1.
    int rowOf(const QString &patientId) const;

    // "Female", "Male", ... for people.
    static QString sexName(Sex sex);

public Q_SLOTS:
    // Re-reads these patients and brings the rows in step: in place when shown, inserted when
    // new and belonging to what is shown (loaded pages, or the search's matches), removed when
    // deleted, out of scope or no longer matching the search.
    void recordsChanged(const QStringList &patientIds);

Q_SIGNALS:
    // A read failed; the rows shown stay as they were.
    void loadFailed(const QString &message);
    // A search (new text) has been answered with `matches` rows.
    void searchAnswered(int matches);

private:
    // The store's list order (lower(family_name), lower(given_name), id) as comparable bytes:
    // SQLite's lower() folds ASCII only and compares UTF-8 bytes, and so does this key.
    using SortKey = std::tuple<QByteArray, QByteArray, QByteArray>;
    static SortKey keyOf(const Patient &patient);

    // `count` patients of the store's list from `offset`.
    Result<QList<Patient>> readRows(int offset, int count) const;
    // The patients of the next page not shown yet, with the paging bookkeeping updated; nullopt
    // (and loadFailed) when the store fails.
    std::optional<QList<Patient>> nextPage();
    // Inside a reset: the first page of the list.
    void loadFirstPage();
    void applyBrowsingChange(const QString &id, const std::optional<Patient> &now);
    void applySearchChange(const QString &id, const std::optional<Patient> &now);
    void updateRow(int row, const Patient &patient);
    void insertSorted(const Patient &patient);
    void removeRow(int row);

    Database m_db;
    Principal m_who;
    QString m_searchText;
    QList<Patient> m_rows;
    QSet<QString> m_shown; // ids of m_rows
    // Browsing bookkeeping for offset paging that survives changes: the store's first m_offset
    // patients are those whose key is at most m_boundary (the last key fetched), as far as the
    // notified changes tell; nextPage() corrects for changes not notified yet.
    int m_offset = 0;
    std::optional<SortKey> m_boundary;
    bool m_exhausted = false;
    bool m_failed = false;
};

} // namespace tmdash
