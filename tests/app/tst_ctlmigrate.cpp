#include "testsupport.h"

#include <QSqlQuery>
#include <QTest>

using namespace tmdash;

class TestCtlMigrate : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("ctlmigrate")};

private Q_SLOTS:
    void helpExitsZero()
    {
        QCOMPARE(test::runCtl({QStringLiteral("--help")}).exitCode, 0);
        QCOMPARE(test::runCtl({QStringLiteral("migrate"), QStringLiteral("--help")}).exitCode, 0);
        QCOMPARE(test::runCtl({QStringLiteral("patient"), QStringLiteral("--help")}).exitCode, 0);
    }
    void usageErrorsExit64()
    {
        QCOMPARE(test::runCtl({}).exitCode, 64);
        QCOMPARE(test::runCtl({QStringLiteral("--db"), QStringLiteral("sqlite:/tmp/x"), QStringLiteral("frobnicate")}).exitCode, 64);
        QCOMPARE(test::runCtl({QStringLiteral("--bogus")}).exitCode, 64);
    }
    void unreachableServerExits5()
    {
        const auto run = test::runCtl({QStringLiteral("--db"), QStringLiteral("postgresql://nobody@127.0.0.1:1/none"),
                                       QStringLiteral("migrate"), QStringLiteral("status")});
        QCOMPARE(run.exitCode, 5);
        QVERIFY(run.err.contains("cannot connect"));
    }

    void upDownUp_data() { m_factory.addDialectRows(); }
    void upDownUp()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect, false);
        const QString url = m_factory.lastUrl();
        auto ctl = [&](QStringList args) {
            return test::runCtl(QStringList{QStringLiteral("--db"), url, QStringLiteral("--json")} + args);
        };
        auto status = ctl({QStringLiteral("migrate"), QStringLiteral("status")});
        QCOMPARE(status.exitCode, 0);
        QCOMPARE(status.json()[u"current"].toInt(), 0);
        QCOMPARE(ctl({QStringLiteral("migrate"), QStringLiteral("up")}).exitCode, 0);
        status = ctl({QStringLiteral("migrate"), QStringLiteral("status")});
        QCOMPARE(status.json()[u"current"].toInt(), status.json()[u"latest"].toInt());
        // Patient verbs work once migrated, and a down that would drop them refuses.
        test::insertUser(db, test::insertClinic(db), Role::Staff, QStringLiteral("desk@north.example"));
        const QStringList asDesk{QStringLiteral("--as"), QStringLiteral("desk@north.example")};
        QCOMPARE(ctl(asDesk + QStringList{QStringLiteral("patient"), QStringLiteral("add")}).exitCode, 2); // no JSON
        const auto added = test::runCtl(QStringList{QStringLiteral("--db"), url} + asDesk +
                                            QStringList{QStringLiteral("patient"), QStringLiteral("add")},
                                        R"({"given_name":"Ada","family_name":"Lovelace","birth_date":"1985-12-10","sex":"female"})");
        QCOMPARE(added.exitCode, 0);
        const auto refused = ctl({QStringLiteral("migrate"), QStringLiteral("down")});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY(refused.err.contains("--force"));
        QCOMPARE(ctl({QStringLiteral("migrate"), QStringLiteral("down"), QStringLiteral("--force")}).exitCode, 0);
        QCOMPARE(ctl({QStringLiteral("migrate"), QStringLiteral("status")}).json()[u"current"].toInt(), 0);
        QCOMPARE(ctl({QStringLiteral("migrate"), QStringLiteral("up"), QStringLiteral("--to"), QStringLiteral("1")}).exitCode, 0);
    }

    void newerSchemaExits6_data() { m_factory.addDialectRows(); }
    void newerSchemaExits6()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        QSqlQuery q(db.connection());
        QVERIFY(q.exec(QStringLiteral("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, 'future', 'x', 'now')")));
        const QString url = m_factory.lastUrl();
        for (const QStringList &args : {QStringList{QStringLiteral("migrate"), QStringLiteral("status")},
                                        QStringList{QStringLiteral("migrate"), QStringLiteral("up")},
                                        QStringList{QStringLiteral("patient"), QStringLiteral("list")}}) {
            const auto run = test::runCtl(QStringList{QStringLiteral("--db"), url} + args);
            QCOMPARE(run.exitCode, 6);
            QVERIFY(run.err.contains("newer"));
        }
    }

    void changedChecksumExits6()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        QSqlQuery q(db.connection());
        QVERIFY(q.exec(QStringLiteral("UPDATE schema_migrations SET checksum = 'changed'")));
        const auto run = test::runCtl({QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("migrate"), QStringLiteral("up")});
        QCOMPARE(run.exitCode, 6);
        QVERIFY(run.err.contains("checksum"));
    }
};

QTEST_GUILESS_MAIN(TestCtlMigrate)
#include "tst_ctlmigrate.moc"
