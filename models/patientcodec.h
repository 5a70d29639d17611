#pragma once

#include "patient.h"
#include "row.h"

namespace tmdash {

// Patient <-> rows of patients and its owned-list tables (column names = field names).
Row toRow(const Patient &patient);
Row toRow(const PatientEmergencyContact &contact);
Row toRow(const PatientInsurance &insurance);
Row toRow(const PatientAllergy &allergy);
Row toRow(const PatientCondition &condition);

Patient patientFromRow(const Row &row);
PatientEmergencyContact emergencyContactFromRow(const Row &row);
PatientInsurance insuranceFromRow(const Row &row);
PatientAllergy allergyFromRow(const Row &row);
PatientCondition conditionFromRow(const Row &row);

} // namespace tmdash
