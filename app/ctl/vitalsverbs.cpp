#include "verbsupport.h"
#include "clock.h"
#include "units.h"
#include "verbs.h"
#include "vitalranges.h"
#include "vitalscodec.h"
#include "vitalsstore.h"

#include <QJsonArray>

namespace tmdash {

const char kVitalsHelp[] =
    "tmdashctl vitals add | get ID | list --patient ID | correct ID | error ID\n"
    "  add          one JSON vitals record on stdin: patient_id, recorded_at, optional\n"
    "               appointment_id and recorded_by, and at least one measurement: systolic_mmhg,\n"
    "               diastolic_mmhg, heart_rate_bpm, respiratory_rate, temperature_c, spo2_pct,\n"
    "               height_cm, weight_kg, pain_score, glucose_mg_dl. A measurement is a number\n"
    "               in its stored unit or {\"value\": 101.3, \"unit\": \"[degF]\"} with a UCUM\n"
    "               unit (e.g. [degF], [lb_av], [in_i], m, g, mmol/L). Prints the stored record\n"
    "               with the derived bmi and flags (normal, low, high, critical_low,\n"
    "               critical_high per measurement); bmi and flags cannot be sent.\n"
    "  get ID       prints the record\n"
    "  list         --patient ID: the patient's records, oldest first, entered_in_error included\n"
    "  correct ID   JSON with the corrected fields on stdin: stores a new record (the old one\n"
    "               with these changes, replaces_id = ID) and marks ID entered_in_error\n"
    "  error ID     marks the record entered_in_error\n"
    "Vitals are never edited or deleted: a wrong record is corrected or marked in error.\n";

namespace {

const QString kUsage =
    QStringLiteral("vitals add | get ID | list --patient ID | correct ID | error ID");

InputRules vitalsRules()
{
    return {{tableSpec(u"vitals"), {}, {QStringLiteral("bmi"), QStringLiteral("flags")}},
            {{QStringLiteral("status"), QStringLiteral("`tmdashctl vitals correct|error ID`")},
             {QStringLiteral("replaces_id"), QStringLiteral("`tmdashctl vitals correct ID`")}},
            {}};
}

// Measurements given as {"value": v, "unit": "UCUM"} become numbers in the stored unit; the
// problems found on the way (a malformed object, a unit that does not measure this) are
// returned, each under the measurement's key.
FieldErrors convertUnits(QJsonObject &input)
{
    FieldErrors errors;
    for (Measurement m : enteredMeasurements()) {
        const QString key = measurementInfo(m).key;
        const QJsonValue given = input.value(key);
        if (!given.isObject())
            continue;
        const QJsonObject o = given.toObject();
        const QJsonValue value = o.value(u"value");
        const QJsonValue unit = o.value(u"unit");
        if (o.size() != 2 || !value.isDouble() || !unit.isString()) {
            errors << FieldError{
                key, QStringLiteral("type"),
                QStringLiteral("expected a number in %1 or {\"value\": number, "
                               "\"unit\": one of %2}")
                    .arg(measurementInfo(m).ucum, acceptedUnits(m).join(QStringLiteral(", ")))};
            continue;
        }
        auto stored = convertToStoredUnit(m, value.toDouble(), unit.toString());
        if (!stored) {
            errors << stored.error().fields;
            continue;
        }
        input.insert(key, *stored);
    }
    return errors;
}

Result<Row> vitalsRow(QJsonObject input)
{
    FieldErrors errors = convertUnits(input);
    return checkedRow(input, vitalsRules(), errors);
}

QJsonObject vitalsJson(const Vitals &v)
{
    Row row = toRow(v);
    putDouble(row, QStringLiteral("bmi"), v.bmi());
    QJsonObject flags;
    const QMap<QString, Flag> found = flagsFor(v);
    for (auto it = found.constBegin(); it != found.constEnd(); ++it)
        flags.insert(it.key(), toString(it.value()));
    row.insert(QStringLiteral("flags"), flags);
    return row;
}

void printVitals(const CtlContext &ctx, const QList<Vitals> &list)
{
    if (ctx.json) {
        QJsonArray out;
        for (const Vitals &v : list)
            out.append(vitalsJson(v));
        ctx.printJson(out);
        return;
    }
    QList<QStringList> rows;
    for (const Vitals &v : list) {
        const Row r = vitalsJson(v);
        const QJsonObject flags = r.value(u"flags").toObject();
        // A measurement with its flag when it is not normal, e.g. "38.5 (high)".
        auto cell = [&](const QString &key) {
            QString text = numberCell(r.value(key));
            const QString flag = flags.value(key).toString();
            if (!text.isEmpty() && !flag.isEmpty() && flag != QLatin1String("normal"))
                text += QStringLiteral(" (%1)").arg(flag);
            return text;
        };
        const QString bp =
            r.value(u"systolic_mmhg").isDouble() || r.value(u"diastolic_mmhg").isDouble()
                ? cell(QStringLiteral("systolic_mmhg")) + QLatin1Char('/') +
                      cell(QStringLiteral("diastolic_mmhg"))
                : QString();
        rows << QStringList{formatInstant(v.recorded_at),
                            toString(v.status),
                            bp,
                            cell(QStringLiteral("heart_rate_bpm")),
                            cell(QStringLiteral("respiratory_rate")),
                            cell(QStringLiteral("temperature_c")),
                            cell(QStringLiteral("spo2_pct")),
                            cell(QStringLiteral("weight_kg")),
                            cell(QStringLiteral("bmi")),
                            v.id.value};
    }
    printTable(ctx,
               {QStringLiteral("RECORDED (UTC)"), QStringLiteral("STATUS"),
                QStringLiteral("BP mmHg"), QStringLiteral("HR /min"), QStringLiteral("RR /min"),
                QStringLiteral("TEMP °C"), QStringLiteral("SpO2 %"), QStringLiteral("WEIGHT kg"),
                QStringLiteral("BMI"), QStringLiteral("ID")},
               rows);
}

} // namespace

int runVitalsVerb(CtlContext &ctx)
{
    const QStringList pos = ctx.positional({QStringLiteral("patient")});
    const QString action = pos.value(0);
    if (action == QLatin1String("delete") || action == QLatin1String("update"))
        return ctx.usage(QStringLiteral("vitals are never edited or deleted: use `vitals correct "
                                        "ID` (JSON) or `vitals error ID`"));
    auto principal = ctx.person();
    if (!principal)
        return ctx.fail(principal.error());
    const VitalsStore store(ctx.db, *principal);

    if (action == QLatin1String("add")) {
        auto input = ctx.readJsonObject();
        if (!input)
            return ctx.fail(input.error());
        auto row = vitalsRow(*input);
        if (!row)
            return ctx.fail(row.error());
        auto created = store.create(vitalsFromRow(*row));
        if (!created)
            return ctx.fail(created.error());
        ctx.printJson(vitalsJson(*created));
        return ExitOk;
    }
    if (action == QLatin1String("list")) {
        const QString patient = ctx.option(QStringLiteral("patient"));
        if (patient.isEmpty())
            return ctx.usage(QStringLiteral("vitals list --patient ID"));
        if (!isUuid(patient))
            return ctx.fail(Error::notFound(QStringLiteral("no patient with id %1").arg(patient)));
        auto found = store.forPatient(PatientId(patient.toLower()));
        if (!found)
            return ctx.fail(found.error());
        printVitals(ctx, *found);
        return ExitOk;
    }
    if (action != QLatin1String("get") && action != QLatin1String("correct") &&
        action != QLatin1String("error"))
        return ctx.usage(kUsage);
    QString id;
    if (int code = idArgument(ctx, pos, QStringLiteral("vitals %1 ID").arg(action),
                              QStringLiteral("vitals record"), &id))
        return code;
    auto current = store.get(VitalsId(id));
    if (!current)
        return ctx.fail(current.error());
    if (action == QLatin1String("get")) {
        ctx.printJson(vitalsJson(*current));
        return ExitOk;
    }
    if (action == QLatin1String("error")) {
        auto marked = store.markInError(current->id);
        if (!marked)
            return ctx.fail(marked.error());
        ctx.printJson(vitalsJson(*marked));
        return ExitOk;
    }
    auto input = ctx.readJsonObject();
    if (!input)
        return ctx.fail(input.error());
    auto row = vitalsRow(*input);
    if (!row)
        return ctx.fail(row.error());
    // The correction is the old record with the changes; the store gives it a new id (unless one
    // is sent), the old record's patient and clinic, and replaces_id.
    Row base = toRow(*current);
    base.remove(QStringLiteral("id"));
    auto corrected = store.correct(current->id, vitalsFromRow(mergedRow(base, *row)));
    if (!corrected)
        return ctx.fail(corrected.error());
    ctx.printJson(vitalsJson(*corrected));
    return ExitOk;
}

} // namespace tmdash
