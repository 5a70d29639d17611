#pragma once

#include "database.h"
#include "principal.h"
#include "result.h"

#include <QString>

namespace tmdash {

// How many failed attempts lock an account on this desktop, and for how long (DESIGN.md,
// "Security"). Read from TMDASH_LOCKOUT_ATTEMPTS / TMDASH_LOCKOUT_MINUTES when set.
struct LoginPolicy
{
    int max_failures = 5;
    int lockout_minutes = 15;

    static LoginPolicy fromEnvironment();
};

struct LoginAttempt
{
    QString email;
    QString password;
    // A TOTP code, or one of the account's recovery codes; needed when TOTP is enabled.
    QString second_factor;
    // Which clinic's account is meant when several clinics of this database (a central) have
    // one with this email; not needed otherwise.
    ClinicId clinic;
};

// Password (Argon2id) plus optional TOTP logins against the users stored in this database, so a
// desktop logs people in offline from the synced hashes. Failed attempts, lockout and the last
// accepted TOTP step are kept in the desktop's own login_state table (never synced: a login
// writes no outbox row). Every attempt is audited.
//
// A refused login is NotAuthenticated with one message whatever the reason (unknown email,
// wrong password, locked, disabled, wrong code), so the answer never reveals whether an email
// exists; the audit log holds the reason. The one exception comes after a correct password: an
// account with TOTP enabled answers NotAuthenticated with the field error {"totp", "required"}
// so that the caller can ask for the code.
class Authenticator
{
public:
    explicit Authenticator(const Database &db, LoginPolicy policy = LoginPolicy::fromEnvironment());

    Result<Principal> login(const LoginAttempt &attempt) const;

    // The message of every refused login.
    static QString refusedMessage();

private:
    Database m_db;
    LoginPolicy m_policy;
};

// Stores `user`'s login bookkeeping (failed_logins, locked_until, locked_at, last_login_at,
// totp_last_step) in this database's login_state, which never syncs.
Status writeLoginState(const Database &db, const User &user);

// The principal for a user who has authenticated (or for tests and tools that act as a user
// already known): for the patient role, the patient record linked to the account.
Result<Principal> principalForUser(const Database &db, const User &user);

} // namespace tmdash
