#include "cliniccodec.h"
#include "clinickey.h"
#include "clinicroles.h"
#include "clock.h"
#include "clinicstore.h"
#include "jsoninput.h"
#include "verbsupport.h"
#include "verbs.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace tmdash {

const char kClinicHelp[] =
    "tmdashctl clinic add | get ID | list | update ID\n"
    "tmdashctl clinic role CLINIC_ID --login NAME --password-stdin\n"
    "tmdashctl clinic key export CLINIC_ID | key import CLINIC_ID\n"
    "  add        one JSON clinic on stdin; prints the stored clinic. Only the database's owner\n"
    "             (no --as) adds clinics, and a desktop (SQLite) database holds one clinic, so\n"
    "             further clinics are added on a central. Without business_hours the clinic is\n"
    "             open Monday to Friday 08:00-17:00.\n"
    "  get ID     prints the clinic as JSON\n"
    "  list       the clinics you can see (a table; JSON with --json)\n"
    "  update ID  JSON with the changed fields on stdin; prints the stored clinic\n"
    "  role CLINIC_ID --login NAME --password-stdin\n"
    "             central (PostgreSQL) only, as the database's owner with CREATEROLE: creates\n"
    "             the clinic's database LOGIN role NAME (lowercase letters, digits, _) as a\n"
    "             member of tmdash_clinic, lets it connect, and maps it to the clinic, so that\n"
    "             a desktop connecting as NAME sees and changes only that clinic's rows. The\n"
    "             password (at least 12 printable ASCII characters) is the first line of stdin,\n"
    "             never an argument; only its SCRAM-SHA-256 verifier is sent to the server.\n"
    "             Again for the same clinic and NAME: sets a new password. A role that exists\n"
    "             for anything else is never taken over (exit 2). Prints the mapping as JSON.\n"
    "  key export CLINIC_ID  prints this desktop's clinic key (base64). The key encrypts the\n"
    "             TOTP secrets stored in the database and is kept outside it, in the owner-only\n"
    "             configuration folder ($TMDASH_CONFIG_DIR, else ~/.config/tmdash).\n"
    "  key import CLINIC_ID  stores the clinic key read from stdin on this desktop, so that\n"
    "             its users' TOTP codes can be checked here; never replaces a different key.\n"
    "             Both are for the desktop's owner (no --as); move the key over a trusted channel.\n"
    "Fields: id (optional on add), name, timezone (IANA, e.g. America/New_York), phone,\n"
    "address_line, city, region, postal_code, country (ISO 3166-1 alpha-2), business_hours.\n"
    "business_hours, when sent, replaces the whole week: {\"1\": {\"open\": \"08:00\", \"close\":\n"
    "\"17:00\"}, ...} keyed by ISO weekday 1 (Monday) to 7 (Sunday) or \"monday\" ... \"sunday\",\n"
    "local HH:MM times in the clinic's time zone (close = end of the last appointment); a day\n"
    "left out or null is closed.\n";

