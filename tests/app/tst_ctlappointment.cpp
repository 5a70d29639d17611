#include "clock.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace tmdash;

namespace {

const QString kCreated = QStringLiteral("2026-01-01T00:00:00.000Z");

// A clinic (New York, weekdays 08:00-18:00, Friday to 16:00), a provider seeing patients Monday
// to Friday 09:00-17:00, and two patients, written straight into the tables.
struct Fixture
{
    Database db;
    QString clinic;
    QString provider;
    QString ada;
    QString grace;

    void insert(QStringView table, Row row) const
    {
        row.insert(QStringLiteral("created_at"), kCreated);
        row.insert(QStringLiteral("updated_at"), kCreated);
        if (Status s = RecordTable(db, table).insert(row); !s)
            qFatal("inserting into %s failed: %s", qPrintable(table.toString()),
                   qPrintable(s.error().message));
    }

    QString addPatient(const QString &given, const QString &mrn) const
    {
        const QString id = newUuidV7();
        insert(u"patients", {{QStringLiteral("id"), id},
                             {QStringLiteral("clinic_id"), clinic},
                             {QStringLiteral("mrn"), mrn},
                             {QStringLiteral("given_name"), given},
                             {QStringLiteral("family_name"), QStringLiteral("Test")},
                             {QStringLiteral("birth_date"), QStringLiteral("1980-01-01")},
                             {QStringLiteral("sex"), QStringLiteral("female")}});
        return id;
    }

    explicit Fixture(Database database) : db(std::move(database))
    {
        clinic = test::insertClinic(db).value;
        const QString user =
            test::insertUser(db, ClinicId(clinic), Role::Provider, QStringLiteral("house@example.org")).id.value;
        provider = newUuidV7();
        insert(u"providers", {{QStringLiteral("id"), provider},
                              {QStringLiteral("clinic_id"), clinic},
                              {QStringLiteral("user_id"), user},
                              {QStringLiteral("npi"), QStringLiteral("1234567893")},
                              {QStringLiteral("license_number"), QStringLiteral("L-1")},
                              {QStringLiteral("default_slot_minutes"), 30}});
        for (int weekday = 1; weekday <= 5; ++weekday)
            insert(u"provider_availability",
                   {{QStringLiteral("id"), newUuidV7()},
                    {QStringLiteral("clinic_id"), clinic},
                    {QStringLiteral("provider_id"), provider},
                    {QStringLiteral("weekday"), weekday},
                    {QStringLiteral("start_time"), QStringLiteral("09:00")},
                    {QStringLiteral("end_time"), QStringLiteral("17:00")}});
        ada = addPatient(QStringLiteral("Ada"), QStringLiteral("MRN-1"));
        grace = addPatient(QStringLiteral("Grace"), QStringLiteral("MRN-2"));
    }

    // A booking on Monday 4 March 2030 (New York, EST = UTC-5) at `localTime`.
    QByteArray booking(const QString &patient, const QString &localTime, int minutes = 30) const
    {
        return QJsonDocument(QJsonObject{{QStringLiteral("patient_id"), patient},
                                         {QStringLiteral("provider_id"), provider},
                                         {QStringLiteral("start_at"),
                                          QStringLiteral("2030-03-04T%1:00-05:00").arg(localTime)},
                                         {QStringLiteral("duration_minutes"), minutes},
                                         {QStringLiteral("type"), QStringLiteral("follow_up")},
                                         {QStringLiteral("room"), QStringLiteral("Room 1")},
                                         {QStringLiteral("reason"), QStringLiteral("Check-up")}})
            .toJson();
    }

    qint64 outboxRows() const
    {
        return db.isSqlite() ? test::rowCount(db, QStringLiteral("outbox")) : 0;
    }
};

} // namespace

