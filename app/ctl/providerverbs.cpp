#include "appointmentstore.h"
#include "clinicstore.h"
#include "clock.h"
#include "jsoninput.h"
#include "providercodec.h"
#include "providerstore.h"
#include "verbsupport.h"
#include "verbs.h"

#include <QHash>
#include <QJsonArray>

namespace tmdash {

const char kProviderHelp[] =
    "tmdashctl provider add | get ID | list | update ID | delete ID\n"
    "                   | slots ID --day YYYY-MM-DD [--minutes N]\n"
    "  add        one JSON provider on stdin; prints the stored provider. Fields: id (optional),\n"
    "             user_id (the provider's user account, required), npi (10 digits with a valid\n"
    "             check digit), license_number, license_region, license_expires (YYYY-MM-DD, not\n"
    "             past), specialty, credentials, default_slot_minutes (5-480, default 15), and "
    "the\n"
    "             owned lists as arrays:\n"
    "               availability [{\"weekday\": 1-7 (1 = Monday), \"start_time\": \"HH:MM\",\n"
    "                              \"end_time\": \"HH:MM\", \"room\": ...}]  (clinic-local times)\n"
    "               time_off [{\"start_at\": instant, \"end_at\": instant, \"reason\": ...}]\n"
    "  get ID     prints the provider as JSON\n"
    "  list       the providers you can see (a table; JSON with --json)\n"
    "  update ID  JSON with the changed fields on stdin; a list sent replaces the stored one\n"
    "             (rows sent with their id are kept, rows left out are removed)\n"
    "  delete ID  retracts the provider and its lists (a tombstone)\n"
    "  slots ID   the free appointment start times on a clinic-local day: canonical UTC instants\n"
    "             (a JSON array with --json; the table adds the clinic-local HH:MM). --minutes N:\n"
    "             the appointment length (default: the provider's default_slot_minutes)\n";

namespace {

const QStringList kOptions{QStringLiteral("day"), QStringLiteral("minutes")};

JsonShape providerShape()
{
    return {tableSpec(u"providers"),
            {{QStringLiteral("availability"), tableSpec(u"provider_availability")},
             {QStringLiteral("time_off"), tableSpec(u"provider_time_off")}},
            {}};
}

template <class T> QJsonArray childRowsJson(const QList<T> &items)
{
    QJsonArray out;
    for (const T &item : items) {
        Row r = toRow(item);
        putMeta(r, item.meta);
        out.append(r);
    }
    return out;
}

QJsonObject providerJson(const Provider &p)
{
    Row row = toRow(p);
    row.insert(QStringLiteral("availability"), childRowsJson(p.availability));
    row.insert(QStringLiteral("time_off"), childRowsJson(p.time_off));
    return row;
}

QList<Row> listRows(const Row &input, QStringView key)
{
    QList<Row> out;
    for (const QJsonValue &v : input.value(key).toArray())
        out << v.toObject();
    return out;
}

// Applies the fields of `input` (as checked by rowFromJson) onto `base`; a list sent replaces
// the stored one.
Provider providerWith(const Provider &base, const Row &input)
{
    Row merged = toRow(base);
    for (auto it = input.constBegin(); it != input.constEnd(); ++it)
        if (!it.value().isArray())
            merged.insert(it.key(), it.value());
    Provider p = providerFromRow(merged);
    p.availability = base.availability;
    p.time_off = base.time_off;
    if (input.contains(u"availability")) {
        p.availability.clear();
        for (const Row &r : listRows(input, u"availability"))
            p.availability << availabilityFromRow(r);
    }
    if (input.contains(u"time_off")) {
        p.time_off.clear();
        for (const Row &r : listRows(input, u"time_off"))
            p.time_off << timeOffFromRow(r);
    }
    return p;
}

void printProviders(const CtlContext &ctx, const ProviderStore &store, const QList<Provider> &providers)
{
    if (ctx.json) {
        QJsonArray out;
        for (const Provider &p : providers)
            out.append(providerJson(p));
        ctx.printJson(out);
        return;
    }
    const auto names = store.displayNames();
    for (const Provider &p : providers)
        *ctx.out << (names ? names->value(p.id.value) : QString()).leftJustified(28) << ' '
                 << p.credentials.leftJustified(6) << ' ' << p.specialty.leftJustified(20) << ' '
                 << p.npi.leftJustified(10) << ' ' << p.id.value << '\n';
}

int printSlots(const CtlContext &ctx, const Principal &principal, const ProviderId &id)
{
    const QString dayText = ctx.option(QStringLiteral("day"));
    if (dayText.isEmpty())
        return ctx.usage(QStringLiteral("provider slots ID --day YYYY-MM-DD"));
    FieldErrors errors;
    const auto day = parseDate(dayText);
    if (!day)
        errors << FieldError{QStringLiteral("day"), QStringLiteral("format"),
                             QStringLiteral("--day takes a date YYYY-MM-DD, e.g. 2026-03-02.")};
    int minutes = 0;
    if (const QString text = ctx.option(QStringLiteral("minutes")); !text.isEmpty()) {
        bool ok = false;
        minutes = text.toInt(&ok);
        if (!ok || minutes <= 0)
            errors << FieldError{
                QStringLiteral("minutes"), QStringLiteral("format"),
                QStringLiteral("--minutes takes a whole number of minutes, e.g. 30.")};
    }
    if (!errors.isEmpty())
        return ctx.fail(Error::invalid(errors));

    auto provider = ProviderStore(ctx.db, principal).get(id);
    if (!provider)
        return ctx.fail(provider.error());
    auto slots = AppointmentStore(ctx.db, principal).freeSlots(id, *day, minutes);
    if (!slots)
        return ctx.fail(slots.error());
    if (ctx.json) {
        QJsonArray out;
        for (const QDateTime &s : *slots)
            out.append(formatInstant(s));
        ctx.printJson(out);
        return ExitOk;
    }
    auto clinic = ClinicStore(ctx.db, principal).get(provider->clinic_id);
    if (!clinic)
        return ctx.fail(clinic.error());
    const QTimeZone zone = clinic->timeZone();
    if (slots->isEmpty())
        *ctx.out << "No free slots on " << formatDate(*day) << '\n';
    for (const QDateTime &s : *slots)
        *ctx.out << s.toTimeZone(zone).toString(QStringLiteral("HH:mm")) << "  " << formatInstant(s)
                 << '\n';
    return ExitOk;
}

} // namespace

int runProviderVerb(CtlContext &ctx)
{
    if (int code = checkOptions(ctx, kOptions); code != ExitOk)
        return code;
    const QStringList pos = ctx.positional(kOptions);
    const QString action = pos.value(0);
    auto principal = ctx.person();
    if (!principal)
        return ctx.fail(principal.error());
    const ProviderStore store(ctx.db, *principal);

    if (action == QLatin1String("add")) {
        if (pos.size() != 1)
            return ctx.usage(QStringLiteral("provider add takes no arguments (JSON on stdin)"));
        auto input = ctx.readJsonObject();
        if (!input)
            return ctx.fail(input.error());
        auto row = rowFromJson(*input, providerShape());
        if (!row)
            return ctx.fail(row.error());
        auto created = store.create(providerWith(Provider(), *row));
        if (!created)
            return ctx.fail(created.error());
        ctx.printJson(providerJson(*created));
        return ExitOk;
    }
    if (action == QLatin1String("get") || action == QLatin1String("update") ||
        action == QLatin1String("delete") || action == QLatin1String("slots")) {
        if (pos.size() != 2)
            return ctx.usage(action == QLatin1String("slots")
                                 ? QStringLiteral("provider slots ID --day YYYY-MM-DD")
                                 : QStringLiteral("provider %1 ID").arg(action));
        const ProviderId id(pos.at(1).toLower());
        if (!isUuid(id.value))
            return ctx.fail(
                Error::notFound(QStringLiteral("no provider with id %1").arg(pos.at(1))));
        if (action == QLatin1String("slots"))
            return printSlots(ctx, *principal, id);
        auto current = store.get(id);
        if (!current)
            return ctx.fail(current.error());
        if (action == QLatin1String("get")) {
            ctx.printJson(providerJson(*current));
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
        auto row = rowFromJson(*input, providerShape());
        if (!row)
            return ctx.fail(row.error());
        if (row->contains(u"id") && row->value(u"id").toString() != id.value)
            return ctx.fail(Error::invalid(QStringLiteral("id"), QStringLiteral("read_only"),
                                           QStringLiteral("the id of a provider cannot change")));
        auto updated = store.update(providerWith(*current, *row));
        if (!updated)
            return ctx.fail(updated.error());
        ctx.printJson(providerJson(*updated));
        return ExitOk;
    }
    if (action == QLatin1String("list")) {
        if (pos.size() != 1)
            return ctx.usage(QStringLiteral("provider list takes no arguments"));
        auto providers = store.list();
        if (!providers)
            return ctx.fail(providers.error());
        printProviders(ctx, store, *providers);
        return ExitOk;
    }
    return ctx.usage(QStringLiteral(
        "provider add | get ID | list | update ID | delete ID | slots ID --day YYYY-MM-DD"));
}

} // namespace tmdash
