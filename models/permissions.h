#pragma once

#include "principal.h"
#include "result.h"

namespace tmdash {

// What the stores check before every read and write (DESIGN.md, "Security"). A role either may
// perform an action in its clinic or never may; which records it sees is the scope rule of
// StoreBase (clinic, and for patients their own record).
enum class Action {
    ReadClinic,
    ManageClinic,       // clinic settings, business hours
    ReadUsers,
    ManageUsers,        // add, edit, disable, unlock, reset TOTP of other users
    ReadProviders,
    ManageProviders,    // providers, their availability and time off
    ReadPatients,
    WritePatients,      // demographics, contacts, insurance, allergies
    WriteProblemList,   // patient_conditions
    ReadAppointments,
    WriteAppointments,  // book, reschedule, cancel, confirm, check in, start, complete, no-show
    ReadVitals,
    WriteVitals,        // record, correct, mark in error
    ReadConsultations,
    WriteConsultations, // drafts and addenda
    SignConsultations,
    ReadPrescriptions,
    WritePrescriptions, // prescribe, hold, resume, stop, cancel
    ReadAudit,
};

bool roleMay(Role role, Action action);
// The database owner and the sync principal may do everything; a person what their role may.
bool principalMay(const Principal &principal, Action action);
// "write prescriptions", for messages.
QString describe(Action action);
// NotPermitted naming the role and the action, or ok.
Status requirePermission(const Principal &principal, Action action);

} // namespace tmdash
