#include "testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace tmdash;

// The consultation and prescription verbs of tmdashctl.

namespace {

const QString kCreated = QStringLiteral("2026-01-01T00:00:00.000Z");
const QString kProviderEmail = QStringLiteral("house@example.org");

QString messageOf(const test::CtlRun &run, const QString &field)
{
    for (const QJsonValue &e : run.json()[u"errors"].toArray())
        if (e[u"field"].toString() == field)
            return e[u"message"].toString();
    return {};
}

// A clinic with a provider (and the provider's user, who signs) and a patient allergic to
// penicillin, written straight into the tables.
struct Fixture
{
    Database db;
    QString clinic;
    QString user;
    QString provider;
    QString patient;

    void insert(QStringView table, Row row) const
    {
        row.insert(QStringLiteral("created_at"), kCreated);
        row.insert(QStringLiteral("updated_at"), kCreated);
        if (Status s = RecordTable(db, table).insert(row); !s)
            qFatal("inserting into %s failed: %s", qPrintable(table.toString()),
                   qPrintable(s.error().message));
    }

    explicit Fixture(Database database) : db(std::move(database))
    {
        clinic = test::insertClinic(db).value;
        user = test::insertUser(db, ClinicId(clinic), Role::Provider, kProviderEmail).id.value;
        provider = newUuidV7();
        insert(u"providers", {{QStringLiteral("id"), provider},
                              {QStringLiteral("clinic_id"), clinic},
                              {QStringLiteral("user_id"), user},
                              {QStringLiteral("npi"), QStringLiteral("1234567893")},
                              {QStringLiteral("license_number"), QStringLiteral("L-1")},
                              {QStringLiteral("default_slot_minutes"), 30}});
        patient = newUuidV7();
        insert(u"patients", {{QStringLiteral("id"), patient},
                             {QStringLiteral("clinic_id"), clinic},
                             {QStringLiteral("mrn"), QStringLiteral("MRN-1")},
                             {QStringLiteral("given_name"), QStringLiteral("Ada")},
                             {QStringLiteral("family_name"), QStringLiteral("Test")},
                             {QStringLiteral("birth_date"), QStringLiteral("1980-01-01")},
                             {QStringLiteral("sex"), QStringLiteral("female")}});
        insert(u"patient_allergies", {{QStringLiteral("id"), newUuidV7()},
                                      {QStringLiteral("clinic_id"), clinic},
                                      {QStringLiteral("patient_id"), patient},
                                      {QStringLiteral("substance"), QStringLiteral("penicillin")},
                                      {QStringLiteral("category"), QStringLiteral("medication")},
                                      {QStringLiteral("criticality"), QStringLiteral("high")},
                                      {QStringLiteral("status"), QStringLiteral("active")}});
    }

    // `members` (JSON members) with the patient and provider of the fixture.
    QByteArray json(const QByteArray &members) const
    {
        return QByteArray(R"({"patient_id": ")") + patient.toUtf8() + R"(", "provider_id": ")" +
               provider.toUtf8() + "\", " + members + '}';
    }

    qint64 outboxRows() const
    {
        return db.isSqlite() ? test::rowCount(db, QStringLiteral("outbox")) : 0;
    }
};

const QByteArray kNote =
    R"("started_at": "2026-03-02T09:30:00-05:00", "chief_complaint": "Thirst and fatigue",
    "history": "Three weeks of polyuria.", "follow_up_days": 14,
    "diagnoses": [{"icd10_code": "E11.9", "description": "Type 2 diabetes mellitus", "is_primary": true},
                  {"icd10_code": "I10", "description": "Essential hypertension"}])";

const QByteArray kSimvastatin =
    R"("medication_code": "36567", "strength": "20 mg", "form": "tablet",
    "dose_amount": 20, "dose_unit": "mg", "route": "oral", "frequency": "qhs", "duration_days": 30,
    "quantity": 30, "refills": 2, "start_date": "2026-03-02")";

