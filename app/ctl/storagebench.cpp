#include "storagebench.h"

#include "chartstore.h"
#include "clinicstore.h"
#include "clock.h"
#include "database.h"
#include "sqlitestatement.h"
#include "patientstore.h"
#include "transaction.h"
#include "userstore.h"
#include "vitalsstore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QTemporaryDir>

#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <memory>
#include <vector>

namespace tmdash {

namespace {

// ---------------------------------------------------------------------------------------------
// Seeded data. splitmix64 is small, fast and the same everywhere, so a seed names a data set.

class Prng
{
public:
    explicit Prng(quint64 seed) : m_state(seed) {}

    quint64 next()
    {
        quint64 z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Uniform in [lo, hi].
    int between(int lo, int hi) { return lo + int(next() % quint64(hi - lo + 1)); }
    double uniform(double lo, double hi)
    {
        return lo + (hi - lo) * double(next() >> 11) * (1.0 / 9007199254740992.0);
    }
    bool chance(double p) { return uniform(0, 1) < p; }
    template <class T, std::size_t N> const T &pick(const T (&items)[N])
    {
        return items[next() % N];
    }

private:
    quint64 m_state;
};

const char *const kFemaleNames[] = {
    "Mary",   "Patricia", "Jennifer", "Linda",    "Elizabeth", "Barbara",   "Susan",  "Jessica",
    "Sarah",  "Karen",    "Lisa",     "Nancy",    "Betty",     "Sandra",    "Ashley", "Emily",
    "Donna",  "Michelle", "Carol",    "Amanda",   "Melissa",   "Deborah",   "Laura",  "Rebecca",
    "Sharon", "Cynthia",  "Kathleen", "Amy",      "Angela",    "Helen",     "Anna",   "Brenda",
    "Pamela", "Nicole",   "Emma",     "Samantha", "Katherine", "Christine", "Olivia", "Sofia",
};
const char *const kMaleNames[] = {
    "James",  "Robert",   "John",    "Michael", "David",   "William", "Richard", "Joseph",
    "Thomas", "Charles",  "Daniel",  "Matthew", "Anthony", "Mark",    "Donald",  "Steven",
    "Paul",   "Andrew",   "Joshua",  "Kenneth", "Kevin",   "Brian",   "George",  "Timothy",
    "Ronald", "Edward",   "Jason",   "Jeffrey", "Ryan",    "Jacob",   "Gary",    "Nicholas",
    "Eric",   "Jonathan", "Stephen", "Larry",   "Justin",  "Scott",   "Brandon", "Mateo",
};
const char *const kFamilyNames[] = {
    "Smith",    "Johnson",   "Williams",   "Brown",     "Jones",    "Garcia",   "Miller",
    "Davis",    "Rodriguez", "Martinez",   "Hernandez", "Lopez",    "Gonzalez", "Wilson",
    "Anderson", "Thomas",    "Taylor",     "Moore",     "Jackson",  "Martin",   "Lee",
    "Perez",    "Thompson",  "White",      "Harris",    "Sanchez",  "Clark",    "Ramirez",
    "Lewis",    "Robinson",  "Walker",     "Young",     "Allen",    "King",     "Wright",
    "Scott",    "Torres",    "Nguyen",     "Hill",      "Flores",   "Green",    "Adams",
    "Nelson",   "Baker",     "Hall",       "Rivera",    "Campbell", "Mitchell", "Carter",
    "Roberts",  "Gomez",     "Phillips",   "Evans",     "Turner",   "Diaz",     "Parker",
    "Cruz",     "Edwards",   "Collins",    "Reyes",     "Stewart",  "Morris",   "Morales",
    "Murphy",   "Cook",      "Rogers",     "Gutierrez", "Ortiz",    "Morgan",   "Cooper",
    "Peterson", "Bailey",    "Reed",       "Kelly",     "Howard",   "Ramos",    "Kim",
    "Cox",      "Ward",      "Richardson",
};

struct Place
{
    const char *city;
    const char *region;
    const char *postalCode;
    const char *areaCode;
};
const Place kPlaces[] = {
    {"Boston", "MA", "02118", "617"},     {"Springfield", "IL", "62701", "217"},
    {"Portland", "OR", "97205", "503"},   {"Austin", "TX", "78701", "512"},
    {"Denver", "CO", "80202", "303"},     {"Madison", "WI", "53703", "608"},
    {"Raleigh", "NC", "27601", "919"},    {"Tucson", "AZ", "85701", "520"},
    {"Burlington", "VT", "05401", "802"}, {"Columbus", "OH", "43215", "614"},
};
const char *const kStreets[] = {"Maple Street", "Oak Avenue",  "Pine Road",  "Cedar Lane",
                                "Elm Street",   "Main Street", "Lake Drive", "Hill Road",
                                "Park Avenue",  "River Road"};
const char *const kRelationships[] = {"spouse", "parent", "child", "sibling", "friend"};
const char *const kPayers[] = {"Aetna",    "Blue Cross Blue Shield", "Cigna",
                               "Humana",   "UnitedHealthcare",       "Medicare",
                               "Medicaid", "Kaiser Permanente"};

struct AllergySample
{
    const char *substance;
    AllergyCategory category;
    const char *reaction;
};
const AllergySample kAllergies[] = {
    {"Penicillin", AllergyCategory::Medication, "Hives"},
    {"Sulfonamides", AllergyCategory::Medication, "Rash"},
    {"Peanut", AllergyCategory::Food, "Swelling of the lips"},
    {"Shellfish", AllergyCategory::Food, "Hives"},
    {"Latex", AllergyCategory::Environment, "Contact dermatitis"},
    {"Grass pollen", AllergyCategory::Environment, "Sneezing"},
    {"Ibuprofen", AllergyCategory::Medication, "Wheezing"},
};

struct ConditionSample
{
    const char *icd10;
    const char *description;
};
const ConditionSample kConditions[] = {
    {"I10", "Essential (primary) hypertension"},
    {"E11.9", "Type 2 diabetes mellitus without complications"},
    {"J45.909", "Unspecified asthma, uncomplicated"},
    {"E78.5", "Hyperlipidemia, unspecified"},
    {"M54.5", "Low back pain"},
    {"F41.1", "Generalized anxiety disorder"},
    {"K21.9", "Gastro-esophageal reflux disease without esophagitis"},
};

QString latin(const char *text)
{
    return QString::fromLatin1(text);
}

double round1(double v)
{
    return std::round(v * 10.0) / 10.0;
}

// A fictional North American number (555-01xx) in the place's area code.
QString phoneIn(Prng &rng, const Place &place)
{
    return QStringLiteral("+1 %1 555 01%2")
        .arg(latin(place.areaCode))
        .arg(rng.between(0, 99), 2, 10, QLatin1Char('0'));
}

// A valid patient with the lists most charts carry; `index` makes the MRN and email unique.
Patient makePatient(Prng &rng, int index, const QDate &today)
{
    Patient p;
    const bool female = rng.chance(0.5);
    p.sex = rng.chance(0.02) ? Sex::Other : (female ? Sex::Female : Sex::Male);
    p.given_name = latin(female ? rng.pick(kFemaleNames) : rng.pick(kMaleNames));
    if (rng.chance(0.3))
        p.middle_name = latin(female ? rng.pick(kFemaleNames) : rng.pick(kMaleNames));
    p.family_name = latin(rng.pick(kFamilyNames));
    const QDate earliest(1930, 1, 1);
    p.birth_date = earliest.addDays(rng.between(0, int(earliest.daysTo(today))));
    p.mrn = QStringLiteral("BN-%1").arg(index + 1, 8, 10, QLatin1Char('0'));
    const Place &place = rng.pick(kPlaces);
    p.phone = phoneIn(rng, place);
    p.email = QString(p.given_name + QLatin1Char('.') + p.family_name + QString::number(index + 1) +
                      QStringLiteral("@example.org"))
                  .toLower();
    p.address_line =
        QString::number(rng.between(1, 9999)) + QLatin1Char(' ') + latin(rng.pick(kStreets));
    p.city = latin(place.city);
    p.region = latin(place.region);
    p.postal_code = latin(place.postalCode);
    p.country = QStringLiteral("US");
    p.preferred_language = rng.chance(0.15) ? QStringLiteral("es") : QStringLiteral("en");

    PatientEmergencyContact contact;
    contact.name = latin(rng.pick(kFemaleNames)) + QLatin1Char(' ') + p.family_name;
    contact.relationship = latin(rng.pick(kRelationships));
    contact.phone = phoneIn(rng, place);
    p.emergency_contacts << contact;

    PatientInsurance insurance;
    insurance.payer = latin(rng.pick(kPayers));
    insurance.member_id =
        QStringLiteral("M%1").arg(rng.next() % 1000000000ULL, 9, 10, QLatin1Char('0'));
    insurance.group_number =
        QStringLiteral("G%1").arg(rng.between(0, 99999), 5, 10, QLatin1Char('0'));
    insurance.valid_from = today.addDays(-rng.between(30, 3000));
    insurance.is_primary = true;
    p.insurance << insurance;

    if (rng.chance(0.3)) {
        const AllergySample &sample = rng.pick(kAllergies);
        PatientAllergy allergy;
        allergy.substance = latin(sample.substance);
        allergy.category = sample.category;
        allergy.criticality = AllergyCriticality::Low;
        allergy.reaction = latin(sample.reaction);
        allergy.severity = AllergySeverity::Mild;
        p.allergies << allergy;
    }
    if (rng.chance(0.4)) {
        const ConditionSample &sample = rng.pick(kConditions);
        PatientCondition condition;
        condition.icd10_code = latin(sample.icd10);
        condition.description = latin(sample.description);
        condition.onset_date =
            p.birth_date->addDays(rng.between(0, int(p.birth_date->daysTo(today))));
        p.conditions << condition;
    }
    return p;
}

// A set of normal adult measurements taken some time in the last three years.
Vitals makeVitals(Prng &rng, const QList<PatientId> &patients, qint64 nowMs)
{
    constexpr qint64 kThreeYearsMs = 3LL * 365 * 24 * 3600 * 1000;
    Vitals v;
    v.patient_id = patients.at(qsizetype(rng.next() % quint64(patients.size())));
    v.recorded_at = QDateTime::fromMSecsSinceEpoch(
        nowMs - 60000 - qint64(rng.next() % quint64(kThreeYearsMs)), Qt::UTC);
    v.systolic_mmhg = std::round(rng.uniform(100, 130));
    v.diastolic_mmhg = std::round(rng.uniform(60, 85));
    v.heart_rate_bpm = std::round(rng.uniform(55, 95));
    v.respiratory_rate = rng.between(12, 18);
    v.temperature_c = round1(rng.uniform(36.2, 37.4));
    v.spo2_pct = rng.between(95, 100);
    if (rng.chance(0.6))
        v.weight_kg = round1(rng.uniform(50, 110));
    if (rng.chance(0.3))
        v.height_cm = std::round(rng.uniform(150, 195));
    if (rng.chance(0.5))
        v.pain_score = rng.between(0, 3);
    if (rng.chance(0.2))
        v.glucose_mg_dl = std::round(rng.uniform(75, 120));
    return v;
}

// ---------------------------------------------------------------------------------------------
// Raw SQLite, for the baseline. Qt's SQLite driver hands out the sqlite3* it uses.

Error sqliteError(sqlite3 *db, const QString &what)
{
    return Error::storage(
        QStringLiteral("bench: %1: %2").arg(what, QString::fromUtf8(sqlite3_errmsg(db))));
}

struct StatementDeleter
{
    void operator()(sqlite3_stmt *statement) const { sqlite3_finalize(statement); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

Result<StatementPtr> prepare(sqlite3 *db, const QString &sql)
{
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, &statement, nullptr) != SQLITE_OK) {
        sqlite3_finalize(statement);
        return sqliteError(db, QStringLiteral("preparing \"%1\"").arg(sql));
    }
    return StatementPtr(statement);
}

Status execRaw(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
        return sqliteError(db, latin(sql));
    return {};
}

Result<qint64> scalar(sqlite3 *db, const QString &sql)
{
    auto statement = prepare(db, sql);
    if (!statement)
        return statement.error();
    const int rc = sqlite3_step(statement->get());
    if (rc != SQLITE_ROW)
        return sqliteError(db, sql);
    return qint64(sqlite3_column_int64(statement->get(), 0));
}

Result<qint64> lastOutboxSeq(const Database &db)
{
    return scalar(sqliteHandle(db), QStringLiteral("SELECT coalesce(max(seq), 0) FROM outbox"));
}

// The FTS rowid the patient store gives a patient (patientstore.cpp): the 62 random low bits
// of its UUID.
qint64 searchKey(const QByteArray &uuid)
{
    const QByteArray hex = QByteArray(uuid).replace('-', QByteArray()).right(16);
    return qint64(hex.toULongLong(nullptr, 16) & 0x3fffffffffffffffULL);
}

bool isPlainName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (QChar c : name)
        if (!((c >= u'a' && c <= u'z') || c == u'_'))
            return false;
    return true;
}

// Copies what the stores wrote in one file into another, row for row, so that the baseline
// writes exactly the same rows. The rows are read from the source a chunk at a time (not
// timed) and written with prepared INSERTs (timed), in outbox order: each record's row, its
// outbox row, and for a patient its search-index row, as the stores write them.
class RawCopier
{
public:
    RawCopier(sqlite3 *from, sqlite3 *to) : m_from(from), m_to(to) {}
    ~RawCopier() { freeChunk(); }
    RawCopier(const RawCopier &) = delete;
    RawCopier &operator=(const RawCopier &) = delete;

