#pragma once

#include "database.h"
#include "patient.h"
#include "principal.h"

#include <QMap>
#include <QPointer>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;

namespace tmdash {

class ConsultationsPanel;
class PatientAppointmentsModel;
class PatientForm;
class PrescriptionsPanel;
class VitalsForm;
class VitalsTableModel;
class VitalsTrendChart;

// One patient's chart, in tabs: Demographics (read-only, with Edit for roles that may write
// patients), Vitals (the records as a table, a trend chart of the measurement chosen, and
// "Record vitals" for roles that may write vitals), Consultations (notes, draft editor, sign,
// addenda), Prescriptions (active and past, New prescription with safety alerts, status
// actions) and Appointments (this patient's, read-only). Tabs a role may not read are left out.
class PatientChart : public QWidget
{
    Q_OBJECT
public:
    PatientChart(const Database &db, const Principal &who, const PatientId &patient,
                 QWidget *parent = nullptr);
    ~PatientChart() override;

    PatientId patientId() const { return m_patientId; }
    const Patient &patient() const { return m_patient; }
    QTabWidget *tabs() const { return m_tabs; }
    VitalsTableModel *vitalsModel() const { return m_vitals; }
    VitalsTrendChart *trendChart() const { return m_trend; }
    ConsultationsPanel *consultations() const { return m_consultations; }
    PrescriptionsPanel *prescriptions() const { return m_prescriptions; }
    PatientAppointmentsModel *appointmentsModel() const { return m_appointments; }
    // The open Edit form, if any.
    PatientForm *editForm() const;

    // Open the forms (window-modal, deleted on close) and return them.
    PatientForm *editPatient();
    VitalsForm *recordVitals();

public Q_SLOTS:
    // Re-reads everything the chart shows (after a change here or from sync).
    void refresh();
    // Records changed elsewhere (sync, another window): `ids` are the ids of any changed records
    // (the patient, its vitals, notes, prescriptions, appointments, list rows); the chart re-reads
    // what it shows and updates rows in place. An open Edit form or note with unsaved edits is not
    // overwritten: it shows that its record changed (PatientForm / ConsultationEditor
    // recordChanged); one without edits reloads.
    void recordsChanged(const QStringList &ids);
    // Who else has `recordId` open for editing (the clinic's live presence, wired by the app):
    // shown on the chart and in the open edit form; empty clears it.
    void showOtherEditors(const QString &recordId, const QStringList &names);

Q_SIGNALS:
    // The patient's edit form opened / closed here: the app marks this person as editing the
    // record for the other desktops (presence).
    void editingStarted(const QString &recordId);
    void editingStopped(const QString &recordId);
    // The patient was saved from this chart.
    void patientSaved(const PatientId &patient);
    // The patient's name as a title, after each read.
    void titleChanged(const QString &title);

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildDemographics();
    QWidget *buildVitals();
    QWidget *buildAppointments();
    void loadDemographics();

    Database m_db;
    Principal m_who;
    PatientId m_patientId;
    Patient m_patient;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_heading = nullptr;
    QLabel *m_loadMessage = nullptr;
    QLabel *m_presence = nullptr;
    QMap<QString, QLabel *> m_values; // demographics by field name
    QPushButton *m_edit = nullptr;
    VitalsTableModel *m_vitals = nullptr;
    QTableView *m_vitalsTable = nullptr;
    QComboBox *m_measurement = nullptr;
    VitalsTrendChart *m_trend = nullptr;
    QPushButton *m_record = nullptr;
    ConsultationsPanel *m_consultations = nullptr;
    PrescriptionsPanel *m_prescriptions = nullptr;
    PatientAppointmentsModel *m_appointments = nullptr;
    QTableView *m_appointmentsTable = nullptr;
    QPointer<PatientForm> m_editForm;
};

} // namespace tmdash