const QByteArray kClarithromycin =
    R"("medication_code": "21212", "strength": "500 mg", "form": "tablet",
    "dose_amount": 500, "dose_unit": "mg", "route": "oral", "frequency": "bid", "duration_days": 7,
    "quantity": 14, "start_date": "2026-03-03")";

} // namespace

class TestCtlClinical : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("ctlclinical")};

    // Runs as the clinic's provider (logged in with the test password).
    test::CtlRun ctl(const QString &entity, const QStringList &args, const QByteArray &input = {})
    {
        return test::runCtl(QStringList{QStringLiteral("--db"), m_factory.lastUrl(),
                                        QStringLiteral("--as"), kProviderEmail, entity} +
                                args,
                            input);
    }
    test::CtlRun consultation(const QStringList &args, const QByteArray &input = {})
    {
        return ctl(QStringLiteral("consultation"), args, input);
    }
    test::CtlRun prescription(const QStringList &args, const QByteArray &input = {})
    {
        return ctl(QStringLiteral("prescription"), args, input);
    }
    QJsonArray listJson(const QString &entity, const QString &patient)
    {
        return test::runCtl({QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("--as"), kProviderEmail,
                             QStringLiteral("--json"), entity, QStringLiteral("list"), QStringLiteral("--patient"),
                             patient})
            .json()
            .array();
    }

