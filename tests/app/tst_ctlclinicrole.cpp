#include "testsupport.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

using namespace tmdash;

// `tmdashctl clinic role CLINIC_ID --login NAME --password-stdin` against the real binary.

namespace {

qint64 scalar(const Database &db, const QString &sql, const QString &bind = QString())
{
    QSqlQuery q(db.connection());
    q.prepare(sql);
    if (!bind.isNull())
        q.bindValue(0, bind);
    if (!q.exec() || !q.next())
        qFatal("%s failed", qPrintable(sql));
    return q.value(0).toLongLong();
}

const QByteArray kPassword = "correct-horse-battery-staple\n";

} // namespace

class TestCtlClinicRole : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("ctlclinicrole")};
    QStringList m_roles; // dropped at the end (roles are cluster-wide)
    QList<Database> m_databases;

    QString login(const char *suffix)
    {
        const QString name = QStringLiteral("tst_ctlrole_%1_%2")
                                 .arg(QCoreApplication::applicationPid())
                                 .arg(QLatin1String(suffix));
        m_roles << name;
        return name;
    }

    test::CtlRun role(const QStringList &args, const QByteArray &input = kPassword)
    {
        return test::runCtl(QStringList{QStringLiteral("--db"), m_factory.lastUrl(),
                                        QStringLiteral("clinic"), QStringLiteral("role")} +
                                args,
                            input);
    }

    qint64 mappings(const Database &db)
    {
        return scalar(db, QStringLiteral("SELECT count(*) FROM clinic_roles"));
    }
    qint64 roleExists(const Database &db, const QString &name)
    {
        return scalar(db, QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = ?"), name);
    }

private Q_SLOTS:
    void cleanupTestCase()
    {
        if (m_databases.isEmpty())
            return;
        const Database &db = m_databases.last();
        for (const QString &name : std::as_const(m_roles)) {
            if (roleExists(db, name) == 0)
                continue;
            // DROP OWNED revokes CONNECT on the database the role was granted; each database
            // this suite made may hold such a grant.
            for (const Database &each : std::as_const(m_databases)) {
                QSqlQuery q(each.connection());
                q.exec(QStringLiteral("DROP OWNED BY ") + name);
            }
            QSqlQuery q(db.connection());
            if (!q.exec(QStringLiteral("DROP ROLE ") + name))
                qWarning("could not drop role %s", qPrintable(name));
        }
    }

    void help()
    {
        const auto run = test::runCtl({QStringLiteral("clinic"), QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("--password-stdin"));
    }

    void createsTheRoleAndItsMapping()
    {
        if (!m_factory.hasPostgres())
            QSKIP("TMDASH_TEST_PG not set");
        Database db = m_factory.create(SqlDialect::Postgres);
        m_databases << db;
        const ClinicId clinic = test::insertClinic(db);
        const QString name = login("north");
        const auto run = role(
            {clinic.value, QStringLiteral("--login"), name, QStringLiteral("--password-stdin")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.json()[u"login"].toString(), name);
        QCOMPARE(run.json()[u"clinic_id"].toString(), clinic.value);
        QVERIFY(!run.json()[u"created_at"].toString().isEmpty());
        QVERIFY(!run.out.contains("correct-horse"));
        QCOMPARE(mappings(db), 1);
        QCOMPARE(roleExists(db, name), 1);
        QCOMPARE(scalar(db,
                        QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = ? AND "
                                       "rolcanlogin AND NOT rolsuper AND NOT rolcreaterole "
                                       "AND NOT rolbypassrls"),
                        name),
                 1);
        QCOMPARE(scalar(db,
                        QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = ? AND "
                                       "pg_has_role(rolname, 'tmdash_clinic', 'MEMBER')"),
                        name),
                 1);
        QCOMPARE(scalar(db,
                        QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = ? AND "
                                       "has_database_privilege(rolname, current_database(), "
                                       "'CONNECT')"),
                        name),
                 1);
        QCOMPARE(scalar(db,
                        QStringLiteral("SELECT count(*) FROM pg_authid WHERE rolname = ? AND "
                                       "rolpassword LIKE 'SCRAM-SHA-256$%'"),
                        name),
                 1);
        // The new login connects and sees its clinic.
        QUrl url(m_factory.lastUrl());
        url.setUserName(name);
        url.setPassword(QStringLiteral("correct-horse-battery-staple"));
        const auto asClinic =
            test::runCtl({QStringLiteral("--db"), url.toString(), QStringLiteral("--json"),
                          QStringLiteral("clinic"), QStringLiteral("list")});
        QCOMPARE(asClinic.exitCode, 0);
        QCOMPARE(asClinic.json().array().size(), 1);

        // Again for the same clinic: a new password, still one mapping.
        QCOMPARE(role({clinic.value, QStringLiteral("--login"), name,
                       QStringLiteral("--password-stdin")},
                      "a-new-long-password\r\n")
                     .exitCode,
                 0);
        QCOMPARE(mappings(db), 1);
        // A second clinic may not take the first one's login.
        const ClinicId south = test::insertClinic(db, QStringLiteral("South"));
        const auto taken = role(
            {south.value, QStringLiteral("--login"), name, QStringLiteral("--password-stdin")});
        QCOMPARE(taken.exitCode, 2);
        QCOMPARE(test::fieldsOf(taken), QStringList{QStringLiteral("login:duplicate")});
        QCOMPARE(mappings(db), 1);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("clinic"); // "" = the clinic made by the test
        QTest::addColumn<QString>("login");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QStringList>("fields");
        const QString good = QStringLiteral("tst_ctlrole_never");
        QTest::newRow("unknown clinic") << QStringLiteral("01900000-0000-7000-8000-00000000dead")
                                        << good << kPassword << 3 << QStringList();
        QTest::newRow("not an id")
            << QStringLiteral("north") << good << kPassword << 3 << QStringList();
        QTest::newRow("capital letters") << QString() << QStringLiteral("North") << kPassword << 2
                                         << QStringList{QStringLiteral("login:format")};
        QTest::newRow("injection") << QString() << QStringLiteral("x; DROP ROLE tmdash")
                                   << kPassword << 2 << QStringList{QStringLiteral("login:format")};
        QTest::newRow("reserved") << QString() << QStringLiteral("pg_monitor") << kPassword << 2
                                  << QStringList{QStringLiteral("login:reserved")};
        QTest::newRow("empty login") << QString() << QString() << kPassword << 2
                                     << QStringList{QStringLiteral("login:required")};
        QTest::newRow("an existing role")
            << QString() << QStringLiteral("tmdash_clinic") << kPassword << 2
            << QStringList{QStringLiteral("login:reserved")};
        QTest::newRow("short password") << QString() << good << QByteArray("short\n") << 2
                                        << QStringList{QStringLiteral("password:too_short")};
        QTest::newRow("no password") << QString() << good << QByteArray() << 2
                                     << QStringList{QStringLiteral("password:required")};
    }
    void refusals()
    {
        QFETCH(QString, clinic);
        QFETCH(QString, login);
        QFETCH(QByteArray, input);
        QFETCH(int, exitCode);
        QFETCH(QStringList, fields);
        if (!m_factory.hasPostgres())
            QSKIP("TMDASH_TEST_PG not set");
        Database db = m_factory.create(SqlDialect::Postgres);
        m_databases << db;
        const ClinicId made = test::insertClinic(db);
        const auto run = role({clinic.isEmpty() ? made.value : clinic, QStringLiteral("--login"),
                               login, QStringLiteral("--password-stdin")},
                              input);
        QCOMPARE(run.exitCode, exitCode);
        QCOMPARE(test::fieldsOf(run), fields);
        QCOMPARE(mappings(db), 0);
        QCOMPARE(roleExists(db, QStringLiteral("tst_ctlrole_never")), 0);
    }

    // An existing role that is not a clinic's login is never taken over.
    void existingRoleIsNotTakenOver()
    {
        if (!m_factory.hasPostgres())
            QSKIP("TMDASH_TEST_PG not set");
        Database db = m_factory.create(SqlDialect::Postgres);
        m_databases << db;
        const ClinicId clinic = test::insertClinic(db);
        const QString name = login("existing");
        QSqlQuery q(db.connection());
        QVERIFY(q.exec(QStringLiteral("CREATE ROLE %1 LOGIN").arg(name)));
        const auto run = role(
            {clinic.value, QStringLiteral("--login"), name, QStringLiteral("--password-stdin")});
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(test::fieldsOf(run), QStringList{QStringLiteral("login:duplicate")});
        QCOMPARE(mappings(db), 0);
        QCOMPARE(scalar(db,
                        QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = ? AND "
                                       "pg_has_role(rolname, 'tmdash_clinic', 'MEMBER')"),
                        name),
                 0);
    }

    void usageAndSqlite()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        const ClinicId clinic = test::insertClinic(db);
        const auto sqlite = role({clinic.value, QStringLiteral("--login"),
                                  QStringLiteral("clinic_x"), QStringLiteral("--password-stdin")});
        QCOMPARE(sqlite.exitCode, 2);
        QCOMPARE(test::fieldsOf(sqlite), QStringList{QStringLiteral("db:unsupported")});
        QVERIFY(sqlite.err.contains("PostgreSQL"));
        // The password never comes from the command line.
        QCOMPARE(role({clinic.value, QStringLiteral("--login"), QStringLiteral("clinic_x"),
                       QStringLiteral("--password"), QStringLiteral("secret")})
                     .exitCode,
                 64);
        QCOMPARE(
            role({clinic.value, QStringLiteral("--login"), QStringLiteral("clinic_x")}).exitCode,
            64);
        QCOMPARE(role({QStringLiteral("--login"), QStringLiteral("clinic_x"),
                       QStringLiteral("--password-stdin")})
                     .exitCode,
                 64);
        // Only the owner: a person is refused (exit 4) before anything is read.
        if (m_factory.hasPostgres()) {
            Database pg = m_factory.create(SqlDialect::Postgres);
            m_databases << pg;
            const auto boot = test::runCtl(
                {QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("bootstrap"),
                 QStringLiteral("--clinic-name"), QStringLiteral("North"),
                 QStringLiteral("--timezone"), QStringLiteral("America/New_York"),
                 QStringLiteral("--admin-email"), QStringLiteral("boss@north.example"),
                 QStringLiteral("--password-stdin")},
                "violet-harbour-lantern-42\n");
            QCOMPARE(boot.exitCode, 0);
            QSqlQuery q(pg.connection());
            QVERIFY(q.exec(QStringLiteral("SELECT CAST(id AS text) FROM clinics")) && q.next());
            const auto person = test::runCtl(
                {QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("--as"),
                 QStringLiteral("boss@north.example"), QStringLiteral("clinic"),
                 QStringLiteral("role"), q.value(0).toString(), QStringLiteral("--login"),
                 login("person"), QStringLiteral("--password-stdin")},
                kPassword,
                {{QStringLiteral("TMDASH_PASSWORD"), QStringLiteral("violet-harbour-lantern-42")}});
            QCOMPARE(person.exitCode, 4);
            QCOMPARE(mappings(pg), 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestCtlClinicRole)
#include "tst_ctlclinicrole.moc"
