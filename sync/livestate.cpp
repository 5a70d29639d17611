#include "livestate.h"

#include "appointmentstore.h"
#include "clinicstore.h"
#include "clock.h"
#include "patientstore.h"
#include "providerstore.h"
#include "redisclient.h"

#include <QHash>
#include <QJsonDocument>
#include <QSet>
#include <QTimeZone>

#include <hiredis/hiredis.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace tmdash {

namespace {

int envPositive(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value > 0 ? value : fallback;
}

RedisReply convert(const redisReply *r)
{
    RedisReply out;
    switch (r->type) {
    case REDIS_REPLY_INTEGER:
        out.type = RedisReply::Type::Integer;
        out.integer = r->integer;
        break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
        out.type = r->type == REDIS_REPLY_STRING ? RedisReply::Type::String
                                                 : RedisReply::Type::SimpleString;
        out.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_ARRAY:
        out.type = RedisReply::Type::Array;
        for (size_t i = 0; i < r->elements; ++i)
            out.elements << convert(r->element[i]);
        break;
    default:
        break;
    }
    return out;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject objectOf(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QJsonValue instantOrNull(const QDateTime &instant)
{
    return instant.isValid() ? QJsonValue(formatInstant(instant)) : QJsonValue(QJsonValue::Null);
}

QDateTime instantOf(const QJsonValue &value)
{
    return parseInstant(value.toString()).value_or(QDateTime());
}

QByteArray utf8(const QString &text)
{
    return text.toUtf8();
}

} // namespace

// ---- RedisSession ------------------------------------------------------------------------------

void RedisSession::Free::operator()(redisContext *c) const
{
    redisFree(c);
}

RedisSession::RedisSession(const QString &url, redisContext *c) : m_url(url), m_context(c) {}
RedisSession::RedisSession(RedisSession &&) noexcept = default;
RedisSession &RedisSession::operator=(RedisSession &&) noexcept = default;
RedisSession::~RedisSession() = default;

Result<RedisSession> RedisSession::open(const QString &url)
{
    auto endpoint = RedisEndpoint::parse(url);
    if (!endpoint)
        return endpoint.error();
    const int ms = envPositive("TMDASH_REDIS_TIMEOUT_MS", 500);
    const timeval timeout{ms / 1000, (ms % 1000) * 1000};
    redisContext *c =
        redisConnectWithTimeout(endpoint->host.toUtf8().constData(), endpoint->port, timeout);
    if (!c)
        return Error::storage(QStringLiteral("Redis at %1: out of memory").arg(url));
    RedisSession session(url, c);
    if (c->err)
        return session.failure(QStringLiteral("cannot connect"));
    if (redisSetTimeout(c, timeout) != REDIS_OK)
        return session.failure(QStringLiteral("cannot set the timeout"));
    return session;
}

Error RedisSession::failure(const QString &what) const
{
    const QString detail =
        m_context && m_context->err ? QString::fromUtf8(m_context->errstr) : QString();
    return Error::storage(
        QStringLiteral("Redis at %1: %2%3")
            .arg(m_url, what, detail.isEmpty() ? QString() : QStringLiteral(": ") + detail));
}

Result<RedisReply> RedisSession::command(const QList<QByteArray> &args)
{
    auto replies = pipeline({args});
    if (!replies)
        return replies.error();
    return replies->first();
}

Result<QList<RedisReply>> RedisSession::pipeline(const QList<QList<QByteArray>> &commands)
{
    if (!m_context || m_context->err)
        return failure(QStringLiteral("the connection is broken"));
    for (const QList<QByteArray> &args : commands) {
        std::vector<const char *> argv;
        std::vector<size_t> lengths;
        for (const QByteArray &a : args) {
            argv.push_back(a.constData());
            lengths.push_back(size_t(a.size()));
        }
        if (redisAppendCommandArgv(m_context.get(), int(argv.size()), argv.data(),
                                   lengths.data()) != REDIS_OK)
            return failure(QStringLiteral("sending a command failed"));
    }
    QList<RedisReply> out;
    std::optional<Error> firstError;
    for (qsizetype i = 0; i < commands.size(); ++i) {
        void *raw = nullptr;
        if (redisGetReply(m_context.get(), &raw) != REDIS_OK || !raw)
            return failure(QStringLiteral("no answer"));
        auto *reply = static_cast<redisReply *>(raw);
        if (reply->type == REDIS_REPLY_ERROR && !firstError)
            firstError =
                Error::storage(QStringLiteral("Redis at %1: %2 (%3)")
                                   .arg(m_url, QString::fromUtf8(reply->str, qsizetype(reply->len)),
                                        QString::fromUtf8(commands.at(i).first())));
        out << convert(reply);
        freeReplyObject(reply);
    }
    if (firstError)
        return *firstError;
    return out;
}

Status requireLiveStateAccess(const Principal &principal)
{
    if (principal.isPatient())
        return Error::notPermitted(QStringLiteral(
            "the patient role may not see the clinic's live state or look up patients"));
    return {};
}

// ---- Presence ----------------------------------------------------------------------------------

namespace {

QString presenceSet(const ClinicId &clinic, const QString &recordId)
{
    return QStringLiteral("tmdash:clinic:%1:presence:%2").arg(clinic.value, recordId);
}

QString presenceKey(const ClinicId &clinic, const QString &recordId, const QString &device)
{
    return presenceSet(clinic, recordId) + QLatin1Char(':') + device;
}

// The index set outlives its members' keys; it is only a list of devices to look at.
constexpr int kPresenceIndexSeconds = 3600;

Status checkPresenceArguments(const ClinicId &clinic, const QString &recordId,
                              const QString &device)
{
    if (clinic.isNull() || recordId.isEmpty() || recordId.contains(QLatin1Char(':')))
        return Error::invalid(QStringLiteral("record_id"), QStringLiteral("format"),
                              QStringLiteral("presence needs a clinic and a record id"));
    if (device.isEmpty() || device.contains(QLatin1Char(':')))
        return Error::invalid(QStringLiteral("device_id"), QStringLiteral("format"),
                              QStringLiteral("presence needs the holder's device id"));
    return {};
}

} // namespace

QJsonObject PresenceHolder::toJson() const
{
    return QJsonObject{{QStringLiteral("user_id"), user_id.isNull() ? QJsonValue(QJsonValue::Null)
                                                                    : QJsonValue(user_id.value)},
                       {QStringLiteral("display_name"), display_name},
                       {QStringLiteral("device_id"), device_id},
                       {QStringLiteral("since"), instantOrNull(since)},
                       {QStringLiteral("refreshed_at"), instantOrNull(refreshed_at)}};
}

PresenceHolder PresenceHolder::fromJson(const QJsonObject &json)
{
    PresenceHolder h;
    h.user_id = UserId(json.value(u"user_id").toString());
    h.display_name = json.value(u"display_name").toString();
    h.device_id = json.value(u"device_id").toString();
    h.since = instantOf(json.value(u"since"));
    h.refreshed_at = instantOf(json.value(u"refreshed_at"));
    return h;
}

int presenceTtlSeconds()
{
    return envPositive("TMDASH_PRESENCE_TTL_SECONDS", 30);
}

Status markEditing(const QString &redisUrl, const ClinicId &clinic, const QString &recordId,
                   const PresenceHolder &who, int ttlSeconds)
{
    if (Status s = checkPresenceArguments(clinic, recordId, who.device_id); !s)
        return s;
    auto session = RedisSession::open(redisUrl);
    if (!session)
        return session.error();
    const QByteArray ttl = QByteArray::number(qMax(1, ttlSeconds));
    const QByteArray set = utf8(presenceSet(clinic, recordId));
    PresenceHolder stored = who;
    stored.refreshed_at = nowUtc();
    auto done = session.value().pipeline(
        {{"SET", utf8(presenceKey(clinic, recordId, who.device_id)), compact(stored.toJson()), "EX",
          ttl},
         {"SADD", set, utf8(who.device_id)},
         {"EXPIRE", set, QByteArray::number(qMax(kPresenceIndexSeconds, ttlSeconds))}});
    if (!done)
        return done.error();
    return {};
}

Status stopEditing(const QString &redisUrl, const ClinicId &clinic, const QString &recordId,
                   const PresenceHolder &who)
{
    if (Status s = checkPresenceArguments(clinic, recordId, who.device_id); !s)
        return s;
    auto session = RedisSession::open(redisUrl);
    if (!session)
        return session.error();
    auto done = session.value().pipeline(
        {{"DEL", utf8(presenceKey(clinic, recordId, who.device_id))},
         {"SREM", utf8(presenceSet(clinic, recordId)), utf8(who.device_id)}});
    if (!done)
        return done.error();
    return {};
}

Result<QList<PresenceHolder>> editors(const QString &redisUrl, const ClinicId &clinic,
                                      const QString &recordId)
{
    if (Status s = checkPresenceArguments(clinic, recordId, QStringLiteral("any")); !s)
        return s.error();
    auto session = RedisSession::open(redisUrl);
    if (!session)
        return session.error();
    const QByteArray set = utf8(presenceSet(clinic, recordId));
    auto members = session.value().command({"SMEMBERS", set});
    if (!members)
        return members.error();
    QList<PresenceHolder> out;
    if (members->elements.isEmpty())
        return out;
    QList<QByteArray> mget{"MGET"};
    for (const RedisReply &m : members->elements)
        mget << utf8(presenceKey(clinic, recordId, QString::fromUtf8(m.string)));
    auto values = session.value().command(mget);
    if (!values)
        return values.error();
    QList<QByteArray> gone{"SREM", set};
    for (qsizetype i = 0; i < members->elements.size() && i < values->elements.size(); ++i) {
        const RedisReply &v = values->elements.at(i);
        if (v.isNil())
            gone << members->elements.at(i).string;
        else
            out << PresenceHolder::fromJson(objectOf(v.string));
    }
    if (gone.size() > 2) {
        // Pruning the index is housekeeping: a failure here changes nobody's answer.
        auto pruned = session.value().command(gone);
        Q_UNUSED(pruned)
    }
    std::sort(out.begin(), out.end(), [](const PresenceHolder &a, const PresenceHolder &b) {
        return a.since != b.since ? a.since < b.since : a.device_id < b.device_id;
    });
    return out;
}

// ---- Waiting-room board ------------------------------------------------------------------------

namespace {

constexpr int kBoardExpirySeconds = 2 * 24 * 3600;

// Sets or removes board entries, never letting an older row version overwrite a newer one.
// KEYS[1] = the day's hash; ARGV[1] = the "built" stamp (empty: leave it), ARGV[2] = expiry in
// seconds, then triples (appointment id, row version or -1 to remove whatever is there, entry
// JSON or empty to remove).
const char kBoardScript[] = R"lua(
local key = KEYS[1]
for i = 3, #ARGV, 3 do
  local id, version, entry = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2]
  local current = tonumber(redis.call('HGET', key, 'v:' .. id) or '-1')
  if version < 0 or version >= current then
    if version >= 0 then redis.call('HSET', key, 'v:' .. id, version) end
    if entry == '' then
      redis.call('HDEL', key, 'a:' .. id)
    else
      redis.call('HSET', key, 'a:' .. id, entry)
    end
  end
end
if ARGV[1] ~= '' then redis.call('HSET', key, 'built', ARGV[1]) end
if redis.call('EXISTS', key) == 1 then redis.call('EXPIRE', key, ARGV[2]) end
return 1
)lua";

bool onBoard(const Appointment &a)
{
    return !a.meta.isDeleted() &&
           (a.status == AppointmentStatus::CheckedIn || a.status == AppointmentStatus::InProgress);
}

// What the board is built from: the clinic's zone and day, read through the stores as the sync
// principal (the board is the clinic's, not one person's).
class BoardSource
{
public:
    static Result<BoardSource> load(const Database &local, const ClinicId &clinic)
    {
        BoardSource s(local, clinic);
        auto c = ClinicStore(local, Principal::sync()).get(clinic);
        if (!c)
            return c.error();
        s.m_zone = c->timeZone().isValid() ? c->timeZone() : QTimeZone::utc();
        s.m_today = nowUtc().toTimeZone(s.m_zone).date();
        return s;
    }

