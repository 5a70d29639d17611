#include "clock.h"
#include "patientchart.h"
#include "patientstore.h"
#include "prescriptionform.h"
#include "prescriptionspanel.h"
#include "prescriptionstore.h"
#include "prescriptiontablemodel.h"
#include "guisupport.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QFileInfo>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace tmdash;
using tmdash::test::child;
using tmdash::test::chooseByKeyboard;
using tmdash::test::clickRow;
using tmdash::test::retypeInto;
using tmdash::test::showAndActivate;

namespace {

const QString kSimvastatin = QStringLiteral("36567");
const QString kClarithromycin = QStringLiteral("21212");

} // namespace

// Prescriptions in the patient chart: the New prescription dialog over the formulary shows
// interaction, allergy and dose alerts before saving and wants an override reason to proceed;
// status actions follow the state machine; a front-desk (staff) user is offered no prescribing
// action at all. Driven through the real widgets.
class TestGuiPrescriptions : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("guiprescriptions")};
    Database m_db;
    ClinicId m_clinic;
    test::TestProvider m_doctor;
    Patient m_patient;
    Prescription m_statin;

    static PrescriptionsPanel *openTab(PatientChart &chart)
    {
        auto *tabs = chart.findChild<QTabWidget *>(QStringLiteral("chartTabs"));
        const int index = tabs->indexOf(chart.prescriptions());
        if (index < 0)
            return nullptr;
        QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {},
                          tabs->tabBar()->tabRect(index).center());
        return tabs->currentWidget() == chart.prescriptions() ? chart.prescriptions() : nullptr;
    }

    static QStringList kinds(const QList<PrescriptionAlert> &alerts)
    {
        QStringList out;
        for (const PrescriptionAlert &a : alerts)
            out << a.kind;
        return out;
    }

    PatientPrescriptions stored() const
    {
        auto all = PrescriptionStore(m_db, m_doctor.principal).forPatient(m_patient.id);
        if (!all)
            qFatal("cannot read prescriptions: %s", qPrintable(all.error().message));
        return *all;
    }

    // Opens New prescription from the chart's Prescriptions tab.
    static PrescriptionForm *openForm(PrescriptionsPanel *panel)
    {
        auto *button = child<QPushButton>(panel, "newPrescription");
        if (!button)
            return nullptr;
        QTest::mouseClick(button, Qt::LeftButton);
        auto *form = panel->findChild<PrescriptionForm *>();
        if (form && !QTest::qWaitForWindowExposed(form))
            return nullptr;
        return form;
    }

