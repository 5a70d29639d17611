#include "clock.h"
#include "testsupport.h"
#include "totp.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace tmdash;

namespace {

const QByteArray kPasswordLine = QByteArray(test::kTestPassword) + '\n';

} // namespace

// tmdashctl's --as logins: TMDASH_PASSWORD / TMDASH_TOTP, exit 4 on every failure, the user verbs
// of the accounts issue (passwd, totp, unlock, disable), and the owner's limits.
class TestCtlAuth : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("ctlauth")};
    QTemporaryDir m_config;
    QString m_url;

    test::CtlRun ctl(const QStringList &args, const QByteArray &input = {},
                     QMap<QString, QString> env = {})
    {
        env.insert(QStringLiteral("TMDASH_CONFIG_DIR"), m_config.path());
        return test::runCtl(QStringList{QStringLiteral("--db"), m_url} + args, input, env);
    }

    test::CtlRun as(const QString &email, const QStringList &args, const QByteArray &input = {},
                    const QMap<QString, QString> &env = {})
    {
        return ctl(QStringList{QStringLiteral("--json"), QStringLiteral("--as"), email} + args, input, env);
    }

    // A fresh database with an admin (made by the owner, the first admin) and a staff user.
    void freshClinic(SqlDialect dialect)
    {
        Database db = m_factory.create(dialect);
        m_url = m_factory.lastUrl();
        test::insertClinic(db);
        const auto admin = ctl({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--email"),
                                QStringLiteral("boss@north.example"), QStringLiteral("--role"),
                                QStringLiteral("admin"), QStringLiteral("--given-name"), QStringLiteral("Bo"),
                                QStringLiteral("--family-name"), QStringLiteral("Ss"),
                                QStringLiteral("--password-stdin")},
                               kPasswordLine);
        QCOMPARE(admin.exitCode, 0);
        const auto staff = as(QStringLiteral("boss@north.example"),
                              {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--email"),
                               QStringLiteral("sam@north.example"), QStringLiteral("--role"),
                               QStringLiteral("staff"), QStringLiteral("--given-name"), QStringLiteral("Sam"),
                               QStringLiteral("--family-name"), QStringLiteral("Staff"),
                               QStringLiteral("--password-stdin")},
                              kPasswordLine);
        QCOMPARE(staff.exitCode, 0);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_config.isValid()); }

    void loginsAndRefusals_data() { m_factory.addDialectRows(); }
    void loginsAndRefusals()
    {
        QFETCH(SqlDialect, dialect);
        freshClinic(dialect);
        const QStringList list{QStringLiteral("patient"), QStringLiteral("list")};
        QCOMPARE(as(QStringLiteral("sam@north.example"), list).exitCode, 0);

        // Reads need a login too: no --as, no password, a wrong one, an unknown email -> exit 4,
        // and the messages for a wrong password and an unknown email are the same.
        const auto owner = ctl(list);
        QCOMPARE(owner.exitCode, 4);
        QVERIFY(owner.err.contains("--as"));
        const auto noPassword = as(QStringLiteral("sam@north.example"), list, {},
                                   {{QStringLiteral("TMDASH_PASSWORD"), QString()}});
        QCOMPARE(noPassword.exitCode, 4);
        QVERIFY(noPassword.err.contains("TMDASH_PASSWORD"));
        const auto wrong = as(QStringLiteral("sam@north.example"), list, {},
                              {{QStringLiteral("TMDASH_PASSWORD"), QStringLiteral("not-her-password-1")}});
        const auto unknown = as(QStringLiteral("nobody@north.example"), list);
        QCOMPARE(wrong.exitCode, 4);
        QCOMPARE(unknown.exitCode, 4);
        QCOMPARE(wrong.err, unknown.err);
        QVERIFY(wrong.out.isEmpty());

        // The owner may not add a second admin; an admin may.
        const auto second = ctl({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--email"),
                                 QStringLiteral("two@north.example"), QStringLiteral("--role"),
                                 QStringLiteral("admin"), QStringLiteral("--given-name"), QStringLiteral("Tw"),
                                 QStringLiteral("--family-name"), QStringLiteral("O"),
                                 QStringLiteral("--password-stdin")},
                                kPasswordLine);
        QCOMPARE(second.exitCode, 4);
    }

    void lockoutAndUnlock()
    {
        freshClinic(SqlDialect::Sqlite);
        const QStringList list{QStringLiteral("patient"), QStringLiteral("list")};
        const QMap<QString, QString> bad{{QStringLiteral("TMDASH_PASSWORD"), QStringLiteral("not-her-password-1")}};
        for (int i = 0; i < 5; ++i)
            QCOMPARE(as(QStringLiteral("sam@north.example"), list, {}, bad).exitCode, 4);
        QCOMPARE(as(QStringLiteral("sam@north.example"), list).exitCode, 4); // locked
        const auto got = as(QStringLiteral("boss@north.example"),
                            {QStringLiteral("user"), QStringLiteral("get"), QStringLiteral("sam@north.example")});
        QCOMPARE(got.exitCode, 0);
        QVERIFY(!got.json()[u"locked_until"].isNull());
        // Staff cannot unlock; the admin can.
        QCOMPARE(as(QStringLiteral("sam@north.example"),
                    {QStringLiteral("user"), QStringLiteral("unlock"), QStringLiteral("sam@north.example")})
                     .exitCode,
                 4);
        const auto unlocked = as(QStringLiteral("boss@north.example"),
                                 {QStringLiteral("user"), QStringLiteral("unlock"), QStringLiteral("sam@north.example")});
        QCOMPARE(unlocked.exitCode, 0);
        QVERIFY(unlocked.json()[u"locked_until"].isNull());
        QCOMPARE(as(QStringLiteral("sam@north.example"), list).exitCode, 0);
    }

    void passwdAndDisable()
    {
        freshClinic(SqlDialect::Sqlite);
        const QString fresh = QStringLiteral("amber-orchard-compass-58");
        const QStringList passwd{QStringLiteral("user"), QStringLiteral("passwd"), QStringLiteral("--password-stdin")};
        // A weak password is refused naming the field, and the old one still works.
        const auto weak = as(QStringLiteral("sam@north.example"), passwd, "password\n");
        QCOMPARE(weak.exitCode, 2);
        QVERIFY(test::fieldsOf(weak).join(u' ').contains(QStringLiteral("password:")));
        QCOMPARE(as(QStringLiteral("sam@north.example"), passwd, fresh.toUtf8() + '\n').exitCode, 0);
        const QStringList list{QStringLiteral("patient"), QStringLiteral("list")};
        QCOMPARE(as(QStringLiteral("sam@north.example"), list).exitCode, 4);
        QCOMPARE(as(QStringLiteral("sam@north.example"), list, {}, {{QStringLiteral("TMDASH_PASSWORD"), fresh}}).exitCode, 0);
        // Staff may not change another user's password.
        QCOMPARE(as(QStringLiteral("sam@north.example"), passwd + QStringList{QStringLiteral("boss@north.example")},
                    fresh.toUtf8() + '\n', {{QStringLiteral("TMDASH_PASSWORD"), fresh}})
                     .exitCode,
                 4);
        // Disabled: no login at all.
        QCOMPARE(as(QStringLiteral("boss@north.example"),
                    {QStringLiteral("user"), QStringLiteral("disable"), QStringLiteral("sam@north.example")})
                     .exitCode,
                 0);
        QCOMPARE(as(QStringLiteral("sam@north.example"), list, {}, {{QStringLiteral("TMDASH_PASSWORD"), fresh}}).exitCode, 4);
    }

    void totpThroughTheCommandLine()
    {
        freshClinic(SqlDialect::Sqlite);
        const QString sam = QStringLiteral("sam@north.example");
        const auto enrol = as(sam, {QStringLiteral("user"), QStringLiteral("totp"), QStringLiteral("enroll")});
        QCOMPARE(enrol.exitCode, 0);
        const QString uri = enrol.json()[u"uri"].toString();
        QVERIFY2(uri.startsWith(QStringLiteral("otpauth://totp/TMDash:sam%40north.example?secret=")), qPrintable(uri));
        QVERIFY(uri.endsWith(QStringLiteral("&issuer=TMDash")));
        const QByteArray secret = base32Decode(enrol.json()[u"secret"].toString()).value_or(QByteArray());
        QCOMPARE(secret.size(), 20);
        // The clinic key lives outside the database, owner-only.
        const QFileInfoList keys = QDir(m_config.path()).entryInfoList(QDir::Files);
        QCOMPARE(keys.size(), 1);
        QCOMPARE(keys.first().permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());

        const qint64 now = nowUtc().toSecsSinceEpoch();
        const auto confirm = as(sam, {QStringLiteral("user"), QStringLiteral("totp"), QStringLiteral("confirm"),
                                      QStringLiteral("--code"), totpCode(secret, now)});
        QCOMPARE(confirm.exitCode, 0);
        const QJsonArray recovery = confirm.json()[u"recovery_codes"].toArray();
        QCOMPARE(recovery.size(), 10);

        const QStringList list{QStringLiteral("patient"), QStringLiteral("list")};
        const auto noCode = as(sam, list);
        QCOMPARE(noCode.exitCode, 4);
        QVERIFY(noCode.err.contains("TMDASH_TOTP"));
        QCOMPARE(as(sam, list, {}, {{QStringLiteral("TMDASH_TOTP"), totpCode(secret, now + 30)}}).exitCode, 0);
        const QMap<QString, QString> withRecovery{{QStringLiteral("TMDASH_TOTP"), recovery.at(3).toString()}};
        QCOMPARE(as(sam, list, {}, withRecovery).exitCode, 0);
        QCOMPARE(as(sam, list, {}, withRecovery).exitCode, 4);

        // The admin resets it (a lost phone); the password alone works again.
        QCOMPARE(as(QStringLiteral("boss@north.example"),
                    {QStringLiteral("user"), QStringLiteral("totp"), QStringLiteral("disable"), sam})
                     .exitCode,
                 0);
        QCOMPARE(as(sam, list).exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestCtlAuth)
#include "tst_ctlauth.moc"
