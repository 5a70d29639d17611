#include "verbsupport.h"
#include "clock.h"
#include "consultationcodec.h"
#include "consultationstore.h"
#include "consultationvalidator.h"
#include "verbs.h"

#include <QJsonArray>

namespace tmdash {

const char kConsultationHelp[] =
    "tmdashctl consultation add | get ID | list --patient ID | update ID | delete ID | sign ID |\n"
    "                       addendum ID\n"
    "  add          one JSON note on stdin (patient_id, provider_id, started_at, chief_complaint,\n"
    "               history, examination, assessment, plan, follow_up_date or follow_up_days,\n"
    "               follow_up_instructions, appointment_id, and diagnoses as an array of\n"
    "               {icd10_code, description, is_primary}); stored as a draft\n"
    "  get ID       prints the note with its diagnoses\n"
    "  list         --patient ID: the patient's notes, oldest first\n"
    "  update ID    JSON with the changed fields on stdin, drafts only; a diagnoses array sent\n"
    "               replaces the stored one\n"
    "  delete ID    removes a draft\n"
    "  sign ID      signs a draft as the --as user; a signed note never changes\n"
    "  addendum ID  a new draft amending the signed note ID: starts as a copy of its content,\n"
    "               with the JSON fields on stdin put over it (send {} to copy as is)\n"
    "status, signed_at, signed_by and amends_id are set by sign and addendum.\n";

namespace {

const QString kUsage = QStringLiteral("consultation add | get ID | list --patient ID | update ID | "
                                      "delete ID | sign ID | addendum ID");

InputRules consultationRules()
{
    const QString sign = QStringLiteral("`tmdashctl consultation sign ID`");
    return {{tableSpec(u"consultations"),
             {{QStringLiteral("diagnoses"), tableSpec(u"consultation_diagnoses")}},
             {}},
            {{QStringLiteral("status"), sign},
             {QStringLiteral("signed_at"), sign},
             {QStringLiteral("signed_by"), sign},
             {QStringLiteral("amends_id"), QStringLiteral("`tmdashctl consultation addendum ID`")}},
            {}};
}

QJsonObject consultationJson(const Consultation &c)
{
    Row row = toRow(c);
    QJsonArray diagnoses;
    for (const ConsultationDiagnosis &d : c.diagnoses) {
        Row r = toRow(d);
        putMeta(r, d.meta);
        diagnoses.append(r);
    }
    row.insert(QStringLiteral("diagnoses"), diagnoses);
    return row;
}

// `base` with the changes of `input` (as checked by checkedRow); a diagnoses array replaces the
// stored list.
Consultation consultationWith(const Consultation &base, const Row &input)
{
    Consultation c = consultationFromRow(mergedRow(toRow(base), input));
    c.diagnoses = base.diagnoses;
    if (input.contains(u"diagnoses")) {
        c.diagnoses.clear();
        for (const Row &r : listRows(input, QStringLiteral("diagnoses")))
            c.diagnoses << diagnosisFromRow(r);
    }
    return c;
}

void printConsultations(const CtlContext &ctx, const QList<Consultation> &list)
{
    if (ctx.json) {
        QJsonArray out;
        for (const Consultation &c : list)
            out.append(consultationJson(c));
        ctx.printJson(out);
        return;
    }
    QList<QStringList> rows;
    for (const Consultation &c : list) {
        const ConsultationDiagnosis *primary = c.primaryDiagnosis();
        rows << QStringList{
            formatInstant(c.started_at),
            toString(c.status) + (c.isAddendum() ? QStringLiteral(" addendum") : QString()),
            primary ? primary->icd10_code : QString(), c.chief_complaint.left(40), c.id.value};
    }
    printTable(ctx,
               {QStringLiteral("STARTED (UTC)"), QStringLiteral("STATUS"), QStringLiteral("ICD-10"),
                QStringLiteral("CHIEF COMPLAINT"), QStringLiteral("ID")},
               rows);
}

} // namespace

int runConsultationVerb(CtlContext &ctx)
{
    const QStringList pos = ctx.positional({QStringLiteral("patient")});
    const QString action = pos.value(0);
    auto principal = ctx.person();
    if (!principal)
        return ctx.fail(principal.error());
    const ConsultationStore store(ctx.db, *principal);

    if (action == QLatin1String("add")) {
        auto input = ctx.readJsonObject();
        if (!input)
            return ctx.fail(input.error());
        auto row = checkedRow(*input, consultationRules());
        if (!row)
            return ctx.fail(row.error());
        auto created = store.create(consultationWith(Consultation(), *row));
        if (!created)
            return ctx.fail(created.error());
        ctx.printJson(consultationJson(*created));
        return ExitOk;
    }
    if (action == QLatin1String("list")) {
        const QString patient = ctx.option(QStringLiteral("patient"));
        if (patient.isEmpty())
            return ctx.usage(QStringLiteral("consultation list --patient ID"));
        if (!isUuid(patient))
            return ctx.fail(Error::notFound(QStringLiteral("no patient with id %1").arg(patient)));
        auto found = store.forPatient(PatientId(patient.toLower()));
        if (!found)
            return ctx.fail(found.error());
        printConsultations(ctx, *found);
        return ExitOk;
    }
    static const QStringList withId{QStringLiteral("get"), QStringLiteral("update"),
                                    QStringLiteral("delete"), QStringLiteral("sign"),
                                    QStringLiteral("addendum")};
    if (!withId.contains(action))
        return ctx.usage(kUsage);
    QString id;
    if (int code = idArgument(ctx, pos, QStringLiteral("consultation %1 ID").arg(action),
                              QStringLiteral("consultation"), &id))
        return code;
    auto current = store.get(ConsultationId(id));
    if (!current)
        return ctx.fail(current.error());
    if (action == QLatin1String("get")) {
        ctx.printJson(consultationJson(*current));
        return ExitOk;
    }
    if (action == QLatin1String("delete")) {
        if (Status s = store.remove(current->id); !s)
            return ctx.fail(s.error());
        return ExitOk;
    }
    if (action == QLatin1String("sign")) {
        auto signedNote = store.sign(current->id);
        if (!signedNote)
            return ctx.fail(signedNote.error());
        ctx.printJson(consultationJson(*signedNote));
        return ExitOk;
    }
    auto input = ctx.readJsonObject();
    if (!input)
        return ctx.fail(input.error());
    auto row = checkedRow(*input, consultationRules());
    if (!row)
        return ctx.fail(row.error());
    if (action == QLatin1String("addendum")) {
        // Written by the signed note's provider unless provider_id says otherwise.
        auto content = makeAddendum(*current, current->provider_id, nowUtc());
        if (!content)
            return ctx.fail(content.error());
        auto stored = store.addendum(current->id, consultationWith(*content, *row));
        if (!stored)
            return ctx.fail(stored.error());
        ctx.printJson(consultationJson(*stored));
        return ExitOk;
    }
    if (row->contains(u"id") && row->value(u"id").toString() != id)
        return ctx.fail(Error::invalid(QStringLiteral("id"), QStringLiteral("immutable"),
                                       QStringLiteral("the id of a consultation cannot change")));
    auto updated = store.update(consultationWith(*current, *row));
    if (!updated)
        return ctx.fail(updated.error());
    ctx.printJson(consultationJson(*updated));
    return ExitOk;
}

} // namespace tmdash