    // The records named by outbox rows with seq in (after, upTo]; `records` counts those of
    // `recordTable`.
    Status copy(qint64 after, qint64 upTo, const QString &recordTable, WriteFigures &figures)
    {
        auto outbox = table(QStringLiteral("outbox"),
                            QStringLiteral("SELECT * FROM outbox WHERE seq > ?1 AND seq <= ?2 "
                                           "ORDER BY seq"));
        if (!outbox)
            return outbox.error();
        sqlite3_stmt *scan = m_tables[std::size_t(*outbox)].select.get();
        int entityColumn = -1;
        int entityIdColumn = -1;
        for (int i = 0; i < sqlite3_column_count(scan); ++i) {
            const QByteArray name = sqlite3_column_name(scan, i);
            if (name == "entity")
                entityColumn = i;
            else if (name == "entity_id")
                entityIdColumn = i;
        }
        if (entityColumn < 0 || entityIdColumn < 0)
            return Error::storage(QStringLiteral("bench: the outbox has no entity columns"));
        sqlite3_reset(scan);
        sqlite3_bind_int64(scan, 1, after);
        sqlite3_bind_int64(scan, 2, upTo);
        bool done = false;
        while (!done) {
            while (m_chunk.size() < kChunkRows) {
                const int rc = sqlite3_step(scan);
                if (rc == SQLITE_DONE) {
                    done = true;
                    break;
                }
                if (rc != SQLITE_ROW)
                    return sqliteError(m_from, QStringLiteral("reading the outbox"));
                const QString entity = QString::fromUtf8(
                    reinterpret_cast<const char *>(sqlite3_column_text(scan, entityColumn)));
                const QByteArray entityId(
                    reinterpret_cast<const char *>(sqlite3_column_text(scan, entityIdColumn)));
                if (!isPlainName(entity))
                    return Error::storage(
                        QStringLiteral("bench: unexpected outbox entity %1").arg(entity));
                auto record =
                    table(entity, QStringLiteral("SELECT * FROM %1 WHERE id = ?1").arg(entity));
                if (!record)
                    return record.error();
                sqlite3_stmt *select = m_tables[std::size_t(*record)].select.get();
                sqlite3_bind_text(select, 1, entityId.constData(), int(entityId.size()),
                                  SQLITE_TRANSIENT);
                if (Status s = takeRow(*record, entity); !s)
                    return s;
                if (Status s = keepRow(*outbox, scan); !s)
                    return s;
                if (entity == recordTable)
                    ++figures.records;
                if (entity == QLatin1String("patients")) {
                    auto search = table(QStringLiteral("patient_search"),
                                        QStringLiteral("SELECT rowid, * FROM patient_search "
                                                       "WHERE rowid = ?1"));
                    if (!search)
                        return search.error();
                    sqlite3_bind_int64(m_tables[std::size_t(*search)].select.get(), 1,
                                       searchKey(entityId));
                    if (Status s = takeRow(*search, QStringLiteral("patient_search")); !s)
                        return s;
                }
            }
            if (Status s = writeChunk(figures); !s)
                return s;
        }
        sqlite3_reset(scan);
        return {};
    }

private:
    static constexpr std::size_t kChunkRows = 20000;

