// The desktop with its sync engine wired in (app/desktop/desktopsync.*): the status bar follows
// sync, "Sync now" runs it, and a change pushed by another desktop appears in the open patient
// table in place (no model reset, the selection kept).

#include "desktopsync.h"
#include "mainwindow.h"
#include "patientspage.h"
#include "patientstore.h"
#include "synchronizer.h"
#include "testsupport.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace tmdash;

class TestDesktopSync : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("guidesktopsync")};
    Database m_central;
    QString m_centralUrl;
    ClinicId m_clinic;
    test::TestUser m_staff;

    static Patient patient(const QString &given)
    {
        Patient p;
        p.given_name = given;
        p.family_name = QStringLiteral("Lindqvist");
        p.birth_date = QDate(1975, 4, 3);
        p.sex = Sex::Female;
        return p;
    }

    SyncOptions options() const
    {
        SyncOptions o;
        o.centralUrl = m_centralUrl;
        o.clinic = m_clinic.value;
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (test::requirePostgresUrl().isEmpty())
            QSKIP("TMDASH_TEST_PG is not set");
        m_central = m_factory.create(SqlDialect::Postgres);
        m_centralUrl = m_factory.lastUrl();
        m_clinic = test::insertClinic(m_central);
        m_staff = test::insertUser(m_central, m_clinic, Role::Staff, QStringLiteral("desk@north.example"));
    }

    void anotherDesktopsChangeAppearsInPlace()
    {
        Database mine = m_factory.create(SqlDialect::Sqlite, false);
        const QString mineUrl = m_factory.lastUrl();
        Database other = m_factory.create(SqlDialect::Sqlite, false);
        QVERIFY(Synchronizer(other, options()).runOnce());
        const auto shared = PatientStore(other, m_staff.principal).create(patient(QStringLiteral("Ines")));
        QVERIFY(shared);
        QVERIFY(PatientStore(other, m_staff.principal).create(patient(QStringLiteral("Jonna"))));
        QVERIFY(Synchronizer(other, options()).runOnce());
        QVERIFY(Synchronizer(mine, options()).runOnce());

        MainWindow window(mine, m_staff.principal, QStringLiteral("desk@north.example"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *table = window.findChild<QTableView *>(QStringLiteral("patientTable"));
        QVERIFY(table);
        QTRY_COMPARE(table->model()->rowCount(), 2);
        const auto rowOf = [table](const QString &given) {
            for (int r = 0; r < table->model()->rowCount(); ++r)
                for (int c = 0; c < table->model()->columnCount(); ++c)
                    if (table->model()->index(r, c).data().toString() == given)
                        return r;
            return -1;
        };
        table->selectRow(rowOf(QStringLiteral("Jonna")));
        QSignalSpy resets(table->model(), &QAbstractItemModel::modelReset);

        SyncEngineSettings settings;
        settings.localUrl = mineUrl;
        settings.sync.centralUrl = m_centralUrl;
        settings.pollSeconds = 1; // no Redis here: the engine polls
        DesktopSync sync(&window, settings);
        auto *state = window.findChild<QLabel *>(QStringLiteral("syncState"));
        QVERIFY(state);
        QTRY_VERIFY_WITH_TIMEOUT(state->text().startsWith(QStringLiteral("Online")), 10000);
        QVERIFY(window.syncNowAction()->isEnabled());

        Patient edited = PatientStore(other, m_staff.principal).get(shared->id).value();
        edited.given_name = QStringLiteral("Inez");
        QVERIFY(PatientStore(other, m_staff.principal).update(edited));
        QVERIFY(Synchronizer(other, options()).runOnce());

        QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("Inez")) >= 0, 15000);
        QCOMPARE(resets.size(), 0);
        const QModelIndexList selected = table->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().row(), rowOf(QStringLiteral("Jonna")));
        window.grab().save(QStringLiteral("screenshot-main-window-synced.png"));

        // A local change is sent without asking, and the status bar says when nothing waits.
        QVERIFY(PatientStore(mine, m_staff.principal).create(patient(QStringLiteral("Kaja"))));
        QTRY_VERIFY_WITH_TIMEOUT(
            PatientStore(m_central, m_staff.principal).search(QStringLiteral("Kaja")).value().size() == 1, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!state->text().contains(QStringLiteral("to send")), 10000);
    }

    void withoutACentralTheDesktopSaysSo()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        test::insertUser(db, test::insertClinic(db), Role::Staff, QStringLiteral("solo@north.example"));
        MainWindow window(db, Principal::owner(), QStringLiteral("solo@north.example"));
        auto *state = window.findChild<QLabel *>(QStringLiteral("syncState"));
        QVERIFY(state->text().contains(QStringLiteral("no central")));
        QVERIFY(!window.syncNowAction()->isEnabled());
    }
};

QTEST_MAIN(TestDesktopSync)
#include "tst_gui_desktopsync.moc"
