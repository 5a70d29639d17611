#include "appointmentcanceldialog.h"
#include "appointmentdialog.h"
#include "appointmentstore.h"
#include "clock.h"
#include "patientstore.h"
#include "schedulemodel.h"
#include "schedulepage.h"
#include "guisupport.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QTimeEdit>
#include <QTimeZone>
#include <QToolButton>

#include <memory>

using namespace tmdash;
using tmdash::test::chooseByKeyboard;
using tmdash::test::showAndActivate;

namespace {

const QString kCreated = QStringLiteral("2026-01-01T00:00:00.000Z");
const QTimeZone kNewYork("America/New_York");
// "Today" in these tests: Monday 2 March 2026, 08:30 in New York (EST).
const QDate kMonday(2026, 3, 2);
const QDate kWednesday(2026, 3, 4);

QDateTime local(QDate day, int hour, int minute = 0)
{
    return QDateTime(day, QTime(hour, minute), kNewYork).toUTC();
}

} // namespace

// The Schedule tab driven through its widgets: booking with free-slot suggestions (a double
// booking and a booking in time off refused with the store's reason, nothing typed lost), cancel
// with a reason, the day, week and all-providers grids, live updates in place, and what a role
// that may not write appointments is offered.
class TestSchedule : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("guischedule")};
    Database m_db;
    ClinicId m_clinic;
    test::TestUser m_desk;
    ProviderId m_grace;
    ProviderId m_henry;
    UserId m_graceUser;
    Patient m_rosa;
    Patient m_ada;

    void insert(QStringView table, Row row) const
    {
        row.insert(QStringLiteral("created_at"), kCreated);
        row.insert(QStringLiteral("updated_at"), kCreated);
        if (Status s = RecordTable(m_db, table).insert(row); !s)
            qFatal("inserting into %s failed: %s", qPrintable(table.toString()),
                   qPrintable(s.error().message));
    }

    // A provider seeing patients Monday to Friday 09:00-17:00 in `room`.
    ProviderId addProvider(const QString &given, const QString &family, const QString &npi,
                           const QString &room, UserId *userOut = nullptr) const
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
                              {QStringLiteral("credentials"), QStringLiteral("MD")},
                              {QStringLiteral("default_slot_minutes"), 15}});
        for (int weekday = 1; weekday <= 5; ++weekday)
            insert(u"provider_availability", {{QStringLiteral("id"), newUuidV7()},
                                              {QStringLiteral("clinic_id"), m_clinic.value},
                                              {QStringLiteral("provider_id"), id},
                                              {QStringLiteral("weekday"), weekday},
                                              {QStringLiteral("start_time"), QStringLiteral("09:00")},
                                              {QStringLiteral("end_time"), QStringLiteral("17:00")},
                                              {QStringLiteral("room"), room}});
        if (userOut)
            *userOut = UserId(user);
        return ProviderId(id);
    }

    Patient addPatient(const QString &given, const QString &family, QDate born) const
    {
        Patient p;
        p.given_name = given;
        p.family_name = family;
        p.birth_date = born;
        auto created = PatientStore(m_db, m_desk.principal).create(p);
        if (!created)
            qFatal("cannot create a patient: %s", qPrintable(created.error().message));
        return *created;
    }

    Appointment book(const Patient &patient, const ProviderId &provider, QDate day, int hour,
                     int minute, int minutes, const QString &reason = QStringLiteral("Check-up"))
    {
        Appointment a;
        a.patient_id = patient.id;
        a.provider_id = provider;
        a.start_at = local(day, hour, minute);
        a.duration_minutes = minutes;
        a.reason = reason;
        auto stored = AppointmentStore(m_db, m_desk.principal).create(a);
        if (!stored)
            qFatal("cannot book: %s", qPrintable(stored.error().message));
        return *stored;
    }

    QList<Appointment> storedOn(const ProviderId &provider, QDate day) const
    {
        auto all = AppointmentStore(m_db, m_desk.principal).forProviderDay(provider, day);
        if (!all)
            qFatal("cannot read the schedule: %s", qPrintable(all.error().message));
        return *all;
    }

    // The cell of `column` at the local time `time`.
    static QModelIndex cellAt(const ScheduleModel *model, int column, QTime time)
    {
        const QString label = time.toString(QStringLiteral("HH:mm"));
        for (int r = 0; r < model->rowCount(); ++r)
            if (model->headerData(r, Qt::Vertical).toString() == label)
                return model->index(r, column);
        return {};
    }

    static ScheduleModel::SlotState stateOf(const QModelIndex &index)
    {
        return ScheduleModel::SlotState(index.data(ScheduleModel::SlotStateRole).toInt());
    }

    static void clickCell(SchedulePage &page, const QModelIndex &index)
    {
        QVERIFY(index.isValid());
        QTableView *table = page.table();
        table->scrollTo(index);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
        QCOMPARE(table->currentIndex(), index);
    }

    // Types a clinic-local time into the dialog's time field.
    static void typeTime(QTimeEdit *edit, QTime time)
    {
        edit->setFocus();
        edit->setSelectedSection(QDateTimeEdit::HourSection);
        QTest::keyClicks(edit, time.toString(QStringLiteral("HH:mm")));
        QCOMPARE(edit->time(), time);
    }

    static QToolButton *button(QWidget *parent, const char *name)
    {
        return parent->findChild<QToolButton *>(QString::fromLatin1(name));
    }

    template<class T>
    static T *child(QWidget *parent, const char *name)
    {
        auto *found = parent->findChild<T *>(QString::fromLatin1(name));
        if (!found)
            qWarning("no child %s", name);
        return found;
    }

    // Opens the booking dialog with Ctrl+Shift+A and finds its patient.
    static AppointmentDialog *openBooking(SchedulePage &page)
    {
        QTest::keyClick(page.table(), Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);
        auto *dialog = page.findChild<AppointmentDialog *>();
        if (dialog && !QTest::qWaitForWindowExposed(dialog))
            return nullptr;
        return dialog;
    }

    static void choosePatient(AppointmentDialog *dialog, const QString &typed, const PatientId &id)
    {
        auto *search = child<QLineEdit>(dialog, "patientSearch");
        auto *results = child<QListWidget>(dialog, "patientResults");
        QVERIFY(search && results);
        QAbstractItemModelTester tester(results->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        search->setFocus();
        QTest::keyClicks(search, typed);
        QTRY_VERIFY(results->count() > 0 && results->item(0)->flags() & Qt::ItemIsEnabled);
        QTest::keyClick(search, Qt::Key_Down); // into the matches
        QTest::keyClick(results, Qt::Key_Return);
        QCOMPARE(dialog->patient(), id);
    }

private Q_SLOTS:
    void init()
    {
        setClockOffsetSeconds(QDateTime::currentDateTimeUtc().secsTo(local(kMonday, 8, 30)));
        m_db = m_factory.create(SqlDialect::Sqlite);
        m_clinic = test::insertClinic(m_db); // weekdays 08:00-18:00 (Fri -16:00), New York
        m_desk = test::insertUser(m_db, m_clinic, Role::Staff, QStringLiteral("desk@north.example"));
        m_grace = addProvider(QStringLiteral("Grace"), QStringLiteral("Hopper"),
                              QStringLiteral("1234567893"), QStringLiteral("Exam 1"), &m_graceUser);
        m_henry = addProvider(QStringLiteral("Henry"), QStringLiteral("Gray"),
                              QStringLiteral("1245319599"), QStringLiteral("Exam 2"));
        insert(u"provider_time_off",
               {{QStringLiteral("id"), newUuidV7()},
                {QStringLiteral("clinic_id"), m_clinic.value},
                {QStringLiteral("provider_id"), m_henry.value},
                {QStringLiteral("start_at"), formatInstant(local(kMonday, 13))},
                {QStringLiteral("end_at"), formatInstant(local(kMonday, 14))},
                {QStringLiteral("reason"), QStringLiteral("Training")}});
        m_rosa = addPatient(QStringLiteral("Rosa"), QStringLiteral("Marquez"), QDate(1958, 4, 2));
        m_ada = addPatient(QStringLiteral("Ada"), QStringLiteral("Lovelace"), QDate(1985, 12, 10));
    }

    void cleanup() { setClockOffsetSeconds(0); }

    void doubleBookingIsRefusedAndASuggestedSlotIsBooked()
    {
        const Appointment rosa = book(m_rosa, m_grace, kMonday, 9, 0, 30);
        SchedulePage page(m_db, m_desk.principal);
        ScheduleModel *model = page.scheduleModel();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&page, {1200, 900});
        chooseByKeyboard(page.providerChooser(), m_grace.value);
        QCOMPARE(model->columnCount(), 1);
        QCOMPARE(model->day(), kMonday); // today, in the clinic's time zone

        QCOMPARE(stateOf(cellAt(model, 0, QTime(9, 0))), ScheduleModel::SlotState::Booked);
        QVERIFY(cellAt(model, 0, QTime(9, 0)).data().toString().contains(QStringLiteral("Rosa Marquez")));
        QCOMPARE(stateOf(cellAt(model, 0, QTime(9, 15))), ScheduleModel::SlotState::Continued);
        QCOMPARE(stateOf(cellAt(model, 0, QTime(9, 30))), ScheduleModel::SlotState::Free);
        QCOMPARE(stateOf(cellAt(model, 0, QTime(8, 0))), ScheduleModel::SlotState::Unavailable);
        QSignalSpy resets(model, &QAbstractItemModel::modelReset);

        // The free 09:15 slot... is not free: 09:30 is. Start from the 09:30 cell.
        clickCell(page, cellAt(model, 0, QTime(9, 30)));
        QPointer<AppointmentDialog> dialog = openBooking(page);
        QVERIFY(dialog);
        // (Ended before the dialog goes: a tester must not outlive its model.)
        auto suggestionsTester = std::make_unique<QAbstractItemModelTester>(
            child<QListWidget>(dialog, "freeSlots")->model(),
            QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto *time = child<QTimeEdit>(dialog, "startTime");
        QCOMPARE(time->time(), QTime(9, 30)); // preset from the selected slot
        QCOMPARE(child<QComboBox>(dialog, "provider")->currentData().toString(), m_grace.value);
        auto *save = child<QPushButton>(dialog, "save");
        QVERIFY(!save->isEnabled()); // no patient yet

        choosePatient(dialog, QStringLiteral("Lovel"), m_ada.id);
        QVERIFY(child<QLabel>(dialog, "patientChosen")->text().contains(QStringLiteral("Ada Lovelace")));
        auto *length = child<QSpinBox>(dialog, "duration");
        QCOMPARE(length->value(), 15); // the provider's default
        length->setFocus();
        length->selectAll();
        QTest::keyClicks(length, QStringLiteral("30"));
        QCOMPARE(length->value(), 30);
        QTest::keyClicks(child<QLineEdit>(dialog, "reason"), QStringLiteral("Back pain"));

        // 09:15 overlaps Rosa's 09:00-09:30: refused with the store's reason, nothing lost.
        typeTime(time, QTime(9, 15));
        QVERIFY(save->isEnabled());
        QTest::mouseClick(save, Qt::LeftButton);
        QVERIFY(!dialog.isNull() && dialog->isVisible());
        const QString refused = dialog->messageFor(QStringLiteral("start_at"));
        QVERIFY2(refused.contains(QStringLiteral("already has an appointment")), qPrintable(refused));
        QVERIFY(child<QLabel>(dialog, "start_atMessage")->isVisible());
        QCOMPARE(child<QLineEdit>(dialog, "reason")->text(), QStringLiteral("Back pain"));
        QCOMPARE(dialog->patient(), m_ada.id);
        QCOMPARE(length->value(), 30);
        QCOMPARE(storedOn(m_grace, kMonday).size(), 1);

        // The suggestions leave out the taken times and offer 09:30 for 30 minutes.
        const QList<QDateTime> offered = dialog->suggestions();
        QVERIFY(!offered.contains(local(kMonday, 9, 0)));
        QVERIFY(!offered.contains(local(kMonday, 9, 15)));
        QVERIFY(offered.contains(local(kMonday, 9, 30)));
        QVERIFY(!offered.contains(local(kMonday, 17, 0))); // 30 minutes would end after 17:00
        auto *suggestions = child<QListWidget>(dialog, "freeSlots");
        QListWidgetItem *nineThirty = nullptr;
        for (int i = 0; i < suggestions->count(); ++i)
            if (suggestions->item(i)->text() == QStringLiteral("09:30"))
                nineThirty = suggestions->item(i);
        QVERIFY(nineThirty);
        QTest::mouseClick(suggestions->viewport(), Qt::LeftButton, {},
                          suggestions->visualItemRect(nineThirty).center());
        QCOMPARE(time->time(), QTime(9, 30));
        QVERIFY(dialog->messageFor(QStringLiteral("start_at")).isEmpty()); // the time was edited
        QCOMPARE(child<QLineEdit>(dialog, "room")->text(), QStringLiteral("Exam 1"));
        suggestionsTester.reset();
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_VERIFY(dialog.isNull());

        const QList<Appointment> stored = storedOn(m_grace, kMonday);
        QCOMPARE(stored.size(), 2);
        const Appointment &ada = stored.at(1);
        QCOMPARE(ada.patient_id, m_ada.id);
        QCOMPARE(ada.start_at, local(kMonday, 9, 30));
        QCOMPARE(ada.duration_minutes, 30);
        QCOMPARE(ada.reason, QStringLiteral("Back pain"));
        QCOMPARE(ada.room, QStringLiteral("Exam 1"));
        QCOMPARE(ada.status, AppointmentStatus::Scheduled);

        // The grid shows it in place, selected.
        const QModelIndex cell = cellAt(model, 0, QTime(9, 30));
        QCOMPARE(stateOf(cell), ScheduleModel::SlotState::Booked);
        QVERIFY(cell.data().toString().contains(QStringLiteral("Ada Lovelace")));
        QCOMPARE(stateOf(cellAt(model, 0, QTime(9, 45))), ScheduleModel::SlotState::Continued);
        QCOMPARE(page.selectedAppointment()->id, ada.id);
        QCOMPARE(resets.size(), 0);
        QVERIFY(rosa.id != ada.id);
    }

    void timeOffAndClosedHoursAreRefusedWithTheReason()
    {
        SchedulePage page(m_db, m_desk.principal);
        QAbstractItemModelTester tester(page.scheduleModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&page, {1200, 900});
        chooseByKeyboard(page.providerChooser(), m_henry.value);
        QCOMPARE(stateOf(cellAt(page.scheduleModel(), 0, QTime(13, 15))),
                 ScheduleModel::SlotState::TimeOff);
        QPointer<AppointmentDialog> dialog = openBooking(page);
        QVERIFY(dialog);
        QCOMPARE(child<QComboBox>(dialog, "provider")->currentData().toString(), m_henry.value);
        choosePatient(dialog, QStringLiteral("Rosa"), m_rosa.id);
        QVERIFY(!dialog->suggestions().contains(local(kMonday, 13, 0)));
        QVERIFY(dialog->suggestions().contains(local(kMonday, 14, 0)));
        auto *time = child<QTimeEdit>(dialog, "startTime");
        auto *save = child<QPushButton>(dialog, "save");

        typeTime(time, QTime(13, 15));
        QTest::mouseClick(save, Qt::LeftButton);
        QString refused = dialog->messageFor(QStringLiteral("start_at"));
        QVERIFY2(refused.contains(QStringLiteral("time off")), qPrintable(refused));

        typeTime(time, QTime(18, 30));
        QVERIFY(dialog->messageFor(QStringLiteral("start_at")).isEmpty());
        QTest::mouseClick(save, Qt::LeftButton);
        refused = dialog->messageFor(QStringLiteral("start_at"));
        QVERIFY2(refused.contains(QStringLiteral("outside the clinic's hours")), qPrintable(refused));
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->patient(), m_rosa.id);
        QVERIFY(storedOn(m_henry, kMonday).isEmpty());

        QTest::mouseClick(child<QPushButton>(dialog, "cancel"), Qt::LeftButton);
        QTRY_VERIFY(dialog.isNull());
        QVERIFY(storedOn(m_henry, kMonday).isEmpty());
    }

    void cancelAsksForAReason()
    {
        const Appointment booked = book(m_rosa, m_grace, kMonday, 10, 0, 15);
        SchedulePage page(m_db, m_desk.principal);
        ScheduleModel *model = page.scheduleModel();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&page, {1200, 900});
        chooseByKeyboard(page.providerChooser(), m_grace.value);
        QSignalSpy resets(model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&page, &SchedulePage::appointmentChanged);

        // Nothing selected: nothing to act on.
        QVERIFY(!button(&page, "cancelAppointmentButton")->isEnabled());
        clickCell(page, cellAt(model, 0, QTime(10, 0)));
        QCOMPARE(page.selectedAppointment()->id, booked.id);
        // Offered as the status allows: a scheduled appointment is confirmed, checked in,
        // cancelled or missed, not started or completed.
        QVERIFY(button(&page, "cancelAppointmentButton")->isEnabled());
        QVERIFY(button(&page, "confirmButton")->isEnabled());
        QVERIFY(button(&page, "checkInButton")->isEnabled());
        QVERIFY(button(&page, "noShowButton")->isEnabled());
        QVERIFY(button(&page, "rescheduleButton")->isEnabled());
        QVERIFY(!button(&page, "startButton")->isEnabled());
        QVERIFY(!button(&page, "completeButton")->isEnabled());

        QTest::mouseClick(button(&page, "cancelAppointmentButton"), Qt::LeftButton);
        QPointer<AppointmentCancelDialog> dialog = page.findChild<AppointmentCancelDialog *>();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QVERIFY(child<QLabel>(dialog, "cancelWhat")->text().contains(QStringLiteral("Rosa Marquez")));
        auto *confirm = child<QPushButton>(dialog, "confirmCancel");
        QVERIFY(!confirm->isEnabled()); // a reason first
        auto *reason = child<QLineEdit>(dialog, "cancelReason");
        QTest::keyClicks(reason, QStringLiteral("   "));
        QVERIFY(!confirm->isEnabled());
        QTest::keyClicks(reason, QStringLiteral("Patient called in sick"));
        QVERIFY(confirm->isEnabled());
        QTest::mouseClick(confirm, Qt::LeftButton);
        QTRY_VERIFY(dialog.isNull());

        const Appointment stored = AppointmentStore(m_db, m_desk.principal).get(booked.id).value();
        QCOMPARE(stored.status, AppointmentStatus::Cancelled);
        QCOMPARE(stored.cancel_reason, QStringLiteral("Patient called in sick"));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().first().toString(), booked.id.value);

        // The slot is free again; the cancelled booking stays on the day sheet, struck through.
        const QModelIndex cell = cellAt(model, 0, QTime(10, 0));
        QCOMPARE(stateOf(cell), ScheduleModel::SlotState::Free);
        QVERIFY(cell.data().toString().contains(QStringLiteral("Cancelled")));
        QCOMPARE(cell.data(ScheduleModel::StatusRole).toString(), QStringLiteral("cancelled"));
        QVERIFY(cell.data(Qt::FontRole).value<QFont>().strikeOut());
        QCOMPARE(page.table()->currentIndex(), cell); // still selected
        QVERIFY(!button(&page, "cancelAppointmentButton")->isEnabled());
        QVERIFY(!button(&page, "checkInButton")->isEnabled());
        QCOMPARE(resets.size(), 0);
    }

    void rescheduleMovesTheBooking()
    {
        const Appointment rosa = book(m_rosa, m_grace, kMonday, 9, 0, 30);
        const Appointment ada = book(m_ada, m_grace, kMonday, 10, 0, 30);
        SchedulePage page(m_db, m_desk.principal);
        ScheduleModel *model = page.scheduleModel();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&page, {1200, 900});
        chooseByKeyboard(page.providerChooser(), m_grace.value);
        QSignalSpy resets(model, &QAbstractItemModel::modelReset);
        clickCell(page, cellAt(model, 0, QTime(9, 0)));
        QTest::keyClick(page.table(), Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
        QPointer<AppointmentDialog> dialog = page.findChild<AppointmentDialog *>();
        QVERIFY(dialog);
        QVERIFY(dialog->isRescheduling());
        QVERIFY(!child<QLineEdit>(dialog, "patientSearch")->isVisible()); // the patient stays
        QVERIFY(child<QLabel>(dialog, "patientChosen")->text().contains(QStringLiteral("Rosa Marquez")));
        auto *time = child<QTimeEdit>(dialog, "startTime");
        QCOMPARE(time->time(), QTime(9, 0));
        auto *save = child<QPushButton>(dialog, "save");

        // Onto Ada's 10:00: refused, the booking stays where it was.
        typeTime(time, QTime(10, 15));
        QTest::mouseClick(save, Qt::LeftButton);
        QVERIFY(dialog->messageFor(QStringLiteral("start_at")).contains(QStringLiteral("already has an appointment")));
        QCOMPARE(AppointmentStore(m_db, m_desk.principal).get(rosa.id)->start_at, local(kMonday, 9));

        typeTime(time, QTime(11, 0));
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_VERIFY(dialog.isNull());
        QCOMPARE(AppointmentStore(m_db, m_desk.principal).get(rosa.id)->start_at, local(kMonday, 11));
        QCOMPARE(stateOf(cellAt(model, 0, QTime(9, 0))), ScheduleModel::SlotState::Free);
        QCOMPARE(cellAt(model, 0, QTime(11, 0)).data(ScheduleModel::AppointmentIdRole).toString(),
                 rosa.id.value);
        QCOMPARE(page.selectedAppointment()->id, rosa.id); // the selection follows the booking
        QCOMPARE(resets.size(), 0);
        QCOMPARE(AppointmentStore(m_db, m_desk.principal).get(ada.id)->start_at, local(kMonday, 10));
    }

    void weekAndAllProvidersShowTheBooking()
    {
        const Appointment wed = book(m_rosa, m_grace, kWednesday, 10, 0, 30, QStringLiteral("Diabetes review"));
        book(m_ada, m_grace, kMonday, 9, 0, 15);
        book(m_rosa, m_henry, kMonday, 11, 0, 30);
        SchedulePage page(m_db, m_desk.principal);
        ScheduleModel *model = page.scheduleModel();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&page, {1200, 900});

        // Front desk starts on the whole clinic, today: one column per provider.
        QVERIFY(model->isAllProviders());
        QCOMPARE(model->columnCount(), 2);
        QVERIFY(!button(&page, "weekMode")->isEnabled()); // a week is one provider's
        auto *title = child<QLabel>(&page, "scheduleTitle");
        QVERIFY2(title->text().contains(QStringLiteral("All providers")), qPrintable(title->text()));
        const auto columnOf = [model](const ProviderId &p) {
            for (int c = 0; c < model->columnCount(); ++c)
                if (model->index(0, c).data(ScheduleModel::ProviderIdRole).toString() == p.value)
                    return c;
            return -1;
        };
        QCOMPARE(model->headerData(columnOf(m_grace), Qt::Horizontal).toString(),
                 QStringLiteral("Grace Hopper, MD"));
        QCOMPARE(stateOf(cellAt(model, columnOf(m_henry), QTime(13, 0))),
                 ScheduleModel::SlotState::TimeOff);
        QCOMPARE(stateOf(cellAt(model, columnOf(m_henry), QTime(11, 0))),
                 ScheduleModel::SlotState::Booked);
        QVERIFY(page.grab().save(QStringLiteral("schedule-all-providers.png")));

        // Two days on: Wednesday, Grace's booking in her column.
        QTest::mouseClick(button(&page, "nextDay"), Qt::LeftButton);
        QTest::keyClick(page.table(), Qt::Key_Right, Qt::AltModifier);
        QCOMPARE(model->day(), kWednesday);
        QModelIndex cell = cellAt(model, columnOf(m_grace), QTime(10, 0));
        QCOMPARE(stateOf(cell), ScheduleModel::SlotState::Booked);
        QCOMPARE(cell.data(ScheduleModel::AppointmentIdRole).toString(), wed.id.value);
        QVERIFY(cell.data().toString().contains(QStringLiteral("Rosa Marquez — Diabetes review")));
        QCOMPARE(stateOf(cellAt(model, columnOf(m_henry), QTime(10, 0))),
                 ScheduleModel::SlotState::Free);

        // Grace's week: seven columns, Monday first; Wednesday holds the booking.
        chooseByKeyboard(page.providerChooser(), m_grace.value);
        QVERIFY(button(&page, "weekMode")->isEnabled());
        QTest::mouseClick(button(&page, "weekMode"), Qt::LeftButton);
        QCOMPARE(model->mode(), ScheduleModel::Mode::Week);
        QCOMPARE(model->columnCount(), 7);
        QCOMPARE(model->index(0, 0).data(ScheduleModel::DayRole).toDate(), kMonday);
        cell = cellAt(model, 2, QTime(10, 0));
        QCOMPARE(cell.data(ScheduleModel::DayRole).toDate(), kWednesday);
        QCOMPARE(stateOf(cell), ScheduleModel::SlotState::Booked);
        QCOMPARE(cell.data(ScheduleModel::AppointmentIdRole).toString(), wed.id.value);
        QCOMPARE(stateOf(cellAt(model, 0, QTime(9, 0))), ScheduleModel::SlotState::Booked);
        QCOMPARE(stateOf(cellAt(model, 5, QTime(10, 0))), ScheduleModel::SlotState::Closed); // Saturday
        // Times are the clinic's: 10:00 in New York is 15:00 UTC.
        QCOMPARE(cell.data(ScheduleModel::SlotStartRole).toDateTime(), local(kWednesday, 10));
        QCOMPARE(cell.data(ScheduleModel::SlotStartRole).toDateTime().time(), QTime(15, 0));
        QVERIFY(title->text().contains(QStringLiteral("Week of")));
        QVERIFY(page.grab().save(QStringLiteral("schedule.png")));

        // A week back and forth steps seven days.
        QTest::mouseClick(button(&page, "nextDay"), Qt::LeftButton);
        QCOMPARE(model->day(), kWednesday.addDays(7));
        QTest::mouseClick(button(&page, "today"), Qt::LeftButton);
        QCOMPARE(model->day(), kMonday);
    }

    void changesFromElsewhereUpdateInPlace()
    {
        const Appointment rosa = book(m_rosa, m_grace, kMonday, 9, 0, 30);
        SchedulePage page(m_db, m_desk.principal);
        ScheduleModel *model = page.scheduleModel();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&page, {1200, 900});
        const int grace = model->indexOf(rosa.id.value).column();
        const int henry = 1 - grace;
        clickCell(page, model->indexOf(rosa.id.value));
        QVERIFY(button(&page, "checkInButton")->isEnabled());
        QSignalSpy resets(model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(model, &QAbstractItemModel::dataChanged);

        // Another desktop books Ada with Henry and checks Rosa in; sync names the records.
        const Appointment ada = book(m_ada, m_henry, kMonday, 11, 0, 15);
        QVERIFY(AppointmentStore(m_db, m_desk.principal).checkIn(rosa.id));
        page.recordsChanged({ada.id.value, rosa.id.value});

        QCOMPARE(resets.size(), 0);
        QVERIFY(changes.size() >= 2);
        QCOMPARE(stateOf(cellAt(model, henry, QTime(11, 0))), ScheduleModel::SlotState::Booked);
        QVERIFY(cellAt(model, henry, QTime(11, 0)).data().toString().contains(QStringLiteral("Ada Lovelace")));
        const QModelIndex rosaCell = cellAt(model, grace, QTime(9, 0));
        QCOMPARE(rosaCell.data(ScheduleModel::StatusRole).toString(), QStringLiteral("checked_in"));
        QVERIFY(rosaCell.data().toString().contains(QStringLiteral("Checked in")));
        // The selection stayed, and the actions follow the new status.
        QCOMPARE(page.table()->currentIndex(), rosaCell);
        QVERIFY(!button(&page, "checkInButton")->isEnabled());
        QVERIFY(button(&page, "startButton")->isEnabled());

        // A patient renamed elsewhere: the name is read again.
        Patient renamed = PatientStore(m_db, m_desk.principal).get(m_rosa.id).value();
        renamed.family_name = QStringLiteral("Marques");
        QVERIFY(PatientStore(m_db, m_desk.principal).update(renamed));
        page.recordsChanged({m_rosa.id.value});
        QVERIFY(cellAt(model, grace, QTime(9, 0)).data().toString().contains(QStringLiteral("Rosa Marques")));
        QCOMPARE(resets.size(), 0);
    }

    void actionsFollowTheRole()
    {
        const Appointment rosa = book(m_rosa, m_grace, kMonday, 9, 0, 30);
        // An admin reads the schedule but may not write appointments: nothing is offered.
        const test::TestUser admin =
            test::insertUser(m_db, m_clinic, Role::Admin, QStringLiteral("admin@north.example"));
        {
            SchedulePage page(m_db, admin.principal);
            QAbstractItemModelTester tester(page.scheduleModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
            showAndActivate(&page, {1200, 900});
            QVERIFY(!child<QWidget>(&page, "scheduleActions")->isVisible());
            QVERIFY(!page.newAppointmentAction()->isVisible());
            clickCell(page, page.scheduleModel()->indexOf(rosa.id.value));
            for (auto action : {AppointmentAction::CheckIn, AppointmentAction::Cancel,
                                AppointmentAction::Confirm, AppointmentAction::NoShow})
                QVERIFY(!page.actionFor(action)->isEnabled());
            QTest::keyClick(page.table(), Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);
            QVERIFY(!page.findChild<AppointmentDialog *>());
            QVERIFY(!page.runAction(AppointmentAction::CheckIn));
            QCOMPARE(AppointmentStore(m_db, admin.principal).get(rosa.id)->status,
                     AppointmentStatus::Scheduled);
        }
        // A provider starts on their own day and may book.
        const Principal grace{Principal::Kind::Person, m_graceUser, m_clinic, Role::Provider, {}};
        SchedulePage page(m_db, grace);
        QAbstractItemModelTester tester(page.scheduleModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&page, {1200, 900});
        QCOMPARE(page.scheduleModel()->provider(), m_grace);
        QCOMPARE(page.scheduleModel()->columnCount(), 1);
        QVERIFY(page.newAppointmentAction()->isEnabled());
        clickCell(page, page.scheduleModel()->indexOf(rosa.id.value));
        QVERIFY(page.actionFor(AppointmentAction::CheckIn)->isEnabled());
    }
};

QTEST_MAIN(TestSchedule)
#include "tst_gui_schedule.moc"