    struct Table
    {
        StatementPtr select; // on the source
        StatementPtr insert; // on the target, the same columns in the same order
    };
    struct PendingRow
    {
        int table;
        std::vector<sqlite3_value *> values;
    };

    Result<int> table(const QString &name, const QString &selectSql)
    {
        if (auto it = m_byName.constFind(name); it != m_byName.constEnd())
            return *it;
        auto select = prepare(m_from, selectSql);
        if (!select)
            return select.error();
        QStringList columns;
        QStringList params;
        for (int i = 0; i < sqlite3_column_count(select->get()); ++i) {
            columns << QString::fromUtf8(sqlite3_column_name(select->get(), i));
            params << QStringLiteral("?%1").arg(i + 1);
        }
        auto insert = prepare(m_to, QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                                        .arg(name, columns.join(QStringLiteral(", ")),
                                             params.join(QStringLiteral(", "))));
        if (!insert)
            return insert.error();
        m_tables.push_back({std::move(select).value(), std::move(insert).value()});
        const int index = int(m_tables.size()) - 1;
        m_byName.insert(name, index);
        return index;
    }

    // Keeps a copy of the current row of `statement` for the target's `table`.
    Status keepRow(int table, sqlite3_stmt *statement)
    {
        PendingRow row{table, {}};
        const int n = sqlite3_column_count(statement);
        row.values.reserve(std::size_t(n));
        for (int i = 0; i < n; ++i) {
            sqlite3_value *value = sqlite3_value_dup(sqlite3_column_value(statement, i));
            if (!value) {
                for (sqlite3_value *v : row.values)
                    sqlite3_value_free(v);
                return Error::storage(QStringLiteral("bench: out of memory"));
            }
            row.values.push_back(value);
        }
        m_chunk.push_back(std::move(row));
        return {};
    }