    QString key() const
    {
        return QStringLiteral("tmdash:clinic:%1:waiting:%2")
            .arg(m_clinic.value, formatDate(m_today));
    }

    // Whether the appointment is on the board: checked in or being seen, today, this clinic.
    bool belongs(const Appointment &a) const
    {
        return onBoard(a) && a.clinic_id == m_clinic &&
               a.start_at.toTimeZone(m_zone).date() == m_today;
    }

    Result<QList<Appointment>> today() const
    {
        return AppointmentStore(m_db, Principal::sync()).forClinicDay(m_today, m_clinic);
    }

    // NotFound (absent or tombstoned) comes back as nullopt.
    Result<std::optional<Appointment>> appointment(const QString &id) const
    {
        auto a = AppointmentStore(m_db, Principal::sync()).get(AppointmentId(id));
        if (!a) {
            if (a.error().code == ErrorCode::NotFound)
                return std::optional<Appointment>();
            return a.error();
        }
        return std::optional<Appointment>(*a);
    }

    Result<WaitingEntry> entry(const Appointment &a, const QDateTime &waitingSince)
    {
        if (!m_providerNames) {
            auto names = ProviderStore(m_db, Principal::sync()).displayNames();
            if (!names)
                return names.error();
            m_providerNames = *names;
        }
        WaitingEntry e;
        e.appointment_id = a.id;
        e.patient_id = a.patient_id;
        auto patient = PatientStore(m_db, Principal::sync()).get(a.patient_id);
        if (patient)
            e.patient_name = patient->displayName();
        else if (patient.error().code != ErrorCode::NotFound)
            return patient.error();
        e.provider_id = a.provider_id;
        e.provider_name = m_providerNames->value(a.provider_id.value);
        e.room = a.room;
        e.status = toString(a.status);
        e.start_at = a.start_at;
        e.waiting_since = waitingSince.isValid() ? waitingSince : a.meta.updated_at;
        return e;
    }

