#include "testsupport.h"

#include <QDir>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace tmdash;

// `tmdashctl bench storage` at smoke size: every figure is there and the two files hold the
// same rows. Speed is never asserted: the benchmark reports, it does not judge.
class TestCtlBench : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

    // bench makes its own files and does not use a database; the dispatcher opens one before
    // any verb, so point it at a throwaway file (harmless if bench stops needing it).
    test::CtlRun bench(const QStringList &args)
    {
        return test::runCtl(
            args, {},
            {{QStringLiteral("TMDASH_DB"),
              QStringLiteral("sqlite:") + m_tmp.filePath(QStringLiteral("unused.sqlite"))}});
    }

    static QJsonValue at(const QJsonDocument &doc, const QString &path)
    {
        QJsonValue v = doc.object();
        for (const QString &key : path.split(QLatin1Char('.')))
            v = v.toObject().value(key);
        return v;
    }

    static qint64 count(const QString &file, const QString &table)
    {
        auto db =
            Database::open(QStringLiteral("sqlite:") + file, QStringLiteral("count-") + table);
        if (!db)
            return -1;
        qint64 n = -1;
        {
            QSqlQuery q(db->connection());
            if (q.exec(QStringLiteral("SELECT count(*) FROM ") + table) && q.next())
                n = q.value(0).toLongLong();
        }
        Database opened = *db;
        opened.close();
        return n;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void helpExitsZero()
    {
        const auto run = test::runCtl({QStringLiteral("bench"), QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("bench storage"));
    }

    void badArgumentsExit64_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no kind") << QStringList{};
        QTest::newRow("unknown kind") << QStringList{QStringLiteral("network")};
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("storage"), QStringLiteral("--fast")};
        QTest::newRow("zero patients") << QStringList{
            QStringLiteral("storage"), QStringLiteral("--patients"), QStringLiteral("0")};
        QTest::newRow("not a number") << QStringList{
            QStringLiteral("storage"), QStringLiteral("--vitals"), QStringLiteral("many")};
        QTest::newRow("missing value")
            << QStringList{QStringLiteral("storage"), QStringLiteral("--charts")};
        QTest::newRow("sync: zero changes") << QStringList{
            QStringLiteral("sync"), QStringLiteral("--changes"), QStringLiteral("0")};
        QTest::newRow("sync: a storage option") << QStringList{
            QStringLiteral("sync"), QStringLiteral("--patients"), QStringLiteral("10")};
        QTest::newRow("storage: a sync option") << QStringList{
            QStringLiteral("storage"), QStringLiteral("--changes"), QStringLiteral("10")};
    }
    void badArgumentsExit64()
    {
        QFETCH(QStringList, args);
        QCOMPARE(bench(QStringList{QStringLiteral("bench")} + args).exitCode, 64);
    }

    // `bench sync` at smoke size against the test PostgreSQL: every figure is there, every
    // change went up and came down, and the scratch database is gone afterwards.
    void syncSmokeRunReportsEveryFigure()
    {
        const QString central = test::requirePostgresUrl();
        if (central.isEmpty())
            QSKIP("TMDASH_TEST_PG is not set");
        const auto run = bench({QStringLiteral("--json"), QStringLiteral("bench"), QStringLiteral("sync"),
                                QStringLiteral("--central"), central, QStringLiteral("--changes"),
                                QStringLiteral("200")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonDocument doc = run.json();
        QCOMPARE(at(doc, QStringLiteral("changes")).toInt(), 200);
        for (const char *path : {"push.seconds", "push.per_second", "copy.seconds", "copy.per_second",
                                 "push_vs_copy", "pull.seconds", "pull.per_second", "raw_sqlite.seconds",
                                 "raw_sqlite.per_second", "pull_vs_raw"})
            QVERIFY2(at(doc, QLatin1String(path)).toDouble() > 0, path);
        // The pulling desktop received at least the 200 pushed patients (and the clinic).
        QVERIFY(at(doc, QStringLiteral("pull.changes")).toInteger() > 200);
        auto admin = Database::open(central, QStringLiteral("bench-check"));
        QVERIFY(admin);
        {
            QSqlQuery q(admin->connection());
            QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname LIKE 'tmdash_bench_%'")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), 0);
        }
        Database(*admin).close();
    }

    // `bench notify` at smoke size: both latencies are reported and every edit came by
    // notification.
    void notifySmokeRunReportsEveryFigure()
    {
        const QString central = test::requirePostgresUrl();
        const QString redis = test::requireRedisUrl();
        if (central.isEmpty() || redis.isEmpty())
            QSKIP("TMDASH_TEST_PG or TMDASH_TEST_REDIS is not set");
        const auto run = bench({QStringLiteral("--json"), QStringLiteral("bench"), QStringLiteral("notify"),
                                QStringLiteral("--central"), central, QStringLiteral("--redis"), redis,
                                QStringLiteral("--edits"), QStringLiteral("5")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonDocument doc = run.json();
        for (const char *side : {"edit_to_other_desktop", "raw_publish_receive"}) {
            QCOMPARE(at(doc, QLatin1String(side) + QStringLiteral(".count")).toInt(), 5);
            for (const char *figure : {"p50_ms", "p99_ms", "max_ms"})
                QVERIFY2(at(doc, QStringLiteral("%1.%2").arg(QLatin1String(side), QLatin1String(figure))).toDouble() > 0,
                         figure);
        }
        QCOMPARE(at(doc, QStringLiteral("not_by_notification")).toInt(), 0);
    }

    void smokeRunReportsEveryFigure()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("smoke"));
        const auto run =
            bench({QStringLiteral("--json"), QStringLiteral("bench"), QStringLiteral("storage"),
                   QStringLiteral("--patients"), QStringLiteral("300"), QStringLiteral("--vitals"),
                   QStringLiteral("2000"), QStringLiteral("--searches"), QStringLiteral("50"),
                   QStringLiteral("--charts"), QStringLiteral("50"), QStringLiteral("--batch"),
                   QStringLiteral("700"), QStringLiteral("--dir"), dir, QStringLiteral("--keep")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonDocument doc = run.json();
        QVERIFY2(doc.isObject(), run.out.constData());

        QStringList positive;
        for (const char *side : {"stores", "raw"})
            for (const char *phase : {"patients", "vitals", "total"})
                for (const char *figure :
                     {"records", "rows", "seconds", "records_per_s", "rows_per_s"})
                    positive << QStringLiteral("writes.%1.%2.%3")
                                    .arg(QLatin1String(side), QLatin1String(phase),
                                         QLatin1String(figure));
        for (const char *phase : {"patients", "vitals", "total"})
            positive << QStringLiteral("writes.ratio.") + QLatin1String(phase);
        for (const char *kind : {"search", "chart"})
            for (const char *figure :
                 {"p50_ms", "p95_ms", "p99_ms", "mean_ms", "max_ms", "goal_p95_ms"})
                positive << QStringLiteral("%1.%2").arg(QLatin1String(kind), QLatin1String(figure));
        positive << QStringLiteral("search.mean_hits") << QStringLiteral("chart.mean_vitals")
                 << QStringLiteral("writes.goal_ratio") << QStringLiteral("peak_rss_kib")
                 << QStringLiteral("peak_rss_mib");
        for (const QString &path : positive) {
            const QJsonValue v = at(doc, path);
            QVERIFY2(v.isDouble(),
                     qPrintable(path + QStringLiteral(" is missing or not a number")));
            QVERIFY2(v.toDouble() > 0, qPrintable(path + QStringLiteral(" is not positive")));
        }
        for (const QString &path :
             {QStringLiteral("writes.goal_met"), QStringLiteral("search.goal_met"),
              QStringLiteral("chart.goal_met")})
            QVERIFY2(at(doc, path).isBool(), qPrintable(path));

        // The sizes asked for (the vitals in three outer transactions), and both paths wrote
        // the same rows.
        QCOMPARE(at(doc, QStringLiteral("batch_size")).toInt(), 700);
        QCOMPARE(at(doc, QStringLiteral("writes.stores.patients.records")).toInteger(),
                 qint64(300));
        QCOMPARE(at(doc, QStringLiteral("writes.stores.vitals.records")).toInteger(), qint64(2000));
        QCOMPARE(at(doc, QStringLiteral("writes.raw.patients.records")).toInteger(), qint64(300));
        QCOMPARE(at(doc, QStringLiteral("writes.raw.vitals.records")).toInteger(), qint64(2000));
        QCOMPARE(at(doc, QStringLiteral("writes.raw.total.rows")).toInteger(),
                 at(doc, QStringLiteral("writes.stores.total.rows")).toInteger());
        QVERIFY(at(doc, QStringLiteral("writes.stores.patients.rows")).toInteger() > 2 * 300);
        QCOMPARE(at(doc, QStringLiteral("writes.same_rows")).toBool(), true);
        QCOMPARE(at(doc, QStringLiteral("search.count")).toInt(), 50);
        QCOMPARE(at(doc, QStringLiteral("chart.count")).toInt(), 50);

        // --keep leaves both files; check the row counts independently of the benchmark.
        const QString stores = at(doc, QStringLiteral("files.stores")).toString();
        const QString raw = at(doc, QStringLiteral("files.raw")).toString();
        QVERIFY(stores.startsWith(dir));
        QVERIFY(QFile::exists(stores));
        QVERIFY(QFile::exists(raw));
        QCOMPARE(count(stores, QStringLiteral("patients")), qint64(300));
        QCOMPARE(count(raw, QStringLiteral("patients")), qint64(300));
        QCOMPARE(count(stores, QStringLiteral("vitals")), qint64(2000));
        QCOMPARE(count(raw, QStringLiteral("vitals")), qint64(2000));
        for (const QString &table : {QStringLiteral("outbox"), QStringLiteral("patient_search"),
                                     QStringLiteral("patient_emergency_contacts")})
            QCOMPARE(count(raw, table), count(stores, table));
        QVERIFY(count(stores, QStringLiteral("outbox")) >= 300 * 3 + 2000);
    }

    void humanReadableRunRemovesItsFiles()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("human"));
        const auto run =
            bench({QStringLiteral("bench"), QStringLiteral("storage"), QStringLiteral("--patients"),
                   QStringLiteral("20"), QStringLiteral("--vitals"), QStringLiteral("40"),
                   QStringLiteral("--searches"), QStringLiteral("5"), QStringLiteral("--charts"),
                   QStringLiteral("5"), QStringLiteral("--dir"), dir});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        for (const char *text : {"stores/raw", "rows/s", "Type-ahead search", "Chart load", "p95",
                                 "Peak memory", "all-or-nothing outer transactions of 50000 creates"})
            QVERIFY2(run.out.contains(text), text);
        QVERIFY(QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCtlBench)
#include "tst_ctlbench.moc"
