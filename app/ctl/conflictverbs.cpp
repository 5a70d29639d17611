#include "clock.h"
#include "syncresolution.h"
#include "verbs.h"
#include "verbsupport.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tmdash {

const char kConflictsHelp[] =
    "tmdashctl conflicts list [--all] | resolve ID --keep local|central|merged\n"
    "  list      the open sync conflicts you may see, oldest first: one row per field that the\n"
    "            central kept because it had changed there since this desktop's edit (the record\n"
    "            already holds the central's value). --all adds the resolved ones. A table; with\n"
    "            --json an array of {id, entity, entity_id, field, local_value, central_value,\n"
    "            mutation_id, detected_at, resolved_at, resolution}.\n"
    "  resolve   settles one conflict (ID from the list):\n"
    "              --keep central  the central's value stays; nothing is written\n"
    "              --keep local    this desktop's value is written again\n"
    "              --keep merged   the value on stdin is written: ONE JSON value for the\n"
    "                              conflict's field, e.g. \"+15550101\", 42, true, null, or an\n"
    "                              object for a JSON field\n"
    "            A written value goes through the record's own rules and syncs as a new change;\n"
    "            when it is refused (exit 2, field errors as JSON) the conflict stays open.\n"
    "            Prints the resolved conflict as JSON.\n"
    "Acts as --as EMAIL: listing shows what your role may read, resolving needs the right to\n"
    "change that record; the patient role may not. An unknown ID is exit 3.\n";

const char kRejectionsHelp[] =
    "tmdashctl rejections list | retry ID | discard ID\n"
    "  list        changes made on this desktop that the central refused, in the order they\n"
    "              were made, with its reason (ID = the change's mutation id). The record is\n"
    "              again what the central holds (a refused creation: absent). A table; with\n"
    "              --json an array of {mutation_id, entity, entity_id, op, changes, reason,\n"
    "              created_at, ...}.\n"
    "  retry ID    applies the refused change again as a new change, with edits read from stdin\n"
    "              as one JSON object {field: value} put over it ({} or nothing for none): a\n"
    "              refused creation creates the record again (same id), an edit sets its new\n"
    "              values, a status change takes the record's action, a deletion deletes again\n"
    "              (no edits). It goes through the record's own rules: when refused (exit 2,\n"
    "              field errors as JSON) nothing changes and the rejection stays listed.\n"
    "  discard ID  drops the refused change; the record stays as the central holds it.\n"
    "Acts as --as EMAIL: listing shows what your role may read, retry and discard need the right\n"
    "to change that record; the patient role may not. An unknown ID is exit 3.\n";

