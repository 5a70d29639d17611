#include "appointmentstore.h"
#include "clock.h"
#include "consultationstore.h"
#include "database.h"
#include "ids.h"
#include "outbox.h"
#include "patientstore.h"
#include "recordtable.h"
#include "recordwriter.h"
#include "row.h"
#include "schema.h"
#include "synchronizer.h"
#include "testsupport.h"
#include "vitalsstore.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>
#include <QTimeZone>

#include <algorithm>
#include <functional>

using namespace tmdash;

// Convergence (issue 6, section 3): five desktops, each its own SQLite file and connection,
// write at random through the real stores as real users, go offline for a while, sync with one
// central PostgreSQL at random moments (sometimes writing while their sync runs), and are then
// synced until quiet. Afterwards every desktop holds exactly the central's rows, every mutation
// any desktop made is applied, a recorded conflict or a recorded rejection, nothing is there
// twice, and the run did produce conflicts and rejections.
//
// The operation sequence follows a seed, printed at the start; TMDASH_TEST_SEED=<n> replays it:
// the same operations, syncs and offline periods, so the same counts, unless a transaction held
// open elsewhere in the test cluster makes a pull wait (record ids and clock readings differ).

namespace {

constexpr int kDesktops = 5;
constexpr int kOperations = 1000;
constexpr int kQuietRounds = 10; // sync rounds allowed to reach quiet at the end

using SqlRows = QList<QVariantList>;

SqlRows rows(const Database &db, const QString &statement, const QVariantMap &binds = {})
{
    QSqlQuery q(db.connection());
    q.setForwardOnly(true);
    if (!q.prepare(statement))
        qFatal("%s: %s", qPrintable(statement), qPrintable(q.lastError().text()));
    for (auto it = binds.cbegin(); it != binds.cend(); ++it)
        q.bindValue(QLatin1Char(':') + it.key(), it.value());
    if (!q.exec())
        qFatal("%s: %s", qPrintable(statement), qPrintable(q.lastError().text()));
    SqlRows out;
    while (q.next()) {
        QVariantList row;
        for (int i = 0; i < q.record().count(); ++i)
            row << q.value(i);
        out << row;
    }
    return out;
}

QJsonObject jsonObject(const QVariant &text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// A value of the central's to_jsonb() in Row form (row.h), as sync/synchronizer.cpp reads it:
// instants in the canonical UTC text, times as HH:MM, JSON documents as they are.
QJsonValue fromCentral(const QJsonValue &value, ColumnType type)
{
    if (value.isNull() || value.isUndefined())
        return QJsonValue::Null;
    switch (type) {
    case ColumnType::Json:
        return value;
    case ColumnType::Integer:
    case ColumnType::Real:
        return value.isString() ? rowValueFromDb(value.toString(), type) : value;
    case ColumnType::Bool:
        return value.isBool() ? value : rowValueFromDb(value.toVariant(), type);
    default:
        return rowValueFromDb(value.toVariant(), type);
    }
}

Row rowFromCentral(const TableSpec &spec, const QJsonObject &json)
{
    Row row;
    for (const ColumnSpec &c : spec.columns)
        row.insert(c.name.toString(), fromCentral(json.value(c.name), c.type));
    return row;
}

// Only the columns of the spec, so both sides are compared on the columns they share.
Row specColumns(const TableSpec &spec, const Row &in)
{
    Row row;
    for (const ColumnSpec &c : spec.columns)
        row.insert(c.name.toString(), in.value(c.name).isUndefined() ? QJsonValue(QJsonValue::Null)
                                                                     : in.value(c.name));
    return row;
}

// One table's rows by id.
using TableRows = QMap<QString, Row>;

QByteArray digestOf(const TableRows &table)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (auto it = table.cbegin(); it != table.cend(); ++it) {
        hash.addData(it.key().toUtf8());
        hash.addData(QJsonDocument(it.value()).toJson(QJsonDocument::Compact));
        hash.addData(QByteArrayView("\n"));
    }
    return hash.result().toHex().left(16);
}

// The fields of two rows that differ, "field: a | b".
QStringList differences(const Row &a, const Row &b)
{
    QStringList out;
    QStringList keys = a.keys() + b.keys();
    keys.removeDuplicates();
    keys.sort();
    for (const QString &k : std::as_const(keys)) {
        if (a.value(k) != b.value(k))
            out << QStringLiteral("%1: %2 | %3")
                       .arg(k, compact(QJsonObject{{QStringLiteral("v"), a.value(k)}}),
                            compact(QJsonObject{{QStringLiteral("v"), b.value(k)}}));
    }
    return out;
}

// A rejection's reason without the ids and times in it, to count reasons by kind.
QString reasonKind(QString reason)
{
    static const QRegularExpression uuid(QStringLiteral("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                                        "[0-9a-f]{4}-[0-9a-f]{12}"));
    static const QRegularExpression instant(QStringLiteral(" at \\d{4}-\\d\\d-\\d\\d [0-9:+]+"));
    return reason.replace(uuid, QStringLiteral("<id>")).replace(instant, QString());
}

// One outbox row a desktop wrote, as the test remembers it.
struct Mutation
{
    int desk = -1;
    qint64 seq = 0;
    QString id;
    QString entity;
    QString entityId;
    QString op;
    QJsonObject changes;
};

struct Desk
{
    int index = 0;
    Database db;
    QString device;
    qint64 lastSeq = 0;
    int offlineUntil = 0; // online once this many operations are done
    int pushBatch = 500;
    int pullPage = 1000;
};

// What sync reports add up to.
struct Totals
{
    int syncs = 0;
    int pushed = 0;
    int applied = 0;
    int conflicts = 0;
    int rejected = 0;
    qint64 pulled = 0;
    qint64 skipped = 0;
    int stalled = 0;
    qint64 syncMs = 0; // time spent in Synchronizer::runOnce (writes made meanwhile included)
    QMap<QString, int> errors; // "desktop N: message" -> how many runs failed so

    QString errorList() const
    {
        QStringList out;
        for (auto it = errors.cbegin(); it != errors.cend(); ++it)
            out << QStringLiteral("%1 (%2 runs)").arg(it.key()).arg(it.value());
        return out.join(u'\n');
    }
};

const QStringList kGiven{QStringLiteral("Ada"), QStringLiteral("Bea"), QStringLiteral("Cy"),
                         QStringLiteral("Dot"), QStringLiteral("Eli"), QStringLiteral("Fay"),
                         QStringLiteral("Gus"), QStringLiteral("Hal")};
const QStringList kFamily{QStringLiteral("Lee"), QStringLiteral("Moss"), QStringLiteral("Nash"),
                          QStringLiteral("Oakes"), QStringLiteral("Price")};
const QStringList kCities{QStringLiteral("Springfield"), QStringLiteral("Shelbyville"),
                          QStringLiteral("Ogdenville"), QStringLiteral("North Haverbrook")};
const QStringList kNotes{QStringLiteral("prefers mornings"), QStringLiteral("needs interpreter"),
                         QStringLiteral("call before visits"), QStringLiteral("wheelchair user")};
const QStringList kStreets{QStringLiteral("1 Elm St"), QStringLiteral("22 Oak Ave"),
                           QStringLiteral("5 Pine Rd")};
const QStringList kRegions{QStringLiteral("OR"), QStringLiteral("WA"), QStringLiteral("ID")};
const QStringList kPostal{QStringLiteral("97201"), QStringLiteral("98101"),
                          QStringLiteral("83702")};
const QStringList kMiddle{QStringLiteral("Jo"), QStringLiteral("Lynn"), QStringLiteral("Ray")};
const QStringList kLanguages{QStringLiteral("en"), QStringLiteral("es"), QStringLiteral("fr")};
const QStringList kSubstances{QStringLiteral("penicillin"), QStringLiteral("latex"),
                              QStringLiteral("peanut"), QStringLiteral("aspirin")};
const QStringList kComplaints{QStringLiteral("cough"), QStringLiteral("headache"),
                              QStringLiteral("back pain"), QStringLiteral("fatigue")};
const QStringList kNoteText{QStringLiteral("stable"), QStringLiteral("improving"),
                            QStringLiteral("review in two weeks"), QStringLiteral("refer")};
const QStringList kIcd10{QStringLiteral("I10"), QStringLiteral("E11.9"), QStringLiteral("J45.909"),
                         QStringLiteral("M54.5")};
const QStringList kRooms{QString(), QStringLiteral("101"), QStringLiteral("102")};

} // namespace

class TestConvergence : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("convergence")};
    Database m_central;
    QString m_url;
    ClinicId m_clinic;
    test::TestUser m_staff;
    test::TestProvider m_doctors[2];
    QList<Desk> m_desks;
    QRandomGenerator m_rng;
    quint32 m_seed = 0;

