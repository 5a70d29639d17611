#include "userstablemodel.h"

#include "clock.h"
#include "userstore.h"

#include <QColor>
#include <QLocale>
#include <QSet>

#include <tuple>

namespace tmdash {

namespace {

// The store's list order (userstore.h), for placing one account without a re-read.
auto orderKey(const User &u)
{
    return std::make_tuple(u.family_name.toLower(), u.given_name.toLower(), u.email.toLower(),
                           u.id.value);
}

// What the table shows or decides on, to tell a changed account from an unchanged one.
auto shownState(const User &u)
{
    return std::make_tuple(u.email, u.given_name, u.family_name, u.phone, u.role, u.status,
                           u.totp_enabled, u.unlocked_at, u.failed_logins, u.locked_until,
                           u.locked_at, u.last_login_at, u.meta.version, u.meta.updated_at);
}

} // namespace

UsersTableModel::UsersTableModel(const Database &db, const Principal &who, QObject *parent)
    : QAbstractTableModel(parent), m_db(db), m_who(who)
{
}

int UsersTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int UsersTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool UsersTableModel::isLockedNow(const User &u, const QDateTime &now)
{
    if (!u.locked_until || *u.locked_until <= now)
        return false;
    return !(u.unlocked_at && u.locked_at && *u.unlocked_at >= *u.locked_at);
}

QString UsersTableModel::roleName(tmdash::Role role)
{
    switch (role) {
    case tmdash::Role::Admin:
        return tr("Admin");
    case tmdash::Role::Provider:
        return tr("Provider");
    case tmdash::Role::Staff:
        return tr("Staff");
    case tmdash::Role::Patient:
        return tr("Patient");
    }
    return {};
}

QString UsersTableModel::statusName(UserStatus status)
{
    switch (status) {
    case UserStatus::Pending:
        return tr("Not logged in yet");
    case UserStatus::Active:
        return tr("Active");
    case UserStatus::Locked:
        return tr("Locked");
    case UserStatus::Disabled:
        return tr("Disabled");
    }
    return {};
}

QVariant UsersTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const User &u = m_rows.at(index.row());
    const bool locked = isLockedNow(u, nowUtc());
    const bool disabled = u.status == UserStatus::Disabled;
    switch (role) {
    case UserIdRole:
        return u.id.value;
    case LockedRole:
        return locked;
    case DisabledRole:
        return disabled;
    case TotpEnabledRole:
        return u.totp_enabled;
    case Qt::ForegroundRole:
        if (disabled)
            return QColor(0x75, 0x75, 0x75);
        if (locked && index.column() == LockedColumn)
            return QColor(0xb0, 0x00, 0x20);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == LockedColumn && u.failed_logins > 0)
            return tr("%n failed login(s) on this desktop", "", u.failed_logins);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case EmailColumn:
        return u.email;
    case NameColumn:
        return u.displayName();
    case RoleColumn:
        return roleName(u.role);
    case StatusColumn:
        return statusName(u.status);
    case LockedColumn:
        if (!locked)
            return tr("No");
        return tr("Until %1")
            .arg(QLocale().toString(u.locked_until->toLocalTime().time(), QLocale::ShortFormat));
    case TotpColumn:
        return u.totp_enabled ? tr("On") : tr("Off");
    case ColumnCount:
        break;
    }
    return {};
}

QVariant UsersTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case EmailColumn:
        return tr("Email");
    case NameColumn:
        return tr("Name");
    case RoleColumn:
        return tr("Role");
    case StatusColumn:
        return tr("Status");
    case LockedColumn:
        return tr("Locked");
    case TotpColumn:
        return tr("TOTP");
    case ColumnCount:
        break;
    }
    return {};
}

bool UsersTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_loaded && !m_failed;
}

void UsersTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    auto users = UserStore(m_db, m_who).list();
    if (!users) {
        m_failed = true;
        Q_EMIT loadFailed(users.error().message);
        return;
    }
    m_loaded = true;
    apply(*users);
}

int UsersTableModel::rowOf(const UserId &id) const
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).id == id)
            return row;
    return -1;
}

void UsersTableModel::refresh()
{
    auto users = UserStore(m_db, m_who).list();
    if (!users) {
        Q_EMIT loadFailed(users.error().message);
        return;
    }
    m_failed = false;
    m_loaded = true;
    apply(*users);
}

void UsersTableModel::updateRow(int row, const User &user)
{
    if (shownState(m_rows.at(row)) == shownState(user))
        return;
    m_rows[row] = user;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                       {Qt::DisplayRole, Qt::ForegroundRole, Qt::ToolTipRole, LockedRole,
                        DisabledRole, TotpEnabledRole});
}

void UsersTableModel::apply(const QList<User> &users)
{
    QSet<QString> wanted;
    for (const User &u : users)
        wanted.insert(u.id.value);
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (wanted.contains(m_rows.at(row).id.value))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    // What is left is every shown account still there; bring it to the store's order.
    for (int i = 0; i < users.size(); ++i) {
        const User &u = users.at(i);
        if (i < m_rows.size() && m_rows.at(i).id == u.id) {
            updateRow(i, u);
            continue;
        }
        const int from = rowOf(u.id);
        if (from >= 0) {
            beginMoveRows({}, from, from, {}, i);
            m_rows.move(from, i);
            endMoveRows();
            updateRow(i, u);
        } else {
            beginInsertRows({}, i, i);
            m_rows.insert(i, u);
            endInsertRows();
        }
    }
}

void UsersTableModel::userChanged(const User &user)
{
    const int row = rowOf(user.id);
    if (user.meta.deleted_at) {
        if (row >= 0) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
        return;
    }
    if (row >= 0) {
        updateRow(row, user);
        return;
    }
    int at = 0;
    while (at < m_rows.size() && orderKey(m_rows.at(at)) < orderKey(user))
        ++at;
    beginInsertRows({}, at, at);
    m_rows.insert(at, user);
    endInsertRows();
}

} // namespace tmdash
