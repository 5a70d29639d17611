#include "testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace tmdash;

namespace {

QString messageOf(const test::CtlRun &run, const QString &field)
{
    for (const QJsonValue &e : run.json()[u"errors"].toArray())
        if (e[u"field"].toString() == field)
            return e[u"message"].toString();
    return {};
}

// A clinic with one patient, written straight into the tables.
struct Fixture
{
    Database db;
    QString patient;

    explicit Fixture(Database database) : db(std::move(database))
    {
        const QString clinic = test::insertClinic(db).value;
        test::insertUser(db, ClinicId(clinic), Role::Staff, QStringLiteral("nurse@north.example"));
        patient = newUuidV7();
        const Row row{{QStringLiteral("id"), patient},
                      {QStringLiteral("clinic_id"), clinic},
                      {QStringLiteral("mrn"), QStringLiteral("MRN-1")},
                      {QStringLiteral("given_name"), QStringLiteral("Ada")},
                      {QStringLiteral("family_name"), QStringLiteral("Test")},
                      {QStringLiteral("birth_date"), QStringLiteral("1980-01-01")},
                      {QStringLiteral("sex"), QStringLiteral("female")},
                      {QStringLiteral("created_at"), QStringLiteral("2026-01-01T00:00:00.000Z")},
                      {QStringLiteral("updated_at"), QStringLiteral("2026-01-01T00:00:00.000Z")}};
        if (Status s = RecordTable(db, u"patients").insert(row); !s)
            qFatal("inserting a patient failed: %s", qPrintable(s.error().message));
    }

    // A vitals record of the patient with `measurements` (JSON members) added.
    QByteArray record(const QByteArray &measurements) const
    {
        return QByteArray(R"({"patient_id": ")") + patient.toUtf8() +
               R"(", "recorded_at": "2026-03-02T09:15:00-05:00", )" + measurements + '}';
    }

    qint64 outboxRows() const
    {
        return db.isSqlite() ? test::rowCount(db, QStringLiteral("outbox")) : 0;
    }
};

} // namespace

class TestCtlVitals : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("ctlvitals")};

    test::CtlRun ctl(const QStringList &args, const QByteArray &input = {})
    {
        return test::runCtl(
            QStringList{QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("--as"),
                        QStringLiteral("nurse@north.example"), QStringLiteral("vitals")} +
                args,
            input);
    }