    // Steps the (bound) select of `table`, which must find its one row, and keeps that row.
    Status takeRow(int table, const QString &what)
    {
        sqlite3_stmt *select = m_tables[std::size_t(table)].select.get();
        const int rc = sqlite3_step(select);
        if (rc != SQLITE_ROW) {
            sqlite3_reset(select);
            if (rc == SQLITE_DONE)
                return Error::storage(
                    QStringLiteral("bench: a %1 row named by the outbox is missing").arg(what));
            return sqliteError(m_from, QStringLiteral("reading %1").arg(what));
        }
        Status kept = keepRow(table, select);
        sqlite3_reset(select);
        return kept;
    }

    Status writeChunk(WriteFigures &figures)
    {
        QElapsedTimer timer;
        timer.start();
        for (const PendingRow &row : m_chunk) {
            sqlite3_stmt *insert = m_tables[std::size_t(row.table)].insert.get();
            for (std::size_t i = 0; i < row.values.size(); ++i)
                sqlite3_bind_value(insert, int(i) + 1, row.values[i]);
            const int rc = sqlite3_step(insert);
            sqlite3_reset(insert);
            if (rc != SQLITE_DONE)
                return sqliteError(m_to, QStringLiteral("raw insert"));
        }
        figures.seconds += double(timer.nsecsElapsed()) / 1e9;
        figures.rows += qint64(m_chunk.size());
        freeChunk();
        return {};
    }

    void freeChunk()
    {
        for (PendingRow &row : m_chunk)
            for (sqlite3_value *v : row.values)
                sqlite3_value_free(v);
        m_chunk.clear();
    }

