#include "jsoninput.h"
#include "patientcodec.h"
#include "patientstore.h"
#include "verbs.h"
#include "verbsupport.h"

#include <QJsonArray>

namespace tmdash {

const char kPatientHelp[] =
    "tmdashctl patient add | get ID | list [--search TEXT] [--limit N] | update ID | delete ID | duplicates\n"
    "  add         one JSON patient on stdin (owned lists as arrays: emergency_contacts,\n"
    "              insurance, allergies, conditions); prints the stored patient\n"
    "  update ID   JSON with the changed fields on stdin; a list sent replaces the stored one\n"
    "  duplicates  JSON of a would-be patient on stdin; prints possible matches\n";

namespace {

JsonShape patientShape()
{
    return {tableSpec(u"patients"),
            {{QStringLiteral("emergency_contacts"), tableSpec(u"patient_emergency_contacts")},
             {QStringLiteral("insurance"), tableSpec(u"patient_insurance")},
             {QStringLiteral("allergies"), tableSpec(u"patient_allergies")},
             {QStringLiteral("conditions"), tableSpec(u"patient_conditions")}},
            {}};
}

template<class T, class F>
QJsonArray rowsOf(const QList<T> &items, F &&withMeta)
{
    QJsonArray out;
    for (const T &item : items)
        out.append(withMeta(item));
    return out;
}

QJsonObject patientJson(const Patient &p)
{
    Row row = toRow(p);
    auto child = [](const auto &c) {
        Row r = toRow(c);
        putMeta(r, c.meta);
        return r;
    };
    row.insert(QStringLiteral("emergency_contacts"), rowsOf(p.emergency_contacts, child));
    row.insert(QStringLiteral("insurance"), rowsOf(p.insurance, child));
    row.insert(QStringLiteral("allergies"), rowsOf(p.allergies, child));
    row.insert(QStringLiteral("conditions"), rowsOf(p.conditions, child));
    return row;
}

// `base` with the fields of `input` (as checked by rowFromJson) put over it; a list sent
// replaces the stored one.
Patient patientWith(const Patient &base, const Row &input)
{
    Patient p = patientFromRow(mergedRow(toRow(base), input));
    p.emergency_contacts = base.emergency_contacts;
    p.insurance = base.insurance;
    p.allergies = base.allergies;
    p.conditions = base.conditions;
    if (input.contains(u"emergency_contacts")) {
        p.emergency_contacts.clear();
        for (const Row &r : listRows(input, QStringLiteral("emergency_contacts")))
            p.emergency_contacts << emergencyContactFromRow(r);
    }
    if (input.contains(u"insurance")) {
        p.insurance.clear();
        for (const Row &r : listRows(input, QStringLiteral("insurance")))
            p.insurance << insuranceFromRow(r);
    }
    if (input.contains(u"allergies")) {
        p.allergies.clear();
        for (const Row &r : listRows(input, QStringLiteral("allergies")))
            p.allergies << allergyFromRow(r);
    }
    if (input.contains(u"conditions")) {
        p.conditions.clear();
        for (const Row &r : listRows(input, QStringLiteral("conditions")))
            p.conditions << conditionFromRow(r);
    }
    return p;
}

void printPatients(const CtlContext &ctx, const QList<Patient> &patients)
{
    if (ctx.json) {
        ctx.printJson(rowsOf(patients, patientJson));
        return;
    }
    for (const Patient &p : patients)
        *ctx.out << p.mrn.leftJustified(12) << ' ' << p.displayName().leftJustified(32) << ' '
                 << (p.birth_date ? p.birth_date->toString(Qt::ISODate) : QString()) << ' ' << p.id.value << '\n';
}

} // namespace

int runPatientVerb(CtlContext &ctx)
{
    const QStringList pos = ctx.positional({QStringLiteral("search"), QStringLiteral("limit")});
    const QString action = pos.value(0);
    auto principal = ctx.person();
    if (!principal)
        return ctx.fail(principal.error());
    PatientStore store(ctx.db, *principal);

    if (action == QLatin1String("add") || action == QLatin1String("duplicates")) {
        auto input = ctx.readJsonObject();
        if (!input)
            return ctx.fail(input.error());
        auto row = rowFromJson(*input, patientShape());
        if (!row)
            return ctx.fail(row.error());
        const Patient p = patientWith(Patient(), *row);
        if (action == QLatin1String("duplicates")) {
            auto matches = store.possibleDuplicates(p);
            if (!matches)
                return ctx.fail(matches.error());
            ctx.printJson(rowsOf(*matches, patientJson));
            return ExitOk;
        }
        auto created = store.create(p);
        if (!created)
            return ctx.fail(created.error());
        ctx.printJson(patientJson(*created));
        return ExitOk;
    }
    if (action == QLatin1String("get") || action == QLatin1String("update") || action == QLatin1String("delete")) {
        if (pos.size() != 2)
            return ctx.usage(QStringLiteral("patient %1 ID").arg(action));
        const PatientId id(pos.at(1));
        if (!isUuid(id.value))
            return ctx.fail(Error::notFound(QStringLiteral("no patient with id %1").arg(id.value)));
        auto current = store.get(id);
        if (!current)
            return ctx.fail(current.error());
        if (action == QLatin1String("get")) {
            ctx.printJson(patientJson(*current));
            return ExitOk;
        }
        if (action == QLatin1String("delete")) {
            if (Status s = store.remove(id); !s)
                return ctx.fail(s.error());
            return ExitOk;
        }
        auto input = ctx.readJsonObject();
        if (!input)
            return ctx.fail(input.error());
        auto row = rowFromJson(*input, patientShape());
        if (!row)
            return ctx.fail(row.error());
        if (row->contains(u"id") && row->value(u"id").toString() != id.value)
            return ctx.fail(Error::invalid(QStringLiteral("id"), QStringLiteral("read_only"),
                                           QStringLiteral("the id of a patient cannot change")));
        auto updated = store.update(patientWith(*current, *row));
        if (!updated)
            return ctx.fail(updated.error());
        ctx.printJson(patientJson(*updated));
        return ExitOk;
    }
    if (action == QLatin1String("list")) {
        const QString search = ctx.option(QStringLiteral("search"));
        const int limit = ctx.option(QStringLiteral("limit")).isEmpty() ? -1 : ctx.option(QStringLiteral("limit")).toInt();
        auto patients = search.isEmpty() ? store.list(limit) : store.search(search, limit < 0 ? 50 : limit);
        if (!patients)
            return ctx.fail(patients.error());
        printPatients(ctx, *patients);
        return ExitOk;
    }
    return ctx.usage(QStringLiteral("patient add | get ID | list [--search TEXT] | update ID | delete ID | duplicates"));
}

} // namespace tmdash