namespace {

JsonShape clinicShape()
{
    // clinic_id of a clinic is its own id: derived, so it cannot be sent.
    return {tableSpec(u"clinics"), {}, {QStringLiteral("clinic_id")}};
}

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

std::optional<QTime> hhmm(const QJsonValue &value)
{
    const QString text = value.toString();
    const QTime t = QTime::fromString(text, QStringLiteral("HH:mm"));
    if (text.size() != 5 || !t.isValid())
        return std::nullopt;
    return t;
}

// The week of business_hours as sent, checked strictly (the codec's reader forgives what the
// database holds; input must not be forgiven): unknown days and keys, wrong types and unreadable
// times are errors under "business_hours.<weekday key>". A day with only one of open/close is
// kept that way so that validateClinic names it ("required").
std::array<DayHours, 7> hoursFromInput(const QJsonObject &days, FieldErrors &errors)
{
    std::array<DayHours, 7> hours{};
    std::array<bool, 7> seen{};
    for (auto it = days.constBegin(); it != days.constEnd(); ++it) {
        bool numeric = false;
        int day = it.key().toInt(&numeric);
        if (!numeric)
            day = weekdayFromKey(it.key()).value_or(0);
        if (day < 1 || day > 7) {
            errors << FieldError{
                QStringLiteral("business_hours.") + it.key(), QStringLiteral("unknown"),
                tr("'%1' is not a weekday; use 1 (Monday) to 7 (Sunday) or monday to sunday.")
                    .arg(it.key())};
            continue;
        }
        const QString field = QStringLiteral("business_hours.") + weekdayKey(day);
        if (seen[std::size_t(day - 1)]) {
            errors << FieldError{field, QStringLiteral("duplicate"),
                                 tr("The hours of this day are given twice.")};
            continue;
        }
        seen[std::size_t(day - 1)] = true;
        if (it.value().isNull())
            continue; // closed
        if (!it.value().isObject()) {
            errors << FieldError{field, QStringLiteral("type"),
                                 tr("expected {\"open\": \"HH:MM\", \"close\": \"HH:MM\"}, or null "
                                    "for a closed day")};
            continue;
        }
        DayHours h;
        const QJsonObject times = it.value().toObject();
        for (auto t = times.constBegin(); t != times.constEnd(); ++t) {
            const bool isOpen = t.key() == QLatin1String("open");
            if (!isOpen && t.key() != QLatin1String("close")) {
                errors << FieldError{
                    field + QLatin1Char('.') + t.key(), QStringLiteral("unknown"),
                    tr("'%1' is not a field here; expected open and close.").arg(t.key())};
                continue;
            }
            if (t.value().isNull())
                continue;
            const auto time = hhmm(t.value());
            if (!time) {
                errors << FieldError{
                    field, QStringLiteral("format"),
                    tr("The %1 time must be a local time HH:MM, e.g. \"08:30\".").arg(t.key())};
                continue;
            }
            (isOpen ? h.open : h.close) = *time;
        }
        hours[std::size_t(day - 1)] = h;
    }
    return hours;
}

// Checks `input` against the clinic's shape and applies it onto `base`; every failing field
// together.
Result<Clinic> clinicWith(const Clinic &base, const QJsonObject &input)
{
    FieldErrors errors;
    auto row = rowFromJson(input, clinicShape());
    if (!row) {
        if (row.error().code != ErrorCode::Invalid)
            return row.error();
        errors << row.error().fields;
    }
    std::optional<std::array<DayHours, 7>> hours;
    if (input.value(u"business_hours").isObject())
        hours = hoursFromInput(input.value(u"business_hours").toObject(), errors);
    else if (input.contains(u"business_hours") && input.value(u"business_hours").isNull())
        hours = std::array<DayHours, 7>{}; // null: closed all week
    if (!errors.isEmpty())
        return Error::invalid(errors);
    Row merged = toRow(base);
    for (auto it = row->constBegin(); it != row->constEnd(); ++it)
        if (it.key() != QLatin1String("business_hours"))
            merged.insert(it.key(), it.value());
    Clinic c = clinicFromRow(merged);
    c.business_hours = hours.value_or(base.business_hours);
    return c;
}

void printClinics(const CtlContext &ctx, const QList<Clinic> &clinics)
{
    if (ctx.json) {
        QJsonArray out;
        for (const Clinic &c : clinics)
            out.append(clinicJson(c));
        ctx.printJson(out);
        return;
    }
    for (const Clinic &c : clinics)
        *ctx.out << c.name.leftJustified(32) << ' ' << c.timezone.leftJustified(24) << ' '
                 << c.id.value << '\n';
}

// clinic role CLINIC_ID --login NAME --password-stdin
int runClinicRole(const CtlContext &ctx, const QStringList &pos)
{
    if (int code = checkOptions(ctx, {QStringLiteral("login")}, {QStringLiteral("password-stdin")});
        code != ExitOk)
        return code;
    if (pos.size() != 2)
        return ctx.usage(QStringLiteral("clinic role CLINIC_ID --login NAME --password-stdin"));
    if (!ctx.flag(QStringLiteral("password-stdin")))
        return ctx.usage(QStringLiteral("clinic role reads the password from stdin: pass "
                                        "--password-stdin (never put it on the command line)"));
    auto principal = ctx.principal();
    if (!principal)
        return ctx.fail(principal.error());
    // Refusals that do not depend on the input come before stdin is read.
    if (ctx.db.isSqlite() || principal->isPerson()) {
        auto refused = createClinicRole(ctx.db, *principal, ClinicId(), QString(), QString());
        return ctx.fail(refused.error());
    }
    const QString password = passwordFromStdin(ctx);
    auto role = createClinicRole(ctx.db, *principal, ClinicId(pos.at(1).toLower()),
                                 ctx.option(QStringLiteral("login")), password);
    if (!role)
        return ctx.fail(role.error());
    ctx.printJson(QJsonObject{{QStringLiteral("login"), role->login},
                              {QStringLiteral("clinic_id"), role->clinic_id.value},
                              {QStringLiteral("created_at"), formatInstant(role->created_at)}});
    return ExitOk;
}

int runClinicKey(const CtlContext &ctx, const QStringList &pos)
{
    if (int code = checkOptions(ctx, {}); code != ExitOk)
        return code;
    const QString step = pos.value(1);
    if (pos.size() != 3 || (step != QLatin1String("export") && step != QLatin1String("import")))
        return ctx.usage(QStringLiteral("clinic key export CLINIC_ID | key import CLINIC_ID"));
    if (!ctx.asEmail.isEmpty())
        return ctx.fail(Error::notPermitted(QStringLiteral(
            "the clinic key belongs to the desktop's owner: run clinic key without --as")));
    if (!isUuid(pos.at(2)))
        return ctx.fail(Error::invalid(QStringLiteral("clinic_id"), QStringLiteral("format"),
                                       QStringLiteral("CLINIC_ID is a clinic id (a UUID).")));
    const ClinicId clinic(pos.at(2).toLower());
    if (step == QLatin1String("export")) {
        auto key = exportClinicKey(clinic);
        if (!key)
            return ctx.fail(key.error());
        *ctx.out << *key << '\n';
        return ExitOk;
    }
    if (Status s = importClinicKey(clinic, ctx.in->readLine().trimmed()); !s)
        return ctx.fail(s.error());
    *ctx.err << "clinic key stored in " << clinicKeyPath(clinic) << '\n';
    return ExitOk;
}

} // namespace