    sqlite3 *m_from;
    sqlite3 *m_to;
    std::vector<Table> m_tables;
    QHash<QString, int> m_byName;
    std::vector<PendingRow> m_chunk;
};

// ---------------------------------------------------------------------------------------------

LatencyFigures latency(std::vector<double> ms)
{
    LatencyFigures f;
    f.count = int(ms.size());
    if (ms.empty())
        return f;
    std::sort(ms.begin(), ms.end());
    auto rank = [&](double q) {
        const auto i = std::size_t(std::ceil(q * double(ms.size()))) - 1;
        return ms[std::min(i, ms.size() - 1)];
    };
    f.p50_ms = rank(0.50);
    f.p95_ms = rank(0.95);
    f.p99_ms = rank(0.99);
    f.max_ms = ms.back();
    double sum = 0;
    for (double v : ms)
        sum += v;
    f.mean_ms = sum / double(ms.size());
    return f;
}

double elapsedMs(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

// Closes the benchmark's connections before their files are removed.
struct OpenDatabases
{
    Database stores;
    Database raw;
    ~OpenDatabases()
    {
        stores.close();
        raw.close();
    }
};

Result<Database> freshDatabase(const QString &path, const QString &connection)
{
    auto db = Database::open(QStringLiteral("sqlite:") + path, connection);
    if (!db)
        return db.error();
    if (Status s = db->migrateToLatest(); !s) {
        Database opened = *db;
        opened.close();
        return s.error();
    }
    return db;
}

QString rate(double perSecond)
{
    return QString::number(qint64(std::llround(perSecond)));
}

// Writes `count` records through `create` in all-or-nothing outer Transactions of `batch`
// creates and adds the time to `figures`. The records are made a thousand at a time outside the
// timed part, so a large batch does not hold them all in memory; `afterChunk` runs (untimed)
// after each thousand.
template <typename Record, typename Make, typename Create, typename AfterChunk>
Status timedCreates(const Database &db, int count, int batch, const QString &what,
                    WriteFigures &figures, const std::function<void(const QString &)> &progress,
                    Make make, Create create, AfterChunk afterChunk)
{
    constexpr int kChunk = 1000;
    std::vector<Record> chunk;
    chunk.reserve(std::size_t(std::min(kChunk, count)));
    int done = 0;
    int nextReport = count / 10;
    progress(QStringLiteral("stores: writing %1 %2, %3 per outer transaction")
                 .arg(count)
                 .arg(what)
                 .arg(batch));
    QElapsedTimer timer;
    while (done < count) {
        const int end = done + std::min(batch, count - done);
        timer.start();
        Transaction tx(db, Transaction::Nesting::AllOrNothing);
        if (!tx.started())
            return tx.started();
        figures.seconds += double(timer.nsecsElapsed()) / 1e9;
        while (done < end) {
            const int n = std::min(kChunk, end - done);
            chunk.clear();
            for (int i = 0; i < n; ++i)
                chunk.push_back(make(done + i));
            timer.start();
            for (Record &record : chunk)
                if (Status s = create(std::move(record)); !s)
                    return s;
            // What the stores leave to the commit (the search index) is done now, timed, so
            // that the raw side finds its rows.
            if (Status s = runDeferred(db, {}); !s)
                return s;
            figures.seconds += double(timer.nsecsElapsed()) / 1e9;
            if (Status s = afterChunk(); !s)
                return s;
            done += n;
            if (done >= nextReport && done < count) {
                progress(QStringLiteral("stores: %1 %2, %3/s")
                             .arg(done)
                             .arg(what, rate(done / figures.seconds)));
                nextReport += std::max(1, count / 10);
            }
        }
        timer.start();
        if (Status s = tx.commit(); !s)
            return s;
        figures.seconds += double(timer.nsecsElapsed()) / 1e9;
    }
    figures.records = count;
    return {};
}

Status runPhases(StorageBenchResult &r, OpenDatabases &dbs,
                 const std::function<void(const QString &)> &progress)
{
    const StorageBenchOptions &o = r.options;
    auto stores = freshDatabase(r.storesFile, QStringLiteral("tmdash-bench-stores"));
    if (!stores)
        return stores.error();
    dbs.stores = *stores;
    auto raw = freshDatabase(r.rawFile, QStringLiteral("tmdash-bench-raw"));
    if (!raw)
        return raw.error();
    dbs.raw = *raw;
    const Database &db = dbs.stores;

    // A clinic and the nurse who records everything, through the stores like any set-up. The
    // nurse has the provider role: the bench's patients come with problem lists, which only a
    // provider may write.
    Clinic clinic;
    clinic.name = QStringLiteral("Benchmark Clinic");
    clinic.timezone = QStringLiteral("America/New_York");
    clinic.country = QStringLiteral("US");
    clinic.setWeekdayHours(QTime(8, 0), QTime(18, 0));
    auto storedClinic = ClinicStore(db, Principal::owner()).create(clinic);
    if (!storedClinic)
        return storedClinic.error();
    User nurse;
    nurse.clinic_id = storedClinic->id;
    nurse.email = QStringLiteral("bench.nurse@example.org");
    nurse.given_name = QStringLiteral("Bench");
    nurse.family_name = QStringLiteral("Nurse");
    nurse.role = Role::Provider;
    nurse.status = UserStatus::Active;
    auto storedNurse = UserStore(db, Principal::owner())
                           .create(nurse, QStringLiteral("quiet harbor lantern 1957"));
    if (!storedNurse)
        return storedNurse.error();
    const Principal actor = Principal::person(*storedNurse);
    auto setupSeq = lastOutboxSeq(db);
    if (!setupSeq)
        return setupSeq.error();

    // The raw side: the setup's rows, then one transaction that gets each chunk of the stores'
    // rows as soon as the stores have written it. The two sides alternate a thousand records at
    // a time, so that both meet the same load from the rest of the machine.
    sqlite3 *from = sqliteHandle(db);
    sqlite3 *to = sqliteHandle(dbs.raw);
    RawCopier copier(from, to);
    WriteFigures setup;
    if (Status s = execRaw(to, "BEGIN IMMEDIATE"); !s)
        return s;
    if (Status s = copier.copy(0, *setupSeq, QString(), setup); !s)
        return s;
    if (Status s = execRaw(to, "COMMIT"); !s)
        return s;
    QElapsedTimer rawTimer;
    rawTimer.start();
    if (Status s = execRaw(to, "BEGIN IMMEDIATE"); !s)
        return s;
    r.rawPatients.seconds += double(rawTimer.nsecsElapsed()) / 1e9;
    qint64 copiedSeq = *setupSeq;
    auto copyNew = [&](const QString &recordTable, WriteFigures &figures) -> Status {
        auto seq = lastOutboxSeq(db);
        if (!seq)
            return seq.error();
        if (Status s = copier.copy(copiedSeq, *seq, recordTable, figures); !s)
            return s;
        copiedSeq = *seq;
        return {};
    };

    // Stores: patients, then vitals.
    Prng rng(o.seed);
    const QDate today = todayUtc();
    const PatientStore patientStore(db, actor);
    QList<PatientId> ids;
    ids.reserve(o.patients);
    if (Status s = timedCreates<Patient>(
            db, o.patients, o.batch, QStringLiteral("patients"), r.storePatients, progress,
            [&](int index) { return makePatient(rng, index, today); },
            [&](Patient p) -> Status {
                auto stored = patientStore.create(std::move(p));
                if (!stored)
                    return stored.error();
                ids << stored->id;
                return {};
            },
            [&] { return copyNew(QStringLiteral("patients"), r.rawPatients); });
        !s)
        return s;

    const VitalsStore vitalsStore(db, actor);
    const qint64 nowMs = nowUtc().toMSecsSinceEpoch();
    if (Status s = timedCreates<Vitals>(
            db, o.vitals, o.batch, QStringLiteral("vitals"), r.storeVitals, progress,
            [&](int) { return makeVitals(rng, ids, nowMs); },
            [&](Vitals v) -> Status {
                if (auto stored = vitalsStore.create(std::move(v)); !stored)
                    return stored.error();
                return {};
            },
            [&] { return copyNew(QStringLiteral("vitals"), r.rawVitals); });
        !s)
        return s;
    rawTimer.restart();
    if (Status s = execRaw(to, "COMMIT"); !s)
        return s;
    r.rawVitals.seconds += double(rawTimer.nsecsElapsed()) / 1e9;
    r.storePatients.rows = r.rawPatients.rows;
    r.storeVitals.rows = r.rawVitals.rows;
    r.sameRows = r.rawPatients.records == r.storePatients.records &&
                 r.rawVitals.records == r.storeVitals.records;
    for (const char *table :
         {"patients", "patient_emergency_contacts", "patient_insurance", "patient_allergies",
          "patient_conditions", "patient_search", "vitals", "outbox"}) {
        const QString sql = QStringLiteral("SELECT count(*) FROM %1").arg(latin(table));
        auto a = scalar(from, sql);
        auto b = scalar(to, sql);
        if (!a)
            return a.error();
        if (!b)
            return b.error();
        if (*a != *b)
            r.sameRows = false;
    }

    // Type-ahead searches: 2-4 letter prefixes of the names the data was made from.
    progress(QStringLiteral("search: %1 type-ahead searches").arg(o.searches));
    Prng pick(o.seed ^ 0x7e57ab1e5eedULL);
    std::vector<double> searchMs;
    searchMs.reserve(std::size_t(o.searches));
    qint64 hits = 0;
    for (int i = 0; i < o.searches; ++i) {
        const int which = pick.between(0, 2);
        const QString name = latin(which == 0   ? pick.pick(kFemaleNames)
                                   : which == 1 ? pick.pick(kMaleNames)
                                                : pick.pick(kFamilyNames));
        const QString prefix = name.left(pick.between(2, int(std::min<qsizetype>(4, name.size()))));
        QElapsedTimer timer;
        timer.start();
        auto found = patientStore.search(prefix);
        const double ms = elapsedMs(timer);
        if (!found)
            return found.error();
        searchMs.push_back(ms);
        hits += found->size();
    }
    r.search = latency(std::move(searchMs));
    r.searchMeanHits = o.searches > 0 ? double(hits) / o.searches : 0;

    // Chart loads of random patients.
    progress(QStringLiteral("chart: %1 chart loads").arg(o.charts));
    const ChartStore chartStore(db, actor);
    std::vector<double> chartMs;
    chartMs.reserve(std::size_t(o.charts));
    qint64 vitalsShown = 0;
    for (int i = 0; i < o.charts; ++i) {
        const PatientId &id = ids.at(qsizetype(pick.next() % quint64(ids.size())));
        QElapsedTimer timer;
        timer.start();
        auto chart = chartStore.load(id);
        const double ms = elapsedMs(timer);
        if (!chart)
            return chart.error();
        chartMs.push_back(ms);
        vitalsShown += chart->vitals.size();
    }
    r.chart = latency(std::move(chartMs));
    r.chartMeanVitals = o.charts > 0 ? double(vitalsShown) / o.charts : 0;
    return {};
}

QJsonObject writeJson(const WriteFigures &f)
{
    return {{QStringLiteral("records"), double(f.records)},
            {QStringLiteral("rows"), double(f.rows)},
            {QStringLiteral("seconds"), f.seconds},
            {QStringLiteral("records_per_s"), f.recordsPerSecond()},
            {QStringLiteral("rows_per_s"), f.rowsPerSecond()}};
}

constexpr double kGoalP95Ms = 5.0;
constexpr double kGoalRatio = 0.5;

QJsonObject latencyJson(const LatencyFigures &f)
{
    return {{QStringLiteral("count"), f.count},
            {QStringLiteral("p50_ms"), f.p50_ms},
            {QStringLiteral("p95_ms"), f.p95_ms},
            {QStringLiteral("p99_ms"), f.p99_ms},
            {QStringLiteral("mean_ms"), f.mean_ms},
            {QStringLiteral("max_ms"), f.max_ms},
            {QStringLiteral("goal_p95_ms"), kGoalP95Ms},
            {QStringLiteral("goal_met"), f.p95_ms < kGoalP95Ms}};
}

WriteFigures sum(const WriteFigures &a, const WriteFigures &b)
{
    return {a.records + b.records, a.rows + b.rows, a.seconds + b.seconds};
}

// Stores' rows/s over raw rows/s for the same rows.
double ratio(const WriteFigures &stores, const WriteFigures &raw)
{
    return raw.rowsPerSecond() > 0 ? stores.rowsPerSecond() / raw.rowsPerSecond() : 0;
}

QString fixed(double v, int decimals)
{
    return QString::number(v, 'f', decimals);
}

QString writeLine(const QString &label, const WriteFigures &f, const QString &unit)
{
    return QStringLiteral("    %1 %2 rows in %3 s = %4 rows/s (%5 %6/s)\n")
        .arg(label, -9)
        .arg(f.rows, 9)
        .arg(fixed(f.seconds, 2), 7)
        .arg(rate(f.rowsPerSecond()), 7)
        .arg(rate(f.recordsPerSecond()))
        .arg(unit);
}

QString latencyLine(const LatencyFigures &f)
{
    return QStringLiteral(
               "  p50 %1 ms  p95 %2 ms  p99 %3 ms  (mean %4, max %5 ms; goal p95 < %6 ms: %7)\n")
        .arg(fixed(f.p50_ms, 3), fixed(f.p95_ms, 3), fixed(f.p99_ms, 3), fixed(f.mean_ms, 3),
             fixed(f.max_ms, 3), fixed(kGoalP95Ms, 0),
             f.p95_ms < kGoalP95Ms ? QStringLiteral("met") : QStringLiteral("not met"));
}

} // namespace

Result<StorageBenchResult> runStorageBench(const StorageBenchOptions &options,
                                           const std::function<void(const QString &)> &progress)
{
    StorageBenchResult r;
    r.options = options;
    r.sqliteVersion = latin(sqlite3_libversion());
    const QString parent = options.dir.isEmpty() ? QDir::tempPath() : options.dir;
    if (!QDir().mkpath(parent))
        return Error::storage(QStringLiteral("bench: cannot create the directory %1").arg(parent));
    QTemporaryDir dir(QDir(parent).filePath(QStringLiteral("tmdash-bench-XXXXXX")));
    if (!dir.isValid())
        return Error::storage(QStringLiteral("bench: cannot make a directory in %1: %2")
                                  .arg(parent, dir.errorString()));
    dir.setAutoRemove(!options.keep);
    r.storesFile = dir.filePath(QStringLiteral("stores.sqlite"));
    r.rawFile = dir.filePath(QStringLiteral("raw.sqlite"));
    {
        OpenDatabases dbs;
        if (Status s = runPhases(r, dbs, progress); !s)
            return s.error();
    }
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) == 0)
        r.peakRssKiB = usage.ru_maxrss; // KiB on Linux
    return r;
}

