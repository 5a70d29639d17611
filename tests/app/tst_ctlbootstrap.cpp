#include "testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace tmdash;

namespace {

const QByteArray kPassword = "violet-harbour-lantern-42\n";

QStringList bootstrapArgs(const QString &name = QStringLiteral("North Clinic"),
                          const QString &tz = QStringLiteral("America/New_York"),
                          const QString &email = QStringLiteral("admin@north.example"))
{
    return {QStringLiteral("bootstrap"),
            QStringLiteral("--clinic-name"),
            name,
            QStringLiteral("--timezone"),
            tz,
            QStringLiteral("--admin-email"),
            email,
            QStringLiteral("--password-stdin")};
}

void exec(const Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql))
        qFatal("%s failed", qPrintable(sql));
}

} // namespace

class TestCtlBootstrap : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("ctlbootstrap")};

    test::CtlRun ctl(const QStringList &args, const QByteArray &input = {}, bool json = true)
    {
        QStringList all{QStringLiteral("--db"), m_factory.lastUrl()};
        if (json)
            all << QStringLiteral("--json");
        return test::runCtl(all + args, input);
    }

    void expectEmpty(const Database &db)
    {
        QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 0);
        QCOMPARE(test::rowCount(db, QStringLiteral("users")), 0);
        if (db.isSqlite())
            QCOMPARE(test::rowCount(db, QStringLiteral("outbox")), 0);
    }

