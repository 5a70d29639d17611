#include "consultationaddendumdialog.h"
#include "consultationeditor.h"
#include "consultationspanel.h"
#include "consultationstore.h"
#include "consultationtablemodel.h"
#include "patientchart.h"
#include "patientstore.h"
#include "guisupport.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace tmdash;
using tmdash::test::child;
using tmdash::test::showAndActivate;

// Consultations in the patient chart: a draft written and saved with the keyboard, ICD-10 codes
// checked as typed, signing (after which the note cannot be edited), an addendum, and what
// roles that may not write or sign notes are offered — all through the real widgets.
class TestGuiConsultations : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("guiconsultations")};
    Database m_db;
    ClinicId m_clinic;
    test::TestProvider m_doctor;
    Patient m_patient;

    // Clicks the chart's Consultations tab.
    static ConsultationsPanel *openTab(PatientChart &chart)
    {
        auto *tabs = chart.findChild<QTabWidget *>(QStringLiteral("chartTabs"));
        const int index = tabs->indexOf(chart.consultations());
        if (index < 0)
            return nullptr;
        QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {},
                          tabs->tabBar()->tabRect(index).center());
        return tabs->currentWidget() == chart.consultations() ? chart.consultations() : nullptr;
    }

    QList<Consultation> stored() const
    {
        auto all = ConsultationStore(m_db, m_doctor.principal).forPatient(m_patient.id);
        if (!all)
            qFatal("cannot read consultations: %s", qPrintable(all.error().message));
        return *all;
    }

