#include "appointmentcodec.h"
#include "appointmentstore.h"
#include "clock.h"
#include "outbox.h"
#include "testsupport.h"

#include <QHash>
#include <QTest>
#include <QTimeZone>

using namespace tmdash;

namespace {

const QString kCreated = QStringLiteral("2026-01-01T00:00:00.000Z");

// Monday 2 March 2026; New York is on EST (UTC-5) until Sunday 8 March, EDT (UTC-4) after.
const QDate kMonday(2026, 3, 2);

QDateTime local(QDate day, int hour, int minute = 0)
{
    return QDateTime(day, QTime(hour, minute), QTimeZone("America/New_York")).toUTC();
}

// A clinic (weekdays 08:00-18:00, Friday 08:00-16:00, New York) with two providers who see
// patients Monday to Friday 09:00-17:00 (Friday 09:00-15:00), and two patients, all written
// straight into the tables so that only the store's own writes reach the outbox.
struct Fixture
{
    Database db;
    ClinicId clinic;
    ProviderId house;
    ProviderId wilson;
    PatientId ada;
    PatientId grace;
    PatientId gone; // tombstoned (refusedBookings only)

    void insert(QStringView table, Row row) const
    {
        row.insert(QStringLiteral("created_at"), kCreated);
        row.insert(QStringLiteral("updated_at"), kCreated);
        if (Status s = RecordTable(db, table).insert(row); !s)
            qFatal("inserting into %s failed: %s", qPrintable(table.toString()),
                   qPrintable(s.error().message));
    }

    ProviderId addProvider(const QString &email, const QString &npi) const
    {
        const QString user = newUuidV7();
        insert(u"users", {{QStringLiteral("id"), user},
                          {QStringLiteral("clinic_id"), clinic.value},
                          {QStringLiteral("email"), email},
                          {QStringLiteral("role"), QStringLiteral("provider")},
                          {QStringLiteral("status"), QStringLiteral("active")}});
        const QString id = newUuidV7();
        insert(u"providers", {{QStringLiteral("id"), id},
                              {QStringLiteral("clinic_id"), clinic.value},
                              {QStringLiteral("user_id"), user},
                              {QStringLiteral("npi"), npi},
                              {QStringLiteral("license_number"), QStringLiteral("L-1")},
                              {QStringLiteral("default_slot_minutes"), 30}});
        for (int weekday = 1; weekday <= 5; ++weekday)
            insert(u"provider_availability",
                   {{QStringLiteral("id"), newUuidV7()},
                    {QStringLiteral("clinic_id"), clinic.value},
                    {QStringLiteral("provider_id"), id},
                    {QStringLiteral("weekday"), weekday},
                    {QStringLiteral("start_time"), QStringLiteral("09:00")},
                    {QStringLiteral("end_time"),
                     weekday == 5 ? QStringLiteral("15:00") : QStringLiteral("17:00")}});
        return ProviderId(id);
    }

    PatientId addPatient(const QString &given, const QString &mrn) const
    {
        const QString id = newUuidV7();
        insert(u"patients", {{QStringLiteral("id"), id},
                             {QStringLiteral("clinic_id"), clinic.value},
                             {QStringLiteral("mrn"), mrn},
                             {QStringLiteral("given_name"), given},
                             {QStringLiteral("family_name"), QStringLiteral("Test")},
                             {QStringLiteral("birth_date"), QStringLiteral("1980-01-01")},
                             {QStringLiteral("sex"), QStringLiteral("female")}});
        return PatientId(id);
    }

    // A stored appointment written without the store's checks (for query tests).
    AppointmentId insertRaw(const ProviderId &provider, const QDateTime &start,
                            int minutes = 30) const
    {
        Appointment a;
        a.id = newId<AppointmentId>();
        a.clinic_id = clinic;
        a.patient_id = ada;
        a.provider_id = provider;
        a.start_at = start;
        a.duration_minutes = minutes;
        a.meta.created_at = a.meta.updated_at = parseInstant(kCreated).value();
        if (Status s = RecordTable(db, u"appointments").insert(toRow(a)); !s)
            qFatal("inserting an appointment failed: %s", qPrintable(s.error().message));
        return a.id;
    }

