#pragma once

#include "storebase.h"
#include "user.h"

#include <QList>

namespace tmdash {

// User accounts of a clinic. Emails are unique per clinic, compared case-insensitively and
// ignoring tombstones ("email"/"duplicate"). Passwords are only ever stored as Argon2id hashes
// (passwordhash.h). The login bookkeeping (failed_logins, locked_until, last_login_at) is read
// from the desktop-local login_state table and never written here, so these writes create no
// outbox row for it. Every write validates first, runs in one transaction, and on a desktop
// appends its outbox row; a failed write leaves nothing behind.
class UserStore : public StoreBase
{
public:
    using StoreBase::StoreBase;

    // Creates the user with `password` (checked with checkPassword, errors under "password")
    // hashed into password_hash; any password_hash and login bookkeeping in `user` are ignored.
    // Assigns the id when empty and the clinic (the caller's). Phones are stored in E.164.
    Result<User> create(User user, const QString &password) const;
    // The user with its login bookkeeping; NotFound when absent, deleted or outside the caller's
    // clinic. Every person reads their own account; other accounts need ReadUsers.
    Result<User> get(const UserId &id) const;
    // The live user with this email (case-insensitive) in `clinic`: for a person always their own
    // clinic; for the owner the one given, else the database's only clinic. NotFound otherwise.
    // A person without ReadUsers finds only their own account (NotPermitted for any other).
    Result<User> findByEmail(const QString &email, const ClinicId &clinic = {}) const;
    // Stores profile changes of `edited` (a user as returned by get): email, names, phone, role.
    // The password hash, the status and the TOTP settings are not changed here (setPassword,
    // disable, unlock, enrollTotp/confirmTotp/disableTotp).
    Result<User> update(const User &edited) const;
    // The live users the caller can see, by family name, given name and email.
    Result<QList<User>> list(int limit = -1, int offset = 0) const;

    // Switches the account off (status "disabled", an outbox "state" change). Disabling a
    // disabled user writes nothing.
    Result<User> disable(const UserId &id) const;
    // Replaces the password: checked with checkPassword against the user's email, then hashed.
    // Every person changes their own; other accounts' need ManageUsers.
    Status setPassword(const UserId &id, const QString &password) const;

    // Lifts a lockout: clears this desktop's login bookkeeping of the user and records the
    // unlock (unlocked_at), which syncs, so lockouts begun earlier end on every desktop.
    Result<User> unlock(const UserId &id) const;

    // TOTP (RFC 6238) for the caller's own account. enrollTotp makes a new secret, stores it
    // sealed under the clinic key (clinickey.h; created on this desktop when it has none) with
    // TOTP still off, and returns it once; confirmTotp switches TOTP on when `code` proves the
    // person holds the secret and returns 10 recovery codes, shown once and stored only hashed.
    struct TotpEnrollment
    {
        QString secret; // base32
        QString uri;    // otpauth://totp/TMDash:EMAIL?secret=...&issuer=TMDash
    };
    Result<TotpEnrollment> enrollTotp(const UserId &id) const;
    Result<QStringList> confirmTotp(const UserId &id, const QString &code) const;
    // Switches TOTP off and forgets the secret and recovery codes: the caller's own account, or
    // any account of the clinic for an admin (a reset when the phone is lost).
    Result<User> disableTotp(const UserId &id) const;

private:
    // Whether `id` is the acting person's own account.
    bool isSelf(const UserId &id) const { return m_actor.isPerson() && m_actor.user_id == id; }
    Result<User> load(const Row &row) const;
    // Invalid "email"/"duplicate" when another live user of `clinic` has this email.
    Status checkEmailFree(const ClinicId &clinic, const QString &email, const UserId &self) const;
};

} // namespace tmdash
