#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace tmdash {

// Recovery codes: single-use codes that stand in for a TOTP code when the authenticator is lost.
// They are shown to the person once and stored only hashed. Each code is 12 characters of
// Crockford base32 (digits and lower-case letters without i, l, o, u; 60 random bits) shown in
// groups of four, e.g. "k7m2-9xqa-4fpt". On input, case, spaces and dashes are ignored and the
// look-alikes i/l and o are read as 1 and 0.
//
// Hashes are keyed BLAKE2b (libsodium crypto_generichash) with a random 16-byte salt per code,
// stored as "b2$<salt base64>$<hash base64>". 60 random bits cannot be guessed offline the way a
// password can, so a slow hash would add nothing but a slow login (one verification per stored
// code).

struct RecoveryCodes
{
    QStringList codes;  // for the person, shown once
    QStringList hashes; // to store; hashes[i] belongs to codes[i]
};

inline constexpr int kRecoveryCodeCount = 10;

// `count` new distinct codes with their hashes, in the same order.
RecoveryCodes newRecoveryCodes(int count = kRecoveryCodeCount);

// The stored form of one code (a fresh salt each call); empty when `code` is not well formed.
QString hashRecoveryCode(QStringView code);

// The index in `hashes` of the hash `code` matches, nullopt otherwise (also for a malformed code
// or hash). The caller removes that hash so the code cannot be used again.
std::optional<int> matchRecoveryCode(const QStringList &hashes, QStringView code);

} // namespace tmdash
