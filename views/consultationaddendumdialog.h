#pragma once

#include "consultation.h"
#include "database.h"
#include "principal.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace tmdash {

// "Add addendum" to a signed note: what is typed here becomes a new draft note amending it
// (ConsultationStore::addendum), its chief complaint naming the note it amends and the text as
// its body. The draft can then be completed and signed like any other. A refused save keeps the
// text and says why.
class ConsultationAddendumDialog : public QDialog
{
    Q_OBJECT
public:
    ConsultationAddendumDialog(const Database &db, const Principal &who,
                               const Consultation &signedNote, const ProviderId &author,
                               QWidget *parent = nullptr);

    const Consultation &savedAddendum() const { return m_saved; }

Q_SIGNALS:
    void saved(const Consultation &addendum);

private:
    void save();

    Database m_db;
    Principal m_who;
    Consultation m_note;
    ProviderId m_author;
    QPlainTextEdit *m_text = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_save = nullptr;
    Consultation m_saved;
};

} // namespace tmdash
