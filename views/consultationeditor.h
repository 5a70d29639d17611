#pragma once

#include "consultation.h"
#include "database.h"
#include "principal.h"

#include <QList>
#include <QMap>
#include <QWidget>

#include <optional>

class QAction;
class QCheckBox;
class QFrame;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QToolButton;

namespace tmdash {

// One consultation note: a draft is edited here (chief complaint, history, examination,
// assessment, ICD-10 diagnoses, plan, follow-up) and saved with Save (Ctrl+S) or signed with Sign;
// a signed note is read-only and offers "Add addendum". What is typed is checked by
// validateConsultation as the person types, with the message under the field. Save, Sign and
// Add addendum are only there for roles that may write / sign consultations.
//
// The note is never overwritten under the person's typing: when the stored note changes
// elsewhere (recordChanged) an editor without edits reloads, one with edits shows a banner
// ("recordChanged") whose Review lists the typed and the stored values side by side, to keep the
// typed ones or reload. A save is refused while the stored note differs from the one the typing
// started from, until the person has reviewed.
//
// Editors and their messages are named after the Consultation fields ("plan", "planMessage");
// diagnosis rows "diagnosis<i>Code", "diagnosis<i>Description", "diagnosis<i>Primary",
// "diagnosis<i>Remove", "diagnosis<i>Message".
class ConsultationEditor : public QWidget
{
    Q_OBJECT
public:
    ConsultationEditor(const Database &db, const Principal &who, QWidget *parent = nullptr);

    // The acting user's provider record, for new notes and addenda (none: they cannot be
    // started here).
    void setAuthor(const std::optional<ProviderId> &author) { m_author = author; }

    // Shows a stored note (editable when a draft and the role may write).
    void setConsultation(const Consultation &consultation);
    // A new, unsaved draft for the patient, written by the author.
    void startNew(const PatientId &patient);
    // Nothing selected.
    void clear();

    // The note as stored when it was loaded (or last saved); empty id for a new draft.
    const Consultation &consultation() const { return m_base; }
    bool hasNote() const { return m_hasNote; }
    bool isReadOnly() const { return m_readOnly; }
    // Typed text differs from the stored note (a new draft counts once anything is typed).
    bool hasEdits() const;
    // The message shown for a field (empty when none is shown).
    QString messageFor(const QString &field) const;
    QAction *saveAction() const { return m_saveAction; }

public Q_SLOTS:
    // The stored note as it is now (after a change elsewhere): reloads when nothing is typed,
    // else shows the banner.
    void recordChanged(const Consultation &current);
    // The stored note is gone (a draft deleted elsewhere): the typed text stays, the banner says
    // so.
    void recordRemoved();
    // Saves the draft (create or update); false when refused (the reason is shown).
    bool save();
    // Saves pending edits, then signs.
    bool sign();
    // Opens the addendum dialog for a signed note.
    void addAddendum();

Q_SIGNALS:
    void saved(const Consultation &consultation);
    void noteSigned(const Consultation &consultation);
    void addendumAdded(const Consultation &addendum);
    // Typed text started or stopped differing from the stored note.
    void editsChanged(bool hasEdits);

private:
    struct DiagnosisRow
    {
        RowId id; // empty for a row typed here
        QLineEdit *code = nullptr;
        QLineEdit *description = nullptr;
        QCheckBox *primary = nullptr;
        QToolButton *remove = nullptr;
        QLabel *message = nullptr;
    };

    QWidget *buildBanner();
    void addTextField(QGridLayout *grid, const QString &key, const QString &label, bool multiLine);
    DiagnosisRow &addDiagnosisRow(const ConsultationDiagnosis &diagnosis);
    void removeDiagnosisRow(int index);
    void renameDiagnosisRows();
    void setDiagnoses(const QList<ConsultationDiagnosis> &diagnoses);
    void load(const Consultation &c);
    void applyMode();
    void edited();
    void revalidate();
    // The note as typed, over the loaded one; `diagnosisRows` maps each collected diagnosis to
    // its row on screen.
    Consultation collect(QList<int> *diagnosisRows = nullptr) const;
    // Each editable field as text, as the editors show it.
    static QMap<QString, QString> texts(const Consultation &c);
    QMap<QString, QString> typedTexts() const;
    QString fieldLabel(const QString &key) const;
    void setText(const QString &key, const QString &text);
    void showChanged(const Consultation &current, bool refusedSave);
    void showReview();
    void keepMine();
    void reloadTheirs();
    void hideBanner();
    void storeFailed(const Error &error, const QString &what);

    Database m_db;
    Principal m_who;
    std::optional<ProviderId> m_author;
    Consultation m_base;
    bool m_hasNote = false;
    bool m_readOnly = true;
    bool m_loading = false;
    bool m_hadEdits = false;
    bool m_removedElsewhere = false;
    std::optional<Consultation> m_theirs; // the stored note the banner is about

    QLabel *m_heading = nullptr;
    QWidget *m_body = nullptr;
    QLabel *m_placeholder = nullptr;
    QMap<QString, QLineEdit *> m_lines;
    QMap<QString, QPlainTextEdit *> m_texts;
    QMap<QString, QLabel *> m_messages;
    QMap<QString, QLabel *> m_captions;
    QGridLayout *m_diagnosisGrid = nullptr;
    QList<DiagnosisRow> m_diagnoses;
    QPushButton *m_addDiagnosis = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_sign = nullptr;
    QPushButton *m_addendum = nullptr;
    QAction *m_saveAction = nullptr;

    QFrame *m_banner = nullptr;
    QLabel *m_bannerText = nullptr;
    QPushButton *m_review = nullptr;
    QPushButton *m_keepMine = nullptr;
    QPushButton *m_reload = nullptr;
    QTableWidget *m_reviewTable = nullptr;

    QMap<QString, QString> m_storeErrors; // from the last refused save, until edited
    QString m_failure;
};

} // namespace tmdash