    // The whole board from the database alone.
    Result<QList<WaitingEntry>> build()
    {
        auto list = today();
        if (!list)
            return list.error();
        QList<WaitingEntry> out;
        for (const Appointment &a : *list) {
            if (!belongs(a))
                continue;
            auto e = entry(a, {});
            if (!e)
                return e.error();
            out << *e;
        }
        return out;
    }

private:
    BoardSource(const Database &db, const ClinicId &clinic) : m_db(db), m_clinic(clinic) {}

    Database m_db;
    ClinicId m_clinic;
    QTimeZone m_zone;
    QDate m_today;
    std::optional<QHash<QString, QString>> m_providerNames;
};

void sortBoard(QList<WaitingEntry> &entries)
{
    std::sort(entries.begin(), entries.end(), [](const WaitingEntry &a, const WaitingEntry &b) {
        return a.waiting_since != b.waiting_since ? a.waiting_since < b.waiting_since
                                                  : a.appointment_id < b.appointment_id;
    });
}

// refreshWaitingRoom on an open session; `rebuilt` says whether the board had to be rebuilt,
// `redisFailed` whether a failure came from Redis (else from the database).
Status refreshOn(RedisSession &session, BoardSource &source, const QStringList &appointmentIds,
                 bool *rebuilt, bool *redisFailed)
{
    *redisFailed = true;
    const QByteArray key = utf8(source.key());
    auto built = session.command({"HEXISTS", key, "built"});
    if (!built)
        return built.error();
    *redisFailed = false;
    const bool rebuild = built->integer == 0;
    if (rebuilt)
        *rebuilt = rebuild;

    // (appointment, or nullopt for one that is gone) per id to write.
    QList<std::pair<QString, std::optional<Appointment>>> rows;
    QSet<QString> seen;
    if (rebuild) {
        auto today = source.today();
        if (!today)
            return today.error();
        for (const Appointment &a : *today) {
            if (source.belongs(a)) {
                rows.append({a.id.value, a});
                seen.insert(a.id.value);
            }
        }
    }
    for (const QString &id : appointmentIds) {
        if (seen.contains(id))
            continue;
        seen.insert(id);
        auto a = source.appointment(id);
        if (!a)
            return a.error();
        rows.append({id, *a});
    }
    if (rows.isEmpty() && !rebuild)
        return {};

    // Entries already on the board keep their waiting_since.
    QHash<QString, QDateTime> since;
    if (!rebuild && !rows.isEmpty()) {
        QList<QByteArray> hmget{"HMGET", key};
        for (const auto &row : rows)
            hmget << "a:" + utf8(row.first);
        auto current = session.command(hmget);
        if (!current) {
            *redisFailed = true;
            return current.error();
        }
        for (qsizetype i = 0; i < rows.size() && i < current->elements.size(); ++i) {
            const RedisReply &v = current->elements.at(i);
            if (!v.isNil())
                since.insert(rows.at(i).first,
                             instantOf(objectOf(v.string).value(u"waiting_since")));
        }
    }

    QList<QByteArray> eval{"EVAL",
                           kBoardScript,
                           "1",
                           key,
                           rebuild ? utf8(formatInstant(nowUtc())) : QByteArray(),
                           QByteArray::number(kBoardExpirySeconds)};
    for (const auto &[id, appointment] : std::as_const(rows)) {
        eval << utf8(id);
        if (!appointment) {
            eval << "-1" << QByteArray();
            continue;
        }
        eval << QByteArray::number(appointment->meta.version);
        if (!source.belongs(*appointment)) {
            eval << QByteArray();
            continue;
        }
        auto entry = source.entry(*appointment, since.value(id));
        if (!entry)
            return entry.error();
        eval << compact(entry->toJson());
    }
    auto done = session.command(eval);
    if (!done) {
        *redisFailed = true;
        return done.error();
    }
    return {};
}

} // namespace

