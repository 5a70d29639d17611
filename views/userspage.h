#pragma once

#include "database.h"
#include "principal.h"
#include "user.h"

#include <QWidget>

#include <functional>
#include <optional>

class QAction;
class QLabel;
class QTableView;

namespace tmdash {

class UsersAddDialog;
class UsersTableModel;

// The Users tab (admins): the clinic's accounts with their role, status, lockout and TOTP, and
// the actions on the selected account: Add user…, Disable…, Unlock…, Reset TOTP…, each asked for
// again in a window-modal confirmation (objectName "confirmAction") before the store is called.
// An action that does not apply to the selected account (unlocking an account that is not
// locked, disabling one's own account) is disabled. A role that may not read user accounts gets
// only a message (objectName "notPermitted"); one that may read but not manage them gets no
// actions. The stores check again either way.
class UsersPage : public QWidget
{
    Q_OBJECT
public:
    UsersPage(const Database &db, const Principal &who, QWidget *parent = nullptr);

    // False for a role that may not read user accounts: the page shows only a message.
    bool isPermitted() const { return m_model != nullptr; }
    UsersTableModel *usersModel() const { return m_model; }
    QTableView *table() const { return m_table; }
    // Null when the role may not manage users; for the main window's menu otherwise.
    QAction *addUserAction() const { return m_add; }
    QAction *disableAction() const { return m_disable; }
    QAction *unlockAction() const { return m_unlock; }
    QAction *resetTotpAction() const { return m_resetTotp; }

    // Opens an empty UsersAddDialog (window-modal, deleted on close); null when not permitted.
    UsersAddDialog *addUser();

public Q_SLOTS:
    // Accounts changed elsewhere (sync, the command line): the rows in place.
    void refresh();

Q_SIGNALS:
    // An account was added or changed here (for the status bar's pending count).
    void userChanged(const tmdash::User &user);

private:
    std::optional<User> selectedUser() const;
    void selectUser(const UserId &id);
    void updateActions();
    // Asks `question`; on `confirmText` runs `action` on the selected account.
    void confirmThen(const QString &title, const QString &question, const QString &confirmText,
                     const std::function<void(const User &)> &action);
    void disableSelected();
    void unlockSelected();
    void resetTotpSelected();
    void showResult(const QString &done, const Error *error, const std::optional<User> &changed);

    Database m_db;
    Principal m_who;
    UsersTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_message = nullptr;
    QAction *m_add = nullptr;
    QAction *m_disable = nullptr;
    QAction *m_unlock = nullptr;
    QAction *m_resetTotp = nullptr;
};

} // namespace tmdash
