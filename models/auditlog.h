#pragma once

#include "database.h"
#include "ids.h"
#include "principal.h"
#include "result.h"
#include "row.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace tmdash {

// The append-only, hash-chained audit log (DESIGN.md, "Security"; docs/schema.md, audit_log).
//
// Every device keeps one chain: its entries carry device_id, a seq without gaps starting at 1,
// and the hash of that device's previous entry (prev_hash, null for seq 1). A desktop's chain is
// named by its device id (deviceId() in outbox.h). The central keeps one chain per clinic,
// "central:<clinic_id>" ("central" for entries of no clinic): a clinic's connection sees only its
// clinic's rows there (row-level security), so it can extend only a chain it sees whole, and a
// desktop that receives its clinic's entries from the central receives whole chains. Entries that
// arrive from the central or from other desktops keep their own device_id and hashes; they are
// stored as they come, never re-chained, so every device_id is verified as a chain of its own.
//
// hash = lowercase hex SHA-256 over the UTF-8 bytes of one compact JSON array (no whitespace)
// holding every other column in this fixed order:
//
//   [id, device_id, seq, at, actor_id, role, action, entity, entity_id, clinic_id, fields,
//    prev_hash]
//
// Absent values are JSON null. seq is a JSON integer; at is the canonical instant
// "YYYY-MM-DDTHH:MM:SS.sssZ"; ids are lowercase canonical UUID text; fields is the JSON object
// with its keys in sorted order (recursively; Qt's QJsonObject order), so the value hashes the
// same whether it was read from SQLite TEXT or PostgreSQL jsonb.

// What happened. action is one of create, update, delete, state, open_chart, login_succeeded,
// login_failed, login_locked, password_changed, totp_enrolled, totp_enabled, totp_disabled,
// recovery_code_used, unlocked, ... (stable snake_case strings).
struct AuditEvent
{
    QString action;
    QString entity; // table name, e.g. "patients", "vitals", "users"; empty for none
    QString entity_id;
    ClinicId clinic_id; // empty: the acting person's clinic
    // {"changed": [column names]} for writes, {"patient_id": ".."} when the record belongs to a
    // patient, {"email": ".."} for a login attempt of an unknown email. Never clinical free text.
    QJsonObject fields;
};

// One stored entry: the table's columns.
struct AuditEntry
{
    QString id;
    QString device_id;
    qint64 seq = 0;
    QDateTime at;
    UserId actor_id;
    QString role;
    QString action;
    QString entity;
    QString entity_id;
    ClinicId clinic_id;
    QJsonObject fields;
    QString prev_hash;
    QString hash;
};

// The audit_log row of an entry (normalised as row.h says) and back.
Row auditEntryRow(const AuditEntry &entry);
AuditEntry auditEntryFromRow(const Row &row);

// The hash an entry must carry: hex SHA-256 over the canonical serialisation above (the entry's
// own `hash` is ignored).
QString auditEntryHash(const AuditEntry &entry);

// Appends one entry to this device's chain (above): seq = previous seq + 1, prev_hash = previous
// entry's hash, hash as above, at = now. clinic_id: the event's, else the acting person's. Actor:
// a Person principal gives actor_id and role; Owner gives no actor and role "owner"; the Sync
// principal never audits (returns ok without writing). Runs inside the caller's transaction if
// one is open (as a savepoint), else in its own. On PostgreSQL, concurrent writers of a chain are
// serialised by a transaction-scoped advisory lock (pg_advisory_xact_lock), so seq never forks.
Status appendAudit(const Database &db, const Principal &actor, const AuditEvent &event);
// The same for a record write: the names of the columns it changed (never their values) are
// stored as the fields' "changed" array, and the patient the record belongs to, when it has one,
// as their "patient_id". (Every write has one; building them as a QJsonObject cost more than
// storing it.)
Status appendAudit(const Database &db, const Principal &actor, const AuditEvent &event,
                   const QList<QStringView> &changed, const QString &patientId = QString());

// Appends an entry exactly as given (device_id, seq, prev_hash and hash included): how entries
// that arrive from elsewhere are stored, not re-chained. Nothing is checked here; verification
// is verifyAuditLog's job.
Status storeAuditEntry(const Database &db, const AuditEntry &entry);

// The first broken entry of one chain and why: reason is "hash" (the entry's content does not
// match its hash: altered), "prev_hash" (it does not link to the previous entry's hash) or "gap"
// (seqs are missing before it: entries deleted). `message` says it for a person.
struct AuditBreak
{
    QString id;
    QString device_id;
    qint64 seq = 0;
    QString reason;
    QString message;
};

struct AuditVerification
{
    qint64 checked = 0;       // entries looked at, all chains
    QList<AuditBreak> breaks; // the first broken entry of each broken chain; empty when all hold
};

// Walks every device's chain in seq order: recomputes each hash, checks the prev_hash links and
// that seq starts at 1 without gaps. Entries removed from the end of a chain cannot be told
// from entries never written; everything else that changed is named.
Result<AuditVerification> verifyAuditLog(const Database &db);

struct AuditFilter
{
    PatientId patient_id; // entity_id = patient, or fields.patient_id = patient
    UserId actor_id;
    std::optional<QDateTime> since; // at >= since
    int limit = 1000;
};

// Entries of the caller's clinic (every clinic for the database owner), newest first. Needs
// Action::ReadAudit (checked first: NotPermitted).
Result<QList<AuditEntry>> listAudit(const Database &db, const Principal &actor,
                                    const AuditFilter &filter);

} // namespace tmdash
