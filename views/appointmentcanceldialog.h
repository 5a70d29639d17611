#pragma once

#include "appointment.h"
#include "database.h"
#include "principal.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace tmdash {

// Cancels an appointment, asking for the reason (which the store requires). The store decides;
// a refusal (e.g. the appointment moved on meanwhile) is shown in the dialog with the reason kept.
// Editors: "cancelReason"; messages "cancel_reasonMessage" and "message"; buttons
// "confirmCancel" (enabled once a reason is typed) and "keep".
class AppointmentCancelDialog : public QDialog
{
    Q_OBJECT
public:
    AppointmentCancelDialog(const Database &db, const Principal &who, const Appointment &appointment,
                            const QString &description, QWidget *parent = nullptr);

    const Appointment &savedAppointment() const { return m_saved; }
    QString messageFor(const QString &field) const;

Q_SIGNALS:
    void cancelled(const tmdash::Appointment &appointment);

private:
    void save();

    Database m_db;
    Principal m_who;
    Appointment m_appointment;
    Appointment m_saved;
    QLineEdit *m_reason = nullptr;
    QLabel *m_reasonMessage = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_confirm = nullptr;
};

} // namespace tmdash
