#include "authenticator.h"
#include "clock.h"
#include "logindialog.h"
#include "guisupport.h"
#include "testsupport.h"
#include "totp.h"
#include "usersadddialog.h"
#include "userspage.h"
#include "userstablemodel.h"
#include "userstore.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace tmdash;
using tmdash::test::clickButton;
using tmdash::test::showAndActivate;

// The Users tab of an admin: adding an account with the inline checks, disabling, unlocking and
// resetting the second factor of another one after a confirmation, and a non-admin refused,
// driven through the real widgets with keyboard and mouse.
class TestUsers : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("guiusers")};
    Database m_db;
    ClinicId m_clinic;
    test::TestUser m_admin;
    test::TestUser m_sam;

    static constexpr char kNewPassword[] = "amber-quartz-harbour-17";

    static void typeInto(QWidget *parent, const char *name, const QString &text)
    {
        auto *edit = parent->findChild<QLineEdit *>(QString::fromLatin1(name));
        QVERIFY2(edit, name);
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
    }

    static void clickRow(QTableView *table, int row)
    {
        QVERIFY(row >= 0);
        const QRect cell =
            table->visualRect(table->model()->index(row, UsersTableModel::NameColumn));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(table->selectionModel()->selectedRows().first().row(), row);
    }

    // Answers the open confirmation with its "confirm" or "cancel" button.
    static void answer(QWidget *page, const char *which)
    {
        QMessageBox *box = nullptr;
        for (QMessageBox *candidate :
             page->findChildren<QMessageBox *>(QStringLiteral("confirmAction")))
            if (candidate->isVisible())
                box = candidate;
        QVERIFY2(box, "no confirmation is open");
        QVERIFY(QTest::qWaitForWindowExposed(box));
        QPointer<QMessageBox> guard(box);
        clickButton(box, which);
        QTRY_VERIFY(!guard || !guard->isVisible());
    }

    User stored(const UserId &id) const
    {
        auto user = UserStore(m_db, m_admin.principal).get(id);
        if (!user)
            qFatal("cannot read a user: %s", qPrintable(user.error().message));
        return *user;
    }

    bool canLogIn(const QString &email, const QString &password) const
    {
        LoginAttempt attempt;
        attempt.email = email;
        attempt.password = password;
        return Authenticator(m_db).login(attempt).ok();
    }

