#include "testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace tmdash;

class TestCtlClinic : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("ctlclinic")};

    test::CtlRun ctl(const QStringList &args, const QByteArray &input = {},
                     const QStringList &global = {})
    {
        return test::runCtl(QStringList{QStringLiteral("--db"), m_factory.lastUrl()} + global +
                                QStringList{QStringLiteral("clinic")} + args,
                            input);
    }

private Q_SLOTS:
    void help()
    {
        const auto run = test::runCtl({QStringLiteral("clinic"), QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("business_hours"));
    }

    void roundTrip_data() { m_factory.addDialectRows(); }
    void roundTrip()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const auto added = ctl(
            {QStringLiteral("add")},
            R"({"name": "Lakeside Clinic", "timezone": "America/Chicago", "phone": "(312) 555-0100", "country": "us"})");
        QCOMPARE(added.exitCode, 0);
        const QJsonObject clinic = added.json().object();
        const QString id = clinic[u"id"].toString();
        QVERIFY(isUuid(id));
        QCOMPARE(clinic[u"clinic_id"].toString(), id);
        QCOMPARE(clinic[u"phone"].toString(), QStringLiteral("+13125550100"));
        QCOMPARE(clinic[u"country"].toString(), QStringLiteral("US"));
        // Without business_hours: Monday to Friday 08:00-17:00.
        QCOMPARE(clinic[u"business_hours"].toObject().size(), 5);
        QCOMPARE(clinic[u"business_hours"][u"3"][u"close"].toString(), QStringLiteral("17:00"));

        const auto got = ctl({QStringLiteral("get"), id});
        QCOMPARE(got.exitCode, 0);
        QCOMPARE(got.json().object(), clinic);

        const auto updated = ctl({QStringLiteral("update"), id}, R"({
            "city": "Chicago",
            "business_hours": {"1": {"open": "09:00", "close": "12:00"}, "saturday": {"open": "09:00", "close": "13:00"}, "sunday": null}
        })");
        QCOMPARE(updated.exitCode, 0);
        const QJsonObject changed = updated.json().object();
        QCOMPARE(changed[u"city"].toString(), QStringLiteral("Chicago"));
        QCOMPARE(changed[u"name"].toString(), QStringLiteral("Lakeside Clinic"));
        QCOMPARE(changed[u"business_hours"].toObject().keys(),
                 (QStringList{QStringLiteral("1"), QStringLiteral("6")}));
        QCOMPARE(changed[u"business_hours"][u"6"][u"close"].toString(), QStringLiteral("13:00"));
        QCOMPARE(ctl({QStringLiteral("get"), id}).json().object(), changed);

        const auto listed = ctl({QStringLiteral("list")}, {}, {QStringLiteral("--json")});
        QCOMPARE(listed.exitCode, 0);
        QCOMPARE(listed.json().array().size(), 1);
        QVERIFY(ctl({QStringLiteral("list")}).out.contains("Lakeside Clinic"));

        // Further clinics: on a central yes; a desktop holds one clinic.
        const auto second =
            ctl({QStringLiteral("add")}, R"({"name": "Hillside", "timezone": "Europe/Berlin"})");
        if (dialect == SqlDialect::Sqlite) {
            QCOMPARE(second.exitCode, 4);
            QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 1);
        } else {
            QCOMPARE(second.exitCode, 0);
            QCOMPARE(
                ctl({QStringLiteral("list")}, {}, {QStringLiteral("--json")}).json().array().size(),
                2);
        }
    }

    // Only the database's owner adds clinics; a person is refused before the input is read.
    void addRefusedForPerson_data() { m_factory.addDialectRows(); }
    void addRefusedForPerson()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const auto boot = test::runCtl(
            {QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("bootstrap"),
             QStringLiteral("--clinic-name"), QStringLiteral("North"), QStringLiteral("--timezone"),
             QStringLiteral("America/New_York"), QStringLiteral("--admin-email"),
             QStringLiteral("boss@north.example"), QStringLiteral("--password-stdin")},
            "violet-harbour-lantern-42\n");
        QCOMPARE(boot.exitCode, 0);
        const QStringList as{QStringLiteral("--as"), QStringLiteral("boss@north.example")};
        QCOMPARE(ctl({QStringLiteral("add")}, "{not json", as).exitCode, 4);
        QCOMPARE(
            ctl({QStringLiteral("add")}, R"({"name": "Hillside", "timezone": "Europe/Berlin"})", as)
                .exitCode,
            4);
        QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 1);
        // The admin sees and changes their own clinic.
        const auto mine =
            ctl({QStringLiteral("list")}, {}, as + QStringList{QStringLiteral("--json")});
        QCOMPARE(mine.exitCode, 0);
        QCOMPARE(mine.json().array().size(), 1);
        const QString id = mine.json()[0][u"id"].toString();
        QCOMPARE(ctl({QStringLiteral("update"), id}, R"({"name": "North Clinic"})", as)
                     .json()[u"name"]
                     .toString(),
                 QStringLiteral("North Clinic"));
    }

    void badInputNamesEveryFieldAndWritesNothing_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("not json") << QByteArray("{nope")
                                  << QStringList{QStringLiteral("json:format")};
        QTest::newRow("shape")
            << QByteArray(
                   R"({"name": "A", "timezone": "Europe/Berlin", "clinic_id": "01890000-0000-7000-8000-000000000000",
                              "version": 2, "colour": "blue", "phone": 5,
                              "business_hours": {"1": {"open": "9am", "close": "17:00"}, "8": {}, "2": {"open": "08:00", "shut": "12:00"}, "3": "closed"}})")
            << QStringList{QStringLiteral("business_hours.8:unknown"),
                           QStringLiteral("business_hours.monday:format"),
                           QStringLiteral("business_hours.tuesday.shut:unknown"),
                           QStringLiteral("business_hours.wednesday:type"),
                           QStringLiteral("clinic_id:read_only"),
                           QStringLiteral("colour:unknown"),
                           QStringLiteral("phone:type"),
                           QStringLiteral("version:read_only")};
        QTest::newRow("hours not an object")
            << QByteArray(R"({"name": "A", "timezone": "Europe/Berlin", "business_hours": [1]})")
            << QStringList{QStringLiteral("business_hours:type")};
        QTest::newRow("rules")
            << QByteArray(R"({"name": "  ", "timezone": "Mars/Olympus_Mons", "country": "XX",
                              "business_hours": {"2": {"open": "08:00"}, "3": {"open": "12:00", "close": "08:00"}}})")
            << QStringList{QStringLiteral("business_hours.tuesday:required"),
                           QStringLiteral("business_hours.wednesday:range"),
                           QStringLiteral("country:unknown"), QStringLiteral("name:required"),
                           QStringLiteral("timezone:unknown")};
    }
    void badInputNamesEveryFieldAndWritesNothing()
    {
        QFETCH(QByteArray, input);
        QFETCH(QStringList, expected);
        Database db = m_factory.create(SqlDialect::Sqlite);
        const auto run = ctl({QStringLiteral("add")}, input);
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(test::fieldsOf(run), expected);
        QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 0);
        QCOMPARE(test::rowCount(db, QStringLiteral("outbox")), 0);
    }

    void updateBadInputChangesNothing()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        const ClinicId id = test::insertClinic(db);
        auto before = RecordTable(db, u"clinics").select(QStringLiteral("1 = 1"), {});
        QVERIFY(before);
        const auto run =
            ctl({QStringLiteral("update"), id.value},
                R"({"name": "", "business_hours": {"5": {"open": "18:00", "close": "08:00"}}})");
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(test::fieldsOf(run), (QStringList{QStringLiteral("business_hours.friday:range"),
                                             QStringLiteral("name:required")}));
        QCOMPARE(ctl({QStringLiteral("update"), id.value},
                     R"({"id": "01890000-0000-7000-8000-000000000000"})")
                     .exitCode,
                 2);
        auto after = RecordTable(db, u"clinics").select(QStringLiteral("1 = 1"), {});
        QVERIFY(after);
        QCOMPARE(*after, *before);
        QCOMPARE(test::rowCount(db, QStringLiteral("outbox")), 0);
    }

    void unknownIds_data() { m_factory.addDialectRows(); }
    void unknownIds()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        const QString unknown = QStringLiteral("01890000-0000-7000-8000-000000000001");
        QCOMPARE(ctl({QStringLiteral("get"), unknown}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("update"), unknown}, R"({"name": "X"})").exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("get"), QStringLiteral("north")}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("get")}).exitCode, 64);
        QCOMPARE(ctl({QStringLiteral("delete"), unknown}).exitCode, 64);
    }
};

QTEST_GUILESS_MAIN(TestCtlClinic)
#include "tst_ctlclinic.moc"
