#include "user.h"

#include <QTest>

using namespace tmdash;
using namespace Qt::StringLiterals;

namespace {

template <class E> void checkRoundTrip(const QStringList &expectedNames, int enumeratorCount)
{
    QCOMPARE(enumNames<E>(), expectedNames);
    QCOMPARE(int(expectedNames.size()), enumeratorCount);
    for (int i = 0; i < enumeratorCount; ++i) {
        const E value = static_cast<E>(i);
        const QString name = tmdash::toString(value);
        QVERIFY2(!name.isEmpty(), "an enumerator without a stored name");
        const std::optional<E> back = enumFromString<E>(name);
        QVERIFY(back.has_value());
        QVERIFY(*back == value);
        QVERIFY(!enumFromString<E>(name.toUpper()).has_value());
    }
    QVERIFY(!enumFromString<E>(QString()).has_value());
    QVERIFY(!enumFromString<E>(u"root"_s).has_value());
}

} // namespace

class TestUser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void enumNamesRoundTrip()
    {
        checkRoundTrip<Role>({u"admin"_s, u"provider"_s, u"staff"_s, u"patient"_s}, 4);
        checkRoundTrip<UserStatus>({u"pending"_s, u"active"_s, u"locked"_s, u"disabled"_s}, 4);
    }
    void defaults()
    {
        const User u;
        QVERIFY(u.status == UserStatus::Pending);
        QVERIFY(u.role == Role::Staff);
        QVERIFY(!u.totp_enabled);
        QCOMPARE(u.failed_logins, 0);
        QVERIFY(!u.locked_until);
        QVERIFY(!u.last_login_at);
    }
    void displayName_data()
    {
        QTest::addColumn<QString>("given");
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("expected");
        QTest::newRow("both") << u"Jane"_s << u"Doe"_s << u"Jane Doe"_s;
        QTest::newRow("trimmed") << u" Jane "_s << u" Doe"_s << u"Jane Doe"_s;
        QTest::newRow("given only") << u"Jane"_s << QString() << u"Jane"_s;
        QTest::newRow("family only") << QString() << u"Doe"_s << u"Doe"_s;
        QTest::newRow("none") << QString() << QString() << QString();
    }
    void displayName()
    {
        QFETCH(QString, given);
        QFETCH(QString, family);
        QFETCH(QString, expected);
        User u;
        u.given_name = given;
        u.family_name = family;
        QCOMPARE(u.displayName(), expected);
    }
};

QTEST_GUILESS_MAIN(TestUser)
#include "tst_user.moc"
