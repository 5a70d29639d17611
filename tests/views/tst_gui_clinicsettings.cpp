#include "clinicsettingspage.h"
#include "clinicstore.h"
#include "clock.h"
#include "provideravailabilityeditor.h"
#include "provideravailabilitymodel.h"
#include "providerstore.h"
#include "providertimeoffmodel.h"
#include "guisupport.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace tmdash;
using tmdash::test::clickButton;
using tmdash::test::editCell;
using tmdash::test::showAndActivate;

// The Clinic settings tab of an admin: business hours checked per weekday and saved through
// ClinicStore, and a provider's weekly availability and time off edited in their tables and saved
// through ProviderStore, driven through the real widgets with keyboard and mouse.
class TestClinicSettings : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("guiclinicsettings")};
    Database m_db;
    ClinicId m_clinic;
    test::TestUser m_admin;
    Provider m_grace;

    static void typeInto(QWidget *parent, const QString &name, const QString &text)
    {
        auto *edit = parent->findChild<QLineEdit *>(name);
        QVERIFY2(edit, qPrintable(name));
        edit->setFocus();
        QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
    }

    Provider storedProvider() const
    {
        auto p = ProviderStore(m_db, m_admin.principal).get(m_grace.id);
        if (!p)
            qFatal("cannot read the provider: %s", qPrintable(p.error().message));
        return *p;
    }

