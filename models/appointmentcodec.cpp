#include "appointmentcodec.h"

namespace tmdash {

Row toRow(const Appointment &a)
{
    Row r;
    putId(r, QStringLiteral("id"), a.id);
    putId(r, QStringLiteral("clinic_id"), a.clinic_id);
    putId(r, QStringLiteral("patient_id"), a.patient_id);
    putId(r, QStringLiteral("provider_id"), a.provider_id);
    putInstant(r, QStringLiteral("start_at"), a.start_at);
    putInt(r, QStringLiteral("duration_minutes"), a.duration_minutes);
    putText(r, QStringLiteral("type"), toString(a.type));
    putText(r, QStringLiteral("status"), toString(a.status));
    putText(r, QStringLiteral("room"), a.room);
    putText(r, QStringLiteral("reason"), a.reason);
    putText(r, QStringLiteral("notes"), a.notes);
    putText(r, QStringLiteral("cancel_reason"), a.cancel_reason);
    putMeta(r, a.meta);
    return r;
}

Appointment appointmentFromRow(const Row &r)
{
    Appointment a;
    a.id = rowId<AppointmentId>(r, u"id");
    a.clinic_id = rowId<ClinicId>(r, u"clinic_id");
    a.patient_id = rowId<PatientId>(r, u"patient_id");
    a.provider_id = rowId<ProviderId>(r, u"provider_id");
    a.start_at = rowInstant(r, u"start_at").value_or(QDateTime());
    a.duration_minutes = rowInt(r, u"duration_minutes").value_or(0);
    a.type =
        enumFromString<AppointmentType>(rowText(r, u"type")).value_or(AppointmentType::FollowUp);
    // An unknown stored status is read as entered_in_error: it then occupies no slot and allows
    // no further action, the safe reading of a row this program does not understand.
    a.status = enumFromString<AppointmentStatus>(rowText(r, u"status"))
                   .value_or(AppointmentStatus::EnteredInError);
    a.room = rowText(r, u"room");
    a.reason = rowText(r, u"reason");
    a.notes = rowText(r, u"notes");
    a.cancel_reason = rowText(r, u"cancel_reason");
    a.meta = rowMeta(r);
    return a;
}

} // namespace tmdash