int runClinicVerb(CtlContext &ctx)
{
    const QStringList pos = ctx.positional({QStringLiteral("login")});
    const QString action = pos.value(0);
    if (action == QLatin1String("role"))
        return runClinicRole(ctx, pos);
    if (action == QLatin1String("key"))
        return runClinicKey(ctx, pos);
    if (int code = checkOptions(ctx, {}); code != ExitOk)
        return code;
    auto principal = ctx.principal();
    if (!principal)
        return ctx.fail(principal.error());
    const ClinicStore store(ctx.db, *principal);

    if (action == QLatin1String("add")) {
        if (pos.size() != 1)
            return ctx.usage(QStringLiteral("clinic add takes no arguments (JSON on stdin)"));
        // Who may add comes before the input is looked at.
        if (principal->isPerson())
            return ctx.fail(Error::notPermitted(
                QStringLiteral("only the database's owner adds clinics: run without --as")));
        if (ctx.db.isSqlite()) {
            auto existing = store.list();
            if (!existing)
                return ctx.fail(existing.error());
            if (!existing->isEmpty())
                return ctx.fail(
                    Error::notPermitted(QStringLiteral("a desktop database holds one clinic (%1); "
                                                       "add further clinics on the central")
                                            .arg(existing->first().name)));
        }
        auto input = ctx.readJsonObject();
        if (!input)
            return ctx.fail(input.error());
        Clinic base;
        base.setWeekdayHours(QTime(8, 0), QTime(17, 0));
        auto clinic = clinicWith(base, *input);
        if (!clinic)
            return ctx.fail(clinic.error());
        auto created = store.create(*clinic);
        if (!created)
            return ctx.fail(created.error());
        ctx.printJson(clinicJson(*created));
        return ExitOk;
    }
    if (action == QLatin1String("get") || action == QLatin1String("update")) {
        if (pos.size() != 2)
            return ctx.usage(QStringLiteral("clinic %1 ID").arg(action));
        const ClinicId id(pos.at(1).toLower());
        if (!isUuid(id.value))
            return ctx.fail(Error::notFound(QStringLiteral("no clinic with id %1").arg(pos.at(1))));
        auto current = store.get(id);
        if (!current)
            return ctx.fail(current.error());
        if (action == QLatin1String("get")) {
            ctx.printJson(clinicJson(*current));
            return ExitOk;
        }
        auto input = ctx.readJsonObject();
        if (!input)
            return ctx.fail(input.error());
        auto edited = clinicWith(*current, *input);
        if (!edited)
            return ctx.fail(edited.error());
        if (edited->id != current->id)
            return ctx.fail(Error::invalid(QStringLiteral("id"), QStringLiteral("read_only"),
                                           QStringLiteral("the id of a clinic cannot change")));
        auto updated = store.update(*edited);
        if (!updated)
            return ctx.fail(updated.error());
        ctx.printJson(clinicJson(*updated));
        return ExitOk;
    }
    if (action == QLatin1String("list")) {
        if (pos.size() != 1)
            return ctx.usage(QStringLiteral("clinic list takes no arguments"));
        auto clinics = store.list();
        if (!clinics)
            return ctx.fail(clinics.error());
        printClinics(ctx, *clinics);
        return ExitOk;
    }
    return ctx.usage(QStringLiteral("clinic add | get ID | list | update ID | role CLINIC_ID"));
}

} // namespace tmdash
