#include "verbsupport.h"
#include "clock.h"
#include "prescriptioncodec.h"
#include "prescriptionstore.h"
#include "verbs.h"

#include <QJsonArray>

namespace tmdash {

const char kPrescriptionHelp[] =
    "tmdashctl prescription add | get ID | list --patient ID | hold|resume|complete|cancel|error "
    "ID\n"
    "  add          one JSON prescription on stdin (patient_id, provider_id, medication_code\n"
    "               (RxNorm code of the formulary), strength, form, dose_amount, dose_unit, "
    "route,\n"
    "               frequency (once, qd, bid, tid, qid, q4h, q6h, q8h, q12h, qhs, prn), "
    "as_needed,\n"
    "               duration_days, quantity, refills, start_date, instructions, consultation_id,\n"
    "               override_reason). Prints the stored prescription with the derived end_date\n"
    "               and its `alerts` (interactions, allergies). An interaction or allergy is\n"
    "               refused (medication_code) unless override_reason says why it is prescribed\n"
    "               anyway; a dose above the daily maximum always is (dose_amount).\n"
    "  get ID       prints the prescription\n"
    "  list         --patient ID: current (active, on hold) then past prescriptions, newest first\n"
    "  hold ID | resume ID | complete ID | cancel ID | error ID\n"
    "               the state changes; status changes only through them\n"
    "Prescriptions are never edited or deleted: stop one with complete or cancel, retract a wrong\n"
    "one with error and write a new one.\n";

namespace {

const QString kUsage = QStringLiteral(
    "prescription add | get ID | list --patient ID | hold|resume|complete|cancel|error ID");

InputRules prescriptionRules()
{
    return {{tableSpec(u"prescriptions"), {}, {QStringLiteral("end_date")}},
            {{QStringLiteral("status"),
              QStringLiteral("`tmdashctl prescription hold|resume|complete|cancel|error ID`")}},
            {{QStringLiteral("frequency"), enumNames<Frequency>()}}};
}

QJsonObject prescriptionJson(const Prescription &p)
{
    return toRow(p); // end_date included, derived
}

void printPrescriptions(const CtlContext &ctx, const QList<Prescription> &list)
{
    if (ctx.json) {
        QJsonArray out;
        for (const Prescription &p : list)
            out.append(prescriptionJson(p));
        ctx.printJson(out);
        return;
    }
    QList<QStringList> rows;
    for (const Prescription &p : list) {
        const std::optional<QDate> end = p.end_date();
        rows << QStringList{formatDate(p.start_date),
                            end ? formatDate(*end) : QString(),
                            toString(p.status),
                            p.medication_name,
                            p.strength,
                            QStringLiteral("%1 %2 %3")
                                .arg(numberCell(p.dose_amount), p.dose_unit, toString(p.frequency)),
                            p.id.value};
    }
    printTable(ctx,
               {QStringLiteral("START"), QStringLiteral("END"), QStringLiteral("STATUS"),
                QStringLiteral("MEDICATION"), QStringLiteral("STRENGTH"), QStringLiteral("DOSE"),
                QStringLiteral("ID")},
               rows);
}

} // namespace

int runPrescriptionVerb(CtlContext &ctx)
{
    const QStringList pos = ctx.positional({QStringLiteral("patient")});
    const QString action = pos.value(0);
    if (action == QLatin1String("delete") || action == QLatin1String("update"))
        return ctx.usage(
            QStringLiteral("prescriptions are never edited or deleted: use `prescription "
                           "complete|cancel|error ID` and add a new one"));
    auto principal = ctx.person();
    if (!principal)
        return ctx.fail(principal.error());
    const PrescriptionStore store(ctx.db, *principal);

    if (action == QLatin1String("add")) {
        auto input = ctx.readJsonObject();
        if (!input)
            return ctx.fail(input.error());
        auto row = checkedRow(*input, prescriptionRules());
        if (!row)
            return ctx.fail(row.error());
        QList<PrescriptionAlert> alerts;
        auto created = store.create(prescriptionFromRow(*row), &alerts);
        if (!created)
            return ctx.fail(created.error());
        QJsonObject out = prescriptionJson(*created);
        QJsonArray shown;
        for (const PrescriptionAlert &a : alerts)
            shown.append(QJsonObject{{QStringLiteral("kind"), a.kind},
                                     {QStringLiteral("severity"), a.severity},
                                     {QStringLiteral("message"), a.message}});
        out.insert(QStringLiteral("alerts"), shown);
        ctx.printJson(out);
        return ExitOk;
    }
    if (action == QLatin1String("list")) {
        const QString patient = ctx.option(QStringLiteral("patient"));
        if (patient.isEmpty())
            return ctx.usage(QStringLiteral("prescription list --patient ID"));
        if (!isUuid(patient))
            return ctx.fail(Error::notFound(QStringLiteral("no patient with id %1").arg(patient)));
        auto found = store.forPatient(PatientId(patient.toLower()));
        if (!found)
            return ctx.fail(found.error());
        printPrescriptions(ctx, found->active + found->past);
        return ExitOk;
    }
    const std::optional<PrescriptionAction> stateChange =
        enumFromString<PrescriptionAction>(action);
    if (action != QLatin1String("get") && !stateChange)
        return ctx.usage(kUsage);
    QString id;
    if (int code = idArgument(ctx, pos, QStringLiteral("prescription %1 ID").arg(action),
                              QStringLiteral("prescription"), &id))
        return code;
    auto current = store.get(PrescriptionId(id));
    if (!current)
        return ctx.fail(current.error());
    if (!stateChange) {
        ctx.printJson(prescriptionJson(*current));
        return ExitOk;
    }
    auto changed = store.transition(current->id, *stateChange);
    if (!changed)
        return ctx.fail(changed.error());
    ctx.printJson(prescriptionJson(*changed));
    return ExitOk;
}

} // namespace tmdash
