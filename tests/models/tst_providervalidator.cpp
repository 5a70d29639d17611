#include "providervalidator.h"

#include <QTest>

using namespace tmdash;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(tmdash::Provider)

namespace {

const QDate kToday(2026, 3, 4);

QTime hm(const QString &text)
{
    return QTime::fromString(text, u"HH:mm"_s);
}

QDateTime utc(const QString &text)
{
    return QDateTime::fromString(text, Qt::ISODate).toUTC();
}

ProviderAvailability window(int weekday, const QString &from, const QString &to)
{
    ProviderAvailability w;
    w.id = newId<RowId>();
    w.weekday = weekday;
    w.start_time = hm(from);
    w.end_time = hm(to);
    return w;
}

ProviderTimeOff timeOff(const QString &from, const QString &to, const QString &reason = {})
{
    ProviderTimeOff off;
    off.id = newId<RowId>();
    off.start_at = utc(from);
    off.end_at = utc(to);
    off.reason = reason;
    return off;
}

Provider validProvider()
{
    Provider p;
    p.id = ProviderId(u"01900000-0000-7000-8000-0000000000a1"_s);
    p.clinic_id = ClinicId(u"01900000-0000-7000-8000-000000000001"_s);
    p.user_id = UserId(u"01900000-0000-7000-8000-0000000000d1"_s);
    p.npi = u"1234567893"_s; // the CMS worked example
    p.license_number = u"MD-123456"_s;
    p.license_region = u"NY"_s;
    p.license_expires = QDate(2027, 6, 30);
    p.specialty = u"Family Medicine"_s;
    p.credentials = u"MD"_s;
    p.default_slot_minutes = 15;
    p.availability = {window(3, u"09:00"_s, u"12:00"_s), window(3, u"13:00"_s, u"17:00"_s),
                      window(4, u"08:00"_s, u"17:00"_s)};
    p.time_off = {timeOff(u"2026-04-01T13:00:00Z"_s, u"2026-04-01T21:00:00Z"_s, u"Training"_s)};
    return p;
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

class TestProviderValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validate_data()
    {
        QTest::addColumn<Provider>("provider");
        QTest::addColumn<QStringList>("expected");
        const Provider base = validProvider();
        QTest::newRow("valid") << base << QStringList();

        Provider p = base;
        p.npi.clear();
        QTest::newRow("npi empty") << p << QStringList{u"npi:required"_s};
        p.npi = u"123456789"_s;
        QTest::newRow("npi 9 digits") << p << QStringList{u"npi:format"_s};
        p.npi = u"12345678931"_s;
        QTest::newRow("npi 11 digits") << p << QStringList{u"npi:format"_s};
        p.npi = u"123456789X"_s;
        QTest::newRow("npi letter") << p << QStringList{u"npi:format"_s};
        p.npi = u"1234567890"_s;
        QTest::newRow("npi wrong check digit") << p << QStringList{u"npi:checksum"_s};
        p.npi = u"1234567894"_s;
        QTest::newRow("npi check digit off by one") << p << QStringList{u"npi:checksum"_s};

        p = base;
        p.license_number.clear();
        QTest::newRow("license number empty") << p << QStringList{u"license_number:required"_s};
        p.license_number = QString(50, QLatin1Char('L'));
        QTest::newRow("license number 50") << p << QStringList();
        p.license_number = QString(51, QLatin1Char('L'));
        QTest::newRow("license number 51") << p << QStringList{u"license_number:too_long"_s};

        p = base;
        p.license_expires = QDate();
        QTest::newRow("license expiry missing") << p << QStringList{u"license_expires:required"_s};
        p.license_expires = kToday.addDays(-1);
        QTest::newRow("license expired yesterday")
            << p << QStringList{u"license_expires:expired"_s};
        p.license_expires = kToday;
        QTest::newRow("license expires today") << p << QStringList();
        p.license_expires = kToday.addDays(1);
        QTest::newRow("license expires tomorrow") << p << QStringList();
        p.license_expires = kToday.addYears(-3);
        p.meta.deleted_at = utc(u"2026-01-01T00:00:00Z"_s);
        QTest::newRow("expired licence on a tombstoned provider") << p << QStringList();

        p = base;
        p.default_slot_minutes = 4;
        QTest::newRow("slot 4") << p << QStringList{u"default_slot_minutes:range"_s};
        p.default_slot_minutes = 5;
        QTest::newRow("slot 5") << p << QStringList();
        p.default_slot_minutes = 480;
        QTest::newRow("slot 480") << p << QStringList();
        p.default_slot_minutes = 481;
        QTest::newRow("slot 481") << p << QStringList{u"default_slot_minutes:range"_s};
        p.default_slot_minutes = 0;
        QTest::newRow("slot 0") << p << QStringList{u"default_slot_minutes:range"_s};

        p = base;
        p.specialty = QString(101, QLatin1Char('s'));
        QTest::newRow("specialty 101") << p << QStringList{u"specialty:too_long"_s};

        p = base;
        p.availability = {window(0, u"09:00"_s, u"10:00"_s)};
        QTest::newRow("weekday 0") << p << QStringList{u"availability[0].weekday:range"_s};
        p.availability = {window(1, u"09:00"_s, u"10:00"_s), window(7, u"09:00"_s, u"10:00"_s)};
        QTest::newRow("weekday 1 and 7") << p << QStringList();
        p.availability = {window(1, u"09:00"_s, u"10:00"_s), window(8, u"09:00"_s, u"10:00"_s)};
        QTest::newRow("weekday 8") << p << QStringList{u"availability[1].weekday:range"_s};
        p.availability = {window(2, u"10:00"_s, u"10:00"_s)};
        QTest::newRow("start == end") << p << QStringList{u"availability[0].end_time:range"_s};
        p.availability = {window(2, u"10:00"_s, u"09:59"_s)};
        QTest::newRow("end before start") << p << QStringList{u"availability[0].end_time:range"_s};
        p.availability = {window(2, u"10:00"_s, u"10:01"_s)};
        QTest::newRow("one minute window") << p << QStringList();
        p.availability = {window(2, u"xx"_s, u""_s)};
        QTest::newRow("times missing") << p
                                       << QStringList{u"availability[0].end_time:required"_s,
                                                      u"availability[0].start_time:required"_s};
        p.availability = {window(2, u"09:00"_s, u"10:00"_s)};
        p.availability[0].room = QString(65, QLatin1Char('r'));
        QTest::newRow("room 65") << p << QStringList{u"availability[0].room:too_long"_s};

        p = base;
        p.availability.append(window(3, u"11:00"_s, u"14:00"_s));
        QTest::newRow("overlaps both wednesday windows")
            << p << QStringList{u"availability[3].start_time:overlap"_s};
        p = base;
        p.availability.append(window(3, u"11:59"_s, u"12:30"_s));
        QTest::newRow("overlaps by a minute")
            << p << QStringList{u"availability[3].start_time:overlap"_s};
        p = base;
        p.availability.append(window(3, u"12:00"_s, u"13:00"_s));
        QTest::newRow("fills the gap back-to-back") << p << QStringList();
        p = base;
        p.availability.append(window(5, u"09:00"_s, u"12:00"_s));
        QTest::newRow("same hours, other weekday") << p << QStringList();
        p = base;
        p.availability.append(window(3, u"09:00"_s, u"12:00"_s));
        p.availability.last().meta.deleted_at = utc(u"2026-01-01T00:00:00Z"_s);
        QTest::newRow("tombstoned duplicate ignored") << p << QStringList();
        p = base;
        p.availability.prepend(window(3, u"08:00"_s, u"18:00"_s));
        QTest::newRow("earlier row covers later ones")
            << p
            << QStringList{u"availability[1].start_time:overlap"_s,
                           u"availability[2].start_time:overlap"_s};

        p = base;
        p.time_off = {timeOff(u"2026-04-01T13:00:00Z"_s, u"2026-04-01T13:00:00Z"_s)};
        QTest::newRow("time off empty") << p << QStringList{u"time_off[0].end_at:range"_s};
        p.time_off = {timeOff(u"2026-04-01T13:00:00Z"_s, u"2026-04-01T12:59:00Z"_s)};
        QTest::newRow("time off reversed") << p << QStringList{u"time_off[0].end_at:range"_s};
        p.time_off = {timeOff(u"2026-04-01T13:00:00Z"_s, u"2026-04-01T13:01:00Z"_s)};
        QTest::newRow("time off one minute") << p << QStringList();
        p.time_off = {timeOff(u"bad"_s, u"2026-04-01T13:01:00Z"_s)};
        QTest::newRow("time off start missing")
            << p << QStringList{u"time_off[0].start_at:required"_s};
        p.time_off = {timeOff(u"2026-04-01T13:00:00Z"_s, u"2026-04-01T14:00:00Z"_s,
                              QString(500, QLatin1Char('r')))};
        QTest::newRow("time off reason 500") << p << QStringList();
        p.time_off[0].reason = QString(501, QLatin1Char('r'));
        QTest::newRow("time off reason 501") << p << QStringList{u"time_off[0].reason:too_long"_s};
        p.time_off[0].meta.deleted_at = utc(u"2026-01-01T00:00:00Z"_s);
        QTest::newRow("tombstoned time off not checked") << p << QStringList();

        QTest::newRow("empty provider")
            << Provider()
            << QStringList{u"license_expires:required"_s, u"license_number:required"_s,
                           u"npi:required"_s};
    }
    void validate()
    {
        QFETCH(Provider, provider);
        QFETCH(QStringList, expected);
        QCOMPARE(summary(validateProvider(provider, kToday)), expected);
    }

    void expiredMessageNamesTheDate()
    {
        Provider p = validProvider();
        p.license_expires = QDate(2025, 12, 31);
        const FieldErrors errors = validateProvider(p, kToday);
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().message.contains(u"2025-12-31"_s),
                 qPrintable(errors.first().message));
    }

