#pragma once

#include "database.h"
#include "principal.h"

#include <QTimer>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QTabWidget;
class QTableView;

namespace tmdash {

class PatientChart;
class PatientForm;
class PatientSortFilterModel;
class PatientTableModel;

// The Patients tab: type-ahead search over the clinic's patients, the sortable table, "New
// patient" (Ctrl+N) and the open charts as tabs beside the list (Enter or double-click on a row
// opens one; Ctrl+W closes it). Charts live inside this page, so hiding the main window's tabs
// (idle lock) hides them too.
class PatientsPage : public QWidget
{
    Q_OBJECT
public:
    // How long typing must pause before the search runs: short enough to feel immediate, long
    // enough not to search for every letter of a fast typist.
    static constexpr int kSearchDelayMs = 20;

    PatientsPage(const Database &db, const Principal &who, QWidget *parent = nullptr);
    ~PatientsPage() override;

    PatientTableModel *patientModel() const { return m_model; }
    PatientSortFilterModel *sortModel() const { return m_sort; }
    QTableView *table() const { return m_table; }
    QAction *newPatientAction() const { return m_newPatient; }
    QAction *findPatientAction() const { return m_findPatient; }
    QAction *closeChartAction() const { return m_closeChart; }

    // Shows the patient's chart, opening it when it is not open yet.
    PatientChart *openChart(const PatientId &patient);
    PatientChart *chartFor(const PatientId &patient) const;
    // Opens an empty PatientForm (window-modal, deleted on close); null for roles that may not
    // write patients.
    PatientForm *newPatient();

public Q_SLOTS:
    // Records changed elsewhere (sync, another window), ids of any entity: the table's patient
    // rows in place, and every open chart brings what it shows in step.
    void recordsChanged(const QStringList &ids);
    // Who else edits a record (presence): passed to the open charts.
    void showOtherEditors(const QString &recordId, const QStringList &names);

Q_SIGNALS:
    // A record's edit form opened / closed in one of the charts (PatientChart).
    void editingStarted(const QString &recordId);
    void editingStopped(const QString &recordId);

private:
    void runSearch();
    void activateRow(const QModelIndex &index);
    void closeChartTab(int index);
    void selectPatient(const PatientId &patient);
    bool eventFilter(QObject *watched, QEvent *event) override;

    Database m_db;
    Principal m_who;
    PatientTableModel *m_model = nullptr;
    PatientSortFilterModel *m_sort = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_status = nullptr;
    QTableView *m_table = nullptr;
    QAction *m_newPatient = nullptr;
    QAction *m_findPatient = nullptr;
    QAction *m_closeChart = nullptr;
    QTimer m_searchDelay;
};

} // namespace tmdash
