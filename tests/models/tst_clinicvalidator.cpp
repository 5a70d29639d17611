#include "clinicvalidator.h"

#include <QTest>

using namespace tmdash;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(tmdash::Clinic)

namespace {

Clinic validClinic()
{
    Clinic c;
    c.id = ClinicId(u"01900000-0000-7000-8000-000000000001"_s);
    c.name = u"Riverside Family Practice"_s;
    c.timezone = u"America/New_York"_s;
    c.phone = u"+1 212 555 0100"_s;
    c.address_line = u"12 River Street"_s;
    c.city = u"Springfield"_s;
    c.region = u"NY"_s;
    c.postal_code = u"10001"_s;
    c.country = u"US"_s;
    c.setWeekdayHours(QTime(8, 0), QTime(17, 0));
    c.setHoursOn(6, DayHours::between(QTime(9, 0), QTime(12, 0)));
    return c;
}

QStringList summary(const FieldErrors &errors)
{
    QStringList out;
    for (const FieldError &e : errors) {
        out << QString(e.field + QLatin1Char(':') + e.code);
        if (e.message.isEmpty())
            out << QStringLiteral("<no message for %1>").arg(e.field);
    }
    out.sort();
    return out;
}

} // namespace

class TestClinicValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void weekdayKeys_data()
    {
        QTest::addColumn<int>("weekday");
        QTest::addColumn<QString>("key");
        QTest::newRow("0") << 0 << "";
        QTest::newRow("1") << 1 << "monday";
        QTest::newRow("3") << 3 << "wednesday";
        QTest::newRow("7") << 7 << "sunday";
        QTest::newRow("8") << 8 << "";
    }
    void weekdayKeys()
    {
        QFETCH(int, weekday);
        QFETCH(QString, key);
        QCOMPARE(weekdayKey(weekday), key);
        if (key.isEmpty())
            QVERIFY(!weekdayFromKey(key));
        else
            QCOMPARE(weekdayFromKey(key), std::optional<int>(weekday));
    }

    void hoursOnIndexesByIsoWeekday()
    {
        Clinic c;
        c.setHoursOn(1, DayHours::between(QTime(7, 0), QTime(15, 0)));
        c.setHoursOn(7, DayHours::between(QTime(10, 0), QTime(14, 0)));
        QCOMPARE(c.business_hours[0].open, std::optional<QTime>(QTime(7, 0)));
        QCOMPARE(c.business_hours[6].close, std::optional<QTime>(QTime(14, 0)));
        QCOMPARE(c.hoursOn(1), c.business_hours[0]);
        QVERIFY(c.hoursOn(2).isClosed());
        QVERIFY(c.hoursOn(0).isClosed());
        QVERIFY(c.hoursOn(8).isClosed());
        c.setHoursOn(8, DayHours::between(QTime(1, 0), QTime(2, 0))); // ignored
        QVERIFY(c.hoursOn(8).isClosed());
    }

    void dayHoursContains_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<bool>("inside");
        QTest::newRow("exactly the hours") << "08:00"
                                           << "17:00" << true;
        QTest::newRow("a minute early") << "07:59"
                                        << "08:30" << false;
        QTest::newRow("a minute late") << "16:30"
                                       << "17:01" << false;
        QTest::newRow("inside") << "12:00"
                                << "12:30" << true;
        QTest::newRow("reversed") << "12:30"
                                  << "12:00" << false;
    }
    void dayHoursContains()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(bool, inside);
        const DayHours day = DayHours::between(QTime(8, 0), QTime(17, 0));
        const auto t = [](const QString &s) { return QTime::fromString(s, u"HH:mm"_s); };
        QCOMPARE(day.contains(t(from), t(to)), inside);
        QVERIFY(!DayHours::closed().contains(t(from), t(to)));
        QVERIFY((DayHours{QTime(8, 0), std::nullopt}.isClosed()));
    }

    void validate_data()
    {
        QTest::addColumn<Clinic>("clinic");
        QTest::addColumn<QStringList>("expected");
        const Clinic base = validClinic();
        QTest::newRow("valid") << base << QStringList();

        Clinic c = base;
        c.name.clear();
        QTest::newRow("name empty") << c << QStringList{u"name:required"_s};
        c.name = u"   "_s;
        QTest::newRow("name blank") << c << QStringList{u"name:required"_s};
        c.name = QString(200, QLatin1Char('n'));
        QTest::newRow("name 200") << c << QStringList();
        c.name = QString(201, QLatin1Char('n'));
        QTest::newRow("name 201") << c << QStringList{u"name:too_long"_s};

        c = base;
        c.timezone.clear();
        QTest::newRow("timezone empty") << c << QStringList{u"timezone:required"_s};
        c.timezone = u"Mars/Olympus_Mons"_s;
        QTest::newRow("timezone unknown") << c << QStringList{u"timezone:unknown"_s};
        c.timezone = u"america/new_york"_s;
        QTest::newRow("timezone wrong case") << c << QStringList{u"timezone:unknown"_s};
        c.timezone = u"Europe/Berlin"_s;
        QTest::newRow("timezone Europe/Berlin") << c << QStringList();
        c.timezone = u"UTC"_s;
        QTest::newRow("timezone UTC") << c << QStringList();

        c = base;
        c.phone.clear();
        QTest::newRow("phone absent") << c << QStringList();
        c.phone = u"(212) 555-0100"_s;
        QTest::newRow("phone national") << c << QStringList();
        c.phone = u"call us"_s;
        QTest::newRow("phone letters") << c << QStringList{u"phone:format"_s};

        c = base;
        c.country.clear();
        QTest::newRow("country absent") << c << QStringList();
        c.country = u"us"_s;
        QTest::newRow("country lowercase") << c << QStringList{u"country:format"_s};
        c.country = u"USA"_s;
        QTest::newRow("country alpha-3") << c << QStringList{u"country:format"_s};
        c.country = u"ZZ"_s;
        QTest::newRow("country unassigned") << c << QStringList{u"country:unknown"_s};

        c = base;
        c.postal_code = QString(20, QLatin1Char('9'));
        QTest::newRow("postal code 20") << c << QStringList();
        c.postal_code = QString(21, QLatin1Char('9'));
        QTest::newRow("postal code 21") << c << QStringList{u"postal_code:too_long"_s};
        c = base;
        c.address_line = QString(201, QLatin1Char('a'));
        QTest::newRow("address line 201") << c << QStringList{u"address_line:too_long"_s};
        c = base;
        c.city = QString(101, QLatin1Char('c'));
        QTest::newRow("city 101") << c << QStringList{u"city:too_long"_s};

        c = base;
        c.setHoursOn(3, DayHours::between(QTime(17, 0), QTime(8, 0)));
        QTest::newRow("wednesday reversed")
            << c << QStringList{u"business_hours.wednesday:range"_s};
        c.setHoursOn(3, DayHours::between(QTime(9, 0), QTime(9, 0)));
        QTest::newRow("wednesday open == close")
            << c << QStringList{u"business_hours.wednesday:range"_s};
        c.setHoursOn(3, DayHours::between(QTime(9, 0), QTime(9, 1)));
        QTest::newRow("wednesday one minute") << c << QStringList();
        c.setHoursOn(3, DayHours::between(QTime(0, 0), QTime(23, 59)));
        QTest::newRow("wednesday all day") << c << QStringList();
        c.setHoursOn(3, DayHours{QTime(9, 0), std::nullopt});
        QTest::newRow("wednesday only open")
            << c << QStringList{u"business_hours.wednesday:required"_s};
        c.setHoursOn(3, DayHours{std::nullopt, QTime(17, 0)});
        QTest::newRow("wednesday only close")
            << c << QStringList{u"business_hours.wednesday:required"_s};
        c.setHoursOn(3, DayHours{QTime(9, 0), QTime()});
        QTest::newRow("wednesday invalid time")
            << c << QStringList{u"business_hours.wednesday:format"_s};
        c = base;
        c.setHoursOn(1, DayHours::between(QTime(12, 0), QTime(8, 0)));
        c.setHoursOn(7, DayHours::between(QTime(12, 0), QTime(12, 0)));
        QTest::newRow("monday and sunday")
            << c << QStringList{u"business_hours.monday:range"_s, u"business_hours.sunday:range"_s};
        c = base;
        for (int day = 1; day <= 7; ++day)
            c.setHoursOn(day, DayHours::closed());
        QTest::newRow("closed every day") << c << QStringList();

        c = Clinic();
        QTest::newRow("empty clinic")
            << c << QStringList{u"name:required"_s, u"timezone:required"_s};
    }
    void validate()
    {
        QFETCH(Clinic, clinic);
        QFETCH(QStringList, expected);
        QCOMPARE(summary(validateClinic(clinic)), expected);
    }

    void messagesSayWhatIsExpected()
    {
        Clinic c = validClinic();
        c.setHoursOn(3, DayHours::between(QTime(17, 0), QTime(8, 0)));
        c.timezone = u"Nowhere/City"_s;
        const FieldErrors errors = validateClinic(c);
        QCOMPARE(errors.size(), 2);
        for (const FieldError &e : errors) {
            if (e.field == u"timezone"_s)
                QVERIFY2(e.message.contains(u"Nowhere/City"_s), qPrintable(e.message));
            else
                QVERIFY2(e.message.contains(u"17:00"_s) && e.message.contains(u"08:00"_s),
                         qPrintable(e.message));
        }
    }
};

QTEST_GUILESS_MAIN(TestClinicValidator)
#include "tst_clinicvalidator.moc"
