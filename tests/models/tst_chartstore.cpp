#include "chartstore.h"
#include "clock.h"
#include "consultationstore.h"
#include "patientstore.h"
#include "prescriptionstore.h"
#include "testsupport.h"
#include "vitalsstore.h"

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

const QString kWhen = QStringLiteral("2026-01-01T00:00:00.000Z");

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
    penicillin.substance = QStringLiteral("penicillin");
    penicillin.category = AllergyCategory::Medication;
    penicillin.criticality = AllergyCriticality::High;
    penicillin.status = AllergyStatus::Active;
    p.allergies << penicillin;
    p.conditions << PatientCondition{
        RowId(),      QStringLiteral("E11.9"), QStringLiteral("Type 2 diabetes"),
        std::nullopt, ConditionStatus::Active, {}};
    auto patient = PatientStore(db, Principal::owner()).create(p);
    if (!patient)
        qFatal("creating a patient failed: %s", qPrintable(patient.error().message));
    s.patient = patient->id;
    const test::TestProvider doctor = test::insertProvider(db, s.clinic);
    s.provider = doctor.provider;
    s.doctor = doctor.principal;
    return s;
}

QString insertAppointment(const Database &db, const Setup &s, const QDateTime &start,
                          const QString &status)
{
    const QString id = newUuidV7();
    Row a{{QStringLiteral("id"), id},
          {QStringLiteral("clinic_id"), s.clinic.value},
          {QStringLiteral("patient_id"), s.patient.value},
          {QStringLiteral("provider_id"), s.provider.value},
          {QStringLiteral("start_at"), formatInstant(start)},
          {QStringLiteral("duration_minutes"), 20},
          {QStringLiteral("type"), QStringLiteral("follow_up")},
          {QStringLiteral("status"), status},
          {QStringLiteral("created_at"), kWhen},
          {QStringLiteral("updated_at"), kWhen}};
    if (Status st = RecordTable(db, u"appointments").insert(a); !st)
        qFatal("inserting an appointment failed: %s", qPrintable(st.error().message));
    return id;
}

Vitals reading(const PatientId &patient, const QDateTime &at, double heartRate)
{
    Vitals v;
    v.patient_id = patient;
    v.recorded_at = at;
    v.heart_rate_bpm = heartRate;
    v.weight_kg = 64;
    return v;
}

Prescription rx(const Setup &s, const QString &code, double dose, Frequency frequency)
{
    Prescription p;
    p.patient_id = s.patient;
    p.provider_id = s.provider;
    p.medication_code = code;
    p.dose_amount = dose;
    p.dose_unit = QStringLiteral("mg");
    p.frequency = frequency;
    p.start_date = todayUtc();
    return p;
}

} // namespace

class TestChartStore : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("chartstore")};