private Q_SLOTS:
    void roundTrip_data() { m_factory.addDialectRows(); }
    void roundTrip()
    {
        QFETCH(SqlDialect, dialect);
        const Fixture f(m_factory.create(dialect));

        // Fahrenheit in, Celsius stored; the pulse and weight in stored units; height in inches.
        const auto added = ctl(
            {QStringLiteral("add")},
            f.record(R"("temperature_c": {"value": 101.3, "unit": "[degF]"}, "heart_rate_bpm": 88,
                                           "weight_kg": 70, "height_cm": {"value": 66.93, "unit": "[in_i]"})"));
        QCOMPARE(added.exitCode, 0);
        const QJsonObject v = added.json().object();
        const QString id = v[u"id"].toString();
        QVERIFY(isUuid(id));
        QVERIFY2(qAbs(v[u"temperature_c"].toDouble() - 38.5) < 0.01, added.out.constData());
        QVERIFY(qAbs(v[u"height_cm"].toDouble() - 170.0) < 0.01);
        QCOMPARE(v[u"recorded_at"].toString(), QStringLiteral("2026-03-02T14:15:00.000Z"));
        QCOMPARE(v[u"status"].toString(), QStringLiteral("final"));
        QCOMPARE(v[u"bmi"].toDouble(), 24.2); // derived: 70 / 1.70^2
        const QJsonObject flags = v[u"flags"].toObject();
        QCOMPARE(flags[u"temperature_c"].toString(), QStringLiteral("high"));
        QCOMPARE(flags[u"heart_rate_bpm"].toString(), QStringLiteral("normal"));
        QCOMPARE(flags[u"bmi"].toString(), QStringLiteral("normal"));
        QVERIFY(!flags.contains(u"spo2_pct")); // only measurements taken are flagged

        const auto got = ctl({QStringLiteral("get"), id});
        QCOMPARE(got.exitCode, 0);
        QCOMPARE(got.json()[u"flags"][u"temperature_c"].toString(), QStringLiteral("high"));

        // A correction: a new record with the changes, the old one entered in error.
        const auto corrected =
            ctl({QStringLiteral("correct"), id}, R"({"temperature_c": 37.0, "spo2_pct": 88})");
        QCOMPARE(corrected.exitCode, 0);
        const QJsonObject c = corrected.json().object();
        const QString newId = c[u"id"].toString();
        QVERIFY(isUuid(newId));
        QVERIFY(newId != id);
        QCOMPARE(c[u"replaces_id"].toString(), id);
        QCOMPARE(c[u"temperature_c"].toDouble(), 37.0);
        QCOMPARE(c[u"heart_rate_bpm"].toDouble(), 88.0); // carried over
        QCOMPARE(c[u"flags"][u"temperature_c"].toString(), QStringLiteral("normal"));
        QCOMPARE(c[u"flags"][u"spo2_pct"].toString(), QStringLiteral("critical_low"));
        QCOMPARE(ctl({QStringLiteral("get"), id}).json()[u"status"].toString(),
                 QStringLiteral("entered_in_error"));

        const auto recorrect = ctl({QStringLiteral("correct"), id}, R"({"temperature_c": 37.2})");
        QCOMPARE(recorrect.exitCode, 2);
        QCOMPARE(test::fieldsOf(recorrect), QStringList{QStringLiteral("status:transition")});

        const auto listed =
            test::runCtl({QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("--as"),
                          QStringLiteral("nurse@north.example"), QStringLiteral("--json"),
                          QStringLiteral("vitals"), QStringLiteral("list"),
                          QStringLiteral("--patient"), f.patient});
        QCOMPARE(listed.exitCode, 0);
        QCOMPARE(listed.json().array().size(), 2);
        const auto table = ctl({QStringLiteral("list"), QStringLiteral("--patient"), f.patient});
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.contains("88 (critical_low)"), table.out.constData());

        const auto marked = ctl({QStringLiteral("error"), newId});
        QCOMPARE(marked.exitCode, 0);
        QCOMPARE(marked.json()[u"status"].toString(), QStringLiteral("entered_in_error"));
        const auto markedAgain = ctl({QStringLiteral("error"), newId});
        QCOMPARE(markedAgain.exitCode, 2);
        QCOMPARE(test::fieldsOf(markedAgain), QStringList{QStringLiteral("status:transition")});

        QCOMPARE(ctl({QStringLiteral("delete"), id}).exitCode, 64);
        QCOMPARE(test::rowCount(f.db, QStringLiteral("vitals")), 2);
        QCOMPARE(ctl({QStringLiteral("get"), newUuidV7()}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("error"), newUuidV7()}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("correct"), QStringLiteral("nope")}, "{}").exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("list")}).exitCode, 64);
    }

    void badInputListsEveryFieldAndWritesNothing_data()
    {
        QTest::addColumn<QByteArray>("measurements");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("impossible heart rate")
            << QByteArray(R"("heart_rate_bpm": 400)")
            << QStringList{QStringLiteral("heart_rate_bpm:impossible")};
        QTest::newRow("impossible after conversion")
            << QByteArray(R"("temperature_c": {"value": 130, "unit": "[degF]"})")
            << QStringList{QStringLiteral("temperature_c:impossible")};
        QTest::newRow("unknown unit and malformed measurement")
            << QByteArray(
                   R"("weight_kg": {"value": 150, "unit": "stone"}, "temperature_c": {"value": 99}, "heart_rate_bpm": 70)")
            << QStringList{QStringLiteral("temperature_c:type"), QStringLiteral("weight_kg:unit")};
        QTest::newRow("derived and state fields")
            << QByteArray(
                   R"("heart_rate_bpm": 70, "bmi": 22.0, "flags": {}, "status": "final", "replaces_id": null, "version": 1)")
            << QStringList{QStringLiteral("bmi:read_only"), QStringLiteral("flags:read_only"),
                           QStringLiteral("replaces_id:read_only"),
                           QStringLiteral("status:read_only"), QStringLiteral("version:read_only")};
        QTest::newRow("types") << QByteArray(R"("heart_rate_bpm": "fast", "pulse": 70)")
                               << QStringList{QStringLiteral("heart_rate_bpm:type"),
                                              QStringLiteral("pulse:unknown")};
        QTest::newRow("no measurement") << QByteArray(R"("appointment_id": null)")
                                        << QStringList{QStringLiteral("measurements:required")};
    }
    void badInputListsEveryFieldAndWritesNothing()
    {
        QFETCH(QByteArray, measurements);
        QFETCH(QStringList, expected);
        const Fixture f(m_factory.create(SqlDialect::Sqlite));
        const auto run = ctl({QStringLiteral("add")}, f.record(measurements));
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(test::fieldsOf(run), expected);
        QCOMPARE(test::rowCount(f.db, QStringLiteral("vitals")), 0);
        QCOMPARE(f.outboxRows(), 0);
        if (expected.contains(QStringLiteral("weight_kg:unit")))
            QVERIFY2(
                messageOf(run, QStringLiteral("weight_kg")).contains(QStringLiteral("[lb_av]")),
                run.out.constData());
        if (expected.first() == QStringLiteral("heart_rate_bpm:impossible"))
            QVERIFY2(
                messageOf(run, QStringLiteral("heart_rate_bpm")).contains(QStringLiteral("400")),
                run.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCtlVitals)
#include "tst_ctlvitals.moc"
