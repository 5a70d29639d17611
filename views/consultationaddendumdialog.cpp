#include "consultationaddendumdialog.h"

#include "clock.h"
#include "consultationstore.h"
#include "consultationvalidator.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tmdash {

ConsultationAddendumDialog::ConsultationAddendumDialog(const Database &db, const Principal &who,
                                                       const Consultation &signedNote,
                                                       const ProviderId &author, QWidget *parent)
    : QDialog(parent), m_db(db), m_who(who), m_note(signedNote), m_author(author),
      m_text(new QPlainTextEdit(this)), m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("addendumDialog"));
    setWindowTitle(tr("Add addendum"));
    auto *intro = new QLabel(
        tr("The note of %1 (“%2”) is signed and cannot change. What you write here is added "
           "to the chart as an addendum that refers to it.")
            .arg(signedNote.started_at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                 signedNote.chief_complaint),
        this);
    intro->setWordWrap(true);
    auto *caption = new QLabel(tr("&Addendum:"), this);
    caption->setBuddy(m_text);
    m_text->setObjectName(QStringLiteral("addendumText"));
    m_text->setTabChangesFocus(true);
    m_message->setObjectName(QStringLiteral("addendumMessage"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #b00020"));
    m_message->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("save"));
    m_save->setText(tr("&Save addendum"));
    m_save->setEnabled(false);
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancel"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ConsultationAddendumDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_text, &QPlainTextEdit::textChanged, this, [this] {
        m_save->setEnabled(!m_text->toPlainText().trimmed().isEmpty());
        m_message->hide();
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(caption);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(520, 320);
    m_text->setFocus();
}

void ConsultationAddendumDialog::save()
{
    const QString text = m_text->toPlainText().trimmed();
    if (text.isEmpty())
        return;
    Consultation content;
    content.id = newId<ConsultationId>();
    content.clinic_id = m_note.clinic_id;
    content.patient_id = m_note.patient_id;
    content.provider_id = m_author;
    content.appointment_id = m_note.appointment_id;
    content.started_at = nowUtc();
    content.amends_id = m_note.id;
    QString complaint =
        tr("Addendum to the note of %1: %2")
            .arg(m_note.started_at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd")),
                 m_note.chief_complaint.section(QLatin1Char('\n'), 0, 0));
    if (complaint.size() > kMaxChiefComplaintLength)
        complaint = complaint.left(kMaxChiefComplaintLength - 1) + QChar(0x2026);
    content.chief_complaint = complaint;
    content.history = text;
    auto stored = ConsultationStore(m_db, m_who).addendum(m_note.id, content);
    if (!stored) {
        QStringList lines{tr("The addendum was not saved: %1").arg(stored.error().message)};
        for (const FieldError &e : stored.error().fields)
            lines << e.message;
        lines.removeDuplicates();
        m_message->setText(lines.join(QLatin1Char('\n')));
        m_message->show();
        return;
    }
    m_saved = *stored;
    Q_EMIT saved(m_saved);
    accept();
}

} // namespace tmdash
