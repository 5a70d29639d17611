#include "appointmentcanceldialog.h"

#include "appointmentstore.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tmdash {

AppointmentCancelDialog::AppointmentCancelDialog(const Database &db, const Principal &who,
                                                 const Appointment &appointment,
                                                 const QString &description, QWidget *parent)
    : QDialog(parent), m_db(db), m_who(who), m_appointment(appointment),
      m_reason(new QLineEdit(this)), m_reasonMessage(new QLabel(this)),
      m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("appointmentCancelDialog"));
    setWindowTitle(tr("Cancel appointment"));
    const QString errorStyle = QStringLiteral("color: #b00020");

    auto *what = new QLabel(description, this);
    what->setObjectName(QStringLiteral("cancelWhat"));
    what->setWordWrap(true);
    auto *label = new QLabel(tr("&Reason for cancelling"), this);
    label->setBuddy(m_reason);
    m_reason->setObjectName(QStringLiteral("cancelReason"));
    m_reason->setPlaceholderText(tr("e.g. patient called, provider ill"));
    m_reasonMessage->setObjectName(QStringLiteral("cancel_reasonMessage"));
    m_reasonMessage->setStyleSheet(errorStyle);
    m_reasonMessage->setWordWrap(true);
    m_reasonMessage->hide();
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setStyleSheet(errorStyle);
    m_message->setWordWrap(true);
    m_message->hide();

    auto *buttons = new QDialogButtonBox(this);
    m_confirm = buttons->addButton(tr("Cancel &appointment"), QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("confirmCancel"));
    m_confirm->setEnabled(false);
    QPushButton *keep = buttons->addButton(tr("&Keep appointment"), QDialogButtonBox::RejectRole);
    keep->setObjectName(QStringLiteral("keep"));
    connect(buttons, &QDialogButtonBox::accepted, this, &AppointmentCancelDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_reason, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_confirm->setEnabled(!text.trimmed().isEmpty());
        m_reasonMessage->hide();
        m_message->hide();
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addWidget(label);
    layout->addWidget(m_reason);
    layout->addWidget(m_reasonMessage);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    m_reason->setFocus();
}

QString AppointmentCancelDialog::messageFor(const QString &field) const
{
    const QLabel *label = field == QLatin1String("cancel_reason") ? m_reasonMessage : m_message;
    return label->isHidden() ? QString() : label->text();
}

void AppointmentCancelDialog::save()
{
    if (!m_confirm->isEnabled())
        return;
    auto stored = AppointmentStore(m_db, m_who).cancel(m_appointment.id, m_reason->text().trimmed());
    if (!stored) {
        QStringList general;
        if (stored.error().fields.isEmpty())
            general << stored.error().message;
        for (const FieldError &e : stored.error().fields) {
            if (e.field == QLatin1String("cancel_reason")) {
                m_reasonMessage->setText(e.message);
                m_reasonMessage->show();
            } else {
                general << e.message;
            }
        }
        m_message->setText(general.join(QLatin1Char('\n')));
        m_message->setVisible(!general.isEmpty());
        return;
    }
    m_saved = *stored;
    Q_EMIT cancelled(m_saved);
    accept();
}

} // namespace tmdash
