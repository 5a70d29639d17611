#pragma once

#include "database.h"
#include "patient.h"
#include "principal.h"

#include <QDialog>
#include <QList>
#include <QMap>

#include <optional>

class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace tmdash {

// A patient's demographics, new (create) or existing (setPatient, then update). Every editor is
// checked by validatePatient as the person types and its message shown under it once the field
// has been edited; Save stays disabled until the whole record is valid. Before saving, possible
// duplicates (PatientStore::possibleDuplicates: same name and birth date, or same phone) are
// listed with a warning, and the person saves only by choosing "Save anyway". A refused save
// shows the store's messages per field and keeps everything typed.
//
// Editing is never overwritten under the person's typing: when the stored patient changes
// elsewhere (recordChanged, called by the chart) a form without edits reloads, one with edits
// shows a banner ("recordChanged") whose Review lists the typed and the stored values side by
// side; the person keeps their text (fields they did not touch take the stored values) or
// reloads. A save is refused, and the banner shown, while the stored patient differs from the
// one the typing started from; what the form does not edit (lists, notes) is always written as
// stored now, so a change made there elsewhere is never undone.
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
    // Typed values differ from the patient as loaded (edit mode).
    bool hasEdits() const;

public Q_SLOTS:
    // The stored patient as it is now, after a change elsewhere: reloads when nothing is typed,
    // else shows the banner. Ignored for a new patient or another patient.
    void recordChanged(const Patient &current);
    // Who else has this record open for editing (from the clinic's live presence); empty hides
    // the notice.
    void showOtherEditors(const QStringList &names);

Q_SIGNALS:
    void saved(const Patient &patient);

private:
    QLabel *m_presence = nullptr;
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
    void write(const Patient &typed);
    void showDuplicates(const QList<Patient> &duplicates);
    bool identityChanged(const Patient &patient) const;
    // The edited fields as the editors show them ("sex" as its stored name).
    static QMap<QString, QString> texts(const Patient &patient);
    QMap<QString, QString> typedTexts() const;
    QWidget *buildBanner();
    void showChanged(const Patient &current, bool refusedSave);
    void showReview();
    void keepMine();
    void reloadTheirs();
    void hideBanner();

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
    QMap<QString, QString> m_labels; // field -> caption, for the review
    std::optional<Patient> m_theirs; // the stored patient the banner is about
    QFrame *m_banner = nullptr;
    QLabel *m_bannerText = nullptr;
    QPushButton *m_review = nullptr;
    QPushButton *m_keepMine = nullptr;
    QPushButton *m_reload = nullptr;
    QTableWidget *m_reviewTable = nullptr;
};

} // namespace tmdash