namespace {

const QString kConflictsUsage =
    QStringLiteral("conflicts list [--all] | resolve ID --keep local|central|merged");
const QString kRejectionsUsage = QStringLiteral("rejections list | retry ID | discard ID");

// Columns whose values never leave the program (as userJson()).
bool isSecret(const QString &entity, const QString &field)
{
    return entity == QLatin1String("users") &&
           (field == QLatin1String("password_hash") || field == QLatin1String("totp_secret") ||
            field == QLatin1String("recovery_codes"));
}

const QJsonValue kHidden = QStringLiteral("[hidden]");

QString compact(const QJsonValue &value)
{
    const QJsonDocument doc = QJsonDocument(QJsonArray{value});
    QString text = QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
    return text.mid(1, text.size() - 2);
}

// A value for a table cell: compact JSON, long ones shortened (the JSON output has them whole).
QString cell(const QJsonValue &value)
{
    const QString text = compact(value);
    return text.size() > 40 ? text.left(37) + QStringLiteral("...") : text;
}

QJsonObject conflictJson(const SyncConflict &c)
{
    const bool secret = isSecret(c.entity, c.field);
    QJsonObject o{{QStringLiteral("id"), c.id},
                  {QStringLiteral("entity"), c.entity},
                  {QStringLiteral("entity_id"), c.entity_id},
                  {QStringLiteral("field"), c.field},
                  {QStringLiteral("local_value"), secret ? kHidden : c.local_value},
                  {QStringLiteral("central_value"), secret ? kHidden : c.central_value},
                  {QStringLiteral("detected_at"), formatInstant(c.detected_at)}};
    putText(o, QStringLiteral("mutation_id"), c.mutation_id);
    putInstant(o, QStringLiteral("resolved_at"), c.resolved_at);
    putText(o, QStringLiteral("resolution"), c.resolution ? toString(*c.resolution) : QString());
    return o;
}

// The refused change with its secrets hidden: a user's full row (insert) or its {old, new}.
QJsonObject rejectionJson(const OutboxEntry &e)
{
    QJsonObject changes = e.changes;
    for (auto it = changes.begin(); it != changes.end(); ++it)
        if (isSecret(e.entity, it.key()))
            it.value() = e.op == OutboxOp::Insert
                             ? kHidden
                             : QJsonValue(QJsonObject{{QStringLiteral("old"), kHidden},
                                                      {QStringLiteral("new"), kHidden}});
    QJsonObject o{{QStringLiteral("mutation_id"), e.mutation_id},
                  {QStringLiteral("seq"), double(e.seq)},
                  {QStringLiteral("entity"), e.entity},
                  {QStringLiteral("entity_id"), e.entity_id},
                  {QStringLiteral("op"), toString(e.op)},
                  {QStringLiteral("base_version"), double(e.base_version)},
                  {QStringLiteral("changes"), changes},
                  {QStringLiteral("reason"), e.error},
                  {QStringLiteral("created_at"), e.created_at}};
    putText(o, QStringLiteral("actor_id"), e.actor_id);
    return o;
}

// The whole of stdin as one JSON value of any kind (the merged value of a field).
Result<QJsonValue> readJsonValue(const CtlContext &ctx)
{
    const QString text = ctx.in->readAll().trimmed();
    if (text.isEmpty())
        return Error::invalid(QStringLiteral("value"), QStringLiteral("required"),
                              QStringLiteral("--keep merged reads the field's value from stdin as "
                                             "JSON, e.g. \"+15550101\" or null"));
    QJsonParseError parseError;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray("[" + text.toUtf8() + "]"), &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1)
        return Error::invalid(QStringLiteral("value"), QStringLiteral("format"),
                              QStringLiteral("stdin is not one JSON value (a string needs its "
                                             "quotes: \"text\")"));
    return doc.array().first();
}

// Optional edits: one JSON object on stdin, or nothing.
Result<QJsonObject> readEdits(const CtlContext &ctx)
{
    const QString text = ctx.in->readAll().trimmed();
    if (text.isEmpty())
        return QJsonObject();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Error::invalid(QStringLiteral("json"), QStringLiteral("format"),
                              QStringLiteral("the edits on stdin must be one JSON object "
                                             "{\"field\": value, ...} ({} for none)"));
    return doc.object();
}

int listConflicts(const CtlContext &ctx, const SyncResolutionStore &store, const QStringList &pos)
{
    if (pos.size() != 1)
        return ctx.usage(kConflictsUsage);
    const bool all = ctx.flag(QStringLiteral("all"));
    auto found = store.conflicts(all ? ConflictFilter::All : ConflictFilter::Open);
    if (!found)
        return ctx.fail(found.error());
    if (ctx.json) {
        QJsonArray out;
        for (const SyncConflict &c : *found)
            out.append(conflictJson(c));
        ctx.printJson(out);
        return ExitOk;
    }
    QStringList header{QStringLiteral("id"),         QStringLiteral("entity"),
                       QStringLiteral("entity_id"),  QStringLiteral("field"),
                       QStringLiteral("local"),      QStringLiteral("central"),
                       QStringLiteral("detected_at")};
    if (all)
        header << QStringLiteral("resolution");
    QList<QStringList> rows;
    for (const SyncConflict &c : *found) {
        const bool secret = isSecret(c.entity, c.field);
        QStringList row{c.id,
                        c.entity,
                        c.entity_id,
                        c.field,
                        secret ? kHidden.toString() : cell(c.local_value),
                        secret ? kHidden.toString() : cell(c.central_value),
                        formatInstant(c.detected_at)};
        if (all)
            row << (c.resolution ? toString(*c.resolution) : QStringLiteral("open"));
        rows << row;
    }
    printTable(ctx, header, rows);
    return ExitOk;
}

