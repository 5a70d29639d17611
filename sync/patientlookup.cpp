#include "patientlookup.h"

#include "auditlog.h"
#include "clock.h"
#include "livestate.h"
#include "outbox.h"
#include "patientstore.h"
#include "syncstate.h"
#include "transaction.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

namespace tmdash {

namespace {

const QString kHitsKey = QStringLiteral("lookup_cache_hits");
const QString kMissesKey = QStringLiteral("lookup_cache_misses");

// After an invalidation, answers touching the same index keys are not cached for this long: a
// lookup that started before the invalidation (connect + statement timeouts) must not store
// what it read.
constexpr int kInvalidationGuardSeconds = 120;

// Stores an answer unless one of its index keys was invalidated meanwhile.
// KEYS[1] = the cache key, KEYS[2..] = index sets; ARGV[1] = the answer, ARGV[2] = TTL.
const char kStoreScript[] = R"lua(
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i] .. ':invalidated') == 1 then return 0 end
end
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'EX', ttl)
for i = 2, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  if redis.call('TTL', KEYS[i]) < ttl then redis.call('EXPIRE', KEYS[i], ttl) end
end
return 1
)lua";

// Drops the answers named by the index sets KEYS and marks each invalidated for ARGV[1] seconds.
const char kInvalidateScript[] = R"lua(
local dropped = 0
for i = 1, #KEYS do
  for _, key in ipairs(redis.call('SMEMBERS', KEYS[i])) do
    dropped = dropped + redis.call('DEL', key)
  end
  redis.call('DEL', KEYS[i])
  redis.call('SET', KEYS[i] .. ':invalidated', '1', 'EX', ARGV[1])
end
return dropped
)lua";

QString sha256Hex(const QString &text)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

// Index sets. Birth dates and mrns are hashed: key names show up in monitoring, answers do not.
QString patientIndex(const QString &patientId)
{
    return QStringLiteral("tmdash:lookup:patient:") + patientId;
}

QString birthDateIndex(const QDate &date)
{
    return QStringLiteral("tmdash:lookup:dob:") + sha256Hex(formatDate(date)).left(32);
}

QString mrnIndex(const QString &mrn)
{
    return QStringLiteral("tmdash:lookup:mrn:") + sha256Hex(mrn.trimmed()).left(32);
}

QVariant nullable(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

Status runInvalidation(const QString &redisUrl, const QStringList &indexKeys)
{
    if (indexKeys.isEmpty())
        return {};
    auto session = RedisSession::open(redisUrl);
    if (!session)
        return session.error();
    QList<QByteArray> eval{"EVAL", kInvalidateScript, QByteArray::number(indexKeys.size())};
    for (const QString &key : indexKeys)
        eval << key.toUtf8();
    eval << QByteArray::number(kInvalidationGuardSeconds);
    auto done = session.value().command(eval);
    if (!done)
        return done.error();
    return {};
}

} // namespace

struct PatientLookup::Query
{
    enum class By { NameAndBirthDate, Mrn };
    By by = By::NameAndBirthDate;
    QString name; // normalised
    QDate birthDate;
    QString mrn; // trimmed

    QString byName() const
    {
        return by == By::Mrn ? QStringLiteral("mrn") : QStringLiteral("name_birth_date");
    }
    QString cacheKey(const QString &clinic) const
    {
        const QString material =
            by == By::Mrn ? QStringLiteral("v1|mrn|") + mrn
                          : QStringLiteral("v1|name|%1|%2").arg(name, formatDate(birthDate));
        return QStringLiteral("tmdash:clinic:%1:lookup:%2").arg(clinic, sha256Hex(material));
    }
    QStringList queryIndexes() const
    {
        return {by == By::Mrn ? mrnIndex(mrn) : birthDateIndex(birthDate)};
    }
};

QJsonObject PatientSummary::toJson() const
{
    return QJsonObject{{QStringLiteral("patient_id"), patient_id.value},
                       {QStringLiteral("given_name"), given_name},
                       {QStringLiteral("family_name"), family_name},
                       {QStringLiteral("birth_date"), birth_date.isValid()
                                                          ? QJsonValue(formatDate(birth_date))
                                                          : QJsonValue(QJsonValue::Null)},
                       {QStringLiteral("clinic_id"), clinic_id.value},
                       {QStringLiteral("clinic_name"), clinic_name},
                       {QStringLiteral("mrn"), mrn}};
}

PatientSummary PatientSummary::fromJson(const QJsonObject &json)
{
    PatientSummary s;
    s.patient_id = PatientId(json.value(u"patient_id").toString());
    s.given_name = json.value(u"given_name").toString();
    s.family_name = json.value(u"family_name").toString();
    s.birth_date = parseDate(json.value(u"birth_date").toString()).value_or(QDate());
    s.clinic_id = ClinicId(json.value(u"clinic_id").toString());
    s.clinic_name = json.value(u"clinic_name").toString();
    s.mrn = json.value(u"mrn").toString();
    return s;
}