private Q_SLOTS:
    void init()
    {
        m_db = m_factory.create(SqlDialect::Sqlite);
        m_clinic = test::insertClinic(m_db); // America/New_York, Mon-Fri open
        m_admin =
            test::insertUser(m_db, m_clinic, Role::Admin, QStringLiteral("boss@north.example"));
        const test::TestUser user =
            test::insertUser(m_db, m_clinic, Role::Provider, QStringLiteral("grace@north.example"));
        Provider p;
        p.user_id = user.id;
        p.npi = QStringLiteral("1234567893");
        p.license_number = QStringLiteral("MD-1");
        p.license_expires = todayUtc().addYears(3);
        p.specialty = QStringLiteral("Family medicine");
        ProviderAvailability monday;
        monday.weekday = 1;
        monday.start_time = QTime(9, 0);
        monday.end_time = QTime(17, 0);
        p.availability << monday;
        auto created = ProviderStore(m_db, m_admin.principal).create(p);
        QVERIFY2(created, qPrintable(created.error().message));
        m_grace = *created;
    }

    void businessHoursRefusedNamingTheField()
    {
        ClinicSettingsPage page(m_db, m_admin.principal);
        QVERIFY(page.isPermitted());
        showAndActivate(&page, {1300, 820});
        auto *save = page.findChild<QPushButton *>(QStringLiteral("saveClinic"));
        QVERIFY(save->isEnabled());
        QCOMPARE(
            page.findChild<QLineEdit *>(QStringLiteral("business_hours.wednesday.open"))->text(),
            QStringLiteral("08:00"));

        // Closing before opening: refused, the message next to Wednesday names it.
        typeInto(&page, QStringLiteral("business_hours.wednesday.close"), QStringLiteral("07:00"));
        QString message = page.messageFor(QStringLiteral("business_hours.wednesday"));
        QVERIFY2(message.contains(QStringLiteral("wednesday")) &&
                     message.contains(QStringLiteral("before")),
                 qPrintable(message));
        QVERIFY(page.findChild<QLabel *>(QStringLiteral("business_hours.wednesdayMessage"))
                    ->isVisible());
        QVERIFY(page.messageFor(QStringLiteral("business_hours.tuesday")).isEmpty());
        QVERIFY(!save->isEnabled());
        QVERIFY(!page.saveClinic());
        // Not a time at all.
        typeInto(&page, QStringLiteral("business_hours.wednesday.close"), QStringLiteral("7 pm"));
        message = page.messageFor(QStringLiteral("business_hours.wednesday"));
        QVERIFY2(message.contains(QStringLiteral("invalid time")), qPrintable(message));
        QVERIFY(!save->isEnabled());
        // Saturday with an opening time only.
        typeInto(&page, QStringLiteral("business_hours.wednesday.close"), QStringLiteral("19:30"));
        QVERIFY(page.messageFor(QStringLiteral("business_hours.wednesday")).isEmpty());
        typeInto(&page, QStringLiteral("business_hours.saturday.open"), QStringLiteral("9:00"));
        message = page.messageFor(QStringLiteral("business_hours.saturday"));
        QVERIFY2(message.contains(QStringLiteral("saturday")), qPrintable(message));
        QVERIFY(!save->isEnabled());
        typeInto(&page, QStringLiteral("business_hours.saturday.close"), QStringLiteral("13:00"));
        QVERIFY(page.messageFor(QStringLiteral("business_hours.saturday")).isEmpty());
        // Friday closes: both blank.
        typeInto(&page, QStringLiteral("business_hours.friday.open"), QString());
        typeInto(&page, QStringLiteral("business_hours.friday.close"), QString());
        // The time zone by keyboard: an unknown one is refused, then a real one.
        auto *zone = page.findChild<QComboBox *>(QStringLiteral("timezone"));
        zone->setFocus();
        zone->lineEdit()->selectAll();
        QTest::keyClicks(zone->lineEdit(), QStringLiteral("Mars/Olympus"));
        QVERIFY(!page.messageFor(QStringLiteral("timezone")).isEmpty());
        QVERIFY(!save->isEnabled());
        zone->lineEdit()->selectAll();
        QTest::keyClicks(zone->lineEdit(), QStringLiteral("America/Chicago"));
        QVERIFY(page.messageFor(QStringLiteral("timezone")).isEmpty());
        QVERIFY(save->isEnabled());

        QSignalSpy saved(&page, &ClinicSettingsPage::clinicSaved);
        QTest::mouseClick(save, Qt::LeftButton);
        QCOMPARE(saved.size(), 1);
        const Clinic stored = ClinicStore(m_db, m_admin.principal).get(m_clinic).value();
        QCOMPARE(stored.hoursOn(3), DayHours::between(QTime(8, 0), QTime(19, 30)));
        QCOMPARE(stored.hoursOn(6), DayHours::between(QTime(9, 0), QTime(13, 0)));
        QVERIFY(stored.hoursOn(5).isClosed());
        QVERIFY(stored.hoursOn(7).isClosed());
        QCOMPARE(stored.hoursOn(1), DayHours::between(QTime(8, 0), QTime(18, 0)));
        QCOMPARE(stored.timezone, QStringLiteral("America/Chicago"));
        QCOMPARE(page.findChild<QLabel *>(QStringLiteral("clinicMessage"))->text(),
                 QStringLiteral("Saved."));
        QVERIFY(!page.isModified());
    }

    void providerTimeOffAndAvailability()
    {
        ClinicSettingsPage page(m_db, m_admin.principal);
        ProviderAvailabilityEditor *editor = page.providerEditor(m_grace.id);
        QVERIFY(editor);
        QAbstractItemModelTester weeklyTester(
            editor->availabilityModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester timeOffTester(
            editor->timeOffModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&page, {1300, 820});
        QCOMPARE(page.findChild<QComboBox *>(QStringLiteral("provider"))->currentData().toString(),
                 m_grace.id.value);
        QVERIFY(editor->isVisible());
        auto *weekly = editor->findChild<QTableView *>(QStringLiteral("availabilityTable"));
        auto *timeOff = editor->findChild<QTableView *>(QStringLiteral("timeOffTable"));
        auto *save = editor->findChild<QPushButton *>(QStringLiteral("saveProvider"));
        QCOMPARE(weekly->model()->rowCount(), 1);
        QCOMPARE(
            weekly->model()->index(0, ProviderAvailabilityModel::WeekdayColumn).data().toString(),
            ProviderAvailabilityModel::weekdayName(1));
        QSignalSpy weeklyResets(editor->availabilityModel(), &QAbstractItemModel::modelReset);
        QSignalSpy timeOffResets(editor->timeOffModel(), &QAbstractItemModel::modelReset);

        // Time off: an end before the start is refused on its cell, then fixed and saved.
        clickButton(editor, "addTimeOff");
        QCOMPARE(timeOff->model()->rowCount(), 1);
        QCOMPARE(timeOff->currentIndex().row(), 0);
        editCell(timeOff, 0, ProviderTimeOffModel::StartColumn, QStringLiteral("2030-03-04 08:00"));
        editCell(timeOff, 0, ProviderTimeOffModel::EndColumn, QStringLiteral("2030-03-04 07:00"));
        const QModelIndex end = timeOff->model()->index(0, ProviderTimeOffModel::EndColumn);
        QVERIFY2(!end.data(ProviderTimeOffModel::ErrorRole).toString().isEmpty(),
                 "the refused end is marked on its cell");
        QVERIFY(!timeOff->model()
                     ->index(0, ProviderTimeOffModel::ProblemColumn)
                     .data()
                     .toString()
                     .isEmpty());
        QVERIFY(!save->isEnabled());
        editCell(timeOff, 0, ProviderTimeOffModel::EndColumn, QStringLiteral("someday"));
        QVERIFY2(end.data(ProviderTimeOffModel::ErrorRole)
                     .toString()
                     .contains(QStringLiteral("not a date")),
                 qPrintable(end.data(ProviderTimeOffModel::ErrorRole).toString()));
        QCOMPARE(end.data().toString(), QStringLiteral("someday")); // what was typed stays
        editCell(timeOff, 0, ProviderTimeOffModel::EndColumn, QStringLiteral("2030-03-06 18:00"));
        editCell(timeOff, 0, ProviderTimeOffModel::ReasonColumn, QStringLiteral("Conference"));
        QVERIFY(end.data(ProviderTimeOffModel::ErrorRole).toString().isEmpty());

        // Availability: a window overlapping Monday's is refused, then moved to Tuesday.
        clickButton(editor, "addAvailability");
        QCOMPARE(weekly->model()->rowCount(), 2);
        editCell(weekly, 1, ProviderAvailabilityModel::WeekdayColumn, QStringLiteral("mon"));
        editCell(weekly, 1, ProviderAvailabilityModel::StartColumn, QStringLiteral("16:00"));
        editCell(weekly, 1, ProviderAvailabilityModel::EndColumn, QStringLiteral("18:00"));
        const QModelIndex start = weekly->model()->index(1, ProviderAvailabilityModel::StartColumn);
        QVERIFY2(!start.data(ProviderAvailabilityModel::ErrorRole).toString().isEmpty(),
                 "the overlapping window is marked");
        QVERIFY(!save->isEnabled());
        editCell(weekly, 1, ProviderAvailabilityModel::WeekdayColumn, QStringLiteral("Tue"));
        QVERIFY(start.data(ProviderAvailabilityModel::ErrorRole).toString().isEmpty());
        QCOMPARE(
            weekly->model()->index(1, ProviderAvailabilityModel::WeekdayColumn).data().toString(),
            ProviderAvailabilityModel::weekdayName(2));
        QVERIFY(save->isEnabled());
        QVERIFY(editor->isModified());
        QVERIFY(page.grab().save(QStringLiteral("clinic.png")));

        QSignalSpy saved(&page, &ClinicSettingsPage::providerSaved);
        QTest::mouseClick(save, Qt::LeftButton);
        QCOMPARE(saved.size(), 1);
        Provider stored = storedProvider();
        QCOMPARE(stored.time_off.size(), 1);
        QCOMPARE(stored.time_off.first().start_at,
                 QDateTime(QDate(2030, 3, 4), QTime(13, 0), QTimeZone::utc()));
        QCOMPARE(stored.time_off.first().end_at,
                 QDateTime(QDate(2030, 3, 6), QTime(23, 0), QTimeZone::utc()));
        QCOMPARE(stored.time_off.first().reason, QStringLiteral("Conference"));
        QCOMPARE(stored.availabilityOn(2).size(), 1);
        QCOMPARE(stored.availabilityOn(2).first().start_time, QTime(16, 0));
        QCOMPARE(stored.availabilityOn(1).size(), 1);
        QCOMPARE(editor->findChild<QLabel *>(QStringLiteral("providerMessage"))->text(),
                 QStringLiteral("Saved."));
        QVERIFY(!editor->isModified());

        // Removing Monday's window (keyboard to it, the button) tombstones it on save.
        weekly->setFocus();
        weekly->setCurrentIndex(weekly->model()->index(0, 0));
        clickButton(editor, "removeAvailability");
        QCOMPARE(weekly->model()->rowCount(), 1);
        clickButton(editor, "saveProvider");
        stored = storedProvider();
        QCOMPARE(stored.availabilityOn(1).size(), 0);
        QCOMPARE(stored.availabilityOn(2).size(), 1);
        QCOMPARE(stored.time_off.size(), 1);
        QCOMPARE(weeklyResets.size(), 0);
        QCOMPARE(timeOffResets.size(), 0);
    }

    void nonAdminIsRefused()
    {
        const test::TestUser staff =
            test::insertUser(m_db, m_clinic, Role::Staff, QStringLiteral("sam@north.example"));
        ClinicSettingsPage page(m_db, staff.principal);
        QVERIFY(!page.isPermitted());
        showAndActivate(&page, {1300, 820});
        auto *refused = page.findChild<QLabel *>(QStringLiteral("notPermitted"));
        QVERIFY(refused && refused->isVisible());
        QVERIFY(!page.findChild<QPushButton *>(QStringLiteral("saveClinic")));
        QVERIFY(!page.findChild<QLineEdit *>());
        QVERIFY(!page.saveClinic());
    }
};

QTEST_MAIN(TestClinicSettings)
#include "tst_gui_clinicsettings.moc"
