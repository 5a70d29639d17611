#pragma once

#include "database.h"
#include "patient.h"
#include "principal.h"

#include <QDialog>
#include <QList>
#include <QMap>

class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;

namespace tmdash {

// A patient's demographics, new (create) or existing (setPatient, then update). Every editor is
// checked by validatePatient as the person types and its message shown under it once the field
// has been edited; Save stays disabled until the whole record is valid. Before saving, possible
// duplicates (PatientStore::possibleDuplicates: same name and birth date, or same phone) are
// listed with a warning, and the person saves only by choosing "Save anyway". A refused save
// shows the store's messages per field and keeps everything typed.
//
// Editors and their messages are named after the Patient fields ("phone", "phoneMessage").
class PatientForm : public QDialog
{
    Q_OBJECT
public:
    PatientForm(const Database &db, const Principal &who, QWidget *parent = nullptr);

    // Edit mode: starts from `patient` as PatientStore::get returned it (lists included, which
    // the form keeps as they are).
    void setPatient(const Patient &patient);
    bool isEditing() const { return !m_original.id.isNull(); }
    // The stored patient once the dialog was accepted.
    const Patient &savedPatient() const { return m_saved; }
    // The message shown for a field (empty when none is shown).
    QString messageFor(const QString &field) const;

Q_SIGNALS:
    void saved(const Patient &patient);

private:
    struct Field
    {
        QString key;
        QLineEdit *edit = nullptr; // null for the sex combo box
        QLabel *message = nullptr;
        bool touched = false;
    };

    QLineEdit *line(const QString &key) const;
    Patient collect() const;
    void edited(const QString &key);
    void revalidate();
    void save();
    void write(const Patient &patient);
    void showDuplicates(const QList<Patient> &duplicates);
    bool identityChanged(const Patient &patient) const;

    Database m_db;
    Principal m_who;
    QList<Field> m_fields;
    QComboBox *m_sex = nullptr;
    QLabel *m_mrn = nullptr;
    QFrame *m_duplicateBox = nullptr;
    QLabel *m_duplicateText = nullptr;
    QPushButton *m_saveAnyway = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_save = nullptr;
    // Messages from the last refused save, per field, until that field is edited again.
    QMap<QString, QString> m_storeErrors;
    QString m_failure; // why the last save was refused, until the next edit
    Patient m_original;
    Patient m_saved;
};

} // namespace tmdash