private Q_SLOTS:
    void chartHoldsEverything_data() { m_factory.addDialectRows(); }
    void chartHoldsEverything()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        const QDateTime now = nowUtc();

        VitalsStore vitals(db, s.doctor);
        auto recent = vitals.create(reading(s.patient, now.addSecs(-60), 80));
        auto old = vitals.create(reading(s.patient, now.addDays(-30), 70));
        auto wrong = vitals.create(reading(s.patient, now.addDays(-10), 150));
        QVERIFY(recent && old && wrong);
        QVERIFY(vitals.markInError(wrong->id));

        ConsultationStore notes(db, s.doctor);
        Consultation c;
        c.patient_id = s.patient;
        c.provider_id = s.provider;
        c.started_at = now.addDays(-30);
        c.chief_complaint = QStringLiteral("Annual review");
        c.diagnoses << ConsultationDiagnosis{
            RowId(), QStringLiteral("E11.9"), QStringLiteral("Type 2 diabetes"), true, {}};
        auto first = notes.create(c);
        QVERIFY(first);
        QVERIFY(notes.sign(first->id));
        c.started_at = now.addSecs(-600);
        c.chief_complaint = QStringLiteral("Cough");
        c.diagnoses = {ConsultationDiagnosis{
            RowId(), QStringLiteral("R05.9"), QStringLiteral("Cough"), true, {}}};
        auto second = notes.create(c);
        QVERIFY(second);
        c.chief_complaint = QStringLiteral("Removed draft");
        auto removed = notes.create(c);
        QVERIFY(removed);
        QVERIFY(notes.remove(removed->id));

        PrescriptionStore prescriptions(db, s.doctor);
        auto metformin = prescriptions.create(rx(s, QStringLiteral("6809"), 500, Frequency::Bid));
        auto ibuprofen = prescriptions.create(rx(s, QStringLiteral("5640"), 400, Frequency::Tid));
        QVERIFY(metformin && ibuprofen);
        QVERIFY(prescriptions.complete(ibuprofen->id));

        const QString later = insertAppointment(db, s, now.addDays(7), QStringLiteral("scheduled"));
        const QString earlier =
            insertAppointment(db, s, now.addDays(-30), QStringLiteral("completed"));

        auto chart = ChartStore(db, s.doctor).load(s.patient);
        QVERIFY2(chart, qPrintable(chart.error().message));
        QCOMPARE(chart->patient.id, s.patient);
        QCOMPARE(chart->patient.allergies.size(), 1);
        QCOMPARE(chart->patient.allergies.first().substance, QStringLiteral("penicillin"));
        QCOMPARE(chart->patient.conditions.size(), 1);
        QCOMPARE(chart->vitals.size(), 2); // entered_in_error left out
        QCOMPARE(chart->vitals[0].id, old->id);
        QCOMPARE(chart->vitals[1].id, recent->id);
        QCOMPARE(chart->consultations.size(), 2); // the tombstoned draft left out
        QCOMPARE(chart->consultations[0].id, first->id);
        QCOMPARE(chart->consultations[0].status, ConsultationStatus::Signed);
        QCOMPARE(chart->consultations[0].diagnoses.size(), 1);
        QCOMPARE(chart->consultations[0].diagnoses[0].icd10_code, QStringLiteral("E11.9"));
        QCOMPARE(chart->consultations[1].diagnoses[0].icd10_code, QStringLiteral("R05.9"));
        QCOMPARE(chart->active_prescriptions.size(), 1);
        QCOMPARE(chart->active_prescriptions.first().id, metformin->id);
        QCOMPARE(chart->past_prescriptions.size(), 1);
        QCOMPARE(chart->past_prescriptions.first().id, ibuprofen->id);
        QCOMPARE(chart->appointments.size(), 2);
        QCOMPARE(chart->appointments[0].id.value, earlier);
        QCOMPARE(chart->appointments[1].id.value, later);
        QCOMPARE(chart->appointments[0].status, AppointmentStatus::Completed);
    }

    void absentOrHiddenPatientIsNotFound_data() { m_factory.addDialectRows(); }
    void absentOrHiddenPatientIsNotFound()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        QCOMPARE(ChartStore(db, s.doctor).load(newId<PatientId>()).error().code,
                 ErrorCode::NotFound);
        const Principal stranger{Principal::Kind::Person,
                                 UserId(newUuidV7()),
                                 test::insertClinic(db, QStringLiteral("West")),
                                 Role::Provider,
                                 {}};
        QCOMPARE(ChartStore(db, stranger).load(s.patient).error().code, ErrorCode::NotFound);
        QVERIFY(ChartStore(db, s.doctor).load(s.patient));
        QVERIFY(PatientStore(db, Principal::owner()).remove(s.patient));
        QCOMPARE(ChartStore(db, s.doctor).load(s.patient).error().code, ErrorCode::NotFound);
    }

    // Each list of the chart is read through its (patient_id, time) index.
    void chartQueriesUseTheIndexes_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("index");
        QTest::newRow("vitals")
            << "SELECT id FROM vitals WHERE patient_id = 'p' AND deleted_at IS NULL "
               "AND status = 'final' ORDER BY recorded_at, id"
            << "vitals_patient_time";
        QTest::newRow("consultations")
            << "SELECT id FROM consultations WHERE patient_id = 'p' AND deleted_at "
               "IS NULL ORDER BY started_at, id"
            << "consultations_patient_time";
        QTest::newRow("diagnoses")
            << "SELECT id FROM consultation_diagnoses WHERE deleted_at IS NULL AND "
               "consultation_id IN (SELECT id FROM consultations WHERE patient_id = 'p')"
            << "consultation_diagnoses_parent";
        QTest::newRow("prescriptions")
            << "SELECT id FROM prescriptions WHERE patient_id = 'p' AND deleted_at "
               "IS NULL ORDER BY start_date DESC, created_at DESC, id"
            << "prescriptions_patient";
        QTest::newRow("appointments")
            << "SELECT id FROM appointments WHERE patient_id = 'p' AND deleted_at IS "
               "NULL ORDER BY start_at, id"
            << "appointments_patient_start";
    }
    void chartQueriesUseTheIndexes()
    {
        QFETCH(QString, sql);
        QFETCH(QString, index);
        Database db = m_factory.create(SqlDialect::Sqlite);
        QSqlQuery q(db.connection());
        QVERIFY(q.exec(QStringLiteral("EXPLAIN QUERY PLAN ") + sql));
        QString plan;
        while (q.next())
            plan += q.value(3).toString() + QLatin1Char('\n');
        QVERIFY2(plan.contains(index), qPrintable(plan));
    }
};

QTEST_GUILESS_MAIN(TestChartStore)
#include "tst_chartstore.moc"
