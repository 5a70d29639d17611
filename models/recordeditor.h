#pragma once

#include "permissions.h"
#include "storebase.h"

#include <QJsonObject>

#include <optional>

namespace tmdash {

// Applies a person's values to one synced record through the store that owns it, so that the
// permission check, the validation, the audit entry and the outbox row are that store's own: what
// resolving a sync conflict or retrying a refused change writes (syncresolution.h). Owned-list
// rows (allergies, availability, diagnoses, ...) change through their parent's store.
//
// Values are JSON as the command line takes it (any ISO 8601 instant, ...). They are checked
// against the columns first, all failing fields together: an unknown column is Invalid {field,
// "unknown"}, a bookkeeping column {field, "read_only"}, a wrong type {field, "type"}, a value
// the record cannot hold (a name outside an enum, a derived column) {field, "unknown"}; then the
// store validates as on any write. Each call is the store's own transaction (a savepoint inside
// the caller's), so a refused call leaves nothing behind.
class RecordEditor : public StoreBase
{
public:
    using StoreBase::StoreBase;

    // What a person needs to read / to change rows of `table` (an owned list: its parent's
    // action; the problem list: WriteProblemList); nullopt for a table that is not synced.
    static std::optional<Action> readAction(QStringView table);
    static std::optional<Action> writeAction(QStringView table);

    // Sets `fields` (column -> value) on the live record `id` of `table` through the store's
    // update; a new `status` of a record with a state machine (appointments, prescriptions,
    // vitals, consultations: signing) through its transition, after the other fields ("status"
    // "transition" when no action leads there). Users: profile fields through update, `status`
    // disabled through disable, `unlocked_at` through unlock, `totp_enabled` false through
    // disableTotp; secrets are read_only. Append-only records (vitals, prescriptions) refuse
    // other changed fields as "immutable". Values equal to the stored ones write nothing.
    // NotFound when the record is absent, deleted or outside the caller's scope.
    Status setFields(QStringView table, const QString &id, const QJsonObject &fields) const;

    // Creates the record `row` (its columns, `id` required) through the store's create: a vitals
    // row naming replaces_id as a correction, a consultation naming amends_id as an addendum, an
    // owned-list row by adding it to its parent's list. Users (a password is needed) and clinics
    // (the database owner's) are refused: Invalid {"entity", "unsupported"}.
    Status create(QStringView table, const QJsonObject &row) const;

    // Retracts the record the way its store does: a tombstone for patients, providers and draft
    // consultations, an owned-list row leaves its parent's list. Records that are never deleted
    // (appointments, vitals, prescriptions, users, clinics) are Invalid {"entity", "unsupported"}.
    Status remove(QStringView table, const QString &id) const;
};

} // namespace tmdash
