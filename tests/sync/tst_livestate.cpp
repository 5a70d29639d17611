#include "appointmentstore.h"
#include "clock.h"
#include "database.h"
#include "ids.h"
#include "livestate.h"
#include "outbox.h"
#include "principal.h"
#include "recordtable.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace tmdash;

// Live clinic state in Redis (sync/livestate.h) against the real Redis of the test command:
// presence (mark, list, refresh, expiry, a `presence hold` process killed or stopped) and the
// waiting-room board (check-in, start, complete, row versions, another day, the hash lost and
// rebuilt, Redis down). Each test works in a clinic of its own (a fresh UUID), so its keys
// never meet another run's on the shared Redis.

namespace {

// A port nobody listens on: "Redis down".
const QString kDeadRedis = QStringLiteral("redis://127.0.0.1:1");

PresenceHolder person(const QString &name, const QDateTime &since)
{
    PresenceHolder h;
    h.user_id = UserId(newUuidV7());
    h.display_name = name;
    h.device_id = newUuidV7();
    h.since = since;
    return h;
}

QStringList devicesOf(const QList<PresenceHolder> &holders)
{
    QStringList out;
    for (const PresenceHolder &h : holders)
        out << h.device_id;
    return out;
}

} // namespace

class TestLiveState : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("livestate")};
    QTemporaryDir m_config;
    QString m_redis;

    // A desktop database with a clinic (New York time), a provider, a staff member and a
    // patient-role user.
    struct Desktop
    {
        Database db;
        QString url;
        ClinicId clinic;
        test::TestProvider doctor;
        test::TestUser staff;
        test::TestUser patientUser;
    };

    Desktop desktop()
    {
        Desktop d;
        d.db = m_factory.create(SqlDialect::Sqlite);
        d.url = m_factory.lastUrl();
        d.clinic = test::insertClinic(d.db, QStringLiteral("North"));
        d.doctor = test::insertProvider(d.db, d.clinic, QStringLiteral("grace@north.example"));
        Row names;
        names.insert(QStringLiteral("given_name"), QStringLiteral("Grace"));
        names.insert(QStringLiteral("family_name"), QStringLiteral("Hopper"));
        if (Status s = RecordTable(d.db, u"users").update(d.doctor.user.value, names); !s)
            qFatal("naming the provider failed: %s", qPrintable(s.error().message));
        d.staff =
            test::insertUser(d.db, d.clinic, Role::Staff, QStringLiteral("sam@north.example"));
        d.patientUser =
            test::insertUser(d.db, d.clinic, Role::Patient, QStringLiteral("pat@north.example"));
        return d;
    }

    static PatientId insertPatient(const Database &db, const ClinicId &clinic, const QString &given,
                                   const QString &family)
    {
        const QString id = newUuidV7();
        const QString when = formatInstant(nowUtc());
        const Row row{{QStringLiteral("id"), id},
                      {QStringLiteral("clinic_id"), clinic.value},
                      {QStringLiteral("mrn"), QString(QStringLiteral("M-") + id.right(8))},
                      {QStringLiteral("given_name"), given},
                      {QStringLiteral("family_name"), family},
                      {QStringLiteral("birth_date"), QStringLiteral("1980-02-03")},
                      {QStringLiteral("sex"), QStringLiteral("female")},
                      {QStringLiteral("created_at"), when},
                      {QStringLiteral("updated_at"), when},
                      {QStringLiteral("version"), 1}};
        if (Status s = RecordTable(db, u"patients").insert(row); !s)
            qFatal("inserting a patient failed: %s", qPrintable(s.error().message));
        return PatientId(id);
    }

    // An appointment row as the central would have sent it: starting now (so today in the
    // clinic's zone) unless `startAt` says otherwise.
    static AppointmentId insertAppointment(const Desktop &d, const PatientId &patient,
                                           const QString &status, const QString &room,
                                           const QDateTime &startAt = {})
    {
        const QString id = newUuidV7();
        const QString when = formatInstant(nowUtc());
        const Row row{
            {QStringLiteral("id"), id},
            {QStringLiteral("clinic_id"), d.clinic.value},
            {QStringLiteral("patient_id"), patient.value},
            {QStringLiteral("provider_id"), d.doctor.provider.value},
            {QStringLiteral("start_at"), formatInstant(startAt.isValid() ? startAt : nowUtc())},
            {QStringLiteral("duration_minutes"), 30},
            {QStringLiteral("type"), QStringLiteral("follow_up")},
            {QStringLiteral("status"), status},
            {QStringLiteral("room"), room},
            {QStringLiteral("created_at"), when},
            {QStringLiteral("updated_at"), when},
            {QStringLiteral("version"), 1}};
        if (Status s = RecordTable(d.db, u"appointments").insert(row); !s)
            qFatal("inserting an appointment failed: %s", qPrintable(s.error().message));
        return AppointmentId(id);
    }

    // A row changed as a pulled change would change it (status and version).
    static void applyRemote(const Desktop &d, const AppointmentId &id, const QString &status,
                            qint64 version)
    {
        Row changes;
        changes.insert(QStringLiteral("status"), status);
        changes.insert(QStringLiteral("version"), double(version));
        if (Status s = RecordTable(d.db, u"appointments").update(id.value, changes); !s)
            qFatal("updating an appointment failed: %s", qPrintable(s.error().message));
    }

    WaitingRoom board(const Desktop &d, const QString &redis = {})
    {
        auto b = waitingRoom(redis.isEmpty() ? m_redis : redis, d.db, d.clinic);
        if (!b)
            qFatal("reading the board failed: %s", qPrintable(b.error().message));
        return *b;
    }

    static const WaitingEntry *entryOf(const WaitingRoom &b, const AppointmentId &id)
    {
        for (const WaitingEntry &e : b.entries)
            if (e.appointment_id == id)
                return &e;
        return nullptr;
    }

    void deleteKey(const QString &key)
    {
        auto session = RedisSession::open(m_redis);
        QVERIFY2(session, qPrintable(session.error().message));
        auto deleted = session.value().command({"DEL", key.toUtf8()});
        QVERIFY2(deleted, qPrintable(deleted.error().message));
        QCOMPARE(deleted->integer, 1);
    }

    QProcess *startCtl(const Desktop &d, const QStringList &args, const QMap<QString, QString> &env)
    {
        auto *p = new QProcess(this);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("TMDASH_PASSWORD"),
                           QString::fromLatin1(test::kTestPassword));
        environment.insert(QStringLiteral("TMDASH_CONFIG_DIR"), m_config.path());
        environment.insert(QStringLiteral("TMDASH_REDIS"), m_redis);
        for (auto it = env.cbegin(); it != env.cend(); ++it)
            environment.insert(it.key(), it.value());
        p->setProcessEnvironment(environment);
        p->start(qEnvironmentVariable("TMDASHCTL"),
                 QStringList{QStringLiteral("--db"), d.url, QStringLiteral("--as"),
                             QStringLiteral("sam@north.example")} +
                     args);
        if (!p->waitForStarted(10000))
            qFatal("cannot start tmdashctl");
        return p;
    }

    test::CtlRun ctl(const Desktop &d, const QString &email, const QStringList &args,
                     const QString &redis = {})
    {
        return test::runCtl(QStringList{QStringLiteral("--db"), d.url, QStringLiteral("--json"),
                                        QStringLiteral("--as"), email} +
                                args,
                            {},
                            {{QStringLiteral("TMDASH_REDIS"), redis.isEmpty() ? m_redis : redis},
                             {QStringLiteral("TMDASH_CONFIG_DIR"), m_config.path()}});
    }

    QList<PresenceHolder> holders(const Desktop &d, const QString &record)
    {
        auto list = editors(m_redis, d.clinic, record);
        if (!list)
            qFatal("listing editors failed: %s", qPrintable(list.error().message));
        return *list;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        m_redis = test::requireRedisUrl();
        if (m_redis.isEmpty())
            QSKIP("TMDASH_TEST_REDIS not set");
        auto session = RedisSession::open(m_redis);
        QVERIFY2(session, qPrintable(session.error().message));
        auto pong = session.value().command({"PING"});
        QVERIFY2(pong, qPrintable(pong.error().message));
        QCOMPARE(pong->string, QByteArray("PONG"));
    }

    void presenceMarkListRefreshAndStop()
    {
        const ClinicId clinic(newUuidV7());
        const QString record = newUuidV7();
        const PresenceHolder ann = person(QStringLiteral("Ann Nurse"), nowUtc().addSecs(-60));
        const PresenceHolder bo = person(QStringLiteral("Bo Front"), nowUtc());

        auto none = editors(m_redis, clinic, record);
        QVERIFY2(none, qPrintable(none.error().message));
        QVERIFY(none->isEmpty());

        QVERIFY(markEditing(m_redis, clinic, record, bo, 30));
        QVERIFY(markEditing(m_redis, clinic, record, ann, 30));
        auto both = editors(m_redis, clinic, record);
        QVERIFY2(both, qPrintable(both.error().message));
        QCOMPARE(devicesOf(*both), (QStringList{ann.device_id, bo.device_id})); // oldest first
        QCOMPARE(both->first().display_name, QStringLiteral("Ann Nurse"));
        QCOMPARE(both->first().user_id, ann.user_id);
        QCOMPARE(formatInstant(both->first().since), formatInstant(ann.since));

        // Other records and other clinics see nobody.
        QVERIFY(editors(m_redis, clinic, newUuidV7())->isEmpty());
        QVERIFY(editors(m_redis, ClinicId(newUuidV7()), record)->isEmpty());

        // A refresh renews the TTL (a short one becomes long again).
        const QByteArray annKey = QStringLiteral("tmdash:clinic:%1:presence:%2:%3")
                                      .arg(clinic.value, record, ann.device_id)
                                      .toUtf8();
        QVERIFY(markEditing(m_redis, clinic, record, ann, 5));
        auto session = RedisSession::open(m_redis);
        QVERIFY(session);
        auto ttl = session.value().command({"TTL", annKey});
        QVERIFY(ttl);
        QVERIFY2(ttl->integer > 0 && ttl->integer <= 5, qPrintable(QString::number(ttl->integer)));
        QVERIFY(markEditing(m_redis, clinic, record, ann, 300));
        ttl = session.value().command({"TTL", annKey});
        QVERIFY(ttl);
        QVERIFY2(ttl->integer > 5, qPrintable(QString::number(ttl->integer)));

        QVERIFY(stopEditing(m_redis, clinic, record, bo));
        QCOMPARE(devicesOf(*editors(m_redis, clinic, record)), QStringList{ann.device_id});
        QVERIFY(stopEditing(m_redis, clinic, record, ann));
        QVERIFY(editors(m_redis, clinic, record)->isEmpty());
    }

    void presenceExpiresWithoutRefresh()
    {
        const ClinicId clinic(newUuidV7());
        const QString record = newUuidV7();
        const PresenceHolder gone = person(QStringLiteral("Gone Soon"), nowUtc());
        const PresenceHolder stays = person(QStringLiteral("Still Here"), nowUtc());
        QVERIFY(markEditing(m_redis, clinic, record, gone, 1));
        QVERIFY(markEditing(m_redis, clinic, record, stays, 300));
        QTRY_VERIFY_WITH_TIMEOUT(
            !devicesOf(*editors(m_redis, clinic, record)).contains(gone.device_id), 20000);
        QCOMPARE(devicesOf(*editors(m_redis, clinic, record)), QStringList{stays.device_id});
        // The index no longer names the expired holder either.
        auto session = RedisSession::open(m_redis);
        QVERIFY(session);
        auto members = session.value().command(
            {"SMEMBERS",
             QStringLiteral("tmdash:clinic:%1:presence:%2").arg(clinic.value, record).toUtf8()});
        QVERIFY(members);
        QCOMPARE(members->elements.size(), 1);
        QCOMPARE(members->elements.first().string, stays.device_id.toUtf8());
    }

    void presenceRedisDownIsAStorageError()
    {
        const PresenceHolder who = person(QStringLiteral("X"), nowUtc());
        const Status marked = markEditing(kDeadRedis, ClinicId(newUuidV7()), newUuidV7(), who, 30);
        QVERIFY(!marked);
        QCOMPARE(marked.error().code, ErrorCode::Storage);
        auto listed = editors(kDeadRedis, ClinicId(newUuidV7()), newUuidV7());
        QVERIFY(!listed);
        QCOMPARE(listed.error().code, ErrorCode::Storage);
        QVERIFY(listed.error().message.contains(QLatin1String("127.0.0.1:1")));
    }

    // `presence hold` keeps its mark alive; killed, the mark runs out by itself; stopped with
    // SIGTERM, it removes the mark at once.
    void presenceHoldProcess()
    {
        const Desktop d = desktop();
        const QString record = newUuidV7();
        QProcess *holder =
            startCtl(d, {QStringLiteral("presence"), QStringLiteral("hold"), record},
                     {{QStringLiteral("TMDASH_PRESENCE_TTL_SECONDS"), QStringLiteral("1")}});
        QTRY_COMPARE_WITH_TIMEOUT(holders(d, record).size(), 1, 30000);
        const PresenceHolder h = holders(d, record).first();
        QCOMPARE(h.user_id, d.staff.id);
        QCOMPARE(h.display_name, QStringLiteral("Test sam"));
        QCOMPARE(h.device_id, deviceId(d.db).value());

        // Another person asks who is editing.
        const test::CtlRun asked =
            ctl(d, QStringLiteral("grace@north.example"), {QStringLiteral("presence"), record});
        QCOMPARE(asked.exitCode, 0);
        const QJsonArray listed = asked.json().array();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed[0][u"user_id"].toString(), d.staff.id.value);
        QCOMPARE(listed[0][u"display_name"].toString(), QStringLiteral("Test sam"));

        // While it runs it refreshes its mark (every third of the TTL): a later refresh is seen.
        const QDateTime firstRefresh = h.refreshed_at;
        QVERIFY(firstRefresh.isValid());
        QTRY_VERIFY_WITH_TIMEOUT(!holders(d, record).isEmpty() &&
                                     holders(d, record).first().refreshed_at > firstRefresh,
                                 30000);
        QCOMPARE(holders(d, record).first().since, h.since); // the same hold

        holder->kill();
        QVERIFY(holder->waitForFinished(10000));
        QTRY_VERIFY_WITH_TIMEOUT(holders(d, record).isEmpty(), 30000);

        // Stopped politely, it takes its mark away before it exits.
        QProcess *polite =
            startCtl(d, {QStringLiteral("presence"), QStringLiteral("hold"), record},
                     {{QStringLiteral("TMDASH_PRESENCE_TTL_SECONDS"), QStringLiteral("300")}});
        QTRY_COMPARE_WITH_TIMEOUT(holders(d, record).size(), 1, 30000);
        polite->terminate();
        QVERIFY(polite->waitForFinished(30000));
        QCOMPARE(polite->exitStatus(), QProcess::NormalExit);
        QCOMPARE(polite->exitCode(), 0);
        QVERIFY(holders(d, record).isEmpty());
    }

    void presenceVerbRefusals()
    {
        const Desktop d = desktop();
        const QString record = newUuidV7();
        QCOMPARE(ctl(d, QStringLiteral("pat@north.example"), {QStringLiteral("presence"), record})
                     .exitCode,
                 4);
        QCOMPARE(ctl(d, QStringLiteral("pat@north.example"), {QStringLiteral("board")}).exitCode,
                 4);
        const test::CtlRun down = ctl(d, QStringLiteral("sam@north.example"),
                                      {QStringLiteral("presence"), record}, kDeadRedis);
        QCOMPARE(down.exitCode, 5);
        QCOMPARE(ctl(d, QStringLiteral("sam@north.example"),
                     {QStringLiteral("presence"), QStringLiteral("nope")})
                     .exitCode,
                 3);
        QCOMPARE(ctl(d, QStringLiteral("sam@north.example"), {QStringLiteral("presence")}).exitCode,
                 64);
    }

    // Check-in, start and complete as this desktop does them, each followed by the refresh the
    // sync engine makes.
    void boardFollowsCheckInStartComplete()
    {
        const Desktop d = desktop();
        const PatientId ada =
            insertPatient(d.db, d.clinic, QStringLiteral("Ada"), QStringLiteral("Lovelace"));
        const PatientId bo =
            insertPatient(d.db, d.clinic, QStringLiteral("Bo"), QStringLiteral("Diddley"));
        const AppointmentId a =
            insertAppointment(d, ada, QStringLiteral("scheduled"), QStringLiteral("Room 2"));
        const AppointmentId b = insertAppointment(d, bo, QStringLiteral("confirmed"), QString());
        const AppointmentStore store(d.db, d.staff.principal);

        QVERIFY(refreshWaitingRoom(m_redis, d.db, d.clinic, {a.value, b.value}));
        QVERIFY(board(d).entries.isEmpty());

        QVERIFY(store.checkIn(a));
        QVERIFY(refreshWaitingRoom(m_redis, d.db, d.clinic, {a.value}));
        WaitingRoom now = board(d);
        QVERIFY(!now.rebuilt);
        QCOMPARE(now.entries.size(), 1);
        const WaitingEntry checkedIn = now.entries.first();
        QCOMPARE(checkedIn.appointment_id, a);
        QCOMPARE(checkedIn.patient_id, ada);
        QCOMPARE(checkedIn.patient_name, QStringLiteral("Ada Lovelace"));
        QCOMPARE(checkedIn.provider_id, d.doctor.provider);
        QCOMPARE(checkedIn.provider_name, QStringLiteral("Grace Hopper"));
        QCOMPARE(checkedIn.room, QStringLiteral("Room 2"));
        QCOMPARE(checkedIn.status, QStringLiteral("checked_in"));
        QVERIFY(checkedIn.waiting_since.isValid());

        QVERIFY(store.checkIn(b));
        QVERIFY(refreshWaitingRoom(m_redis, d.db, d.clinic, {b.value}));
        now = board(d);
        QCOMPARE(now.entries.size(), 2);
        QCOMPARE(now.entries.at(0).appointment_id, a); // waiting longest first
        QCOMPARE(now.entries.at(1).appointment_id, b);

        // Being seen: still on the board, still waiting since the check-in.
        QVERIFY(store.start(a));
        QVERIFY(refreshWaitingRoom(m_redis, d.db, d.clinic, {a.value}));
        now = board(d);
        QCOMPARE(now.entries.size(), 2);
        QCOMPARE(entryOf(now, a)->status, QStringLiteral("in_progress"));
        QCOMPARE(formatInstant(entryOf(now, a)->waiting_since),
                 formatInstant(checkedIn.waiting_since));

        // Refreshing again changes nothing (idempotent).
        QVERIFY(refreshWaitingRoom(m_redis, d.db, d.clinic, {a.value, b.value}));
        QCOMPARE(board(d).entries.size(), 2);

        QVERIFY(store.complete(a));
        QVERIFY(store.cancel(b, QStringLiteral("left")));
        QVERIFY(refreshWaitingRoom(m_redis, d.db, d.clinic, {a.value, b.value}));
        QVERIFY(board(d).entries.isEmpty());

        // The same through tmdashctl board.
        const AppointmentId c =
            insertAppointment(d, bo, QStringLiteral("checked_in"), QStringLiteral("Room 5"));
        QVERIFY(refreshWaitingRoom(m_redis, d.db, d.clinic, {c.value}));
        const test::CtlRun shown =
            ctl(d, QStringLiteral("grace@north.example"), {QStringLiteral("board")});
        QCOMPARE(shown.exitCode, 0);
        const QJsonArray entries = shown.json().array();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries[0][u"appointment_id"].toString(), c.value);
        QCOMPARE(entries[0][u"patient_name"].toString(), QStringLiteral("Bo Diddley"));
        QCOMPARE(entries[0][u"room"].toString(), QStringLiteral("Room 5"));
        QCOMPARE(entries[0][u"status"].toString(), QStringLiteral("checked_in"));
        QVERIFY(!entries[0][u"waiting_since"].toString().isEmpty());
    }

    // Desktops refresh in any order: an older row version never overwrites a newer one; other
    // days and other clinics' appointments never show.
    void boardKeepsTheNewestVersionAndToday()
    {
        const Desktop d = desktop();
        const PatientId ada =
            insertPatient(d.db, d.clinic, QStringLiteral("Ada"), QStringLiteral("Lovelace"));
        const AppointmentId a =
            insertAppointment(d, ada, QStringLiteral("checked_in"), QStringLiteral("1"));
        applyRemote(d, a, QStringLiteral("in_progress"), 5);
        QVERIFY(refreshWaitingRoom(m_redis, d.db, d.clinic, {a.value}));
        QCOMPARE(entryOf(board(d), a)->status, QStringLiteral("in_progress"));

        // A desktop that is behind (version 4, still checked in) refreshes late: ignored.
        applyRemote(d, a, QStringLiteral("checked_in"), 4);
        QVERIFY(refreshWaitingRoom(m_redis, d.db, d.clinic, {a.value}));
        QCOMPARE(entryOf(board(d), a)->status, QStringLiteral("in_progress"));

        applyRemote(d, a, QStringLiteral("completed"), 6);
        QVERIFY(refreshWaitingRoom(m_redis, d.db, d.clinic, {a.value}));
        QVERIFY(!entryOf(board(d), a));

        const AppointmentId tomorrow =
            insertAppointment(d, ada, QStringLiteral("checked_in"), QString(), nowUtc().addDays(2));
        QVERIFY(refreshWaitingRoom(m_redis, d.db, d.clinic, {tomorrow.value}));
        QVERIFY(!entryOf(board(d), tomorrow));

        // An id this database does not hold is no error.
        QVERIFY(refreshWaitingRoom(m_redis, d.db, d.clinic, {newUuidV7()}));
        QVERIFY(board(d).entries.isEmpty());
    }

    void boardRebuiltWhenRedisLostIt()
    {
        const Desktop d = desktop();
        const PatientId ada =
            insertPatient(d.db, d.clinic, QStringLiteral("Ada"), QStringLiteral("Lovelace"));
        const PatientId bo =
            insertPatient(d.db, d.clinic, QStringLiteral("Bo"), QStringLiteral("Diddley"));
        const AppointmentId a =
            insertAppointment(d, ada, QStringLiteral("checked_in"), QStringLiteral("1"));
        const AppointmentId b =
            insertAppointment(d, bo, QStringLiteral("in_progress"), QStringLiteral("2"));
        insertAppointment(d, bo, QStringLiteral("completed"), QStringLiteral("3"));

        // A new board (nothing in Redis yet) is built from the database on first read.
        WaitingRoom first = board(d);
        QVERIFY(first.rebuilt);
        QCOMPARE(first.entries.size(), 2);
        QVERIFY(entryOf(first, a) && entryOf(first, b));
        QVERIFY(!board(d).rebuilt);

        // Redis emptied: the next refresh rebuilds the whole board, not just its own ids.
        const QString key = waitingRoomKey(d.db, d.clinic).value();
        QVERIFY(key.startsWith(QStringLiteral("tmdash:clinic:") + d.clinic.value +
                               QStringLiteral(":waiting:")));
        deleteKey(key);
        const AppointmentId c =
            insertAppointment(d, ada, QStringLiteral("checked_in"), QStringLiteral("4"));
        QVERIFY(refreshWaitingRoom(m_redis, d.db, d.clinic, {c.value}));
        WaitingRoom again = board(d);
        QVERIFY(!again.rebuilt); // the refresh already did
        QCOMPARE(again.entries.size(), 3);
        QVERIFY(entryOf(again, a) && entryOf(again, b) && entryOf(again, c));

        // ... and so does a read.
        deleteKey(key);
        const WaitingRoom read = board(d);
        QVERIFY(read.rebuilt);
        QCOMPARE(read.entries.size(), 3);

        // Another desktop of the clinic sees the same board without rebuilding it.
        Database other = m_factory.create(SqlDialect::Sqlite);
        QVERIFY(RecordTable(other, u"clinics")
                    .insert(RecordTable(d.db, u"clinics").get(d.clinic.value).value()));
        auto seen = waitingRoom(m_redis, other, d.clinic);
        QVERIFY2(seen, qPrintable(seen.error().message));
        QVERIFY(!seen->rebuilt);
        QCOMPARE(seen->entries.size(), 3);
    }

    void boardWithRedisDown()
    {
        const Desktop d = desktop();
        const PatientId ada =
            insertPatient(d.db, d.clinic, QStringLiteral("Ada"), QStringLiteral("Lovelace"));
        const AppointmentId a =
            insertAppointment(d, ada, QStringLiteral("checked_in"), QStringLiteral("1"));
        const Status refreshed = refreshWaitingRoom(kDeadRedis, d.db, d.clinic, {a.value});
        QVERIFY(!refreshed);
        QCOMPARE(refreshed.error().code, ErrorCode::Storage);

        // Reading still works, from the database, and says why.
        const WaitingRoom fallback = board(d, kDeadRedis);
        QVERIFY(!fallback.redisError.isEmpty());
        QCOMPARE(fallback.entries.size(), 1);
        QCOMPARE(fallback.entries.first().appointment_id, a);
        const test::CtlRun shown =
            ctl(d, QStringLiteral("sam@north.example"), {QStringLiteral("board")}, kDeadRedis);
        QCOMPARE(shown.exitCode, 0);
        QCOMPARE(shown.json().array().size(), 1);
        QVERIFY(shown.err.contains("Redis unreachable"));
    }
};

QTEST_GUILESS_MAIN(TestLiveState)
#include "tst_livestate.moc"
