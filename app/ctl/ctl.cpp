#include "ctl.h"

#include "ctlcontext.h"
#include "verbs.h"

#include <QTextStream>

namespace tmdash {

namespace {

const char kUsage[] =
    "Usage: tmdashctl [--db URL] [--as EMAIL] [--json] VERB ...\n"
    "\n"
    "Global options (before the verb):\n"
    "  --db URL      sqlite:PATH or postgresql://user:password@host:port/dbname (default: $TMDASH_DB)\n"
    "  --as EMAIL    act as this user of the database's clinic, logged in with $TMDASH_PASSWORD\n"
    "                (and $TMDASH_TOTP when TOTP is on) or a prompt; every verb but migrate,\n"
    "                seed, bootstrap, clinic add/role/key and audit verify needs it\n"
    "  --json        machine-readable output\n"
    "\n"
    "Verbs (tmdashctl VERB --help for each):\n"
    "  migrate bootstrap seed clinic user patient provider appointment vitals consultation\n"
    "  prescription audit sync conflicts rejections presence board bench\n"
    "\n"
    "Exit codes: 0 ok, 2 invalid input (field errors as JSON on stdout), 3 not found,\n"
    "4 not permitted or not authenticated, 5 storage or server unavailable,\n"
    "6 incompatible (schema newer than this program, migration changed), 7 integrity check\n"
    "failed, 64 usage.\n";

enum class Needs { Database, CurrentSchema, Nothing };

struct Verb
{
    const char *name;
    int (*run)(CtlContext &);
    Needs needs;
    const char *help;
};

const Verb kVerbs[] = {
    {"migrate", runMigrateVerb, Needs::Database, kMigrateHelp},
    {"bootstrap", runBootstrapVerb, Needs::CurrentSchema, kBootstrapHelp},
    {"seed", runSeedVerb, Needs::CurrentSchema, kSeedHelp},
    {"clinic", runClinicVerb, Needs::CurrentSchema, kClinicHelp},
    {"user", runUserVerb, Needs::CurrentSchema, kUserHelp},
    {"patient", runPatientVerb, Needs::CurrentSchema, kPatientHelp},
    {"provider", runProviderVerb, Needs::CurrentSchema, kProviderHelp},
    {"appointment", runAppointmentVerb, Needs::CurrentSchema, kAppointmentHelp},
    {"vitals", runVitalsVerb, Needs::CurrentSchema, kVitalsHelp},
    {"consultation", runConsultationVerb, Needs::CurrentSchema, kConsultationHelp},
    {"prescription", runPrescriptionVerb, Needs::CurrentSchema, kPrescriptionHelp},
    {"audit", runAuditVerb, Needs::CurrentSchema, kAuditHelp},
    {"sync", runSyncVerb, Needs::Database, kSyncHelp},
    {"conflicts", runConflictsVerb, Needs::CurrentSchema, kConflictsHelp},
    {"rejections", runRejectionsVerb, Needs::CurrentSchema, kRejectionsHelp},
    {"presence", runPresenceVerb, Needs::CurrentSchema, kPresenceHelp},
    {"board", runBoardVerb, Needs::CurrentSchema, kBoardHelp},
    {"bench", runBenchVerb, Needs::Nothing, kBenchHelp},
};

} // namespace

int runCtl(const QStringList &args, QTextStream &in, QTextStream &out, QTextStream &err)
{
    CtlContext ctx;
    ctx.in = &in;
    ctx.out = &out;
    ctx.err = &err;
    ctx.dbUrl = qEnvironmentVariable("TMDASH_DB");
    int i = 0;
    for (; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
            out << kUsage;
            return ExitOk;
        }
        if (a == QLatin1String("--json")) {
            ctx.json = true;
        } else if (a == QLatin1String("--db") || a == QLatin1String("--as")) {
            if (i + 1 >= args.size())
                return ctx.usage(a + QStringLiteral(" needs a value"));
            (a == QLatin1String("--db") ? ctx.dbUrl : ctx.asEmail) = args.at(++i);
        } else if (a.startsWith(QLatin1String("--"))) {
            return ctx.usage(QStringLiteral("unknown option ") + a);
        } else {
            break;
        }
    }
    if (i >= args.size()) {
        err << kUsage;
        return ExitUsage;
    }
    const QString verbName = args.at(i);
    const Verb *verb = nullptr;
    for (const Verb &v : kVerbs)
        if (verbName == QLatin1String(v.name))
            verb = &v;
    if (!verb)
        return ctx.usage(QStringLiteral("unknown verb '%1'").arg(verbName));
    ctx.args = args.mid(i + 1);
    if (ctx.args.contains(QStringLiteral("--help"))) {
        out << verb->help;
        return ExitOk;
    }
    if (verb->needs == Needs::Nothing)
        return verb->run(ctx);
    if (ctx.dbUrl.isEmpty())
        return ctx.usage(QStringLiteral("no database: pass --db URL or set TMDASH_DB"));
    auto db = Database::open(ctx.dbUrl);
    if (!db)
        return ctx.fail(db.error());
    ctx.db = *db;
    int code = ExitOk;
    if (Status s = verb->needs == Needs::CurrentSchema ? ctx.db.requireCurrentSchema() : Status(); !s)
        code = ctx.fail(s.error());
    else
        code = verb->run(ctx);
    ctx.db.close();
    return code;
}

} // namespace tmdash
