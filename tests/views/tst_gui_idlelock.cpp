#include "idlelock.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace tmdash;

// The session lock after idle time: typing keeps the session open, silence locks it.
class TestIdleLock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultIsTenMinutes()
    {
        qunsetenv("TMDASH_IDLE_LOCK_MINUTES");
        QCOMPARE(IdleLock::defaultIdleMilliseconds(), 10 * 60 * 1000);
        qputenv("TMDASH_IDLE_LOCK_MINUTES", "3");
        QCOMPARE(IdleLock::defaultIdleMilliseconds(), 3 * 60 * 1000);
        qputenv("TMDASH_IDLE_LOCK_MINUTES", "nonsense");
        QCOMPARE(IdleLock::defaultIdleMilliseconds(), 10 * 60 * 1000);
        qunsetenv("TMDASH_IDLE_LOCK_MINUTES");
    }

    void locksAfterIdleAndTypingKeepsItOpen()
    {
        QLineEdit field;
        field.show();
        QVERIFY(QTest::qWaitForWindowExposed(&field));
        IdleLock lock;
        lock.setIdleMilliseconds(400);
        QSignalSpy locked(&lock, &IdleLock::lockRequested);
        // Not watching before a login.
        QTest::qWait(600);
        QCOMPARE(locked.count(), 0);

        lock.start();
        // Keep typing for well over the idle time: no lock.
        for (int i = 0; i < 8; ++i) {
            QTest::qWait(150);
            QTest::keyClick(&field, Qt::Key_A);
        }
        QCOMPARE(locked.count(), 0);
        QCOMPARE(field.text(), QStringLiteral("aaaaaaaa"));
        // Then stop: it locks once.
        QVERIFY(locked.wait(2000));
        QCOMPARE(locked.count(), 1);
        QVERIFY(!lock.isWatching());
    }
};

QTEST_MAIN(TestIdleLock)
#include "tst_gui_idlelock.moc"
