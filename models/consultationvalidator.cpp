#include "consultationvalidator.h"

#include "clock.h"
#include "fieldrules.h"

#include <QCoreApplication>
#include <QSet>

namespace tmdash {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

FieldError error(const QString &field, const char *code, const QString &message)
{
    return {field, QString::fromLatin1(code), message};
}

void checkDiagnoses(FieldErrors &errors, const QList<ConsultationDiagnosis> &diagnoses)
{
    QSet<QString> codes;
    bool primarySeen = false;
    for (qsizetype i = 0; i < diagnoses.size(); ++i) {
        const ConsultationDiagnosis &d = diagnoses.at(i);
        if (d.meta.isDeleted())
            continue;
        const QString row = QStringLiteral("diagnoses[%1]").arg(i);
        const QString codeField = row + QStringLiteral(".icd10_code");
        const qsizetype before = errors.size();
        checkIcd10Code(errors, codeField, d.icd10_code, Presence::Required);
        if (errors.size() == before) {
            if (codes.contains(d.icd10_code))
                errors.append(
                    error(codeField, "duplicate",
                          tr("Diagnosis %1 is listed twice; keep one row.").arg(d.icd10_code)));
            codes.insert(d.icd10_code);
        }
        checkText(errors, row + QStringLiteral(".description"), d.description, Presence::Optional,
                  kMaxDiagnosisDescriptionLength);
        if (d.is_primary) {
            if (primarySeen)
                errors.append(error(row + QStringLiteral(".is_primary"), "duplicate",
                                    tr("Only one diagnosis can be primary; another one already "
                                       "is.")));
            primarySeen = true;
        }
    }
}

} // namespace

FieldErrors validateConsultation(const Consultation &c)
{
    FieldErrors errors;
    if (c.patient_id.isNull())
        errors.append(error(QStringLiteral("patient_id"), "required",
                            tr("A consultation belongs to a patient; choose one.")));
    if (c.provider_id.isNull())
        errors.append(error(QStringLiteral("provider_id"), "required",
                            tr("A consultation needs the provider who holds it.")));
    if (!c.started_at.isValid())
        errors.append(error(QStringLiteral("started_at"), "required",
                            tr("Give the time the consultation started.")));

    checkText(errors, QStringLiteral("chief_complaint"), c.chief_complaint, Presence::Required,
              kMaxChiefComplaintLength);
    const auto longText = [&](const char *field, const QString &value) {
        checkText(errors, QString::fromLatin1(field), value, Presence::Optional, kMaxNoteTextLength,
                  TextShape::MultiLine);
    };
    longText("history", c.history);
    longText("examination", c.examination);
    longText("assessment", c.assessment);
    longText("plan", c.plan);
    longText("follow_up_instructions", c.follow_up_instructions);

    checkDiagnoses(errors, c.diagnoses);

    checkDate(errors, QStringLiteral("follow_up_date"), c.follow_up_date, Presence::Optional);
    if (c.follow_up_days) {
        if (c.follow_up_date)
            errors.append(error(QStringLiteral("follow_up_days"), "inconsistent",
                                tr("Give either a follow-up date or a number of days, not "
                                   "both.")));
        else if (*c.follow_up_days < kMinFollowUpDays || *c.follow_up_days > kMaxFollowUpDays)
            errors.append(error(QStringLiteral("follow_up_days"), "range",
                                tr("Follow-up in %1 days is out of range; expected %2-%3 days.")
                                    .arg(*c.follow_up_days)
                                    .arg(kMinFollowUpDays)
                                    .arg(kMaxFollowUpDays)));
    }

    if (c.isSigned()) {
        if (!c.signed_at || !c.signed_at->isValid())
            errors.append(error(QStringLiteral("signed_at"), "required",
                                tr("A signed note needs the time it was signed.")));
        else if (c.started_at.isValid() && *c.signed_at < c.started_at)
            errors.append(
                error(QStringLiteral("signed_at"), "range",
                      tr("Signed at %1, before the consultation started (%2).")
                          .arg(formatInstant(*c.signed_at), formatInstant(c.started_at))));
        if (!c.signed_by || c.signed_by->isNull())
            errors.append(error(QStringLiteral("signed_by"), "required",
                                tr("A signed note needs the user who signed it.")));
    } else if (c.signed_at || c.signed_by) {
        errors.append(error(QStringLiteral("signed_at"), "inconsistent",
                            tr("A draft has no signature; clear signed_at and signed_by or sign "
                               "the note.")));
    }

    if (c.amends_id && !c.id.isNull() && *c.amends_id == c.id)
        errors.append(error(QStringLiteral("amends_id"), "inconsistent",
                            tr("A note cannot amend itself; amends_id must name the signed note "
                               "being amended.")));
    return errors;
}