int lookupTtlSeconds()
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue("TMDASH_LOOKUP_TTL_SECONDS", &ok);
    return ok && value > 0 ? value : 300;
}

Result<LookupCounters> lookupCounters(const Database &local)
{
    LookupCounters counters;
    if (!local.isSqlite())
        return counters;
    auto hits = syncStateValue(local, kHitsKey);
    if (!hits)
        return hits.error();
    auto misses = syncStateValue(local, kMissesKey);
    if (!misses)
        return misses.error();
    counters.hits = hits->toLongLong();
    counters.misses = misses->toLongLong();
    return counters;
}

PatientLookup::PatientLookup(QString centralUrl, QString redisUrl, Database local, Principal actor)
    : m_centralUrl(std::move(centralUrl)), m_redisUrl(std::move(redisUrl)),
      m_local(std::move(local)), m_actor(std::move(actor))
{
}

Result<LookupResult> PatientLookup::lookup(const QString &name, const QDate &birthDate) const
{
    if (Status s = requireLiveStateAccess(m_actor); !s)
        return s.error();
    Query q;
    q.by = Query::By::NameAndBirthDate;
    q.name = name.simplified().toLower();
    q.birthDate = birthDate;
    FieldErrors errors;
    if (q.name.size() < 2)
        errors << FieldError{QStringLiteral("name"), QStringLiteral("required"),
                             QStringLiteral("a name of at least two characters")};
    if (!birthDate.isValid())
        errors << FieldError{QStringLiteral("birth_date"), QStringLiteral("required"),
                             QStringLiteral("a birth date (YYYY-MM-DD)")};
    if (!errors.isEmpty())
        return Error::invalid(errors);
    return run(q);
}

Result<LookupResult> PatientLookup::lookup(const QString &mrn) const
{
    if (Status s = requireLiveStateAccess(m_actor); !s)
        return s.error();
    Query q;
    q.by = Query::By::Mrn;
    q.mrn = mrn.trimmed();
    if (q.mrn.isEmpty())
        return Error::invalid(QStringLiteral("mrn"), QStringLiteral("required"),
                              QStringLiteral("an mrn to look up"));
    return run(q);
}

Result<QString> PatientLookup::cacheClinic() const
{
    if (m_actor.isPerson() && !m_actor.clinic_id.isNull())
        return m_actor.clinic_id.value;
    if (!m_local.isSqlite())
        return QString();
    return syncStateValue(m_local, QString::fromLatin1(kStateClinic));
}

Status PatientLookup::count(bool hit) const
{
    if (!m_local.isSqlite())
        return {};
    const QString key = hit ? kHitsKey : kMissesKey;
    Transaction tx(m_local);
    if (!tx.started())
        return tx.started();
    auto current = syncStateValue(m_local, key);
    if (!current)
        return current.error();
    if (Status s = setSyncStateValue(m_local, key, QString::number(current->toLongLong() + 1)); !s)
        return s;
    return tx.commit();
}

Status PatientLookup::auditCachedAnswer(const Query &query,
                                        const QList<PatientSummary> &matches) const
{
    QJsonArray ids;
    for (const PatientSummary &m : matches)
        ids << m.patient_id.value;
    AuditEvent event;
    event.action = QStringLiteral("patient_lookup");
    event.entity = QStringLiteral("patients");
    event.fields = QJsonObject{{QStringLiteral("by"), query.byName()},
                               {QStringLiteral("cached"), true},
                               {QStringLiteral("matches"), matches.size()},
                               {QStringLiteral("patient_ids"), ids}};
    return appendAudit(m_local, m_actor, event);
}

Result<LookupResult> PatientLookup::run(const Query &query) const
{
    auto clinic = cacheClinic();
    if (!clinic)
        return clinic.error();
    const QString key = query.cacheKey(clinic->isEmpty() ? QStringLiteral("none") : *clinic);
    LookupResult result;

    std::optional<RedisSession> session;
    if (m_redisUrl.isEmpty()) {
        result.redisError = QStringLiteral("no Redis configured (TMDASH_REDIS)");
    } else if (auto opened = RedisSession::open(m_redisUrl); !opened) {
        result.redisError = opened.error().message;
    } else {
        session.emplace(std::move(opened.value()));
        auto cached = session->command({"GET", key.toUtf8()});
        if (!cached) {
            result.redisError = cached.error().message;
            session.reset();
        } else if (!cached->isNil()) {
            for (const QJsonValue &v : QJsonDocument::fromJson(cached->string).array())
                result.matches << PatientSummary::fromJson(v.toObject());
            result.fromCache = true;
            if (Status s = count(true); !s)
                return s.error();
            if (Status s = auditCachedAnswer(query, result.matches); !s)
                return s.error();
            return result;
        }
    }

    if (Status s = count(false); !s)
        return s.error();
    auto matches = askCentral(query, *clinic);
    if (!matches)
        return matches.error();
    result.matches = *matches;
    if (!session)
        return result;

    QJsonArray answer;
    QStringList indexes = query.queryIndexes();
    for (const PatientSummary &m : result.matches) {
        answer << m.toJson();
        indexes << patientIndex(m.patient_id.value);
    }
    QList<QByteArray> eval{"EVAL", kStoreScript, QByteArray::number(indexes.size() + 1),
                           key.toUtf8()};
    for (const QString &index : std::as_const(indexes))
        eval << index.toUtf8();
    eval << QJsonDocument(answer).toJson(QJsonDocument::Compact)
         << QByteArray::number(lookupTtlSeconds());
    if (auto stored = session->command(eval); !stored)
        result.redisError = stored.error().message;
    return result;
}

