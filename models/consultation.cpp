#include "consultation.h"

#include <tuple>

namespace tmdash {

namespace {

// The live diagnosis rows as comparable tuples; a tombstoned row counts as absent.
QList<std::tuple<QString, QString, QString, bool>> liveDiagnoses(const Consultation &c)
{
    QList<std::tuple<QString, QString, QString, bool>> out;
    for (const ConsultationDiagnosis &d : c.diagnoses)
        if (!d.meta.isDeleted())
            out.append({d.id.value, d.icd10_code, d.description, d.is_primary});
    return out;
}

} // namespace

std::optional<QDate> Consultation::followUpDue() const
{
    if (follow_up_date)
        return follow_up_date;
    if (follow_up_days && started_at.isValid())
        return started_at.toUTC().date().addDays(*follow_up_days);
    return std::nullopt;
}

const ConsultationDiagnosis *Consultation::primaryDiagnosis() const
{
    for (const ConsultationDiagnosis &d : diagnoses)
        if (d.is_primary && !d.meta.isDeleted())
            return &d;
    return nullptr;
}

QStringList changedConsultationFields(const Consultation &before, const Consultation &after)
{
    QStringList out;
    const auto check = [&](const char *name, bool same) {
        if (!same)
            out << QString::fromLatin1(name);
    };
    check("id", before.id == after.id);
    check("clinic_id", before.clinic_id == after.clinic_id);
    check("patient_id", before.patient_id == after.patient_id);
    check("provider_id", before.provider_id == after.provider_id);
    check("appointment_id", before.appointment_id == after.appointment_id);
    check("started_at", before.started_at == after.started_at);
    check("chief_complaint", before.chief_complaint == after.chief_complaint);
    check("history", before.history == after.history);
    check("examination", before.examination == after.examination);
    check("assessment", before.assessment == after.assessment);
    check("diagnoses", liveDiagnoses(before) == liveDiagnoses(after));
    check("plan", before.plan == after.plan);
    check("follow_up_date", before.follow_up_date == after.follow_up_date);
    check("follow_up_days", before.follow_up_days == after.follow_up_days);
    check("follow_up_instructions", before.follow_up_instructions == after.follow_up_instructions);
    check("status", before.status == after.status);
    check("signed_at", before.signed_at == after.signed_at);
    check("signed_by", before.signed_by == after.signed_by);
    check("amends_id", before.amends_id == after.amends_id);
    check("deleted_at", before.meta.deleted_at == after.meta.deleted_at);
    return out;
}

} // namespace tmdash
