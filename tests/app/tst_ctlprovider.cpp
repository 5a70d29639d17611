#include "testsupport.h"

#include "appointmentstore.h"
#include "clock.h"
#include "patientstore.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

using namespace tmdash;

namespace {

// A provider's user account, inserted directly (password kTestPassword).
UserId insertUser(const Database &db, const ClinicId &clinic, const QString &email)
{
    const QString when = QStringLiteral("2026-01-01T00:00:00.000Z");
    const QString id = newUuidV7();
    const Row u{{QStringLiteral("id"), id},
                {QStringLiteral("clinic_id"), clinic.value},
                {QStringLiteral("email"), email},
                {QStringLiteral("given_name"), QStringLiteral("Grace")},
                {QStringLiteral("family_name"), QStringLiteral("Hopper")},
                {QStringLiteral("role"), QStringLiteral("provider")},
                {QStringLiteral("status"), QStringLiteral("active")},
                {QStringLiteral("password_hash"), test::testPasswordHash()},
                {QStringLiteral("totp_enabled"), false},
                {QStringLiteral("created_at"), when},
                {QStringLiteral("updated_at"), when}};
    if (Status s = RecordTable(db, u"users").insert(u); !s)
        qFatal("inserting a user failed: %s", qPrintable(s.error().message));
    return UserId(id);
}

// A clinic with the admin the verbs run as (providers are the admin's to manage).
ClinicId clinicWithAdmin(const Database &db)
{
    const ClinicId clinic = test::insertClinic(db);
    test::insertUser(db, clinic, Role::Admin, QStringLiteral("admin@north.example"));
    return clinic;
}

QByteArray providerJson(const UserId &user, const QString &npi = QStringLiteral("1234567893"))
{
    return QStringLiteral(R"({
        "user_id": "%1", "npi": "%2", "license_number": "MD-12345", "license_region": "NY",
        "license_expires": "2099-12-31", "specialty": "Family Medicine", "credentials": "MD",
        "default_slot_minutes": 30,
        "availability": [
            {"weekday": 3, "start_time": "13:00", "end_time": "17:00"},
            {"weekday": 1, "start_time": "09:00", "end_time": "12:00", "room": "A"}
        ],
        "time_off": [{"start_at": "2030-01-07T09:00:00-05:00", "end_at": "2030-01-07T17:00:00-05:00", "reason": "conference"}]
    })")
        .arg(user.value, npi)
        .toUtf8();
}

// A Monday at least a week ahead, so that bookings and slots are in the future.
QDate nextMonday()
{
    QDate d = QDate::currentDate().addDays(7);
    while (d.dayOfWeek() != 1)
        d = d.addDays(1);
    return d;
}

} // namespace

class TestCtlProvider : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("ctlprovider")};

    test::CtlRun ctl(const QStringList &args, const QByteArray &input = {},
                     const QStringList &global = {})
    {
        return test::runCtl(QStringList{QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("--as"),
                                        QStringLiteral("admin@north.example")} +
                                global + QStringList{QStringLiteral("provider")} + args,
                            input);
    }

