#include "prescriptioncodec.h"

namespace tmdash {

Row toRow(const Prescription &p)
{
    Row r;
    putId(r, QStringLiteral("id"), p.id);
    putId(r, QStringLiteral("clinic_id"), p.clinic_id);
    putId(r, QStringLiteral("patient_id"), p.patient_id);
    putId(r, QStringLiteral("provider_id"), p.provider_id);
    putText(r, QStringLiteral("consultation_id"),
            p.consultation_id ? p.consultation_id->value : QString());
    putText(r, QStringLiteral("medication_code"), p.medication_code);
    putText(r, QStringLiteral("medication_name"), p.medication_name);
    putText(r, QStringLiteral("strength"), p.strength);
    putText(r, QStringLiteral("form"), p.form);
    putDouble(r, QStringLiteral("dose_amount"), p.dose_amount);
    putText(r, QStringLiteral("dose_unit"), p.dose_unit);
    putText(r, QStringLiteral("route"), p.route);
    putText(r, QStringLiteral("frequency"), toString(p.frequency));
    putBool(r, QStringLiteral("as_needed"), p.as_needed);
    putInt(r, QStringLiteral("duration_days"), p.duration_days);
    putDouble(r, QStringLiteral("quantity"), p.quantity);
    putInt(r, QStringLiteral("refills"), p.refills);
    putDate(r, QStringLiteral("start_date"),
            p.start_date.isValid() ? std::optional<QDate>(p.start_date) : std::nullopt);
    putDate(r, QStringLiteral("end_date"), p.end_date());
    putText(r, QStringLiteral("instructions"), p.instructions);
    putText(r, QStringLiteral("status"), toString(p.status));
    putText(r, QStringLiteral("override_reason"), p.override_reason);
    putText(r, QStringLiteral("replaces_id"), p.replaces_id ? p.replaces_id->value : QString());
    putMeta(r, p.meta);
    return r;
}

Prescription prescriptionFromRow(const Row &r)
{
    Prescription p;
    p.id = rowId<PrescriptionId>(r, u"id");
    p.clinic_id = rowId<ClinicId>(r, u"clinic_id");
    p.patient_id = rowId<PatientId>(r, u"patient_id");
    p.provider_id = rowId<ProviderId>(r, u"provider_id");
    if (const QString c = rowText(r, u"consultation_id"); !c.isEmpty())
        p.consultation_id = ConsultationId(c);
    p.medication_code = rowText(r, u"medication_code");
    p.medication_name = rowText(r, u"medication_name");
    p.strength = rowText(r, u"strength");
    p.form = rowText(r, u"form");
    p.dose_amount = rowDouble(r, u"dose_amount").value_or(0);
    p.dose_unit = rowText(r, u"dose_unit");
    p.route = rowText(r, u"route");
    p.frequency = enumFromString<Frequency>(rowText(r, u"frequency")).value_or(Frequency::Qd);
    p.as_needed = rowBool(r, u"as_needed");
    p.duration_days = rowInt(r, u"duration_days");
    p.quantity = rowDouble(r, u"quantity");
    p.refills = rowInt(r, u"refills").value_or(0);
    p.start_date = rowDate(r, u"start_date").value_or(QDate());
    p.instructions = rowText(r, u"instructions");
    p.status = enumFromString<PrescriptionStatus>(rowText(r, u"status"))
                   .value_or(PrescriptionStatus::Active);
    p.override_reason = rowText(r, u"override_reason");
    if (const QString replaces = rowText(r, u"replaces_id"); !replaces.isEmpty())
        p.replaces_id = PrescriptionId(replaces);
    p.meta = rowMeta(r);
    return p;
}

} // namespace tmdash
