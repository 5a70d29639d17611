#include "appointmentstore.h"
#include "clock.h"
#include "consultationeditor.h"
#include "consultationspanel.h"
#include "consultationstore.h"
#include "consultationtablemodel.h"
#include "patientappointmentsmodel.h"
#include "patientchart.h"
#include "patientform.h"
#include "patientstore.h"
#include "recordtable.h"
#include "guisupport.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QFileInfo>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using namespace tmdash;
using tmdash::test::child;
using tmdash::test::retypeInto;
using tmdash::test::showAndActivate;

// "The record changed": an open form with unsaved edits is not overwritten when its record is
// changed by another connection and the app calls PatientChart::recordsChanged. It shows a
// banner with Review (typed and stored values side by side); a save over the change is refused
// until reviewed, and keeping the typed values does not drop the other change. A form without
// edits just reloads. The same holds for a consultation draft in the editor.
class TestGuiRecordChanged : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("guirecordchanged")};
    Database m_db;
    QString m_url;
    test::TestProvider m_doctor;
    Patient m_patient;

    static QString text(QWidget *parent, const char *name)
    {
        auto *edit = child<QLineEdit>(parent, name);
        return edit ? edit->text() : QStringLiteral("<no %1>").arg(QString::fromLatin1(name));
    }

    // Opens Edit from the chart's Demographics tab.
    static PatientForm *openEdit(PatientChart &chart)
    {
        auto *button = child<QPushButton>(&chart, "editPatient");
        if (!button)
            return nullptr;
        QTest::mouseClick(button, Qt::LeftButton);
        auto *form = chart.findChild<PatientForm *>();
        if (form && !QTest::qWaitForWindowExposed(form))
            return nullptr;
        return form;
    }

    // Another desktop's write: a second connection to the same database file.
    template <class Change> void changeElsewhere(Change change)
    {
        auto other = Database::open(m_url, QStringLiteral("otherDesk"));
        QVERIFY2(other, qPrintable(other.error().message));
        change(*other);
        other.value().close();
    }

    Patient storedPatient() const
    {
        auto p = PatientStore(m_db, m_doctor.principal).get(m_patient.id);
        if (!p)
            qFatal("cannot read the patient: %s", qPrintable(p.error().message));
        return *p;
    }

    // The review table as "field: typed | stored" lines.
    static QStringList reviewLines(QWidget *form)
    {
        QStringList out;
        auto *table = child<QTableWidget>(form, "reviewTable");
        if (!table)
            return {QStringLiteral("<no review table>")};
        for (int row = 0; row < table->rowCount(); ++row)
            out << QStringLiteral("%1: %2 | %3")
                       .arg(table->item(row, 0)->data(Qt::UserRole).toString(),
                            table->item(row, 1)->text(), table->item(row, 2)->text());
        return out;
    }

