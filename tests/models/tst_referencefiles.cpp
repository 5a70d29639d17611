#include <QFile>
#include <QTest>

class TestReferenceFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void passwordBlocklistIsCompiledIn()
    {
        QFile f(QStringLiteral(":/reference/common-passwords.txt"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QVERIFY(lines.contains("password"));
        QVERIFY(lines.size() >= 10000);
    }
};

QTEST_GUILESS_MAIN(TestReferenceFiles)
#include "tst_referencefiles.moc"
