#pragma once

#include "row.h"
#include "user.h"

namespace tmdash {

// User <-> a row of users (column names = field names). The login bookkeeping (failed_logins,
// locked_until, last_login_at) is per desktop and unsynced: it lives in login_state, never in a
// users row, so toRow leaves it out and userFromRow leaves it at its defaults.
Row toRow(const User &user);
User userFromRow(const Row &row);

// Copies the login bookkeeping of a login_state row into `user`.
void applyLoginState(User &user, const Row &loginStateRow);

} // namespace tmdash
