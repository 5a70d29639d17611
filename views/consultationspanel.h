#pragma once

#include "consultation.h"
#include "database.h"
#include "principal.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTableView;

namespace tmdash {

class ConsultationEditor;
class ConsultationTableModel;

// The Consultations tab of a patient's chart: the notes (ConsultationTableModel) beside the
// editor of the one selected. "New consultation" starts a draft for roles that may write notes
// and have a provider record. Moving to another note while the open one has unsaved edits is
// refused with a message (save, or reload to discard), so typing is never lost.
class ConsultationsPanel : public QWidget
{
    Q_OBJECT
public:
    ConsultationsPanel(const Database &db, const Principal &who, const PatientId &patient,
                       QWidget *parent = nullptr);

    ConsultationTableModel *model() const { return m_model; }
    ConsultationEditor *editor() const { return m_editor; }
    QTableView *table() const { return m_table; }

    // Opens a new draft in the editor; false when not offered (role, no provider record, or
    // unsaved edits in the open note).
    bool newConsultation();
    // Selects and opens a listed note.
    bool openConsultation(const ConsultationId &id);

public Q_SLOTS:
    // Re-reads the notes in place and tells the editor when its note changed.
    void refresh();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void selectionChanged();
    void selectRow(int row);
    void written(const Consultation &consultation);
    void showMessage(const QString &message);

    Database m_db;
    Principal m_who;
    PatientId m_patient;
    std::optional<ProviderId> m_author;
    ConsultationTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    ConsultationEditor *m_editor = nullptr;
    QPushButton *m_new = nullptr;
    QLabel *m_message = nullptr;
    bool m_reselecting = false;
    bool m_shown = false;
};

} // namespace tmdash