QJsonObject storageBenchJson(const StorageBenchResult &r)
{
    const StorageBenchOptions &o = r.options;
    const WriteFigures storeTotal = sum(r.storePatients, r.storeVitals);
    const WriteFigures rawTotal = sum(r.rawPatients, r.rawVitals);
    const double totalRatio = ratio(storeTotal, rawTotal);
    QJsonObject search = latencyJson(r.search);
    search.insert(QStringLiteral("mean_hits"), r.searchMeanHits);
    QJsonObject chart = latencyJson(r.chart);
    chart.insert(QStringLiteral("mean_vitals"), r.chartMeanVitals);
    return {
        {QStringLiteral("benchmark"), QStringLiteral("storage")},
        {QStringLiteral("sqlite_version"), r.sqliteVersion},
        {QStringLiteral("patients"), o.patients},
        {QStringLiteral("vitals"), o.vitals},
        {QStringLiteral("searches"), o.searches},
        {QStringLiteral("charts"), o.charts},
        {QStringLiteral("batch_size"), o.batch},
        {QStringLiteral("seed"), QString::number(o.seed)},
        {QStringLiteral("files"), QJsonObject{{QStringLiteral("stores"), r.storesFile},
                                              {QStringLiteral("raw"), r.rawFile},
                                              {QStringLiteral("kept"), o.keep}}},
        {QStringLiteral("writes"),
         QJsonObject{
             {QStringLiteral("stores"),
              QJsonObject{{QStringLiteral("patients"), writeJson(r.storePatients)},
                          {QStringLiteral("vitals"), writeJson(r.storeVitals)},
                          {QStringLiteral("total"), writeJson(storeTotal)},
                          {QStringLiteral("method"),
                           QStringLiteral("PatientStore::create / VitalsStore::create with "
                                          "validation, outbox and audit on; each create's "
                                          "Transaction joins an all-or-nothing outer Transaction "
                                          "of batch_size creates (no savepoint per create, one "
                                          "COMMIT per batch)")}}},
             {QStringLiteral("raw"),
              QJsonObject{{QStringLiteral("patients"), writeJson(r.rawPatients)},
                          {QStringLiteral("vitals"), writeJson(r.rawVitals)},
                          {QStringLiteral("total"), writeJson(rawTotal)},
                          {QStringLiteral("method"),
                           QStringLiteral("the same rows (records, owned-list rows, search "
                                          "index, outbox) through sqlite3 prepared statements "
                                          "in one transaction; vitals include its COMMIT")}}},
             {QStringLiteral("ratio"),
              QJsonObject{{QStringLiteral("patients"), ratio(r.storePatients, r.rawPatients)},
                          {QStringLiteral("vitals"), ratio(r.storeVitals, r.rawVitals)},
                          {QStringLiteral("total"), totalRatio}}},
             {QStringLiteral("goal_ratio"), kGoalRatio},
             {QStringLiteral("goal_met"), totalRatio >= kGoalRatio},
             {QStringLiteral("same_rows"), r.sameRows}}},
        {QStringLiteral("search"), search},
        {QStringLiteral("chart"), chart},
        {QStringLiteral("peak_rss_kib"), double(r.peakRssKiB)},
        {QStringLiteral("peak_rss_mib"), double(r.peakRssKiB) / 1024.0},
    };
}

