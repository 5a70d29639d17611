#include "authenticator.h"
#include "clinickey.h"
#include "clock.h"
#include "recordtable.h"
#include "recoverycodes.h"
#include "testsupport.h"
#include "totp.h"
#include "usercodec.h"
#include "userstore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tmdash;

namespace {

const QString kPassword = QString::fromLatin1(test::kTestPassword);
const QString kWrong = QStringLiteral("not-the-right-password-9");

struct Fixture
{
    Database db;
    ClinicId clinic;
    User admin;
    User staff;
};

qint64 auditCount(const Database &db, const QString &action)
{
    auto rows = RecordTable(db, u"audit_log").select(QStringLiteral("action = :a"), {{QStringLiteral("a"), action}});
    return rows ? rows->size() : -1;
}

} // namespace

class TestAuthenticator : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("authenticator")};
    QTemporaryDir m_config;

    Fixture fixture(SqlDialect dialect)
    {
        Fixture f;
        f.db = m_factory.create(dialect);
        f.clinic = test::insertClinic(f.db);
        const UserStore owner(f.db, Principal::owner());
        User a;
        a.email = QStringLiteral("admin@north.example");
        a.given_name = QStringLiteral("Ada");
        a.family_name = QStringLiteral("Admin");
        a.role = Role::Admin;
        a.status = UserStatus::Active;
        auto admin = owner.create(a, kPassword);
        if (!admin)
            qFatal("admin: %s", qPrintable(admin.error().message));
        f.admin = *admin;
        User s = a;
        s.email = QStringLiteral("sam@north.example");
        s.given_name = QStringLiteral("Sam");
        s.family_name = QStringLiteral("Staff");
        s.role = Role::Staff;
        auto staff = owner.create(s, kPassword);
        if (!staff)
            qFatal("staff: %s", qPrintable(staff.error().message));
        f.staff = *staff;
        return f;
    }

    static Result<Principal> login(const Fixture &f, const QString &email, const QString &password,
                                   const QString &code = {}, LoginPolicy policy = {})
    {
        return Authenticator(f.db, policy).login({email, password, code, {}});
    }

    static User reload(const Fixture &f, const UserId &id)
    {
        auto u = UserStore(f.db, Principal::owner()).get(id);
        if (!u)
            qFatal("reload: %s", qPrintable(u.error().message));
        return *u;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("TMDASH_CONFIG_DIR", m_config.path().toUtf8());
    }

    void cleanup() { setClockOffsetSeconds(0); }

    void rightPasswordLogsInWithoutOutbox_data() { m_factory.addDialectRows(); }
    void rightPasswordLogsInWithoutOutbox()
    {
        QFETCH(SqlDialect, dialect);
        Fixture f = fixture(dialect);
        const qint64 outboxBefore = f.db.isSqlite() ? test::rowCount(f.db, QStringLiteral("outbox")) : 0;
        auto p = login(f, QStringLiteral("  SAM@north.example "), kPassword);
        QVERIFY2(p, qPrintable(p.error().message));
        QCOMPARE(p->user_id, f.staff.id);
        QCOMPARE(p->role, Role::Staff);
        QCOMPARE(p->clinic_id, f.clinic);
        QVERIFY(reload(f, f.staff.id).last_login_at.has_value());
        QCOMPARE(auditCount(f.db, QStringLiteral("login_succeeded")), 1);
        if (f.db.isSqlite())
            QCOMPARE(test::rowCount(f.db, QStringLiteral("outbox")), outboxBefore);
    }

    void refusalsLookAlike_data() { m_factory.addDialectRows(); }
    void refusalsLookAlike()
    {
        QFETCH(SqlDialect, dialect);
        Fixture f = fixture(dialect);
        auto wrong = login(f, f.staff.email, kWrong);
        auto unknown = login(f, QStringLiteral("nobody@north.example"), kPassword);
        QVERIFY(!wrong);
        QVERIFY(!unknown);
        QCOMPARE(wrong.error().code, ErrorCode::NotAuthenticated);
        QCOMPARE(unknown.error().code, ErrorCode::NotAuthenticated);
        QCOMPARE(wrong.error().message, unknown.error().message);
        QCOMPARE(reload(f, f.staff.id).failed_logins, 1);
        QCOMPARE(auditCount(f.db, QStringLiteral("login_failed")), 2);
        // The unknown email is in the audit log, so an administrator can see the attempt.
        auto rows = RecordTable(f.db, u"audit_log").select(QStringLiteral("action = 'login_failed' AND actor_id IS NULL"), {});
        QVERIFY(rows && rows->size() == 1);
        QCOMPARE(rows->first().value(u"fields").toObject().value(u"email").toString(), QStringLiteral("nobody@north.example"));
    }

    void lockoutAfterFailuresAndExpiry_data() { m_factory.addDialectRows(); }
    void lockoutAfterFailuresAndExpiry()
    {
        QFETCH(SqlDialect, dialect);
        Fixture f = fixture(dialect);
        const LoginPolicy policy{3, 15};
        for (int i = 0; i < 2; ++i)
            QVERIFY(!login(f, f.staff.email, kWrong, {}, policy));
        // A success in between resets the count.
        QVERIFY(login(f, f.staff.email, kPassword, {}, policy));
        QCOMPARE(reload(f, f.staff.id).failed_logins, 0);
        for (int i = 0; i < 3; ++i)
            QVERIFY(!login(f, f.staff.email, kWrong, {}, policy));
        const User locked = reload(f, f.staff.id);
        QVERIFY(locked.locked_until.has_value());
        QCOMPARE(auditCount(f.db, QStringLiteral("login_locked")), 1);
        // Locked: the right password is refused too, with the same message.
        auto refused = login(f, f.staff.email, kPassword, {}, policy);
        QVERIFY(!refused);
        QCOMPARE(refused.error().message, Authenticator::refusedMessage());
        // 14 minutes later still locked, 16 minutes later open again.
        setClockOffsetSeconds(840);
        QVERIFY(!login(f, f.staff.email, kPassword, {}, policy));
        setClockOffsetSeconds(960);
        QVERIFY(login(f, f.staff.email, kPassword, {}, policy));
        QVERIFY(!reload(f, f.staff.id).locked_until.has_value());
    }

    void adminUnlockLiftsLockout_data() { m_factory.addDialectRows(); }
    void adminUnlockLiftsLockout()
    {
        QFETCH(SqlDialect, dialect);
        Fixture f = fixture(dialect);
        for (int i = 0; i < 5; ++i)
            QVERIFY(!login(f, f.staff.email, kWrong));
        QVERIFY(!login(f, f.staff.email, kPassword));
        auto adminPrincipal = principalForUser(f.db, f.admin);
        QVERIFY(adminPrincipal);
        // Staff may not unlock; the admin may.
        auto staffPrincipal = principalForUser(f.db, f.staff);
        QCOMPARE(UserStore(f.db, *staffPrincipal).unlock(f.staff.id).error().code, ErrorCode::NotPermitted);
        auto unlocked = UserStore(f.db, *adminPrincipal).unlock(f.staff.id);
        QVERIFY2(unlocked, qPrintable(unlocked.error().message));
        QVERIFY(unlocked->unlocked_at.has_value());
        QVERIFY(login(f, f.staff.email, kPassword));
    }

    void syncedUnlockVoidsOlderLockout()
    {
        // An unlock made on another desktop arrives as users.unlocked_at; this desktop's lockout
        // that began before it no longer holds.
        Fixture f = fixture(SqlDialect::Sqlite);
        for (int i = 0; i < 5; ++i)
            QVERIFY(!login(f, f.staff.email, kWrong));
        QVERIFY(!login(f, f.staff.email, kPassword));
        setClockOffsetSeconds(60);
        QVERIFY(RecordTable(f.db, u"users").update(f.staff.id.value, {{QStringLiteral("unlocked_at"), formatInstant(nowUtc())}}));
        QVERIFY(login(f, f.staff.email, kPassword));
    }

    void disabledAccountRefused_data() { m_factory.addDialectRows(); }
    void disabledAccountRefused()
    {
        QFETCH(SqlDialect, dialect);
        Fixture f = fixture(dialect);
        auto adminPrincipal = principalForUser(f.db, f.admin);
        QVERIFY(UserStore(f.db, *adminPrincipal).disable(f.staff.id));
        auto refused = login(f, f.staff.email, kPassword);
        QVERIFY(!refused);
        QCOMPARE(refused.error().message, Authenticator::refusedMessage());
    }

    void totpEnrolConfirmAndLogin_data() { m_factory.addDialectRows(); }
    void totpEnrolConfirmAndLogin()
    {
        QFETCH(SqlDialect, dialect);
        Fixture f = fixture(dialect);
        auto me = principalForUser(f.db, f.staff);
        const UserStore mine(f.db, *me);
        // Someone else cannot enrol my account.
        auto adminPrincipal = principalForUser(f.db, f.admin);
        QCOMPARE(UserStore(f.db, *adminPrincipal).enrollTotp(f.staff.id).error().code, ErrorCode::NotPermitted);

        auto enrolment = mine.enrollTotp(f.staff.id);
        QVERIFY2(enrolment, qPrintable(enrolment.error().message));
        QVERIFY(enrolment->uri.startsWith(QStringLiteral("otpauth://totp/TMDash:")));
        const QByteArray secret = base32Decode(enrolment->secret).value_or(QByteArray());
        QCOMPARE(secret.size(), 20);
        // Stored sealed, never as the base32 text.
        const User stored = reload(f, f.staff.id);
        QVERIFY(!stored.totp_secret.contains(enrolment->secret));
        QVERIFY(!stored.totp_enabled);
        // Not on until confirmed: a password alone still logs in.
        QVERIFY(login(f, f.staff.email, kPassword));

        const qint64 now = nowUtc().toSecsSinceEpoch();
        QCOMPARE(mine.confirmTotp(f.staff.id, QStringLiteral("000000")).error().fields.value(0).field,
                 QStringLiteral("code"));
        auto codes = mine.confirmTotp(f.staff.id, totpCode(secret, now));
        QVERIFY2(codes, qPrintable(codes.error().message));
        QCOMPARE(codes->size(), 10);
        QVERIFY(reload(f, f.staff.id).totp_enabled);

        // The password alone now asks for the code.
        auto needsCode = login(f, f.staff.email, kPassword);
        QVERIFY(!needsCode);
        QCOMPARE(needsCode.error().fields.value(0).field, QStringLiteral("totp"));
        // The confirming code was spent; the next step's code works once.
        QVERIFY(!login(f, f.staff.email, kPassword, totpCode(secret, now)));
        const QString next = totpCode(secret, now + 30);
        QVERIFY2(login(f, f.staff.email, kPassword, next), "code of the next step (+1 window)");
        QVERIFY(!login(f, f.staff.email, kPassword, next));
        // A wrong code counts as a failure.
        QVERIFY(reload(f, f.staff.id).failed_logins >= 1);

        // A recovery code works once.
        const QString recovery = codes->first();
        QVERIFY(login(f, f.staff.email, kPassword, recovery.toUpper()));
        QCOMPARE(reload(f, f.staff.id).recovery_codes.size(), 9);
        QVERIFY(!login(f, f.staff.email, kPassword, recovery));
        QCOMPARE(auditCount(f.db, QStringLiteral("recovery_code_used")), 1);

        // An admin resets it; the password alone works again.
        QVERIFY(UserStore(f.db, *adminPrincipal).disableTotp(f.staff.id));
        QVERIFY(login(f, f.staff.email, kPassword));
    }

    void totpNeedsTheClinicKey()
    {
        // A database file copied to a machine without the clinic key cannot check codes.
        Fixture f = fixture(SqlDialect::Sqlite);
        auto me = principalForUser(f.db, f.staff);
        const UserStore mine(f.db, *me);
        auto enrolment = mine.enrollTotp(f.staff.id);
        QVERIFY(enrolment);
        const QByteArray secret = base32Decode(enrolment->secret).value_or(QByteArray());
        QVERIFY(mine.confirmTotp(f.staff.id, totpCode(secret, nowUtc().toSecsSinceEpoch())));
        QTemporaryDir elsewhere;
        qputenv("TMDASH_CONFIG_DIR", elsewhere.path().toUtf8());
        auto refused = login(f, f.staff.email, kPassword, totpCode(secret, nowUtc().toSecsSinceEpoch() + 30));
        qputenv("TMDASH_CONFIG_DIR", m_config.path().toUtf8());
        QVERIFY(!refused);
        // Not a silent refusal: the person is told the key is missing and how to import it.
        QCOMPARE(refused.error().code, ErrorCode::Storage);
        QVERIFY2(refused.error().message.contains(QStringLiteral("clinic key import")),
                 qPrintable(refused.error().message));
    }

    void patientPrincipalCarriesOwnRecord()
    {
        Fixture f = fixture(SqlDialect::Sqlite);
        User p;
        p.email = QStringLiteral("pat@mail.example");
        p.given_name = QStringLiteral("Pat");
        p.family_name = QStringLiteral("Jones");
        p.role = Role::Patient;
        p.status = UserStatus::Active;
        auto user = UserStore(f.db, Principal::owner()).create(p, kPassword);
        QVERIFY(user);
        const QString patientId = newUuidV7();
        const QString when = formatInstant(nowUtc());
        QVERIFY(RecordTable(f.db, u"patients")
                    .insert({{QStringLiteral("id"), patientId},
                             {QStringLiteral("clinic_id"), f.clinic.value},
                             {QStringLiteral("mrn"), QStringLiteral("T-1")},
                             {QStringLiteral("given_name"), QStringLiteral("Pat")},
                             {QStringLiteral("family_name"), QStringLiteral("Jones")},
                             {QStringLiteral("birth_date"), QStringLiteral("1980-02-03")},
                             {QStringLiteral("sex"), QStringLiteral("female")},
                             {QStringLiteral("user_id"), user->id.value},
                             {QStringLiteral("created_at"), when},
                             {QStringLiteral("updated_at"), when}}));
        auto principal = login(f, p.email, kPassword);
        QVERIFY(principal);
        QVERIFY(principal->isPatient());
        QCOMPARE(principal->patient_id.value, patientId);
    }
};

QTEST_GUILESS_MAIN(TestAuthenticator)
#include "tst_authenticator.moc"
