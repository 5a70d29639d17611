#pragma once

#include "database.h"
#include "patient.h"
#include "principal.h"

#include <QMap>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;

namespace tmdash {

class PatientForm;
class VitalsForm;
class VitalsTableModel;
class VitalsTrendChart;

// One patient's chart, in tabs: Demographics (read-only, with Edit for roles that may write
// patients) and Vitals (the records as a table, a trend chart of the measurement chosen, and
// "Record vitals" for roles that may write vitals).
class PatientChart : public QWidget
{
    Q_OBJECT
public:
    PatientChart(const Database &db, const Principal &who, const PatientId &patient,
                 QWidget *parent = nullptr);

    PatientId patientId() const { return m_patientId; }
    const Patient &patient() const { return m_patient; }
    QTabWidget *tabs() const { return m_tabs; }
    VitalsTableModel *vitalsModel() const { return m_vitals; }
    VitalsTrendChart *trendChart() const { return m_trend; }

    // Open the forms (window-modal, deleted on close) and return them.
    PatientForm *editPatient();
    VitalsForm *recordVitals();

public Q_SLOTS:
    // Re-reads the demographics and the vitals (after a change here or from sync).
    void refresh();

Q_SIGNALS:
    // The patient was saved from this chart.
    void patientSaved(const PatientId &patient);
    // The patient's name as a title, after each read.
    void titleChanged(const QString &title);

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildDemographics();
    QWidget *buildVitals();
    void loadDemographics();

    Database m_db;
    Principal m_who;
    PatientId m_patientId;
    Patient m_patient;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_heading = nullptr;
    QLabel *m_loadMessage = nullptr;
    QMap<QString, QLabel *> m_values; // demographics by field name
    QPushButton *m_edit = nullptr;
    VitalsTableModel *m_vitals = nullptr;
    QTableView *m_vitalsTable = nullptr;
    QComboBox *m_measurement = nullptr;
    VitalsTrendChart *m_trend = nullptr;
    QPushButton *m_record = nullptr;
};

} // namespace tmdash
