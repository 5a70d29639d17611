#include "ids.h"

#include <QDateTime>
#include <QSet>
#include <QTest>

using namespace tmdash;

class TestIds : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void uuidV7HasVersionVariantAndTime()
    {
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const QString id = newUuidV7();
        QVERIFY(isUuid(id));
        QCOMPARE(id.at(14), QLatin1Char('7'));
        QVERIFY(QStringLiteral("89ab").contains(id.at(19)));
        const qint64 ms = QString(id.left(8) + id.mid(9, 4)).toLongLong(nullptr, 16);
        QVERIFY(ms >= before && ms <= QDateTime::currentMSecsSinceEpoch());
    }
    void uuidsAreUnique()
    {
        QSet<QString> seen;
        for (int i = 0; i < 10000; ++i)
            seen.insert(newUuidV7());
        QCOMPARE(seen.size(), 10000);
    }
    void isUuidRefusesMalformed()
    {
        QVERIFY(!isUuid(QStringLiteral("not-a-uuid")));
        QVERIFY(!isUuid(QStringLiteral("0190a3c2-1111-7abc-8def-00112233445")));
        QVERIFY(isUuid(QStringLiteral("0190a3c2-1111-7abc-8def-001122334455")));
    }
};

QTEST_GUILESS_MAIN(TestIds)
#include "tst_ids.moc"
