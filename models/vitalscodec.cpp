#include "vitalscodec.h"

namespace tmdash {

Row toRow(const Vitals &v)
{
    Row r = blankRow(u"vitals"); // every column is written
    putId(r, QStringLiteral("id"), v.id);
    putId(r, QStringLiteral("clinic_id"), v.clinic_id);
    putId(r, QStringLiteral("patient_id"), v.patient_id);
    putId(r, QStringLiteral("appointment_id"), v.appointment_id);
    putInstant(r, QStringLiteral("recorded_at"),
               v.recorded_at.isValid() ? std::optional<QDateTime>(v.recorded_at) : std::nullopt);
    putId(r, QStringLiteral("recorded_by"), v.recorded_by);
    for (Measurement m : enteredMeasurements())
        putDouble(r, measurementInfo(m).key, v.value(m));
    putText(r, QStringLiteral("status"), toString(v.status));
    putId(r, QStringLiteral("replaces_id"), v.replaces_id);
    putMeta(r, v.meta);
    return r;
}

Vitals vitalsFromRow(const Row &r)
{
    Vitals v;
    v.id = rowId<VitalsId>(r, u"id");
    v.clinic_id = rowId<ClinicId>(r, u"clinic_id");
    v.patient_id = rowId<PatientId>(r, u"patient_id");
    v.appointment_id = rowId<AppointmentId>(r, u"appointment_id");
    v.recorded_at = rowInstant(r, u"recorded_at").value_or(QDateTime());
    v.recorded_by = rowId<UserId>(r, u"recorded_by");
    for (Measurement m : enteredMeasurements())
        v.setValue(m, rowDouble(r, measurementInfo(m).key));
    v.status = enumFromString<VitalsStatus>(rowText(r, u"status")).value_or(VitalsStatus::Final);
    v.replaces_id = rowId<VitalsId>(r, u"replaces_id");
    v.meta = rowMeta(r);
    return v;
}

} // namespace tmdash