private Q_SLOTS:
    void init()
    {
        m_db = m_factory.create(SqlDialect::Sqlite);
        m_url = m_factory.lastUrl();
        m_doctor = test::insertProvider(m_db, test::insertClinic(m_db));
        Patient p;
        p.given_name = QStringLiteral("Maren");
        p.family_name = QStringLiteral("Holt");
        p.birth_date = QDate(1980, 6, 5);
        p.phone = QStringLiteral("(555) 201-3344");
        p.city = QStringLiteral("Springfield");
        auto created = PatientStore(m_db, m_doctor.principal).create(p);
        QVERIFY2(created, qPrintable(created.error().message));
        m_patient = *created;
    }

    void editedFormShowsBannerAndKeepsTyping()
    {
        PatientChart chart(m_db, m_doctor.principal, m_patient.id);
        showAndActivate(&chart, {1100, 800});
        QPointer<PatientForm> form = openEdit(chart);
        QVERIFY(form);
        auto *banner = child<QFrame>(form, "recordChanged");
        QVERIFY(banner);
        QVERIFY(!banner->isVisible());

        retypeInto(form, "phone", QStringLiteral("(555) 777-1212"));
        QVERIFY(form->hasEdits());

        // Someone else changes the phone and the city meanwhile.
        changeElsewhere([this](const Database &other) {
            auto p = PatientStore(other, m_doctor.principal).get(m_patient.id);
            QVERIFY(p);
            Patient changed = *p;
            changed.phone = QStringLiteral("(555) 404-9090");
            changed.city = QStringLiteral("Shelbyville");
            QVERIFY(PatientStore(other, m_doctor.principal).update(changed));
        });
        chart.recordsChanged({m_patient.id.value});

        // The chart shows the new values; the form keeps what was typed and says so.
        QCOMPARE(child<QLabel>(&chart, "cityValue")->text(), QStringLiteral("Shelbyville"));
        QVERIFY(banner->isVisible());
        QVERIFY(child<QLabel>(form, "recordChangedText")
                    ->text()
                    .contains(QStringLiteral("changed by someone else")));
        QCOMPARE(text(form, "phone"), QStringLiteral("(555) 777-1212"));
        QCOMPARE(text(form, "city"), QStringLiteral("Springfield"));

        // Review: typed and stored side by side.
        QTest::mouseClick(child<QPushButton>(form, "reviewChanges"), Qt::LeftButton);
        QVERIFY(child<QTableWidget>(form, "reviewTable")->isVisible());
        const QStringList review = reviewLines(form);
        const QString theirPhone = storedPatient().phone; // as the store normalised it
        QVERIFY2(review.contains(QStringLiteral("phone: (555) 777-1212 | ") + theirPhone),
                 qPrintable(review.join(QLatin1Char('\n'))));
        QVERIFY2(review.contains(QStringLiteral("city: Springfield | Shelbyville")),
                 qPrintable(review.join(QLatin1Char('\n'))));
        QCoreApplication::processEvents();
        QVERIFY(form->grab().save(QStringLiteral("record-changed.png")));
        QVERIFY(QFileInfo(QStringLiteral("record-changed.png")).size() > 0);

        // Keep my values: the untouched city takes the other change, the typed phone stays;
        // saving then keeps both changes.
        QTest::mouseClick(child<QPushButton>(form, "keepMine"), Qt::LeftButton);
        QVERIFY(!banner->isVisible());
        QCOMPARE(text(form, "city"), QStringLiteral("Shelbyville"));
        QCOMPARE(text(form, "phone"), QStringLiteral("(555) 777-1212"));
        QTest::mouseClick(child<QPushButton>(form, "save"), Qt::LeftButton);
        QTRY_VERIFY(form.isNull());
        const Patient after = storedPatient();
        QVERIFY2(after.phone.endsWith(QStringLiteral("5557771212")), qPrintable(after.phone));
        QCOMPARE(after.city, QStringLiteral("Shelbyville"));
    }

    void staleSaveIsRefusedNotSilent()
    {
        PatientChart chart(m_db, m_doctor.principal, m_patient.id);
        showAndActivate(&chart, {1100, 800});
        QPointer<PatientForm> form = openEdit(chart);
        QVERIFY(form);
        retypeInto(form, "family_name", QStringLiteral("Holt-Berg"));

        // Changed elsewhere, and the app has not said so yet: Save must not write over it.
        changeElsewhere([this](const Database &other) {
            auto p = PatientStore(other, m_doctor.principal).get(m_patient.id);
            QVERIFY(p);
            Patient changed = *p;
            changed.city = QStringLiteral("Capital City");
            QVERIFY(PatientStore(other, m_doctor.principal).update(changed));
        });
        QTest::mouseClick(child<QPushButton>(form, "save"), Qt::LeftButton);
        QVERIFY(!form.isNull() && form->isVisible());
        auto *banner = child<QFrame>(form, "recordChanged");
        QVERIFY(banner->isVisible());
        QVERIFY(child<QLabel>(form, "recordChangedText")
                    ->text()
                    .startsWith(QStringLiteral("Not saved.")));
        QCOMPARE(text(form, "family_name"), QStringLiteral("Holt-Berg"));
        Patient now = storedPatient();
        QCOMPARE(now.family_name, QStringLiteral("Holt"));
        QCOMPARE(now.city, QStringLiteral("Capital City"));

        // Reload: the stored values replace the typed ones, by the person's choice.
        QTest::mouseClick(child<QPushButton>(form, "reloadRecord"), Qt::LeftButton);
        QVERIFY(!banner->isVisible());
        QCOMPARE(text(form, "family_name"), QStringLiteral("Holt"));
        QCOMPARE(text(form, "city"), QStringLiteral("Capital City"));
        QVERIFY(!form->hasEdits());
    }

    void formWithoutEditsReloads()
    {
        PatientChart chart(m_db, m_doctor.principal, m_patient.id);
        showAndActivate(&chart, {1100, 800});
        QPointer<PatientForm> form = openEdit(chart);
        QVERIFY(form);
        QVERIFY(!form->hasEdits());
        changeElsewhere([this](const Database &other) {
            auto p = PatientStore(other, m_doctor.principal).get(m_patient.id);
            QVERIFY(p);
            Patient changed = *p;
            changed.given_name = QStringLiteral("Marit");
            QVERIFY(PatientStore(other, m_doctor.principal).update(changed));
        });
        chart.recordsChanged({m_patient.id.value});
        QCOMPARE(text(form, "given_name"), QStringLiteral("Marit"));
        QVERIFY(!child<QFrame>(form, "recordChanged")->isVisible());
        QVERIFY(!form->hasEdits());
        QVERIFY(chart.findChild<QLabel *>(QStringLiteral("chartHeading"))
                    ->text()
                    .contains(QStringLiteral("Marit")));
    }

    void draftNoteWithEditsShowsBanner()
    {
        Consultation c;
        c.patient_id = m_patient.id;
        c.provider_id = m_doctor.provider;
        c.started_at = QDateTime::currentDateTimeUtc().addSecs(-3600);
        c.chief_complaint = QStringLiteral("Sore throat");
        auto draft = ConsultationStore(m_db, m_doctor.principal).create(c);
        QVERIFY2(draft, qPrintable(draft.error().message));

        PatientChart chart(m_db, m_doctor.principal, m_patient.id);
        QAbstractItemModelTester tester(chart.consultations()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&chart, {1100, 800});
        auto *tabs = chart.findChild<QTabWidget *>(QStringLiteral("chartTabs"));
        const int index = tabs->indexOf(chart.consultations());
        QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {},
                          tabs->tabBar()->tabRect(index).center());
        ConsultationEditor *editor = chart.consultations()->editor();
        QCOMPARE(editor->consultation().id, draft->id);
        auto *plan = child<QPlainTextEdit>(editor, "plan");
        plan->setFocus();
        QTest::keyClicks(plan, QStringLiteral("Rapid strep test"));
        QVERIFY(editor->hasEdits());

        changeElsewhere([&](const Database &other) {
            auto note = ConsultationStore(other, m_doctor.principal).get(draft->id);
            QVERIFY(note);
            Consultation changed = *note;
            changed.assessment = QStringLiteral("Viral pharyngitis likely");
            QVERIFY(ConsultationStore(other, m_doctor.principal).update(changed));
        });
        QSignalSpy resets(chart.consultations()->model(), &QAbstractItemModel::modelReset);
        chart.recordsChanged({draft->id.value});
        QCOMPARE(resets.count(), 0);

        auto *banner = child<QFrame>(editor, "recordChanged");
        QVERIFY(banner->isVisible());
        QCOMPARE(plan->toPlainText(), QStringLiteral("Rapid strep test"));
        QVERIFY(child<QPlainTextEdit>(editor, "assessment")->toPlainText().isEmpty());

        // A save now would drop the other change: refused, the store untouched.
        QTest::keyClick(plan, Qt::Key_S, Qt::ControlModifier);
        auto stored = ConsultationStore(m_db, m_doctor.principal).get(draft->id);
        QVERIFY(stored);
        QVERIFY(stored->plan.isEmpty());
        QCOMPARE(stored->assessment, QStringLiteral("Viral pharyngitis likely"));

        QTest::mouseClick(child<QPushButton>(editor, "reviewChanges"), Qt::LeftButton);
        const QStringList review = reviewLines(editor);
        QVERIFY2(review.contains(QStringLiteral("assessment:  | Viral pharyngitis likely")),
                 qPrintable(review.join(QLatin1Char('\n'))));
        QVERIFY2(review.contains(QStringLiteral("plan: Rapid strep test | ")),
                 qPrintable(review.join(QLatin1Char('\n'))));

        // Keep my text: both changes end up stored.
        QTest::mouseClick(child<QPushButton>(editor, "keepMine"), Qt::LeftButton);
        QVERIFY(!banner->isVisible());
        QCOMPARE(child<QPlainTextEdit>(editor, "assessment")->toPlainText(),
                 QStringLiteral("Viral pharyngitis likely"));
        QCOMPARE(plan->toPlainText(), QStringLiteral("Rapid strep test"));
        plan->setFocus();
        QTest::keyClick(plan, Qt::Key_S, Qt::ControlModifier);
        stored = ConsultationStore(m_db, m_doctor.principal).get(draft->id);
        QVERIFY(stored);
        QCOMPARE(stored->plan, QStringLiteral("Rapid strep test"));
        QCOMPARE(stored->assessment, QStringLiteral("Viral pharyngitis likely"));
        QVERIFY(!editor->hasEdits());
    }

    void draftNoteWithoutEditsReloads()
    {
        Consultation c;
        c.patient_id = m_patient.id;
        c.provider_id = m_doctor.provider;
        c.started_at = QDateTime::currentDateTimeUtc().addSecs(-3600);
        c.chief_complaint = QStringLiteral("Earache");
        auto draft = ConsultationStore(m_db, m_doctor.principal).create(c);
        QVERIFY(draft);

        PatientChart chart(m_db, m_doctor.principal, m_patient.id);
        QAbstractItemModelTester tester(chart.consultations()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&chart, {1100, 800});
        auto *tabs = chart.findChild<QTabWidget *>(QStringLiteral("chartTabs"));
        tabs->setCurrentWidget(chart.consultations());
        ConsultationEditor *editor = chart.consultations()->editor();
        QCOMPARE(editor->consultation().id, draft->id);

        changeElsewhere([&](const Database &other) {
            auto note = ConsultationStore(other, m_doctor.principal).get(draft->id);
            QVERIFY(note);
            Consultation changed = *note;
            changed.chief_complaint = QStringLiteral("Earache, left");
            QVERIFY(ConsultationStore(other, m_doctor.principal).update(changed));
        });
        QSignalSpy changedRows(chart.consultations()->model(), &QAbstractItemModel::dataChanged);
        chart.recordsChanged({draft->id.value});
        QCOMPARE(changedRows.count(), 1);
        QCOMPARE(child<QLineEdit>(editor, "chief_complaint")->text(),
                 QStringLiteral("Earache, left"));
        QVERIFY(!child<QFrame>(editor, "recordChanged")->isVisible());
        QCOMPARE(chart.consultations()
                     ->model()
                     ->index(0, ConsultationTableModel::SummaryColumn)
                     .data()
                     .toString(),
                 QStringLiteral("Earache, left"));
    }

    void appointmentsTabUpdatesInPlace()
    {
        // Two bookings, written directly (the schedule rules are the schedule's tests).
        const auto book = [this](int daysAhead, const QString &reason) {
            const QString id = newUuidV7();
            const QString now = formatInstant(nowUtc());
            const Row row{
                {QStringLiteral("id"), id},
                {QStringLiteral("clinic_id"), m_patient.clinic_id.value},
                {QStringLiteral("patient_id"), m_patient.id.value},
                {QStringLiteral("provider_id"), m_doctor.provider.value},
                {QStringLiteral("start_at"), formatInstant(nowUtc().addDays(daysAhead))},
                {QStringLiteral("duration_minutes"), 20},
                {QStringLiteral("type"), QStringLiteral("follow_up")},
                {QStringLiteral("status"), QStringLiteral("scheduled")},
                {QStringLiteral("room"), QStringLiteral("2")},
                {QStringLiteral("reason"), reason},
                {QStringLiteral("created_at"), now},
                {QStringLiteral("updated_at"), now},
            };
            if (Status st = RecordTable(m_db, u"appointments").insert(row); !st)
                qFatal("booking failed: %s", qPrintable(st.error().message));
            return AppointmentId(id);
        };
        const AppointmentId past = book(-14, QStringLiteral("Blood pressure check"));
        const AppointmentId next = book(7, QStringLiteral("Review results"));

        PatientChart chart(m_db, m_doctor.principal, m_patient.id);
        QVERIFY(chart.appointmentsModel());
        QAbstractItemModelTester tester(chart.appointmentsModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&chart, {1100, 800});
        auto *tabs = chart.findChild<QTabWidget *>(QStringLiteral("chartTabs"));
        auto *table = chart.findChild<QTableView *>(QStringLiteral("appointmentsTable"));
        QVERIFY(table);
        tabs->setCurrentWidget(table->parentWidget());
        PatientAppointmentsModel *model = chart.appointmentsModel();
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->rowOf(past), 0); // oldest first
        QCOMPARE(model->index(1, PatientAppointmentsModel::ReasonColumn).data().toString(),
                 QStringLiteral("Review results"));
        QCOMPARE(model->index(1, PatientAppointmentsModel::StatusColumn).data().toString(),
                 QStringLiteral("Scheduled"));
        QVERIFY(table->editTriggers() == QAbstractItemView::NoEditTriggers); // read-only
        table->selectRow(1);

        changeElsewhere([&](const Database &other) {
            auto cancelled = AppointmentStore(other, m_doctor.principal)
                                 .cancel(next, QStringLiteral("Patient travelling"));
            QVERIFY2(cancelled, qPrintable(cancelled.error().message));
        });
        QSignalSpy resets(model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
        chart.recordsChanged({next.value});
        QCOMPARE(resets.count(), 0);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(model->index(1, PatientAppointmentsModel::StatusColumn).data().toString(),
                 QStringLiteral("Cancelled"));
        QCOMPARE(table->currentIndex().row(), 1); // the selection stays
    }
};

QTEST_MAIN(TestGuiRecordChanged)
#include "tst_gui_recordchanged.moc"
