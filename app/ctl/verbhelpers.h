#pragma once

#include "clinic.h"
#include "ctlcontext.h"
#include "user.h"

#include <QJsonObject>

namespace tmdash {

// Helpers shared by the bootstrap, clinic, user and provider verbs.

// The stored clinic as JSON: its row (business_hours as {"1": {"open": "08:00", "close":
// "17:00"}, ...}, keyed by ISO weekday, closed days absent) with the bookkeeping fields.
QJsonObject clinicJson(const Clinic &clinic);

// The stored user as JSON without its secrets: password_hash and totp_secret never leave the
// program. The desktop-local login bookkeeping (failed_logins, locked_until, last_login_at) is
// included, read-only.
QJsonObject userJson(const User &user);

// A usage error (exit 64) for the first `--option` in ctx.args that is neither in `withValue`
// nor in `flags`, or for an option of `withValue` given without its value; 0 when all are
// known. A mistyped option must not be ignored silently (e.g. `--clinc` adding to the wrong
// clinic).
int checkOptions(const CtlContext &ctx, const QStringList &withValue,
                 const QStringList &flags = {});

} // namespace tmdash