private Q_SLOTS:
    void init()
    {
        m_db = m_factory.create(SqlDialect::Sqlite);
        m_clinic = test::insertClinic(m_db);
        m_doctor = test::insertProvider(m_db, m_clinic);
        Patient p;
        p.given_name = QStringLiteral("Ines");
        p.family_name = QStringLiteral("Okafor");
        p.birth_date = QDate(1971, 9, 14);
        auto created = PatientStore(m_db, m_doctor.principal).create(p);
        QVERIFY2(created, qPrintable(created.error().message));
        m_patient = *created;
    }

    void writeSignThenReadOnlyAndAddendum()
    {
        PatientChart chart(m_db, m_doctor.principal, m_patient.id);
        QVERIFY(chart.consultations());
        QAbstractItemModelTester tester(chart.consultations()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&chart, {1200, 800});
        ConsultationsPanel *panel = openTab(chart);
        QVERIFY(panel);
        ConsultationEditor *editor = panel->editor();
        QCOMPARE(panel->model()->rowCount(), 0);

        QTest::mouseClick(child<QPushButton>(panel, "newConsultation"), Qt::LeftButton);
        QVERIFY(editor->hasNote());
        auto *save = child<QPushButton>(editor, "saveConsultation");
        QVERIFY(save && save->isVisible());
        QVERIFY(!save->isEnabled()); // the chief complaint is required

        auto *complaint = child<QLineEdit>(editor, "chief_complaint");
        QTRY_COMPARE(QApplication::focusWidget(), complaint);
        QTest::keyClicks(complaint, QStringLiteral("Cough for two weeks"));
        QTest::keyClicks(child<QPlainTextEdit>(editor, "history"),
                         QStringLiteral("Dry cough, worse at night. No fever."));
        QTest::keyClicks(child<QPlainTextEdit>(editor, "assessment"),
                         QStringLiteral("Probably post-viral bronchitis."));
        QVERIFY(save->isEnabled());

        // An ICD-10 code of the wrong shape is refused as typed.
        QTest::mouseClick(child<QPushButton>(editor, "addDiagnosis"), Qt::LeftButton);
        auto *code = child<QLineEdit>(editor, "diagnosis0Code");
        QVERIFY(code);
        QCOMPARE(QApplication::focusWidget(), code);
        QTest::keyClicks(code, QStringLiteral("20J"));
        QVERIFY(!save->isEnabled());
        QVERIFY2(!editor->messageFor(QStringLiteral("diagnosis0")).isEmpty(),
                 "no message for a malformed ICD-10 code");
        code->clear();
        QTest::keyClicks(code, QStringLiteral("j20.9")); // lower case is read as upper
        QVERIFY2(editor->messageFor(QStringLiteral("diagnosis0")).isEmpty(),
                 qPrintable(editor->messageFor(QStringLiteral("diagnosis0"))));
        QTest::keyClick(code, Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), child<QLineEdit>(editor, "diagnosis0Description"));
        QTest::keyClicks(QApplication::focusWidget(),
                         QStringLiteral("Acute bronchitis, unspecified"));
        // Tab to the primary box and tick it.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), child<QCheckBox>(editor, "diagnosis0Primary"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
        QVERIFY(child<QCheckBox>(editor, "diagnosis0Primary")->isChecked());
        QVERIFY(save->isEnabled());

        // Ctrl+S from the plan saves the draft.
        auto *plan = child<QPlainTextEdit>(editor, "plan");
        plan->setFocus();
        QTest::keyClicks(plan, QStringLiteral("Honey, fluids; review in 2 weeks."));
        QTest::keyClick(plan, Qt::Key_S, Qt::ControlModifier);
        QList<Consultation> notes = stored();
        QCOMPARE(notes.size(), 1);
        const Consultation draft = notes.first();
        QCOMPARE(draft.status, ConsultationStatus::Draft);
        QCOMPARE(draft.chief_complaint, QStringLiteral("Cough for two weeks"));
        QCOMPARE(draft.plan, QStringLiteral("Honey, fluids; review in 2 weeks."));
        QCOMPARE(draft.provider_id, m_doctor.provider);
        QCOMPARE(draft.diagnoses.size(), 1);
        QCOMPARE(draft.diagnoses.first().icd10_code, QStringLiteral("J20.9"));
        QVERIFY(draft.diagnoses.first().is_primary);
        QVERIFY(!editor->hasEdits());
        QCOMPARE(panel->model()->rowCount(), 1);
        QCOMPARE(panel->model()->index(0, ConsultationTableModel::StatusColumn).data().toString(),
                 QStringLiteral("Draft"));
        QCOMPARE(panel->model()->index(0, ConsultationTableModel::SummaryColumn).data().toString(),
                 QStringLiteral("Cough for two weeks"));
        QCOMPARE(panel->table()->currentIndex().row(), 0);

        // Sign: the note is signed in the store and the editor becomes read-only.
        auto *sign = child<QPushButton>(editor, "signConsultation");
        QVERIFY(sign && sign->isVisible() && sign->isEnabled());
        QTest::mouseClick(sign, Qt::LeftButton);
        notes = stored();
        QCOMPARE(notes.size(), 1);
        QCOMPARE(notes.first().status, ConsultationStatus::Signed);
        QCOMPARE(notes.first().signed_by, std::optional<UserId>(m_doctor.user));
        QCOMPARE(panel->model()->index(0, ConsultationTableModel::StatusColumn).data().toString(),
                 QStringLiteral("Signed"));
        QVERIFY(editor->isReadOnly());
        QVERIFY(!save->isVisible());
        QVERIFY(!sign->isVisible());
        QVERIFY(!child<QPushButton>(editor, "addDiagnosis")->isVisible());

        // Typing changes nothing, and Ctrl+S does not write.
        auto *history = child<QPlainTextEdit>(editor, "history");
        history->setFocus();
        QTest::keyClicks(history, QStringLiteral(" Edited after signing."));
        QCOMPARE(history->toPlainText(), QStringLiteral("Dry cough, worse at night. No fever."));
        QTest::keyClicks(complaint, QStringLiteral("!!"));
        QCOMPARE(complaint->text(), QStringLiteral("Cough for two weeks"));
        QTest::keyClick(history, Qt::Key_S, Qt::ControlModifier);
        QVERIFY(!editor->hasEdits());
        const Consultation signedNote = stored().first();
        QCOMPARE(signedNote.history, QStringLiteral("Dry cough, worse at night. No fever."));
        QCOMPARE(signedNote.meta.updated_at, notes.first().meta.updated_at);
        // The store refuses an edit of a signed note too (the UI only mirrors it).
        Consultation tampered = signedNote;
        tampered.plan = QStringLiteral("changed");
        QVERIFY(!ConsultationStore(m_db, m_doctor.principal).update(tampered));

        QCoreApplication::processEvents();
        QVERIFY(chart.grab().save(QStringLiteral("chart-consultations.png")));
        QVERIFY(QFileInfo(QStringLiteral("chart-consultations.png")).size() > 0);

        // Add addendum: the dialog's text becomes a new note amending the signed one.
        auto *addendum = child<QPushButton>(editor, "addAddendum");
        QVERIFY(addendum && addendum->isVisible());
        QTest::mouseClick(addendum, Qt::LeftButton);
        QPointer<ConsultationAddendumDialog> dialog =
            editor->findChild<ConsultationAddendumDialog *>();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *dialogSave = child<QPushButton>(dialog, "save");
        QVERIFY(!dialogSave->isEnabled());
        QTest::keyClicks(child<QPlainTextEdit>(dialog, "addendumText"),
                         QStringLiteral("Chest X-ray came back clear."));
        QVERIFY(dialogSave->isEnabled());
        QTest::mouseClick(dialogSave, Qt::LeftButton);
        QTRY_VERIFY(dialog.isNull());

        notes = stored();
        QCOMPARE(notes.size(), 2);
        const Consultation &added = notes.at(0).id == signedNote.id ? notes.at(1) : notes.at(0);
        QCOMPARE(added.amends_id, std::optional<ConsultationId>(signedNote.id));
        QCOMPARE(added.history, QStringLiteral("Chest X-ray came back clear."));
        QCOMPARE(added.status, ConsultationStatus::Draft);
        QCOMPARE(panel->model()->rowCount(), 2);
        const int row = panel->model()->rowOf(added.id);
        QVERIFY(row >= 0);
        QCOMPARE(panel->model()->index(row, ConsultationTableModel::StatusColumn).data().toString(),
                 QStringLiteral("Addendum, draft"));
        // The addendum opens in the editor, to be completed and signed.
        QCOMPARE(editor->consultation().id, added.id);
        QVERIFY(!editor->isReadOnly());
        // The signed note itself is unchanged.
        const auto again = ConsultationStore(m_db, m_doctor.principal).get(signedNote.id);
        QVERIFY(again);
        QCOMPARE(again->history, signedNote.history);
        QCOMPARE(again->status, ConsultationStatus::Signed);
    }

    void unsavedTypingIsNotLostWhenChangingNotes()
    {
        Consultation a;
        a.patient_id = m_patient.id;
        a.provider_id = m_doctor.provider;
        a.started_at = QDateTime::currentDateTimeUtc().addDays(-3);
        a.chief_complaint = QStringLiteral("Headache");
        QVERIFY(ConsultationStore(m_db, m_doctor.principal).create(a));
        a.id = {};
        a.started_at = QDateTime::currentDateTimeUtc().addDays(-1);
        a.chief_complaint = QStringLiteral("Back pain");
        QVERIFY(ConsultationStore(m_db, m_doctor.principal).create(a));

        PatientChart chart(m_db, m_doctor.principal, m_patient.id);
        QAbstractItemModelTester tester(chart.consultations()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&chart, {1200, 800});
        ConsultationsPanel *panel = openTab(chart);
        QVERIFY(panel);
        QCOMPARE(panel->model()->rowCount(), 2);
        ConsultationEditor *editor = panel->editor();
        // The latest note is open.
        QCOMPARE(editor->consultation().chief_complaint, QStringLiteral("Back pain"));
        auto *plan = child<QPlainTextEdit>(editor, "plan");
        plan->setFocus();
        QTest::keyClicks(plan, QStringLiteral("Physiotherapy"));
        QVERIFY(editor->hasEdits());

        // Another note is not opened over unsaved typing.
        QTableView *table = panel->table();
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                          table->visualRect(panel->model()->index(1, 0)).center());
        QCOMPARE(editor->consultation().chief_complaint, QStringLiteral("Back pain"));
        QCOMPARE(plan->toPlainText(), QStringLiteral("Physiotherapy"));
        QCOMPARE(table->currentIndex().row(), 0);
        QVERIFY(child<QLabel>(panel, "consultationsMessage")->isVisible());
        QVERIFY(!newDraftOffered(panel));

        // Ctrl+S from the list saves the open note; then the other note opens.
        QCOMPARE(QApplication::focusWidget(), table);
        QTest::keyClick(table, Qt::Key_S, Qt::ControlModifier);
        QCOMPARE(ConsultationStore(m_db, m_doctor.principal).get(editor->consultation().id)->plan,
                 QStringLiteral("Physiotherapy"));
        QVERIFY(!editor->hasEdits());
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                          table->visualRect(panel->model()->index(1, 0)).center());
        QCOMPARE(editor->consultation().chief_complaint, QStringLiteral("Headache"));
    }

    void rolesThatMayNotWriteSeeNoActions()
    {
        Consultation a;
        a.patient_id = m_patient.id;
        a.provider_id = m_doctor.provider;
        a.started_at = QDateTime::currentDateTimeUtc().addDays(-1);
        a.chief_complaint = QStringLiteral("Rash");
        QVERIFY(ConsultationStore(m_db, m_doctor.principal).create(a));

        const test::TestUser nurse =
            test::insertUser(m_db, m_clinic, Role::Staff, QStringLiteral("nurse@north.example"));
        PatientChart chart(m_db, nurse.principal, m_patient.id);
        QVERIFY(chart.consultations());
        QAbstractItemModelTester tester(chart.consultations()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&chart, {1200, 800});
        ConsultationsPanel *panel = openTab(chart);
        QVERIFY(panel);
        QCOMPARE(panel->model()->rowCount(), 1);
        ConsultationEditor *editor = panel->editor();
        QCOMPARE(editor->consultation().chief_complaint, QStringLiteral("Rash"));
        QVERIFY(!child<QPushButton>(panel, "newConsultation"));
        QVERIFY(!child<QPushButton>(editor, "saveConsultation"));
        QVERIFY(!child<QPushButton>(editor, "signConsultation"));
        QVERIFY(!child<QPushButton>(editor, "addAddendum"));
        // Even a draft is read-only for them.
        QVERIFY(editor->isReadOnly());
        auto *complaint = child<QLineEdit>(editor, "chief_complaint");
        QTest::keyClicks(complaint, QStringLiteral("x"));
        QCOMPARE(complaint->text(), QStringLiteral("Rash"));
    }

private:
    static bool newDraftOffered(ConsultationsPanel *panel) { return panel->newConsultation(); }
};

QTEST_MAIN(TestGuiConsultations)
#include "tst_gui_consultations.moc"