private Q_SLOTS:
    void help()
    {
        const auto run = test::runCtl({QStringLiteral("bootstrap"), QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("--password-stdin"));
    }

    void bootstrapThenRefused_data() { m_factory.addDialectRows(); }
    void bootstrapThenRefused()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const auto run = ctl(bootstrapArgs(), kPassword);
        QCOMPARE(run.exitCode, 0);
        const QJsonObject clinic = run.json()[u"clinic"].toObject();
        const QJsonObject admin = run.json()[u"admin"].toObject();
        QVERIFY(isUuid(clinic[u"id"].toString()));
        QCOMPARE(clinic[u"name"].toString(), QStringLiteral("North Clinic"));
        QCOMPARE(clinic[u"timezone"].toString(), QStringLiteral("America/New_York"));
        const QJsonObject hours = clinic[u"business_hours"].toObject();
        QCOMPARE(hours.keys(),
                 (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                              QStringLiteral("4"), QStringLiteral("5")}));
        QCOMPARE(hours[u"1"][u"open"].toString(), QStringLiteral("08:00"));
        QCOMPARE(hours[u"5"][u"close"].toString(), QStringLiteral("17:00"));
        QCOMPARE(admin[u"email"].toString(), QStringLiteral("admin@north.example"));
        QCOMPARE(admin[u"role"].toString(), QStringLiteral("admin"));
        QCOMPARE(admin[u"status"].toString(), QStringLiteral("active"));
        QCOMPARE(admin[u"clinic_id"].toString(), clinic[u"id"].toString());
        QVERIFY(!admin.contains(u"password_hash"));
        QVERIFY(!admin.contains(u"totp_secret"));
        QVERIFY(!run.out.contains("argon2"));

        // The password is stored as an Argon2id hash, never as itself.
        auto users = RecordTable(db, u"users").select(QStringLiteral("1 = 1"), {});
        QVERIFY(users);
        QCOMPARE(users->size(), 1);
        const QString hash = users->first().value(u"password_hash").toString();
        QVERIFY(hash.startsWith(QLatin1String("$argon2id$")));
        QVERIFY(!hash.contains(QLatin1String("violet")));
        auto before = RecordTable(db, u"clinics").select(QStringLiteral("1 = 1"), {});
        QVERIFY(before);

        // A second run is refused, naming the clinic, and changes nothing.
        const auto again =
            ctl(bootstrapArgs(QStringLiteral("South Clinic"), QStringLiteral("Europe/Berlin"),
                              QStringLiteral("other@south.example")),
                kPassword);
        QCOMPARE(again.exitCode, 2);
        QCOMPARE(test::fieldsOf(again), QStringList{QStringLiteral("clinic:exists")});
        QVERIFY(again.json()[u"errors"][0][u"message"].toString().contains(
            QLatin1String("North Clinic")));
        QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 1);
        QCOMPARE(test::rowCount(db, QStringLiteral("users")), 1);
        auto after = RecordTable(db, u"clinics").select(QStringLiteral("1 = 1"), {});
        QVERIFY(after);
        QCOMPARE(*after, *before);

        // The table for people names both records.
        Database fresh = m_factory.create(dialect);
        const auto human = ctl(bootstrapArgs(), kPassword, false);
        QCOMPARE(human.exitCode, 0);
        QVERIFY(human.out.contains("North Clinic"));
        QVERIFY(human.out.contains("admin@north.example"));
        QCOMPARE(test::rowCount(fresh, QStringLiteral("users")), 1);
    }

    void refusedWithAs_data() { m_factory.addDialectRows(); }
    void refusedWithAs()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const auto run = test::runCtl(QStringList{QStringLiteral("--db"), m_factory.lastUrl(),
                                                  QStringLiteral("--as"),
                                                  QStringLiteral("admin@north.example")} +
                                          bootstrapArgs(),
                                      kPassword);
        QCOMPARE(run.exitCode, 4);
        expectEmpty(db);
    }

    void badInputNamesEveryFieldAndWritesNothing_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("password");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("all wrong")
            << bootstrapArgs(QStringLiteral(" "), QStringLiteral("Mars/Olympus_Mons"),
                             QStringLiteral("not-an-email"))
            << QByteArray("tiny-pw\n")
            << QStringList{
                   QStringLiteral("admin_email:format"), QStringLiteral("clinic_name:required"),
                   QStringLiteral("password:too_short"), QStringLiteral("timezone:unknown")};
        QTest::newRow("common password") << bootstrapArgs() << QByteArray("unbelievable\n")
                                         << QStringList{QStringLiteral("password:common_password")};
        QTest::newRow("password contains the email")
            << bootstrapArgs() << QByteArray("my-admin-password-99\n")
            << QStringList{QStringLiteral("password:contains_email")};
        QTest::newRow("missing options")
            << QStringList{QStringLiteral("bootstrap"), QStringLiteral("--password-stdin")}
            << kPassword
            << QStringList{QStringLiteral("admin_email:required"),
                           QStringLiteral("clinic_name:required"),
                           QStringLiteral("timezone:required")};
    }
    void badInputNamesEveryFieldAndWritesNothing()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, password);
        QFETCH(QStringList, expected);
        Database db = m_factory.create(SqlDialect::Sqlite);
        const auto run = ctl(args, password);
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(test::fieldsOf(run), expected);
        expectEmpty(db);
    }

    void usage()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        QStringList noStdin = bootstrapArgs();
        noStdin.removeLast();
        QCOMPARE(ctl(noStdin, kPassword).exitCode, 64);
        QCOMPARE(ctl(bootstrapArgs() << QStringLiteral("--bogus"), kPassword).exitCode, 64);
        QCOMPARE(ctl(bootstrapArgs() << QStringLiteral("extra"), kPassword).exitCode, 64);
        expectEmpty(db);
    }

    // The clinic and its admin are one unit: when the admin cannot be written, the clinic written
    // just before it is rolled back too.
    void failureLeavesNothing_data() { m_factory.addDialectRows(); }
    void failureLeavesNothing()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        if (dialect == SqlDialect::Sqlite) {
            exec(db, QStringLiteral("CREATE TRIGGER refuse_users BEFORE INSERT ON users "
                                    "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"));
        } else {
            exec(db,
                 QStringLiteral("CREATE FUNCTION refuse_users() RETURNS trigger AS $$ BEGIN "
                                "RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql"));
            exec(db,
                 QStringLiteral("CREATE TRIGGER refuse_users BEFORE INSERT ON users FOR EACH ROW "
                                "EXECUTE FUNCTION refuse_users()"));
        }
        const auto run = ctl(bootstrapArgs(), kPassword);
        QVERIFY2(run.exitCode != 0, run.err.constData());
        expectEmpty(db);
    }
};

QTEST_GUILESS_MAIN(TestCtlBootstrap)
#include "tst_ctlbootstrap.moc"
