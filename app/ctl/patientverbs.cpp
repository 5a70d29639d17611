#include "clock.h"
#include "jsoninput.h"
#include "livestate.h"
#include "patientcodec.h"
#include "patientlookup.h"
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
    "  duplicates  JSON of a would-be patient on stdin; prints possible matches\n"
    "tmdashctl patient lookup --name NAME --birth-date YYYY-MM-DD | --mrn MRN [--central URL]\n"
    "              [--redis URL]\n"
    "  lookup      asks the central whether the person is registered at any clinic of the\n"
    "              organization; prints at most 20 summaries (name, birth date, clinic, mrn).\n"
    "              The central audits it. Answers are cached in Redis ($TMDASH_LOOKUP_TTL_SECONDS,\n"
    "              default 300); `sync status` shows the hits and misses. --central URL (default:\n"
    "              $TMDASH_CENTRAL), --redis URL (default: $TMDASH_REDIS; without Redis the central\n"
    "              is asked every time). Exit 5 when the central is unreachable. Staff,\n"
    "              providers and admins.\n";

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

// `patient lookup`: the organization-wide lookup through the central (sync/patientlookup.h).
int runLookup(const CtlContext &ctx, const Principal &principal)
{
    const QString name = ctx.option(QStringLiteral("name"));
    const QString birthDate = ctx.option(QStringLiteral("birth-date"));
    const QString mrn = ctx.option(QStringLiteral("mrn"));
    if (int code = checkOptions(ctx, {QStringLiteral("name"), QStringLiteral("birth-date"), QStringLiteral("mrn"),
                                      QStringLiteral("central"), QStringLiteral("redis")});
        code != ExitOk)
        return code;
    const bool byMrn = !mrn.isEmpty();
    if (byMrn == (!name.isEmpty() || !birthDate.isEmpty()))
        return ctx.usage(QStringLiteral("patient lookup --name NAME --birth-date YYYY-MM-DD | --mrn MRN"));
    QString central = ctx.option(QStringLiteral("central"));
    if (central.isEmpty())
        central = qEnvironmentVariable("TMDASH_CENTRAL");
    QString redis = ctx.option(QStringLiteral("redis"));
    if (redis.isEmpty())
        redis = qEnvironmentVariable("TMDASH_REDIS");
    // The permission check comes first (the lookup's own), then the input.
    if (Status s = requireLiveStateAccess(principal); !s)
        return ctx.fail(s.error());
    if (central.isEmpty())
        return ctx.fail(Error::invalid(QStringLiteral("central"), QStringLiteral("required"),
                                       QStringLiteral("no central: pass --central URL or set TMDASH_CENTRAL")));
    const auto date = byMrn ? std::optional<QDate>() : parseDate(birthDate);
    if (!byMrn && !date)
        return ctx.fail(Error::invalid(QStringLiteral("birth_date"), QStringLiteral("format"),
                                       QStringLiteral("a birth date looks like YYYY-MM-DD")));
    const PatientLookup lookup(central, redis, ctx.db, principal);
    const auto result = byMrn ? lookup.lookup(mrn) : lookup.lookup(name, *date);
    if (!result)
        return ctx.fail(result.error());
    if (!redis.isEmpty() && !result->redisError.isEmpty())
        *ctx.err << "the lookup cache is not available, the central was asked: " << result->redisError << '\n';
    if (ctx.json) {
        QJsonArray out;
        for (const PatientSummary &m : result->matches)
            out << m.toJson();
        ctx.printJson(out);
        return ExitOk;
    }
    if (result->matches.isEmpty()) {
        *ctx.out << "no patient of the organization matches\n";
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const PatientSummary &m : result->matches)
        rows << QStringList{m.mrn, m.given_name + QLatin1Char(' ') + m.family_name, formatDate(m.birth_date),
                            m.clinic_name, m.patient_id.value};
    printTable(ctx, {QStringLiteral("mrn"), QStringLiteral("name"), QStringLiteral("birth date"),
                     QStringLiteral("clinic"), QStringLiteral("patient")},
               rows);
    return ExitOk;
}

} // namespace

int runPatientVerb(CtlContext &ctx)
{
    const QStringList pos = ctx.positional({QStringLiteral("search"), QStringLiteral("limit"), QStringLiteral("name"),
                                            QStringLiteral("birth-date"), QStringLiteral("mrn"),
                                            QStringLiteral("central"), QStringLiteral("redis")});
    const QString action = pos.value(0);
    auto principal = ctx.person();
    if (!principal)
        return ctx.fail(principal.error());
    if (action == QLatin1String("lookup")) {
        if (pos.size() != 1)
            return ctx.usage(QStringLiteral("patient lookup --name NAME --birth-date YYYY-MM-DD | --mrn MRN"));
        return runLookup(ctx, *principal);
    }
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
    return ctx.usage(QStringLiteral("patient add | get ID | list [--search TEXT] | update ID | delete ID | duplicates | lookup"));
}

} // namespace tmdash
