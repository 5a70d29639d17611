#include "logindialog.h"

#include "authenticator.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tmdash {

LoginDialog::LoginDialog(const Database &db, QWidget *parent)
    : QDialog(parent), m_db(db), m_email(new QLineEdit(this)), m_password(new QLineEdit(this)),
      m_codeLabel(new QLabel(tr("&Code:"), this)), m_code(new QLineEdit(this)), m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("loginDialog"));
    setWindowTitle(tr("Log in to TMDash Clinic"));
    m_email->setObjectName(QStringLiteral("email"));
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_code->setObjectName(QStringLiteral("code"));
    m_code->setPlaceholderText(tr("6-digit code or a recovery code"));
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #b00020"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Email:"), m_email);
    form->addRow(tr("&Password:"), m_password);
    m_codeLabel->setBuddy(m_code);
    form->addRow(m_codeLabel, m_code);
    // The code is asked for only when the account has TOTP.
    m_codeLabel->hide();
    m_code->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_login = buttons->button(QDialogButtonBox::Ok);
    m_login->setText(tr("&Log in"));
    m_login->setObjectName(QStringLiteral("logIn"));
    connect(buttons, &QDialogButtonBox::accepted, this, &LoginDialog::attempt);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
}

QString LoginDialog::email() const
{
    return m_email->text().trimmed();
}

void LoginDialog::lockTo(const QString &email)
{
    m_email->setText(email);
    m_email->setReadOnly(true);
    setWindowTitle(tr("Session locked"));
    m_message->setText(tr("The session was locked after a while without use. Enter your password to go on."));
    m_message->setStyleSheet(QString());
    m_password->setFocus();
}

void LoginDialog::attempt()
{
    LoginAttempt attempt;
    attempt.email = m_email->text();
    attempt.password = m_password->text();
    attempt.second_factor = m_code->text();
    auto result = Authenticator(m_db).login(attempt);
    if (result) {
        m_password->clear();
        m_principal = *result;
        accept();
        return;
    }
    const Error &error = result.error();
    if (!error.fields.isEmpty() && error.fields.first().field == QLatin1String("totp")) {
        m_codeLabel->show();
        m_code->show();
        m_code->setFocus();
        m_message->setText(error.fields.first().message);
        return;
    }
    m_password->clear();
    m_code->clear();
    m_message->setStyleSheet(QStringLiteral("color: #b00020"));
    m_message->setText(error.message);
    m_password->setFocus();
}

} // namespace tmdash