    void availabilityOnSortsAndSkipsTombstones()
    {
        Provider p = validProvider();
        p.availability.prepend(window(3, u"15:00"_s, u"16:00"_s));
        p.availability.first().meta.deleted_at = utc(u"2026-01-01T00:00:00Z"_s);
        p.availability.append(window(3, u"07:00"_s, u"08:00"_s));
        const QList<ProviderAvailability> wed = p.availabilityOn(3);
        QCOMPARE(wed.size(), 3);
        QCOMPARE(wed[0].start_time, QTime(7, 0));
        QCOMPARE(wed[1].start_time, QTime(9, 0));
        QCOMPARE(wed[2].start_time, QTime(13, 0));
        QVERIFY(p.availabilityOn(1).isEmpty());
    }

    void isOffDuring_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<bool>("off");
        // Time off is 2026-04-01 13:00Z-21:00Z.
        QTest::newRow("ends as it starts") << "2026-04-01T12:00:00Z"
                                           << "2026-04-01T13:00:00Z" << false;
        QTest::newRow("a minute in") << "2026-04-01T12:00:00Z"
                                     << "2026-04-01T13:01:00Z" << true;
        QTest::newRow("inside") << "2026-04-01T15:00:00Z"
                                << "2026-04-01T15:30:00Z" << true;
        QTest::newRow("a minute before its end") << "2026-04-01T20:59:00Z"
                                                 << "2026-04-01T21:30:00Z" << true;
        QTest::newRow("starts as it ends") << "2026-04-01T21:00:00Z"
                                           << "2026-04-01T21:30:00Z" << false;
    }
    void isOffDuring()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(bool, off);
        Provider p = validProvider();
        QCOMPARE(p.isOffDuring(utc(from), utc(to)), off);
        p.time_off[0].meta.deleted_at = utc(u"2026-01-01T00:00:00Z"_s);
        QVERIFY(!p.isOffDuring(utc(from), utc(to)));
    }
};

QTEST_GUILESS_MAIN(TestProviderValidator)
#include "tst_providervalidator.moc"
