#pragma once

#include "consultation.h"
#include "row.h"

namespace tmdash {

// Consultation <-> a row of `consultations`, and its diagnoses <-> rows of
// `consultation_diagnoses` (column names = field names). toRow(Consultation) leaves the
// diagnoses out: they are rows of their own.
Row toRow(const Consultation &consultation);
Row toRow(const ConsultationDiagnosis &diagnosis);

Consultation consultationFromRow(const Row &row);
ConsultationDiagnosis diagnosisFromRow(const Row &row);

} // namespace tmdash
