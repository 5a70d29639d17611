#pragma once

#include "ids.h"
#include "user.h"

namespace tmdash {

// Who is acting. Stores take the principal on every call so that permission checks, the
// created_by/updated_by columns and the audit log are decided in one place.
struct Principal
{
    enum class Kind {
        Person, // a logged-in user, limited by role and clinic
        Owner,  // whoever owns the database (migrate, seed, bootstrap); no user id
        Sync,   // the built-in sync principal applying rows from the central
    };

    Kind kind = Kind::Owner;
    UserId user_id;
    ClinicId clinic_id;
    Role role = Role::Admin;
    // For the patient role: the patient record that is this person's own (patients.user_id).
    // Empty when no record is linked, so such a login sees no patient at all.
    PatientId patient_id;

    static Principal owner() { return {}; }
    static Principal sync() { return {Kind::Sync, {}, {}, Role::Admin, {}}; }
    static Principal person(const User &user, const PatientId &ownRecord = {})
    {
        return {Kind::Person, user.id, user.clinic_id, user.role, ownRecord};
    }

    bool isPerson() const { return kind == Kind::Person; }
    bool isPatient() const { return isPerson() && role == Role::Patient; }
};

} // namespace tmdash
