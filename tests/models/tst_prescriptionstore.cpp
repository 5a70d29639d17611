#include "clock.h"
#include "outbox.h"
#include "patientstore.h"
#include "prescriptioncodec.h"
#include "prescriptionstore.h"
#include "testsupport.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace tmdash;

namespace {

struct Setup
{
    ClinicId clinic;
    PatientId patient;
    ProviderId provider;
    Principal doctor;
};

// A clinic, a patient allergic to penicillin, and a provider.
Setup setUp(const Database &db)
{
    Setup s;
    s.clinic = test::insertClinic(db);
    Patient p;
    p.given_name = QStringLiteral("Ada");
    p.family_name = QStringLiteral("Lovelace");
    p.birth_date = QDate(1985, 12, 10);
    p.sex = Sex::Female;
    PatientAllergy penicillin;
    penicillin.substance = QStringLiteral("Penicillin");
    penicillin.category = AllergyCategory::Medication;
    penicillin.criticality = AllergyCriticality::High;
    penicillin.status = AllergyStatus::Active;
    p.allergies << penicillin;
    auto patient = PatientStore(db, Principal::owner()).create(p);
    if (!patient)
        qFatal("creating a patient failed: %s", qPrintable(patient.error().message));
    s.patient = patient->id;
    const test::TestProvider doctor = test::insertProvider(db, s.clinic);
    s.provider = doctor.provider;
    s.doctor = doctor.principal;
    return s;
}

Prescription rx(const Setup &s, const QString &code, double dose, Frequency frequency)
{
    Prescription p;
    p.patient_id = s.patient;
    p.provider_id = s.provider;
    p.medication_code = code;
    p.strength = QStringLiteral("%1 mg").arg(dose);
    p.form = QStringLiteral("tablet");
    p.dose_amount = dose;
    p.dose_unit = QStringLiteral("mg");
    p.route = QStringLiteral("oral");
    p.frequency = frequency;
    p.duration_days = 10;
    p.start_date = todayUtc();
    return p;
}

const QString kSimvastatin = QStringLiteral("36567");
const QString kClarithromycin = QStringLiteral("21212");
const QString kAmoxicillin = QStringLiteral("723");
const QString kAcetaminophen = QStringLiteral("161");


qint64 outboxCount(const Database &db)
{
    return db.isSqlite() ? test::rowCount(db, QStringLiteral("outbox")) : 0;
}

QStringList fieldCodes(const Error &e)
{
    QStringList out;
    for (const FieldError &f : e.fields)
        out << f.field + QLatin1Char('/') + f.code;
    return out;
}

QStringList steps(const char *actions)
{
    return QString::fromLatin1(actions).split(QLatin1Char(' '));
}

QStringList alertKinds(const QList<PrescriptionAlert> &alerts)
{
    QStringList out;
    for (const PrescriptionAlert &a : alerts)
        out << a.kind;
    return out;
}

} // namespace

class TestPrescriptionStore : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("prescriptionstore")};

