#pragma once

#include "ids.h"
#include "result.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace tmdash {

// The clinic key: a libsodium crypto_secretbox key (32 bytes) that encrypts the clinic's TOTP
// secrets. The users table syncs everywhere, but the key does not: each desktop keeps it OUTSIDE
// its database file, one file per clinic in its configuration folder, readable by its owner only
// (folder 0700, file 0600), and receives it (export/import) when it is set up for the clinic. A
// copied database file therefore does not reveal the TOTP secrets; a copy of the whole disk does.
//
// Key files are "<clinicKeyDirectory()>/clinic-<clinic id>.key" holding the key in base64. They
// are written atomically and never replaced: a file appears complete or not at all, and an
// existing key is never overwritten (doing so would make every secret sealed under it unreadable).

// $TMDASH_CONFIG_DIR if set, else QStandardPaths::GenericConfigLocation + "/tmdash".
QString clinicKeyDirectory();

// The key file of `clinic` (whether or not it exists).
QString clinicKeyPath(const ClinicId &clinic);

// The clinic's key. Storage error naming the file and how to import the key when it is missing,
// unreadable or not a 32-byte key; Invalid "clinic_id" when the id is not a UUID.
Result<QByteArray> loadClinicKey(const ClinicId &clinic);

// The clinic's key, creating a random one (and the folder) when there is none yet.
Result<QByteArray> loadOrCreateClinicKey(const ClinicId &clinic);

// The key in base64, for importClinicKey on another desktop of the same clinic.
Result<QString> exportClinicKey(const ClinicId &clinic);

// Stores an exported key. Invalid field "key" code "format" when `base64Key` is not a 32-byte
// key in base64; Invalid field "key" code "conflict" when this desktop already holds a DIFFERENT
// key for the clinic (importing the same key again succeeds and changes nothing).
Status importClinicKey(const ClinicId &clinic, QStringView base64Key);

// `plain` encrypted and authenticated under `key`: "sb1:" + base64(nonce || crypto_secretbox_easy),
// with a fresh random nonce each call. Empty when `key` is not 32 bytes.
QString sealSecret(const QByteArray &key, const QByteArray &plain);

// The plain bytes of a sealSecret text. Integrity error when it was altered, sealed under another
// key, or is not a sealed text at all.
Result<QByteArray> openSecret(const QByteArray &key, QStringView sealed);

} // namespace tmdash