    Appointment booking(const PatientId &patient, const ProviderId &provider,
                        const QDateTime &start, int minutes = 30) const
    {
        Appointment a;
        a.patient_id = patient;
        a.provider_id = provider;
        a.start_at = start;
        a.duration_minutes = minutes;
        a.type = AppointmentType::FollowUp;
        a.reason = QStringLiteral("Check-up");
        return a;
    }

    qint64 outboxRows() const
    {
        return db.isSqlite() ? test::rowCount(db, QStringLiteral("outbox")) : 0;
    }
    qint64 appointmentRows() const { return test::rowCount(db, QStringLiteral("appointments")); }
};


bool hasError(const Error &error, const QString &field, const QString &code)
{
    for (const FieldError &e : error.fields)
        if (e.field == field && e.code == code)
            return true;
    return false;
}

QString describe(const Error &error)
{
    QStringList parts{error.message};
    for (const FieldError &e : error.fields)
        parts << e.field + QLatin1Char('/') + e.code + QStringLiteral(": ") + e.message;
    return parts.join(QStringLiteral("; "));
}

QStringList startsOf(const QList<Appointment> &list)
{
    QStringList out;
    for (const Appointment &a : list)
        out << formatInstant(a.start_at);
    return out;
}

} // namespace

class TestAppointmentStore : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("appointmentstore")};
    const Principal m_owner = Principal::owner();
    QHash<int, Fixture> m_refusals; // by SqlDialect

    Fixture fixture(SqlDialect dialect)
    {
        Fixture f;
        f.db = m_factory.create(dialect);
        f.clinic = test::insertClinic(f.db);
        f.house = f.addProvider(QStringLiteral("house@example.org"), QStringLiteral("1234567893"));
        f.wilson =
            f.addProvider(QStringLiteral("wilson@example.org"), QStringLiteral("1245319599"));
        f.ada = f.addPatient(QStringLiteral("Ada"), QStringLiteral("T-1"));
        f.grace = f.addPatient(QStringLiteral("Grace"), QStringLiteral("T-2"));
        return f;
    }