QJsonObject WaitingEntry::toJson() const
{
    return QJsonObject{
        {QStringLiteral("appointment_id"), appointment_id.value},
        {QStringLiteral("patient_id"), patient_id.value},
        {QStringLiteral("patient_name"), patient_name},
        {QStringLiteral("provider_id"), provider_id.value},
        {QStringLiteral("provider_name"), provider_name},
        {QStringLiteral("room"), room.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(room)},
        {QStringLiteral("status"), status},
        {QStringLiteral("start_at"), instantOrNull(start_at)},
        {QStringLiteral("waiting_since"), instantOrNull(waiting_since)}};
}

WaitingEntry WaitingEntry::fromJson(const QJsonObject &json)
{
    WaitingEntry e;
    e.appointment_id = AppointmentId(json.value(u"appointment_id").toString());
    e.patient_id = PatientId(json.value(u"patient_id").toString());
    e.patient_name = json.value(u"patient_name").toString();
    e.provider_id = ProviderId(json.value(u"provider_id").toString());
    e.provider_name = json.value(u"provider_name").toString();
    e.room = json.value(u"room").toString();
    e.status = json.value(u"status").toString();
    e.start_at = instantOf(json.value(u"start_at"));
    e.waiting_since = instantOf(json.value(u"waiting_since"));
    return e;
}

