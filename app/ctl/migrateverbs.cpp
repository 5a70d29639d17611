#include "migrator.h"
#include "verbs.h"

#include <QJsonArray>

namespace tmdash {

const char kMigrateHelp[] =
    "tmdashctl migrate status | up [--to N] | down [--to N] [--force]\n"
    "  status  the applied and pending steps (exit 6 when the schema is newer than this program)\n"
    "  up      apply steps up to the latest (or N)\n"
    "  down    revert steps down to 0 (or N); refuses to drop tables holding rows without --force\n";

int runMigrateVerb(CtlContext &ctx)
{
    const QStringList pos = ctx.positional({QStringLiteral("to")});
    const QString action = pos.value(0);
    Migrator migrator(ctx.db.connectionName(), ctx.db.dialect());
    bool ok = true;
    const int to = ctx.option(QStringLiteral("to")).toInt(&ok);
    if (!ctx.option(QStringLiteral("to")).isEmpty() && (!ok || to < 0))
        return ctx.usage(QStringLiteral("--to needs a step number"));
    const bool hasTo = !ctx.option(QStringLiteral("to")).isEmpty();

    Migrator::Outcome outcome;
    if (action == QLatin1String("status")) {
        outcome = migrator.check();
        QJsonArray applied;
        for (const AppliedMigration &a : migrator.applied())
            applied.append(QJsonObject{{QStringLiteral("version"), a.version},
                                       {QStringLiteral("name"), a.name},
                                       {QStringLiteral("applied_at"), a.appliedAt}});
        if (ctx.json) {
            ctx.printJson(QJsonObject{{QStringLiteral("current"), migrator.currentVersion()},
                                      {QStringLiteral("latest"), migrator.latestVersion()},
                                      {QStringLiteral("applied"), applied}});
        } else {
            *ctx.out << "schema at step " << migrator.currentVersion() << " of "
                     << migrator.latestVersion() << '\n';
            for (const MigrationStep &s : Migrator::steps(ctx.db.dialect()))
                *ctx.out << QString::number(s.version).rightJustified(4, QLatin1Char('0')) << ' '
                         << s.name << (s.version <= migrator.currentVersion() ? " applied" : " pending") << '\n';
        }
    } else if (action == QLatin1String("up")) {
        outcome = migrator.up(hasTo ? to : -1);
    } else if (action == QLatin1String("down")) {
        outcome = migrator.down(hasTo ? to : 0, ctx.flag(QStringLiteral("force")));
    } else {
        return ctx.usage(QStringLiteral("migrate status | up [--to N] | down [--to N] [--force]"));
    }
    switch (outcome.kind) {
    case Migrator::Outcome::Ok:
        if (action != QLatin1String("status"))
            *ctx.err << "schema at step " << migrator.currentVersion() << '\n';
        return ExitOk;
    case Migrator::Outcome::Incompatible:
        return ctx.fail(Error::incompatible(outcome.message));
    case Migrator::Outcome::WouldDropData:
        return ctx.fail(Error::invalid(QStringLiteral("force"), QStringLiteral("would_drop_data"), outcome.message));
    case Migrator::Outcome::Failed:
        return ctx.fail(Error::storage(outcome.message));
    }
    return ExitUnavailable;
}

} // namespace tmdash
