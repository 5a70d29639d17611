#pragma once

#include "result.h"

#include <QString>

namespace tmdash {

// Password hashing for user accounts (DESIGN.md, "Security"): Argon2id through libsodium, in
// libsodium's self-describing string form ("$argon2id$v=19$m=...,t=...,p=...$salt$hash"), with
// at least its "interactive" cost (2 passes over 64 MiB). The password itself is never stored
// or logged. libsodium stays an implementation detail of passwordhash.cpp.

// A new salted hash of `password`; Storage when libsodium cannot start or runs out of memory.
Result<QString> hashPassword(const QString &password);

// Whether `password` matches `hash` (a string made by hashPassword). False for an empty or
// malformed hash. Takes as long as hashing (by design).
bool verifyPassword(const QString &hash, const QString &password);

// Whether `hash` was made with weaker parameters (or another algorithm) than hashPassword uses
// now, so that a login can store a fresh hash.
bool passwordNeedsRehash(const QString &hash);

} // namespace tmdash
