#include "clock.h"
#include "livestate.h"
#include "outbox.h"
#include "recordtable.h"
#include "usercodec.h"
#include "verbs.h"
#include "verbsupport.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <unistd.h>

// The clinic's live state in Redis (sync/livestate.h): who is editing a record, and the
// waiting-room board. Both read the Redis URL from --redis or $TMDASH_REDIS.

namespace tmdash {

const char kPresenceHelp[] =
    "tmdashctl --as EMAIL presence RECORD_ID [--redis URL]\n"
    "tmdashctl --as EMAIL presence hold RECORD_ID [--redis URL]\n"
    "  RECORD_ID       who has this record open for editing (at any desktop of the clinic):\n"
    "                  name, user id, device and since when; --json for JSON\n"
    "  hold RECORD_ID  marks the record as being edited by you on this desktop and keeps the\n"
    "                  mark alive (refreshed every third of $TMDASH_PRESENCE_TTL_SECONDS,\n"
    "                  default 30) until SIGINT or SIGTERM, which remove it; a holder that is\n"
    "                  killed drops out by itself when the TTL runs out\n"
    "  --redis URL     redis://host:port (default: $TMDASH_REDIS)\n"
    "  Staff, providers and admins. Exit 5 when Redis is unreachable.\n";

const char kBoardHelp[] =
    "tmdashctl --as EMAIL board [--redis URL]\n"
    "  The clinic's waiting-room board for today (clinic time): checked-in patients (status\n"
    "  checked_in, waiting) and those being seen (in_progress), oldest first, with the time\n"
    "  they have been waiting since, their room and provider; --json for JSON. Kept in Redis\n"
    "  and rebuilt from this database when Redis lost it; with Redis unreachable it is read\n"
    "  from this database alone (said on stderr).\n"
    "  --redis URL     redis://host:port (default: $TMDASH_REDIS)\n"
    "  Staff, providers and admins.\n";

namespace {

// The acting person, allowed to see live state, and the Redis URL; 0 or the exit code.
int prepare(CtlContext &ctx, Principal *person, QString *redisUrl)
{
    auto principal = ctx.person();
    if (!principal)
        return ctx.fail(principal.error());
    if (Status s = requireLiveStateAccess(*principal); !s)
        return ctx.fail(s.error());
    *person = *principal;
    *redisUrl = ctx.option(QStringLiteral("redis"));
    if (redisUrl->isEmpty())
        *redisUrl = qEnvironmentVariable("TMDASH_REDIS");
    if (redisUrl->isEmpty())
        return ctx.fail(
            Error::invalid(QStringLiteral("redis"), QStringLiteral("required"),
                           QStringLiteral("no Redis: pass --redis URL or set TMDASH_REDIS")));
    return ExitOk;
}

QString cell(const QDateTime &instant)
{
    return instant.isValid() ? formatInstant(instant) : QString();
}

// SIGINT/SIGTERM end `presence hold`: the handler writes to a pipe the event loop watches.
int g_holdPipe[2] = {-1, -1};

void onHoldSignal(int)
{
    const char byte = 1;
    const ssize_t written = ::write(g_holdPipe[1], &byte, 1);
    (void)written;
}

int hold(CtlContext &ctx, const QString &redisUrl, const Principal &person, const QString &recordId)
{
    auto device = deviceId(ctx.db);
    if (!device)
        return ctx.fail(device.error());
    PresenceHolder who;
    who.user_id = person.user_id;
    who.device_id = *device;
    who.since = nowUtc();
    if (auto user = RecordTable(ctx.db, u"users").get(person.user_id.value); user)
        who.display_name = userFromRow(*user).displayName();
    const int ttl = presenceTtlSeconds();
    // Refused at once when Redis cannot be reached: the caller asked for a mark it cannot have.
    if (Status s = markEditing(redisUrl, person.clinic_id, recordId, who, ttl); !s)
        return ctx.fail(s.error());

    if (::pipe(g_holdPipe) != 0)
        return ctx.fail(Error::storage(QStringLiteral("cannot set up signal handling")));
    std::signal(SIGINT, onHoldSignal);
    std::signal(SIGTERM, onHoldSignal);
    QSocketNotifier terminate(g_holdPipe[0], QSocketNotifier::Read);
    QObject::connect(&terminate, &QSocketNotifier::activated, qApp, &QCoreApplication::quit);

    const int everyMs = qMax(100, ttl * 1000 / 3);
    *ctx.err << "holding " << recordId << " as " << who.display_name << " on device "
             << who.device_id << " (expires " << ttl
             << " s after the last refresh; refreshed every " << everyMs
             << " ms); SIGINT or SIGTERM releases it\n";
    ctx.err->flush();
    if (ctx.json)
        ctx.printJson(who.toJson());
    else
        *ctx.out << "holding " << recordId << '\n';
    ctx.out->flush();

    QTimer refresh;
    bool failing = false;
    QObject::connect(&refresh, &QTimer::timeout, qApp, [&] {
        const Status s = markEditing(redisUrl, person.clinic_id, recordId, who, ttl);
        if (!s && !failing)
            *ctx.err << "presence not refreshed (retrying): " << s.error().message << '\n';
        else if (s && failing)
            *ctx.err << "presence refreshed again\n";
        ctx.err->flush();
        failing = !s;
    });
    refresh.start(everyMs);
    QCoreApplication::exec();
    refresh.stop();

    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    ::close(g_holdPipe[0]);
    ::close(g_holdPipe[1]);
    if (Status s = stopEditing(redisUrl, person.clinic_id, recordId, who); !s) {
        *ctx.err << "could not remove the mark (it expires by itself in " << ttl
                 << " s): " << s.error().message << '\n';
        return exitCodeFor(s.error().code);
    }
    *ctx.err << "released " << recordId << '\n';
    return ExitOk;
}

} // namespace

int runPresenceVerb(CtlContext &ctx)
{
    if (int code = checkOptions(ctx, {QStringLiteral("redis")}); code != ExitOk)
        return code;
    const QStringList pos = ctx.positional({QStringLiteral("redis")});
    const bool holding = pos.size() == 2 && pos.first() == QLatin1String("hold");
    if (!(pos.size() == 1 || holding))
        return ctx.usage(QStringLiteral("presence RECORD_ID | presence hold RECORD_ID"));
    const QString recordId = pos.last();
    Principal person;
    QString redisUrl;
    if (int code = prepare(ctx, &person, &redisUrl); code != ExitOk)
        return code;
    if (!isUuid(recordId))
        return ctx.fail(Error::notFound(QStringLiteral("no record with id %1").arg(recordId)));
    if (holding)
        return hold(ctx, redisUrl, person, recordId);

    auto holders = editors(redisUrl, person.clinic_id, recordId);
    if (!holders)
        return ctx.fail(holders.error());
    if (ctx.json) {
        QJsonArray out;
        for (const PresenceHolder &h : *holders)
            out << h.toJson();
        ctx.printJson(out);
        return ExitOk;
    }
    if (holders->isEmpty()) {
        *ctx.out << "nobody is editing " << recordId << '\n';
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const PresenceHolder &h : *holders)
        rows << QStringList{h.display_name, h.user_id.value, h.device_id, cell(h.since)};
    printTable(ctx,
               {QStringLiteral("editing"), QStringLiteral("user"), QStringLiteral("device"),
                QStringLiteral("since")},
               rows);
    return ExitOk;
}

int runBoardVerb(CtlContext &ctx)
{
    if (int code = checkOptions(ctx, {QStringLiteral("redis")}); code != ExitOk)
        return code;
    if (!ctx.positional({QStringLiteral("redis")}).isEmpty())
        return ctx.usage(QStringLiteral("board [--redis URL]"));
    Principal person;
    QString redisUrl;
    if (int code = prepare(ctx, &person, &redisUrl); code != ExitOk)
        return code;
    auto board = waitingRoom(redisUrl, ctx.db, person.clinic_id);
    if (!board)
        return ctx.fail(board.error());
    if (!board->redisError.isEmpty())
        *ctx.err << "Redis unreachable, the board was read from this database: "
                 << board->redisError << '\n';
    else if (board->rebuilt)
        *ctx.err << "the board was missing in Redis and was rebuilt from this database\n";
    if (ctx.json) {
        QJsonArray out;
        for (const WaitingEntry &e : board->entries)
            out << e.toJson();
        ctx.printJson(out);
        return ExitOk;
    }
    if (board->entries.isEmpty()) {
        *ctx.out << "nobody is waiting\n";
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const WaitingEntry &e : board->entries)
        rows << QStringList{
            cell(e.waiting_since), e.patient_name,        e.status, e.room, e.provider_name,
            cell(e.start_at),      e.appointment_id.value};
    printTable(ctx,
               {QStringLiteral("waiting since"), QStringLiteral("patient"),
                QStringLiteral("status"), QStringLiteral("room"), QStringLiteral("provider"),
                QStringLiteral("appointment at"), QStringLiteral("appointment")},
               rows);
    return ExitOk;
}

} // namespace tmdash