private Q_SLOTS:
    void init()
    {
        m_db = m_factory.create(SqlDialect::Sqlite);
        m_clinic = test::insertClinic(m_db);
        m_doctor = test::insertProvider(m_db, m_clinic);
        Patient p;
        p.given_name = QStringLiteral("Tomas");
        p.family_name = QStringLiteral("Lindqvist");
        p.birth_date = QDate(1949, 3, 22);
        PatientAllergy penicillin;
        penicillin.substance = QStringLiteral("Penicillin");
        penicillin.category = AllergyCategory::Medication;
        penicillin.criticality = AllergyCriticality::High;
        penicillin.status = AllergyStatus::Active;
        p.allergies << penicillin;
        auto created = PatientStore(m_db, m_doctor.principal).create(p);
        QVERIFY2(created, qPrintable(created.error().message));
        m_patient = *created;

        Prescription statin;
        statin.patient_id = m_patient.id;
        statin.provider_id = m_doctor.provider;
        statin.medication_code = kSimvastatin;
        statin.strength = QStringLiteral("20 mg");
        statin.form = QStringLiteral("tablet");
        statin.dose_amount = 20;
        statin.dose_unit = QStringLiteral("mg");
        statin.route = QStringLiteral("oral");
        statin.frequency = Frequency::Qhs;
        statin.start_date = todayUtc().addDays(-30);
        auto rx = PrescriptionStore(m_db, m_doctor.principal).create(statin);
        QVERIFY2(rx, qPrintable(rx.error().message));
        m_statin = *rx;
    }

    void interactingDrugNeedsOverrideReason()
    {
        PatientChart chart(m_db, m_doctor.principal, m_patient.id);
        QVERIFY(chart.prescriptions());
        QAbstractItemModelTester activeTester(
            chart.prescriptions()->activeModel(),
            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester pastTester(chart.prescriptions()->pastModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&chart, {1200, 800});
        PrescriptionsPanel *panel = openTab(chart);
        QVERIFY(panel);
        QCOMPARE(panel->activeModel()->rowCount(), 1);
        QCOMPARE(panel->pastModel()->rowCount(), 0);

        QPointer<PrescriptionForm> form = openForm(panel);
        QVERIFY(form);
        QAbstractItemModelTester drugTester(form->drugModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto *save = child<QPushButton>(form, "save");
        QVERIFY(!save->isEnabled()); // nothing chosen yet
        auto *alerts = child<QFrame>(form, "alerts");
        QVERIFY(!alerts->isVisible());

        // Find the drug by typing; the best match is chosen.
        auto *search = child<QLineEdit>(form, "drugSearch");
        QCOMPARE(QApplication::focusWidget(), search);
        QTest::keyClicks(search, QStringLiteral("clarith"));
        QCOMPARE(form->drugModel()->rowCount(), 1);
        QVERIFY2(child<QLabel>(form, "medicationName")
                     ->text()
                     .contains(QStringLiteral("clarithromycin")),
                 qPrintable(child<QLabel>(form, "medicationName")->text()));

        // The interaction with the active simvastatin is shown before anything is saved.
        QVERIFY(alerts->isVisible());
        QVERIFY(kinds(form->alerts()).contains(QStringLiteral("interaction")));
        const QString alertText = child<QLabel>(form, "alertsText")->text();
        QVERIFY2(alertText.contains(QStringLiteral("simvastatin")), qPrintable(alertText));
        QVERIFY(form->needsOverride());
        auto *reason = child<QPlainTextEdit>(form, "override_reason");
        QVERIFY(reason->isVisible());

        retypeInto(form, "dose_amount", QStringLiteral("1"));
        QCOMPARE(child<QComboBox>(form, "dose_unit")->currentText(), QStringLiteral("tablet"));
        chooseByKeyboard(form, "frequency", QStringLiteral("bid"));
        retypeInto(form, "duration_days", QStringLiteral("7"));
        QVERIFY(!save->isEnabled()); // the override reason is missing
        QVERIFY(!form->messageFor(QStringLiteral("override_reason")).isEmpty());
        // Enter does not get around it.
        QTest::keyClick(child<QLineEdit>(form, "duration_days"), Qt::Key_Return);
        QVERIFY(!form.isNull() && form->isVisible());
        QCOMPARE(stored().active.size(), 1);

        // A dose above the maximum is an alert too, and no reason overrides it.
        retypeInto(form, "dose_amount", QStringLiteral("5"));
        QVERIFY(kinds(form->alerts()).contains(QStringLiteral("max_daily_dose")));
        QVERIFY(!form->messageFor(QStringLiteral("dose_amount")).isEmpty());
        reason->setFocus();
        QTest::keyClicks(reason, QStringLiteral("Statin paused for the week of the antibiotic"));
        QVERIFY(!save->isEnabled());
        retypeInto(form, "dose_amount", QStringLiteral("1"));
        QVERIFY(!kinds(form->alerts()).contains(QStringLiteral("max_daily_dose")));
        QVERIFY(form->messageFor(QStringLiteral("override_reason")).isEmpty());
        QVERIFY(save->isEnabled());

        QCoreApplication::processEvents();
        QVERIFY(form->grab().save(QStringLiteral("prescription-alert.png")));
        QVERIFY(QFileInfo(QStringLiteral("prescription-alert.png")).size() > 0);

        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_VERIFY(form.isNull());

        const PatientPrescriptions after = stored();
        QCOMPARE(after.active.size(), 2);
        const Prescription &added =
            after.active.at(0).id == m_statin.id ? after.active.at(1) : after.active.at(0);
        QCOMPARE(added.medication_code, kClarithromycin);
        QCOMPARE(added.override_reason,
                 QStringLiteral("Statin paused for the week of the antibiotic"));
        QCOMPARE(added.frequency, Frequency::Bid);
        QCOMPARE(added.dose_amount, 1.0);
        QCOMPARE(added.dose_unit, QStringLiteral("tablet"));
        QCOMPARE(added.duration_days, std::optional<int>(7));
        QCOMPARE(added.provider_id, m_doctor.provider);

        QCOMPARE(panel->activeModel()->rowCount(), 2);
        const int row = panel->activeModel()->rowOf(added.id);
        QVERIFY(row >= 0);
        QCOMPARE(panel->activeModel()
                     ->index(row, PrescriptionTableModel::OverrideColumn)
                     .data()
                     .toString(),
                 QStringLiteral("Alert overridden"));
    }

    void allergyAlertIsShown()
    {
        PatientChart chart(m_db, m_doctor.principal, m_patient.id);
        showAndActivate(&chart, {1200, 800});
        PrescriptionsPanel *panel = openTab(chart);
        QVERIFY(panel);
        QPointer<PrescriptionForm> form = openForm(panel);
        QVERIFY(form);
        QAbstractItemModelTester drugTester(form->drugModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTest::keyClicks(child<QLineEdit>(form, "drugSearch"), QStringLiteral("amoxi"));
        QVERIFY(kinds(form->alerts()).contains(QStringLiteral("allergy")));
        QVERIFY2(child<QLabel>(form, "alertsText")->text().contains(QStringLiteral("Penicillin")),
                 qPrintable(child<QLabel>(form, "alertsText")->text()));
        QVERIFY(form->needsOverride());
        // Another drug: the alert goes away.
        retypeInto(form, "drugSearch", QStringLiteral("acetamin"));
        QVERIFY(form->alerts().isEmpty());
        QVERIFY(!child<QFrame>(form, "alerts")->isVisible());
        QVERIFY(!form->needsOverride());
        QTest::mouseClick(child<QPushButton>(form, "cancel"), Qt::LeftButton);
        QTRY_VERIFY(form.isNull());
        QCOMPARE(stored().active.size(), 1);
    }

    void statusActionsFollowTheStateMachine()
    {
        PatientChart chart(m_db, m_doctor.principal, m_patient.id);
        QAbstractItemModelTester activeTester(
            chart.prescriptions()->activeModel(),
            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester pastTester(chart.prescriptions()->pastModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&chart, {1200, 800});
        PrescriptionsPanel *panel = openTab(chart);
        QVERIFY(panel);
        auto *hold = child<QPushButton>(panel, "holdPrescription");
        auto *resume = child<QPushButton>(panel, "resumePrescription");
        auto *cancel = child<QPushButton>(panel, "cancelPrescription");
        QVERIFY(hold && resume && cancel);
        QVERIFY(!hold->isVisible()); // nothing selected

        clickRow(panel->activeTable(), 0);
        QVERIFY(hold->isVisible());
        QVERIFY(!resume->isVisible());
        QTest::mouseClick(hold, Qt::LeftButton);
        QCOMPARE(stored().active.first().status, PrescriptionStatus::OnHold);
        QCOMPARE(
            panel->activeModel()->index(0, PrescriptionTableModel::StatusColumn).data().toString(),
            QStringLiteral("On hold"));
        QVERIFY(!hold->isVisible());
        QVERIFY(resume->isVisible());

        // Cancelling is confirmed first; then the prescription moves to the past.
        QTest::mouseClick(cancel, Qt::LeftButton);
        QPointer<QMessageBox> box =
            panel->findChild<QMessageBox *>(QStringLiteral("confirmPrescriptionAction"));
        QVERIFY(box);
        QVERIFY(QTest::qWaitForWindowExposed(box));
        QCOMPARE(stored().active.size(), 1); // not yet
        QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
        QTRY_VERIFY(box.isNull());
        const PatientPrescriptions after = stored();
        QCOMPARE(after.active.size(), 0);
        QCOMPARE(after.past.size(), 1);
        QCOMPARE(after.past.first().status, PrescriptionStatus::Cancelled);
        QCOMPARE(panel->activeModel()->rowCount(), 0);
        QCOMPARE(panel->pastModel()->rowCount(), 1);
        // Selected in the past table now: only "entered in error" is left.
        QVERIFY(!cancel->isVisible());
        QVERIFY(child<QPushButton>(panel, "errorPrescription")->isVisible());
    }

    void frontDeskSeesNoPrescribingAction()
    {
        const test::TestUser desk =
            test::insertUser(m_db, m_clinic, Role::Staff, QStringLiteral("desk@north.example"));
        PatientChart chart(m_db, desk.principal, m_patient.id);
        QVERIFY(chart.prescriptions());
        QAbstractItemModelTester activeTester(
            chart.prescriptions()->activeModel(),
            QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&chart, {1200, 800});
        PrescriptionsPanel *panel = openTab(chart);
        QVERIFY(panel);
        QCOMPARE(panel->activeModel()->rowCount(), 1); // they may read them
        for (const char *name : {"newPrescription", "holdPrescription", "resumePrescription",
                                 "completePrescription", "cancelPrescription", "errorPrescription"})
            QVERIFY2(!child<QPushButton>(&chart, name), name);
        clickRow(panel->activeTable(), 0);
        QVERIFY(!panel->newPrescription());
        QVERIFY(!panel->apply(PrescriptionAction::Hold));
        QVERIFY(chart.findChildren<PrescriptionForm *>().isEmpty());
        QCOMPARE(stored().active.first().status, PrescriptionStatus::Active);
    }
};

QTEST_MAIN(TestGuiPrescriptions)
#include "tst_gui_prescriptions.moc"
