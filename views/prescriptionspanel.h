#pragma once

#include "database.h"
#include "prescription.h"
#include "principal.h"

#include <QMap>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTableView;

namespace tmdash {

class PrescriptionForm;
class PrescriptionTableModel;

// The Prescriptions tab of a patient's chart: the active (and on hold) prescriptions above the
// past ones, each a PrescriptionTableModel; "New prescription" (PrescriptionForm) and the status
// actions hold / resume / complete / cancel / entered in error on the selected prescription,
// each offered only where the state machine allows it from its status. Roles that may not write
// prescriptions get none of these buttons; prescribing also needs a provider record.
class PrescriptionsPanel : public QWidget
{
    Q_OBJECT
public:
    PrescriptionsPanel(const Database &db, const Principal &who, const PatientId &patient,
                       QWidget *parent = nullptr);

    PrescriptionTableModel *activeModel() const { return m_active; }
    PrescriptionTableModel *pastModel() const { return m_past; }
    QTableView *activeTable() const { return m_activeTable; }
    QTableView *pastTable() const { return m_pastTable; }
    bool isLoaded() const { return m_loaded; }

    // Opens the New prescription dialog (window-modal, deleted on close); null when not offered.
    PrescriptionForm *newPrescription();
    // The selected prescription (in either table), if any.
    std::optional<Prescription> selected() const;
    // Applies an action to the selected prescription (cancel and entered in error ask first);
    // false when not offered or refused (the reason is shown).
    bool apply(PrescriptionAction action);

public Q_SLOTS:
    // Re-reads the patient's prescriptions; rows change in place.
    void refresh();

protected:
    void showEvent(QShowEvent *event) override;

private:
    QTableView *makeTable(PrescriptionTableModel *model, const QString &name);
    void updateActions();
    bool run(const PrescriptionId &id, PrescriptionAction action);
    void showMessage(const QString &message);

    Database m_db;
    Principal m_who;
    PatientId m_patient;
    std::optional<ProviderId> m_prescriber;
    PrescriptionTableModel *m_active = nullptr;
    PrescriptionTableModel *m_past = nullptr;
    QTableView *m_activeTable = nullptr;
    QTableView *m_pastTable = nullptr;
    QPushButton *m_new = nullptr;
    QMap<PrescriptionAction, QPushButton *> m_actions;
    QLabel *m_message = nullptr;
    QTableView *m_selectedIn = nullptr; // the table whose row is the selection
    bool m_loaded = false;
};

} // namespace tmdash