Result<QList<PatientSummary>> PatientLookup::askCentral(const Query &query,
                                                        const QString &clinic) const
{
    if (m_centralUrl.isEmpty())
        return Error::invalid(
            QStringLiteral("central"), QStringLiteral("required"),
            QStringLiteral("no central: pass --central URL or set TMDASH_CENTRAL"));
    auto opened = Database::open(m_centralUrl, QStringLiteral("lookup-") + newUuidV7());
    if (!opened)
        return Error::storage(
            QStringLiteral("the central is unreachable, and the organization-wide "
                           "lookup needs it (this desktop's own patients can still "
                           "be searched): ") +
            opened.error().message);
    Database central = *opened;
    if (central.isSqlite()) {
        central.close();
        return Error::invalid(QStringLiteral("central"), QStringLiteral("not_postgresql"),
                              QStringLiteral("the central is a PostgreSQL URL (postgresql://...)"));
    }
    QList<PatientSummary> out;
    std::optional<Error> failed;
    {
        QSqlQuery q(central.connection());
        q.prepare(QStringLiteral(
            "SELECT patient_id::text, given_name, family_name, birth_date::text, clinic_id::text, "
            "clinic_name, mrn FROM tmdash_patient_lookup(CAST(:name AS text), CAST(:dob AS date), "
            "CAST(:mrn AS text), CAST(:actor AS uuid), CAST(:clinic AS uuid))"));
        q.bindValue(QStringLiteral(":name"), nullable(query.name));
        q.bindValue(QStringLiteral(":dob"),
                    nullable(query.birthDate.isValid() ? formatDate(query.birthDate) : QString()));
        q.bindValue(QStringLiteral(":mrn"), nullable(query.mrn));
        q.bindValue(QStringLiteral(":actor"),
                    nullable(m_actor.isPerson() ? m_actor.user_id.value : QString()));
        q.bindValue(QStringLiteral(":clinic"), nullable(clinic));
        if (!q.exec()) {
            const QString state = q.lastError().nativeErrorCode();
            const QString message = q.lastError().databaseText().isEmpty()
                                        ? q.lastError().text()
                                        : q.lastError().databaseText();
            if (state == QLatin1String("42501"))
                failed = Error::notPermitted(QStringLiteral("the central refused the lookup: ") +
                                             message);
            else if (state == QLatin1String("42883"))
                failed = Error::incompatible(
                    QStringLiteral("the central has no organization-wide patient "
                                   "lookup yet (migrate it to step 5): ") +
                    message);
            else if (state == QLatin1String("22023"))
                failed =
                    Error::invalid(QStringLiteral("query"), QStringLiteral("invalid"), message);
            else
                failed = Error::storage(QStringLiteral("the central's lookup failed: ") + message);
        }
        while (!failed && q.next()) {
            PatientSummary s;
            s.patient_id = PatientId(q.value(0).toString());
            s.given_name = q.value(1).toString();
            s.family_name = q.value(2).toString();
            s.birth_date = parseDate(q.value(3).toString()).value_or(QDate());
            s.clinic_id = ClinicId(q.value(4).toString());
            s.clinic_name = q.value(5).toString();
            s.mrn = q.value(6).toString();
            out << s;
        }
    }
    central.close();
    if (failed)
        return *failed;
    return out;
}

Status invalidateLookups(const QString &redisUrl, const QStringList &patientIds)
{
    QStringList keys;
    for (const QString &id : patientIds)
        keys << patientIndex(id);
    keys.removeDuplicates();
    return runInvalidation(redisUrl, keys);
}

Status invalidateLookups(const QString &redisUrl, const Database &local,
                         const QStringList &patientIds)
{
    QStringList keys;
    const PatientStore store(local, Principal::sync());
    for (const QString &id : patientIds) {
        keys << patientIndex(id);
        auto patient = store.get(PatientId(id));
        if (!patient) {
            if (patient.error().code == ErrorCode::NotFound)
                continue; // tombstoned or absent: its old answers go by the patient index
            return patient.error();
        }
        if (patient->birth_date)
            keys << birthDateIndex(*patient->birth_date);
        if (!patient->mrn.isEmpty())
            keys << mrnIndex(patient->mrn);
    }
    keys.removeDuplicates();
    return runInvalidation(redisUrl, keys);
}

} // namespace tmdash
