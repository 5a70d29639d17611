#include "userspage.h"

#include "clock.h"
#include "permissions.h"
#include "usersadddialog.h"
#include "userstablemodel.h"
#include "userstore.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace tmdash {

namespace {

const QString kErrorStyle = QStringLiteral("color: #b00020");

} // namespace

UsersPage::UsersPage(const Database &db, const Principal &who, QWidget *parent)
    : QWidget(parent), m_db(db), m_who(who), m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("usersPage"));
    auto *layout = new QVBoxLayout(this);
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);

    if (!principalMay(who, Action::ReadUsers)) {
        auto *refused = new QLabel(tr("Only administrators manage user accounts."), this);
        refused->setObjectName(QStringLiteral("notPermitted"));
        refused->setAlignment(Qt::AlignCenter);
        layout->addWidget(refused);
        m_message->hide();
        return;
    }

    m_model = new UsersTableModel(db, who, this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("usersTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(UsersTableModel::EmailColumn, 240);
    m_table->setColumnWidth(UsersTableModel::NameColumn, 200);
    m_table->setColumnWidth(UsersTableModel::RoleColumn, 90);
    m_table->setColumnWidth(UsersTableModel::StatusColumn, 140);
    m_table->setColumnWidth(UsersTableModel::LockedColumn, 110);
    connect(m_model, &UsersTableModel::loadFailed, m_message, [this](const QString &message) {
        m_message->setStyleSheet(kErrorStyle);
        m_message->setText(tr("The user accounts could not be read: %1").arg(message));
    });

    auto *buttons = new QHBoxLayout;
    if (principalMay(who, Action::ManageUsers)) {
        const auto makeAction = [this, buttons](const QString &text, const char *name) {
            auto *action = new QAction(text, this);
            action->setObjectName(QString::fromLatin1(name));
            auto *button = new QToolButton(this);
            button->setObjectName(QString::fromLatin1(name) + QStringLiteral("Button"));
            button->setDefaultAction(action);
            button->setToolButtonStyle(Qt::ToolButtonTextOnly);
            buttons->addWidget(button);
            return action;
        };
        m_add = makeAction(tr("A&dd user…"), "addUser");
        m_disable = makeAction(tr("D&isable…"), "disableUser");
        m_unlock = makeAction(tr("&Unlock…"), "unlockUser");
        m_resetTotp = makeAction(tr("Reset &TOTP…"), "resetTotp");
        m_add->setToolTip(tr("Create an account for a person of this clinic"));
        connect(m_add, &QAction::triggered, this, [this] { addUser(); });
        connect(m_disable, &QAction::triggered, this, &UsersPage::disableSelected);
        connect(m_unlock, &QAction::triggered, this, &UsersPage::unlockSelected);
        connect(m_resetTotp, &QAction::triggered, this, &UsersPage::resetTotpSelected);
        connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
                &UsersPage::updateActions);
        connect(m_model, &QAbstractItemModel::dataChanged, this, &UsersPage::updateActions);
        connect(m_model, &QAbstractItemModel::rowsRemoved, this, &UsersPage::updateActions);
    }
    buttons->addStretch(1);

    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_message);
    updateActions();
    setFocusProxy(m_table);
}

std::optional<User> UsersPage::selectedUser() const
{
    if (!m_table)
        return std::nullopt;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.size() != 1)
        return std::nullopt;
    return m_model->userAt(rows.first().row());
}

void UsersPage::selectUser(const UserId &id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return;
    m_table->selectRow(row);
    m_table->scrollTo(m_model->index(row, 0));
}

void UsersPage::updateActions()
{
    if (!m_disable)
        return;
    const std::optional<User> user = selectedUser();
    const bool self = user && m_who.isPerson() && user->id == m_who.user_id;
    const bool disabled = user && user->status == UserStatus::Disabled;
    m_disable->setEnabled(user && !self && !disabled);
    m_disable->setToolTip(self ? tr("You cannot disable your own account.")
                               : tr("Switch the selected account off: it can no longer log in"));
    m_unlock->setEnabled(user && (UsersTableModel::isLockedNow(*user, nowUtc()) ||
                                  user->status == UserStatus::Locked));
    m_unlock->setToolTip(tr("End the lockout after too many failed logins"));
    m_resetTotp->setEnabled(user && user->totp_enabled);
    m_resetTotp->setToolTip(
        tr("Switch the second factor off (a lost phone); the person sets it up again"));
}