QString storageBenchText(const StorageBenchResult &r)
{
    const StorageBenchOptions &o = r.options;
    const WriteFigures storeTotal = sum(r.storePatients, r.storeVitals);
    const WriteFigures rawTotal = sum(r.rawPatients, r.rawVitals);
    const double totalRatio = ratio(storeTotal, rawTotal);
    QString text;
    text += QStringLiteral("Storage benchmark: SQLite %1, seed %2, fresh files in %3%4\n")
                .arg(r.sqliteVersion, QString::number(o.seed), QFileInfo(r.storesFile).path(),
                     o.keep ? QStringLiteral(" (kept)") : QStringLiteral(" (removed)"));
    text += QStringLiteral("Writes: %1 patients (with contacts, insurance, allergies, conditions, "
                           "search index, outbox) and %2 vitals (with outbox)\n")
                .arg(o.patients)
                .arg(o.vitals);
    text += QStringLiteral("  stores: PatientStore/VitalsStore::create, validation, outbox and audit "
                           "on;\n          all-or-nothing outer transactions of %1 creates\n")
                .arg(o.batch);
    text += writeLine(QStringLiteral("patients"), r.storePatients, QStringLiteral("patients"));
    text += writeLine(QStringLiteral("vitals"), r.storeVitals, QStringLiteral("vitals"));
    text += writeLine(QStringLiteral("total"), storeTotal, QStringLiteral("records"));
    text += QStringLiteral("  raw:    the same rows through sqlite3 prepared statements, one "
                           "transaction,\n          each thousand records right after the "
                           "stores wrote them%1\n")
                .arg(r.sameRows ? QString() : QStringLiteral(" (ROW COUNTS DIFFER)"));
    text += writeLine(QStringLiteral("patients"), r.rawPatients, QStringLiteral("patients"));
    text += writeLine(QStringLiteral("vitals"), r.rawVitals, QStringLiteral("vitals"));
    text += writeLine(QStringLiteral("total"), rawTotal, QStringLiteral("records"));
    text += QStringLiteral("  stores/raw: patients %1x, vitals %2x, total %3x (goal >= %4x: %5)\n")
                .arg(fixed(ratio(r.storePatients, r.rawPatients), 2),
                     fixed(ratio(r.storeVitals, r.rawVitals), 2), fixed(totalRatio, 2),
                     fixed(kGoalRatio, 1),
                     totalRatio >= kGoalRatio ? QStringLiteral("met") : QStringLiteral("not met"));
    text += QStringLiteral("Type-ahead search (PatientStore::search, %1 random 2-4 letter name "
                           "prefixes, %2 hits on average):\n")
                .arg(r.search.count)
                .arg(fixed(r.searchMeanHits, 1));
    text += latencyLine(r.search);
    text += QStringLiteral("Chart load (ChartStore::load, %1 random patients, %2 vitals on "
                           "average):\n")
                .arg(r.chart.count)
                .arg(fixed(r.chartMeanVitals, 1));
    text += latencyLine(r.chart);
    text += QStringLiteral("Peak memory (max RSS): %1 MiB\n")
                .arg(fixed(double(r.peakRssKiB) / 1024.0, 1));
    return text;
}

} // namespace tmdash
