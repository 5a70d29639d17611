#pragma once

#include "database.h"
#include "prescription.h"
#include "prescriptionvalidator.h"
#include "principal.h"

#include <QDialog>
#include <QList>
#include <QMap>
#include <QSet>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QFrame;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QStandardItemModel;

namespace tmdash {

// "New prescription" over the formulary: search a drug by name or class, choose strength and
// form, then dose, unit, route, frequency, duration, quantity, refills, start date and
// instructions. As the prescription takes shape the form asks PrescriptionStore::alertsFor for
// the interaction, allergy and dose alerts and lists them; an interaction or allergy alert needs
// an override reason typed before Save is enabled, a dose above the maximum cannot be saved at
// all. validatePrescription's messages show under the fields; a refused save keeps everything
// typed and shows the store's messages.
//
// Editors are named after the Prescription fields ("dose_amount", "override_reason"), with
// "<field>Message" under them; the drug search is "drugSearch" over the list "drugList", the
// alerts "alerts" / "alertsText".
class PrescriptionForm : public QDialog
{
    Q_OBJECT
public:
    enum DrugRole { MedicationCodeRole = Qt::UserRole + 1, SearchTextRole };

    PrescriptionForm(const Database &db, const Principal &who, const PatientId &patient,
                     const ProviderId &prescriber, QWidget *parent = nullptr);

    // The formulary as the search filters it (rows carry MedicationCodeRole).
    QSortFilterProxyModel *drugModel() const { return m_drugFilter; }
    // The alerts shown for the prescription as typed now.
    const QList<PrescriptionAlert> &alerts() const { return m_alerts; }
    // An interaction or allergy alert is shown: Save needs an override reason.
    bool needsOverride() const;
    QString messageFor(const QString &field) const;
    // The stored prescription once the dialog was accepted.
    const Prescription &savedPrescription() const { return m_saved; }

Q_SIGNALS:
    void saved(const Prescription &prescription);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QString selectedCode() const;
    void medicationChosen();
    void formChosen();
    void edited(const QString &key);
    void revalidate();
    void refreshAlerts(const Prescription &rx);
    Prescription collect(FieldErrors &unreadable) const;
    void save();

    Database m_db;
    Principal m_who;
    PatientId m_patient;
    ProviderId m_prescriber;
    QStandardItemModel *m_drugs = nullptr;
    QSortFilterProxyModel *m_drugFilter = nullptr;
    QLineEdit *m_search = nullptr;
    QListView *m_drugList = nullptr;
    QLabel *m_medication = nullptr;
    QComboBox *m_strength = nullptr;
    QComboBox *m_form = nullptr;
    QLineEdit *m_dose = nullptr;
    QComboBox *m_unit = nullptr;
    QComboBox *m_route = nullptr;
    QComboBox *m_frequency = nullptr;
    QCheckBox *m_asNeeded = nullptr;
    QLineEdit *m_duration = nullptr;
    QLineEdit *m_quantity = nullptr;
    QSpinBox *m_refills = nullptr;
    QDateEdit *m_start = nullptr;
    QPlainTextEdit *m_instructions = nullptr;
    QFrame *m_alertBox = nullptr;
    QLabel *m_alertText = nullptr;
    QLabel *m_overrideCaption = nullptr;
    QPlainTextEdit *m_override = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_save = nullptr;
    QMap<QString, QLabel *> m_messages;
    QSet<QString> m_touched;
    QMap<QString, QString> m_storeErrors;
    QString m_failure;
    QString m_alertKey; // what the shown alerts were asked for
    QList<PrescriptionAlert> m_alerts;
    bool m_updating = false;
    Prescription m_saved;
};

} // namespace tmdash
