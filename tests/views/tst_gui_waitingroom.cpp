#include "appointmentdialog.h"
#include "appointmentstore.h"
#include "clock.h"
#include "mainwindow.h"
#include "patientspage.h"
#include "patientstore.h"
#include "schedulemodel.h"
#include "schedulepage.h"
#include "guisupport.h"
#include "testsupport.h"
#include "waitingroommodel.h"
#include "waitingroompage.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QToolButton>

using namespace tmdash;
using tmdash::test::clickButton;
using tmdash::test::showAndActivate;

namespace {

const QString kCreated = QStringLiteral("2026-01-01T00:00:00.000Z");
const QTimeZone kNewYork("America/New_York");
// "Today" in these tests: Monday 2 March 2026, 08:50 in New York (EST).
const QDate kMonday(2026, 3, 2);

QDateTime local(QDate day, int hour, int minute = 0)
{
    return QDateTime(day, QTime(hour, minute), kNewYork).toUTC();
}

} // namespace

// The Waiting room board in the main window: checking a patient in from the schedule puts them
// on the board at once, the waiting time moves on, starting the visit changes the status in
// place and completing it takes the patient off. Also the main window's wiring: the Schedule
// menu, recordsChanged reaching every page, and the remembered geometry and tab.
class TestWaitingRoom : public QObject
{
    Q_OBJECT

    QTemporaryDir m_settingsDir;
    test::DatabaseFactory m_factory{QStringLiteral("guiwaitingroom")};
    Database m_db;
    ClinicId m_clinic;
    test::TestUser m_desk;
    ProviderId m_grace;
    ProviderId m_henry;
    Patient m_rosa;
    Patient m_ada;
    qint64 m_offset = 0;

    void insert(QStringView table, Row row) const
    {
        row.insert(QStringLiteral("created_at"), kCreated);
        row.insert(QStringLiteral("updated_at"), kCreated);
        if (Status s = RecordTable(m_db, table).insert(row); !s)
            qFatal("inserting into %s failed: %s", qPrintable(table.toString()),
                   qPrintable(s.error().message));
    }

    ProviderId addProvider(const QString &given, const QString &family, const QString &npi,
                           const QString &room) const
    {
        const QString user = newUuidV7();
        insert(u"users", {{QStringLiteral("id"), user},
                          {QStringLiteral("clinic_id"), m_clinic.value},
                          {QStringLiteral("email"), QString(given.toLower() + QStringLiteral("@north.example"))},
                          {QStringLiteral("given_name"), given},
                          {QStringLiteral("family_name"), family},
                          {QStringLiteral("role"), QStringLiteral("provider")},
                          {QStringLiteral("status"), QStringLiteral("active")}});
        const QString id = newUuidV7();
        insert(u"providers", {{QStringLiteral("id"), id},
                              {QStringLiteral("clinic_id"), m_clinic.value},
                              {QStringLiteral("user_id"), user},
                              {QStringLiteral("npi"), npi},
                              {QStringLiteral("license_number"), QStringLiteral("L-1")},
                              {QStringLiteral("default_slot_minutes"), 15}});
        for (int weekday = 1; weekday <= 5; ++weekday)
            insert(u"provider_availability", {{QStringLiteral("id"), newUuidV7()},
                                              {QStringLiteral("clinic_id"), m_clinic.value},
                                              {QStringLiteral("provider_id"), id},
                                              {QStringLiteral("weekday"), weekday},
                                              {QStringLiteral("start_time"), QStringLiteral("09:00")},
                                              {QStringLiteral("end_time"), QStringLiteral("17:00")},
                                              {QStringLiteral("room"), room}});
        return ProviderId(id);
    }

    Patient addPatient(const QString &given, const QString &family) const
    {
        Patient p;
        p.given_name = given;
        p.family_name = family;
        p.birth_date = QDate(1970, 1, 1);
        auto created = PatientStore(m_db, m_desk.principal).create(p);
        if (!created)
            qFatal("cannot create a patient: %s", qPrintable(created.error().message));
        return *created;
    }

