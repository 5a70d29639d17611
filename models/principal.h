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

    static Principal owner() { return {}; }
    static Principal sync() { return {Kind::Sync, {}, {}, Role::Admin}; }
    static Principal person(const User &user) { return {Kind::Person, user.id, user.clinic_id, user.role}; }

    bool isPerson() const { return kind == Kind::Person; }
};

} // namespace tmdash
