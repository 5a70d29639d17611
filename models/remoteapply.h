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

    // Defers foreign-key checks to the end of the current transaction.
    Status deferForeignKeys() const;
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
