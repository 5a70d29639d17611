#include "testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace tmdash;

namespace {

// The password of the users these tests add, so that they can log in with runCtl's default.
const QByteArray kPassword = QByteArray(test::kTestPassword) + '\n';
const QString kAdmin = QStringLiteral("boss@north.example");

// A clinic with the admin the verbs run as.
ClinicId clinicWithAdmin(const Database &db)
{
    const ClinicId clinic = test::insertClinic(db);
    test::insertUser(db, clinic, Role::Admin, kAdmin);
    return clinic;
}

QStringList addArgs(const QString &email, const QString &role = QStringLiteral("staff"))
{
    return {QStringLiteral("add"),
            QStringLiteral("--email"),
            email,
            QStringLiteral("--role"),
            role,
            QStringLiteral("--given-name"),
            QStringLiteral("Nina"),
            QStringLiteral("--family-name"),
            QStringLiteral("Nurse"),
            QStringLiteral("--password-stdin")};
}

} // namespace

class TestCtlUser : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("ctluser")};

    test::CtlRun ctl(const QStringList &args, const QByteArray &input = {},
                     const QStringList &global = {})
    {
        // As the clinic's admin unless `global` names another --as.
        const QStringList as = global.contains(QStringLiteral("--as"))
                                   ? QStringList()
                                   : QStringList{QStringLiteral("--as"), kAdmin};
        return test::runCtl(QStringList{QStringLiteral("--db"), m_factory.lastUrl()} + as + global +
                                QStringList{QStringLiteral("user")} + args,
                            input);
    }

