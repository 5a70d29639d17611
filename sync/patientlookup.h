#pragma once

#include "database.h"
#include "ids.h"
#include "principal.h"
#include "result.h"

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// The organization-wide patient lookup (issue 7 section 3): front desk asks the central whether
// a person is already registered at any clinic of the organization (name + birth date, or mrn)
// before registering them again. The central answers through tmdash_patient_lookup (migration
// step 5), which returns only the summary below and audits every lookup in the asking clinic's
// central audit chain. Answers are cached in Redis for TMDASH_LOOKUP_TTL_SECONDS (default 300)
// and dropped when a push changes one of the patients they contain (invalidateLookups).

namespace tmdash {

// All the central reveals about a match.
struct PatientSummary
{
    PatientId patient_id;
    QString given_name;
    QString family_name;
    QDate birth_date;
    ClinicId clinic_id;
    QString clinic_name;
    QString mrn;

    QJsonObject toJson() const;
    static PatientSummary fromJson(const QJsonObject &json);
};

struct LookupResult
{
    QList<PatientSummary> matches; // at most 20, by family name, given name, clinic
    bool fromCache = false;
    // Non-empty when Redis could not be used (the central answered directly; counted as a miss).
    QString redisError;
};

// The cache counters this desktop keeps in sync_state (lookup_cache_hits, lookup_cache_misses),
// shown by `tmdashctl sync status`. Zero on a database without sync_state (a central).
struct LookupCounters
{
    qint64 hits = 0;
    qint64 misses = 0;
};
Result<LookupCounters> lookupCounters(const Database &local);

// TMDASH_LOOKUP_TTL_SECONDS, default 300.
int lookupTtlSeconds();

// Looks patients up across the organization. `local` is the desktop database (its sync_state
// keeps the counters, its audit log records the lookups answered from the cache, which the
// central never sees) and `actor` the person asking: the patient role is refused (NotPermitted)
// before anything else; a person's id is sent to the central for its audit entry.
//
// Cache: tmdash:clinic:<clinic>:lookup:<sha256 of the normalised query> (the clinic of the
// actor, else the desktop's) holds the answer as JSON with the TTL; index sets
// tmdash:lookup:patient:<id>, tmdash:lookup:dob:<date> and tmdash:lookup:mrn:<mrn> name the
// cache keys to drop when those change. Normalised query: the name trimmed, inner whitespace
// collapsed, lowercased; the mrn trimmed. An answer fetched while an invalidation touched one of
// its index keys (within the last minute) is not stored, so a lookup racing a push cannot put
// stale data back.
//
// Errors: Invalid (field name / birth_date / mrn) for an empty query; Storage when the central is
// unreachable (the message says so; there is no offline fallback for an organization-wide
// question); Incompatible when the central lacks the lookup (not migrated to step 5);
// NotPermitted when the central refuses the connection's role. Redis down is no error: the
// central is asked directly and redisError says why.
class PatientLookup
{
public:
    PatientLookup(QString centralUrl, QString redisUrl, Database local,
                  Principal actor = Principal::owner());

    Result<LookupResult> lookup(const QString &name, const QDate &birthDate) const;
    Result<LookupResult> lookup(const QString &mrn) const;

private:
    struct Query;
    Result<LookupResult> run(const Query &query) const;
    Result<QList<PatientSummary>> askCentral(const Query &query, const QString &clinic) const;
    Result<QString> cacheClinic() const;
    Status count(bool hit) const;
    Status auditCachedAnswer(const Query &query, const QList<PatientSummary> &matches) const;

    QString m_centralUrl;
    QString m_redisUrl;
    Database m_local;
    Principal m_actor;
};

// Drops every cached lookup answer that contains one of `patientIds` (the push calls this with
// the patients it pushed). Storage error when Redis is unreachable (report it; the TTL bounds
// the staleness).
Status invalidateLookups(const QString &redisUrl, const QStringList &patientIds);
// The same, and also every cached answer for the birth dates and mrns these patients have in
// `local` now: a new patient, or one whose birth date or mrn changed, is not in any cached
// answer yet but would be in a fresh one ("not found" must not outlive the registration).
Status invalidateLookups(const QString &redisUrl, const Database &local,
                         const QStringList &patientIds);

} // namespace tmdash
