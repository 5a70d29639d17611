#pragma once

#include "result.h"
#include "user.h"

#include <QString>

namespace tmdash {

inline constexpr qsizetype kMinPasswordLength = 12;
inline constexpr qsizetype kMaxPasswordLength = 128;

// Every failing field of `user`: email required and valid, given and family name required and
// at most 100 characters, phone optional but a valid number, failed_logins not negative, and a
// totp_secret when totp_enabled. Uniqueness of the email is the store's to check.
//
// Codes: required, too_long, format, range.
FieldErrors validateUser(const User &user, const QString &defaultCallingCode = QStringLiteral("1"));

// A new password against NIST SP 800-63B §5.1.1.2, every failing rule reported under field
// "password" (the password itself never appears in a message):
// - too_short / too_long: fewer than 12 or more than 128 characters, counted as Unicode code
//   points (an emoji is one character);
// - common_password: on the compiled-in list of 10,000 common passwords
//   (:/reference/common-passwords.txt), compared case-insensitively;
// - contains_email: contains the local part of `email` (before the '@'), case-insensitively;
//   only when that part has at least 3 characters, so that "al@..." does not forbid "al".
//   A "+tag" is also ignored: "jane+clinic@..." forbids "jane+clinic" and "jane".
FieldErrors checkPassword(const QString &password, const QString &email);

// Whether `password` is on the common-password list (case-insensitive).
bool isCommonPassword(const QString &password);

} // namespace tmdash
