#include "auditlog.h"
#include "clock.h"
#include "userstore.h"
#include "verbsupport.h"
#include "verbs.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace tmdash {

const char kAuditHelp[] =
    "tmdashctl audit verify | list [--patient ID] [--actor EMAIL] [--since T] [--limit N]\n"
    "  verify   walks every device's hash chain of the audit log: recomputes each entry's hash,\n"
    "           checks the links to the previous entry and that no seq is missing. Prints how\n"
    "           many entries were checked and, per broken chain, its first broken entry (device,\n"
    "           seq, id, reason); exit 7 when any chain is broken. Run as the database's owner\n"
    "           (no --as). With --json {\"checked\": N, \"breaks\": [{...}]}.\n"
    "  list     the audit entries of your clinic, newest first (a table; JSON with --json). Acts\n"
    "           as --as EMAIL (admins may read the audit log).\n"
    "           --patient ID   entries about this patient or one of its records\n"
    "           --actor EMAIL  entries of this user of your clinic\n"
    "           --since T      entries at or after this ISO 8601 instant\n"
    "           --limit N      at most N entries (default 1000)\n";

namespace {

const QString kUsage =
    QStringLiteral("audit verify | list [--patient ID] [--actor EMAIL] [--since T] [--limit N]");

QJsonObject entryJson(const AuditEntry &e)
{
    Row row = auditEntryRow(e);
    if (row.value(u"fields").isNull())
        row.insert(QStringLiteral("fields"), QJsonObject());
    return row;
}

int runVerify(CtlContext &ctx, const QStringList &pos)
{
    if (int code = checkOptions(ctx, {}); code != ExitOk)
        return code;
    if (pos.size() != 1)
        return ctx.usage(QStringLiteral("audit verify takes no arguments"));
    if (!ctx.asEmail.isEmpty())
        return ctx.fail(Error::notPermitted(
            QStringLiteral("audit verify is run by the database's owner: run without --as")));
    auto verified = verifyAuditLog(ctx.db);
    if (!verified)
        return ctx.fail(verified.error());
    if (ctx.json) {
        QJsonArray breaks;
        for (const AuditBreak &b : verified->breaks)
            breaks.append(QJsonObject{{QStringLiteral("device_id"), b.device_id},
                                      {QStringLiteral("seq"), b.seq},
                                      {QStringLiteral("id"), b.id},
                                      {QStringLiteral("reason"), b.reason},
                                      {QStringLiteral("message"), b.message}});
        ctx.printJson(QJsonObject{{QStringLiteral("checked"), verified->checked},
                                  {QStringLiteral("breaks"), breaks}});
    } else {
        *ctx.out << verified->checked << " audit entries checked\n";
        for (const AuditBreak &b : verified->breaks)
            *ctx.out << "broken: device " << b.device_id << " seq " << b.seq << " id " << b.id
                     << " reason " << b.reason << ": " << b.message << '\n';
        if (verified->breaks.isEmpty())
            *ctx.out << "every chain holds\n";
    }
    if (!verified->breaks.isEmpty())
        return ctx.fail(Error{ErrorCode::Integrity,
                              QStringLiteral("audit log integrity check failed: %1 broken chain(s)")
                                  .arg(verified->breaks.size()),
                              {}});
    return ExitOk;
}

int runList(CtlContext &ctx, const QStringList &pos)
{
    const QStringList withValue{QStringLiteral("patient"), QStringLiteral("actor"),
                                QStringLiteral("since"), QStringLiteral("limit")};
    if (int code = checkOptions(ctx, withValue); code != ExitOk)
        return code;
    if (pos.size() != 1)
        return ctx.usage(kUsage);
    if (ctx.asEmail.isEmpty())
        return ctx.fail(Error{ErrorCode::NotAuthenticated,
                              QStringLiteral("audit list acts as a user: pass --as EMAIL"),
                              {}});
    auto principal = ctx.principal();
    if (!principal)
        return ctx.fail(principal.error());
    // Who may read comes before the options are looked at.
    if (Status s = requirePermission(*principal, Action::ReadAudit); !s)
        return ctx.fail(s.error());

    AuditFilter filter;
    FieldErrors errors;
    if (const QString patient = ctx.option(QStringLiteral("patient")); !patient.isEmpty()) {
        if (isUuid(patient))
            filter.patient_id = PatientId(patient.toLower());
        else
            errors << FieldError{QStringLiteral("patient"), QStringLiteral("format"),
                                 QStringLiteral("'%1' is not a patient id (a UUID).").arg(patient)};
    }
    if (const QString since = ctx.option(QStringLiteral("since")); !since.isEmpty()) {
        filter.since = parseInstant(since);
        if (!filter.since)
            errors << FieldError{QStringLiteral("since"), QStringLiteral("format"),
                                 QStringLiteral("'%1' is not an ISO 8601 instant with a zone, "
                                                "e.g. 2026-03-01T00:00:00Z.")
                                     .arg(since)};
    }
    if (const QString limit = ctx.option(QStringLiteral("limit")); !limit.isEmpty()) {
        bool ok = false;
        filter.limit = limit.toInt(&ok);
        if (!ok || filter.limit < 1)
            errors << FieldError{QStringLiteral("limit"), QStringLiteral("range"),
                                 QStringLiteral("The limit must be a whole number of at least 1.")};
    }
    if (!errors.isEmpty())
        return ctx.fail(Error::invalid(errors));

    const UserStore users(ctx.db, *principal);
    if (const QString actor = ctx.option(QStringLiteral("actor")); !actor.isEmpty()) {
        auto user = users.findByEmail(actor);
        if (!user)
            return ctx.fail(user.error());
        filter.actor_id = user->id;
    }
    auto entries = listAudit(ctx.db, *principal, filter);
    if (!entries)
        return ctx.fail(entries.error());

    if (ctx.json) {
        QJsonArray out;
        for (const AuditEntry &e : *entries)
            out.append(entryJson(e));
        ctx.printJson(out);
        return ExitOk;
    }
    QHash<QString, QString> emails;
    if (auto all = users.list(); all)
        for (const User &u : *all)
            emails.insert(u.id.value, u.email);
    QList<QStringList> rows;
    for (const AuditEntry &e : *entries) {
        const QString actor = e.actor_id.isNull()
                                  ? QStringLiteral("-")
                                  : emails.value(e.actor_id.value, e.actor_id.value);
        rows << QStringList{formatInstant(e.at),
                            actor,
                            e.role,
                            e.action,
                            e.entity,
                            e.entity_id,
                            e.fields.isEmpty() ? QString()
                                               : QString::fromUtf8(QJsonDocument(e.fields).toJson(
                                                     QJsonDocument::Compact))};
    }
    printTable(ctx,
               {QStringLiteral("at"), QStringLiteral("actor"), QStringLiteral("role"),
                QStringLiteral("action"), QStringLiteral("entity"), QStringLiteral("entity_id"),
                QStringLiteral("fields")},
               rows);
    return ExitOk;
}

} // namespace

int runAuditVerb(CtlContext &ctx)
{
    const QStringList pos = ctx.positional({QStringLiteral("patient"), QStringLiteral("actor"),
                                            QStringLiteral("since"), QStringLiteral("limit")});
    const QString action = pos.value(0);
    if (action == QLatin1String("verify"))
        return runVerify(ctx, pos);
    if (action == QLatin1String("list"))
        return runList(ctx, pos);
    return ctx.usage(kUsage);
}

} // namespace tmdash