    // Ids of what the desktops created, in creation order (so choices follow the seed).
    QStringList m_patients;
    QStringList m_appointments;
    QStringList m_vitals;
    QStringList m_consultations;
    QList<QDateTime> m_slots; // bookable start times (UTC)

    QList<Mutation> m_mutations;
    int m_done = 0;    // operations that wrote something
    int m_refused = 0; // operations a desktop's store refused (nothing written)
    QMap<QString, int> m_kinds;
    Totals m_totals;
    int m_writingSyncs = 0; // syncs during which the desktop also wrote

    int below(int n) { return n <= 1 ? 0 : int(m_rng.bounded(quint32(n))); }
    bool chance(int percent) { return below(100) < percent; }
    template <class T> const T &oneOf(const QList<T> &list)
    {
        return list.at(below(int(list.size())));
    }
    // Another value of `pool` than `current` when there is one.
    QString otherThan(const QStringList &pool, const QString &current)
    {
        QString v = oneOf(pool);
        if (v == current)
            v = pool.at((pool.indexOf(v) + 1) % pool.size());
        return v;
    }

    bool online(const Desk &d) const { return d.offlineUntil <= m_done; }

    const Principal &anyPerson()
    {
        switch (below(3)) {
        case 0:
            return m_staff.principal;
        case 1:
            return m_doctors[0].principal;
        default:
            return m_doctors[1].principal;
        }
    }
    const test::TestProvider &anyDoctor() { return m_doctors[below(2)]; }

    // Ids of `registry` that the desktop holds alive (matching `where`), in registry order.
    QStringList candidates(const Desk &d, const QString &table, const QStringList &registry,
                           const QString &where = {})
    {
        QSet<QString> live;
        const QString sql =
            QStringLiteral("SELECT id FROM %1 WHERE deleted_at IS NULL%2")
                .arg(table, where.isEmpty() ? QString() : QStringLiteral(" AND ") + where);
        for (const QVariantList &r : rows(d.db, sql))
            live.insert(r.first().toString());
        QStringList out;
        for (const QString &id : registry)
            if (live.contains(id))
                out << id;
        return out;
    }

    // A live patient of the desktop; more than half the time one of the first few, so that
    // desktops work on the same patients.
    QString pickPatient(const Desk &d)
    {
        const QStringList all = candidates(d, QStringLiteral("patients"), m_patients);
        if (all.isEmpty())
            return {};
        if (chance(60))
            return all.at(below(int(std::min<qsizetype>(6, all.size()))));
        return oneOf(all);
    }

    void note(const QString &kind, bool ok)
    {
        m_kinds[kind + (ok ? QStringLiteral("") : QStringLiteral(" (refused locally)"))] += 1;
        if (!ok)
            ++m_refused;
    }

