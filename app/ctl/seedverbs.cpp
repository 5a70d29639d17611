#include "clock.h"
#include "seeder.h"
#include "verbs.h"

#include <QJsonArray>

namespace tmdash {

const char kSeedHelp[] =
    "tmdashctl seed [--patients N] [--seed S] [--today YYYY-MM-DD]\n"
    "  Fills an EMPTY database with one clinic's demo data (as the database's owner, no --as):\n"
    "  the clinic (America/New_York), users of every role with known demo passwords, four\n"
    "  providers, N patients (default 200), appointments over the 30 days before and after the\n"
    "  anchor day, vitals, signed and draft consultations and prescriptions, all written through\n"
    "  the stores in one transaction. A desktop (SQLite) database is marked demo and never syncs.\n"
    "  --patients N   1..100000 patients (default 200)\n"
    "  --seed S       the random seed, 0..2^64-1 (default 1)\n"
    "  --today D      the anchor day (default: today, UTC); at most 365 days back, not ahead\n"
    "  The same seed and anchor day give the same rows (ids and every domain field) on SQLite\n"
    "  and PostgreSQL. Prints the demo accounts and their passwords, and the counts (--json:\n"
    "  {\"clinic_id\", \"today\", \"seed\", \"users\": [{\"email\", \"role\", \"password\"}],\n"
    "  \"providers\", \"patients\", \"appointments\", \"vitals\", \"consultations\",\n"
    "  \"prescriptions\", \"demo\"}). A database that already holds a clinic: exit 2.\n";

int runSeedVerb(CtlContext &ctx)
{
    static const QStringList withValue = {QStringLiteral("patients"), QStringLiteral("seed"),
                                          QStringLiteral("today")};
    for (int i = 0; i < ctx.args.size(); ++i) {
        const QString &a = ctx.args.at(i);
        if (!a.startsWith(QLatin1String("--")) || !withValue.contains(a.mid(2)))
            return ctx.usage(QStringLiteral("seed: unexpected argument '%1'").arg(a));
        if (i + 1 >= ctx.args.size())
            return ctx.usage(QStringLiteral("seed: %1 needs a value").arg(a));
        ++i;
    }
    if (!ctx.asEmail.isEmpty())
        return ctx.usage(QStringLiteral("seed runs as the database's owner: leave out --as"));

    SeedOptions options;
    FieldErrors errors;
    if (const QString text = ctx.option(QStringLiteral("patients")); !text.isEmpty()) {
        bool ok = false;
        options.patients = text.toInt(&ok);
        if (!ok)
            errors.append({QStringLiteral("patients"), QStringLiteral("format"),
                           QStringLiteral("--patients takes a whole number, not '%1'.").arg(text)});
    }
    if (const QString text = ctx.option(QStringLiteral("seed")); !text.isEmpty()) {
        bool ok = false;
        options.seed = text.toULongLong(&ok);
        if (!ok)
            errors.append(
                {QStringLiteral("seed"), QStringLiteral("format"),
                 QStringLiteral("--seed takes a whole number 0..2^64-1, not '%1'.").arg(text)});
    }
    if (const QString text = ctx.option(QStringLiteral("today")); !text.isEmpty()) {
        if (auto day = parseDate(text))
            options.today = *day;
        else
            errors.append({QStringLiteral("today"), QStringLiteral("format"),
                           QStringLiteral("--today takes a date YYYY-MM-DD, not '%1'.").arg(text)});
    }
    if (!errors.isEmpty())
        return ctx.fail(Error::invalid(errors));

    auto summary = seedDemoData(ctx.db, options);
    if (!summary)
        return ctx.fail(summary.error());

    if (ctx.json) {
        QJsonArray users;
        for (const SeedUser &u : summary->users)
            users.append(QJsonObject{{QStringLiteral("email"), u.email},
                                     {QStringLiteral("role"), toString(u.role)},
                                     {QStringLiteral("password"), u.password}});
        ctx.printJson(QJsonObject{{QStringLiteral("clinic_id"), summary->clinic_id.value},
                                  {QStringLiteral("today"), formatDate(summary->today)},
                                  {QStringLiteral("seed"), QString::number(summary->seed)},
                                  {QStringLiteral("users"), users},
                                  {QStringLiteral("providers"), summary->providers},
                                  {QStringLiteral("patients"), summary->patients},
                                  {QStringLiteral("appointments"), summary->appointments},
                                  {QStringLiteral("vitals"), summary->vitals},
                                  {QStringLiteral("consultations"), summary->consultations},
                                  {QStringLiteral("prescriptions"), summary->prescriptions},
                                  {QStringLiteral("demo"), ctx.db.isSqlite()}});
        return ExitOk;
    }
    QTextStream &out = *ctx.out;
    out << "Seeded clinic " << summary->clinic_id.value << " (anchor day "
        << formatDate(summary->today) << ", seed " << QString::number(summary->seed) << ")"
        << (ctx.db.isSqlite() ? ", marked demo: it never syncs" : "") << "\n\n";
    out << QStringLiteral("%1  %2  %3\n")
               .arg(QStringLiteral("EMAIL"), -34)
               .arg(QStringLiteral("ROLE"), -8)
               .arg(QStringLiteral("PASSWORD"));
    for (const SeedUser &u : summary->users)
        out << QStringLiteral("%1  %2  %3\n")
                   .arg(u.email, -34)
                   .arg(toString(u.role), -8)
                   .arg(u.password);
    out << "\n"
        << summary->providers << " providers, " << summary->patients << " patients, "
        << summary->appointments << " appointments, " << summary->vitals << " vitals, "
        << summary->consultations << " consultations, " << summary->prescriptions
        << " prescriptions\n";
    return ExitOk;
}

} // namespace tmdash
