#pragma once

#include "database.h"
#include "ids.h"
#include "result.h"
#include "user.h"

#include <QDate>
#include <QList>
#include <QString>

#include <random>

namespace tmdash {

inline constexpr int kDefaultSeedPatients = 200;
// The anchor day may lie at most this far back: the seeded providers' licences must still be
// current today, and validation of licences runs against today's date.
inline constexpr int kMaxSeedAnchorAgeDays = 365;

struct SeedOptions
{
    int patients = kDefaultSeedPatients;
    quint64 seed = 1;
    // The anchor day every seeded date is relative to; invalid = today (UTC). Must not lie
    // after today (vitals are never recorded in the future) nor more than
    // kMaxSeedAnchorAgeDays before it.
    QDate today;
};

// One seeded account and its known demo password (for the README and `seed --json`).
struct SeedUser
{
    UserId id;
    QString email;
    Role role = Role::Staff;
    QString password;
};

// What seedDemoData wrote.
struct SeedSummary
{
    ClinicId clinic_id;
    QDate today;
    quint64 seed = 0;
    QList<SeedUser> users;
    int providers = 0;
    int patients = 0;
    int appointments = 0;
    int vitals = 0;
    int consultations = 0;
    int prescriptions = 0;
};

// Record ids for seeded data: UUID-v7-shaped (version and variant bits, a 48-bit millisecond
// prefix), but made from the anchor day's midnight (UTC) plus a counter and bits of a PRNG seeded
// from the seed, so that the same seed and anchor give the same ids on every run and database,
// and ids still sort in creation order.
class SeedIdGenerator
{
public:
    SeedIdGenerator(quint64 seed, QDate anchor);
    QString next();
    template <class IdT> IdT nextId() { return IdT(next()); }

private:
    std::mt19937_64 m_rng;
    qint64 m_baseMs = 0;
    qint64 m_counter = 0;
};

// Fills an empty database with one clinic's realistic demo data, writing through the stores so
// every rule holds: the clinic (America/New_York, business hours), users of every role with
// known passwords, four providers with weekly availability, time off and valid NPIs,
// `options.patients` patients with contacts, insurance, allergies and ICD-10 conditions,
// appointments over the 30 days before and after the anchor day without conflicts and with
// statuses fitting their time, vitals with trends and a few abnormal values, signed and draft
// consultations with diagnoses, and prescriptions within formulary limits without interactions
// or allergy conflicts.
//
// Deterministic: the same seed and anchor day give the same rows (ids and every domain field) on
// SQLite and PostgreSQL; only write timestamps (created_at, updated_at, and signed_at, which the
// store sets when a note is signed), password salts and the desktop's outbox differ. On SQLite
// the database is marked demo (sync_state "demo" = "1") so it never syncs.
//
// All or nothing, in one transaction. Refused (Invalid, field "database", code "not_empty") when
// the database already holds a clinic; Invalid field "today" (code "future" / "range") for an
// anchor outside the allowed window; field "patients" "range" for a count below 1.
Result<SeedSummary> seedDemoData(const Database &db, const SeedOptions &options);

} // namespace tmdash
