#include "clock.h"

#include <QTest>

using namespace tmdash;

class TestClock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseInstant_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("canonical"); // empty: refused
        QTest::newRow("utc with fraction") << "2026-03-04T05:06:07.123Z" << "2026-03-04T05:06:07.123Z";
        QTest::newRow("utc no fraction") << "2026-03-04T05:06:07Z" << "2026-03-04T05:06:07.000Z";
        QTest::newRow("minutes only") << "2026-03-04T05:06Z" << "2026-03-04T05:06:00.000Z";
        QTest::newRow("positive offset") << "2026-03-04T05:06:07+02:00" << "2026-03-04T03:06:07.000Z";
        QTest::newRow("negative offset compact") << "2026-03-04T23:30:00-0130" << "2026-03-05T01:00:00.000Z";
        QTest::newRow("microseconds truncated") << "2026-03-04T05:06:07.123456Z" << "2026-03-04T05:06:07.123Z";
        QTest::newRow("no zone refused") << "2026-03-04T05:06:07" << "";
        QTest::newRow("bad month refused") << "2026-13-04T05:06:07Z" << "";
        QTest::newRow("bad hour refused") << "2026-03-04T24:06:07Z" << "";
        QTest::newRow("garbage refused") << "yesterday" << "";
        QTest::newRow("canonical, bad day refused") << "2026-02-30T05:06:07.000Z" << "";
        QTest::newRow("canonical shape, bad minute refused") << "2026-03-04T05:60:07.000Z" << "";
        QTest::newRow("lower-case z") << "2026-03-04T05:06:07.000z" << "2026-03-04T05:06:07.000Z";
    }
    void parseInstant()
    {
        QFETCH(QString, input);
        QFETCH(QString, canonical);
        const auto parsed = tmdash::parseInstant(input);
        if (canonical.isEmpty()) {
            QVERIFY(!parsed);
        } else {
            QVERIFY(parsed);
            QCOMPARE(formatInstant(*parsed), canonical);
        }
    }
    void canonicalTextOrderIsTimeOrder()
    {
        const QDateTime a = *tmdash::parseInstant(QStringLiteral("2026-01-01T09:59:59.999Z"));
        const QDateTime b = a.addMSecs(1);
        QVERIFY(formatInstant(a) < formatInstant(b));
    }
    // formatInstant is written by hand: it must agree with Qt's formatting of the same
    // pattern for every instant, whatever zone the value is in.
    void formatInstantMatchesTheCanonicalPattern()
    {
        QCOMPARE(formatInstant(QDateTime()), QString());
        QCOMPARE(formatInstant(QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC)),
                 QStringLiteral("0001-01-01T00:00:00.000Z"));
        QCOMPARE(formatInstant(QDateTime(QDate(2026, 3, 4), QTime(23, 30), Qt::OffsetFromUTC, -5400)),
                 QStringLiteral("2026-03-05T01:00:00.000Z"));
        quint64 state = 20261127;
        for (int i = 0; i < 5000; ++i) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            // Anywhere from year 1 to 9999, to the millisecond.
            const qint64 ms = -62135596800000LL + qint64((state >> 11) % 315537897600000ULL);
            const QDateTime utc = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
            const QDateTime shifted = utc.toOffsetFromUtc(int((state >> 3) % 100000) - 50000);
            const QString expected = utc.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
            QCOMPARE(formatInstant(utc), expected);
            QCOMPARE(formatInstant(shifted), expected);
            // ... and the canonical text reads back as the same instant, in UTC.
            const auto parsed = tmdash::parseInstant(expected);
            QVERIFY(parsed);
            QCOMPARE(*parsed, utc);
            QCOMPARE(parsed->timeSpec(), Qt::UTC);
        }
    }
    void parseDate_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<bool>("valid");
        QTest::newRow("ok") << "2024-02-29" << true;
        QTest::newRow("not leap") << "2023-02-29" << false;
        QTest::newRow("short") << "2024-2-3" << false;
        QTest::newRow("with time") << "2024-02-03T00:00Z" << false;
    }
    void parseDate()
    {
        QFETCH(QString, input);
        QFETCH(bool, valid);
        QCOMPARE(tmdash::parseDate(input).has_value(), valid);
    }
};

QTEST_GUILESS_MAIN(TestClock)
#include "tst_clock.moc"
