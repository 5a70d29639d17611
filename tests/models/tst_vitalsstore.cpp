#include "clock.h"
#include "outbox.h"
#include "patientstore.h"
#include "testsupport.h"
#include "vitalscodec.h"
#include "vitalsstore.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace tmdash;

namespace {

PatientId insertPatient(const Database &db)
{
    Patient p;
    p.given_name = QStringLiteral("Ada");
    p.family_name = QStringLiteral("Lovelace");
    p.birth_date = QDate(1985, 12, 10);
    p.sex = Sex::Female;
    auto created = PatientStore(db, Principal::owner()).create(p);
    if (!created)
        qFatal("creating a patient failed: %s", qPrintable(created.error().message));
    return created->id;
}

Vitals reading(const PatientId &patient, const QDateTime &at)
{
    Vitals v;
    v.patient_id = patient;
    v.recorded_at = at;
    v.systolic_mmhg = 122;
    v.diastolic_mmhg = 78;
    v.heart_rate_bpm = 72;
    v.respiratory_rate = 14;
    v.temperature_c = 36.8;
    v.spo2_pct = 98;
    v.height_cm = 170;
    v.weight_kg = 65.5;
    v.pain_score = 2;
    v.glucose_mg_dl = 95;
    return v;
}


qint64 outboxCount(const Database &db)
{
    return db.isSqlite() ? test::rowCount(db, QStringLiteral("outbox")) : 0;
}

} // namespace

class TestVitalsStore : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("vitalsstore")};
    const Principal m_owner = Principal::owner();

