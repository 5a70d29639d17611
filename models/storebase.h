#pragma once

#include "database.h"
#include "permissions.h"
#include "principal.h"
#include "recordtable.h"
#include "recordwriter.h"
#include "result.h"

namespace tmdash {

// What every store shares: the connection handle, the acting principal, and the clinic scope
// rule (a record outside the caller's clinic behaves as absent).
class StoreBase
{
public:
    StoreBase(const Database &db, const Principal &actor) : m_db(db), m_actor(actor) {}

    const Database &database() const { return m_db; }
    const Principal &actor() const { return m_actor; }

protected:
    // The clinic a new record belongs to: the caller's clinic for a person, else the one given,
    // else the database's only clinic.
    Result<ClinicId> clinicForNewRecord(const ClinicId &given) const;
    // NotPermitted unless the caller's role may perform `action` (checked before anything else,
    // so a refused caller learns nothing about the data).
    Status permit(Action action) const { return requirePermission(m_actor, action); }
    // A stored, not-deleted row of `table` visible to the caller, or NotFound.
    Result<Row> visibleRow(QStringView table, const QString &id, const QString &what) const;
    // Whether the caller may see this row of `table`: same clinic; for the patient role only
    // their own patient record, rows whose patient_id is theirs (signed consultations only),
    // their own user account, and their clinic's row. Out of scope behaves as absent (DESIGN.md,
    // "Security").
    bool inScope(const Row &row, QStringView table) const;
    // The same rule as SQL, for a select on `table`: appends " AND ..." terms to `where` and
    // their values to `binds` (named scope_*), so lists and searches never load what the caller
    // may not see. `clinicColumn` replaces the clinic term's column (e.g. "+clinic_id", a
    // planner hint on SQLite).
    void restrictToScope(QStringView table, QString &where, QVariantMap &binds,
                         const QString &clinicColumn = {}) const;
    // A stored, not-deleted row of `table` in the caller's clinic, without the patient rule: for
    // a record that the caller's own records refer to (e.g. the provider of a patient's own
    // appointments). NotFound otherwise.
    Result<Row> clinicRow(QStringView table, const QString &id, const QString &what) const;
    // A record another one refers to (`field`, e.g. "patient_id") must exist, not deleted, in
    // `clinic` (or the caller's clinic): otherwise Invalid {field, "not_found"}. Checked inside
    // the write's transaction, so a tombstone written meanwhile is seen.
    Status requireReference(QStringView table, const QString &id, const QString &field,
                            const ClinicId &clinic = {}) const;
    RecordWriter writer() const { return RecordWriter(m_db, m_actor); }

    Database m_db;
    Principal m_actor;
};

// Rows of an owned list for one parent, tombstones left out unless asked for.
Result<QList<Row>> childRows(const Database &db, QStringView table, const QString &parentId,
                             bool withTombstones = false);

} // namespace tmdash