    // --- The operations. Each returns whether the desktop's store wrote something. ---

    bool createPatient(Desk &d)
    {
        Patient p;
        p.given_name = oneOf(kGiven);
        p.family_name = oneOf(kFamily);
        p.birth_date = QDate(1940 + below(70), 1 + below(12), 1 + below(28));
        p.sex = chance(50) ? Sex::Female : Sex::Male;
        if (chance(50))
            p.city = oneOf(kCities);
        auto made = PatientStore(d.db, anyPerson()).create(p);
        note(QStringLiteral("create patient"), made.ok());
        if (made)
            m_patients << made->id.value;
        return made.ok();
    }

    bool editPatient(Desk &d)
    {
        const QString id = pickPatient(d);
        if (id.isEmpty())
            return false;
        const PatientStore store(d.db, anyPerson());
        auto current = store.get(PatientId(id));
        if (!current)
            return false;
        Patient p = *current;
        // The first two fields are the hot ones, so desktops often edit the same field.
        const int fields = chance(20) ? 2 : 1;
        for (int i = 0; i < fields; ++i) {
            switch (chance(60) ? below(2) : below(7)) {
            case 0:
                p.city = otherThan(kCities, p.city);
                break;
            case 1:
                p.notes = otherThan(kNotes, p.notes);
                break;
            case 2:
                p.address_line = otherThan(kStreets, p.address_line);
                break;
            case 3:
                p.region = otherThan(kRegions, p.region);
                break;
            case 4:
                p.postal_code = otherThan(kPostal, p.postal_code);
                break;
            case 5:
                p.middle_name = otherThan(kMiddle, p.middle_name);
                break;
            default:
                p.preferred_language = otherThan(kLanguages, p.preferred_language);
                break;
            }
        }
        auto stored = store.update(p);
        note(QStringLiteral("edit patient"), stored.ok());
        return stored.ok();
    }

    bool editAllergies(Desk &d)
    {
        const QString id = pickPatient(d);
        if (id.isEmpty())
            return false;
        const PatientStore store(d.db, anyPerson());
        auto current = store.get(PatientId(id));
        if (!current)
            return false;
        Patient p = *current;
        QString kind;
        if (p.allergies.isEmpty() || chance(40)) {
            PatientAllergy a;
            a.substance = oneOf(kSubstances);
            a.category = AllergyCategory::Medication;
            a.reaction = QStringLiteral("rash");
            a.severity = AllergySeverity::Mild;
            p.allergies << a;
            kind = QStringLiteral("add allergy");
        } else if (chance(60)) {
            PatientAllergy &a = p.allergies[below(int(p.allergies.size()))];
            a.criticality = a.criticality == AllergyCriticality::High ? AllergyCriticality::Low
                                                                      : AllergyCriticality::High;
            kind = QStringLiteral("edit allergy");
        } else {
            p.allergies.removeAt(below(int(p.allergies.size())));
            kind = QStringLiteral("remove allergy");
        }
        auto stored = store.update(p);
        note(kind, stored.ok());
        return stored.ok();
    }

    bool deletePatient(Desk &d)
    {
        const QStringList all = candidates(d, QStringLiteral("patients"), m_patients);
        if (all.size() < 4)
            return false;
        const Status removed = PatientStore(d.db, anyPerson()).remove(PatientId(oneOf(all)));
        note(QStringLiteral("delete patient"), removed.ok());
        return removed.ok();
    }

    bool book(Desk &d)
    {
        const QString patient = pickPatient(d);
        if (patient.isEmpty())
            return false;
        Appointment a;
        a.patient_id = PatientId(patient);
        a.provider_id = anyDoctor().provider;
        a.start_at = oneOf(m_slots);
        a.duration_minutes = chance(75) ? 30 : 60;
        a.type = AppointmentType::FollowUp;
        a.room = oneOf(kRooms);
        auto made = AppointmentStore(d.db, anyPerson()).create(a);
        note(QStringLiteral("book"), made.ok());
        if (made)
            m_appointments << made->id.value;
        return made.ok();
    }

    bool changeAppointment(Desk &d)
    {
        const QStringList all =
            candidates(d, QStringLiteral("appointments"), m_appointments,
                       QStringLiteral("status IN ('scheduled', 'confirmed', 'checked_in')"));
        if (all.isEmpty())
            return false;
        const AppointmentId id(chance(50) ? all.at(below(int(std::min<qsizetype>(8, all.size()))))
                                          : oneOf(all));
        const AppointmentStore store(d.db, anyPerson());
        const int what = below(10);
        if (what < 5) {
            auto done = store.cancel(id, QStringLiteral("patient called"));
            note(QStringLiteral("cancel"), done.ok());
            return done.ok();
        }
        if (what < 7) {
            auto done = store.confirm(id);
            note(QStringLiteral("confirm"), done.ok());
            return done.ok();
        }
        if (what < 8) {
            auto done = store.checkIn(id);
            note(QStringLiteral("check in"), done.ok());
            return done.ok();
        }
        auto current = store.get(id);
        if (!current)
            return false;
        auto done = store.reschedule(id, oneOf(m_slots), current->duration_minutes);
        note(QStringLiteral("reschedule"), done.ok());
        return done.ok();
    }

    bool recordVitals(Desk &d)
    {
        const QString patient = pickPatient(d);
        if (patient.isEmpty())
            return false;
        Vitals v;
        v.patient_id = PatientId(patient);
        v.recorded_at = nowUtc().addSecs(-60 * (1 + below(600)));
        v.systolic_mmhg = 95 + below(60);
        v.diastolic_mmhg = 60 + below(30);
        v.heart_rate_bpm = 50 + below(60);
        v.temperature_c = 36.0 + below(30) / 10.0;
        if (chance(50))
            v.weight_kg = 50 + below(500) / 10.0;
        auto made = VitalsStore(d.db, anyPerson()).create(v);
        note(QStringLiteral("record vitals"), made.ok());
        if (made)
            m_vitals << made->id.value;
        return made.ok();
    }