private Q_SLOTS:
    void createAndGetRoundTrip_data() { m_factory.addDialectRows(); }
    void createAndGetRoundTrip()
    {
        QFETCH(SqlDialect, dialect);
        const Fixture f = fixture(dialect);
        AppointmentStore store(f.db, m_owner);
        Appointment a = f.booking(f.ada, f.house, local(kMonday, 9, 30), 45);
        a.type = AppointmentType::NewPatient;
        a.room = QStringLiteral(" Exam 1 ");
        a.notes = QStringLiteral("Bring \"old\" records; O'Brien referral");
        a.status = AppointmentStatus::Completed; // ignored: a booking starts scheduled
        a.cancel_reason = QStringLiteral("ignored");
        auto created = store.create(a);
        QVERIFY2(created, qPrintable(describe(created.error())));
        QVERIFY(isUuid(created->id.value));
        QCOMPARE(created->clinic_id, f.clinic);
        QCOMPARE(created->status, AppointmentStatus::Scheduled);
        QCOMPARE(created->cancel_reason, QString());
        QCOMPARE(created->room, QStringLiteral("Exam 1"));
        QCOMPARE(created->start_at, local(kMonday, 9, 30));
        QCOMPARE(created->duration_minutes, 45);
        QCOMPARE(created->type, AppointmentType::NewPatient);
        QCOMPARE(created->notes, a.notes);
        QCOMPARE(created->meta.version, dialect == SqlDialect::Postgres ? 1 : 0);
        auto got = store.get(created->id);
        QVERIFY(got);
        QCOMPARE(toRow(*got), toRow(*created));
        QCOMPARE(f.appointmentRows(), 1);
        if (dialect == SqlDialect::Sqlite) {
            const QList<OutboxEntry> entries = test::outboxOf(f.db);
            QCOMPARE(entries.size(), 1);
            QCOMPARE(entries[0].entity, QStringLiteral("appointments"));
            QCOMPARE(entries[0].op, OutboxOp::Insert);
            QCOMPARE(entries[0].entity_id, created->id.value);
            QCOMPARE(entries[0].changes.value(u"status").toString(), QStringLiteral("scheduled"));
            QCOMPARE(entries[0].changes.value(u"start_at").toString(),
                     QStringLiteral("2026-03-02T14:30:00.000Z"));
        }
        QCOMPARE(store.get(newId<AppointmentId>()).error().code, ErrorCode::NotFound);
        QCOMPARE(store.get(AppointmentId(QStringLiteral("nonsense"))).error().code,
                 ErrorCode::NotFound);
    }

    // Every refused booking leaves no appointment and no outbox row behind.
    void refusedBookings_data()
    {
        QTest::addColumn<SqlDialect>("dialect");
        QTest::addColumn<QString>("booking");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("code");
        for (SqlDialect d : {SqlDialect::Sqlite, SqlDialect::Postgres}) {
            if (d == SqlDialect::Postgres && !m_factory.hasPostgres())
                continue;
            const char *n = d == SqlDialect::Sqlite ? "sqlite" : "postgres";
            const auto row = [&](const char *name, const char *booking, const char *field,
                                 const char *code) {
                QTest::addRow("%s: %s", n, name)
                    << d << QString::fromLatin1(booking) << QString::fromLatin1(field)
                    << QString::fromLatin1(code);
            };
            row("provider double booked", "provider_overlap", "start_at", "overlap");
            row("provider overlap by one minute", "provider_overlap_edge", "start_at", "overlap");
            row("patient with another provider", "patient_overlap", "patient_id", "overlap");
            row("room taken", "room_overlap", "room", "overlap");
            row("before opening", "early", "start_at", "outside_hours");
            row("after closing friday", "late_friday", "start_at", "outside_hours");
            row("sunday", "sunday", "start_at", "outside_hours");
            row("outside availability", "unavailable", "start_at", "outside_availability");
            row("unknown patient", "unknown_patient", "patient_id", "not_found");
            row("unknown provider", "unknown_provider", "provider_id", "not_found");
            row("deleted patient", "deleted_patient", "patient_id", "not_found");
            row("duration too long", "too_long", "duration_minutes", "range");
            row("no start", "no_start", "start_at", "required");
        }
    }
    void refusedBookings()
    {
        QFETCH(SqlDialect, dialect);
        QFETCH(QString, booking);
        QFETCH(QString, field);
        QFETCH(QString, code);
        // Refusals write nothing, so one database per dialect serves every row (and each row
        // also proves that the ones before it left nothing behind).
        if (!m_refusals.contains(int(dialect))) {
            Fixture made = fixture(dialect);
            Appointment first = made.booking(made.ada, made.house, local(kMonday, 10), 30);
            first.room = QStringLiteral("Exam 1");
            QVERIFY(AppointmentStore(made.db, m_owner).create(first));
            made.gone = made.addPatient(QStringLiteral("Gone"), QStringLiteral("T-3"));
            QVERIFY(RecordTable(made.db, u"patients")
                        .update(made.gone.value, {{QStringLiteral("deleted_at"), kCreated}}));
            m_refusals.insert(int(dialect), made);
        }
        const Fixture f = m_refusals.value(int(dialect));
        AppointmentStore store(f.db, m_owner);
        const qint64 rows = f.appointmentRows();
        const qint64 queued = f.outboxRows();

        Appointment a = f.booking(f.grace, f.house, local(kMonday, 10), 30);
        if (booking == QLatin1String("provider_overlap_edge"))
            a.start_at = local(kMonday, 10, 29);
        else if (booking == QLatin1String("patient_overlap"))
            a = f.booking(f.ada, f.wilson, local(kMonday, 10, 15), 30);
        else if (booking == QLatin1String("room_overlap")) {
            a = f.booking(f.grace, f.wilson, local(kMonday, 10), 30);
            a.room = QStringLiteral("exam 1 ");
        } else if (booking == QLatin1String("early"))
            a.start_at = local(kMonday, 7, 30);
        else if (booking == QLatin1String("late_friday"))
            a.start_at = local(kMonday.addDays(4), 15, 45);
        else if (booking == QLatin1String("sunday"))
            a.start_at = local(kMonday.addDays(6), 10);
        else if (booking == QLatin1String("unavailable"))
            a.start_at = local(kMonday, 8, 0); // clinic open, provider not yet
        else if (booking == QLatin1String("unknown_patient"))
            a.patient_id = newId<PatientId>();
        else if (booking == QLatin1String("unknown_provider"))
            a.provider_id = newId<ProviderId>();
        else if (booking == QLatin1String("deleted_patient")) {
            a.patient_id = f.gone;
            a.start_at = local(kMonday, 11);
        } else if (booking == QLatin1String("too_long"))
            a.duration_minutes = 481;
        else if (booking == QLatin1String("no_start"))
            a.start_at = QDateTime();

        auto result = store.create(a);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Invalid);
        QVERIFY2(hasError(result.error(), field, code), qPrintable(describe(result.error())));
        QCOMPARE(f.appointmentRows(), rows);
        QCOMPARE(f.outboxRows(), queued);
    }

    // Half-open intervals: one ending at 10:30 and one starting at 10:30 do not clash, for the
    // provider, the patient and the room alike.
    void backToBackIsAllowed_data() { m_factory.addDialectRows(); }
    void backToBackIsAllowed()
    {
        QFETCH(SqlDialect, dialect);
        const Fixture f = fixture(dialect);
        AppointmentStore store(f.db, m_owner);
        Appointment first = f.booking(f.ada, f.house, local(kMonday, 10), 30);
        first.room = QStringLiteral("Exam 1");
        QVERIFY(store.create(first));
        Appointment after = f.booking(f.ada, f.house, local(kMonday, 10, 30), 30);
        after.room = QStringLiteral("Exam 1");
        auto created = store.create(after);
        QVERIFY2(created, qPrintable(describe(created.error())));
        Appointment before = f.booking(f.ada, f.house, local(kMonday, 9, 30), 30);
        before.room = QStringLiteral("Exam 1");
        auto earlier = store.create(before);
        QVERIFY2(earlier, qPrintable(describe(earlier.error())));
        // Another provider and patient at the same time in another room is fine too.
        QVERIFY(store.create(f.booking(f.grace, f.wilson, local(kMonday, 10), 30)));
        QCOMPARE(f.appointmentRows(), 4);
    }

    void cancelledAppointmentFreesTheSlot_data() { m_factory.addDialectRows(); }
    void cancelledAppointmentFreesTheSlot()
    {
        QFETCH(SqlDialect, dialect);
        const Fixture f = fixture(dialect);
        AppointmentStore store(f.db, m_owner);
        auto first = store.create(f.booking(f.ada, f.house, local(kMonday, 10), 30));
        QVERIFY(first);
        const Appointment second = f.booking(f.grace, f.house, local(kMonday, 10), 30);
        QVERIFY(!store.create(second));
        auto cancelled = store.cancel(first->id, QStringLiteral("Patient called"));
        QVERIFY2(cancelled, qPrintable(describe(cancelled.error())));
        QCOMPARE(cancelled->status, AppointmentStatus::Cancelled);
        QCOMPARE(cancelled->cancel_reason, QStringLiteral("Patient called"));
        auto rebooked = store.create(second);
        QVERIFY2(rebooked, qPrintable(describe(rebooked.error())));
        // entered_in_error frees it too.
        QVERIFY(store.enterInError(rebooked->id));
        QVERIFY(store.create(f.booking(f.ada, f.house, local(kMonday, 10, 15), 30)));
    }

    // Each action: one outbox row, op "state", status old -> new (and cancel_reason on cancel).
    void stateChangesWriteOneStateRow_data()
    {
        QTest::addColumn<QList<int>>("path"); // AppointmentAction values
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        using A = AppointmentAction;
        QTest::newRow("confirm") << QList<int>{int(A::Confirm)} << "scheduled"
                                 << "confirmed";
        QTest::newRow("check in") << QList<int>{int(A::CheckIn)} << "scheduled"
                                  << "checked_in";
        QTest::newRow("start") << QList<int>{int(A::CheckIn), int(A::Start)} << "checked_in"
                               << "in_progress";
        QTest::newRow("complete") << QList<int>{int(A::CheckIn), int(A::Start), int(A::Complete)}
                                  << "in_progress"
                                  << "completed";
        QTest::newRow("no show") << QList<int>{int(A::Confirm), int(A::NoShow)} << "confirmed"
                                 << "no_show";
        QTest::newRow("cancel") << QList<int>{int(A::Cancel)} << "scheduled"
                                << "cancelled";
        QTest::newRow("entered in error")
            << QList<int>{int(A::CheckIn), int(A::Start), int(A::Complete), int(A::EnterInError)}
            << "completed"
            << "entered_in_error";
    }
    void stateChangesWriteOneStateRow()
    {
        QFETCH(QList<int>, path);
        QFETCH(QString, from);
        QFETCH(QString, to);
        const Fixture f = fixture(SqlDialect::Sqlite);
        AppointmentStore store(f.db, m_owner);
        auto created = store.create(f.booking(f.ada, f.house, local(kMonday, 10), 30));
        QVERIFY(created);
        for (int step : path) {
            const qint64 before = f.outboxRows();
            const auto action = AppointmentAction(step);
            auto result = [&] {
                switch (action) {
                case AppointmentAction::Confirm:
                    return store.confirm(created->id);
                case AppointmentAction::CheckIn:
                    return store.checkIn(created->id);
                case AppointmentAction::Start:
                    return store.start(created->id);
                case AppointmentAction::Complete:
                    return store.complete(created->id);
                case AppointmentAction::NoShow:
                    return store.noShow(created->id);
                case AppointmentAction::Cancel:
                    return store.cancel(created->id, QStringLiteral("  Feeling better "));
                case AppointmentAction::EnterInError:
                    return store.enterInError(created->id);
                }
                return store.get(created->id);
            }();
            QVERIFY2(result, qPrintable(describe(result.error())));
            QCOMPARE(result->status, targetStatus(action));
            QCOMPARE(f.outboxRows(), before + 1);
        }
        const OutboxEntry last = test::outboxOf(f.db).last();
        QCOMPARE(last.entity, QStringLiteral("appointments"));
        QCOMPARE(last.entity_id, created->id.value);
        QCOMPARE(last.op, OutboxOp::State);
        const QJsonObject status = last.changes.value(u"status").toObject();
        QCOMPARE(status.value(u"old").toString(), from);
        QCOMPARE(status.value(u"new").toString(), to);
        if (to == QLatin1String("cancelled")) {
            QCOMPARE(last.changes.keys(),
                     (QStringList{QStringLiteral("cancel_reason"), QStringLiteral("status")}));
            QVERIFY(last.changes[u"cancel_reason"].toObject()[u"old"].isNull());
            QCOMPARE(last.changes[u"cancel_reason"].toObject()[u"new"].toString(),
                     QStringLiteral("Feeling better"));
        } else {
            QCOMPARE(last.changes.keys(), QStringList{QStringLiteral("status")});
        }
        QCOMPARE(store.get(created->id)->status, enumFromString<AppointmentStatus>(to).value());
    }

    void illegalTransitionWritesNothing_data() { m_factory.addDialectRows(); }
    void illegalTransitionWritesNothing()
    {
        QFETCH(SqlDialect, dialect);
        const Fixture f = fixture(dialect);
        AppointmentStore store(f.db, m_owner);
        auto created = store.create(f.booking(f.ada, f.house, local(kMonday, 10), 30));
        QVERIFY(created);
        const qint64 queued = f.outboxRows();
        const auto refused = [&](const Result<Appointment> &r, const char *field,
                                 const char *code) {
            return !r && r.error().code == ErrorCode::Invalid &&
                   hasError(r.error(), QString::fromLatin1(field), QString::fromLatin1(code));
        };
        QVERIFY(refused(store.start(created->id), "status", "transition"));    // not checked in
        QVERIFY(refused(store.complete(created->id), "status", "transition")); // not started
        QVERIFY(refused(store.cancel(created->id, QStringLiteral("   ")), "cancel_reason",
                        "reason_required"));
        QVERIFY(refused(store.cancel(created->id, QString()), "cancel_reason", "reason_required"));
        QVERIFY(store.enterInError(created->id));
        const qint64 afterError = f.outboxRows();
        QVERIFY(refused(store.enterInError(created->id), "status", "transition")); // final
        QVERIFY(refused(store.confirm(created->id), "status", "transition"));
        QCOMPARE(store.get(created->id)->status, AppointmentStatus::EnteredInError);
        QCOMPARE(f.outboxRows(), dialect == SqlDialect::Sqlite ? queued + 1 : 0);
        QCOMPARE(f.outboxRows(), afterError);
        QCOMPARE(store.confirm(newId<AppointmentId>()).error().code, ErrorCode::NotFound);
    }

    void reschedule_data() { m_factory.addDialectRows(); }
    void reschedule()
    {
        QFETCH(SqlDialect, dialect);
        const Fixture f = fixture(dialect);
        AppointmentStore store(f.db, m_owner);
        auto first = store.create(f.booking(f.ada, f.house, local(kMonday, 10), 30));
        auto second = store.create(f.booking(f.grace, f.house, local(kMonday, 11), 30));
        QVERIFY(first && second);
        const qint64 queued = f.outboxRows();

        // Onto the other appointment: refused, nothing written.
        auto clash = store.reschedule(first->id, local(kMonday, 11, 15), 30);
        QVERIFY(!clash);
        QVERIFY2(hasError(clash.error(), QStringLiteral("start_at"), QStringLiteral("overlap")),
                 qPrintable(describe(clash.error())));
        auto late = store.reschedule(first->id, local(kMonday, 16, 45), 30);
        QVERIFY(hasError(late.error(), QStringLiteral("start_at"),
                         QStringLiteral("outside_availability")));
        QCOMPARE(f.outboxRows(), queued);
        QCOMPARE(store.get(first->id)->start_at, local(kMonday, 10));

        // Within its own old slot (it does not clash with itself), and then elsewhere.
        auto longer = store.reschedule(first->id, local(kMonday, 10), 60);
        QVERIFY2(longer, qPrintable(describe(longer.error())));
        QCOMPARE(longer->duration_minutes, 60);
        auto moved = store.reschedule(first->id, local(kMonday.addDays(1), 14), 45);
        QVERIFY2(moved, qPrintable(describe(moved.error())));
        QCOMPARE(moved->start_at, local(kMonday.addDays(1), 14));
        QCOMPARE(moved->duration_minutes, 45);
        QCOMPARE(store.get(first->id)->start_at, local(kMonday.addDays(1), 14));
        if (dialect == SqlDialect::Sqlite) {
            const QList<OutboxEntry> entries = test::outboxOf(f.db).mid(int(queued));
            QCOMPARE(entries.size(), 2);
            QCOMPARE(entries[1].op, OutboxOp::Update);
            QCOMPARE(entries[1].changes.keys(),
                     (QStringList{QStringLiteral("duration_minutes"), QStringLiteral("start_at")}));
            QCOMPARE(entries[1].changes[u"start_at"].toObject()[u"old"].toString(),
                     QStringLiteral("2026-03-02T15:00:00.000Z"));
            QCOMPARE(entries[1].changes[u"start_at"].toObject()[u"new"].toString(),
                     QStringLiteral("2026-03-03T19:00:00.000Z"));
            QCOMPARE(entries[1].changes[u"duration_minutes"].toObject()[u"old"].toInt(), 60);
            QCOMPARE(entries[1].changes[u"duration_minutes"].toObject()[u"new"].toInt(), 45);
        }
        // The freed 10:00 slot can be taken; a cancelled appointment cannot be moved.
        QVERIFY(store.create(f.booking(f.grace, f.house, local(kMonday, 10), 30)));
        QVERIFY(store.cancel(second->id, QStringLiteral("Clash")));
        auto retracted = store.reschedule(second->id, local(kMonday, 15), 30);
        QVERIFY(hasError(retracted.error(), QStringLiteral("status"), QStringLiteral("immutable")));
    }

    void updateRefusesImmutableFields()
    {
        const Fixture f = fixture(SqlDialect::Sqlite);
        AppointmentStore store(f.db, m_owner);
        auto created = store.create(f.booking(f.ada, f.house, local(kMonday, 10), 30));
        QVERIFY(created);
        const qint64 queued = f.outboxRows();
        Appointment edited = *created;
        edited.patient_id = f.grace;
        edited.status = AppointmentStatus::Confirmed;
        auto refused = store.update(edited);
        QVERIFY(
            hasError(refused.error(), QStringLiteral("patient_id"), QStringLiteral("immutable")));
        QVERIFY(hasError(refused.error(), QStringLiteral("status"), QStringLiteral("immutable")));
        QCOMPARE(f.outboxRows(), queued);
        // Another provider and a note: one update row with just those fields.
        edited = *created;
        edited.provider_id = f.wilson;
        edited.notes = QStringLiteral("Moved to Dr Wilson");
        auto updated = store.update(edited);
        QVERIFY2(updated, qPrintable(describe(updated.error())));
        QCOMPARE(updated->provider_id, f.wilson);
        const OutboxEntry last = test::outboxOf(f.db).last();
        QCOMPARE(last.op, OutboxOp::Update);
        QCOMPARE(last.changes.keys(),
                 (QStringList{QStringLiteral("notes"), QStringLiteral("provider_id")}));
        // Unchanged: nothing written.
        QVERIFY(store.update(*updated));
        QCOMPARE(f.outboxRows(), queued + 1);
    }

    // Days and weeks are the clinic's (New York), not UTC's: rows are written directly so that
    // they can sit at local evening hours that fall on the next UTC day.
    void providerDayAndWeekUseTheClinicTimeZone_data() { m_factory.addDialectRows(); }
    void providerDayAndWeekUseTheClinicTimeZone()
    {
        QFETCH(SqlDialect, dialect);
        const Fixture f = fixture(dialect);
        const QDate sunday = kMonday.addDays(6); // 8 March 2026: clocks go forward in New York
        f.insertRaw(f.house, local(kMonday.addDays(-1), 23, 30)); // Sun 1 Mar 23:30 EST = 04:30Z
        f.insertRaw(f.house, local(kMonday, 0, 0));               // Mon 00:00 EST = 05:00Z
        f.insertRaw(f.house, local(kMonday, 19, 30));             // Mon 19:30 EST = Tue 00:30Z
        f.insertRaw(f.house, local(kMonday.addDays(1), 0, 30));   // Tue 00:30 EST = 05:30Z
        f.insertRaw(f.house, local(sunday, 23, 30));              // Sun 23:30 EDT = Mon 03:30Z
        f.insertRaw(f.house, local(sunday.addDays(1), 0, 0));     // Mon 9 Mar 00:00 EDT = 04:00Z
        f.insertRaw(f.wilson, local(kMonday, 12));                // another provider
        const AppointmentId tombstoned = f.insertRaw(f.house, local(kMonday, 12));
        QVERIFY(RecordTable(f.db, u"appointments")
                    .update(tombstoned.value, {{QStringLiteral("deleted_at"), kCreated}}));

        AppointmentStore store(f.db, m_owner);
        auto day = store.forProviderDay(f.house, kMonday);
        QVERIFY2(day, qPrintable(describe(day.error())));
        QCOMPARE(startsOf(*day), (QStringList{QStringLiteral("2026-03-02T05:00:00.000Z"),
                                              QStringLiteral("2026-03-03T00:30:00.000Z")}));
        QCOMPARE(startsOf(*store.forProviderDay(f.house, kMonday.addDays(1))),
                 QStringList{QStringLiteral("2026-03-03T05:30:00.000Z")});
        auto week = store.forProviderWeek(f.house, kMonday.addDays(3));
        QVERIFY(week);
        QCOMPARE(startsOf(*week), (QStringList{QStringLiteral("2026-03-02T05:00:00.000Z"),
                                               QStringLiteral("2026-03-03T00:30:00.000Z"),
                                               QStringLiteral("2026-03-03T05:30:00.000Z"),
                                               QStringLiteral("2026-03-09T03:30:00.000Z")}));
        QCOMPARE(store.forProviderWeek(f.house, sunday)->size(), 4);
        QCOMPARE(startsOf(*store.forProviderWeek(f.house, sunday.addDays(1))),
                 QStringList{QStringLiteral("2026-03-09T04:00:00.000Z")});
        auto clinicDay = store.forClinicDay(kMonday);
        QVERIFY(clinicDay);
        QCOMPARE(clinicDay->size(), 3); // both providers, no tombstone
        auto patient = store.forPatient(f.ada);
        QVERIFY(patient);
        QCOMPARE(patient->size(), 7);
        QCOMPARE(patient->first().start_at, local(kMonday.addDays(-1), 23, 30));
        QCOMPARE(store.forPatient(f.grace)->size(), 0);
        QCOMPARE(store.forProviderDay(newId<ProviderId>(), kMonday).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(store.forPatient(newId<PatientId>()).error().code, ErrorCode::NotFound);
    }

    void freeSlotsExcludeBookedOnes_data() { m_factory.addDialectRows(); }
    void freeSlotsExcludeBookedOnes()
    {
        QFETCH(SqlDialect, dialect);
        const Fixture f = fixture(dialect);
        AppointmentStore store(f.db, m_owner);
        auto all = store.freeSlots(f.house, kMonday);
        QVERIFY2(all, qPrintable(describe(all.error())));
        QCOMPARE(all->size(), 16); // 09:00-17:00 in the provider's 30-minute slots
        QCOMPARE(all->first(), local(kMonday, 9));
        QCOMPARE(all->last(), local(kMonday, 16, 30));
        QVERIFY(store.create(f.booking(f.ada, f.house, local(kMonday, 10), 45)));
        auto cancelled = store.create(f.booking(f.grace, f.house, local(kMonday, 14), 30));
        QVERIFY(cancelled);
        QVERIFY(store.cancel(cancelled->id, QStringLiteral("Snow")));
        auto free = store.freeSlots(f.house, kMonday);
        QVERIFY(free);
        QCOMPARE(free->size(), 14); // 10:00 and 10:30 taken by the 45-minute visit; 14:00 free
        QVERIFY(!free->contains(local(kMonday, 10)));
        QVERIFY(!free->contains(local(kMonday, 10, 30)));
        QVERIFY(free->contains(local(kMonday, 11)));
        QVERIFY(free->contains(local(kMonday, 14)));
        QCOMPARE(store.freeSlots(f.house, kMonday, 60)->size(), 7);        // 09, 11..16
        QCOMPARE(store.freeSlots(f.wilson, kMonday)->size(), 16);          // not his booking
        QCOMPARE(store.freeSlots(f.house, kMonday.addDays(6))->size(), 0); // Sunday
    }

    void outsideTheCallersClinicIsNotFound()
    {
        const Fixture f = fixture(SqlDialect::Sqlite);
        auto created =
            AppointmentStore(f.db, m_owner).create(f.booking(f.ada, f.house, local(kMonday, 10)));
        QVERIFY(created);
        const Principal stranger{Principal::Kind::Person,
                                 UserId(newUuidV7()),
                                 test::insertClinic(f.db, QStringLiteral("West")),
                                 Role::Staff,
                                 {}};
        AppointmentStore store(f.db, stranger);
        QCOMPARE(store.get(created->id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.cancel(created->id, QStringLiteral("x")).error().code, ErrorCode::NotFound);
        QCOMPARE(store.forProviderDay(f.house, kMonday).error().code, ErrorCode::NotFound);
        // Booking someone else's patient with someone else's provider: both unknown here.
        auto refused = store.create(f.booking(f.ada, f.house, local(kMonday, 11)));
        QVERIFY(
            hasError(refused.error(), QStringLiteral("patient_id"), QStringLiteral("not_found")));
        QVERIFY(
            hasError(refused.error(), QStringLiteral("provider_id"), QStringLiteral("not_found")));
        QCOMPARE(store.forClinicDay(kMonday)->size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAppointmentStore)
#include "tst_appointmentstore.moc"