int resolveConflict(const CtlContext &ctx, const SyncResolutionStore &store, const QStringList &pos)
{
    QString id;
    if (int code =
            idArgument(ctx, pos, QStringLiteral("conflicts resolve ID --keep local|central|merged"),
                       QStringLiteral("conflict"), &id);
        code != ExitOk)
        return code;
    const QString keepText = ctx.option(QStringLiteral("keep"));
    const auto keep = enumFromString<ConflictResolution>(keepText);
    if (!keep)
        return ctx.usage(QStringLiteral("conflicts resolve needs --keep local, central or merged"));
    std::optional<QJsonValue> merged;
    if (*keep == ConflictResolution::Merged) {
        auto value = readJsonValue(ctx);
        if (!value)
            return ctx.fail(value.error());
        merged = *value;
    }
    auto resolved = store.resolve(id, *keep, merged);
    if (!resolved)
        return ctx.fail(resolved.error());
    ctx.printJson(conflictJson(*resolved));
    return ExitOk;
}

int listRejections(const CtlContext &ctx, const SyncResolutionStore &store, const QStringList &pos)
{
    if (pos.size() != 1)
        return ctx.usage(kRejectionsUsage);
    auto found = store.rejections();
    if (!found)
        return ctx.fail(found.error());
    if (ctx.json) {
        QJsonArray out;
        for (const OutboxEntry &e : *found)
            out.append(rejectionJson(e));
        ctx.printJson(out);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const OutboxEntry &e : *found)
        rows << QStringList{e.mutation_id,  e.entity,     e.entity_id,
                            toString(e.op), e.created_at, e.error};
    printTable(ctx,
               {QStringLiteral("id"), QStringLiteral("entity"), QStringLiteral("entity_id"),
                QStringLiteral("op"), QStringLiteral("created_at"), QStringLiteral("reason")},
               rows);
    return ExitOk;
}

} // namespace

int runConflictsVerb(CtlContext &ctx)
{
    if (int code = checkOptions(ctx, {QStringLiteral("keep")}, {QStringLiteral("all")});
        code != ExitOk)
        return code;
    const QStringList pos = ctx.positional({QStringLiteral("keep")});
    const QString action = pos.value(0);
    if (action != QLatin1String("list") && action != QLatin1String("resolve"))
        return ctx.usage(kConflictsUsage);
    auto principal = ctx.person();
    if (!principal)
        return ctx.fail(principal.error());
    const SyncResolutionStore store(ctx.db, *principal);
    if (action == QLatin1String("list"))
        return listConflicts(ctx, store, pos);
    return resolveConflict(ctx, store, pos);
}

int runRejectionsVerb(CtlContext &ctx)
{
    if (int code = checkOptions(ctx, {}); code != ExitOk)
        return code;
    const QStringList pos = ctx.positional({});
    const QString action = pos.value(0);
    if (action != QLatin1String("list") && action != QLatin1String("retry") &&
        action != QLatin1String("discard"))
        return ctx.usage(kRejectionsUsage);
    auto principal = ctx.person();
    if (!principal)
        return ctx.fail(principal.error());
    const SyncResolutionStore store(ctx.db, *principal);
    if (action == QLatin1String("list"))
        return listRejections(ctx, store, pos);

    QString id;
    if (int code = idArgument(ctx, pos, QStringLiteral("rejections %1 ID").arg(action),
                              QStringLiteral("rejected change"), &id);
        code != ExitOk)
        return code;
    if (action == QLatin1String("discard")) {
        if (Status s = store.discard(id); !s)
            return ctx.fail(s.error());
    } else {
        auto edits = readEdits(ctx);
        if (!edits)
            return ctx.fail(edits.error());
        if (Status s = store.retry(id, *edits); !s)
            return ctx.fail(s.error());
    }
    const QString done =
        action == QLatin1String("retry") ? QStringLiteral("retried") : QStringLiteral("discarded");
    if (ctx.json)
        ctx.printJson(
            QJsonObject{{QStringLiteral("mutation_id"), id}, {QStringLiteral("result"), done}});
    else
        *ctx.out << done << ' ' << id
                 << (action == QLatin1String("retry")
                         ? " (the change waits in the outbox for the next sync)\n"
                         : "\n");
    return ExitOk;
}

} // namespace tmdash
