#include "consultationcodec.h"

namespace tmdash {

Row toRow(const Consultation &c)
{
    Row r;
    putId(r, QStringLiteral("id"), c.id);
    putId(r, QStringLiteral("clinic_id"), c.clinic_id);
    putId(r, QStringLiteral("patient_id"), c.patient_id);
    putId(r, QStringLiteral("provider_id"), c.provider_id);
    putText(r, QStringLiteral("appointment_id"),
            c.appointment_id ? c.appointment_id->value : QString());
    putInstant(r, QStringLiteral("started_at"),
               c.started_at.isValid() ? std::optional<QDateTime>(c.started_at) : std::nullopt);
    putText(r, QStringLiteral("chief_complaint"), c.chief_complaint);
    putText(r, QStringLiteral("history"), c.history);
    putText(r, QStringLiteral("examination"), c.examination);
    putText(r, QStringLiteral("assessment"), c.assessment);
    putText(r, QStringLiteral("plan"), c.plan);
    putDate(r, QStringLiteral("follow_up_date"), c.follow_up_date);
    putInt(r, QStringLiteral("follow_up_days"), c.follow_up_days);
    putText(r, QStringLiteral("follow_up_instructions"), c.follow_up_instructions);
    putText(r, QStringLiteral("status"), toString(c.status));
    putInstant(r, QStringLiteral("signed_at"), c.signed_at);
    putText(r, QStringLiteral("signed_by"), c.signed_by ? c.signed_by->value : QString());
    putText(r, QStringLiteral("amends_id"), c.amends_id ? c.amends_id->value : QString());
    putMeta(r, c.meta);
    return r;
}

Row toRow(const ConsultationDiagnosis &d)
{
    Row r;
    putId(r, QStringLiteral("id"), d.id);
    putText(r, QStringLiteral("icd10_code"), d.icd10_code);
    putText(r, QStringLiteral("description"), d.description);
    putBool(r, QStringLiteral("is_primary"), d.is_primary);
    return r;
}

Consultation consultationFromRow(const Row &r)
{
    Consultation c;
    c.id = rowId<ConsultationId>(r, u"id");
    c.clinic_id = rowId<ClinicId>(r, u"clinic_id");
    c.patient_id = rowId<PatientId>(r, u"patient_id");
    c.provider_id = rowId<ProviderId>(r, u"provider_id");
    if (const QString a = rowText(r, u"appointment_id"); !a.isEmpty())
        c.appointment_id = AppointmentId(a);
    c.started_at = rowInstant(r, u"started_at").value_or(QDateTime());
    c.chief_complaint = rowText(r, u"chief_complaint");
    c.history = rowText(r, u"history");
    c.examination = rowText(r, u"examination");
    c.assessment = rowText(r, u"assessment");
    c.plan = rowText(r, u"plan");
    c.follow_up_date = rowDate(r, u"follow_up_date");
    c.follow_up_days = rowInt(r, u"follow_up_days");
    c.follow_up_instructions = rowText(r, u"follow_up_instructions");
    c.status = enumFromString<ConsultationStatus>(rowText(r, u"status"))
                   .value_or(ConsultationStatus::Draft);
    c.signed_at = rowInstant(r, u"signed_at");
    if (const QString s = rowText(r, u"signed_by"); !s.isEmpty())
        c.signed_by = UserId(s);
    if (const QString a = rowText(r, u"amends_id"); !a.isEmpty())
        c.amends_id = ConsultationId(a);
    c.meta = rowMeta(r);
    return c;
}

ConsultationDiagnosis diagnosisFromRow(const Row &r)
{
    return {rowId<RowId>(r, u"id"), rowText(r, u"icd10_code"), rowText(r, u"description"),
            rowBool(r, u"is_primary"), rowMeta(r)};
}

} // namespace tmdash
