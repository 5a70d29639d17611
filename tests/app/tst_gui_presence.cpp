#include "desktoppresence.h"
#include "ids.h"
#include "mainwindow.h"
#include "patientchart.h"
#include "patientform.h"
#include "patientspage.h"
#include "patientstore.h"
#include "testsupport.h"

#include <QLabel>
#include <QPointer>
#include <QStandardPaths>
#include <QTest>

using namespace tmdash;

// Presence on the desktop, against the test Redis: while a person has a patient's edit form open
// the other desktops see them in the chart and the form, the mark is refreshed while the form
// stays open and removed when it closes.
class TestPresence : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("guipresence")};
    QString m_redis;
    Database m_db;
    ClinicId m_clinic;
    test::TestUser m_desk;
    Patient m_patient;

    QStringList holders(const QString &record) const
    {
        QStringList devices;
        auto list = editors(m_redis, m_clinic, record);
        if (list)
            for (const PresenceHolder &h : *list)
                devices << h.device_id;
        return devices;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_redis = test::requireRedisUrl();
        if (m_redis.isEmpty())
            QSKIP("TMDASH_TEST_REDIS not set");
        m_db = m_factory.create(SqlDialect::Sqlite);
        m_clinic = test::insertClinic(m_db);
        m_desk = test::insertUser(m_db, m_clinic, Role::Staff, QStringLiteral("desk@north.example"));
        Patient p;
        p.given_name = QStringLiteral("Rosa");
        p.family_name = QStringLiteral("Parks");
        p.birth_date = QDate(1960, 2, 4);
        auto created = PatientStore(m_db, m_desk.principal).create(p);
        QVERIFY(created);
        m_patient = *created;
    }

    void othersEditingTheSameRecordAreShown()
    {
        MainWindow window(m_db, m_desk.principal, QStringLiteral("desk@north.example"));
        PresenceHolder me;
        me.user_id = m_desk.id;
        me.display_name = QStringLiteral("Front Desk");
        me.device_id = newUuidV7();
        auto presence = std::make_unique<DesktopPresence>(&window, m_redis, m_clinic, me, 100);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        PatientChart *chart = window.patientsPage()->openChart(m_patient.id);
        QVERIFY(chart);
        auto *chartNotice = chart->findChild<QLabel *>(QStringLiteral("presence"));
        QVERIFY(chartNotice);

        // Someone on another desktop edits the same patient.
        PresenceHolder grace;
        grace.user_id = UserId(newUuidV7());
        grace.display_name = QStringLiteral("Grace Hopper");
        grace.device_id = newUuidV7();
        grace.since = QDateTime::currentDateTimeUtc();
        QVERIFY(markEditing(m_redis, m_clinic, m_patient.id.value, grace, 30));

        QPointer<PatientForm> form = chart->editPatient();
        QVERIFY(form);
        QVERIFY(QTest::qWaitForWindowExposed(form));
        auto *formNotice = form->findChild<QLabel *>(QStringLiteral("presence"));
        QVERIFY(formNotice);
        QTRY_VERIFY_WITH_TIMEOUT(formNotice->isVisible(), 5000);
        QVERIFY2(formNotice->text().contains(QStringLiteral("Grace Hopper")), qPrintable(formNotice->text()));
        QVERIFY(chartNotice->text().contains(QStringLiteral("Grace Hopper")));
        QVERIFY2(!formNotice->text().contains(QStringLiteral("Front Desk")), "one's own mark is not shown");
        // This desktop is marked as editing too, for the others to see.
        QTRY_VERIFY(holders(m_patient.id.value).contains(me.device_id));
        QVERIFY(form->grab().save(QStringLiteral("presence.png")));

        // Grace closes her form: the notice goes at the next refresh.
        QVERIFY(stopEditing(m_redis, m_clinic, m_patient.id.value, grace));
        QTRY_VERIFY_WITH_TIMEOUT(!formNotice->isVisible(), 5000);
        QVERIFY(!chartNotice->isVisible());

        // Closing the form removes this desktop's mark.
        form->close();
        QTRY_VERIFY_WITH_TIMEOUT(!holders(m_patient.id.value).contains(me.device_id), 5000);

        // Open again, then the desktop goes: its marks go with it.
        QVERIFY(chart->editPatient());
        QTRY_VERIFY_WITH_TIMEOUT(holders(m_patient.id.value).contains(me.device_id), 5000);
        presence.reset();
        QVERIFY(!holders(m_patient.id.value).contains(me.device_id));
    }

    void unreachableRedisShowsNobodyAndNeverBlocks()
    {
        MainWindow window(m_db, m_desk.principal, QStringLiteral("desk@north.example"));
        PresenceHolder me;
        me.user_id = m_desk.id;
        me.device_id = newUuidV7();
        // A closed port: every call fails at once.
        DesktopPresence presence(&window, QStringLiteral("redis://127.0.0.1:1"), m_clinic, me, 100);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        PatientChart *chart = window.patientsPage()->openChart(m_patient.id);
        QPointer<PatientForm> form = chart->editPatient();
        QVERIFY(form);
        QTest::qWait(300); // a few refreshes, each failing
        QVERIFY(form->isVisible());
        QVERIFY(!form->findChild<QLabel *>(QStringLiteral("presence"))->isVisible());
        form->close();
    }
};

QTEST_MAIN(TestPresence)
#include "tst_gui_presence.moc"
