#include "patient.h"

#include <QTest>

using namespace tmdash;
using namespace Qt::StringLiterals;

namespace {

// Every enumerator maps to its stored name and back, the names are exactly the issue's, and
// anything else (other case, blanks, unknown words) is refused.
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
        QVERIFY(!enumFromString<E>(QString(name + u' ')).has_value());
    }
    QVERIFY(!enumFromString<E>(QString()).has_value());
    QVERIFY(!enumFromString<E>(u"nonsense"_s).has_value());
}

Patient named(const QString &given, const QString &middle, const QString &family)
{
    Patient p;
    p.given_name = given;
    p.middle_name = middle;
    p.family_name = family;
    return p;
}

} // namespace

class TestPatient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void enumNamesRoundTrip()
    {
        checkRoundTrip<Sex>({u"female"_s, u"male"_s, u"other"_s, u"unknown"_s}, 4);
        checkRoundTrip<AllergyCategory>(
            {u"food"_s, u"medication"_s, u"environment"_s, u"biologic"_s}, 4);
        checkRoundTrip<AllergyCriticality>({u"low"_s, u"high"_s, u"unable_to_assess"_s}, 3);
        checkRoundTrip<AllergySeverity>({u"mild"_s, u"moderate"_s, u"severe"_s}, 3);
        checkRoundTrip<AllergyStatus>({u"active"_s, u"inactive"_s, u"resolved"_s}, 3);
        checkRoundTrip<ConditionStatus>({u"active"_s, u"resolved"_s, u"inactive"_s}, 3);
    }
    void defaults()
    {
        const Patient p;
        QVERIFY(p.sex == Sex::Unknown);
        QVERIFY(!p.birth_date);
        QVERIFY(!p.user_id);
        QVERIFY(!p.meta.isDeleted());
        const PatientAllergy a;
        QVERIFY(a.criticality == AllergyCriticality::UnableToAssess);
        QVERIFY(a.status == AllergyStatus::Active);
        QVERIFY(!a.severity);
        QVERIFY(!PatientInsurance().is_primary);
        QVERIFY(PatientCondition().status == ConditionStatus::Active);
    }

    void displayName_data()
    {
        QTest::addColumn<QString>("given");
        QTest::addColumn<QString>("middle");
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("expected");
        QTest::newRow("all") << u"Maria"_s << u"José"_s << u"Núñez"_s << u"Maria José Núñez"_s;
        QTest::newRow("no middle") << u"Maria"_s << QString() << u"Núñez"_s << u"Maria Núñez"_s;
        QTest::newRow("blank middle") << u"Maria"_s << u"  "_s << u"Núñez"_s << u"Maria Núñez"_s;
        QTest::newRow("trimmed") << u" Maria "_s << QString() << u"Núñez "_s << u"Maria Núñez"_s;
        QTest::newRow("family only") << QString() << QString() << u"Núñez"_s << u"Núñez"_s;
        QTest::newRow("none") << QString() << QString() << QString() << QString();
    }
    void displayName()
    {
        QFETCH(QString, given);
        QFETCH(QString, middle);
        QFETCH(QString, family);
        QFETCH(QString, expected);
        QCOMPARE(named(given, middle, family).displayName(), expected);
    }

    void ageOn_data()
    {
        QTest::addColumn<QDate>("birth"); // invalid: no birth date
        QTest::addColumn<QDate>("day");
        QTest::addColumn<int>("age"); // -1: nullopt
        const QDate born(1980, 7, 4);
        QTest::newRow("day of birth") << born << born << 0;
        QTest::newRow("day before first birthday") << born << QDate(1981, 7, 3) << 0;
        QTest::newRow("first birthday") << born << QDate(1981, 7, 4) << 1;
        QTest::newRow("day before 46th") << born << QDate(2026, 7, 3) << 45;
        QTest::newRow("46th") << born << QDate(2026, 7, 4) << 46;
        QTest::newRow("earlier month") << born << QDate(2026, 3, 15) << 45;
        QTest::newRow("leap day, common year 28 Feb")
            << QDate(2000, 2, 29) << QDate(2001, 2, 28) << 0;
        QTest::newRow("leap day, common year 1 Mar")
            << QDate(2000, 2, 29) << QDate(2001, 3, 1) << 1;
        QTest::newRow("leap day, leap year") << QDate(2000, 2, 29) << QDate(2004, 2, 29) << 4;
        QTest::newRow("before birth") << born << born.addDays(-1) << -1;
        QTest::newRow("no birth date") << QDate() << born << -1;
    }
    void ageOn()
    {
        QFETCH(QDate, birth);
        QFETCH(QDate, day);
        QFETCH(int, age);
        Patient p;
        if (birth.isValid())
            p.birth_date = birth;
        const std::optional<int> actual = p.ageOn(day);
        QCOMPARE(actual.value_or(-1), age);
    }
};

QTEST_GUILESS_MAIN(TestPatient)
#include "tst_patient.moc"
