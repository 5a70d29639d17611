#pragma once

#include "appointment.h"
#include "consultation.h"
#include "patient.h"
#include "prescription.h"
#include "storebase.h"
#include "vitals.h"

#include <QList>

namespace tmdash {

// Everything a patient's chart shows, read in one go. Allergies, conditions, contacts and
// insurance come with the patient (live rows only).
struct PatientChart
{
    Patient patient;
    QList<Vitals> vitals;                     // final records by recorded_at, oldest first
    QList<Consultation> consultations;        // with diagnoses, by started_at, oldest first
    QList<Prescription> active_prescriptions; // active and on_hold, newest start first
    QList<Prescription> past_prescriptions;   // completed, cancelled, entered_in_error
    QList<Appointment> appointments;          // every status, by start_at, oldest first
};

// The chart query. Each list is one query on the (patient_id, time) index of its table; all of
// them run inside one read transaction so the chart is a consistent snapshot. Needs every read
// action of the chart's parts (permissions.h); each part shows what the caller may see (the
// patient role: only its own chart, signed notes only).
class ChartStore : public StoreBase
{
public:
    using StoreBase::StoreBase;

    // NotFound when the patient is absent, tombstoned or outside the caller's clinic. A chart
    // that loads is recorded in the audit log ("open_chart") once its snapshot has ended; when
    // that entry cannot be written, the chart is not returned.
    Result<PatientChart> load(const PatientId &patientId) const;

private:
    Result<PatientChart> readChart(const PatientId &patientId) const;
};

} // namespace tmdash
