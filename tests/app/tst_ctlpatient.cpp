#include "testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace tmdash;

class TestCtlPatient : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("ctlpatient")};

    // Runs as the clinic's provider (clinicWithProvider), logged in with the test password.
    test::CtlRun ctl(const QStringList &args, const QByteArray &input = {})
    {
        return test::runCtl(QStringList{QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("--as"),
                                        QStringLiteral("doc@north.example"), QStringLiteral("patient")} +
                                args,
                            input);
    }
    static void clinicWithProvider(const Database &db)
    {
        test::insertUser(db, test::insertClinic(db), Role::Provider, QStringLiteral("doc@north.example"));
    }

private Q_SLOTS:
    void roundTrip_data() { m_factory.addDialectRows(); }
    void roundTrip()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        clinicWithProvider(db);
        const auto added = ctl({QStringLiteral("add")}, R"({
            "given_name": "Ada", "family_name": "Lovelace", "birth_date": "1985-12-10", "sex": "female",
            "phone": "(555) 201-3344",
            "allergies": [{"substance": "penicillin", "category": "medication", "criticality": "high", "status": "active"}]
        })");
        QCOMPARE(added.exitCode, 0);
        const QJsonObject patient = added.json().object();
        const QString id = patient[u"id"].toString();
        QVERIFY(isUuid(id));
        QCOMPARE(patient[u"phone"].toString(), QStringLiteral("+15552013344"));
        QCOMPARE(patient[u"allergies"].toArray().size(), 1);
        QVERIFY(!patient[u"mrn"].toString().isEmpty());

        const auto got = ctl({QStringLiteral("get"), id});
        QCOMPARE(got.exitCode, 0);
        QCOMPARE(got.json()[u"family_name"].toString(), QStringLiteral("Lovelace"));

        const auto updated = ctl({QStringLiteral("update"), id}, R"({"family_name": "King", "allergies": []})");
        QCOMPARE(updated.exitCode, 0);
        QCOMPARE(updated.json()[u"family_name"].toString(), QStringLiteral("King"));
        QCOMPARE(updated.json()[u"given_name"].toString(), QStringLiteral("Ada"));
        QCOMPARE(updated.json()[u"allergies"].toArray().size(), 0);

        const auto found = test::runCtl({QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("--as"),
                                         QStringLiteral("doc@north.example"), QStringLiteral("--json"),
                                         QStringLiteral("patient"), QStringLiteral("list"), QStringLiteral("--search"),
                                         QStringLiteral("kin")});
        QCOMPARE(found.exitCode, 0);
        QCOMPARE(found.json().array().size(), 1);

        const auto dup = ctl({QStringLiteral("duplicates")}, R"({"given_name": "Ada", "family_name": "King", "birth_date": "1985-12-10"})");
        QCOMPARE(dup.exitCode, 0);
        QCOMPARE(dup.json().array().size(), 1);

        QCOMPARE(ctl({QStringLiteral("delete"), id}).exitCode, 0);
        QCOMPARE(ctl({QStringLiteral("get"), id}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("delete"), id}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("get"), QStringLiteral("not-a-uuid")}).exitCode, 3);
    }

    void badInputListsEveryFieldAndWritesNothing_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("not json") << QByteArray("{nope") << QStringList{QStringLiteral("json:format")};
        QTest::newRow("array") << QByteArray("[]") << QStringList{QStringLiteral("json:format")};
        QTest::newRow("unknown and read-only fields")
            << QByteArray(R"({"given_name":"A","family_name":"B","birth_date":"1990-01-01","sex":"male","shoe_size":42,"version":3,"created_at":"2026-01-01T00:00:00Z"})")
            << QStringList{QStringLiteral("created_at:read_only"), QStringLiteral("shoe_size:unknown"), QStringLiteral("version:read_only")};
        QTest::newRow("wrong types")
            << QByteArray(R"({"given_name":7,"family_name":"B","birth_date":"10/01/1990","sex":"male","allergies":[{"substance":true}]})")
            << QStringList{QStringLiteral("allergies[0].substance:type"), QStringLiteral("birth_date:type"), QStringLiteral("given_name:type")};
        QTest::newRow("rules broken")
            << QByteArray(R"({"given_name":"","family_name":"B","birth_date":"2999-01-01","sex":"male","email":"no-at","phone":"12"})")
            << QStringList{QStringLiteral("birth_date:future"), QStringLiteral("email:format"), QStringLiteral("given_name:required"), QStringLiteral("phone:format")};
    }
    void badInputListsEveryFieldAndWritesNothing()
    {
        QFETCH(QByteArray, input);
        QFETCH(QStringList, expected);
        Database db = m_factory.create(SqlDialect::Sqlite);
        clinicWithProvider(db);
        const auto run = ctl({QStringLiteral("add")}, input);
        QCOMPARE(run.exitCode, 2);
        QStringList fields = test::fieldsOf(run);
        fields.sort();
        QCOMPARE(fields, expected);
        QCOMPARE(test::rowCount(db, QStringLiteral("patients")), 0);
        QCOMPARE(test::rowCount(db, QStringLiteral("outbox")), 0);
    }
};

QTEST_GUILESS_MAIN(TestCtlPatient)
#include "tst_ctlpatient.moc"