private Q_SLOTS:
    void consultationRoundTrip_data() { m_factory.addDialectRows(); }
    void consultationRoundTrip()
    {
        QFETCH(SqlDialect, dialect);
        const Fixture f(m_factory.create(dialect));

        const auto added = consultation({QStringLiteral("add")}, f.json(kNote));
        QCOMPARE(added.exitCode, 0);
        const QJsonObject note = added.json().object();
        const QString id = note[u"id"].toString();
        QVERIFY(isUuid(id));
        QCOMPARE(note[u"status"].toString(), QStringLiteral("draft"));
        QCOMPARE(note[u"started_at"].toString(), QStringLiteral("2026-03-02T14:30:00.000Z"));
        const QJsonArray diagnoses = note[u"diagnoses"].toArray();
        QCOMPARE(diagnoses.size(), 2);
        QCOMPARE(diagnoses[0][u"icd10_code"].toString(), QStringLiteral("E11.9")); // primary first
        QVERIFY(isUuid(diagnoses[0][u"id"].toString()));

        QCOMPARE(consultation({QStringLiteral("get"), id}).json()[u"chief_complaint"].toString(),
                 QStringLiteral("Thirst and fatigue"));
        QCOMPARE(listJson(QStringLiteral("consultation"), f.patient).size(), 1);

        // A draft changes; a diagnoses array replaces the stored one.
        const auto updated = consultation(
            {QStringLiteral("update"), id},
            R"({"plan": "HbA1c, metformin", "diagnoses": [{"icd10_code": "E11.9", "description": "Type 2 diabetes mellitus", "is_primary": true}]})");
        QCOMPARE(updated.exitCode, 0);
        QCOMPARE(updated.json()[u"plan"].toString(), QStringLiteral("HbA1c, metformin"));
        QCOMPARE(updated.json()[u"history"].toString(), QStringLiteral("Three weeks of polyuria."));
        QCOMPARE(updated.json()[u"diagnoses"].toArray().size(), 1);

        // Only a logged-in person signs: the owner (no --as) cannot.
        const auto ownerSigns = test::runCtl({QStringLiteral("--db"), m_factory.lastUrl(),
                                              QStringLiteral("consultation"), QStringLiteral("sign"), id});
        QCOMPARE(ownerSigns.exitCode, 4);
        const auto signedNote = consultation({QStringLiteral("sign"), id});
        QCOMPARE(signedNote.exitCode, 0);
        QCOMPARE(signedNote.json()[u"status"].toString(), QStringLiteral("signed"));
        QCOMPARE(signedNote.json()[u"signed_by"].toString(), f.user);
        QVERIFY(!signedNote.json()[u"signed_at"].toString().isEmpty());
        const int version = signedNote.json()[u"version"].toInt();

        // Signed: frozen.
        const auto edit = consultation({QStringLiteral("update"), id}, R"({"plan": "changed"})");
        QCOMPARE(edit.exitCode, 2);
        QCOMPARE(test::fieldsOf(edit), QStringList{QStringLiteral("status:immutable")});
        QVERIFY(messageOf(edit, QStringLiteral("status")).contains(QStringLiteral("addendum")));
        const auto remove = consultation({QStringLiteral("delete"), id});
        QCOMPARE(remove.exitCode, 2);
        QCOMPARE(test::fieldsOf(remove), QStringList{QStringLiteral("status:immutable")});
        const auto resign = consultation({QStringLiteral("sign"), id});
        QCOMPARE(resign.exitCode, 2);
        QCOMPARE(test::fieldsOf(resign), QStringList{QStringLiteral("status:transition")});
        const auto after = consultation({QStringLiteral("get"), id});
        QCOMPARE(after.json()[u"version"].toInt(), version);
        QCOMPARE(after.json()[u"plan"].toString(), QStringLiteral("HbA1c, metformin"));

        // An addendum: a new draft starting from the signed note's content.
        const auto addendum =
            consultation({QStringLiteral("addendum"), id}, R"({"plan": "Metformin 500 mg bid"})");
        QCOMPARE(addendum.exitCode, 0);
        const QJsonObject a = addendum.json().object();
        const QString addendumId = a[u"id"].toString();
        QVERIFY(isUuid(addendumId) && addendumId != id);
        QCOMPARE(a[u"amends_id"].toString(), id);
        QCOMPARE(a[u"status"].toString(), QStringLiteral("draft"));
        QCOMPARE(a[u"plan"].toString(), QStringLiteral("Metformin 500 mg bid"));
        QCOMPARE(a[u"chief_complaint"].toString(), QStringLiteral("Thirst and fatigue"));
        QCOMPARE(a[u"diagnoses"].toArray().size(), 1);
        QVERIFY(a[u"diagnoses"][0][u"id"].toString() !=
                updated.json()[u"diagnoses"][0][u"id"].toString());
        const auto addendumOfDraft = consultation({QStringLiteral("addendum"), addendumId}, "{}");
        QCOMPARE(addendumOfDraft.exitCode, 2);
        QCOMPARE(test::fieldsOf(addendumOfDraft), QStringList{QStringLiteral("amends_id:transition")});
        QCOMPARE(listJson(QStringLiteral("consultation"), f.patient).size(), 2);

        // A draft can be deleted.
        QCOMPARE(consultation({QStringLiteral("delete"), addendumId}).exitCode, 0);
        QCOMPARE(consultation({QStringLiteral("get"), addendumId}).exitCode, 3);
        QCOMPARE(consultation({QStringLiteral("delete"), addendumId}).exitCode, 3);
        QCOMPARE(listJson(QStringLiteral("consultation"), f.patient).size(), 1);

        QCOMPARE(consultation({QStringLiteral("get"), newUuidV7()}).exitCode, 3);
        QCOMPARE(consultation({QStringLiteral("update"), newUuidV7()}, "{}").exitCode, 3);
        QCOMPARE(consultation({QStringLiteral("sign"), QStringLiteral("x")}).exitCode, 3);
        QCOMPARE(consultation({QStringLiteral("list")}).exitCode, 64);
    }

    void consultationBadInput_data()
    {
        QTest::addColumn<QByteArray>("members");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("state fields")
            << QByteArray(R"("started_at": "2026-03-02T09:30:00Z", "chief_complaint": "Cough",
                                                      "status": "signed", "signed_at": "2026-03-02T10:00:00Z", "amends_id": null)")
            << QStringList{QStringLiteral("amends_id:read_only"),
                           QStringLiteral("signed_at:read_only"),
                           QStringLiteral("status:read_only")};
        QTest::newRow("diagnoses")
            << QByteArray(R"("started_at": "2026-03-02T09:30:00Z", "chief_complaint": "Cough",
                                                   "diagnoses": [{"icd10_code": "cough", "description": "x"}, {"icd10_code": 7}, {"version": 2}])")
            << QStringList{QStringLiteral("diagnoses[1].icd10_code:type"),
                           QStringLiteral("diagnoses[2].version:read_only")};
        QTest::newRow("rules")
            << QByteArray(R"("started_at": "2026-03-02T09:30:00Z", "chief_complaint": "",
                                               "follow_up_days": 400, "diagnoses": [{"icd10_code": "cough", "description": "x"}])")
            << QStringList{QStringLiteral("chief_complaint:required"),
                           QStringLiteral("diagnoses[0].icd10_code:format"),
                           QStringLiteral("follow_up_days:range")};
    }
    void consultationBadInput()
    {
        QFETCH(QByteArray, members);
        QFETCH(QStringList, expected);
        const Fixture f(m_factory.create(SqlDialect::Sqlite));
        const qint64 outbox = f.outboxRows();
        const auto run = consultation({QStringLiteral("add")}, f.json(members));
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(test::fieldsOf(run), expected);
        QCOMPARE(test::rowCount(f.db, QStringLiteral("consultations")), 0);
        QCOMPARE(test::rowCount(f.db, QStringLiteral("consultation_diagnoses")), 0);
        QCOMPARE(f.outboxRows(), outbox);
    }

    void prescriptionRoundTrip_data() { m_factory.addDialectRows(); }
    void prescriptionRoundTrip()
    {
        QFETCH(SqlDialect, dialect);
        const Fixture f(m_factory.create(dialect));

        const auto added = prescription({QStringLiteral("add")}, f.json(kSimvastatin));
        QCOMPARE(added.exitCode, 0);
        const QJsonObject rx = added.json().object();
        const QString id = rx[u"id"].toString();
        QVERIFY(isUuid(id));
        QCOMPARE(rx[u"status"].toString(), QStringLiteral("active"));
        QCOMPARE(rx[u"medication_name"].toString(),
                 QStringLiteral("simvastatin"));                            // from the formulary
        QCOMPARE(rx[u"end_date"].toString(), QStringLiteral("2026-03-31")); // derived
        QCOMPARE(rx[u"alerts"].toArray().size(), 0);
        QCOMPARE(prescription({QStringLiteral("get"), id}).json()[u"end_date"].toString(),
                 QStringLiteral("2026-03-31"));

        // Clarithromycin interacts with simvastatin: refused without a reason, nothing written.
        const qint64 outbox = f.outboxRows();
        const auto refused = prescription({QStringLiteral("add")}, f.json(kClarithromycin));
        QCOMPARE(refused.exitCode, 2);
        QCOMPARE(test::fieldsOf(refused), QStringList{QStringLiteral("medication_code:interaction")});
        QVERIFY2(messageOf(refused, QStringLiteral("medication_code"))
                     .contains(QStringLiteral("simvastatin")),
                 refused.out.constData());
        QCOMPARE(test::rowCount(f.db, QStringLiteral("prescriptions")), 1);
        QCOMPARE(f.outboxRows(), outbox);

        // ... and accepted with one, the alert printed along.
        const auto accepted = prescription(
            {QStringLiteral("add")},
            f.json(QByteArray(kClarithromycin +
                              R"(, "override_reason": "Simvastatin paused for the course")")));
        QCOMPARE(accepted.exitCode, 0);
        const QJsonArray alerts = accepted.json()[u"alerts"].toArray();
        QCOMPARE(alerts.size(), 1);
        QCOMPARE(alerts[0][u"kind"].toString(), QStringLiteral("interaction"));
        QCOMPARE(alerts[0][u"severity"].toString(), QStringLiteral("contraindicated"));
        QCOMPARE(accepted.json()[u"override_reason"].toString(),
                 QStringLiteral("Simvastatin paused for the course"));
        const QString second = accepted.json()[u"id"].toString();

        // The penicillin allergy stops amoxicillin the same way.
        const auto allergic =
            prescription({QStringLiteral("add")},
                         f.json(R"("medication_code": "723", "dose_amount": 500, "dose_unit": "mg",
                                                     "frequency": "tid", "duration_days": 10, "start_date": "2026-03-02")"));
        QCOMPARE(allergic.exitCode, 2);
        QCOMPARE(test::fieldsOf(allergic), QStringList{QStringLiteral("medication_code:allergy")});

        QCOMPARE(listJson(QStringLiteral("prescription"), f.patient).size(), 2);

        // State changes.
        auto state = [&](const QString &verb, const QString &rxId) {
            const auto run = prescription({verb, rxId});
            return run.exitCode == 0 ? run.json()[u"status"].toString()
                                     : QString::number(run.exitCode);
        };
        QCOMPARE(state(QStringLiteral("hold"), id), QStringLiteral("on_hold"));
        QCOMPARE(state(QStringLiteral("resume"), id), QStringLiteral("active"));
        QCOMPARE(state(QStringLiteral("complete"), id), QStringLiteral("completed"));
        const auto resume = prescription({QStringLiteral("resume"), id});
        QCOMPARE(resume.exitCode, 2);
        QCOMPARE(test::fieldsOf(resume), QStringList{QStringLiteral("status:transition")});
        QCOMPARE(state(QStringLiteral("error"), id), QStringLiteral("entered_in_error"));
        QCOMPARE(state(QStringLiteral("cancel"), second), QStringLiteral("cancelled"));
        const auto table =
            prescription({QStringLiteral("list"), QStringLiteral("--patient"), f.patient});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains("entered_in_error") && table.out.contains("clarithromycin"));

        QCOMPARE(prescription({QStringLiteral("delete"), id}).exitCode, 64);
        QCOMPARE(test::rowCount(f.db, QStringLiteral("prescriptions")), 2);
        QCOMPARE(prescription({QStringLiteral("get"), newUuidV7()}).exitCode, 3);
        QCOMPARE(prescription({QStringLiteral("hold"), newUuidV7()}).exitCode, 3);
        QCOMPARE(prescription({QStringLiteral("list")}).exitCode, 64);
    }

    void prescriptionBadInput_data()
    {
        QTest::addColumn<QByteArray>("members");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("derived, state and closed sets")
            << QByteArray(QByteArray(kSimvastatin).replace(R"("qhs")", R"("nightly")") +
                          R"(, "end_date": "2026-03-31", "status": "active")")
            << QStringList{QStringLiteral("end_date:read_only"),
                           QStringLiteral("frequency:unknown"), QStringLiteral("status:read_only")};
        QTest::newRow("types")
            << QByteArray(
                   R"("medication_code": 36567, "dose_amount": "20", "as_needed": "no", "start_date": "2/3/2026")")
            << QStringList{QStringLiteral("as_needed:type"), QStringLiteral("dose_amount:type"),
                           QStringLiteral("medication_code:type"),
                           QStringLiteral("start_date:type")};
        QTest::newRow("rules") << QByteArray(kSimvastatin)
                                      .replace(R"("dose_amount": 20)", R"("dose_amount": 80)")
                                      .replace(R"("refills": 2)", R"("refills": 12)")
                               << QStringList{QStringLiteral("dose_amount:max_daily_dose"),
                                              QStringLiteral("refills:range")};
        QTest::newRow("unknown medication")
            << QByteArray(kSimvastatin).replace("36567", "99999999")
            << QStringList{QStringLiteral("medication_code:unknown")};
    }
    void prescriptionBadInput()
    {
        QFETCH(QByteArray, members);
        QFETCH(QStringList, expected);
        const Fixture f(m_factory.create(SqlDialect::Sqlite));
        const qint64 outbox = f.outboxRows();
        const auto run = prescription({QStringLiteral("add")}, f.json(members));
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(test::fieldsOf(run), expected);
        QCOMPARE(test::rowCount(f.db, QStringLiteral("prescriptions")), 0);
        QCOMPARE(f.outboxRows(), outbox);
    }
};

QTEST_GUILESS_MAIN(TestCtlClinical)
#include "tst_ctlclinical.moc"
