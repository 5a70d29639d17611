#pragma once

#include "database.h"
#include "ids.h"
#include "principal.h"
#include "result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

struct redisContext;

// Live clinic state in Redis (DESIGN.md "Sync": Redis is a hint and live state, PostgreSQL is the
// truth; issue 7 section 2): who has a record open for editing, and the waiting-room board.
// Everything here is short-lived and rebuildable; a Redis that is down or emptied costs the
// clinic this convenience, never a clinical operation: callers report the error and go on.
//
// Every call here is synchronous on a connection of its own with short timeouts
// (TMDASH_REDIS_TIMEOUT_MS, default 500, for connecting and for each reply), like
// redisPublish(): it may block for that long, so it belongs on a worker thread or in a
// command-line process, never on the UI thread.

namespace tmdash {

// One reply of a Redis command.
struct RedisReply
{
    enum class Type { Nil, Integer, String, SimpleString, Array };
    Type type = Type::Nil;
    qint64 integer = 0;
    QByteArray string; // String and SimpleString (a status reply such as OK)
    QList<RedisReply> elements;

    bool isNil() const { return type == Type::Nil; }
};

// One synchronous hiredis connection (redisConnectWithTimeout + redisSetTimeout, timeouts from
// TMDASH_REDIS_TIMEOUT_MS). Failures are Storage errors naming the URL; an error reply of Redis
// is a Storage error with Redis's message. Movable, not copyable; closes on destruction.
class RedisSession
{
public:
    static Result<RedisSession> open(const QString &url);

    RedisSession(RedisSession &&) noexcept;
    RedisSession &operator=(RedisSession &&) noexcept;
    ~RedisSession();

    Result<RedisReply> command(const QList<QByteArray> &args);
    // Sends every command, then reads every reply (one round trip); fails on the first error.
    Result<QList<RedisReply>> pipeline(const QList<QList<QByteArray>> &commands);

private:
    struct Free
    {
        void operator()(redisContext *c) const;
    };
    RedisSession(const QString &url, redisContext *c);
    Error failure(const QString &what) const;

    QString m_url;
    std::unique_ptr<redisContext, Free> m_context;
};

// Presence, the waiting-room board and the organization-wide lookup are for the clinic's people:
// staff, providers and admins (and the owner and sync principals); the patient role is refused
// (NotPermitted).
Status requireLiveStateAccess(const Principal &principal);

// ---- Presence --------------------------------------------------------------------------------

// Who holds a record open for editing. One key per holder,
// tmdash:clinic:<clinic>:presence:<record>:<device>, holding this as JSON, with a TTL; the holder
// refreshes it while the record is open (every ttl/3), so a holder that vanishes (crash, kill,
// network) drops out by itself when the TTL runs out.
struct PresenceHolder
{
    UserId user_id;
    QString display_name;
    QString device_id;
    QDateTime since;        // when the holder opened the record (UTC)
    QDateTime refreshed_at; // when the mark was last written (markEditing sets it)

    QJsonObject toJson() const;
    static PresenceHolder fromJson(const QJsonObject &json);
};

// TMDASH_PRESENCE_TTL_SECONDS, default 30.
int presenceTtlSeconds();

// Marks (or refreshes) `who` as editing `recordId` for `ttlSeconds`. The holder's device id is
// also added to the set tmdash:clinic:<clinic>:presence:<record> that editors() reads (an index
// only: the per-holder keys decide who is there).
Status markEditing(const QString &redisUrl, const ClinicId &clinic, const QString &recordId,
                   const PresenceHolder &who, int ttlSeconds);
// Removes `who` (by device id) from the record's holders.
Status stopEditing(const QString &redisUrl, const ClinicId &clinic, const QString &recordId,
                   const PresenceHolder &who);
// The current holders of `recordId`, oldest first; holders whose key expired are not listed
// (and are pruned from the index).
Result<QList<PresenceHolder>> editors(const QString &redisUrl, const ClinicId &clinic,
                                      const QString &recordId);

// ---- Waiting-room board ----------------------------------------------------------------------

// One patient on the board: an appointment of the clinic's current day (clinic time) that is
// checked in (status "checked_in": waiting) or being seen (status "in_progress"). Completed,
// cancelled, no-show, entered-in-error and tombstoned appointments, and appointments of other
// days, are not on it. waiting_since is when the appointment was first seen checked in (kept
// across later refreshes); an entry rebuilt from the database takes the row's updated_at, which
// is the check-in (or start) time unless the appointment was edited since.
struct WaitingEntry
{
    AppointmentId appointment_id;
    PatientId patient_id;
    QString patient_name;
    ProviderId provider_id;
    QString provider_name;
    QString room;
    QString status; // "checked_in" or "in_progress"
    QDateTime start_at;
    QDateTime waiting_since;

    QJsonObject toJson() const;
    static WaitingEntry fromJson(const QJsonObject &json);
};

struct WaitingRoom
{
    QList<WaitingEntry> entries; // by waiting_since, then appointment id
    bool rebuilt = false;        // the board was missing in Redis and was rebuilt from the database
    // Non-empty when Redis could not be used: the entries were read from the local database
    // instead (waitingRoom() only).
    QString redisError;
};

// The Redis hash holding the clinic's board for its current day (clinic time):
// tmdash:clinic:<clinic>:waiting:<YYYY-MM-DD>. Fields: "a:<appointment id>" -> the entry as
// JSON, "v:<appointment id>" -> the version of the row it was made from (an older version never
// overwrites a newer one, so desktops refreshing in any order converge), and "built" -> when it
// was rebuilt from a database. The marker lives in the hash itself, so deleting or flushing the
// hash also removes the marker and the next refresh or read rebuilds it. The hash expires two
// days after its last write.
Result<QString> waitingRoomKey(const Database &local, const ClinicId &clinic);

// Re-reads `appointmentIds` from the local database and puts each on the board or takes it off
// (idempotent; a handful of ids cost three Redis round trips and a few reads). When the board is
// missing (Redis emptied, a new day) it is first rebuilt from every appointment of the clinic's
// day. The sync engine calls this after every sync with the appointments the sync changed.
// Storage error when Redis is unreachable (report it; the board catches up at the next refresh).
Status refreshWaitingRoom(const QString &redisUrl, const Database &local, const ClinicId &clinic,
                          const QStringList &appointmentIds);

// The board, rebuilt first when missing. When Redis is unreachable the board is built from the
// local database alone and redisError says why (not an error: the board still shows).
Result<WaitingRoom> waitingRoom(const QString &redisUrl, const Database &local,
                                const ClinicId &clinic);

} // namespace tmdash