private Q_SLOTS:
    void help()
    {
        const auto run = test::runCtl({QStringLiteral("user"), QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("--password-stdin"));
    }

    void roundTrip_data() { m_factory.addDialectRows(); }
    void roundTrip()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = clinicWithAdmin(db);

        const auto added = ctl(addArgs(QStringLiteral("Nina.Nurse@North.example")), kPassword);
        QCOMPARE(added.exitCode, 0);
        const QJsonObject user = added.json().object();
        const QString id = user[u"id"].toString();
        QVERIFY(isUuid(id));
        QCOMPARE(user[u"clinic_id"].toString(), clinic.value);
        QCOMPARE(user[u"role"].toString(), QStringLiteral("staff"));
        QCOMPARE(user[u"status"].toString(), QStringLiteral("pending"));
        QCOMPARE(user[u"given_name"].toString(), QStringLiteral("Nina"));
        QVERIFY(!user.contains(u"password_hash"));
        QVERIFY(!user.contains(u"totp_secret"));

        auto rows = RecordTable(db, u"users")
                        .select(QStringLiteral("id = :id"), {{QStringLiteral("id"), id}});
        QVERIFY(rows);
        QVERIFY(rows->first()
                    .value(u"password_hash")
                    .toString()
                    .startsWith(QLatin1String("$argon2id$")));

        // By id and by email (case-insensitive).
        const auto byId = ctl({QStringLiteral("get"), id});
        QCOMPARE(byId.exitCode, 0);
        QCOMPARE(byId.json()[u"email"].toString(), QStringLiteral("Nina.Nurse@North.example"));
        const auto byEmail =
            ctl({QStringLiteral("get"), QStringLiteral("nina.nurse@north.EXAMPLE")});
        QCOMPARE(byEmail.exitCode, 0);
        QCOMPARE(byEmail.json()[u"id"].toString(), id);

        QVERIFY(
            ctl(addArgs(QStringLiteral("dora@north.example"), QStringLiteral("admin")), kPassword)
                .exitCode == 0);
        const auto listed = ctl({QStringLiteral("list")}, {}, {QStringLiteral("--json")});
        QCOMPARE(listed.exitCode, 0);
        QCOMPARE(listed.json().array().size(), 3);
        const auto table = ctl({QStringLiteral("list")});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains("dora@north.example"));
        QVERIFY(table.out.contains("Nina.Nurse@North.example"));

        // Acting as a user of the clinic works the same; an unknown --as is not authenticated.
        const auto asAdmin = ctl({QStringLiteral("list")}, {},
                                 {QStringLiteral("--json"), QStringLiteral("--as"),
                                  QStringLiteral("dora@north.example")});
        QCOMPARE(asAdmin.exitCode, 0);
        QCOMPARE(asAdmin.json().array().size(), 3);
        QCOMPARE(ctl({QStringLiteral("list")}, {},
                     {QStringLiteral("--as"), QStringLiteral("nobody@north.example")})
                     .exitCode,
                 4);

        const auto disabled =
            ctl({QStringLiteral("disable"), QStringLiteral("nina.nurse@north.example")});
        QCOMPARE(disabled.exitCode, 0);
        QCOMPARE(disabled.json()[u"status"].toString(), QStringLiteral("disabled"));
        QCOMPARE(ctl({QStringLiteral("get"), id}).json()[u"status"].toString(),
                 QStringLiteral("disabled"));
        QCOMPARE(ctl({QStringLiteral("disable"), id}).exitCode,
                 0); // already off: no change, no error

        // Secrets never leave the program, in any output.
        for (const auto &run : {added, byId, byEmail, listed, disabled})
            QVERIFY(!run.out.contains("argon2") && !run.out.contains("password_hash"));
    }

    void duplicateEmail_data() { m_factory.addDialectRows(); }
    void duplicateEmail()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        clinicWithAdmin(db);
        QCOMPARE(ctl(addArgs(QStringLiteral("nina@north.example")), kPassword).exitCode, 0);
        const qint64 users = test::rowCount(db, QStringLiteral("users"));
        const auto again = ctl(
            addArgs(QStringLiteral(" NINA@north.example"), QStringLiteral("provider")), kPassword);
        QCOMPARE(again.exitCode, 2);
        QCOMPARE(test::fieldsOf(again), QStringList{QStringLiteral("email:duplicate")});
        QCOMPARE(test::rowCount(db, QStringLiteral("users")), users);
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("password");
        QTest::addColumn<QStringList>("expected");
        const QString email = QStringLiteral("nina@north.example");
        QTest::newRow("too short") << addArgs(email) << QByteArray("tiny-pw\n")
                                   << QStringList{QStringLiteral("password:too_short")};
        QTest::newRow("empty stdin")
            << addArgs(email) << QByteArray() << QStringList{QStringLiteral("password:too_short")};
        QTest::newRow("common") << addArgs(email) << QByteArray("Unbelievable\n")
                                << QStringList{QStringLiteral("password:common_password")};
        QTest::newRow("contains email") << addArgs(email) << QByteArray("nina-says-hello-2026\n")
                                        << QStringList{QStringLiteral("password:contains_email")};
        QTest::newRow("role, names, email")
            << QStringList{QStringLiteral("add"),       QStringLiteral("--email"),
                           QStringLiteral("nina@"),     QStringLiteral("--role"),
                           QStringLiteral("superuser"), QStringLiteral("--password-stdin")}
            << kPassword
            << QStringList{QStringLiteral("email:format"), QStringLiteral("family_name:required"),
                           QStringLiteral("given_name:required"), QStringLiteral("role:unknown")};
        QTest::newRow("no role") << QStringList{QStringLiteral("add"),
                                                QStringLiteral("--email"),
                                                email,
                                                QStringLiteral("--given-name"),
                                                QStringLiteral("Nina"),
                                                QStringLiteral("--family-name"),
                                                QStringLiteral("Nurse"),
                                                QStringLiteral("--password-stdin")}
                                 << kPassword << QStringList{QStringLiteral("role:required")};
        QTest::newRow("clinic not a uuid")
            << addArgs(email) + QStringList{QStringLiteral("--clinic"), QStringLiteral("north")}
            << kPassword << QStringList{QStringLiteral("clinic_id:format")};
        QTest::newRow("unknown clinic")
            << addArgs(email) + QStringList{QStringLiteral("--clinic"),
                                            QStringLiteral("01890000-0000-7000-8000-000000000000")}
            << kPassword << QStringList{QStringLiteral("clinic_id:not_found")};
    }
    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, password);
        QFETCH(QStringList, expected);
        Database db = m_factory.create(SqlDialect::Sqlite);
        clinicWithAdmin(db);
        const auto run = ctl(args, password);
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(test::fieldsOf(run), expected);
        QCOMPARE(test::rowCount(db, QStringLiteral("users")), 1); // the admin only
        QCOMPARE(test::rowCount(db, QStringLiteral("outbox")), 0);
    }

    void unknownIdsAndUsage_data() { m_factory.addDialectRows(); }
    void unknownIdsAndUsage()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        clinicWithAdmin(db);
        const QString unknown = QStringLiteral("01890000-0000-7000-8000-000000000001");
        QCOMPARE(ctl({QStringLiteral("get"), unknown}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("get"), QStringLiteral("ghost@north.example")}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("get"), QStringLiteral("ghost")}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("disable"), unknown}).exitCode, 3);
        QStringList noStdin = addArgs(QStringLiteral("nina@north.example"));
        noStdin.removeLast();
        QCOMPARE(ctl(noStdin, kPassword).exitCode, 64);
        QCOMPARE(ctl({QStringLiteral("get")}).exitCode, 64);
        QCOMPARE(ctl({QStringLiteral("frobnicate")}).exitCode, 64);
        QCOMPARE(
            ctl({QStringLiteral("list"), QStringLiteral("--emial"), QStringLiteral("x")}).exitCode,
            64);
        QCOMPARE(test::rowCount(db, QStringLiteral("users")), 1); // the admin only
    }
};

QTEST_GUILESS_MAIN(TestCtlUser)
#include "tst_ctluser.moc"