    bool vitalsInError(Desk &d)
    {
        const QStringList all =
            candidates(d, QStringLiteral("vitals"), m_vitals, QStringLiteral("status = 'final'"));
        if (all.isEmpty())
            return false;
        auto done = VitalsStore(d.db, anyPerson()).markInError(VitalsId(oneOf(all)));
        note(QStringLiteral("vitals entered in error"), done.ok());
        return done.ok();
    }

    bool createConsultation(Desk &d)
    {
        const QString patient = pickPatient(d);
        if (patient.isEmpty())
            return false;
        const test::TestProvider &doctor = anyDoctor();
        Consultation c;
        c.patient_id = PatientId(patient);
        c.provider_id = doctor.provider;
        c.started_at = nowUtc().addSecs(-60 * (1 + below(120)));
        c.chief_complaint = oneOf(kComplaints);
        c.history = oneOf(kNoteText);
        auto made = ConsultationStore(d.db, doctor.principal).create(c);
        note(QStringLiteral("create consultation"), made.ok());
        if (made)
            m_consultations << made->id.value;
        return made.ok();
    }

    QString pickDraft(const Desk &d)
    {
        const QStringList all = candidates(d, QStringLiteral("consultations"), m_consultations,
                                           QStringLiteral("status = 'draft'"));
        if (all.isEmpty())
            return {};
        return chance(50) ? all.at(below(int(std::min<qsizetype>(4, all.size())))) : oneOf(all);
    }

    bool editConsultation(Desk &d)
    {
        const QString id = pickDraft(d);
        if (id.isEmpty())
            return false;
        const ConsultationStore store(d.db, anyDoctor().principal);
        auto current = store.get(ConsultationId(id));
        if (!current)
            return false;
        Consultation c = *current;
        switch (below(5)) {
        case 0:
            c.chief_complaint = otherThan(kComplaints, c.chief_complaint);
            break;
        case 1:
            c.history = otherThan(kNoteText, c.history);
            break;
        case 2:
            c.assessment = otherThan(kNoteText, c.assessment);
            break;
        case 3:
            c.plan = otherThan(kNoteText, c.plan);
            break;
        default: {
            ConsultationDiagnosis dx;
            dx.icd10_code = oneOf(kIcd10);
            dx.description = QStringLiteral("diagnosis");
            c.diagnoses << dx;
            break;
        }
        }
        auto stored = store.update(c);
        note(QStringLiteral("edit consultation"), stored.ok());
        return stored.ok();
    }

    bool signConsultation(Desk &d)
    {
        const QString id = pickDraft(d);
        if (id.isEmpty())
            return false;
        auto signedNote = ConsultationStore(d.db, anyDoctor().principal).sign(ConsultationId(id));
        note(QStringLiteral("sign consultation"), signedNote.ok());
        return signedNote.ok();
    }

    bool removeConsultation(Desk &d)
    {
        const QString id = pickDraft(d);
        if (id.isEmpty())
            return false;
        const Status removed =
            ConsultationStore(d.db, anyDoctor().principal).remove(ConsultationId(id));
        note(QStringLiteral("delete consultation"), removed.ok());
        return removed.ok();
    }

    // One random operation on `d`; the outbox rows it wrote are remembered.
    bool operate(Desk &d)
    {
        struct Weighted
        {
            int weight;
            bool (TestConvergence::*run)(Desk &);
        };
        static const Weighted kOps[] = {
            {8, &TestConvergence::createPatient},
            {24, &TestConvergence::editPatient},
            {6, &TestConvergence::editAllergies},
            {3, &TestConvergence::deletePatient},
            {14, &TestConvergence::book},
            {12, &TestConvergence::changeAppointment},
            {8, &TestConvergence::recordVitals},
            {3, &TestConvergence::vitalsInError},
            {7, &TestConvergence::createConsultation},
            {8, &TestConvergence::editConsultation},
            {4, &TestConvergence::signConsultation},
            {3, &TestConvergence::removeConsultation},
        };
        int roll = below(100);
        for (const Weighted &w : kOps) {
            if (roll < w.weight) {
                const bool wrote = (this->*w.run)(d);
                collectMutations(d);
                if (wrote)
                    ++m_done;
                return wrote;
            }
            roll -= w.weight;
        }
        return false;
    }

    void collectMutations(Desk &d)
    {
        const SqlRows fresh =
            rows(d.db,
                 QStringLiteral("SELECT seq, mutation_id, entity, entity_id, op, "
                                "changes FROM outbox WHERE seq > :s ORDER BY seq"),
                 {{QStringLiteral("s"), d.lastSeq}});
        for (const QVariantList &r : fresh) {
            Mutation m;
            m.desk = d.index;
            m.seq = r[0].toLongLong();
            m.id = r[1].toString();
            m.entity = r[2].toString();
            m.entityId = r[3].toString();
            m.op = r[4].toString();
            m.changes = jsonObject(r[5]);
            m_mutations << m;
            d.lastSeq = m.seq;
        }
    }