private Q_SLOTS:
    void help()
    {
        const auto run = test::runCtl({QStringLiteral("provider"), QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("slots"));
    }

    void roundTrip_data() { m_factory.addDialectRows(); }
    void roundTrip()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = clinicWithAdmin(db);
        const UserId user = insertUser(db, clinic, QStringLiteral("grace@north.example"));

        const auto added = ctl({QStringLiteral("add")}, providerJson(user));
        QVERIFY2(added.exitCode == 0, QByteArray(added.out + added.err).constData());
        const QJsonObject provider = added.json().object();
        const QString id = provider[u"id"].toString();
        QVERIFY(isUuid(id));
        QCOMPARE(provider[u"clinic_id"].toString(), clinic.value);
        QCOMPARE(provider[u"npi"].toString(), QStringLiteral("1234567893"));
        QCOMPARE(provider[u"default_slot_minutes"].toInt(), 30);
        const QJsonArray availability = provider[u"availability"].toArray();
        QCOMPARE(availability.size(), 2);
        QCOMPARE(availability[0][u"weekday"].toInt(), 1); // by weekday, then start
        QCOMPARE(availability[0][u"start_time"].toString(), QStringLiteral("09:00"));
        QCOMPARE(availability[0][u"room"].toString(), QStringLiteral("A"));
        QCOMPARE(availability[1][u"end_time"].toString(), QStringLiteral("17:00"));
        QCOMPARE(provider[u"time_off"].toArray().size(), 1);
        QCOMPARE(provider[u"time_off"][0][u"start_at"].toString(),
                 QStringLiteral("2030-01-07T14:00:00.000Z"));

        const auto got = ctl({QStringLiteral("get"), id});
        QCOMPARE(got.exitCode, 0);
        QCOMPARE(got.json().object(), provider);

        // A list sent replaces the stored one; a row sent with its id stays that row.
        const QString mondayRow = availability[0][u"id"].toString();
        const auto updated = ctl({QStringLiteral("update"), id},
                                 QStringLiteral(R"({"specialty": "Cardiology", "availability": [
                                     {"id": "%1", "weekday": 1, "start_time": "09:00", "end_time": "12:00", "room": "B"}]})")
                                     .arg(mondayRow)
                                     .toUtf8());
        QVERIFY2(updated.exitCode == 0, QByteArray(updated.out + updated.err).constData());
        QCOMPARE(updated.json()[u"specialty"].toString(), QStringLiteral("Cardiology"));
        QCOMPARE(updated.json()[u"npi"].toString(), QStringLiteral("1234567893"));
        QCOMPARE(updated.json()[u"availability"].toArray().size(), 1);
        QCOMPARE(updated.json()[u"availability"][0][u"id"].toString(), mondayRow);
        QCOMPARE(updated.json()[u"availability"][0][u"room"].toString(), QStringLiteral("B"));
        QCOMPARE(updated.json()[u"time_off"].toArray().size(), 1);

        const auto listed = ctl({QStringLiteral("list")}, {}, {QStringLiteral("--json")});
        QCOMPARE(listed.exitCode, 0);
        QCOMPARE(listed.json().array().size(), 1);
        const auto table = ctl({QStringLiteral("list")});
        QVERIFY(table.out.contains("Grace Hopper"));
        QVERIFY(table.out.contains("1234567893"));

        QCOMPARE(ctl({QStringLiteral("delete"), id}).exitCode, 0);
        QCOMPARE(ctl({QStringLiteral("get"), id}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("delete"), id}).exitCode, 3);
        QCOMPARE(
            ctl({QStringLiteral("list")}, {}, {QStringLiteral("--json")}).json().array().size(), 0);
        auto live = RecordTable(db, u"provider_availability")
                        .select(QStringLiteral("deleted_at IS NULL"), {});
        QVERIFY(live);
        QCOMPARE(live->size(), 0);
    }

    void badInputNamesEveryFieldAndWritesNothing_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QStringList>("expected");
        // %1 is the user's id.
        QTest::newRow("npi checksum")
            << QStringLiteral(
                   R"({"user_id": "%1", "npi": "1234567890", "license_number": "X", "license_expires": "2099-01-01"})")
            << QStringList{QStringLiteral("npi:checksum")};
        QTest::newRow("npi format")
            << QStringLiteral(
                   R"({"user_id": "%1", "npi": "12345", "license_number": "X", "license_expires": "2099-01-01"})")
            << QStringList{QStringLiteral("npi:format")};
        QTest::newRow("shape")
            << QStringLiteral(R"({"user_id": "%1", "npi": 1234567893, "version": 1, "pager": "555",
                                  "availability": [{"weekday": "monday", "start_time": "9:00", "end_time": "12:00", "provider_id": "%1"}],
                                  "time_off": {"start_at": "2030-01-01T00:00:00Z"}})")
            << QStringList{QStringLiteral("availability[0].provider_id:unknown"),
                           QStringLiteral("availability[0].start_time:type"),
                           QStringLiteral("availability[0].weekday:type"),
                           QStringLiteral("npi:type"),
                           QStringLiteral("pager:unknown"),
                           QStringLiteral("time_off:type"),
                           QStringLiteral("version:read_only")};
        QTest::newRow("rules")
            << QStringLiteral(
                   R"({"user_id": "%1", "npi": "1234567893", "license_number": "X", "license_expires": "2020-01-01",
                                  "default_slot_minutes": 1,
                                  "availability": [{"weekday": 8, "start_time": "09:00", "end_time": "12:00"},
                                                   {"weekday": 2, "start_time": "12:00", "end_time": "08:00"}],
                                  "time_off": [{"start_at": "2030-01-02T00:00:00Z", "end_at": "2030-01-01T00:00:00+01:00"}]})")
            << QStringList{QStringLiteral("availability[0].weekday:range"),
                           QStringLiteral("availability[1].end_time:range"),
                           QStringLiteral("default_slot_minutes:range"),
                           QStringLiteral("license_expires:expired"),
                           QStringLiteral("time_off[0].end_at:range")};
        QTest::newRow("unknown user")
            << QStringLiteral(
                   R"({"user_id": "01890000-0000-7000-8000-000000000000", "npi": "1234567893", "license_number": "X", "license_expires": "2099-01-01"})")
            << QStringList{QStringLiteral("user_id:not_found")};
    }
    void badInputNamesEveryFieldAndWritesNothing()
    {
        QFETCH(QString, input);
        QFETCH(QStringList, expected);
        Database db = m_factory.create(SqlDialect::Sqlite);
        const ClinicId clinic = clinicWithAdmin(db);
        const UserId user = insertUser(db, clinic, QStringLiteral("grace@north.example"));
        const auto run =
            ctl({QStringLiteral("add")},
                (input.contains(QLatin1String("%1")) ? input.arg(user.value) : input).toUtf8());
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(test::fieldsOf(run), expected);
        QCOMPARE(test::rowCount(db, QStringLiteral("providers")), 0);
        QCOMPARE(test::rowCount(db, QStringLiteral("provider_availability")), 0);
        QCOMPARE(test::rowCount(db, QStringLiteral("outbox")), 0);
    }

    void invalidNpiOnBothDatabases_data() { m_factory.addDialectRows(); }
    void invalidNpiOnBothDatabases()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = clinicWithAdmin(db);
        const UserId user = insertUser(db, clinic, QStringLiteral("grace@north.example"));
        const auto run =
            ctl({QStringLiteral("add")}, providerJson(user, QStringLiteral("1234567890")));
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(test::fieldsOf(run), QStringList{QStringLiteral("npi:checksum")});
        QCOMPARE(test::rowCount(db, QStringLiteral("providers")), 0);
        // An update that breaks the NPI changes nothing either.
        const auto added = ctl({QStringLiteral("add")}, providerJson(user));
        QCOMPARE(added.exitCode, 0);
        const QString id = added.json()[u"id"].toString();
        const auto bad = ctl({QStringLiteral("update"), id}, R"({"npi": "12345"})");
        QCOMPARE(bad.exitCode, 2);
        QCOMPARE(test::fieldsOf(bad), QStringList{QStringLiteral("npi:format")});
        QCOMPARE(ctl({QStringLiteral("get"), id}).json()[u"npi"].toString(),
                 QStringLiteral("1234567893"));
    }

    void slotsExcludeBookedTimes_data() { m_factory.addDialectRows(); }
    void slotsExcludeBookedTimes()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = clinicWithAdmin(db); // America/New_York
        const UserId user = insertUser(db, clinic, QStringLiteral("grace@north.example"));
        const auto added = ctl({QStringLiteral("add")}, providerJson(user));
        QCOMPARE(added.exitCode, 0);
        const ProviderId provider(added.json()[u"id"].toString());

        const QDate monday = nextMonday();
        const QTimeZone zone("America/New_York");
        auto at = [&](int hour, int minute) {
            return formatInstant(QDateTime(monday, QTime(hour, minute), zone).toUTC());
        };
        const QStringList day{QStringLiteral("slots"), provider.value, QStringLiteral("--day"),
                              formatDate(monday)};

        // Monday 09:00-12:00 in 30-minute slots.
        const auto before = ctl(day, {}, {QStringLiteral("--json")});
        QVERIFY2(before.exitCode == 0, before.err.constData());
        QStringList free;
        for (const QJsonValue &v : before.json().array())
            free << v.toString();
        QCOMPARE(free,
                 (QStringList{at(9, 0), at(9, 30), at(10, 0), at(10, 30), at(11, 0), at(11, 30)}));

        // Book 10:00-10:30 through the store, as the app would.
        Patient patient;
        patient.given_name = QStringLiteral("Ada");
        patient.family_name = QStringLiteral("Lovelace");
        patient.birth_date = QDate(1985, 12, 10);
        patient.sex = Sex::Female;
        auto storedPatient = PatientStore(db, Principal::owner()).create(patient);
        QVERIFY2(storedPatient, qPrintable(storedPatient.error().message));
        Appointment booking;
        booking.patient_id = storedPatient->id;
        booking.provider_id = provider;
        booking.start_at = QDateTime(monday, QTime(10, 0), zone).toUTC();
        booking.duration_minutes = 30;
        auto booked = AppointmentStore(db, Principal::owner()).create(booking);
        QVERIFY2(booked, qPrintable(booked.error().message));

        const auto after = ctl(day, {}, {QStringLiteral("--json")});
        QCOMPARE(after.exitCode, 0);
        free.clear();
        for (const QJsonValue &v : after.json().array())
            free << v.toString();
        QCOMPARE(free, (QStringList{at(9, 0), at(9, 30), at(10, 30), at(11, 0), at(11, 30)}));

        // The table shows the clinic-local time next to the instant.
        const auto table = ctl(day);
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains(QStringLiteral("09:30  %1").arg(at(9, 30)).toUtf8()));
        QVERIFY(!table.out.contains("10:00  "));

        // Longer appointments, a closed day, bad input, unknown ids.
        const auto hour = ctl(day + QStringList{QStringLiteral("--minutes"), QStringLiteral("60")},
                              {}, {QStringLiteral("--json")});
        QCOMPARE(hour.exitCode, 0);
        // Hour steps from 09:00: 10:00-11:00 would overlap the booking.
        QCOMPARE(hour.json().array(), (QJsonArray{at(9, 0), at(11, 0)}));
        const auto sunday = ctl({QStringLiteral("slots"), provider.value, QStringLiteral("--day"),
                                 formatDate(monday.addDays(-1))},
                                {}, {QStringLiteral("--json")});
        QCOMPARE(sunday.exitCode, 0);
        QCOMPARE(sunday.json().array().size(), 0);
        const auto badDay = ctl({QStringLiteral("slots"), provider.value, QStringLiteral("--day"),
                                 QStringLiteral("next monday")});
        QCOMPARE(badDay.exitCode, 2);
        QCOMPARE(test::fieldsOf(badDay), QStringList{QStringLiteral("day:format")});
        QCOMPARE(ctl({QStringLiteral("slots"), provider.value}).exitCode, 64);
        QCOMPARE(
            ctl({QStringLiteral("slots"), QStringLiteral("01890000-0000-7000-8000-000000000001"),
                 QStringLiteral("--day"), formatDate(monday)})
                .exitCode,
            3);
    }

    void unknownIds_data() { m_factory.addDialectRows(); }
    void unknownIds()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        clinicWithAdmin(db);
        const QString unknown = QStringLiteral("01890000-0000-7000-8000-000000000001");
        QCOMPARE(ctl({QStringLiteral("get"), unknown}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("update"), unknown}, R"({"specialty": "X"})").exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("delete"), unknown}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("get"), QStringLiteral("dr-who")}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("get")}).exitCode, 64);
        QCOMPARE(ctl({QStringLiteral("list"), QStringLiteral("--bogus")}).exitCode, 64);
    }
};

QTEST_GUILESS_MAIN(TestCtlProvider)
#include "tst_ctlprovider.moc"
