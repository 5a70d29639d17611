#include "idlelock.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "patientform.h"
#include "patientspage.h"
#include "guisupport.h"
#include "testsupport.h"
#include "totp.h"
#include "userstore.h"

#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace tmdash;
using tmdash::test::typeInto;

// Logging in to the desktop (offline, from the local database) and the idle lock that asks for
// the password again, driven through the real widgets with the keyboard.
class TestLogin : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("guilogin")};
    Database m_db;
    test::TestUser m_staff;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // never the person's own window settings
        m_db = m_factory.create(SqlDialect::Sqlite);
        m_staff = test::insertUser(m_db, test::insertClinic(m_db), Role::Staff, QStringLiteral("desk@north.example"));
    }

    void wrongThenRightPassword()
    {
        LoginDialog dialog(m_db);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        typeInto(&dialog, "email", QStringLiteral("desk@north.example"));
        typeInto(&dialog, "password", QStringLiteral("not-the-password-1"));
        QTest::keyClick(dialog.findChild<QLineEdit *>(QStringLiteral("password")), Qt::Key_Return);
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        const QString refused = dialog.findChild<QLabel *>(QStringLiteral("message"))->text();
        QVERIFY2(refused.contains(QStringLiteral("Login failed")), qPrintable(refused));
        QVERIFY(dialog.findChild<QLineEdit *>(QStringLiteral("password"))->text().isEmpty());
        QVERIFY(dialog.grab().save(QStringLiteral("login.png")));

        typeInto(&dialog, "password", QString::fromLatin1(test::kTestPassword));
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("logIn")), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.principal().user_id, m_staff.id);
        QCOMPARE(dialog.principal().role, Role::Staff);
    }

    void secondFactorAskedForAndChecked()
    {
        // An account with TOTP on: the code field appears after the password, a wrong code is
        // refused, the current code logs in.
        const test::TestUser nurse = test::insertUser(m_db, m_staff.principal.clinic_id, Role::Staff,
                                                      QStringLiteral("nurse@north.example"));
        const UserStore own(m_db, nurse.principal);
        auto enrollment = own.enrollTotp(nurse.id);
        QVERIFY(enrollment);
        const QByteArray secret = base32Decode(enrollment->secret).value_or(QByteArray());
        QVERIFY(!secret.isEmpty());
        auto now = [] { return QDateTime::currentSecsSinceEpoch(); };
        QVERIFY(own.confirmTotp(nurse.id, totpCode(secret, now())));

        LoginDialog dialog(m_db);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *code = dialog.findChild<QLineEdit *>(QStringLiteral("code"));
        QVERIFY(code && !code->isVisible());
        typeInto(&dialog, "email", QStringLiteral("nurse@north.example"));
        typeInto(&dialog, "password", QString::fromLatin1(test::kTestPassword));
        QTest::keyClick(dialog.findChild<QLineEdit *>(QStringLiteral("password")), Qt::Key_Return);
        QTRY_VERIFY(code->isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(dialog.grab().save(QStringLiteral("login-totp.png")));

        // A wrong code (the current one with its last digit changed) is refused.
        QString wrong = totpCode(secret, now());
        wrong.back() = wrong.back() == QLatin1Char('0') ? QLatin1Char('1') : QLatin1Char('0');
        typeInto(&dialog, "password", QString::fromLatin1(test::kTestPassword));
        typeInto(&dialog, "code", wrong);
        QTest::keyClick(code, Qt::Key_Return);
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));

        // The next time step's code: the current one was spent confirming the enrolment, and a
        // spent code is never accepted twice.
        typeInto(&dialog, "password", QString::fromLatin1(test::kTestPassword));
        typeInto(&dialog, "code", totpCode(secret, now() + 30));
        QTest::keyClick(code, Qt::Key_Return);
        QTRY_VERIFY2(dialog.result() == int(QDialog::Accepted),
                     qPrintable(dialog.findChild<QLabel *>(QStringLiteral("message"))->text()));
        QCOMPARE(dialog.principal().user_id, nurse.id);
    }

    void idleLockAsksForThePasswordAgain()
    {
        MainWindow window(m_db, m_staff.principal, QStringLiteral("desk@north.example"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("mainTabs"));
        QVERIFY(tabs->isVisible());
        // A form left open with something typed in it.
        QPointer<PatientForm> form = window.patientsPage()->newPatient();
        QVERIFY(form);
        QVERIFY(QTest::qWaitForWindowExposed(form));
        typeInto(form, "given_name", QStringLiteral("Rosa"));
        window.idleLock()->setIdleMilliseconds(300);
        QTRY_VERIFY_WITH_TIMEOUT(window.isLocked(), 3000);
        QVERIFY(!tabs->isVisible());
        QVERIFY2(form && !form->isVisible(), "an open form stays on screen while locked");
        auto *dialog = window.findChild<LoginDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        // The email is fixed to the person who was working.
        QVERIFY(dialog->findChild<QLineEdit *>(QStringLiteral("email"))->isReadOnly());
        typeInto(dialog, "password", QStringLiteral("wrong-password-again-2"));
        QTest::keyClick(dialog->findChild<QLineEdit *>(QStringLiteral("password")), Qt::Key_Return);
        QVERIFY(window.isLocked());
        typeInto(dialog, "password", QString::fromLatin1(test::kTestPassword));
        QTest::keyClick(dialog->findChild<QLineEdit *>(QStringLiteral("password")), Qt::Key_Return);
        QTRY_VERIFY(!window.isLocked());
        QVERIFY(tabs->isVisible());
        // The form is back as it was left.
        QVERIFY(form && form->isVisible());
        QCOMPARE(form->findChild<QLineEdit *>(QStringLiteral("given_name"))->text(), QStringLiteral("Rosa"));
        form->close();
        QVERIFY(window.idleLock()->isWatching());
        window.idleLock()->stop();
    }
};

QTEST_MAIN(TestLogin)
#include "tst_gui_login.moc"