FieldErrors checkConsultationEdit(const Consultation &before, const Consultation &after)
{
    FieldErrors errors;
    if (before.isSigned()) {
        const QStringList changed = changedConsultationFields(before, after);
        if (!changed.isEmpty()) {
            const QString when =
                before.signed_at ? formatInstant(*before.signed_at) : tr("an earlier time");
            errors.append(error(QStringLiteral("status"), "immutable",
                                tr("This note was signed at %1 and can no longer change "
                                   "(attempted: %2). Add an addendum to correct or extend it.")
                                    .arg(when, changed.join(QStringLiteral(", ")))));
        }
        return errors;
    }

    const auto fixed = [&](const char *field, bool same) {
        if (!same)
            errors.append(error(QString::fromLatin1(field), "immutable",
                                tr("This field is fixed when the note is created; start a new "
                                   "note instead.")));
    };
    fixed("id", before.id == after.id);
    fixed("clinic_id", before.clinic_id == after.clinic_id);
    fixed("patient_id", before.patient_id == after.patient_id);
    fixed("amends_id", before.amends_id == after.amends_id);
    return errors;
}

FieldErrors checkAddendumTarget(const Consultation &addendum, const Consultation &target)
{
    FieldErrors errors;
    const QString field = QStringLiteral("amends_id");
    if (!addendum.amends_id || *addendum.amends_id != target.id) {
        errors.append(
            error(field, "inconsistent",
                  tr("The addendum does not point at consultation %1.").arg(target.id.value)));
        return errors;
    }
    if (target.meta.isDeleted())
        errors.append(error(field, "unknown", tr("The note to amend has been deleted.")));
    else if (!target.isSigned())
        errors.append(error(field, "transition",
                            tr("Only a signed note can be amended; this one is still a draft, so "
                               "edit it instead.")));
    if (addendum.clinic_id != target.clinic_id || addendum.patient_id != target.patient_id)
        errors.append(error(field, "inconsistent",
                            tr("An addendum must belong to the same clinic and patient as the "
                               "note it amends.")));
    return errors;
}

Result<Consultation> makeAddendum(const Consultation &signedNote, const ProviderId &author,
                                  const QDateTime &now)
{
    if (signedNote.meta.isDeleted())
        return Error::invalid(QStringLiteral("amends_id"), QStringLiteral("unknown"),
                              tr("The note to amend has been deleted."));
    if (!signedNote.isSigned())
        return Error::invalid(QStringLiteral("amends_id"), QStringLiteral("transition"),
                              tr("Only a signed note can be amended; this one is still a draft, "
                                 "so edit it instead."));

    Consultation a;
    a.id = newId<ConsultationId>();
    a.clinic_id = signedNote.clinic_id;
    a.patient_id = signedNote.patient_id;
    a.provider_id = author;
    a.appointment_id = signedNote.appointment_id;
    a.started_at = now.toUTC();
    a.chief_complaint = signedNote.chief_complaint;
    a.history = signedNote.history;
    a.examination = signedNote.examination;
    a.assessment = signedNote.assessment;
    for (const ConsultationDiagnosis &d : signedNote.diagnoses) {
        if (d.meta.isDeleted())
            continue;
        ConsultationDiagnosis copy;
        copy.id = newId<RowId>();
        copy.icd10_code = d.icd10_code;
        copy.description = d.description;
        copy.is_primary = d.is_primary;
        a.diagnoses << copy;
    }
    a.plan = signedNote.plan;
    a.follow_up_date = signedNote.follow_up_date;
    a.follow_up_days = signedNote.follow_up_days;
    a.follow_up_instructions = signedNote.follow_up_instructions;
    a.status = ConsultationStatus::Draft;
    a.amends_id = signedNote.id;
    return a;
}

} // namespace tmdash
