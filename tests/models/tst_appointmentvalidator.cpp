#include "appointmentrules.h"

#include <QTest>
#include <QTimeZone>

#include <algorithm>

using namespace tmdash;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(tmdash::Appointment)

namespace {

// Fixture, all in America/New_York (EST = UTC-5 until Sunday 2026-03-08 02:00, EDT = UTC-4 after;
// back to EST on Sunday 2026-11-01 02:00).
//   Clinic:   Mon-Fri 08:00-17:00, Sat 09:00-12:00, Sun closed.
//   Provider: Mon 08-17; Tue only a tombstoned window; Wed 09-12 and 13-17; Thu 08-17;
//             Fri 07-18 (wider than the clinic: tests the clinic's hours alone); Sun 01-04.
//             Time off Wed 2026-03-11 14:00-15:00 local, and a tombstoned one 10:00-11:00.
const QDate kSun = QDate(2026, 3, 1);
const QDate kMon = QDate(2026, 3, 2);
const QDate kTue = QDate(2026, 3, 3);
const QDate kWed = QDate(2026, 3, 4);
const QDate kThu = QDate(2026, 3, 5);
const QDate kFri = QDate(2026, 3, 6);
const QDate kSpringForward = QDate(2026, 3, 8); // Sunday
const QDate kMonEdt = QDate(2026, 3, 9);
const QDate kTimeOffDay = QDate(2026, 3, 11); // Wednesday

QTimeZone newYork()
{
    return QTimeZone(QByteArrayLiteral("America/New_York"));
}

QTime hm(const QString &text)
{
    return QTime::fromString(text, QStringLiteral("HH:mm"));
}

QDateTime local(QDate day, const QString &time)
{
    return QDateTime(day, hm(time), newYork()).toUTC();
}

QDateTime utc(const QString &text)
{
    return QDateTime::fromString(text, Qt::ISODate).toUTC();
}

Clinic clinic()
{
    Clinic c;
    c.id = ClinicId(QStringLiteral("01900000-0000-7000-8000-000000000001"));
    c.name = QStringLiteral("Riverside Family Practice");
    c.timezone = QStringLiteral("America/New_York");
    c.setWeekdayHours(QTime(8, 0), QTime(17, 0));
    c.setHoursOn(6, DayHours::between(QTime(9, 0), QTime(12, 0)));
    return c;
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

Provider provider()
{
    Provider p;
    p.id = ProviderId(QStringLiteral("01900000-0000-7000-8000-0000000000a1"));
    p.clinic_id = clinic().id;
    p.npi = QStringLiteral("1234567893");
    p.license_number = QStringLiteral("MD-123456");
    p.license_expires = QDate(2030, 1, 1);
    p.default_slot_minutes = 30;
    p.availability = {window(1, u"08:00"_s, u"17:00"_s), window(2, u"08:00"_s, u"17:00"_s),
                      window(3, u"13:00"_s, u"17:00"_s), // out of order on purpose
                      window(3, u"09:00"_s, u"12:00"_s), window(4, u"08:00"_s, u"17:00"_s),
                      window(5, u"07:00"_s, u"18:00"_s), window(7, u"01:00"_s, u"04:00"_s)};
    p.availability[1].meta.deleted_at = utc(u"2026-01-01T00:00:00Z"_s);

    ProviderTimeOff off;
    off.id = newId<RowId>();
    off.start_at = local(kTimeOffDay, u"14:00"_s);
    off.end_at = local(kTimeOffDay, u"15:00"_s);
    off.reason = QStringLiteral("Conference call");
    ProviderTimeOff gone = off;
    gone.id = newId<RowId>();
    gone.start_at = local(kTimeOffDay, u"10:00"_s);
    gone.end_at = local(kTimeOffDay, u"11:00"_s);
    gone.meta.deleted_at = utc(u"2026-01-01T00:00:00Z"_s);
    p.time_off = {off, gone};
    return p;
}

const PatientId kPatient(QStringLiteral("01900000-0000-7000-8000-0000000000b1"));
const PatientId kOtherPatient(QStringLiteral("01900000-0000-7000-8000-0000000000b2"));
const ProviderId kOtherProvider(QStringLiteral("01900000-0000-7000-8000-0000000000a2"));

Appointment appointment(const QDateTime &start, int minutes)
{
    Appointment a;
    a.id = AppointmentId(QStringLiteral("01900000-0000-7000-8000-0000000000c1"));
    a.clinic_id = clinic().id;
    a.patient_id = kPatient;
    a.provider_id = provider().id;
    a.start_at = start;
    a.duration_minutes = minutes;
    a.type = AppointmentType::FollowUp;
    a.room = QStringLiteral("Room 1");
    return a;
}

// "field:code" of each error, sorted, so a test states exactly which errors it expects.
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

QStringList utcTimes(const QList<QDateTime> &slots)
{
    QStringList out;
    for (const QDateTime &slot : slots)
        out << slot.toUTC().toString(QStringLiteral("HH:mm"));
    return out;
}

} // namespace

class TestAppointmentValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(newYork().isValid(), "the tz database (tzdata) must be installed");
        // The fixture's dates are what the comments say they are.
        QCOMPARE(kWed.dayOfWeek(), 3);
        QCOMPARE(kSpringForward.dayOfWeek(), 7);
        QCOMPARE(newYork().offsetFromUtc(local(kMon, u"12:00"_s)), -5 * 3600);
        QCOMPARE(newYork().offsetFromUtc(local(kMonEdt, u"12:00"_s)), -4 * 3600);
    }

    void valueHelpers()
    {
        Appointment a = appointment(utc(u"2026-03-04T14:00:00Z"_s), 45);
        QCOMPARE(a.end_at(), utc(u"2026-03-04T14:45:00Z"_s));
        a.start_at = QDateTime();
        QVERIFY(!a.end_at().isValid());
    }

    void isActive_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<bool>("active");
        QTest::newRow("scheduled") << "scheduled" << true;
        QTest::newRow("confirmed") << "confirmed" << true;
        QTest::newRow("checked_in") << "checked_in" << true;
        QTest::newRow("in_progress") << "in_progress" << true;
        QTest::newRow("completed") << "completed" << true;
        QTest::newRow("cancelled") << "cancelled" << false;
        QTest::newRow("no_show") << "no_show" << false;
        QTest::newRow("entered_in_error") << "entered_in_error" << false;
    }
    void isActive()
    {
        QFETCH(QString, status);
        QFETCH(bool, active);
        Appointment a;
        a.status = *enumFromString<AppointmentStatus>(status);
        QCOMPARE(a.isActive(), active);
        QCOMPARE(a.isOccupying(), active);
        a.meta.deleted_at = utc(u"2026-01-01T00:00:00Z"_s);
        QCOMPARE(a.isActive(), active);
        QVERIFY(!a.isOccupying());
    }

    void fields_data()
    {
        QTest::addColumn<Appointment>("appt");
        QTest::addColumn<QStringList>("expected");
        const Appointment base = appointment(local(kWed, u"09:00"_s), 30);
        QTest::newRow("valid") << base << QStringList();
        Appointment a = base;
        a.patient_id = PatientId();
        QTest::newRow("no patient") << a << QStringList{u"patient_id:required"_s};
        a = base;
        a.provider_id = ProviderId();
        QTest::newRow("no provider") << a << QStringList{u"provider_id:required"_s};
        a = base;
        a.provider_id = kOtherProvider;
        QTest::newRow("other provider") << a << QStringList{u"provider_id:inconsistent"_s};
        a = base;
        a.clinic_id = ClinicId(QStringLiteral("01900000-0000-7000-8000-000000000009"));
        QTest::newRow("other clinic") << a << QStringList{u"clinic_id:inconsistent"_s};
        a = base;
        a.start_at = QDateTime();
        QTest::newRow("no start") << a << QStringList{u"start_at:required"_s};
        a = base;
        a.status = AppointmentStatus::Cancelled;
        QTest::newRow("cancelled without reason")
            << a << QStringList{u"cancel_reason:reason_required"_s};
        a.cancel_reason = QStringLiteral("Patient moved away");
        QTest::newRow("cancelled with reason") << a << QStringList();
        a = base;
        a.room = QString(64, QLatin1Char('r'));
        QTest::newRow("room 64 chars") << a << QStringList();
        a.room = QString(65, QLatin1Char('r'));
        QTest::newRow("room 65 chars") << a << QStringList{u"room:too_long"_s};
        a = base;
        a.reason = QString(500, QLatin1Char('x'));
        QTest::newRow("reason 500 chars") << a << QStringList();
        a.reason = QString(501, QLatin1Char('x'));
        QTest::newRow("reason 501 chars") << a << QStringList{u"reason:too_long"_s};
        a = base;
        a.notes = QStringLiteral("Line one\nLine two");
        QTest::newRow("multi-line notes") << a << QStringList();
        // A slot that is not occupied is not checked against the schedule.
        a = base;
        a.start_at = local(kSun, u"10:00"_s);
        a.status = AppointmentStatus::NoShow;
        QTest::newRow("no_show on a closed day") << a << QStringList();
        a.status = AppointmentStatus::Confirmed;
        QTest::newRow("confirmed on a closed day")
            << a << QStringList{u"start_at:outside_availability"_s, u"start_at:outside_hours"_s};
    }
    void fields()
    {
        QFETCH(Appointment, appt);
        QFETCH(QStringList, expected);
        QCOMPARE(summary(validateAppointment(appt, clinic(), provider(), {})), expected);
    }

    void schedule_data()
    {
        QTest::addColumn<QDate>("day");
        QTest::addColumn<QString>("time"); // clinic-local
        QTest::addColumn<int>("minutes");
        QTest::addColumn<QStringList>("expected");
        const QStringList ok;
        const QStringList range{u"duration_minutes:range"_s};
        const QStringList hours{u"start_at:outside_hours"_s};
        const QStringList avail{u"start_at:outside_availability"_s};
        const QStringList both{u"start_at:outside_availability"_s, u"start_at:outside_hours"_s};
        const QStringList off{u"start_at:time_off"_s};

        QTest::newRow("duration 0") << kThu << "08:00" << 0 << range;
        QTest::newRow("duration 4") << kThu << "08:00" << 4 << range;
        QTest::newRow("duration 5") << kThu << "08:00" << 5 << ok;
        QTest::newRow("duration 480") << kThu << "08:00" << 480 << ok;
        QTest::newRow("duration 481") << kThu << "08:00" << 481 << range;
        QTest::newRow("duration -30") << kThu << "08:00" << -30 << range;

        // Friday: the provider (07-18) is wider than the clinic (08-17).
        QTest::newRow("starts exactly at opening") << kFri << "08:00" << 30 << ok;
        QTest::newRow("starts a minute before opening") << kFri << "07:59" << 30 << hours;
        QTest::newRow("ends exactly at closing") << kFri << "16:30" << 30 << ok;
        QTest::newRow("ends a minute after closing") << kFri << "16:31" << 30 << hours;
        QTest::newRow("starts at closing") << kFri << "17:00" << 15 << hours;
        QTest::newRow("closed sunday, provider available") << kSun << "02:00" << 30 << hours;
        QTest::newRow("saturday open, provider not") << QDate(2026, 3, 7) << "09:00" << 30 << avail;

        // Wednesday: the clinic (08-17) is wider than the provider (09-12, 13-17).
        QTest::newRow("before availability") << kWed << "08:30" << 30 << avail;
        QTest::newRow("starts at window start") << kWed << "09:00" << 30 << ok;
        QTest::newRow("ends at window end") << kWed << "11:30" << 30 << ok;
        QTest::newRow("a minute past window end") << kWed << "11:31" << 30 << avail;
        QTest::newRow("across the lunch gap") << kWed << "11:30" << 90 << avail;
        QTest::newRow("in the lunch gap") << kWed << "12:00" << 30 << avail;
        QTest::newRow("second window start") << kWed << "13:00" << 30 << ok;
        QTest::newRow("ends at window end and closing") << kWed << "16:30" << 30 << ok;
        QTest::newRow("past window end and closing") << kWed << "16:45" << 30 << both;
        QTest::newRow("tuesday: only a tombstoned window") << kTue << "09:00" << 30 << avail;

        // Time off on 2026-03-11 14:00-15:00 (half-open).
        QTest::newRow("ends as time off starts") << kTimeOffDay << "13:30" << 30 << ok;
        QTest::newRow("a minute into time off") << kTimeOffDay << "13:31" << 30 << off;
        QTest::newRow("inside time off") << kTimeOffDay << "14:15" << 15 << off;
        QTest::newRow("spans time off") << kTimeOffDay << "13:30" << 120 << off;
        QTest::newRow("starts as time off ends") << kTimeOffDay << "15:00" << 30 << ok;
        QTest::newRow("tombstoned time off ignored") << kTimeOffDay << "10:00" << 30 << ok;
    }
    void schedule()
    {
        QFETCH(QDate, day);
        QFETCH(QString, time);
        QFETCH(int, minutes);
        QFETCH(QStringList, expected);
        const Appointment a = appointment(local(day, time), minutes);
        QCOMPARE(summary(validateAppointment(a, clinic(), provider(), {})), expected);
    }

    // The same UTC instant is a different local time in winter and summer: the rules follow the
    // clinic's wall clock.
    void daylightSaving_data()
    {
        QTest::addColumn<QString>("start"); // UTC
        QTest::addColumn<int>("minutes");
        QTest::addColumn<QStringList>("expected");
        const QStringList ok;
        const QStringList both{u"start_at:outside_availability"_s, u"start_at:outside_hours"_s};
        QTest::newRow("EST 13:00Z is 08:00, opening") << "2026-03-02T13:00:00Z" << 30 << ok;
        QTest::newRow("EST 12:30Z is 07:30, closed") << "2026-03-02T12:30:00Z" << 30 << both;
        QTest::newRow("EDT 12:30Z is 08:30, open") << "2026-03-09T12:30:00Z" << 30 << ok;
        QTest::newRow("EDT 12:00Z is 08:00, opening") << "2026-03-09T12:00:00Z" << 30 << ok;
        QTest::newRow("EDT 11:59Z is 07:59, closed") << "2026-03-09T11:59:00Z" << 30 << both;
        QTest::newRow("EST 21:30Z ends at 17:00") << "2026-03-02T21:30:00Z" << 30 << ok;
        QTest::newRow("EDT 21:30Z is 17:30, closed") << "2026-03-09T21:30:00Z" << 30 << both;
        QTest::newRow("EDT 20:30Z ends at 17:00") << "2026-03-09T20:30:00Z" << 30 << ok;
        QTest::newRow("EDT friday 11:00Z is 07:00, clinic closed")
            << "2026-10-30T11:00:00Z" << 30 << QStringList{u"start_at:outside_hours"_s};
        QTest::newRow("EDT friday 12:00Z is 08:00") << "2026-10-30T12:00:00Z" << 30 << ok;
        QTest::newRow("EST monday 12:30Z is 07:30") << "2026-11-02T12:30:00Z" << 30 << both;
        QTest::newRow("EST monday 13:00Z is 08:00") << "2026-11-02T13:00:00Z" << 30 << ok;
    }
    void daylightSaving()
    {
        QFETCH(QString, start);
        QFETCH(int, minutes);
        QFETCH(QStringList, expected);
        const Appointment a = appointment(utc(start), minutes);
        QCOMPARE(summary(validateAppointment(a, clinic(), provider(), {})), expected);
    }

    // On the night the clocks spring forward, an hour of wall time does not exist: a 60-minute
    // appointment from 01:30 EST ends at 03:30 EDT, still inside a 01:00-04:00 window.
    void acrossTheSpringForwardNight_data()
    {
        QTest::addColumn<QString>("start"); // UTC
        QTest::addColumn<int>("minutes");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("01:30 EST + 60 = 03:30 EDT")
            << "2026-03-08T06:30:00Z" << 60 << QStringList();
        QTest::newRow("01:30 EST + 90 = 04:00 EDT")
            << "2026-03-08T06:30:00Z" << 90 << QStringList();
        QTest::newRow("01:30 EST + 91 = 04:01 EDT")
            << "2026-03-08T06:30:00Z" << 91 << QStringList{u"start_at:outside_availability"_s};
        QTest::newRow("00:30 EST starts before the window")
            << "2026-03-08T05:30:00Z" << 30 << QStringList{u"start_at:outside_availability"_s};
    }
    void acrossTheSpringForwardNight()
    {
        QFETCH(QString, start);
        QFETCH(int, minutes);
        QFETCH(QStringList, expected);
        Clinic allDaySunday = clinic();
        allDaySunday.setHoursOn(7, DayHours::between(QTime(0, 0), QTime(23, 59)));
        const Appointment a = appointment(utc(start), minutes);
        QCOMPARE(summary(validateAppointment(a, allDaySunday, provider(), {})), expected);
    }

    void unknownTimeZoneIsReported()
    {
        Clinic c = clinic();
        c.timezone = QStringLiteral("Mars/Olympus_Mons");
        const Appointment a = appointment(local(kWed, u"09:00"_s), 30);
        QCOMPARE(summary(validateAppointment(a, c, provider(), {})),
                 QStringList{u"start_at:outside_hours"_s});
    }

    // The appointment under test: Wednesday 10:00-10:30, provider P, room "Room 1", patient A.
    void overlaps_data()
    {
        QTest::addColumn<QString>("room");
        QTest::addColumn<bool>("sameProvider");
        QTest::addColumn<QString>("otherRoom");
        QTest::addColumn<bool>("samePatient");
        QTest::addColumn<QString>("otherTime");
        QTest::addColumn<int>("otherMinutes");
        QTest::addColumn<QString>("otherStatus");
        QTest::addColumn<bool>("otherDeleted");
        QTest::addColumn<bool>("sameId");
        QTest::addColumn<QStringList>("expected");
        const QString r1 = QStringLiteral("Room 1");
        const QString r2 = QStringLiteral("Room 2");
        const QStringList ok;
        const QStringList prov{u"start_at:overlap"_s};
        const QStringList room{u"room:overlap"_s};
        const QStringList pat{u"patient_id:overlap"_s};

        QTest::newRow("provider overlap")
            << r1 << true << r2 << false << "10:15" << 30 << "scheduled" << false << false << prov;
        QTest::newRow("provider back-to-back before")
            << r1 << true << r2 << false << "09:30" << 30 << "scheduled" << false << false << ok;
        QTest::newRow("provider back-to-back after")
            << r1 << true << r2 << false << "10:30" << 30 << "scheduled" << false << false << ok;
        QTest::newRow("provider one minute overlap")
            << r1 << true << r2 << false << "09:31" << 30 << "scheduled" << false << false << prov;
        QTest::newRow("provider enclosing")
            << r1 << true << r2 << false << "09:00" << 120 << "confirmed" << false << false << prov;
        QTest::newRow("provider inside")
            << r1 << true << r2 << false << "10:10" << 5 << "checked_in" << false << false << prov;
        QTest::newRow("in_progress counts") << r1 << true << r2 << false << "10:00" << 30
                                            << "in_progress" << false << false << prov;
        QTest::newRow("completed counts")
            << r1 << true << r2 << false << "10:00" << 30 << "completed" << false << false << prov;
        QTest::newRow("cancelled ignored")
            << r1 << true << r1 << true << "10:00" << 30 << "cancelled" << false << false << ok;
        QTest::newRow("no_show ignored")
            << r1 << true << r1 << true << "10:00" << 30 << "no_show" << false << false << ok;
        QTest::newRow("entered_in_error ignored") << r1 << true << r1 << true << "10:00" << 30
                                                  << "entered_in_error" << false << false << ok;
        QTest::newRow("tombstone ignored")
            << r1 << true << r1 << true << "10:00" << 30 << "scheduled" << true << false << ok;
        QTest::newRow("itself ignored")
            << r1 << true << r1 << true << "10:00" << 30 << "scheduled" << false << true << ok;
        QTest::newRow("room overlap")
            << r1 << false << r1 << false << "10:15" << 30 << "scheduled" << false << false << room;
        QTest::newRow("room matched trimmed, any case")
            << r1 << false << " room 1 " << false << "10:00" << 30 << "scheduled" << false << false
            << room;
        QTest::newRow("room back-to-back")
            << r1 << false << r1 << false << "10:30" << 15 << "scheduled" << false << false << ok;
        QTest::newRow("other room")
            << r1 << false << r2 << false << "10:00" << 30 << "scheduled" << false << false << ok;
        QTest::newRow("no room on either")
            << "" << false << "" << false << "10:00" << 30 << "scheduled" << false << false << ok;
        QTest::newRow("patient overlap")
            << r1 << false << r2 << true << "10:29" << 30 << "scheduled" << false << false << pat;
        QTest::newRow("patient back-to-back")
            << r1 << false << r2 << true << "09:45" << 15 << "scheduled" << false << false << ok;
        QTest::newRow("all three")
            << r1 << true << r1 << true << "10:00" << 30 << "scheduled" << false << false
            << QStringList{u"patient_id:overlap"_s, u"room:overlap"_s, u"start_at:overlap"_s};
    }
    void overlaps()
    {
        QFETCH(QString, room);
        QFETCH(bool, sameProvider);
        QFETCH(QString, otherRoom);
        QFETCH(bool, samePatient);
        QFETCH(QString, otherTime);
        QFETCH(int, otherMinutes);
        QFETCH(QString, otherStatus);
        QFETCH(bool, otherDeleted);
        QFETCH(bool, sameId);
        QFETCH(QStringList, expected);

        Appointment a = appointment(local(kWed, u"10:00"_s), 30);
        a.room = room;
        Appointment other = appointment(local(kWed, otherTime), otherMinutes);
        other.id =
            sameId ? a.id : AppointmentId(QStringLiteral("01900000-0000-7000-8000-0000000000c2"));
        other.provider_id = sameProvider ? a.provider_id : kOtherProvider;
        other.patient_id = samePatient ? a.patient_id : kOtherPatient;
        other.room = otherRoom;
        other.status = *enumFromString<AppointmentStatus>(otherStatus);
        other.cancel_reason = QStringLiteral("test");
        if (otherDeleted)
            other.meta.deleted_at = utc(u"2026-03-01T00:00:00Z"_s);

        // A far-away appointment of the same provider, room and patient never matters.
        Appointment far = appointment(local(kThu, u"10:00"_s), 30);
        far.id = AppointmentId(QStringLiteral("01900000-0000-7000-8000-0000000000c3"));

        QCOMPARE(summary(validateAppointment(a, clinic(), provider(), {far, other})), expected);
    }

    void overlapMessageNamesTheClinicTime()
    {
        const Appointment a = appointment(local(kWed, u"10:00"_s), 30);
        Appointment other = appointment(local(kWed, u"10:15"_s), 30);
        other.id = AppointmentId(QStringLiteral("01900000-0000-7000-8000-0000000000c2"));
        const FieldErrors errors = validateAppointment(a, clinic(), provider(), {other});
        QVERIFY(!errors.isEmpty());
        QVERIFY2(errors.first().message.contains(u"2026-03-04 10:15"_s),
                 qPrintable(errors.first().message));
    }

    void freeSlots_data()
    {
        QTest::addColumn<QDate>("day");
        QTest::addColumn<int>("minutes");
        QTest::addColumn<QStringList>("expected"); // UTC HH:mm on the same date
        QTest::newRow("wednesday, 60")
            << kWed << 60 << QStringList{u"14:00"_s, u"15:00"_s, u"16:00"_s, u"18:00"_s,
                                         u"19:00"_s, u"20:00"_s, u"21:00"_s};
        QTest::newRow("wednesday, 45: steps from each window start")
            << kWed << 45 << QStringList{u"14:00"_s, u"14:45"_s, u"15:30"_s, u"16:15"_s, u"18:00"_s,
                                         u"18:45"_s, u"19:30"_s, u"20:15"_s, u"21:00"_s};
        QTest::newRow("wednesday, provider default 30")
            << kWed << 0 << QStringList{u"14:00"_s, u"14:30"_s, u"15:00"_s, u"15:30"_s, u"16:00"_s,
                                        u"16:30"_s, u"18:00"_s, u"18:30"_s, u"19:00"_s, u"19:30"_s,
                                        u"20:00"_s, u"20:30"_s, u"21:00"_s, u"21:30"_s};
        QTest::newRow("friday: window clipped by clinic hours")
            << kFri << 60 << QStringList{u"13:00"_s, u"14:00"_s, u"15:00"_s, u"16:00"_s, u"17:00"_s,
                                         u"18:00"_s, u"19:00"_s, u"20:00"_s, u"21:00"_s};
        // 2026-03-11 is after the change to EDT (UTC-4); 14:00-15:00 local is time off.
        QTest::newRow("time-off day, EDT")
            << kTimeOffDay << 60
            << QStringList{u"13:00"_s, u"14:00"_s, u"15:00"_s, u"17:00"_s, u"19:00"_s, u"20:00"_s};
        QTest::newRow("sunday: clinic closed") << kSun << 60 << QStringList();
        QTest::newRow("tuesday: tombstoned window") << kTue << 60 << QStringList();
        QTest::newRow("slot 4 minutes") << kWed << 4 << QStringList();
        QTest::newRow("slot 481 minutes") << kThu << 481 << QStringList();
        QTest::newRow("slot 480 minutes") << kThu << 480 << QStringList{u"13:00"_s};
        QTest::newRow("monday EST, 240") << kMon << 240 << QStringList{u"13:00"_s, u"17:00"_s};
        QTest::newRow("monday EDT, 240") << kMonEdt << 240 << QStringList{u"12:00"_s, u"16:00"_s};
    }
    void freeSlots()
    {
        QFETCH(QDate, day);
        QFETCH(int, minutes);
        QFETCH(QStringList, expected);
        const QList<QDateTime> slots = tmdash::freeSlots(clinic(), provider(), day, {}, minutes);
        QCOMPARE(utcTimes(slots), expected);
        for (const QDateTime &slot : slots) {
            QCOMPARE(slot.toUTC().date(), day);
            // Every slot offered is one that would be accepted.
            const Appointment a = appointment(slot, minutes > 0 ? minutes : 30);
            QCOMPARE(summary(validateAppointment(a, clinic(), provider(), {})), QStringList());
        }
    }

    void freeSlotsSkipsTheMissingHour()
    {
        Clinic allDaySunday = clinic();
        allDaySunday.setHoursOn(7, DayHours::between(QTime(0, 0), QTime(23, 59)));
        // Window 01:00-04:00 local: 01:00 EST (06:00Z), 02:00 does not exist, 03:00 EDT (07:00Z).
        QCOMPARE(utcTimes(tmdash::freeSlots(allDaySunday, provider(), kSpringForward, {}, 60)),
                 (QStringList{u"06:00"_s, u"07:00"_s}));
        // The week before, all three hours exist.
        QCOMPARE(utcTimes(tmdash::freeSlots(allDaySunday, provider(), kSun, {}, 60)),
                 (QStringList{u"06:00"_s, u"07:00"_s, u"08:00"_s}));
    }

    void freeSlotsLeavesOutBookedTime()
    {
        Appointment mine = appointment(local(kWed, u"10:00"_s), 30); // 15:00Z-15:30Z
        Appointment theirs = mine;
        theirs.id = AppointmentId(QStringLiteral("01900000-0000-7000-8000-0000000000c4"));
        theirs.provider_id = kOtherProvider;
        theirs.start_at = local(kWed, u"13:00"_s);
        Appointment cancelled = mine;
        cancelled.id = AppointmentId(QStringLiteral("01900000-0000-7000-8000-0000000000c5"));
        cancelled.start_at = local(kWed, u"11:00"_s);
        cancelled.status = AppointmentStatus::Cancelled;
        Appointment backToBack = mine;
        backToBack.id = AppointmentId(QStringLiteral("01900000-0000-7000-8000-0000000000c6"));
        backToBack.start_at = local(kWed, u"14:00"_s);
        backToBack.duration_minutes = 60;

        const QList<QDateTime> slots = tmdash::freeSlots(clinic(), provider(), kWed,
                                                         {mine, theirs, cancelled, backToBack}, 60);
        QCOMPARE(utcTimes(slots),
                 (QStringList{u"14:00"_s, u"16:00"_s, u"18:00"_s, u"20:00"_s, u"21:00"_s}));
        // 30-minute slots: 10:30 (right after the booking) is free again.
        const QStringList halfHours =
            utcTimes(tmdash::freeSlots(clinic(), provider(), kWed, {mine}, 30));
        QVERIFY(!halfHours.contains(u"15:00"_s));
        QVERIFY(halfHours.contains(u"14:30"_s));
        QVERIFY(halfHours.contains(u"15:30"_s));
    }
};

QTEST_GUILESS_MAIN(TestAppointmentValidator)
#include "tst_appointmentvalidator.moc"
