#pragma once

#include "database.h"
#include "principal.h"
#include "vitalranges.h"
#include "vitals.h"

#include <QDialog>
#include <QList>
#include <QMap>

#include <optional>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;

namespace tmdash {

// Records one set of vitals for a patient. Each measurement is typed in the unit chosen beside
// it (°C or °F, kg or lb, cm or in, ...; units.h) and converted to the stored unit; as the person
// types, validateVitals refuses impossible values with its message under the field, and
// possible but abnormal values are flagged beside it (Low, High, Critically high, ...).
// Save stays disabled until at least one measurement is given and nothing is refused.
//
// Editors are named after the measurement keys ("temperature_c"), with "<key>Unit",
// "<key>Flag" and "<key>Message" beside them.
class VitalsForm : public QDialog
{
    Q_OBJECT
public:
    VitalsForm(const Database &db, const Principal &who, const PatientId &patient,
               QWidget *parent = nullptr);

    // The stored record once the dialog was accepted.
    const Vitals &savedVitals() const { return m_saved; }
    // The message shown for a measurement key or "recorded_at" (empty when none is shown).
    QString messageFor(const QString &field) const;

Q_SIGNALS:
    void saved(const Vitals &vitals);

private:
    struct Entry
    {
        Measurement m;
        QLineEdit *value = nullptr;
        QComboBox *unit = nullptr;
        QLabel *flag = nullptr;
        QLabel *message = nullptr;
    };

    // The record as typed, in stored units; values that cannot be read (not a number) are left
    // out and reported in `unreadable`.
    Vitals collect(FieldErrors &unreadable) const;
    void revalidate();
    void save();
    static void showFlag(QLabel *label, std::optional<Flag> flag);

    Database m_db;
    Principal m_who;
    PatientId m_patient;
    QList<Entry> m_entries;
    QDateTimeEdit *m_recordedAt = nullptr;
    QLabel *m_recordedAtMessage = nullptr;
    QLabel *m_bmi = nullptr;
    QLabel *m_bmiFlag = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_save = nullptr;
    QMap<QString, QString> m_storeErrors; // from the last refused save, until edited
    QString m_failure;
    Vitals m_saved;
};

} // namespace tmdash
