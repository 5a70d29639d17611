#include "chartstore.h"

#include "appointmentcodec.h"
#include "auditlog.h"
#include "consultationstore.h"
#include "patientstore.h"
#include "prescriptionstore.h"
#include "vitalsstore.h"

#include <QSqlDatabase>

namespace tmdash {

namespace {

// A read-only snapshot: a deferred transaction on SQLite (WAL readers never block the writer),
// a plain one on PostgreSQL; always rolled back, nothing is written.
class ReadSnapshot
{
public:
    explicit ReadSnapshot(const Database &db) : m_db(db.connection())
    {
        m_open = m_db.transaction();
    }
    ~ReadSnapshot()
    {
        if (m_open)
            m_db.rollback();
    }
    ReadSnapshot(const ReadSnapshot &) = delete;
    ReadSnapshot &operator=(const ReadSnapshot &) = delete;

private:
    QSqlDatabase m_db;
    bool m_open = false;
};

} // namespace

Result<PatientChart> ChartStore::load(const PatientId &patientId) const
{
    // The chart shows all of these; a caller who may not read one of them is refused before
    // anything is read or audited (each part's store checks its own as well).
    for (Action part : {Action::ReadPatients, Action::ReadVitals, Action::ReadConsultations,
                        Action::ReadPrescriptions, Action::ReadAppointments})
        if (Status allowed = permit(part); !allowed)
            return allowed.error();
    auto chart = readChart(patientId);
    if (!chart)
        return chart;
    AuditEvent event;
    event.action = QStringLiteral("open_chart");
    event.entity = QStringLiteral("patients");
    event.entity_id = patientId.value;
    event.clinic_id = chart->patient.clinic_id;
    if (Status s = appendAudit(m_db, m_actor, event); !s)
        return s.error();
    return chart;
}

Result<PatientChart> ChartStore::readChart(const PatientId &patientId) const
{
    ReadSnapshot snapshot(m_db);
    PatientChart chart;
    auto patient = PatientStore(m_db, m_actor).get(patientId);
    if (!patient)
        return patient.error();
    chart.patient = *patient;

    auto vitals = VitalsStore(m_db, m_actor).forPatient(patientId, false);
    if (!vitals)
        return vitals.error();
    chart.vitals = *vitals;

    auto notes = ConsultationStore(m_db, m_actor).forPatient(patientId);
    if (!notes)
        return notes.error();
    chart.consultations = *notes;

    auto prescriptions = PrescriptionStore(m_db, m_actor).forPatient(patientId);
    if (!prescriptions)
        return prescriptions.error();
    chart.active_prescriptions = prescriptions->active;
    chart.past_prescriptions = prescriptions->past;

    QString where = QStringLiteral("patient_id = :patient AND deleted_at IS NULL");
    QVariantMap binds{{QStringLiteral("patient"), patientId.value}};
    restrictToScope(u"appointments", where, binds);
    auto appointments =
        RecordTable(m_db, u"appointments").select(where, binds, QStringLiteral("start_at, id"));
    if (!appointments)
        return appointments.error();
    for (const Row &r : *appointments)
        chart.appointments << appointmentFromRow(r);
    return chart;
}

} // namespace tmdash