class TestCtlAppointment : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("ctlappointment")};

    test::CtlRun ctl(const QStringList &args, const QByteArray &input = {})
    {
        return test::runCtl(QStringList{QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("--as"),
                                        QStringLiteral("house@example.org"), QStringLiteral("appointment")} +
                                args,
                            input);
    }
    test::CtlRun ctlJson(const QStringList &args)
    {
        return test::runCtl(QStringList{QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("--as"),
                                        QStringLiteral("house@example.org"), QStringLiteral("--json"),
                                        QStringLiteral("appointment")} +
                            args);
    }
    QString stateAfter(const QString &verb, const QString &id, int expectedExit = 0)
    {
        const auto run = ctl({verb, id});
        if (run.exitCode != expectedExit)
            qWarning("%s %s: exit %d, %s %s", qPrintable(verb), qPrintable(id), run.exitCode,
                     run.out.constData(), run.err.constData());
        return run.exitCode == expectedExit ? run.json()[u"status"].toString() : QString();
    }

private Q_SLOTS:
    void roundTrip_data() { m_factory.addDialectRows(); }
    void roundTrip()
    {
        QFETCH(SqlDialect, dialect);
        const Fixture f(m_factory.create(dialect));

        const auto added = ctl({QStringLiteral("add")}, f.booking(f.ada, QStringLiteral("10:00")));
        QCOMPARE(added.exitCode, 0);
        const QJsonObject a = added.json().object();
        const QString id = a[u"id"].toString();
        QVERIFY(isUuid(id));
        QCOMPARE(a[u"status"].toString(), QStringLiteral("scheduled"));
        QCOMPARE(a[u"clinic_id"].toString(), f.clinic);
        QCOMPARE(a[u"start_at"].toString(),
                 QStringLiteral("2030-03-04T15:00:00.000Z")); // canonical UTC
        QCOMPARE(a[u"end_at"].toString(), QStringLiteral("2030-03-04T15:30:00.000Z")); // derived

        const auto got = ctl({QStringLiteral("get"), id});
        QCOMPARE(got.exitCode, 0);
        QCOMPARE(got.json()[u"reason"].toString(), QStringLiteral("Check-up"));

        // Reschedule: a new time in another offset notation, a longer slot, other notes.
        const auto moved = ctl(
            {QStringLiteral("update"), id},
            R"({"start_at": "2030-03-04T16:30:00Z", "duration_minutes": 45, "notes": "Fasting"})");
        QCOMPARE(moved.exitCode, 0);
        QCOMPARE(moved.json()[u"start_at"].toString(), QStringLiteral("2030-03-04T16:30:00.000Z"));
        QCOMPARE(moved.json()[u"duration_minutes"].toInt(), 45);
        QCOMPARE(moved.json()[u"notes"].toString(), QStringLiteral("Fasting"));
        QCOMPARE(moved.json()[u"room"].toString(),
                 QStringLiteral("Room 1")); // unchanged fields kept

        // Lists: the provider's day and week, the patient, the status filter.
        const QStringList day{QStringLiteral("list"), QStringLiteral("--provider"), f.provider,
                              QStringLiteral("--day"), QStringLiteral("2030-03-04")};
        QCOMPARE(ctlJson(day).json().array().size(), 1);
        QCOMPARE(ctlJson(day + QStringList{QStringLiteral("--week")}).json().array().size(), 1);
        QCOMPARE(ctlJson(day + QStringList{QStringLiteral("--status"), QStringLiteral("cancelled")})
                     .json()
                     .array()
                     .size(),
                 0);
        QCOMPARE(ctlJson({QStringLiteral("list"), QStringLiteral("--patient"), f.ada})
                     .json()
                     .array()
                     .size(),
                 1);
        QCOMPARE(ctlJson({QStringLiteral("list"), QStringLiteral("--patient"), f.grace})
                     .json()
                     .array()
                     .size(),
                 0);
        QCOMPARE(
            ctlJson({QStringLiteral("list"), QStringLiteral("--day"), QStringLiteral("2030-03-05")})
                .json()
                .array()
                .size(),
            0);
        const auto table = ctl(day);
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains(id.toUtf8()));
        QCOMPARE(
            ctl(day + QStringList{QStringLiteral("--status"), QStringLiteral("done")}).exitCode,
            64);

        // The visit: confirm, check in, start, complete; nothing may follow but error.
        QCOMPARE(stateAfter(QStringLiteral("confirm"), id), QStringLiteral("confirmed"));
        QCOMPARE(stateAfter(QStringLiteral("check-in"), id), QStringLiteral("checked_in"));
        QCOMPARE(stateAfter(QStringLiteral("start"), id), QStringLiteral("in_progress"));
        const auto editStarted = ctl({QStringLiteral("update"), id}, R"({"notes": "late"})");
        QCOMPARE(editStarted.exitCode, 2);
        QCOMPARE(test::fieldsOf(editStarted), QStringList{QStringLiteral("status:immutable")});
        QCOMPARE(stateAfter(QStringLiteral("complete"), id), QStringLiteral("completed"));
        const auto again = ctl({QStringLiteral("confirm"), id});
        QCOMPARE(again.exitCode, 2);
        QCOMPARE(test::fieldsOf(again), QStringList{QStringLiteral("status:transition")});

        // A second booking is cancelled (a reason is required), a third is a no-show, a fourth
        // was entered in error.
        const QString second =
            ctl({QStringLiteral("add")}, f.booking(f.grace, QStringLiteral("09:00")))
                .json()[u"id"]
                .toString();
        QVERIFY(isUuid(second));
        const auto noReason = ctl({QStringLiteral("cancel"), second});
        QCOMPARE(noReason.exitCode, 2);
        QCOMPARE(test::fieldsOf(noReason), QStringList{QStringLiteral("cancel_reason:reason_required")});
        const auto cancelled = ctl({QStringLiteral("cancel"), second, QStringLiteral("--reason"),
                                    QStringLiteral("Patient called")});
        QCOMPARE(cancelled.exitCode, 0);
        QCOMPARE(cancelled.json()[u"status"].toString(), QStringLiteral("cancelled"));
        QCOMPARE(cancelled.json()[u"cancel_reason"].toString(), QStringLiteral("Patient called"));

        const QString third =
            ctl({QStringLiteral("add")}, f.booking(f.grace, QStringLiteral("09:00")))
                .json()[u"id"]
                .toString();
        QVERIFY2(isUuid(third), "a cancelled booking frees its slot");
        QCOMPARE(stateAfter(QStringLiteral("no-show"), third), QStringLiteral("no_show"));
        QCOMPARE(stateAfter(QStringLiteral("error"), third), QStringLiteral("entered_in_error"));
        QCOMPARE(stateAfter(QStringLiteral("error"), third, 2), QString());

        QCOMPARE(ctlJson(day + QStringList{QStringLiteral("--status"), QStringLiteral("cancelled")})
                     .json()
                     .array()
                     .size(),
                 1);
        QCOMPARE(ctlJson(day).json().array().size(), 3); // every status is listed

        // No delete: appointments are retracted by cancel or error.
        const auto deleted = ctl({QStringLiteral("delete"), id});
        QCOMPARE(deleted.exitCode, 64);
        QVERIFY(deleted.err.contains("cancel"));
        QCOMPARE(test::rowCount(f.db, QStringLiteral("appointments")), 3);

        QCOMPARE(ctl({QStringLiteral("get"), newUuidV7()}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("confirm"), newUuidV7()}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("get"), QStringLiteral("not-a-uuid")}).exitCode, 3);
        QCOMPARE(ctl({QStringLiteral("get")}).exitCode, 64);
        QCOMPARE(ctl({QStringLiteral("reopen"), id}).exitCode, 64);
    }

    void doubleBookingNamesStartAtAndWritesNothing()
    {
        const Fixture f(m_factory.create(SqlDialect::Sqlite));
        QCOMPARE(ctl({QStringLiteral("add")}, f.booking(f.ada, QStringLiteral("10:00"))).exitCode,
                 0);
        const qint64 outbox = f.outboxRows();
        // Grace with the same provider, 15 minutes into Ada's slot.
        const auto clash =
            ctl({QStringLiteral("add")}, f.booking(f.grace, QStringLiteral("10:15")));
        QCOMPARE(clash.exitCode, 2);
        QVERIFY2(test::fieldsOf(clash).contains(QStringLiteral("start_at:overlap")),
                 clash.out.constData());
        QCOMPARE(test::rowCount(f.db, QStringLiteral("appointments")), 1);
        QCOMPARE(f.outboxRows(), outbox);
        // Back to back is fine (half-open intervals), same room included.
        const auto next = ctl({QStringLiteral("add")}, f.booking(f.grace, QStringLiteral("10:30")));
        QCOMPARE(next.exitCode, 0);

        // Moving the second one onto the first is refused the same way, and nothing changes.
        const QString id = next.json()[u"id"].toString();
        const QByteArray before = ctl({QStringLiteral("get"), id}).out;
        const auto move =
            ctl({QStringLiteral("update"), id}, R"({"start_at": "2030-03-04T15:00:00Z"})");
        QCOMPARE(move.exitCode, 2);
        QVERIFY(test::fieldsOf(move).contains(QStringLiteral("start_at:overlap")));
        QCOMPARE(ctl({QStringLiteral("get"), id}).out, before);
        QCOMPARE(f.outboxRows(), outbox + 1);
    }

    void badInputListsEveryFieldAndWritesNothing_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("not json") << QByteArray("[1") << QStringList{QStringLiteral("json:format")};
        QTest::newRow("state, derived and read-only fields")
            << QByteArray(
                   R"({"status":"confirmed","cancel_reason":"x","end_at":"2030-03-04T16:00:00Z","version":2,"colour":"red"})")
            << QStringList{QStringLiteral("cancel_reason:read_only"),
                           QStringLiteral("colour:unknown"), QStringLiteral("end_at:read_only"),
                           QStringLiteral("status:read_only"), QStringLiteral("version:read_only")};
        QTest::newRow("types and closed sets")
            << QByteArray(
                   R"({"start_at":"tomorrow","duration_minutes":"30","type":"checkup","patient_id":"p1"})")
            << QStringList{QStringLiteral("duration_minutes:type"),
                           QStringLiteral("patient_id:type"), QStringLiteral("start_at:type"),
                           QStringLiteral("type:unknown")};
        // "AT hh:mm minutes": a booking on the fixture's Monday, built in the test.
        QTest::newRow("before opening")
            << QByteArray("AT 07:00 30")
            << QStringList{QStringLiteral("start_at:outside_availability"),
                           QStringLiteral("start_at:outside_hours")};
        QTest::newRow("too short")
            << QByteArray("AT 10:00 3") << QStringList{QStringLiteral("duration_minutes:range")};
        QTest::newRow("unknown patient")
            << QByteArray("PATIENT") << QStringList{QStringLiteral("patient_id:not_found")};
    }
    void badInputListsEveryFieldAndWritesNothing()
    {
        QFETCH(QByteArray, input);
        QFETCH(QStringList, expected);
        const Fixture f(m_factory.create(SqlDialect::Sqlite));
        if (input.startsWith("AT ")) {
            const QList<QByteArray> parts = input.split(' ');
            input = f.booking(f.ada, QString::fromLatin1(parts.at(1)), parts.at(2).toInt());
        } else if (input == "PATIENT") {
            input = f.booking(newUuidV7(), QStringLiteral("10:00"));
        }
        const auto run = ctl({QStringLiteral("add")}, input);
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(test::fieldsOf(run), expected);
        QCOMPARE(test::rowCount(f.db, QStringLiteral("appointments")), 0);
        QCOMPARE(f.outboxRows(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCtlAppointment)
#include "tst_ctlappointment.moc"
