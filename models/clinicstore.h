#pragma once

#include "clinic.h"
#include "storebase.h"

#include <QList>

namespace tmdash {

// Clinics: settings and business hours. A clinic's row is its own partition (clinic_id = id).
// Writes validate with validateClinic, run in one transaction, and on a desktop append their
// outbox row; a failed write leaves nothing behind. Reads need ReadClinic, update ManageClinic
// (permissions.h), checked before anything else.
class ClinicStore : public StoreBase
{
public:
    using StoreBase::StoreBase;

    // Creates a clinic (assigning the id when empty). Only the database's owner creates clinics
    // (bootstrap, `clinic add`): a person gets NotPermitted.
    Result<Clinic> create(Clinic clinic) const;
    // The clinic; NotFound when absent, deleted or not the caller's own.
    Result<Clinic> get(const ClinicId &id) const;
    // Stores `edited` (a clinic as returned by get, with changed settings or business hours):
    // only changed columns are written.
    Result<Clinic> update(const Clinic &edited) const;
    // The clinics the caller can see (a person: their own), by name.
    Result<QList<Clinic>> list() const;
};

} // namespace tmdash
