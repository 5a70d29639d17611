#pragma once

#include "database.h"
#include "ids.h"
#include "principal.h"
#include "result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

// The central's per-clinic database login roles (migration step 3 on PostgreSQL; DESIGN.md,
// "Security"). A desktop connects to the central as its clinic's LOGIN role; the table
// clinic_roles maps that role (session_user) to the clinic, and row-level security lets the
// connection see and change only that clinic's rows. Nothing of this exists on SQLite.

namespace tmdash {

struct ClinicRole
{
    QString login; // the database role name
    ClinicId clinic_id;
    QDateTime created_at; // UTC, when the mapping was first made
};

// What a clinic login may be called: 1..63 characters of lowercase ASCII letters, digits and
// '_', starting with a letter or '_' (so that it needs no quoting in a URL or in psql), not
// starting with "pg_" (reserved by PostgreSQL) and not one of the group roles (tmdash_clinic,
// tmdash_admin) or a name PostgreSQL reserves (public, none, ...). Errors under "login":
// required, too_long, format, reserved.
FieldErrors validateClinicLogin(const QString &login);

// What a clinic login's password must be: at least 12 characters, printable ASCII only (it is
// kept in a desktop's configuration and typed rarely; a generated one is best, e.g.
// `openssl rand -base64 24`). Errors under "password": required, too_short, format.
FieldErrors validateClinicPassword(const QString &password);

// The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802 / RFC 7677, the format
// of pg_authid.rolpassword): "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>", base64.
// Computed here so that the password itself never reaches the server (nor its statement log,
// nor pg_stat_activity), as psql's \password does. `password` must be printable ASCII, for
// which PostgreSQL's SASLprep is the identity.
QString scramSha256Verifier(const QString &password, const QByteArray &salt, int iterations = 4096);

// Creates the LOGIN role `login` with `password` as a member of tmdash_clinic, grants it
// CONNECT on this database and maps it to `clinic`, in one transaction. Running it again for
// the same clinic and login sets the new password (a rotation). Only the database's owner (the
// Owner principal, on a connection that tmdash_is_admin() accepts and that may create roles)
// does this: NotPermitted otherwise. Invalid: on SQLite (field "db", code "unsupported"), a
// bad login or password (see above), or a login that already exists as any role but this
// clinic's login (field "login", code "duplicate": an existing role of another clinic, or one
// made for something else, is never taken over). NotFound: no such clinic (or a deleted one).
// The DDL is put together by the server (format() with %I and %L), never by splicing.
Result<ClinicRole> createClinicRole(const Database &db, const Principal &actor,
                                    const ClinicId &clinic, const QString &login,
                                    const QString &password);

// The clinic this connection's login role is mapped to (tmdash_session_clinic()): a null id for
// an owner or admin connection, or an unmapped role. Invalid (field "db") on SQLite.
Result<ClinicId> sessionClinic(const Database &db);

} // namespace tmdash
