#include "database.h"
#include "testsupport.h"

#include <QSqlQuery>
#include <QTest>
#include <QUrl>

using namespace tmdash;

// Database URLs: the TLS options of libpq pass through to the connection; anything else in the
// query is refused, so that a misspelt option never silently leaves a connection unencrypted.
class TestDatabaseUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("error"); // "field:code", empty when accepted
        QTest::addColumn<QString>("options");
        QTest::newRow("plain") << QStringLiteral("postgresql://u:p@db.example:5433/tmdash")
                               << QString() << QString();
        QTest::newRow("sslmode") << QStringLiteral(
                                        "postgresql://u@db.example/tmdash?sslmode=verify-full")
                                 << QString() << QStringLiteral("sslmode='verify-full'");
        QTest::newRow("every tls option")
            << QStringLiteral(
                   "postgres://u@db.example/tmdash?sslmode=verify-ca&sslrootcert=/etc/tmdash/ca.crt"
                   "&sslcert=/etc/tmdash/c.crt&sslkey=/etc/tmdash/c.key&sslcrl=/etc/tmdash/crl.pem")
            << QString()
            << QStringLiteral("sslmode='verify-ca';sslrootcert='/etc/tmdash/ca.crt';"
                              "sslcert='/etc/tmdash/c.crt';sslkey='/etc/tmdash/c.key';"
                              "sslcrl='/etc/tmdash/crl.pem'");
        QTest::newRow("path with space and quote")
            << QStringLiteral(
                   "postgresql://u@db.example/tmdash?sslrootcert=/srv/my%20certs/o%27k%5C.crt")
            << QString() << QStringLiteral(R"(sslrootcert='/srv/my certs/o\'k\\.crt')");
        QTest::newRow("misspelt option")
            << QStringLiteral("postgresql://u@db.example/tmdash?ssl_mode=require")
            << QStringLiteral("db:unknown") << QString();
        QTest::newRow("unknown sslmode")
            << QStringLiteral("postgresql://u@db.example/tmdash?sslmode=always")
            << QStringLiteral("db:unknown") << QString();
        QTest::newRow("semicolon")
            << QStringLiteral("postgresql://u@db.example/tmdash?sslkey=/a;host=evil")
            << QStringLiteral("db:format") << QString();
        QTest::newRow("empty value") << QStringLiteral("postgresql://u@db.example/tmdash?sslmode=")
                                     << QStringLiteral("db:format") << QString();
    }
    void parse()
    {
        QFETCH(QString, url);
        QFETCH(QString, error);
        QFETCH(QString, options);
        auto parsed = DatabaseUrl::parse(url);
        if (!error.isEmpty()) {
            QVERIFY(!parsed);
            QCOMPARE(parsed.error().fields.first().field + QLatin1Char(':') +
                         parsed.error().fields.first().code,
                     error);
            return;
        }
        QVERIFY2(parsed, qPrintable(parsed.error().message));
        QCOMPARE(parsed->libpqOptions(), options);
        QVERIFY(!parsed->redacted().contains(QLatin1String(":p@")));
    }

    // sslmode reaches libpq: the test server runs without TLS, so "require" must fail to
    // connect and "disable" must connect.
    void sslmodeReachesTheConnection()
    {
        const QString admin = test::requirePostgresUrl();
        if (admin.isEmpty())
            QSKIP("TMDASH_TEST_PG not set");
        auto probe = Database::open(admin);
        QVERIFY2(probe, qPrintable(probe.error().message));
        Database db = *probe;
        bool serverTls = false;
        {
            QSqlQuery q(db.connection());
            QVERIFY(q.exec(QStringLiteral("SHOW ssl")) && q.next());
            serverTls = q.value(0).toString() == QLatin1String("on");
        }
        db.close();
        QUrl url(admin);
        url.setQuery(QStringLiteral("sslmode=disable"));
        auto plain = Database::open(url.toString());
        QVERIFY2(plain, qPrintable(plain.error().message));
        Database(*plain).close();
        if (serverTls)
            QSKIP("the test server offers TLS: cannot show that sslmode=require is enforced");
        url.setQuery(QStringLiteral("sslmode=require"));
        auto tls = Database::open(url.toString());
        QVERIFY(!tls);
        QCOMPARE(tls.error().code, ErrorCode::Storage);
        QVERIFY2(tls.error().message.contains(QLatin1String("SSL"), Qt::CaseInsensitive),
                 qPrintable(tls.error().message));
        QVERIFY(tls.error().message.contains(QLatin1String("sslmode=require")));
    }
};

QTEST_GUILESS_MAIN(TestDatabaseUrl)
#include "tst_databaseurl.moc"