private Q_SLOTS:
    void init()
    {
        m_db = m_factory.create(SqlDialect::Sqlite);
        m_clinic = test::insertClinic(m_db);
        m_admin =
            test::insertUser(m_db, m_clinic, Role::Admin, QStringLiteral("boss@north.example"));
        m_sam = test::insertUser(m_db, m_clinic, Role::Staff, QStringLiteral("sam@north.example"));
    }

    void adminAddsAUserAndDisablesAnother()
    {
        UsersPage page(m_db, m_admin.principal);
        QVERIFY(page.isPermitted());
        QAbstractItemModelTester tester(page.usersModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&page, {1000, 600});
        QTableView *table = page.table();
        QTRY_COMPARE(table->model()->rowCount(), 2);
        QSignalSpy resets(page.usersModel(), &QAbstractItemModel::modelReset);
        QSignalSpy changed(&page, &UsersPage::userChanged);
        // Nothing selected: only adding is offered.
        QVERIFY(page.addUserAction()->isEnabled());
        QVERIFY(!page.disableAction()->isEnabled());

        // Add user: the inline checks, then a refusal by the store (a taken email).
        clickButton(&page, "addUserButton");
        QPointer<UsersAddDialog> dialog = page.findChild<UsersAddDialog *>();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *add = dialog->findChild<QPushButton *>(QStringLiteral("save"));
        QVERIFY(!add->isEnabled());
        typeInto(dialog, "email", QStringLiteral("sam@north.example"));
        typeInto(dialog, "given_name", QStringLiteral("Dana"));
        typeInto(dialog, "family_name", QStringLiteral("Fox"));
        typeInto(dialog, "password", QStringLiteral("short"));
        QString message = dialog->messageFor(QStringLiteral("password"));
        QVERIFY2(message.contains(QStringLiteral("12")), qPrintable(message));
        QVERIFY(!add->isEnabled());
        typeInto(dialog, "password", QString::fromLatin1(kNewPassword));
        QVERIFY(dialog->messageFor(QStringLiteral("password")).isEmpty());
        typeInto(dialog, "password_confirmation", QStringLiteral("amber-quartz-harbour-18"));
        message = dialog->messageFor(QStringLiteral("password_confirmation"));
        QVERIFY2(message.contains(QStringLiteral("differ")), qPrintable(message));
        QVERIFY(!add->isEnabled());
        typeInto(dialog, "password_confirmation", QString::fromLatin1(kNewPassword));
        QVERIFY(dialog->messageFor(QStringLiteral("password_confirmation")).isEmpty());
        // The role by keyboard: Staff, Provider, ...
        auto *role = dialog->findChild<QComboBox *>(QStringLiteral("role"));
        role->setFocus();
        QTest::keyClick(role, Qt::Key_Down);
        QCOMPARE(role->currentData().toString(), QStringLiteral("provider"));
        QVERIFY(add->isEnabled());
        QTest::mouseClick(add, Qt::LeftButton);
        QVERIFY2(dialog && dialog->isVisible(), "a taken email keeps the dialog open");
        message = dialog->messageFor(QStringLiteral("email"));
        QVERIFY2(!message.isEmpty(), "the store's refusal is shown under the email");
        // Nothing typed is lost.
        QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("given_name"))->text(),
                 QStringLiteral("Dana"));
        QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("password"))->text(),
                 QString::fromLatin1(kNewPassword));
        QCOMPARE(table->model()->rowCount(), 2);

        typeInto(dialog, "email", QStringLiteral("dana@north.example"));
        QVERIFY(dialog->messageFor(QStringLiteral("email")).isEmpty());
        QTest::keyClick(dialog->findChild<QLineEdit *>(QStringLiteral("email")), Qt::Key_Return);
        QTRY_VERIFY(!dialog || !dialog->isVisible());
        QCOMPARE(table->model()->rowCount(), 3);
        QCOMPARE(changed.size(), 1);
        const UserId dana(page.table()
                              ->selectionModel()
                              ->selectedRows()
                              .first()
                              .data(UsersTableModel::UserIdRole)
                              .toString());
        QCOMPARE(stored(dana).email, QStringLiteral("dana@north.example"));
        QCOMPARE(stored(dana).role, Role::Provider);
        QVERIFY(canLogIn(QStringLiteral("dana@north.example"), QString::fromLatin1(kNewPassword)));

        // Disable Sam: cancelled first, then confirmed.
        QVERIFY(canLogIn(QStringLiteral("sam@north.example"),
                         QString::fromLatin1(test::kTestPassword)));
        const int samRow = page.usersModel()->rowOf(m_sam.id);
        clickRow(table, samRow);
        clickButton(&page, "disableUserButton");
        answer(&page, "cancel");
        QCOMPARE(stored(m_sam.id).status, UserStatus::Active);

        QSignalSpy rowChanges(page.usersModel(), &QAbstractItemModel::dataChanged);
        clickButton(&page, "disableUserButton");
        answer(&page, "confirm");
        QCOMPARE(stored(m_sam.id).status, UserStatus::Disabled);
        // The row changed in place: dataChanged covering Sam's row, no reset.
        QCOMPARE(rowChanges.size(), 1);
        QVERIFY(rowChanges.first().at(0).toModelIndex().row() <= samRow &&
                rowChanges.first().at(1).toModelIndex().row() >= samRow);
        const QModelIndex status = table->model()->index(page.usersModel()->rowOf(m_sam.id),
                                                         UsersTableModel::StatusColumn);
        QCOMPARE(status.data().toString(), UsersTableModel::statusName(UserStatus::Disabled));
        QVERIFY(status.data(UsersTableModel::DisabledRole).toBool());
        QVERIFY2(!page.disableAction()->isEnabled(), "a disabled account is not disabled again");
        QCOMPARE(resets.size(), 0);
        QCOMPARE(table->selectionModel()->selectedRows().first().row(),
                 page.usersModel()->rowOf(m_sam.id));
        auto *note = page.findChild<QLabel *>(QStringLiteral("message"));
        QVERIFY2(note->text().contains(QStringLiteral("disabled")), qPrintable(note->text()));
        QVERIFY(page.grab().save(QStringLiteral("users.png")));

        // The disabled account can no longer log in (the login dialog refuses it).
        LoginDialog login(m_db);
        login.show();
        QVERIFY(QTest::qWaitForWindowExposed(&login));
        typeInto(&login, "email", QStringLiteral("sam@north.example"));
        typeInto(&login, "password", QString::fromLatin1(test::kTestPassword));
        QTest::keyClick(login.findChild<QLineEdit *>(QStringLiteral("password")), Qt::Key_Return);
        QVERIFY(login.isVisible());
        QCOMPARE(login.result(), int(QDialog::Rejected));
        const QString refused = login.findChild<QLabel *>(QStringLiteral("message"))->text();
        QVERIFY2(refused.contains(QStringLiteral("Login failed")), qPrintable(refused));
    }

    void adminUnlocksAndResetsTotp()
    {
        // Sam is locked out on this desktop after two wrong passwords.
        LoginAttempt wrong;
        wrong.email = QStringLiteral("sam@north.example");
        wrong.password = QStringLiteral("not-the-password-at-all");
        const Authenticator strict(m_db, LoginPolicy{2, 15});
        for (int i = 0; i < 2; ++i)
            QVERIFY(!strict.login(wrong));
        QVERIFY(!canLogIn(QStringLiteral("sam@north.example"),
                          QString::fromLatin1(test::kTestPassword)));
        // Sam has TOTP on.
        const UserStore own(m_db, m_sam.principal);
        auto enrolled = own.enrollTotp(m_sam.id);
        QVERIFY2(enrolled, qPrintable(enrolled.error().message));
        const QByteArray secret = base32Decode(enrolled->secret).value();
        QVERIFY(own.confirmTotp(m_sam.id, totpCode(secret, nowUtc().toSecsSinceEpoch())));

        UsersPage page(m_db, m_admin.principal);
        QAbstractItemModelTester tester(page.usersModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&page, {1000, 600});
        QTableView *table = page.table();
        QTRY_COMPARE(table->model()->rowCount(), 2);
        QSignalSpy resets(page.usersModel(), &QAbstractItemModel::modelReset);
        const int row = page.usersModel()->rowOf(m_sam.id);
        const QModelIndex locked = table->model()->index(row, UsersTableModel::LockedColumn);
        QVERIFY(locked.data(UsersTableModel::LockedRole).toBool());
        QVERIFY2(locked.data().toString().startsWith(QStringLiteral("Until")),
                 qPrintable(locked.data().toString()));
        QCOMPARE(table->model()->index(row, UsersTableModel::TotpColumn).data().toString(),
                 QStringLiteral("On"));

        // The admin's own row offers no unlock and no disable.
        clickRow(table, page.usersModel()->rowOf(m_admin.id));
        QVERIFY(!page.unlockAction()->isEnabled());
        QVERIFY(!page.disableAction()->isEnabled());
        QVERIFY(!page.resetTotpAction()->isEnabled());

        clickRow(table, row);
        QVERIFY(page.unlockAction()->isEnabled());
        clickButton(&page, "unlockUserButton");
        answer(&page, "confirm");
        QVERIFY(!locked.data(UsersTableModel::LockedRole).toBool());
        QCOMPARE(locked.data().toString(), QStringLiteral("No"));
        QVERIFY(!page.unlockAction()->isEnabled());

        QVERIFY(page.resetTotpAction()->isEnabled());
        clickButton(&page, "resetTotpButton");
        answer(&page, "confirm");
        QVERIFY(!stored(m_sam.id).totp_enabled);
        QCOMPARE(table->model()->index(row, UsersTableModel::TotpColumn).data().toString(),
                 QStringLiteral("Off"));
        QVERIFY(!page.resetTotpAction()->isEnabled());
        QCOMPARE(resets.size(), 0);
        // Unlocked, and the password alone is enough again.
        QVERIFY(canLogIn(QStringLiteral("sam@north.example"),
                         QString::fromLatin1(test::kTestPassword)));
    }

    void nonAdminIsRefused()
    {
        UsersPage page(m_db, m_sam.principal);
        QVERIFY(!page.isPermitted());
        showAndActivate(&page, {1000, 600});
        auto *refused = page.findChild<QLabel *>(QStringLiteral("notPermitted"));
        QVERIFY(refused && refused->isVisible());
        QVERIFY(!page.findChild<QTableView *>());
        QVERIFY(!page.addUserAction());
        QVERIFY(!page.addUser());
        QVERIFY(page.findChildren<QToolButton *>().isEmpty());
        // The store refuses as well.
        QCOMPARE(UserStore(m_db, m_sam.principal).disable(m_admin.id).error().code,
                 ErrorCode::NotPermitted);
    }
};

QTEST_MAIN(TestUsers)
#include "tst_gui_users.moc"
