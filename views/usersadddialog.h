#pragma once

#include "database.h"
#include "principal.h"
#include "user.h"

#include <QDialog>
#include <QList>
#include <QMap>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace tmdash {

// "Add user" for an admin: email, role, names, phone and the first password typed twice. As the
// person types, validateUser and checkPassword (uservalidator.h) say what is wrong under each
// edited field, and a second password that differs is shown under it; Add stays disabled until
// everything passes. A refused save (a taken email, say) shows the store's message under the
// field it names and keeps everything typed.
//
// Editors and their messages are named after the User fields ("email", "emailMessage"), plus
// "password", "password_confirmation" and "role".
class UsersAddDialog : public QDialog
{
    Q_OBJECT
public:
    UsersAddDialog(const Database &db, const Principal &who, QWidget *parent = nullptr);

    // The stored account once the dialog was accepted.
    const User &savedUser() const { return m_saved; }
    // The message shown for a field (empty when none is shown).
    QString messageFor(const QString &field) const;

Q_SIGNALS:
    void saved(const tmdash::User &user);

private:
    struct Field
    {
        QString key;
        QLineEdit *edit = nullptr;
        QLabel *message = nullptr;
        bool touched = false;
    };

    QLineEdit *line(const QString &key) const;
    User collect() const;
    FieldErrors check() const;
    void edited(const QString &key);
    void revalidate();
    void save();

    Database m_db;
    Principal m_who;
    QList<Field> m_fields;
    QComboBox *m_role = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_save = nullptr;
    QMap<QString, QString> m_storeErrors; // from the last refused save, until that field is edited
    QString m_failure;
    User m_saved;
};

} // namespace tmdash