void UsersPage::refresh()
{
    if (m_model)
        m_model->refresh();
    updateActions();
}

UsersAddDialog *UsersPage::addUser()
{
    if (!m_add || !m_add->isEnabled())
        return nullptr;
    auto *dialog = new UsersAddDialog(m_db, m_who, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &UsersAddDialog::saved, this, [this](const User &user) {
        m_model->userChanged(user);
        selectUser(user.id);
        m_message->setStyleSheet(QString());
        m_message->setText(tr("%1 (%2) was added.").arg(user.displayName(), user.email));
        Q_EMIT userChanged(user);
    });
    dialog->open();
    return dialog;
}

void UsersPage::confirmThen(const QString &title, const QString &question,
                            const QString &confirmText,
                            const std::function<void(const User &)> &action)
{
    const std::optional<User> user = selectedUser();
    if (!user)
        return;
    auto *box =
        new QMessageBox(QMessageBox::Question, title, question, QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("confirmAction"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    QPushButton *confirm = box->addButton(confirmText, QMessageBox::AcceptRole);
    confirm->setObjectName(QStringLiteral("confirm"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancel"));
    box->setDefaultButton(cancel); // Enter does not switch an account off by accident
    const UserId id = user->id;
    connect(box, &QMessageBox::finished, this, [this, box, confirm, id, action] {
        if (box->clickedButton() != confirm)
            return;
        // The account as it is now (sync may have changed it while the question was open).
        auto current = UserStore(m_db, m_who).get(id);
        if (!current) {
            showResult({}, &current.error(), std::nullopt);
            return;
        }
        action(*current);
    });
    box->open();
}

void UsersPage::showResult(const QString &done, const Error *error,
                           const std::optional<User> &changed)
{
    if (error) {
        m_message->setStyleSheet(kErrorStyle);
        m_message->setText(tr("Not done: %1").arg(error->message));
        return;
    }
    m_message->setStyleSheet(QString());
    m_message->setText(done);
    if (changed) {
        m_model->userChanged(*changed);
        Q_EMIT userChanged(*changed);
    }
    updateActions();
}

void UsersPage::disableSelected()
{
    const std::optional<User> user = selectedUser();
    if (!user || !m_disable->isEnabled())
        return;
    confirmThen(tr("Disable user"),
                tr("Disable the account of %1 (%2)? They can no longer log in, on any desktop "
                   "once this has synced.")
                    .arg(user->displayName(), user->email),
                tr("&Disable"), [this](const User &u) {
                    auto done = UserStore(m_db, m_who).disable(u.id);
                    if (!done)
                        showResult({}, &done.error(), std::nullopt);
                    else
                        showResult(tr("%1 was disabled.").arg(u.displayName()), nullptr, *done);
                });
}

void UsersPage::unlockSelected()
{
    const std::optional<User> user = selectedUser();
    if (!user || !m_unlock->isEnabled())
        return;
    confirmThen(tr("Unlock user"),
                tr("End the lockout of %1 (%2) now?").arg(user->displayName(), user->email),
                tr("&Unlock"), [this](const User &u) {
                    auto done = UserStore(m_db, m_who).unlock(u.id);
                    if (!done)
                        showResult({}, &done.error(), std::nullopt);
                    else
                        showResult(tr("%1 was unlocked.").arg(u.displayName()), nullptr, *done);
                });
}

void UsersPage::resetTotpSelected()
{
    const std::optional<User> user = selectedUser();
    if (!user || !m_resetTotp->isEnabled())
        return;
    confirmThen(tr("Reset TOTP"),
                tr("Switch the second factor of %1 (%2) off? Their authenticator app and "
                   "recovery codes stop working; they log in with the password alone until they "
                   "set it up again.")
                    .arg(user->displayName(), user->email),
                tr("&Reset TOTP"), [this](const User &u) {
                    auto done = UserStore(m_db, m_who).disableTotp(u.id);
                    if (!done)
                        showResult({}, &done.error(), std::nullopt);
                    else
                        showResult(tr("The second factor of %1 was reset.").arg(u.displayName()),
                                   nullptr, *done);
                });
}

} // namespace tmdash
