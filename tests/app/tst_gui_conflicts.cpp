// The Conflicts and rejections dialog on a desktop whose conflict and rejection were made by the
// real sync engine against a central on the test PostgreSQL: a conflict resolved with the mouse
// reaches the central with the next sync, and a refused double booking is shown with the
// central's reason and discarded.

#include "appointmentstore.h"
#include "clock.h"
#include "conflictschangemodel.h"
#include "conflictsdialog.h"
#include "conflictsfieldmodel.h"
#include "conflictsmodel.h"
#include "conflictsrejectionmodel.h"
#include "patientstore.h"
#include "recordtable.h"
#include "synchronizer.h"
#include "syncresolution.h"
#include "guisupport.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTimeZone>

using namespace tmdash;
using tmdash::test::clickButton;
using tmdash::test::clickRow;
using tmdash::test::editCell;
using tmdash::test::showAndActivate;

class TestConflicts : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("guiconflicts")};
    Database m_central;
    QString m_url;
    ClinicId m_clinic;
    test::TestUser m_staff;
    test::TestProvider m_doctor;

    SyncOptions options() const
    {
        SyncOptions o;
        o.centralUrl = m_url;
        o.clinic = m_clinic.value;
        o.stallSeconds = 20;
        return o;
    }

    SyncReport sync(const Database &d) const
    {
        auto report = Synchronizer(d, options()).runOnce();
        if (!report)
            qFatal("sync failed: %s", qPrintable(report.error().message));
        return *report;
    }

    // A new empty desktop, synced once (so it holds the clinic).
    Database desktop()
    {
        Database d = m_factory.create(SqlDialect::Sqlite, false);
        if (!sync(d).firstSync)
            qFatal("the first sync of a new desktop did not bind it");
        return d;
    }

    Patient addPatient(const Database &d, const QString &given) const
    {
        Patient p;
        p.given_name = given;
        p.family_name = QStringLiteral("Okafor");
        p.birth_date = QDate(1979, 3, 14);
        p.sex = Sex::Female;
        p.phone = QStringLiteral("+1 617 555 0100");
        auto stored = PatientStore(d, m_staff.principal).create(p);
        if (!stored)
            qFatal("cannot add a patient: %s", qPrintable(stored.error().message));
        return *stored;
    }

    void setPhone(const Database &d, const PatientId &id, const QString &phone) const
    {
        Patient p = PatientStore(d, m_staff.principal).get(id).value();
        p.phone = phone;
        QVERIFY(PatientStore(d, m_staff.principal).update(p));
    }

    // 10:00 in New York on a Tuesday at least a few weeks ahead.
    static QDateTime tuesdayMorning(int weeksAhead)
    {
        QDate day = nowUtc().date().addDays(7 * weeksAhead);
        while (day.dayOfWeek() != 2)
            day = day.addDays(1);
        return QDateTime(day, QTime(10, 0), QTimeZone("America/New_York")).toUTC();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (test::requirePostgresUrl().isEmpty())
            QSKIP("TMDASH_TEST_PG is not set");
        m_central = m_factory.create(SqlDialect::Postgres);
        m_url = m_factory.lastUrl();
        m_clinic = test::insertClinic(m_central);
        m_staff =
            test::insertUser(m_central, m_clinic, Role::Staff, QStringLiteral("desk@north.test"));
        m_doctor = test::insertProvider(m_central, m_clinic, QStringLiteral("doc@north.test"));
        for (int weekday = 1; weekday <= 5; ++weekday) {
            const Row window{
                {QStringLiteral("id"), newUuidV7()},
                {QStringLiteral("clinic_id"), m_clinic.value},
                {QStringLiteral("provider_id"), m_doctor.provider.value},
                {QStringLiteral("weekday"), weekday},
                {QStringLiteral("start_time"), QStringLiteral("08:00")},
                {QStringLiteral("end_time"), QStringLiteral("16:00")},
                {QStringLiteral("created_at"), QStringLiteral("2026-01-01T00:00:00.000Z")},
                {QStringLiteral("updated_at"), QStringLiteral("2026-01-01T00:00:00.000Z")}};
            if (Status s = RecordTable(m_central, u"provider_availability").insert(window); !s)
                qFatal("%s", qPrintable(s.error().message));
        }
    }

    void conflictResolvedInTheDialogReachesTheCentral()
    {
        Database a = desktop();
        Database b = desktop();
        const Patient cy = addPatient(a, QStringLiteral("Cy"));
        sync(a);
        sync(b);
        // Both desktops change the phone offline; a's reaches the central first.
        setPhone(a, cy.id, QStringLiteral("+1 617 555 0111"));
        setPhone(b, cy.id, QStringLiteral("+1 617 555 0122"));
        QCOMPARE(sync(a).conflicts, 0);
        QCOMPARE(sync(b).conflicts, 1);

        ConflictsDialog dialog(b, m_staff.principal);
        const auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;
        QAbstractItemModelTester conflictsTester(dialog.conflictsModel(), mode);
        QAbstractItemModelTester fieldsTester(dialog.fieldModel(), mode);
        QAbstractItemModelTester rejectionsTester(dialog.rejectionsModel(), mode);
        QAbstractItemModelTester changeTester(dialog.changeModel(), mode);
        QSignalSpy resolved(&dialog, &ConflictsDialog::resolved);
        showAndActivate(&dialog);
        auto *list = dialog.findChild<QTableView *>(QStringLiteral("conflictsList"));
        QCOMPARE(list->model()->rowCount(), 1);
        QCOMPARE(dialog.openConflictCount(), 1);
        QVERIFY2(list->model()
                     ->index(0, ConflictsModel::RecordColumn)
                     .data()
                     .toString()
                     .contains(QStringLiteral("Cy Okafor")),
                 qPrintable(list->model()->index(0, 0).data().toString()));
        clickRow(list, 0);

        // Side by side, the difference highlighted.
        auto *fields = dialog.findChild<QTableView *>(QStringLiteral("conflictFields"));
        QVERIFY(fields->isVisible());
        QCOMPARE(fields->model()->rowCount(), 1);
        const auto cell = [fields](int column) { return fields->model()->index(0, column); };
        QCOMPARE(cell(ConflictsFieldModel::FieldColumn).data().toString(), QStringLiteral("Phone"));
        QCOMPARE(cell(ConflictsFieldModel::LocalColumn).data().toString(),
                 QStringLiteral("+16175550122"));
        QCOMPARE(cell(ConflictsFieldModel::CentralColumn).data().toString(),
                 QStringLiteral("+16175550111"));
        QVERIFY(
            cell(ConflictsFieldModel::LocalColumn).data(ConflictsFieldModel::DiffersRole).toBool());
        QVERIFY(cell(ConflictsFieldModel::LocalColumn).data(Qt::BackgroundRole).isValid());
        QVERIFY(cell(ConflictsFieldModel::CentralColumn).data(Qt::BackgroundRole).isValid());
        QVERIFY(dialog.grab().save(QStringLiteral("conflicts.png")));

        // A merged value the patient store refuses: shown on the field's row, kept as typed, and
        // the conflict stays open.
        editCell(fields, 0, ConflictsFieldModel::MergedColumn, QStringLiteral("not a phone"));
        clickButton(&dialog, "keepMerged");
        const QString problem = cell(ConflictsFieldModel::ProblemColumn).data().toString();
        QVERIFY2(!problem.isEmpty(), "the store's refusal is shown on the row");
        QCOMPARE(cell(ConflictsFieldModel::MergedColumn).data().toString(),
                 QStringLiteral("not a phone"));
        QCOMPARE(resolved.size(), 0);
        QCOMPARE(SyncResolutionStore(b, m_staff.principal).conflicts().value().size(), 1);

        // Keep local: this desktop's phone is written again and goes up with the next sync.
        clickButton(&dialog, "keepLocal");
        QCOMPARE(resolved.size(), 1);
        QCOMPARE(list->model()->rowCount(), 0);
        QCOMPARE(dialog.openConflictCount(), 0);
        QCOMPARE(SyncResolutionStore(b, m_staff.principal).conflicts().value().size(), 0);
        const SyncReport pushed = sync(b);
        QCOMPARE(pushed.applied, 1);
        QCOMPARE(pushed.conflicts, 0);
        QCOMPARE(PatientStore(m_central, m_staff.principal).get(cy.id).value().phone,
                 QStringLiteral("+16175550122"));
        sync(a);
        QCOMPARE(PatientStore(a, m_staff.principal).get(cy.id).value().phone,
                 QStringLiteral("+16175550122"));
    }

    void rejectionShownWithItsReasonAndDiscarded()
    {
        Database a = desktop();
        Database b = desktop();
        const Patient di = addPatient(a, QStringLiteral("Di"));
        sync(a);
        sync(b);
        Appointment booking;
        booking.patient_id = di.id;
        booking.provider_id = m_doctor.provider;
        booking.start_at = tuesdayMorning(3);
        booking.duration_minutes = 30;
        const auto first = AppointmentStore(a, m_staff.principal).create(booking);
        QVERIFY2(first, qPrintable(first.error().message));
        const auto second = AppointmentStore(b, m_staff.principal).create(booking);
        QVERIFY2(second, "offline, b cannot know of a's booking");
        sync(a);
        QCOMPARE(sync(b).rejected, 1);
        const QString reason = test::outboxOf(b).first().error;
        QVERIFY(!reason.isEmpty());

        ConflictsDialog dialog(b, m_staff.principal);
        const auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;
        QAbstractItemModelTester conflictsTester(dialog.conflictsModel(), mode);
        QAbstractItemModelTester fieldsTester(dialog.fieldModel(), mode);
        QAbstractItemModelTester rejectionsTester(dialog.rejectionsModel(), mode);
        QAbstractItemModelTester changeTester(dialog.changeModel(), mode);
        QSignalSpy resolved(&dialog, &ConflictsDialog::resolved);
        showAndActivate(&dialog);
        auto *rejections = dialog.findChild<QTableView *>(QStringLiteral("rejectionsList"));
        QCOMPARE(rejections->model()->rowCount(), 1);
        QCOMPARE(dialog.rejectionCount(), 1);
        QCOMPARE(
            rejections->model()->index(0, ConflictsRejectionModel::ReasonColumn).data().toString(),
            reason);
        clickRow(rejections, 0);

        auto *shownReason = dialog.findChild<QLabel *>(QStringLiteral("rejectionReason"));
        QVERIFY(shownReason->isVisible());
        QVERIFY2(shownReason->text().contains(reason), qPrintable(shownReason->text()));
        auto *change = dialog.findChild<QTableView *>(QStringLiteral("rejectionChange"));
        const int startRow = dialog.changeModel()->rowOf(QStringLiteral("start_at"));
        QVERIFY2(startRow >= 0, "the refused booking's fields are listed");
        QCOMPARE(
            change->model()->index(startRow, ConflictsChangeModel::RefusedColumn).data().toString(),
            formatInstant(booking.start_at));
        QVERIFY(dialog.grab().save(QStringLiteral("conflicts-rejection.png")));

        // Discard: asked first; cancelling keeps it.
        clickButton(&dialog, "discard");
        QPointer<QMessageBox> box =
            dialog.findChild<QMessageBox *>(QStringLiteral("confirmDiscard"));
        QVERIFY(box);
        QVERIFY(QTest::qWaitForWindowExposed(box));
        clickButton(box, "cancel");
        QTRY_VERIFY(!box);
        QCOMPARE(rejections->model()->rowCount(), 1);
        QCOMPARE(resolved.size(), 0);

        clickButton(&dialog, "discard");
        box = dialog.findChild<QMessageBox *>(QStringLiteral("confirmDiscard"));
        QVERIFY(box);
        QVERIFY(QTest::qWaitForWindowExposed(box));
        clickButton(box, "confirm");
        QCOMPARE(resolved.size(), 1);
        QCOMPARE(rejections->model()->rowCount(), 0);
        QCOMPARE(SyncResolutionStore(b, m_staff.principal).rejections().value().size(), 0);
        QCOMPARE(test::outboxOf(b).size(), 0);
        // The central keeps a's booking only, and b has it too.
        sync(b);
        QVERIFY(AppointmentStore(b, m_staff.principal).get(first->id));
        QVERIFY(!AppointmentStore(m_central, m_staff.principal).get(second->id));
    }
};

QTEST_MAIN(TestConflicts)
#include "tst_gui_conflicts.moc"
