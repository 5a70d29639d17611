#pragma once

#include "database.h"
#include "principal.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace tmdash {

// Email, password and (when the account has TOTP) the code, checked by the Authenticator against
// the users of the local database, so logging in works offline. A refused login keeps the dialog
// open with the one message the Authenticator gives for every refusal. For the idle lock the
// email is fixed to the person who was working (lockedTo), and only they can unlock.
class LoginDialog : public QDialog
{
    Q_OBJECT
public:
    explicit LoginDialog(const Database &db, QWidget *parent = nullptr);

    // Unlock mode: only `email` may log in; the field is shown but not editable.
    void lockTo(const QString &email);
    // The logged-in person once the dialog was accepted.
    const Principal &principal() const { return m_principal; }
    QString email() const;

private:
    void attempt();

    Database m_db;
    Principal m_principal;
    QLineEdit *m_email = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_codeLabel = nullptr;
    QLineEdit *m_code = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_login = nullptr;
};

} // namespace tmdash
