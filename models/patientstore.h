#pragma once

#include "patient.h"
#include "storebase.h"

#include <QList>

namespace tmdash {

// Patients with their owned lists (emergency contacts, insurance, allergies, conditions).
// Every write validates with validatePatient, runs in one transaction, and on a desktop appends
// one outbox row per changed record; a failed write leaves nothing behind. Reads need
// ReadPatients, writes WritePatients (permissions.h), checked before anything else; a create,
// update or removal that would change the problem list (conditions) also needs WriteProblemList
// and is refused as a whole without it. The patient role sees only its own record.
class PatientStore : public StoreBase
{
public:
    using StoreBase::StoreBase;

    // Creates the patient and its lists. Assigns the id when empty, the clinic (the caller's),
    // and an MRN when absent (desktop prefix + counter, unique without coordination).
    Result<Patient> create(Patient patient) const;
    // The patient with its current lists; NotFound when absent, deleted or outside the caller's
    // clinic.
    Result<Patient> get(const PatientId &id) const;
    // Stores `edited` (a full patient as returned by get, with changes): only changed fields and
    // list rows are written; list rows missing from `edited` are tombstoned.
    Result<Patient> update(const Patient &edited) const;
    // Tombstones the patient and its lists.
    Status remove(const PatientId &id) const;

    // Type-ahead search over name prefixes, MRN, phone digits and birth date (YYYY-MM-DD);
    // every word must match. Patients without their lists, ordered by name; with a limit, on
    // SQLite the names are sorted among the first 4 x limit (at least 200) matches.
    Result<QList<Patient>> search(const QString &text, int limit = 50) const;
    // Stored patients that may be the same person as `candidate` (same name and birth date, or
    // same phone).
    Result<QList<Patient>> possibleDuplicates(const Patient &candidate) const;
    // All patients of the caller's clinic, by family and given name.
    Result<QList<Patient>> list(int limit = -1, int offset = 0) const;

    // Keeps the desktop's search index in step with a stored patient row (also used by the
    // apply-remote path). No-op on PostgreSQL.
    static Status indexForSearch(const Database &db, const Row &patientRow);

private:
    Result<QString> nextMrn() const;
    Result<Patient> load(const Row &row) const;
    // Writes the patient's owned lists; `written`, when given, receives each list's stored rows
    // (kListTables order).
    Status writeLists(const Patient &patient, bool creating,
                      QList<QList<Row>> *written = nullptr) const;
};

} // namespace tmdash
