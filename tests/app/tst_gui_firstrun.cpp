// The desktop's first run on an empty database, driven through the real dialog: set up against
// the test central (first sync with progress), cancel a long first sync cleanly and finish it
// later, or open demo data.

#include "firstrun.h"
#include "outbox.h"
#include "setupdialog.h"
#include "testsupport.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include <functional>

using namespace tmdash;

class TestFirstRun : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("guifirstrun")};
    Database m_central;
    QString m_centralUrl;
    ClinicId m_clinic;

    // Runs runFirstRun (modal) while `drive` works the dialog from the event loop.
    bool firstRun(const Database &db, const QString &url, const std::function<void(SetupDialog *)> &drive)
    {
        QTimer::singleShot(0, this, [drive] {
            auto *dialog = qobject_cast<SetupDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            // A failed check must not leave the modal dialog open for ever.
            QTimer::singleShot(120000, dialog, &QDialog::reject);
            drive(dialog);
        });
        return runFirstRun(db, url, QString(), QString());
    }

    static QString message(SetupDialog *d)
    {
        return d->findChild<QLabel *>(QStringLiteral("message"))->text();
    }

    static void click(SetupDialog *d, const char *name)
    {
        auto *button = d->findChild<QPushButton *>(QString::fromLatin1(name));
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
    }

    static void enterCentral(SetupDialog *d, const QString &url, const QString &clinic)
    {
        click(d, "setUp");
        auto *central = d->findChild<QLineEdit *>(QStringLiteral("centralUrl"));
        central->clear();
        QTest::keyClicks(central, url);
        QTest::keyClicks(d->findChild<QLineEdit *>(QStringLiteral("clinicId")), clinic);
    }

    static qint64 count(const Database &db, const QString &table)
    {
        QSqlQuery q(db.connection());
        if (!q.exec(QStringLiteral("SELECT count(*) FROM ") + table) || !q.next())
            return -1;
        return q.value(0).toLongLong();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (test::requirePostgresUrl().isEmpty())
            QSKIP("TMDASH_TEST_PG is not set");
        m_central = m_factory.create(SqlDialect::Postgres);
        m_centralUrl = m_factory.lastUrl();
        m_clinic = test::insertClinic(m_central);
        test::insertUser(m_central, m_clinic, Role::Staff, QStringLiteral("desk@north.example"));
        // Enough patients, in enough transactions (a pulled page always finishes the
        // transaction it is in), that a first sync in small pages takes many steps.
        QSqlQuery q(m_central.connection());
        for (int batch = 0; batch < 300; ++batch)
            QVERIFY2(q.exec(QStringLiteral(
                         "INSERT INTO patients (id, clinic_id, mrn, given_name, family_name, birth_date, sex, "
                         "created_at, updated_at) SELECT gen_random_uuid(), '%1', 'FR-' || g, 'Given' || g, "
                         "'Family', DATE '1980-01-01' + g, 'female', now(), now() "
                         "FROM generate_series(%2, %3) g")
                                    .arg(m_clinic.value)
                                    .arg(batch * 10 + 1)
                                    .arg(batch * 10 + 10)),
                     qPrintable(q.lastError().text()));
    }

    void setUpAgainstTheCentral()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        const QString url = m_factory.lastUrl();
        QVERIFY(!hasClinic(db));
        QStringList progressSeen;
        const bool ready = firstRun(db, url, [&](SetupDialog *d) {
            QVERIFY(QTest::qWaitForWindowExposed(d));
            d->grab().save(QStringLiteral("screen-first-run.png"));
            // An empty address is refused with a message, nothing starts.
            click(d, "setUp");
            click(d, "connect");
            QVERIFY(message(d).contains(QStringLiteral("central")));
            click(d, "cancel"); // nothing running: closes the dialog
        });
        QVERIFY(!ready); // cancelled without setting up: nothing to log in to
        QVERIFY(!hasClinic(db));

        const bool done = firstRun(db, url, [&](SetupDialog *d) {
            enterCentral(d, m_centralUrl, m_clinic.value);
            click(d, "connect");
            QTRY_VERIFY_WITH_TIMEOUT(!d->isVisible() || message(d).startsWith(QStringLiteral("pulled")), 30000);
            progressSeen << message(d);
        });
        QVERIFY(done);
        QVERIFY(hasClinic(db));
        QCOMPARE(count(db, QStringLiteral("patients")), 3000);
        QCOMPARE(count(db, QStringLiteral("users")), 1);
        QUrl remembered(rememberedCentral(db));
        QCOMPARE(remembered.host(), QUrl(m_centralUrl).host());
        QVERIFY(remembered.password().isEmpty());
    }

    void longFirstSyncIsCancelledCleanlyAndFinishedLater()
    {
        qputenv("TMDASH_SYNC_PULL_PAGE", "1"); // thousands of steps: the cancel lands mid-way
        Database db = m_factory.create(SqlDialect::Sqlite);
        const QString url = m_factory.lastUrl();
        QString afterCancel;
        const bool ready = firstRun(db, url, [&](SetupDialog *d) {
            enterCentral(d, m_centralUrl, m_clinic.value);
            click(d, "connect");
            QTRY_VERIFY_WITH_TIMEOUT(message(d).startsWith(QStringLiteral("pulled")), 30000);
            click(d, "cancel");
            QTRY_VERIFY_WITH_TIMEOUT(message(d).contains(QStringLiteral("cancelled")), 30000);
            afterCancel = message(d);
            QVERIFY(d->isVisible()); // the person may try again
            const qint64 partial = count(db, QStringLiteral("patients"));
            QVERIFY2(partial > 0 && partial < 3000, qPrintable(QString::number(partial)));
            click(d, "cancel"); // now closes
        });
        QVERIFY(!ready || hasClinic(db));
        QVERIFY(afterCancel.contains(QStringLiteral("kept")));
        // The next start goes on from where the cancelled sync stopped.
        qunsetenv("TMDASH_SYNC_PULL_PAGE");
        const bool done = firstRun(db, url, [&](SetupDialog *d) {
            enterCentral(d, m_centralUrl, QString()); // the clinic is remembered
            click(d, "connect");
        });
        QVERIFY(done);
        QCOMPARE(count(db, QStringLiteral("patients")), 3000);
    }

    void demoData()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        const bool ready = firstRun(db, m_factory.lastUrl(), [](SetupDialog *d) { click(d, "openDemo"); });
        QVERIFY(ready);
        QVERIFY(count(db, QStringLiteral("patients")) > 0);
        QCOMPARE(syncStateValue(db, QStringLiteral("demo")).value(), QStringLiteral("1"));
    }
};

QTEST_MAIN(TestFirstRun)
#include "tst_gui_firstrun.moc"
