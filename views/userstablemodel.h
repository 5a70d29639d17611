#pragma once

#include "database.h"
#include "principal.h"
#include "user.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace tmdash {

// The user accounts of the caller's clinic over UserStore::list, in the store's order (family
// name, given name, email). A clinic has tens of accounts, so the first fetchMore() reads them
// all; refresh() and userChanged() bring the rows in step in place (dataChanged for a changed
// account, rows inserted, moved or removed), never a reset, so the selection survives an action.
class UsersTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        EmailColumn,
        NameColumn,
        RoleColumn,
        StatusColumn,
        LockedColumn,
        TotpColumn,
        ColumnCount
    };
    enum Role {
        UserIdRole = Qt::UserRole + 1, // QString, every column
        LockedRole,                    // bool: a lockout is in force now, every column
        DisabledRole,                  // bool, every column
        TotpEnabledRole,               // bool, every column
    };

    UsersTableModel(const Database &db, const Principal &who, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    const User &userAt(int row) const { return m_rows.at(row); }
    // The row showing the account, or -1.
    int rowOf(const UserId &id) const;

    // Whether a lockout is in force at `now`: it has not run out and no admin unlocked the
    // account after it began (the rule the Authenticator applies).
    static bool isLockedNow(const User &user, const QDateTime &now);
    // "Admin", "Active", ... for people.
    static QString roleName(tmdash::Role role);
    static QString statusName(UserStatus status);

public Q_SLOTS:
    // Re-reads the accounts (after sync brought changes, or another window wrote).
    void refresh();
    // One account as a store call returned it: its row in place, or inserted.
    void userChanged(const tmdash::User &user);

Q_SIGNALS:
    // A read failed; the rows shown stay as they were.
    void loadFailed(const QString &message);

private:
    void apply(const QList<User> &users);
    void updateRow(int row, const User &user);

    Database m_db;
    Principal m_who;
    QList<User> m_rows;
    bool m_loaded = false;
    bool m_failed = false;
};

} // namespace tmdash
