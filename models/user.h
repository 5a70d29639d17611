#pragma once

#include "enumnames.h"
#include "ids.h"
#include "record.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace tmdash {

// What a user may do; enforced by the stores (DESIGN.md, "Security").
enum class Role { Admin, Provider, Staff, Patient };

template <> struct EnumNames<Role>
{
    static constexpr std::array<std::pair<Role, const char *>, 4> names{{
        {Role::Admin, "admin"},
        {Role::Provider, "provider"},
        {Role::Staff, "staff"},
        {Role::Patient, "patient"},
    }};
};

// pending: created, has not logged in yet; locked: too many failed logins (until locked_until, or
// until an admin unlocks); disabled: switched off by an admin.
enum class UserStatus { Pending, Active, Locked, Disabled };

template <> struct EnumNames<UserStatus>
{
    static constexpr std::array<std::pair<UserStatus, const char *>, 4> names{{
        {UserStatus::Pending, "pending"},
        {UserStatus::Active, "active"},
        {UserStatus::Locked, "locked"},
        {UserStatus::Disabled, "disabled"},
    }};
};

struct User
{
    UserId id;
    ClinicId clinic_id;
    QString email; // unique within the clinic, compared case-insensitively
    QString given_name;
    QString family_name;
    QString phone; // E.164 once stored
    Role role = Role::Staff;
    UserStatus status = UserStatus::Pending;
    QString password_hash; // libsodium Argon2id string ("$argon2id$..."); never the password
    // RFC 6238 shared secret, sealed under the clinic key (clinickey.h); empty until enrolled.
    QString totp_secret;
    bool totp_enabled = false;
    QStringList recovery_codes;             // hashes of the unused TOTP recovery codes
    std::optional<QDateTime> unlocked_at;   // an admin's unlock: voids lockouts begun before it
    // Login bookkeeping: kept per desktop and not synced (DESIGN.md, "The data").
    int failed_logins = 0;
    std::optional<QDateTime> locked_until;
    std::optional<QDateTime> locked_at;
    std::optional<QDateTime> last_login_at;
    std::optional<qint64> totp_last_step;   // the last accepted TOTP step, never accepted again
    RecordMeta meta;

    // "Given Family", skipping an empty part.
    QString displayName() const;
};

} // namespace tmdash
