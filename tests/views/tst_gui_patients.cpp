#include "clock.h"
#include "patientchart.h"
#include "patientform.h"
#include "patientsortfiltermodel.h"
#include "patientspage.h"
#include "patientstore.h"
#include "patienttablemodel.h"
#include "guisupport.h"
#include "testsupport.h"
#include "transaction.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace tmdash;
using tmdash::test::showAndActivate;
using tmdash::test::typeInto;

// The Patients tab: the lazily fetched patient table and its in-place updates, type-ahead
// search, the New patient form with its inline messages and duplicate warning, and opening a
// chart, driven through the real widgets with keyboard and mouse.
class TestPatients : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("guipatients")};
    Database m_db;
    QString m_url;
    test::TestUser m_staff;
    int m_connections = 0;

    static Patient person(const QString &given, const QString &family, const QString &birth,
                          const QString &phone = {}, const QString &city = {})
    {
        Patient p;
        p.given_name = given;
        p.family_name = family;
        p.birth_date = parseDate(birth);
        p.phone = phone;
        p.city = city;
        return p;
    }

    Patient add(const Patient &p, const Database &db = {}) const
    {
        auto stored =
            PatientStore(db.connectionName().isEmpty() ? m_db : db, m_staff.principal).create(p);
        if (!stored)
            qFatal("cannot create a patient: %s", qPrintable(stored.error().message));
        return *stored;
    }

    // `count` patients with distinct made-up names, in one transaction.
    void seed(int count)
    {
        static const QStringList families{
            QStringLiteral("Adams"),  QStringLiteral("Baker"),    QStringLiteral("Chen"),
            QStringLiteral("Diaz"),   QStringLiteral("Evans"),    QStringLiteral("Fischer"),
            QStringLiteral("Garcia"), QStringLiteral("Hughes"),   QStringLiteral("Ito"),
            QStringLiteral("Jones"),  QStringLiteral("Kowalski"), QStringLiteral("Lopez")};
        Transaction tx(m_db);
        QVERIFY(tx.started());
        for (int i = 0; i < count; ++i)
            add(person(QStringLiteral("Given%1").arg(i, 4, 10, QLatin1Char('0')),
                       families.at(i % families.size()),
                       QStringLiteral("19%1-0%2-1%3").arg(50 + i % 50).arg(1 + i % 9).arg(i % 10)));
        QVERIFY(tx.commit());
    }

    // A second connection to the same database file: another process (sync, tmdashctl) writing.
    Database otherConnection()
    {
        auto other = Database::open(m_url, QStringLiteral("other%1").arg(++m_connections));
        if (!other)
            qFatal("cannot open a second connection: %s", qPrintable(other.error().message));
        return *other;
    }

    QStringList shownIds(const QAbstractItemModel &model) const
    {
        QStringList ids;
        for (int row = 0; row < model.rowCount(); ++row)
            ids << model.index(row, 0).data(PatientTableModel::PatientIdRole).toString();
        return ids;
    }

    QStringList storedIds() const
    {
        auto all = PatientStore(m_db, m_staff.principal).list();
        if (!all)
            qFatal("cannot list patients: %s", qPrintable(all.error().message));
        QStringList ids;
        for (const Patient &p : std::as_const(*all))
            ids << p.id.value;
        return ids;
    }

    static QString selectedPatient(const QTableView *table)
    {
        const QModelIndexList rows = table->selectionModel()->selectedRows();
        return rows.size() == 1 ? rows.first().data(PatientTableModel::PatientIdRole).toString()
                                : QString();
    }

