#include "uservalidator.h"

#include <QTest>

#include <functional>

using namespace tmdash;
using namespace Qt::StringLiterals;

using UserMutation = std::function<void(User &)>;
Q_DECLARE_METATYPE(UserMutation)

namespace {

User validUser()
{
    User u;
    u.id = UserId(u"01900000-0000-7000-8000-000000000201"_s);
    u.clinic_id = ClinicId(u"01900000-0000-7000-8000-000000000001"_s);
    u.email = u"jane.doe@example.com"_s;
    u.given_name = u"Jane"_s;
    u.family_name = u"Doe"_s;
    u.phone = u"+1 212 555 0100"_s;
    u.role = Role::Provider;
    u.status = UserStatus::Active;
    u.password_hash = u"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA"_s;
    return u;
}

QStringList summary(const FieldErrors &errors)
{
    QStringList out;
    for (const FieldError &e : errors) {
        out << QString(e.field + u':' + e.code);
        if (e.message.trimmed().isEmpty())
            out << u"<no message for %1>"_s.arg(e.field);
    }
    return out;
}

QString repeated(const QString &unit, qsizetype times)
{
    QString out;
    for (qsizetype i = 0; i < times; ++i)
        out += unit;
    return out;
}

// Not on the common list and free of any email part used below.
QString strong(qsizetype length)
{
    return repeated(u"Tq8#"_s, length / 4 + 1).left(length);
}

const QString kEmoji = u"\U0001F510"_s; // one code point, two UTF-16 units

} // namespace

class TestUserValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void password_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("email");
        QTest::addColumn<QStringList>("expected"); // in reporting order
        const QString email = u"jane.doe@example.com"_s;
        const QStringList ok;
        const QStringList tooShort{u"password:too_short"_s};
        const QStringList tooLong{u"password:too_long"_s};
        const QStringList common{u"password:common_password"_s};
        const QStringList containsEmail{u"password:contains_email"_s};

        // Length, in code points.
        QTest::newRow("empty") << QString() << email << tooShort;
        QTest::newRow("11") << strong(11) << email << tooShort;
        QTest::newRow("12") << strong(12) << email << ok;
        QTest::newRow("128") << strong(128) << email << ok;
        QTest::newRow("129") << strong(129) << email << tooLong;
        QTest::newRow("11 emoji (22 units)") << repeated(kEmoji, 11) << email << tooShort;
        QTest::newRow("12 emoji (24 units)") << repeated(kEmoji, 12) << email << ok;
        QTest::newRow("128 emoji (256 units)") << repeated(kEmoji, 128) << email << ok;
        QTest::newRow("129 emoji") << repeated(kEmoji, 129) << email << tooLong;
        QTest::newRow("spaces count") << u"correct horse battery"_s << email << ok;

        // Common passwords, case-insensitively.
        QTest::newRow("common 12") << u"unbelievable"_s << email << common;
        QTest::newRow("common other case") << u"UnBelievable"_s << email << common;
        QTest::newRow("common and short") << u"password"_s << email << (tooShort + common);
        QTest::newRow("common with suffix is not on the list") << u"unbelievable!"_s << email << ok;

        // The email's local part.
        QTest::newRow("contains local part") << u"my-jane.doe-secret"_s << email << containsEmail;
        QTest::newRow("contains local part other case")
            << u"MY-JANE.DOE-SECRET"_s << email << containsEmail;
        QTest::newRow("contains only part of local part") << u"my-jane.do-secret"_s << email << ok;
        QTest::newRow("local part of 2 ignored")
            << u"correct-al-horse"_s << u"al@example.com"_s << ok;
        QTest::newRow("local part of 3 checked")
            << u"correct-bob-horse"_s << u"bob@example.com"_s << containsEmail;
        QTest::newRow("plus tag base")
            << u"janeisthebest1"_s << u"jane+clinic@example.com"_s << containsEmail;
        QTest::newRow("no email") << strong(20) << QString() << ok;
        QTest::newRow("domain not checked") << u"example.com-rocks!"_s << email << ok;
        QTest::newRow("all three")
            << u"Dragon"_s << u"dragon@example.com"_s << (tooShort + common + containsEmail);
    }
    void password()
    {
        QFETCH(QString, password);
        QFETCH(QString, email);
        QFETCH(QStringList, expected);
        const FieldErrors errors = checkPassword(password, email);
        QCOMPARE(summary(errors), expected);
    }

    void messagesNeverShowThePassword_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("email");
        QTest::addColumn<int>("errorCount");
        QTest::newRow("short") << u"Xq9z"_s << u"a@example.com"_s << 1;
        QTest::newRow("long") << QString(u"Xq9z"_s + strong(130)) << u"a@example.com"_s << 1;
        QTest::newRow("common") << u"unbelievable"_s << u"a@example.com"_s << 1;
        QTest::newRow("email part") << u"Xq9z-dragon-Xq9z"_s << u"dragon@example.com"_s << 1;
        QTest::newRow("email is password") << u"dragon"_s << u"dragon@example.com"_s << 3;
    }
    void messagesNeverShowThePassword()
    {
        QFETCH(QString, password);
        QFETCH(QString, email);
        QFETCH(int, errorCount);
        const FieldErrors errors = checkPassword(password, email);
        QCOMPARE(int(errors.size()), errorCount);
        for (const FieldError &e : errors)
            QVERIFY2(!e.message.contains(password, Qt::CaseInsensitive), qPrintable(e.message));
    }

    void commonList()
    {
        QVERIFY(isCommonPassword(u"password"_s));
        QVERIFY(isCommonPassword(u"PASSWORD"_s));
        QVERIFY(isCommonPassword(u"123456"_s));
        QVERIFY(!isCommonPassword(u"Tq8#Tq8#Tq8#"_s));
        QVERIFY(!isCommonPassword(QString()));
    }

    void validate_data()
    {
        QTest::addColumn<UserMutation>("mutate");
        QTest::addColumn<QStringList>("expected");
        const auto row = [](const char *name, QStringList expected, UserMutation m) {
            QTest::newRow(name) << m << expected;
        };
        const QStringList ok;
        row("valid", ok, [](User &) {});
        row("email empty", {u"email:required"_s}, [](User &u) { u.email.clear(); });
        row("email bad", {u"email:format"_s}, [](User &u) { u.email = u"jane.doe"_s; });
        row("email too long", {u"email:too_long"_s},
            [](User &u) { u.email = repeated(u"a"_s, 250) + u"@x.io"_s; });
        row("given empty", {u"given_name:required"_s}, [](User &u) { u.given_name.clear(); });
        row("given 100", ok, [](User &u) { u.given_name = repeated(u"g"_s, 100); });
        row("given 101", {u"given_name:too_long"_s},
            [](User &u) { u.given_name = repeated(u"g"_s, 101); });
        row("family empty", {u"family_name:required"_s}, [](User &u) { u.family_name.clear(); });
        row("family 101", {u"family_name:too_long"_s},
            [](User &u) { u.family_name = repeated(u"f"_s, 101); });
        row("phone empty", ok, [](User &u) { u.phone.clear(); });
        row("phone bad", {u"phone:format"_s}, [](User &u) { u.phone = u"12345"_s; });
        row("failed logins 0", ok, [](User &u) { u.failed_logins = 0; });
        row("failed logins -1", {u"failed_logins:range"_s}, [](User &u) { u.failed_logins = -1; });
        row("totp enabled with secret", ok, [](User &u) {
            u.totp_enabled = true;
            u.totp_secret = u"JBSWY3DPEHPK3PXP"_s;
        });
        row("totp enabled without secret", {u"totp_secret:required"_s},
            [](User &u) { u.totp_enabled = true; });
        row("several", {u"email:required"_s, u"family_name:required"_s, u"phone:format"_s},
            [](User &u) {
                u.email.clear();
                u.family_name.clear();
                u.phone = u"x"_s;
            });
    }
    void validate()
    {
        QFETCH(UserMutation, mutate);
        QFETCH(QStringList, expected);
        User u = validUser();
        mutate(u);
        QCOMPARE(summary(validateUser(u)), expected);
    }
};

QTEST_GUILESS_MAIN(TestUserValidator)
#include "tst_uservalidator.moc"