    // One sync of `d`; with `writeMeanwhile` the desktop also writes between the sync's batches
    // and pages, as a person at that desktop would.
    bool sync(Desk &d, bool writeMeanwhile, int stallSeconds, SyncReport *out = nullptr)
    {
        SyncOptions options;
        options.centralUrl = m_url;
        options.clinic = m_clinic.value;
        options.pushBatch = d.pushBatch;
        options.pullPage = d.pullPage;
        options.stallSeconds = stallSeconds;
        int writes = 0;
        if (writeMeanwhile) {
            ++m_writingSyncs;
            options.progress = [&](const QString &message) {
                if (writes >= 3 || m_done >= kOperations)
                    return;
                if (!message.startsWith(QLatin1String("pushed")) &&
                    !message.startsWith(QLatin1String("pulled")))
                    return;
                if (chance(50)) {
                    ++writes;
                    operate(d);
                }
            };
        }
        QElapsedTimer took;
        took.start();
        auto report = Synchronizer(d.db, options).runOnce();
        m_totals.syncMs += took.elapsed();
        ++m_totals.syncs;
        if (!report) {
            const QString error =
                QStringLiteral("desktop %1: %2").arg(d.index).arg(report.error().message);
            if (!m_totals.errors.contains(error))
                qWarning("sync failed: %s", qPrintable(error));
            m_totals.errors[error] += 1;
            return false;
        }
        m_totals.pushed += report->pushed;
        m_totals.applied += report->applied;
        m_totals.conflicts += report->conflicts;
        m_totals.rejected += report->rejected;
        m_totals.pulled += report->pulled;
        m_totals.skipped += report->skipped;
        m_totals.stalled += report->stalled ? 1 : 0;
        if (out)
            *out = *report;
        return true;
    }

    qint64 pendingEverywhere()
    {
        qint64 n = 0;
        for (const Desk &d : std::as_const(m_desks))
            n += rows(d.db, QStringLiteral("SELECT count(*) FROM outbox WHERE status = 'pending'"))
                     .first()
                     .first()
                     .toLongLong();
        return n;
    }

    void insertCentral(QStringView table, Row row)
    {
        row.insert(QStringLiteral("created_at"), QStringLiteral("2026-01-01T00:00:00.000Z"));
        row.insert(QStringLiteral("updated_at"), QStringLiteral("2026-01-01T00:00:00.000Z"));
        if (Status s = RecordTable(m_central, table).insert(row); !s)
            qFatal("inserting into %s failed: %s", qPrintable(table.toString()),
                   qPrintable(s.error().message));
    }

    // Rows of a synced table on the central (this clinic's) and on a desktop, in Row form.
    TableRows centralTable(const TableSpec &spec)
    {
        const QString table = spec.name.toString();
        const QString where =
            table == QLatin1String("clinics") ? QStringLiteral("id") : QStringLiteral("clinic_id");
        TableRows out;
        for (const QVariantList &r :
             rows(m_central,
                  QStringLiteral("SELECT to_jsonb(t)::text FROM %1 t WHERE t.%2 = CAST(:c AS uuid)")
                      .arg(table, where),
                  {{QStringLiteral("c"), m_clinic.value}})) {
            const Row row = rowFromCentral(spec, jsonObject(r.first()));
            out.insert(row.value(u"id").toString(), row);
        }
        return out;
    }

    TableRows desktopTable(const Desk &d, const TableSpec &spec)
    {
        auto all = RecordTable(d.db, spec).select(QStringLiteral("1 = 1"));
        if (!all)
            qFatal("reading %s failed: %s", qPrintable(spec.name.toString()),
                   qPrintable(all.error().message));
        TableRows out;
        for (const Row &r : *all)
            out.insert(r.value(u"id").toString(), specColumns(spec, r));
        return out;
    }

    static QList<const TableSpec *> syncedTables()
    {
        QList<const TableSpec *> out;
        for (const TableSpec &spec : allTableSpecs())
            if (spec.synced && !spec.desktopOnly)
                out << &spec;
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (test::requirePostgresUrl().isEmpty())
            QSKIP("TMDASH_TEST_PG not set");
        bool fixed = false;
        m_seed = qEnvironmentVariable("TMDASH_TEST_SEED").toUInt(&fixed);
        if (!fixed)
            m_seed = QRandomGenerator::global()->generate();
        m_rng.seed(m_seed);
        qInfo("convergence seed %u (%s; TMDASH_TEST_SEED=%u replays the same choices)", m_seed,
              fixed ? "from TMDASH_TEST_SEED" : "random", m_seed);

        m_central = m_factory.create(SqlDialect::Postgres);
        m_url = m_factory.lastUrl();
        m_clinic = test::insertClinic(m_central, QStringLiteral("Convergence Clinic"));
        m_staff = test::insertUser(m_central, m_clinic, Role::Staff,
                                   QStringLiteral("front@conv.example"));
        m_doctors[0] = test::insertProvider(
            m_central, m_clinic, QStringLiteral("doc1@conv.example"), QStringLiteral("1234567893"));
        m_doctors[1] = test::insertProvider(
            m_central, m_clinic, QStringLiteral("doc2@conv.example"), QStringLiteral("1245319599"));
        for (const test::TestProvider &doctor : m_doctors) {
            for (int weekday = 1; weekday <= 5; ++weekday)
                insertCentral(u"provider_availability",
                              {{QStringLiteral("id"), newUuidV7()},
                               {QStringLiteral("clinic_id"), m_clinic.value},
                               {QStringLiteral("provider_id"), doctor.provider.value},
                               {QStringLiteral("weekday"), weekday},
                               {QStringLiteral("start_time"), QStringLiteral("09:00")},
                               {QStringLiteral("end_time"), QStringLiteral("17:00")}});
        }

        // Three clinic days of half-hour slots: few enough that desktops booking offline pick
        // the same ones.
        const QTimeZone zone(QByteArrayLiteral("America/New_York"));
        QDate day(2030, 3, 4);
        while (day.dayOfWeek() != 1)
            day = day.addDays(1);
        for (int d = 0; d < 3; ++d)
            for (int half = 0; half < 15; ++half)
                m_slots
                    << QDateTime(day.addDays(d), QTime(9, 0).addSecs(half * 1800), zone).toUTC();

        for (int i = 0; i < kDesktops; ++i) {
            Desk d;
            d.index = i;
            d.db = m_factory.create(SqlDialect::Sqlite, /*migrated*/ false);
            // Small batches and pages on some desktops, so that those paths run too.
            d.pushBatch = i % 2 == 0 ? 500 : 3 + below(10);
            d.pullPage = i % 3 == 0 ? 1000 : 5 + below(20);
            m_desks << d;
        }
    }