private Q_SLOTS:
    void createAndGetRoundTrip_data() { m_factory.addDialectRows(); }
    void createAndGetRoundTrip()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        PrescriptionStore store(db, s.doctor);
        Prescription p = rx(s, kSimvastatin, 20, Frequency::Qhs);
        p.quantity = 10;
        p.refills = 2;
        p.instructions = QStringLiteral("Take at bedtime.");
        QList<PrescriptionAlert> alerts;
        auto created = store.create(p, &alerts);
        QVERIFY2(created, qPrintable(created.error().message));
        QVERIFY(alerts.isEmpty());
        QVERIFY(isUuid(created->id.value));
        QCOMPARE(created->clinic_id, s.clinic);
        QCOMPARE(created->medication_name, QStringLiteral("simvastatin")); // from the formulary
        QCOMPARE(created->status, PrescriptionStatus::Active);
        QCOMPARE(created->frequency, Frequency::Qhs);
        QCOMPARE(created->quantity, std::optional<double>(10));
        QCOMPARE(created->refills, 2);
        QCOMPARE(created->start_date, todayUtc());
        auto got = store.get(created->id);
        QVERIFY(got);
        QCOMPARE(toRow(*got), toRow(*created));
        QCOMPARE(got->meta.version, dialect == SqlDialect::Postgres ? 1 : 0);
        // end_date is stored as derived.
        auto row = RecordTable(db, u"prescriptions").get(created->id.value);
        QVERIFY(row);
        QCOMPARE(row->value(u"end_date").toString(), formatDate(todayUtc().addDays(9)));
        if (dialect == SqlDialect::Sqlite) {
            const OutboxEntry last = test::outboxOf(db).last();
            QCOMPARE(last.entity, QStringLiteral("prescriptions"));
            QCOMPARE(last.op, OutboxOp::Insert);
            QCOMPARE(last.changes.value(u"medication_code").toString(), kSimvastatin);
            QCOMPARE(last.changes.value(u"end_date").toString(), formatDate(todayUtc().addDays(9)));
            QCOMPARE(last.changes.value(u"status").toString(), QStringLiteral("active"));
        }
    }

    // An interaction with a current prescription needs an override reason; an ended one does
    // not count.
    void interactionNeedsOverride_data() { m_factory.addDialectRows(); }
    void interactionNeedsOverride()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        PrescriptionStore store(db, s.doctor);
        auto statin = store.create(rx(s, kSimvastatin, 20, Frequency::Qhs));
        QVERIFY(statin);
        const qint64 rows = test::rowCount(db, QStringLiteral("prescriptions"));
        const qint64 queued = outboxCount(db);
        QList<PrescriptionAlert> alerts;
        auto refused = store.create(rx(s, kClarithromycin, 500, Frequency::Bid), &alerts);
        QVERIFY(!refused);
        QCOMPARE(fieldCodes(refused.error()),
                 QStringList{QStringLiteral("medication_code/interaction")});
        QCOMPARE(alertKinds(alerts), QStringList{QStringLiteral("interaction")});
        QCOMPARE(alerts.first().severity, QStringLiteral("contraindicated"));
        QCOMPARE(test::rowCount(db, QStringLiteral("prescriptions")), rows);
        QCOMPARE(outboxCount(db), queued);
        QCOMPARE(alertKinds(*store.alertsFor(rx(s, kClarithromycin, 500, Frequency::Bid))),
                 QStringList{QStringLiteral("interaction")});

        // On hold still counts.
        QVERIFY(store.hold(statin->id));
        QVERIFY(!store.create(rx(s, kClarithromycin, 500, Frequency::Bid)));

        Prescription overridden = rx(s, kClarithromycin, 500, Frequency::Bid);
        overridden.override_reason =
            QStringLiteral("Statin paused for the course; reviewed with patient.");
        alerts.clear();
        auto accepted = store.create(overridden, &alerts);
        QVERIFY2(accepted, qPrintable(accepted.error().message));
        QCOMPARE(alertKinds(alerts), QStringList{QStringLiteral("interaction")}); // still shown
        QCOMPARE(accepted->override_reason, overridden.override_reason);

        // Once the statin is completed there is nothing to interact with.
        QVERIFY(store.complete(statin->id));
        QVERIFY(store.cancel(accepted->id));
        alerts.clear();
        QVERIFY(store.create(rx(s, kClarithromycin, 500, Frequency::Bid), &alerts));
        QVERIFY(alerts.isEmpty());
    }

    void allergyNeedsOverride_data() { m_factory.addDialectRows(); }
    void allergyNeedsOverride()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        PrescriptionStore store(db, s.doctor);
        const qint64 queued = outboxCount(db);
        QList<PrescriptionAlert> alerts;
        auto refused = store.create(rx(s, kAmoxicillin, 500, Frequency::Tid), &alerts);
        QVERIFY(!refused);
        QCOMPARE(fieldCodes(refused.error()),
                 QStringList{QStringLiteral("medication_code/allergy")});
        QCOMPARE(alertKinds(alerts), QStringList{QStringLiteral("allergy")});
        QCOMPARE(alerts.first().severity, QStringLiteral("high"));
        QCOMPARE(test::rowCount(db, QStringLiteral("prescriptions")), 0);
        QCOMPARE(outboxCount(db), queued);
        Prescription overridden = rx(s, kAmoxicillin, 500, Frequency::Tid);
        overridden.override_reason =
            QStringLiteral("Childhood rash only; tolerated amoxicillin in 2020.");
        auto accepted = store.create(overridden);
        QVERIFY2(accepted, qPrintable(accepted.error().message));
        QCOMPARE(test::rowCount(db, QStringLiteral("prescriptions")), 1);
    }

    // Above the maximum daily dose is refused whatever the reason; the maximum itself is fine.
    void maxDailyDoseIsRefused_data() { m_factory.addDialectRows(); }
    void maxDailyDoseIsRefused()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        PrescriptionStore store(db, s.doctor);
        const qint64 queued = outboxCount(db);
        Prescription tooMuch = rx(s, kAcetaminophen, 1000, Frequency::Q4h); // 6000 mg > 4000 mg
        tooMuch.override_reason = QStringLiteral("Severe pain");
        QList<PrescriptionAlert> alerts;
        auto refused = store.create(tooMuch, &alerts);
        QVERIFY(!refused);
        QCOMPARE(fieldCodes(refused.error()),
                 QStringList{QStringLiteral("dose_amount/max_daily_dose")});
        QCOMPARE(alertKinds(alerts), QStringList{QStringLiteral("max_daily_dose")});
        QCOMPARE(test::rowCount(db, QStringLiteral("prescriptions")), 0);
        QCOMPARE(outboxCount(db), queued);
        QVERIFY(store.create(rx(s, kAcetaminophen, 1000, Frequency::Qid))); // exactly 4000 mg
    }

    void invalidPrescriptionWritesNothing_data() { m_factory.addDialectRows(); }
    void invalidPrescriptionWritesNothing()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        PrescriptionStore store(db, s.doctor);
        const qint64 queued = outboxCount(db);
        Prescription bad = rx(s, QStringLiteral("999999999"), 0, Frequency::Bid);
        bad.refills = 12;
        auto refused = store.create(bad);
        QVERIFY(!refused);
        const QStringList codes = fieldCodes(refused.error());
        QVERIFY2(codes.contains(QStringLiteral("medication_code/unknown")),
                 qPrintable(codes.join(u',')));
        QVERIFY2(codes.contains(QStringLiteral("dose_amount/range")), qPrintable(codes.join(u',')));
        QVERIFY2(codes.contains(QStringLiteral("refills/range")), qPrintable(codes.join(u',')));
        Prescription stranger = rx(s, kSimvastatin, 20, Frequency::Qhs);
        stranger.patient_id = newId<PatientId>();
        QCOMPARE(fieldCodes(store.create(stranger).error()),
                 QStringList{QStringLiteral("patient_id/not_found")});
        QCOMPARE(test::rowCount(db, QStringLiteral("prescriptions")), 0);
        QCOMPARE(outboxCount(db), queued);
    }

    void transitions_data()
    {
        QTest::addColumn<SqlDialect>("dialect");
        QTest::addColumn<QStringList>("actions"); // applied in order; "!x" must be refused
        QTest::addColumn<QString>("final");
        for (SqlDialect d : {SqlDialect::Sqlite, SqlDialect::Postgres}) {
            if (d == SqlDialect::Postgres && !m_factory.hasPostgres())
                continue;
            const char *n = d == SqlDialect::Sqlite ? "sqlite" : "postgres";
            QTest::addRow("%s: hold resume complete", n)
                << d << steps("!resume hold !hold resume complete !resume !cancel !complete")
                << "completed";
            QTest::addRow("%s: cancel from hold", n)
                << d << steps("hold cancel !hold") << "cancelled";
            QTest::addRow("%s: error is final", n)
                << d << steps("complete error !error !resume") << "entered_in_error";
        }
    }
    void transitions()
    {
        QFETCH(SqlDialect, dialect);
        QFETCH(QStringList, actions);
        QFETCH(QString, final);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        PrescriptionStore store(db, s.doctor);
        auto created = store.create(rx(s, kSimvastatin, 20, Frequency::Qhs));
        QVERIFY(created);
        QString status = QStringLiteral("active");
        for (QString action : actions) {
            const bool refused = action.startsWith(QLatin1Char('!'));
            if (refused)
                action.remove(0, 1);
            const auto parsed = enumFromString<PrescriptionAction>(action);
            QVERIFY(parsed);
            const qint64 queued = outboxCount(db);
            auto result = store.transition(created->id, *parsed);
            if (refused) {
                QVERIFY2(!result, qPrintable(action));
                QCOMPARE(fieldCodes(result.error()),
                         QStringList{QStringLiteral("status/transition")});
                QCOMPARE(outboxCount(db), queued);
                continue;
            }
            QVERIFY2(result, qPrintable(action + QStringLiteral(": ") + result.error().message));
            const QString next = toString(result->status);
            if (dialect == SqlDialect::Sqlite) {
                const QList<OutboxEntry> entries = test::outboxOf(db).mid(queued);
                QCOMPARE(entries.size(), 1);
                QCOMPARE(entries[0].op, OutboxOp::State);
                QCOMPARE(entries[0].changes.keys(), QStringList{QStringLiteral("status")});
                QCOMPARE(entries[0].changes[u"status"].toObject()[u"old"].toString(), status);
                QCOMPARE(entries[0].changes[u"status"].toObject()[u"new"].toString(), next);
            }
            status = next;
        }
        QCOMPARE(toString(store.get(created->id)->status), final);
        QCOMPARE(store.get(created->id)->dose_amount, 20.0);
    }

    void forPatientSplitsActiveAndPast_data() { m_factory.addDialectRows(); }
    void forPatientSplitsActiveAndPast()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        PrescriptionStore store(db, s.doctor);
        Prescription older = rx(s, kAcetaminophen, 500, Frequency::Qid);
        older.start_date = todayUtc().addDays(-30);
        auto done = store.create(older);
        QVERIFY(done);
        QVERIFY(store.complete(done->id));
        auto statin = store.create(rx(s, kSimvastatin, 20, Frequency::Qhs));
        QVERIFY(statin);
        QVERIFY(store.hold(statin->id));
        auto ibuprofen = store.create(rx(s, QStringLiteral("5640"), 400, Frequency::Tid));
        QVERIFY(ibuprofen);
        auto all = store.forPatient(s.patient);
        QVERIFY(all);
        QCOMPARE(all->active.size(), 2);
        QCOMPARE(all->past.size(), 1);
        QCOMPARE(all->past.first().id, done->id);
        QCOMPARE(all->past.first().status, PrescriptionStatus::Completed);
        const Principal stranger{Principal::Kind::Person,
                                 UserId(newUuidV7()),
                                 test::insertClinic(db, QStringLiteral("West")),
                                 Role::Provider,
                                 {}};
        QCOMPARE(PrescriptionStore(db, stranger).forPatient(s.patient)->active.size(), 0);
        QCOMPARE(PrescriptionStore(db, stranger).get(statin->id).error().code, ErrorCode::NotFound);
        QCOMPARE(PrescriptionStore(db, stranger).cancel(statin->id).error().code,
                 ErrorCode::NotFound);
    }

    // Append-only is the database's rule too.
    void rawSqlCannotChangeTheDose_data() { m_factory.addDialectRows(); }
    void rawSqlCannotChangeTheDose()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        auto created =
            PrescriptionStore(db, s.doctor).create(rx(s, kSimvastatin, 20, Frequency::Qhs));
        QVERIFY(created);
        QSqlQuery q(db.connection());
        QVERIFY(
            q.prepare(QStringLiteral("UPDATE prescriptions SET dose_amount = 80 WHERE id = :id")));
        q.bindValue(QStringLiteral(":id"), created->id.value);
        QVERIFY(!q.exec());
        QVERIFY2(q.lastError().text().contains(QLatin1String("never change")),
                 qPrintable(q.lastError().text()));
        QCOMPARE(PrescriptionStore(db, s.doctor).get(created->id)->dose_amount, 20.0);
    }
};

QTEST_GUILESS_MAIN(TestPrescriptionStore)
#include "tst_prescriptionstore.moc"
