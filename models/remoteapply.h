#pragma once

#include "database.h"
#include "recordtable.h"
#include "result.h"
#include "row.h"

namespace tmdash {

// The apply-remote path (DESIGN.md): rows arriving from the central are written as the built-in
// sync principal, with no re-validation, no outbox row and no local audit entry, and only when
// the arriving version passes `when` (a pulled change: newer than the stored one). Use inside the
// caller's transaction (the sync engine applies a page of rows and its cursor together); foreign
// keys are checked at commit, so a page may hold children before their parents.
class RemoteApplier
{
public:
    explicit RemoteApplier(const Database &db) : m_db(db) {}

    // Starts applying inside the caller's transaction: foreign keys are checked at commit, and on
    // a desktop the immutability triggers stand aside (the sync_state row 'applying_remote',
    // migration step 3: the central decided those rules). end() removes the mark; call it before
    // every COMMIT (and begin() again when a refused COMMIT leaves the transaction open).
    Status begin() const;
    Status end() const;
    // Writes `row` (a full row of `table`) when its version passes `when`; returns whether it did.
    Result<bool> apply(QStringView table, const Row &row,
                       ReplaceWhen when = ReplaceWhen::Newer) const;
    // The central answered "absent" for a record this desktop created (a rejected insert): the
    // record is removed here too, with the local rows that point at it (none of which the central
    // can have). Returns how many rows were removed.
    Result<int> removeAbsent(QStringView table, const QString &id) const;

private:
    Database m_db;
};

} // namespace tmdash