    void randomOperationsConverge()
    {
        QElapsedTimer clock;
        clock.start();

        // Every desktop's first sync binds it to the clinic and brings the users.
        for (Desk &d : m_desks) {
            QVERIFY2(sync(d, false, 30), qPrintable(m_totals.errorList()));
            auto device = deviceId(d.db);
            QVERIFY(device);
            d.device = *device;
        }

        // The operations, with syncs at random moments and random offline periods.
        int attempts = 0;
        while (m_done < kOperations && attempts < kOperations * 5) {
            ++attempts;
            if (chance(3)) {
                Desk &d = m_desks[below(kDesktops)];
                if (online(d))
                    d.offlineUntil = m_done + 20 + below(150);
            }
            const int before = m_done;
            operate(m_desks[below(kDesktops)]);
            if (m_done != before) {
                for (Desk &d : m_desks)
                    if (d.offlineUntil == m_done) // just came back: syncs at once
                        sync(d, false, 5);
            }
            if (chance(10)) {
                Desk &d = m_desks[below(kDesktops)];
                if (online(d))
                    sync(d, chance(25), 5);
            }
        }
        const qint64 operationsMs = clock.elapsed();
        QVERIFY2(
            m_done >= kOperations,
            qPrintable(
                QStringLiteral("only %1 operations in %2 attempts").arg(m_done).arg(attempts)));

        // Everyone online; sync every desktop in turn until a round moves nothing.
        for (Desk &d : m_desks)
            d.offlineUntil = 0;
        int rounds = 0;
        bool quiet = false;
        while (!quiet && rounds < kQuietRounds) {
            ++rounds;
            bool moved = false;
            for (Desk &d : m_desks) {
                SyncReport r;
                if (!sync(d, false, 30, &r) || r.pushed > 0 || r.pulled > 0 || r.skipped > 0 ||
                    r.stalled)
                    moved = true;
            }
            quiet = !moved && pendingEverywhere() == 0;
        }
        const qint64 totalMs = clock.elapsed();

        qInfo("seed %u: %d operations (%d more refused locally by the stores) made %lld mutations "
              "on %d desktops; %d syncs (%d while writing), %d final rounds (%s); "
              "operations %lld ms, total %lld ms",
              m_seed, m_done, m_refused, qlonglong(m_mutations.size()), kDesktops, m_totals.syncs,
              m_writingSyncs, rounds, quiet ? "quiet" : "not quiet", operationsMs, totalMs);
        for (auto it = m_kinds.cbegin(); it != m_kinds.cend(); ++it)
            qInfo("  %-40s %d", qPrintable(it.key()), it.value());
        qInfo(
            "sync reports: pushed %d, applied %d, conflicting fields %d, rejected %d, pulled %lld, "
            "skipped %lld, stalled %d; %lld ms in syncs",
            m_totals.pushed, m_totals.applied, m_totals.conflicts, m_totals.rejected,
            m_totals.pulled, m_totals.skipped, m_totals.stalled, m_totals.syncMs);

        // The central is reachable all along: a failed run is the engine's failure.
        QVERIFY2(m_totals.errors.isEmpty(),
                 qPrintable(QStringLiteral("sync runs failed:\n") + m_totals.errorList()));
        QVERIFY2(quiet, qPrintable(QStringLiteral("not quiet after %1 rounds (%2 outbox rows still "
                                                  "pending)")
                                       .arg(rounds)
                                       .arg(pendingEverywhere())));

        verifySameRows();
        if (QTest::currentTestFailed())
            return;
        verifyEveryMutationAccountedFor();
        if (QTest::currentTestFailed())
            return;
        verifyNothingDuplicated();
    }

private:
    // Every desktop holds exactly the central's rows of every synced table.
    void verifySameRows()
    {
        QStringList failures;
        for (const TableSpec *spec : syncedTables()) {
            const TableRows central = centralTable(*spec);
            const QByteArray centralDigest = digestOf(central);
            QStringList line;
            for (const Desk &d : std::as_const(m_desks)) {
                const TableRows local = desktopTable(d, *spec);
                const QByteArray localDigest = digestOf(local);
                if (localDigest == centralDigest) {
                    line << QStringLiteral("ok");
                    continue;
                }
                line << QStringLiteral("DIFF");
                int shown = 0;
                QSet<QString> ids(central.keyBegin(), central.keyEnd());
                ids.unite(QSet<QString>(local.keyBegin(), local.keyEnd()));
                QStringList sorted(ids.cbegin(), ids.cend());
                sorted.sort();
                for (const QString &id : std::as_const(sorted)) {
                    if (central.value(id) == local.value(id))
                        continue;
                    if (shown++ < 5) {
                        const QString what =
                            !central.contains(id) ? QStringLiteral("only on the desktop")
                            : !local.contains(id) ? QStringLiteral("missing on the desktop")
                                                  : differences(local.value(id), central.value(id))
                                                        .join(QStringLiteral("; "));
                        failures << QStringLiteral("desktop %1 %2 %3: %4 (desktop | central)")
                                        .arg(d.index)
                                        .arg(spec->name.toString(), id, what);
                    }
                }
                failures << QStringLiteral("desktop %1 %2: %3 rows, digest %4; central %5 rows, "
                                           "digest %6")
                                .arg(d.index)
                                .arg(spec->name.toString())
                                .arg(local.size())
                                .arg(QString::fromLatin1(localDigest))
                                .arg(central.size())
                                .arg(QString::fromLatin1(centralDigest));
            }
            qInfo("  %-28s %5lld rows  digest %s  desktops: %s", qPrintable(spec->name.toString()),
                  qlonglong(central.size()), centralDigest.constData(),
                  qPrintable(line.join(u' ')));
        }
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(u'\n')));
    }

    // Every mutation made is applied on the central, or a conflict recorded on its desktop, or a
    // rejection kept in its desktop's outbox; the central knows no other mutation.
    void verifyEveryMutationAccountedFor()
    {
        struct Central
        {
            QString status;
            QString device;
            QString reason;
            QJsonObject result;
            int conflicts = 0;
        };
        QHash<QString, Central> central;
        for (const QVariantList &r :
             rows(m_central,
                  QStringLiteral(
                      "SELECT mutation_id::text, status, device_id, coalesce(reason, ''), "
                      "result::text, (SELECT count(*) FROM sync_conflicts c WHERE "
                      "c.mutation_id = m.mutation_id) FROM sync_mutations m WHERE "
                      "clinic_id = CAST(:c AS uuid)"),
                  {{QStringLiteral("c"), m_clinic.value}})) {
            QVERIFY2(!central.contains(r[0].toString()), qPrintable(r[0].toString()));
            central.insert(r[0].toString(), {r[1].toString(), r[2].toString(), r[3].toString(),
                                             jsonObject(r[4]), r[5].toInt()});
        }

        // What each desktop still holds: rejected outbox rows and recorded conflicts.
        QList<QHash<QString, QStringList>> outbox(kDesktops);    // mutation -> {status, error}
        QList<QHash<QString, QStringList>> conflicts(kDesktops); // mutation -> fields
        for (const Desk &d : std::as_const(m_desks)) {
            for (const QVariantList &r :
                 rows(d.db, QStringLiteral("SELECT mutation_id, status, coalesce(error, '') "
                                           "FROM outbox")))
                outbox[d.index].insert(r[0].toString(), {r[1].toString(), r[2].toString()});
            for (const QVariantList &r :
                 rows(d.db, QStringLiteral("SELECT mutation_id, field FROM conflicts")))
                conflicts[d.index][r[0].toString()] << r[1].toString();
        }

        QStringList failures;
        QMap<QString, int> byStatus;
        QMap<QString, int> rejectionKinds; // reason without ids and times -> count
        QMap<QString, int> conflictKinds;  // "op entity.field" -> count
        QSet<QString> tracked;
        for (const Mutation &m : std::as_const(m_mutations)) {
            tracked.insert(m.id);
            const QString who = QStringLiteral("desktop %1 mutation %2 (%3 %4 of %5)")
                                    .arg(m.desk)
                                    .arg(m.id, m.op, m.entity, m.entityId);
            if (!central.contains(m.id)) {
                failures << who + QStringLiteral(": never reached the central");
                continue;
            }
            const Central &c = central[m.id];
            const QStringList local = outbox[m.desk].value(m.id);
            const QStringList fields = conflicts[m.desk].value(m.id);
            byStatus[c.status] += 1;
            if (c.device != m_desks[m.desk].device)
                failures << who + QStringLiteral(": recorded for device %1").arg(c.device);
            if (c.status == QLatin1String("rejected")) {
                if (local.value(0) != QLatin1String("rejected") || local.value(1).isEmpty())
                    failures << who + QStringLiteral(": rejected (%1) but the desktop's outbox has "
                                                     "%2")
                                          .arg(c.reason, local.join(u'/'));
                rejectionKinds[QStringLiteral("%1 %2: %3")
                                   .arg(m.op, m.entity, reasonKind(c.reason))] += 1;
                continue;
            }
            if (!local.isEmpty())
                failures << who + QStringLiteral(": %1 on the central but still in the outbox (%2)")
                                      .arg(c.status, local.join(u'/'));
            if (c.status == QLatin1String("conflict")) {
                if (fields.isEmpty() || fields.size() != c.conflicts)
                    failures << who +
                                    QStringLiteral(": %1 conflicts on the central, %2 recorded on "
                                                   "the desktop")
                                        .arg(c.conflicts)
                                        .arg(fields.size());
                for (const QString &field : fields)
                    conflictKinds[QStringLiteral("%1 %2.%3").arg(m.op, m.entity, field)] += 1;
            } else if (c.status != QLatin1String("applied")) {
                failures << who + QStringLiteral(": unknown status %1").arg(c.status);
                continue;
            } else if (!fields.isEmpty()) {
                failures << who + QStringLiteral(": applied, yet the desktop recorded conflicts");
            }
            // Applied: the central's row right after it holds every value the desktop wanted,
            // except the fields recorded as conflicts (which kept the central's value).
            const TableSpec *spec = tableSpec(m.entity);
            const QJsonValue resultRow = c.result.value(u"row");
            if (!spec || !resultRow.isObject()) {
                failures << who + QStringLiteral(": applied without a resulting row");
                continue;
            }
            const Row after = rowFromCentral(*spec, resultRow.toObject());
            for (auto it = m.changes.constBegin(); it != m.changes.constEnd(); ++it) {
                const QString field = it.key();
                if (isBookkeepingColumn(field) || fields.contains(field))
                    continue;
                const QJsonValue wanted =
                    m.op == QLatin1String("insert") ? it.value() : it.value()[u"new"];
                if (field == QLatin1String("deleted_at") && !wanted.isNull() &&
                    !after.value(field).isNull())
                    continue; // tombstoned already: the first tombstone stands
                if (after.value(field) != wanted)
                    failures << who +
                                    QStringLiteral(": applied, but %1 is %2 on the central, not %3")
                                        .arg(field,
                                             compact({{QStringLiteral("v"), after.value(field)}}),
                                             compact({{QStringLiteral("v"), wanted}}));
            }
        }
        for (auto it = central.cbegin(); it != central.cend(); ++it)
            if (!tracked.contains(it.key()))
                failures << QStringLiteral("the central recorded mutation %1 that no desktop made")
                                .arg(it.key());
        for (const Desk &d : std::as_const(m_desks)) {
            for (auto it = outbox[d.index].cbegin(); it != outbox[d.index].cend(); ++it)
                if (!tracked.contains(it.key()))
                    failures << QStringLiteral("desktop %1: unknown outbox row %2")
                                    .arg(d.index)
                                    .arg(it.key());
        }

        qInfo("mutations: %lld made, %lld recorded on the central: applied %d, conflict %d, "
              "rejected %d",
              qlonglong(m_mutations.size()), qlonglong(central.size()),
              byStatus.value(QStringLiteral("applied")), byStatus.value(QStringLiteral("conflict")),
              byStatus.value(QStringLiteral("rejected")));
        for (auto it = conflictKinds.cbegin(); it != conflictKinds.cend(); ++it)
            qInfo("  conflict  %4d x %s", it.value(), qPrintable(it.key()));
        for (auto it = rejectionKinds.cbegin(); it != rejectionKinds.cend(); ++it)
            qInfo("  rejection %4d x %s", it.value(), qPrintable(it.key()));
        int rejectedLocally = 0;
        int conflictRows = 0;
        for (int i = 0; i < kDesktops; ++i) {
            for (const QStringList &o : std::as_const(outbox[i]))
                rejectedLocally += o.value(0) == QLatin1String("rejected") ? 1 : 0;
            for (const QStringList &f : std::as_const(conflicts[i]))
                conflictRows += int(f.size());
        }
        qInfo("desktops hold %d rejected outbox rows and %d conflict rows", rejectedLocally,
              conflictRows);

        QVERIFY2(failures.isEmpty(), qPrintable(failures.mid(0, 40).join(u'\n')));
        QCOMPARE(qsizetype(central.size()), m_mutations.size());
        QVERIFY2(byStatus.value(QStringLiteral("conflict")) > 0, "the run produced no conflict");
        QVERIFY2(byStatus.value(QStringLiteral("rejected")) > 0, "the run produced no rejection");
        QVERIFY(conflictRows > 0);
        QVERIFY(rejectedLocally > 0);
    }

    // No mutation applied twice, no record created twice, no MRN given twice.
    void verifyNothingDuplicated()
    {
        const SqlRows twice = rows(
            m_central,
            QStringLiteral("SELECT mutation_id::text, count(*) FROM change_log WHERE clinic_id "
                           "= CAST(:c AS uuid) AND mutation_id IS NOT NULL GROUP BY "
                           "mutation_id HAVING count(*) > 1"),
            {{QStringLiteral("c"), m_clinic.value}});
        QVERIFY2(twice.isEmpty(),
                 qPrintable(QStringLiteral("mutation %1 changed the central %2 times")
                                .arg(twice.value(0).value(0).toString())
                                .arg(twice.value(0).value(1).toInt())));

        // Each record the desktops created is on the central once if its insert applied, and
        // nowhere otherwise; nothing else exists in those tables.
        QHash<QString, QSet<QString>> inserted; // table -> ids of applied inserts
        QHash<QString, QString> status;
        for (const QVariantList &r :
             rows(m_central,
                  QStringLiteral("SELECT mutation_id::text, status FROM sync_mutations WHERE "
                                 "clinic_id = CAST(:c AS uuid)"),
                  {{QStringLiteral("c"), m_clinic.value}}))
            status.insert(r[0].toString(), r[1].toString());
        QSet<QString> createdTables;
        for (const Mutation &m : std::as_const(m_mutations)) {
            if (m.op != QLatin1String("insert"))
                continue;
            createdTables.insert(m.entity);
            if (status.value(m.id) != QLatin1String("rejected"))
                inserted[m.entity].insert(m.entityId);
        }
        for (const QString &table : std::as_const(createdTables)) {
            const SqlRows ids =
                rows(m_central,
                     QStringLiteral("SELECT id::text FROM %1 WHERE clinic_id = CAST(:c AS uuid)")
                         .arg(table),
                     {{QStringLiteral("c"), m_clinic.value}});
            QSet<QString> there;
            for (const QVariantList &r : ids)
                there.insert(r.first().toString());
            QCOMPARE(qsizetype(there.size()), ids.size());
            const QSet<QString> missing = inserted[table] - there;
            const QSet<QString> extra = there - inserted[table];
            QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("%1: %2 applied inserts missing")
                                                       .arg(table)
                                                       .arg(missing.size())));
            QVERIFY2(
                extra.isEmpty(),
                qPrintable(
                    QStringLiteral("%1: %2 rows nobody inserted").arg(table).arg(extra.size())));
        }

        const QString mrnTwice = QStringLiteral("SELECT mrn FROM patients WHERE deleted_at IS NULL "
                                                "GROUP BY mrn HAVING count(*) > 1");
        QVERIFY(rows(m_central, mrnTwice).isEmpty());
        for (const Desk &d : std::as_const(m_desks)) {
            QVERIFY(rows(d.db, mrnTwice).isEmpty());
            QVERIFY(rows(d.db, QStringLiteral("SELECT mutation_id FROM conflicts GROUP BY "
                                              "mutation_id, field HAVING count(*) > 1"))
                        .isEmpty());
        }
        qInfo("nothing duplicated: %lld inserts tracked across %lld tables",
              qlonglong(
                  std::count_if(m_mutations.cbegin(), m_mutations.cend(),
                                [](const Mutation &m) { return m.op == QLatin1String("insert"); })),
              qlonglong(createdTables.size()));
    }
};

QTEST_GUILESS_MAIN(TestConvergence)
#include "tst_convergence.moc"