    Appointment book(const Patient &patient, const ProviderId &provider, int hour, int minute,
                     const QString &room)
    {
        Appointment a;
        a.patient_id = patient.id;
        a.provider_id = provider;
        a.start_at = local(kMonday, hour, minute);
        a.duration_minutes = 30;
        a.room = room;
        a.reason = QStringLiteral("Check-up");
        auto stored = AppointmentStore(m_db, m_desk.principal).create(a);
        if (!stored)
            qFatal("cannot book: %s", qPrintable(stored.error().message));
        return *stored;
    }

    // Moves this process's clock on.
    void advanceMinutes(int minutes)
    {
        m_offset += qint64(minutes) * 60;
        setClockOffsetSeconds(m_offset);
    }

    static void clickTab(MainWindow &window, QWidget *page)
    {
        QTabBar *bar = window.tabs()->tabBar();
        const int index = window.tabs()->indexOf(page);
        QVERIFY(index >= 0);
        QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(index).center());
        QCOMPARE(window.tabs()->currentWidget(), page);
    }

    // Selects the appointment's cell in the schedule with the mouse.
    static void clickAppointment(SchedulePage *schedule, const Appointment &a)
    {
        const QModelIndex index = schedule->scheduleModel()->indexOf(a.id.value);
        QVERIFY(index.isValid());
        QTableView *table = schedule->table();
        table->scrollTo(index);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
        QCOMPARE(schedule->selectedAppointment()->id, a.id);
    }

    // The board's text for the appointment in a column, through the view's proxy.
    static QString boardText(WaitingRoomPage *board, const Appointment &a, int column)
    {
        QAbstractItemModel *shown = board->table()->model();
        for (int r = 0; r < shown->rowCount(); ++r)
            if (shown->index(r, 0).data(WaitingRoomModel::AppointmentIdRole).toString() == a.id.value)
                return shown->index(r, column).data().toString();
        return QStringLiteral("<not on the board>");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    }

    void init()
    {
        m_offset = QDateTime::currentDateTimeUtc().secsTo(local(kMonday, 8, 50));
        setClockOffsetSeconds(m_offset);
        m_db = m_factory.create(SqlDialect::Sqlite);
        m_clinic = test::insertClinic(m_db);
        m_desk = test::insertUser(m_db, m_clinic, Role::Staff, QStringLiteral("desk@north.example"));
        m_grace = addProvider(QStringLiteral("Grace"), QStringLiteral("Hopper"),
                              QStringLiteral("1234567893"), QStringLiteral("Exam 1"));
        m_henry = addProvider(QStringLiteral("Henry"), QStringLiteral("Gray"),
                              QStringLiteral("1245319599"), QStringLiteral("Exam 2"));
        m_rosa = addPatient(QStringLiteral("Rosa"), QStringLiteral("Marquez"));
        m_ada = addPatient(QStringLiteral("Ada"), QStringLiteral("Lovelace"));
        QSettings(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("TMDash"),
                  QStringLiteral("TMDash Clinic"))
            .clear();
    }

    void cleanup() { setClockOffsetSeconds(0); }

    void checkInStartAndCompleteMoveTheBoard()
    {
        const Appointment rosa = book(m_rosa, m_grace, 9, 0, QStringLiteral("Exam 1"));
        const Appointment ada = book(m_ada, m_henry, 9, 0, QStringLiteral("Exam 2"));
        MainWindow window(m_db, m_desk.principal, QStringLiteral("desk@north.example"));
        window.resize(1280, 800);
        showAndActivate(&window);
        SchedulePage *schedule = window.schedulePage();
        WaitingRoomPage *board = window.waitingRoomPage();
        QVERIFY(schedule && board);
        WaitingRoomModel *model = board->boardModel();
        QAbstractItemModelTester scheduleTester(schedule->scheduleModel(),
                                                QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester boardTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester sortTester(board->sortModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Tabs in order: Patients, Schedule, Waiting room.
        QCOMPARE(window.tabs()->indexOf(window.patientsPage()), 0);
        QCOMPARE(window.tabs()->indexOf(schedule), 1);
        QCOMPARE(window.tabs()->indexOf(board), 2);
        QCOMPARE(model->rowCount(), 0);
        QCOMPARE(model->day(), kMonday);
        QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy resets(model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(model, &QAbstractItemModel::dataChanged);

        // Check Rosa in from the schedule: the board has her at once (no waiting for a timer).
        clickTab(window, schedule);
        clickAppointment(schedule, rosa);
        clickButton(schedule, "checkInButton");
        QCOMPARE(AppointmentStore(m_db, m_desk.principal).get(rosa.id)->status,
                 AppointmentStatus::CheckedIn);
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(boardText(board, rosa, WaitingRoomModel::PatientColumn), QStringLiteral("Rosa Marquez"));
        QCOMPARE(boardText(board, rosa, WaitingRoomModel::ProviderColumn), QStringLiteral("Grace Hopper"));
        QCOMPARE(boardText(board, rosa, WaitingRoomModel::RoomColumn), QStringLiteral("Exam 1"));
        QCOMPARE(boardText(board, rosa, WaitingRoomModel::StatusColumn), QStringLiteral("Checked in"));
        QCOMPARE(boardText(board, rosa, WaitingRoomModel::SinceColumn), QStringLiteral("08:50"));
        QCOMPARE(boardText(board, rosa, WaitingRoomModel::WaitingColumn), QStringLiteral("0 min"));

        // Twelve minutes later, Ada checks in by keyboard; the 30-second tick moves the waiting
        // times on in place.
        advanceMinutes(12);
        clickAppointment(schedule, ada);
        QTest::keyClick(schedule->table(), Qt::Key_I, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->tickTimer()->interval(), 30 * 1000);
        QVERIFY(model->tickTimer()->isActive());
        changed.clear();
        model->tick();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().column(), int(WaitingRoomModel::WaitingColumn));
        QCOMPARE(changed.first().at(1).toModelIndex().column(), int(WaitingRoomModel::WaitingColumn));
        QCOMPARE(boardText(board, rosa, WaitingRoomModel::WaitingColumn), QStringLiteral("12 min"));
        QCOMPARE(boardText(board, ada, WaitingRoomModel::WaitingColumn), QStringLiteral("0 min"));
        // Longest wait first.
        QCOMPARE(board->table()->model()->index(0, WaitingRoomModel::PatientColumn).data().toString(),
                 QStringLiteral("Rosa Marquez"));
        clickTab(window, board);
        QVERIFY(board->findChild<QLabel *>(QStringLiteral("waitingSummary"))
                    ->text()
                    .contains(QStringLiteral("2 waiting, 0 with a provider")));
        QVERIFY(window.grab().save(QStringLiteral("waitingroom.png")));

        // Grace starts Rosa's visit: the status changes in place.
        clickTab(window, schedule);
        clickAppointment(schedule, rosa);
        changed.clear();
        clickButton(schedule, "startButton");
        QCOMPARE(model->rowCount(), 2);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(boardText(board, rosa, WaitingRoomModel::StatusColumn), QStringLiteral("In progress"));
        QCOMPARE(boardText(board, rosa, WaitingRoomModel::WaitingColumn), QStringLiteral("in visit 0 min"));

        // Completed: Rosa leaves the board; Ada stays.
        clickButton(schedule, "completeButton");
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(boardText(board, rosa, WaitingRoomModel::PatientColumn),
                 QStringLiteral("<not on the board>"));
        QCOMPARE(boardText(board, ada, WaitingRoomModel::StatusColumn), QStringLiteral("Checked in"));
        QCOMPARE(resets.size(), 0);
        QCOMPARE(inserted.size(), 2);
    }

    void changesFromSyncReachEveryPage()
    {
        const Appointment rosa = book(m_rosa, m_grace, 9, 0, QStringLiteral("Exam 1"));
        MainWindow window(m_db, m_desk.principal, QStringLiteral("desk@north.example"));
        WaitingRoomModel *model = window.waitingRoomPage()->boardModel();
        QAbstractItemModelTester boardTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ScheduleModel *schedule = window.schedulePage()->scheduleModel();
        QAbstractItemModelTester scheduleTester(schedule, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy scheduleResets(schedule, &QAbstractItemModel::modelReset);
        QCOMPARE(model->rowCount(), 0);

        // Another desktop checked Rosa in; sync names the record.
        QVERIFY(AppointmentStore(m_db, m_desk.principal).checkIn(rosa.id));
        window.recordsChanged({rosa.id.value});
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(model->appointmentAt(0).id, rosa.id);
        QCOMPARE(schedule->indexOf(rosa.id.value).data(ScheduleModel::StatusRole).toString(),
                 QStringLiteral("checked_in"));
        QCOMPARE(scheduleResets.size(), 0);

        // Then cancelled there: off the board.
        QVERIFY(AppointmentStore(m_db, m_desk.principal).cancel(rosa.id, QStringLiteral("Left")));
        window.recordsChanged({rosa.id.value});
        QCOMPARE(model->rowCount(), 0);
    }

    void scheduleMenuCarriesTheActions()
    {
        MainWindow window(m_db, m_desk.principal, QStringLiteral("desk@north.example"));
        showAndActivate(&window);
        auto *menu = window.findChild<QMenu *>(QStringLiteral("scheduleMenu"));
        QVERIFY(menu);
        QAction *book = window.schedulePage()->newAppointmentAction();
        QVERIFY(menu->actions().contains(book));
        QCOMPARE(book->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
        for (auto action : {AppointmentAction::Confirm, AppointmentAction::CheckIn,
                            AppointmentAction::Start, AppointmentAction::Complete,
                            AppointmentAction::NoShow, AppointmentAction::Cancel}) {
            QVERIFY(menu->actions().contains(window.schedulePage()->actionFor(action)));
            QVERIFY(!window.schedulePage()->actionFor(action)->shortcut().isEmpty());
        }
        QVERIFY(menu->actions().contains(window.schedulePage()->rescheduleAction()));

        // From the Patients tab, Ctrl+Shift+A brings the schedule up with the booking dialog.
        QCOMPARE(window.tabs()->currentWidget(), window.patientsPage());
        QTest::keyClick(&window, Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);
        QPointer<AppointmentDialog> dialog = window.schedulePage()->findChild<AppointmentDialog *>();
        QVERIFY(dialog);
        QCOMPARE(window.tabs()->currentWidget(), window.schedulePage());
        dialog->reject();
        QTRY_VERIFY(dialog.isNull());
    }

    void windowRemembersGeometryTabAndColumns()
    {
        {
            MainWindow window(m_db, m_desk.principal, QStringLiteral("desk@north.example"));
            showAndActivate(&window);
            window.resize(1010, 690);
            clickTab(window, window.waitingRoomPage());
            window.waitingRoomPage()->table()->setColumnWidth(WaitingRoomModel::PatientColumn, 301);
            window.patientsPage()->table()->setColumnWidth(1, 222);
            // The all-providers grid: columns share the width the person gave one of them.
            window.schedulePage()->table()->setColumnWidth(0, 155);
            window.close();
        }
        MainWindow again(m_db, m_desk.principal, QStringLiteral("desk@north.example"));
        QCOMPARE(again.tabs()->currentWidget(), again.waitingRoomPage());
        QCOMPARE(again.size(), QSize(1010, 690));
        QCOMPARE(again.waitingRoomPage()->table()->columnWidth(WaitingRoomModel::PatientColumn), 301);
        QCOMPARE(again.patientsPage()->table()->columnWidth(1), 222);
        QCOMPARE(again.schedulePage()->table()->columnWidth(0), 155);
        QCOMPARE(again.schedulePage()->scheduleModel()->columnCount(), 2);
    }
};

QTEST_MAIN(TestWaitingRoom)
#include "tst_gui_waitingroom.moc"