private Q_SLOTS:
    void createAndGetRoundTrip_data() { m_factory.addDialectRows(); }
    void createAndGetRoundTrip()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        const PatientId patient = insertPatient(db);
        VitalsStore store(db, m_owner);
        const QDateTime later = nowUtc().addSecs(-60);
        const QDateTime earlier = later.addDays(-3);
        auto second = store.create(reading(patient, later));
        QVERIFY2(second, qPrintable(second.error().message));
        Vitals first = reading(patient, earlier);
        first.heart_rate_bpm = 88;
        first.glucose_mg_dl.reset();
        auto created = store.create(first);
        QVERIFY2(created, qPrintable(created.error().message));
        QVERIFY(isUuid(created->id.value));
        QCOMPARE(created->clinic_id, clinic);
        QCOMPARE(created->status, VitalsStatus::Final);
        QCOMPARE(created->heart_rate_bpm, std::optional<double>(88));
        QCOMPARE(created->glucose_mg_dl, std::nullopt);
        QCOMPARE(created->temperature_c, std::optional<double>(36.8));
        QCOMPARE(created->bmi(), std::optional<double>(22.7));
        QCOMPARE(formatInstant(created->recorded_at), formatInstant(earlier));
        auto got = store.get(created->id);
        QVERIFY(got);
        QCOMPARE(toRow(*got), toRow(*created));
        QCOMPARE(got->meta.version, dialect == SqlDialect::Postgres ? 1 : 0);
        auto list = store.forPatient(patient);
        QVERIFY(list);
        QCOMPARE(list->size(), 2);
        QCOMPARE(list->at(0).id, created->id); // by recorded_at, not by insertion
        QCOMPARE(list->at(1).id, second->id);
    }

    void outboxHoldsTheInsert()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        test::insertClinic(db);
        const PatientId patient = insertPatient(db);
        const qsizetype before = test::outboxOf(db).size();
        auto created = VitalsStore(db, m_owner).create(reading(patient, nowUtc()));
        QVERIFY(created);
        const QList<OutboxEntry> entries = test::outboxOf(db).mid(before);
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries[0].entity, QStringLiteral("vitals"));
        QCOMPARE(entries[0].op, OutboxOp::Insert);
        QCOMPARE(entries[0].entity_id, created->id.value);
        QCOMPARE(entries[0].changes.value(u"heart_rate_bpm").toDouble(), 72.0);
        QCOMPARE(entries[0].changes.value(u"status").toString(), QStringLiteral("final"));
        QVERIFY(entries[0].changes.value(u"replaces_id").isNull());
        QVERIFY(!entries[0].changes.contains(u"bmi")); // derived, never stored
    }

    void refusedWritesNothing_data()
    {
        QTest::addColumn<SqlDialect>("dialect");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("code");
        for (SqlDialect d : {SqlDialect::Sqlite, SqlDialect::Postgres}) {
            if (d == SqlDialect::Postgres && !m_factory.hasPostgres())
                continue;
            const char *n = d == SqlDialect::Sqlite ? "sqlite" : "postgres";
            QTest::addRow("%s: heart rate 400", n) << d << "heart_rate_bpm"
                                                   << "impossible";
            QTest::addRow("%s: systolic below diastolic", n) << d << "systolic_mmhg"
                                                             << "inconsistent";
            QTest::addRow("%s: recorded tomorrow", n) << d << "recorded_at"
                                                      << "future";
            QTest::addRow("%s: no measurement", n) << d << "measurements"
                                                   << "required";
            QTest::addRow("%s: unknown patient", n) << d << "patient_id"
                                                    << "not_found";
            QTest::addRow("%s: replaces on create", n) << d << "replaces_id"
                                                       << "inconsistent";
        }
    }
    void refusedWritesNothing()
    {
        QFETCH(SqlDialect, dialect);
        QFETCH(QString, field);
        QFETCH(QString, code);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        const PatientId patient = insertPatient(db);
        Vitals v = reading(patient, nowUtc());
        if (field == QLatin1String("heart_rate_bpm"))
            v.heart_rate_bpm = 400;
        else if (field == QLatin1String("systolic_mmhg"))
            v.systolic_mmhg = 70;
        else if (field == QLatin1String("recorded_at"))
            v.recorded_at = nowUtc().addDays(1);
        else if (field == QLatin1String("measurements"))
            for (Measurement m : enteredMeasurements())
                v.setValue(m, std::nullopt);
        else if (field == QLatin1String("patient_id"))
            v.patient_id = newId<PatientId>();
        else if (field == QLatin1String("replaces_id"))
            v.replaces_id = newId<VitalsId>();
        const qint64 queued = outboxCount(db);
        auto result = VitalsStore(db, m_owner).create(v);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Invalid);
        QVERIFY(!result.error().fields.isEmpty());
        QCOMPARE(result.error().fields.first().field, field);
        QCOMPARE(result.error().fields.first().code, code);
        QCOMPARE(test::rowCount(db, QStringLiteral("vitals")), 0);
        QCOMPARE(outboxCount(db), queued);
    }

    // The correction and the entered_in_error mark are one change: both rows or neither.
    void correctionReplacesInOneTransaction_data() { m_factory.addDialectRows(); }
    void correctionReplacesInOneTransaction()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        const PatientId patient = insertPatient(db);
        VitalsStore store(db, m_owner);
        auto original = store.create(reading(patient, nowUtc().addSecs(-600)));
        QVERIFY(original);
        const qint64 queued = outboxCount(db);
        Vitals fixed = reading(patient, original->recorded_at);
        fixed.weight_kg = 56.5; // typed 65.5 by mistake
        auto corrected = store.correct(original->id, fixed);
        QVERIFY2(corrected, qPrintable(corrected.error().message));
        QVERIFY(corrected->id != original->id);
        QCOMPARE(corrected->replaces_id, original->id);
        QCOMPARE(corrected->status, VitalsStatus::Final);
        QCOMPARE(corrected->weight_kg, std::optional<double>(56.5));
        auto old = store.get(original->id);
        QVERIFY(old);
        QCOMPARE(old->status, VitalsStatus::EnteredInError);
        QCOMPARE(old->weight_kg, std::optional<double>(65.5)); // recorded values untouched
        QCOMPARE(test::rowCount(db, QStringLiteral("vitals")), 2);
        QCOMPARE(store.forPatient(patient)->size(), 2);
        QCOMPARE(store.forPatient(patient, false)->size(), 1);
        QCOMPARE(store.forPatient(patient, false)->first().id, corrected->id);
        if (dialect == SqlDialect::Sqlite) {
            const QList<OutboxEntry> entries = test::outboxOf(db).mid(queued);
            QCOMPARE(entries.size(), 2);
            QCOMPARE(entries[0].op, OutboxOp::Insert);
            QCOMPARE(entries[0].entity_id, corrected->id.value);
            QCOMPARE(entries[0].changes.value(u"replaces_id").toString(), original->id.value);
            QCOMPARE(entries[1].op, OutboxOp::State);
            QCOMPARE(entries[1].entity_id, original->id.value);
            QCOMPARE(entries[1].changes.keys(), QStringList{QStringLiteral("status")});
            QCOMPARE(entries[1].changes[u"status"].toObject()[u"old"].toString(),
                     QStringLiteral("final"));
            QCOMPARE(entries[1].changes[u"status"].toObject()[u"new"].toString(),
                     QStringLiteral("entered_in_error"));
        } else {
            QCOMPARE(old->meta.version, 2); // the central bumped it for the status change
        }
        // The replaced record cannot be corrected again: correct the new one instead.
        auto again = store.correct(original->id, fixed);
        QVERIFY(!again);
        QCOMPARE(again.error().fields.first().field, QStringLiteral("status"));
        QCOMPARE(again.error().fields.first().code, QStringLiteral("transition"));
        QCOMPARE(test::rowCount(db, QStringLiteral("vitals")), 2);
    }

    void invalidCorrectionWritesNothing_data() { m_factory.addDialectRows(); }
    void invalidCorrectionWritesNothing()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        const PatientId patient = insertPatient(db);
        VitalsStore store(db, m_owner);
        auto original = store.create(reading(patient, nowUtc()));
        QVERIFY(original);
        const qint64 queued = outboxCount(db);
        Vitals fixed = reading(patient, original->recorded_at);
        fixed.spo2_pct = 140;
        auto result = store.correct(original->id, fixed);
        QVERIFY(!result);
        QCOMPARE(result.error().fields.first().field, QStringLiteral("spo2_pct"));
        QCOMPARE(result.error().fields.first().code, QStringLiteral("impossible"));
        Vitals otherPatient = reading(newId<PatientId>(), original->recorded_at);
        result = store.correct(original->id, otherPatient);
        QVERIFY(!result);
        QCOMPARE(result.error().fields.first().field, QStringLiteral("patient_id"));
        QCOMPARE(result.error().fields.first().code, QStringLiteral("inconsistent"));
        QCOMPARE(store.correct(newId<VitalsId>(), reading(patient, nowUtc())).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(test::rowCount(db, QStringLiteral("vitals")), 1);
        QCOMPARE(outboxCount(db), queued);
        QCOMPARE(store.get(original->id)->status, VitalsStatus::Final);
    }

    void markInError_data() { m_factory.addDialectRows(); }
    void markInError()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        const PatientId patient = insertPatient(db);
        VitalsStore store(db, m_owner);
        auto created = store.create(reading(patient, nowUtc()));
        QVERIFY(created);
        const qint64 queued = outboxCount(db);
        auto marked = store.markInError(created->id);
        QVERIFY2(marked, qPrintable(marked.error().message));
        QCOMPARE(marked->status, VitalsStatus::EnteredInError);
        if (dialect == SqlDialect::Sqlite) {
            const QList<OutboxEntry> entries = test::outboxOf(db).mid(queued);
            QCOMPARE(entries.size(), 1);
            QCOMPARE(entries[0].op, OutboxOp::State);
            QCOMPARE(entries[0].changes.keys(), QStringList{QStringLiteral("status")});
        }
        auto again = store.markInError(created->id);
        QVERIFY(!again);
        QCOMPARE(again.error().fields.first().field, QStringLiteral("status"));
        QCOMPARE(again.error().fields.first().code, QStringLiteral("transition"));
        QCOMPARE(outboxCount(db), queued + (dialect == SqlDialect::Sqlite ? 1 : 0));
    }

    // Append-only is the database's rule too: raw SQL cannot change a recorded value.
    void rawSqlCannotChangeMeasurements_data() { m_factory.addDialectRows(); }
    void rawSqlCannotChangeMeasurements()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        const PatientId patient = insertPatient(db);
        auto created = VitalsStore(db, m_owner).create(reading(patient, nowUtc()));
        QVERIFY(created);
        QSqlQuery q(db.connection());
        QVERIFY(q.prepare(QStringLiteral("UPDATE vitals SET heart_rate_bpm = 80 WHERE id = :id")));
        q.bindValue(QStringLiteral(":id"), created->id.value);
        QVERIFY(!q.exec());
        QVERIFY2(q.lastError().text().contains(QLatin1String("never change")),
                 qPrintable(q.lastError().text()));
        QCOMPARE(VitalsStore(db, m_owner).get(created->id)->heart_rate_bpm,
                 std::optional<double>(72));
    }

    void outsideTheCallersClinicIsNotFound_data() { m_factory.addDialectRows(); }
    void outsideTheCallersClinicIsNotFound()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        const PatientId patient = insertPatient(db);
        auto created = VitalsStore(db, m_owner).create(reading(patient, nowUtc()));
        QVERIFY(created);
        const Principal nurse{Principal::Kind::Person,
                              UserId(newUuidV7()),
                              test::insertClinic(db, QStringLiteral("West")),
                              Role::Staff,
                              {}};
        VitalsStore store(db, nurse);
        QCOMPARE(store.get(created->id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.forPatient(patient)->size(), 0);
        QCOMPARE(store.markInError(created->id).error().code, ErrorCode::NotFound);
        // Nor can a person record vitals for another clinic's patient.
        auto refused = store.create(reading(patient, nowUtc()));
        QVERIFY(!refused);
        QCOMPARE(refused.error().fields.first().field, QStringLiteral("patient_id"));
        QCOMPARE(test::rowCount(db, QStringLiteral("vitals")), 1);
    }

    void recordedByIsTheActingUser()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        const ClinicId clinic = test::insertClinic(db);
        const PatientId patient = insertPatient(db);
        const Principal nurse{
            Principal::Kind::Person, UserId(newUuidV7()), clinic, Role::Staff, {}};
        auto created = VitalsStore(db, nurse).create(reading(patient, nowUtc()));
        QVERIFY2(created, qPrintable(created.error().message));
        QCOMPARE(created->recorded_by, nurse.user_id);
        QCOMPARE(created->meta.created_by, nurse.user_id);
        QCOMPARE(test::outboxOf(db).last().actor_id, nurse.user_id.value);
    }

    // The patient's vitals are found through the (patient_id, recorded_at) index.
    void forPatientUsesTheIndex()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        QSqlQuery q(db.connection());
        QVERIFY(
            q.exec(QStringLiteral("EXPLAIN QUERY PLAN SELECT id FROM vitals WHERE patient_id = 'x' "
                                  "AND deleted_at IS NULL ORDER BY recorded_at, id")));
        QString plan;
        while (q.next())
            plan += q.value(3).toString() + QLatin1Char('\n');
        QVERIFY2(plan.contains(QLatin1String("vitals_patient_time")), qPrintable(plan));
    }
};

QTEST_GUILESS_MAIN(TestVitalsStore)
#include "tst_vitalsstore.moc"