private Q_SLOTS:
    void init()
    {
        m_db = m_factory.create(SqlDialect::Sqlite);
        m_url = m_factory.lastUrl();
        m_staff = test::insertUser(m_db, test::insertClinic(m_db), Role::Staff,
                                   QStringLiteral("desk@north.example"));
    }

    void modelFetchesLazilyInPages()
    {
        seed(450);
        PatientTableModel model(m_db, m_staff.principal);
        QCOMPARE(model.rowCount(), 0); // nothing read until asked
        QVERIFY(model.canFetchMore({}));
        // The tester's checks ask for more, as a view does: whole pages.
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.rowCount() > 0);
        QCOMPARE(model.rowCount() % PatientTableModel::kPageSize, 0);
        while (model.canFetchMore({})) {
            const int before = model.rowCount();
            model.fetchMore({});
            QCOMPARE(model.rowCount(), std::min(before + PatientTableModel::kPageSize, 450));
        }
        QCOMPARE(model.rowCount(), 450);
        QCOMPARE(shownIds(model), storedIds()); // the store's order, nothing twice
    }

    // Changes arriving while only some pages are loaded: the rows change in place, and the pages
    // fetched afterwards still add up to every patient exactly once.
    void recordsChangedKeepsPagingWhole()
    {
        seed(1000);
        PatientTableModel model(m_db, m_staff.principal);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.rowCount() > 0); // the pages the tester fetched
        QVERIFY(model.canFetchMore({}));
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        Database other = otherConnection();
        const PatientStore store(other, m_staff.principal);
        // A loaded patient renamed to sort after every loaded page.
        const QString movedId = model.index(3, 0).data(PatientTableModel::PatientIdRole).toString();
        Patient moved = *store.get(PatientId(movedId));
        moved.family_name = QStringLiteral("Zimmermann");
        QVERIFY(store.update(moved));
        // A new patient sorting among the loaded rows, and one sorting after them.
        const Patient early = add(
            person(QStringLiteral("Ann"), QStringLiteral("Aaronson"), QStringLiteral("1990-01-02")),
            other);
        const Patient late =
            add(person(QStringLiteral("Zed"), QStringLiteral("Zyla"), QStringLiteral("1990-01-03")),
                other);
        // A loaded patient removed.
        const QString removedId =
            model.index(7, 0).data(PatientTableModel::PatientIdRole).toString();
        QVERIFY(store.remove(PatientId(removedId)));

        model.recordsChanged({movedId, early.id.value, late.id.value, removedId});
        QCOMPARE(resets.count(), 0);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(model.index(model.rowOf(movedId), PatientTableModel::FamilyNameColumn)
                     .data()
                     .toString(),
                 QStringLiteral("Zimmermann"));
        QVERIFY(model.rowOf(early.id.value) >= 0);
        QCOMPARE(model.rowOf(removedId), -1);
        // (The tester asks for more after every change, as a scrolling view may; whether the
        // late patient is shown yet depends on that. What must hold is below.)

        while (model.canFetchMore({}))
            model.fetchMore({});
        QStringList shown = shownIds(model);
        QStringList stored = storedIds();
        QCOMPARE(QSet<QString>(shown.begin(), shown.end()).size(), shown.size());
        shown.sort();
        stored.sort();
        QCOMPARE(shown, stored);
        QCOMPARE(resets.count(), 0);
        other.close();
    }

    void typingFiltersTheTable()
    {
        add(person(QStringLiteral("Chidi"), QStringLiteral("Okafor"), QStringLiteral("1984-02-11"),
                   QStringLiteral("(555) 201-7788")));
        add(person(QStringLiteral("Maria"), QStringLiteral("Garcia"),
                   QStringLiteral("1979-12-03")));
        add(person(QStringLiteral("Marek"), QStringLiteral("Nowak"), QStringLiteral("2001-06-30")));
        add(person(QStringLiteral("Mariana"), QStringLiteral("Okafor"),
                   QStringLiteral("2015-08-21")));
        PatientsPage page(m_db, m_staff.principal);
        QAbstractItemModelTester tester(page.patientModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            page.sortModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&page, {1100, 700});
        QTRY_COMPARE(page.sortModel()->rowCount(), 4); // the first page, fetched by the view

        auto *search = page.findChild<QLineEdit *>(QStringLiteral("patientSearch"));
        QVERIFY(search);
        QTest::keyClicks(search, QStringLiteral("okaf"));
        QTRY_COMPARE(page.sortModel()->rowCount(), 2);
        QTest::keyClicks(search, QStringLiteral(" chi"));
        QTRY_COMPARE(page.sortModel()->rowCount(), 1);
        QCOMPARE(page.sortModel()->index(0, PatientTableModel::GivenNameColumn).data().toString(),
                 QStringLiteral("Chidi"));
        const QString status = page.findChild<QLabel *>(QStringLiteral("searchStatus"))->text();
        QVERIFY2(status.startsWith(QStringLiteral("1 patient")), qPrintable(status));

        // By phone digits and by birth date.
        search->clear();
        QTest::keyClicks(search, QStringLiteral("5552017"));
        QTRY_COMPARE(page.sortModel()->rowCount(), 1);
        search->clear();
        QTest::keyClicks(search, QStringLiteral("2001-06-30"));
        QTRY_COMPARE(
            page.sortModel()->index(0, PatientTableModel::FamilyNameColumn).data().toString(),
            QStringLiteral("Nowak"));
        QCOMPARE(page.sortModel()->rowCount(), 1);
        search->clear();
        QTest::keyClicks(search, QStringLiteral("nobody-like-this"));
        QTRY_COMPARE(page.sortModel()->rowCount(), 0);

        // Emptying the box lists everyone again; Enter goes on to the table.
        search->clear();
        QTRY_COMPARE(page.sortModel()->rowCount(), 4);
        QTest::keyClicks(search, QStringLiteral("garc"));
        QTest::keyClick(search, Qt::Key_Return); // runs the search at once
        QCOMPARE(page.sortModel()->rowCount(), 1);
        QVERIFY(page.table()->hasFocus());
        QCOMPARE(selectedPatient(page.table()),
                 page.sortModel()->index(0, 0).data(PatientTableModel::PatientIdRole).toString());

        // Sorting by a column goes through the proxy.
        search->clear();
        QTRY_COMPARE(page.sortModel()->rowCount(), 4);
        page.table()->sortByColumn(PatientTableModel::BirthDateColumn, Qt::DescendingOrder);
        QCOMPARE(page.sortModel()->index(0, PatientTableModel::BirthDateColumn).data().toString(),
                 QStringLiteral("2015-08-21"));
        QCOMPARE(page.sortModel()->index(3, PatientTableModel::BirthDateColumn).data().toString(),
                 QStringLiteral("1979-12-03"));

        QVERIFY(page.grab().save(QStringLiteral("screenshot-patients.png")));
        QVERIFY(QFileInfo(QStringLiteral("screenshot-patients.png")).size() > 0);
    }

    void newPatientWithInvalidThenValidPhoneAndDuplicateWarning()
    {
        PatientsPage page(m_db, m_staff.principal);
        QAbstractItemModelTester tester(page.patientModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&page, {1100, 700});

        QTest::keyClick(page.findChild<QLineEdit *>(QStringLiteral("patientSearch")), Qt::Key_N,
                        Qt::ControlModifier);
        QPointer<PatientForm> form = page.findChild<PatientForm *>();
        QVERIFY(form);
        QTRY_VERIFY(form->isVisible());
        auto *save = form->findChild<QPushButton *>(QStringLiteral("save"));
        QVERIFY(!save->isEnabled());                                       // nothing typed yet
        QVERIFY(form->messageFor(QStringLiteral("given_name")).isEmpty()); // and not scolded for it

        typeInto(form, "given_name", QStringLiteral("Amara"));
        typeInto(form, "family_name", QStringLiteral("Nwosu"));
        typeInto(form, "birth_date", QStringLiteral("1988-03-14"));
        typeInto(form, "city", QStringLiteral("Albany"));
        typeInto(form, "phone", QStringLiteral("555-01x9"));
        QVERIFY(!save->isEnabled());
        const QString refused = form->messageFor(QStringLiteral("phone"));
        QVERIFY2(refused.contains(QStringLiteral("not a valid phone number")), qPrintable(refused));
        QVERIFY(form->findChild<QLabel *>(QStringLiteral("phoneMessage"))->isVisible());

        typeInto(form, "phone", QStringLiteral("(518) 555-0142"));
        QVERIFY(form->messageFor(QStringLiteral("phone")).isEmpty());
        QVERIFY(!form->findChild<QLabel *>(QStringLiteral("phoneMessage"))->isVisible());
        QVERIFY(save->isEnabled());
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_VERIFY(form.isNull()); // accepted and gone

        auto first = PatientStore(m_db, m_staff.principal).search(QStringLiteral("nwosu"));
        QVERIFY(first);
        QCOMPARE(first->size(), 1);
        QCOMPARE(first->first().phone, QStringLiteral("+15185550142"));
        // The new patient is in the table, selected.
        QVERIFY(page.patientModel()->rowOf(first->first().id.value) >= 0);
        QCOMPARE(selectedPatient(page.table()), first->first().id.value);

        // The same person again: warned, and saved only on "Save anyway". (The offscreen
        // platform does not hand activation back from a closed dialog; a window manager does.)
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QTest::keyClick(page.table(), Qt::Key_N, Qt::ControlModifier);
        form = page.findChild<PatientForm *>();
        QVERIFY(form);
        typeInto(form, "given_name", QStringLiteral("Amara"));
        typeInto(form, "family_name", QStringLiteral("Nwosu"));
        typeInto(form, "birth_date", QStringLiteral("1988-03-14"));
        save = form->findChild<QPushButton *>(QStringLiteral("save"));
        QVERIFY(save->isEnabled());
        QTest::mouseClick(save, Qt::LeftButton);
        auto *warning = form->findChild<QWidget *>(QStringLiteral("duplicateWarning"));
        QVERIFY(warning->isVisible());
        const QString listed = form->findChild<QLabel *>(QStringLiteral("duplicateText"))->text();
        QVERIFY2(listed.contains(first->first().mrn), qPrintable(listed));
        QCOMPARE(PatientStore(m_db, m_staff.principal).search(QStringLiteral("nwosu"))->size(), 1);
        QVERIFY(!form.isNull() && form->isVisible());
        QCOMPARE(form->findChild<QLineEdit *>(QStringLiteral("given_name"))->text(),
                 QStringLiteral("Amara"));

        QTest::mouseClick(form->findChild<QPushButton *>(QStringLiteral("saveAnyway")),
                          Qt::LeftButton);
        QTRY_VERIFY(form.isNull());
        QCOMPARE(PatientStore(m_db, m_staff.principal).search(QStringLiteral("nwosu"))->size(), 2);
    }

    void changeByAnotherConnectionUpdatesTheRowInPlace()
    {
        const Patient kept = add(person(QStringLiteral("Lena"), QStringLiteral("Berg"),
                                        QStringLiteral("1970-05-05"), {}, QStringLiteral("Troy")));
        add(person(QStringLiteral("Omar"), QStringLiteral("Haddad"), QStringLiteral("1995-09-09")));
        const Patient gone = add(
            person(QStringLiteral("Ivy"), QStringLiteral("Quinn"), QStringLiteral("1966-11-11")));
        PatientsPage page(m_db, m_staff.principal);
        QAbstractItemModelTester tester(page.patientModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            page.sortModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&page, {1100, 700});
        QTRY_COMPARE(page.sortModel()->rowCount(), 3);
        page.table()->sortByColumn(PatientTableModel::CityColumn, Qt::AscendingOrder);

        const int row = page.sortModel()
                            ->mapFromSource(page.patientModel()->index(
                                page.patientModel()->rowOf(kept.id.value), 0))
                            .row();
        page.table()->selectRow(row);
        QCOMPARE(selectedPatient(page.table()), kept.id.value);

        QSignalSpy resets(page.patientModel(), &QAbstractItemModel::modelReset);
        QSignalSpy proxyResets(page.sortModel(), &QAbstractItemModel::modelReset);
        QSignalSpy changed(page.patientModel(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(page.patientModel(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(page.patientModel(), &QAbstractItemModel::rowsRemoved);

        Database other = otherConnection();
        const PatientStore store(other, m_staff.principal);
        Patient edited = *store.get(kept.id);
        edited.city = QStringLiteral("Saratoga Springs");
        edited.phone = QStringLiteral("+15185550199");
        QVERIFY(store.update(edited));
        const Patient arrived = add(
            person(QStringLiteral("Noor"), QStringLiteral("Aziz"), QStringLiteral("2003-03-03")),
            other);
        QVERIFY(store.remove(gone.id));
        other.close();

        page.recordsChanged({kept.id.value, arrived.id.value, gone.id.value});
        QCOMPARE(resets.count(), 0);
        QCOMPARE(proxyResets.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(page.sortModel()->rowCount(), 3);
        QCOMPARE(selectedPatient(page.table()), kept.id.value); // the selection stayed
        const QModelIndex selected = page.table()->selectionModel()->selectedRows().first();
        QCOMPARE(selected.siblingAtColumn(PatientTableModel::CityColumn).data().toString(),
                 QStringLiteral("Saratoga Springs"));
        QCOMPARE(selected.siblingAtColumn(PatientTableModel::PhoneColumn).data().toString(),
                 QStringLiteral("+15185550199"));
    }

    void enterAndDoubleClickOpenTheChart()
    {
        const Patient p = add(person(QStringLiteral("Sofia"), QStringLiteral("Rossi"),
                                     QStringLiteral("1992-07-19"), QStringLiteral("518 555 0123")));
        add(person(QStringLiteral("Tom"), QStringLiteral("Smith"), QStringLiteral("1961-01-01")));
        PatientsPage page(m_db, m_staff.principal);
        showAndActivate(&page, {1100, 700});
        QTRY_COMPARE(page.sortModel()->rowCount(), 2);
        auto *tabs = page.findChild<QTabWidget *>(QStringLiteral("patientTabs"));

        page.table()->setFocus();
        page.table()->selectRow(0);
        page.table()->setCurrentIndex(page.sortModel()->index(0, 0));
        QTest::keyClick(page.table(), Qt::Key_Return);
        QCOMPARE(tabs->count(), 2);
        auto *chart = qobject_cast<PatientChart *>(tabs->currentWidget());
        QVERIFY(chart);
        QCOMPARE(chart->patientId(), p.id);
        QCOMPARE(tabs->tabText(1), QStringLiteral("Sofia Rossi"));
        QCOMPARE(chart->findChild<QLabel *>(QStringLiteral("phoneValue"))->text(),
                 QStringLiteral("+15185550123"));
        QVERIFY(chart->findChild<QPushButton *>(QStringLiteral("editPatient")));

        // Ctrl+F goes back to the search box, Ctrl+W closes the chart, a double-click opens it.
        QTest::keyClick(chart, Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), 0);
        QVERIFY(page.findChild<QLineEdit *>(QStringLiteral("patientSearch"))->hasFocus());
        tabs->setCurrentWidget(chart);
        QTest::keyClick(chart, Qt::Key_W, Qt::ControlModifier);
        QCOMPARE(tabs->count(), 1);
        const QRect cell = page.table()->visualRect(page.sortModel()->index(0, 1));
        // A double-click is a click and then a second press (QTest sends only the second).
        QTest::mouseClick(page.table()->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(page.table()->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(tabs->count(), 2);
        QCOMPARE(qobject_cast<PatientChart *>(tabs->currentWidget())->patientId(), p.id);
        // Opening it again shows the same tab.
        QCOMPARE(page.openChart(p.id), qobject_cast<PatientChart *>(tabs->currentWidget()));
        QCOMPARE(tabs->count(), 2);
    }

    void editFromTheChartUpdatesTheTable()
    {
        const Patient p = add(
            person(QStringLiteral("Hana"), QStringLiteral("Sato"), QStringLiteral("1983-10-10")));
        PatientsPage page(m_db, m_staff.principal);
        QAbstractItemModelTester tester(page.patientModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&page, {1100, 700});
        QTRY_COMPARE(page.sortModel()->rowCount(), 1);
        QSignalSpy resets(page.patientModel(), &QAbstractItemModel::modelReset);
        PatientChart *chart = page.openChart(p.id);
        QPointer<PatientForm> form = chart->editPatient();
        QVERIFY(form);
        QCOMPARE(form->findChild<QLineEdit *>(QStringLiteral("family_name"))->text(),
                 QStringLiteral("Sato"));
        typeInto(form, "city", QStringLiteral("Kyoto"));
        QTest::mouseClick(form->findChild<QPushButton *>(QStringLiteral("save")), Qt::LeftButton);
        QTRY_VERIFY(form.isNull());
        QCOMPARE(chart->findChild<QLabel *>(QStringLiteral("cityValue"))->text(),
                 QStringLiteral("Kyoto"));
        QCOMPARE(page.sortModel()->index(0, PatientTableModel::CityColumn).data().toString(),
                 QStringLiteral("Kyoto"));
        QCOMPARE(resets.count(), 0);
    }

    // The store refuses (here: the role may not write patients, as when a role changes while the
    // form is open): the reason is shown and nothing typed is lost.
    void refusedSaveKeepsWhatWasTyped()
    {
        const test::TestUser admin = test::insertUser(
            m_db, m_staff.principal.clinic_id, Role::Admin, QStringLiteral("admin@north.example"));
        PatientForm form(m_db, admin.principal);
        showAndActivate(&form, {1100, 700});
        typeInto(&form, "given_name", QStringLiteral("Ines"));
        typeInto(&form, "family_name", QStringLiteral("Duarte"));
        typeInto(&form, "birth_date", QStringLiteral("1999-02-28"));
        typeInto(&form, "email", QStringLiteral("ines.duarte@example.org"));
        QTest::mouseClick(form.findChild<QPushButton *>(QStringLiteral("save")), Qt::LeftButton);
        QVERIFY(form.isVisible());
        QCOMPARE(form.result(), int(QDialog::Rejected));
        const QString message = form.findChild<QLabel *>(QStringLiteral("message"))->text();
        QVERIFY2(message.contains(QStringLiteral("not saved")), qPrintable(message));
        QCOMPARE(form.findChild<QLineEdit *>(QStringLiteral("given_name"))->text(),
                 QStringLiteral("Ines"));
        QCOMPARE(form.findChild<QLineEdit *>(QStringLiteral("email"))->text(),
                 QStringLiteral("ines.duarte@example.org"));
        QVERIFY(PatientStore(m_db, m_staff.principal).search(QStringLiteral("duarte"))->isEmpty());
    }

    void rolesThatMayNotWriteAreNotOffered()
    {
        const Patient p = add(person(QStringLiteral("Ada"), QStringLiteral("Lovelace"),
                                     QStringLiteral("1985-12-10")));
        const test::TestUser admin = test::insertUser(
            m_db, m_staff.principal.clinic_id, Role::Admin, QStringLiteral("admin@north.example"));
        PatientsPage page(m_db, admin.principal);
        QVERIFY(!page.newPatientAction()->isEnabled());
        QVERIFY(!page.newPatient());
        PatientChart *chart = page.openChart(p.id);
        QVERIFY(!chart->findChild<QPushButton *>(QStringLiteral("editPatient")));
        QVERIFY(!chart->findChild<QPushButton *>(QStringLiteral("recordVitals")));
        QVERIFY(!chart->editPatient());
        QVERIFY(!chart->recordVitals());
        QCOMPARE(chart->findChild<QLabel *>(QStringLiteral("family_nameValue"))->text(),
                 QStringLiteral("Lovelace"));
    }
};

QTEST_MAIN(TestPatients)
#include "tst_gui_patients.moc"