Result<QString> waitingRoomKey(const Database &local, const ClinicId &clinic)
{
    auto source = BoardSource::load(local, clinic);
    if (!source)
        return source.error();
    return source->key();
}

Status refreshWaitingRoom(const QString &redisUrl, const Database &local, const ClinicId &clinic,
                          const QStringList &appointmentIds)
{
    auto source = BoardSource::load(local, clinic);
    if (!source)
        return source.error();
    auto session = RedisSession::open(redisUrl);
    if (!session)
        return session.error();
    bool redisFailed = false;
    return refreshOn(session.value(), source.value(), appointmentIds, nullptr, &redisFailed);
}

Result<WaitingRoom> waitingRoom(const QString &redisUrl, const Database &local,
                                const ClinicId &clinic)
{
    auto loaded = BoardSource::load(local, clinic);
    if (!loaded)
        return loaded.error();
    BoardSource source = *loaded;
    WaitingRoom board;

    bool redisFailed = true;
    const auto fromRedis = [&]() -> Status {
        auto session = RedisSession::open(redisUrl);
        if (!session)
            return session.error();
        const QByteArray key = utf8(source.key());
        auto all = session.value().command({"HGETALL", key});
        if (!all)
            return all.error();
        bool hasMarker = false;
        for (qsizetype i = 0; i + 1 < all->elements.size(); i += 2)
            hasMarker = hasMarker || all->elements.at(i).string == "built";
        if (!hasMarker) {
            if (Status s = refreshOn(session.value(), source, {}, &board.rebuilt, &redisFailed); !s)
                return s;
            redisFailed = true;
            all = session.value().command({"HGETALL", key});
            if (!all)
                return all.error();
        }
        for (qsizetype i = 0; i + 1 < all->elements.size(); i += 2) {
            if (all->elements.at(i).string.startsWith("a:"))
                board.entries << WaitingEntry::fromJson(objectOf(all->elements.at(i + 1).string));
        }
        return {};
    };

    if (Status s = fromRedis(); !s) {
        if (!redisFailed)
            return s.error(); // the database failed, not Redis
        board.redisError = s.error().message;
        board.entries.clear();
        board.rebuilt = false;
        auto built = source.build();
        if (!built)
            return built.error();
        board.entries = *built;
    }
    sortBoard(board.entries);
    return board;
}

} // namespace tmdash
