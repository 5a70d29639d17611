#pragma once

#include "appointment.h"
#include "clinic.h"
#include "database.h"
#include "principal.h"
#include "provider.h"
#include "result.h"

#include <QDialog>
#include <QMap>
#include <QTimeZone>
#include <QTimer>

#include <optional>

class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QSpinBox;
class QTimeEdit;

namespace tmdash {

// Books an appointment, or changes (reschedules) one: patient (type-ahead search over
// PatientStore::search; fixed when rescheduling), provider, day and start time in the clinic's
// time zone, length, type, room and reason. Beside the time, the free start times of that
// provider, day and length (AppointmentStore::freeSlots, past times left out) are offered; picking
// one sets the time. The store decides: a refused booking (double booking, outside hours, outside
// the provider's availability, time off, ...) shows the store's message under the field it names
// and the dialog stays open with everything typed; editing that field clears the message.
//
// Editors: "patientSearch", "patientResults", "patientChosen" (label), "provider", "day",
// "startTime", "freeSlots", "duration", "type", "room", "reason"; messages "<field>Message" for
// patient_id, provider_id, start_at, duration_minutes, type, room, reason, and "message" for the
// rest; buttons "save" and "cancel".
class AppointmentDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kSearchDelayMs = 60;
    static constexpr int kSearchLimit = 20;

    // Books a new appointment.
    AppointmentDialog(const Database &db, const Principal &who, QWidget *parent = nullptr);
    // Changes `existing` (time, length, provider, type, room, reason); the patient stays.
    AppointmentDialog(const Database &db, const Principal &who, const Appointment &existing,
                      QWidget *parent = nullptr);

    bool isRescheduling() const { return m_existing.has_value(); }
    // Preset choices (e.g. from the schedule's selected slot).
    void setProvider(const ProviderId &provider);
    void setDay(QDate localDay);
    void setStartTime(QTime localTime);
    void setPatient(const PatientId &patient, const QString &displayName);

    PatientId patient() const { return m_patient; }
    // The appointment as stored, once saved.
    const Appointment &savedAppointment() const { return m_saved; }
    // The message shown for a field (see above), or "" when none is shown.
    QString messageFor(const QString &field) const;
    // The offered start times (UTC), as listed.
    QList<QDateTime> suggestions() const;

Q_SIGNALS:
    void saved(const tmdash::Appointment &appointment);

private:
    void build();
    void loadReferenceData();
    void runPatientSearch();
    void choosePatient(QListWidgetItem *item);
    void providerChosen();
    void updateSuggestions();
    void pickSuggestion(QListWidgetItem *item);
    void updateSaveEnabled();
    void setMessage(const QString &field, const QString &message);
    void clearMessage(const QString &field);
    void showError(const Error &error);
    void save();
    const Provider *currentProvider() const;
    QTimeZone zone() const;
    bool eventFilter(QObject *watched, QEvent *event) override;

    Database m_db;
    Principal m_who;
    std::optional<Appointment> m_existing;
    Clinic m_clinic;
    QList<Provider> m_providers;
    PatientId m_patient;
    Appointment m_saved;
    QString m_autoRoom; // the room last filled in from the provider's availability
    bool m_durationEdited = false;

    QLineEdit *m_search = nullptr;
    QListWidget *m_results = nullptr;
    QLabel *m_patientChosen = nullptr;
    QComboBox *m_provider = nullptr;
    QDateEdit *m_day = nullptr;
    QTimeEdit *m_time = nullptr;
    QListWidget *m_suggestions = nullptr;
    QSpinBox *m_duration = nullptr;
    QComboBox *m_type = nullptr;
    QLineEdit *m_room = nullptr;
    QLineEdit *m_reason = nullptr;
    QLabel *m_message = nullptr;
    QMap<QString, QLabel *> m_messages;
    QPushButton *m_save = nullptr;
    QTimer m_searchDelay;
};

} // namespace tmdash
