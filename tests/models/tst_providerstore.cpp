#include "clock.h"
#include "outbox.h"
#include "providercodec.h"
#include "providerstore.h"
#include "testsupport.h"

#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace tmdash;

namespace {

QTime hm(const char *text)
{
    return QTime::fromString(QString::fromLatin1(text), QStringLiteral("HH:mm"));
}

QDateTime utc(const char *text)
{
    return *parseInstant(QString::fromLatin1(text));
}

ProviderAvailability window(int weekday, const char *from, const char *to, const QString &room = {})
{
    ProviderAvailability a;
    a.weekday = weekday;
    a.start_time = hm(from);
    a.end_time = hm(to);
    a.room = room;
    return a;
}

// A users row written directly: provider tests need accounts, not password hashing.
UserId insertUser(const Database &db, const ClinicId &clinic, const QString &family,
                  const QString &given = QStringLiteral("Sam"))
{
    const QString id = newUuidV7();
    const Row row{{QStringLiteral("id"), id},
                  {QStringLiteral("clinic_id"), clinic.value},
                  {QStringLiteral("email"), QString(id.right(8) + QStringLiteral("@example.org"))},
                  {QStringLiteral("given_name"), given},
                  {QStringLiteral("family_name"), family},
                  {QStringLiteral("role"), QStringLiteral("provider")},
                  {QStringLiteral("status"), QStringLiteral("active")},
                  {QStringLiteral("totp_enabled"), false},
                  {QStringLiteral("created_at"), QStringLiteral("2026-01-01T00:00:00.000Z")},
                  {QStringLiteral("updated_at"), QStringLiteral("2026-01-01T00:00:00.000Z")}};
    if (Status s = RecordTable(db, u"users").insert(row); !s)
        qFatal("inserting a user failed: %s", qPrintable(s.error().message));
    return UserId(id);
}

Provider house(const UserId &user)
{
    Provider p;
    p.user_id = user;
    p.npi = QStringLiteral("1234567893"); // the CMS worked example
    p.license_number = QStringLiteral("MD-123456");
    p.license_region = QStringLiteral("NY");
    p.license_expires = todayUtc().addYears(1);
    p.specialty = QStringLiteral("Family Medicine");
    p.credentials = QStringLiteral("MD");
    p.default_slot_minutes = 20;
    // Deliberately out of order: the store returns them by weekday and start.
    p.availability = {window(4, "08:00", "17:00", QStringLiteral("Room 2")),
                      window(3, "13:00", "17:00"),
                      window(3, "09:00", "12:00", QStringLiteral("Room 1"))};
    ProviderTimeOff off;
    off.start_at = utc("2026-04-01T13:00:00Z");
    off.end_at = utc("2026-04-01T21:00:00Z");
    off.reason = QStringLiteral("Training");
    p.time_off = {off};
    return p;
}




struct Counts
{
    qint64 providers, availability, timeOff, outbox;
    friend bool operator==(const Counts &, const Counts &) = default;
};

Counts counts(const Database &db)
{
    return {test::rowCount(db, QStringLiteral("providers")),
            test::rowCount(db, QStringLiteral("provider_availability")),
            test::rowCount(db, QStringLiteral("provider_time_off")), test::queuedChanges(db)};
}

} // namespace

class TestProviderStore : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("providerstore")};
    const Principal m_owner = Principal::owner();

private Q_SLOTS:
    void createAndGetRoundTrip_data() { m_factory.addDialectRows(); }
    void createAndGetRoundTrip()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        const UserId user = insertUser(db, clinic, QStringLiteral("House"));
        ProviderStore store(db, m_owner);
        auto created = store.create(house(user));
        QVERIFY2(created, qPrintable(created.error().message));
        QVERIFY(isUuid(created->id.value));
        QCOMPARE(created->clinic_id, clinic);
        QCOMPARE(created->user_id, user);
        QCOMPARE(created->license_expires, todayUtc().addYears(1));
        QCOMPARE(created->default_slot_minutes, 20);
        QCOMPARE(created->availability.size(), 3);
        QCOMPARE(created->availability[0].weekday, 3);
        QCOMPARE(created->availability[0].start_time, hm("09:00"));
        QCOMPARE(created->availability[0].end_time, hm("12:00"));
        QCOMPARE(created->availability[0].room, QStringLiteral("Room 1"));
        QCOMPARE(created->availability[1].start_time, hm("13:00"));
        QCOMPARE(created->availability[2].weekday, 4);
        for (const ProviderAvailability &a : created->availability)
            QVERIFY(isUuid(a.id.value));
        QCOMPARE(created->time_off.size(), 1);
        QCOMPARE(created->time_off[0].start_at, utc("2026-04-01T13:00:00Z"));
        QCOMPARE(created->time_off[0].reason, QStringLiteral("Training"));
        QCOMPARE(created->availabilityOn(3).size(), 2);

        auto got = store.get(created->id);
        QVERIFY(got);
        QCOMPARE(toRow(*got), toRow(*created));
        QCOMPARE(got->availability.size(), 3);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(toRow(got->availability[i]), toRow(created->availability[i]));
        QCOMPARE(toRow(got->time_off[0]), toRow(created->time_off[0]));
        QCOMPARE(got->meta.version, dialect == SqlDialect::Postgres ? 1 : 0);
        QCOMPARE(got->availability[0].meta.version, dialect == SqlDialect::Postgres ? 1 : 0);

        // Wall-clock times are stored as "HH:MM" text on SQLite and read back the same on both.
        auto rows =
            RecordTable(db, u"provider_availability")
                .select(QStringLiteral("provider_id = :p AND weekday = 3"),
                        {{QStringLiteral("p"), created->id.value}}, QStringLiteral("start_time"));
        QVERIFY(rows);
        QCOMPARE(rows->size(), 2);
        QCOMPARE(rows->first().value(u"start_time").toString(), QStringLiteral("09:00"));
        QCOMPARE(rows->first().value(u"clinic_id").toString(), clinic.value);
        if (dialect == SqlDialect::Sqlite) {
            QSqlQuery q(db.connection());
            QVERIFY(q.exec(QStringLiteral(
                "SELECT end_time FROM provider_availability ORDER BY end_time LIMIT 1")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("12:00"));
        }
    }

    void outboxRowsForCreate()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        const ClinicId clinic = test::insertClinic(db);
        const UserId user = insertUser(db, clinic, QStringLiteral("House"));
        auto created = ProviderStore(db, m_owner).create(house(user));
        QVERIFY(created);
        const QList<OutboxEntry> entries = test::outboxOf(db);
        QCOMPARE(entries.size(), 5); // provider, three windows, one time off
        QCOMPARE(entries[0].entity, QStringLiteral("providers"));
        QCOMPARE(entries[0].op, OutboxOp::Insert);
        QCOMPARE(entries[0].entity_id, created->id.value);
        QCOMPARE(entries[0].changes.value(u"npi").toString(), QStringLiteral("1234567893"));
        QCOMPARE(entries[0].changes.value(u"user_id").toString(), user.value);
        QCOMPARE(entries[0].changes.value(u"default_slot_minutes").toInt(), 20);
        for (int i = 1; i <= 3; ++i) {
            QCOMPARE(entries[i].entity, QStringLiteral("provider_availability"));
            QCOMPARE(entries[i].op, OutboxOp::Insert);
            QCOMPARE(entries[i].changes.value(u"provider_id").toString(), created->id.value);
            QCOMPARE(entries[i].changes.value(u"clinic_id").toString(), clinic.value);
        }
        QCOMPARE(entries[1].changes.value(u"start_time").toString(),
                 QStringLiteral("08:00")); // input order
        QCOMPARE(entries[1].changes.value(u"room").toString(), QStringLiteral("Room 2"));
        QCOMPARE(entries[4].entity, QStringLiteral("provider_time_off"));
        QCOMPARE(entries[4].changes.value(u"start_at").toString(),
                 QStringLiteral("2026-04-01T13:00:00.000Z"));
    }

    void updateFieldsAndLists_data() { m_factory.addDialectRows(); }
    void updateFieldsAndLists()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        ProviderStore store(db, m_owner);
        auto created = store.create(house(insertUser(db, clinic, QStringLiteral("House"))));
        QVERIFY(created);
        const qint64 before = test::queuedChanges(db);
        Provider edited = *created;
        edited.specialty = QStringLiteral("Diagnostic Medicine");
        edited.availability[0].end_time = hm("12:30"); // Wednesday morning runs longer
        edited.availability.removeAt(2);               // Thursday dropped
        edited.availability << window(5, "08:00", "12:00");
        edited.time_off.clear();
        auto updated = store.update(edited);
        QVERIFY2(updated, qPrintable(updated.error().message));
        QCOMPARE(updated->specialty, QStringLiteral("Diagnostic Medicine"));
        QCOMPARE(updated->availability.size(), 3);
        QCOMPARE(updated->availability[0].id, created->availability[0].id);
        QCOMPARE(updated->availability[0].end_time, hm("12:30"));
        QCOMPARE(updated->availability[2].weekday, 5);
        QVERIFY(updated->availabilityOn(4).isEmpty());
        QVERIFY(updated->time_off.isEmpty());
        QCOMPARE(test::rowCount(db, QStringLiteral("provider_availability")), 4); // one tombstone
        if (dialect == SqlDialect::Sqlite) {
            const QList<OutboxEntry> entries = test::outboxOf(db).mid(before);
            QCOMPARE(entries.size(), 5);
            QCOMPARE(entries[0].entity, QStringLiteral("providers"));
            QCOMPARE(entries[0].op, OutboxOp::Update);
            QCOMPARE(entries[0].changes.keys(), QStringList{QStringLiteral("specialty")});
            QCOMPARE(entries[0].changes[u"specialty"].toObject()[u"old"].toString(),
                     QStringLiteral("Family Medicine"));
            QCOMPARE(entries[1].entity, QStringLiteral("provider_availability"));
            QCOMPARE(entries[1].op, OutboxOp::Update);
            QCOMPARE(entries[1].changes.keys(), QStringList{QStringLiteral("end_time")});
            QCOMPARE(entries[1].changes[u"end_time"].toObject()[u"old"].toString(),
                     QStringLiteral("12:00"));
            QCOMPARE(entries[1].changes[u"end_time"].toObject()[u"new"].toString(),
                     QStringLiteral("12:30"));
            QCOMPARE(entries[2].op, OutboxOp::Insert);
            QCOMPARE(entries[2].changes.value(u"weekday").toInt(), 5);
            QCOMPARE(entries[3].op, OutboxOp::Delete);
            QCOMPARE(entries[3].entity_id, created->availability[2].id.value);
            QCOMPARE(entries[4].entity, QStringLiteral("provider_time_off"));
            QCOMPARE(entries[4].op, OutboxOp::Delete);
            // Saving without changes writes nothing.
            QVERIFY(store.update(*updated));
            QCOMPARE(test::queuedChanges(db), before + 5);
        }
    }

    void invalidProviderWritesNothing_data()
    {
        QTest::addColumn<SqlDialect>("dialect");
        QTest::addColumn<QString>("npi");
        QTest::addColumn<QString>("expected");
        for (SqlDialect d : {SqlDialect::Sqlite, SqlDialect::Postgres}) {
            if (d == SqlDialect::Postgres && !m_factory.hasPostgres())
                continue;
            const char *n = d == SqlDialect::Sqlite ? "sqlite" : "postgres";
            QTest::addRow("%s: check digit", n) << d << "1234567890"
                                                << "npi:checksum";
            QTest::addRow("%s: nine digits", n) << d << "123456789"
                                                << "npi:format";
            QTest::addRow("%s: missing", n) << d << ""
                                            << "npi:required";
        }
    }
    void invalidProviderWritesNothing()
    {
        QFETCH(SqlDialect, dialect);
        QFETCH(QString, npi);
        QFETCH(QString, expected);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        Provider bad = house(insertUser(db, clinic, QStringLiteral("House")));
        bad.npi = npi;
        auto result = ProviderStore(db, m_owner).create(bad);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Invalid);
        QCOMPARE(test::fieldCodes(result.error()), QStringList{expected});
        QCOMPARE(counts(db), (Counts{0, 0, 0, 0}));
    }

    void listRulesAreChecked()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        const ClinicId clinic = test::insertClinic(db);
        Provider bad = house(insertUser(db, clinic, QStringLiteral("House")));
        bad.availability << window(3, "11:00", "13:30");
        bad.time_off[0].end_at = bad.time_off[0].start_at;
        bad.license_expires = todayUtc().addDays(-1);
        auto result = ProviderStore(db, m_owner).create(bad);
        QVERIFY(!result);
        const QStringList codes = test::fieldCodes(result.error());
        QVERIFY2(codes.contains(QStringLiteral("license_expires:expired")),
                 qPrintable(codes.join(u' ')));
        QVERIFY2(codes.contains(QStringLiteral("time_off[0].end_at:range")),
                 qPrintable(codes.join(u' ')));
        bool overlap = false;
        for (const FieldError &e : result.error().fields)
            overlap = overlap || (e.code == QLatin1String("overlap") &&
                                  e.field.startsWith(QLatin1String("availability[")));
        QVERIFY2(overlap, qPrintable(codes.join(u' ')));
        QCOMPARE(counts(db), (Counts{0, 0, 0, 0}));
    }

    // The provider's account must be a live user of the same clinic.
    void userMustExistInTheClinic_data()
    {
        QTest::addColumn<SqlDialect>("dialect");
        QTest::addColumn<QString>("which");
        for (SqlDialect d : {SqlDialect::Sqlite, SqlDialect::Postgres}) {
            if (d == SqlDialect::Postgres && !m_factory.hasPostgres())
                continue;
            const char *n = d == SqlDialect::Sqlite ? "sqlite" : "postgres";
            QTest::addRow("%s: absent", n) << d << "absent";
            QTest::addRow("%s: other clinic", n) << d << "other";
        }
    }
    void userMustExistInTheClinic()
    {
        QFETCH(SqlDialect, dialect);
        QFETCH(QString, which);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        const ClinicId other = test::insertClinic(db, QStringLiteral("South"));
        const UserId user = which == QLatin1String("absent")
                                ? UserId(newUuidV7())
                                : insertUser(db, other, QStringLiteral("Elsewhere"));
        Provider p = house(user);
        p.clinic_id = clinic;
        const Counts before = counts(db);
        auto result = ProviderStore(db, m_owner).create(p);
        QVERIFY(!result);
        QCOMPARE(test::fieldCodes(result.error()), QStringList{QStringLiteral("user_id:not_found")});
        QCOMPARE(counts(db), before);

        // Re-pointing a stored provider at a foreign user is refused the same way.
        p.user_id = insertUser(db, clinic, QStringLiteral("House"));
        auto created = ProviderStore(db, m_owner).create(p);
        QVERIFY2(created, qPrintable(created.error().message));
        Provider edited = *created;
        edited.user_id = user;
        const Counts stored = counts(db);
        auto refused = ProviderStore(db, m_owner).update(edited);
        QVERIFY(!refused);
        QCOMPARE(test::fieldCodes(refused.error()), QStringList{QStringLiteral("user_id:not_found")});
        QCOMPARE(counts(db), stored);
    }

    // Rules only the database sees (unique NPI per clinic, one provider per user) fail the whole
    // write; tombstones do not count.
    void duplicatesRollBackEverything_data() { m_factory.addDialectRows(); }
    void duplicatesRollBackEverything()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        ProviderStore store(db, m_owner);
        const UserId houseUser = insertUser(db, clinic, QStringLiteral("House"));
        auto first = store.create(house(houseUser));
        QVERIFY(first);
        const Counts before = counts(db);

        auto sameNpi = store.create(house(insertUser(db, clinic, QStringLiteral("Wilson"))));
        QVERIFY(!sameNpi);
        QCOMPARE(test::fieldCodes(sameNpi.error()), QStringList{QStringLiteral("npi:duplicate")});
        QCOMPARE(counts(db), before);

        Provider sameUser = house(houseUser);
        sameUser.npi = QStringLiteral("1245319599");
        auto second = store.create(sameUser);
        QVERIFY(!second);
        QCOMPARE(test::fieldCodes(second.error()), QStringList{QStringLiteral("user_id:duplicate")});
        QCOMPARE(counts(db), before);

        // After removal the NPI and the user may be used again.
        QVERIFY(store.remove(first->id));
        auto again = store.create(house(houseUser));
        QVERIFY2(again, qPrintable(again.error().message));
    }

    void removeTombstonesEverything_data() { m_factory.addDialectRows(); }
    void removeTombstonesEverything()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        ProviderStore store(db, m_owner);
        auto created = store.create(house(insertUser(db, clinic, QStringLiteral("House"))));
        QVERIFY(created);
        const qint64 before = test::queuedChanges(db);
        QVERIFY(store.remove(created->id));
        QCOMPARE(store.get(created->id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.update(*created).error().code, ErrorCode::NotFound);
        QCOMPARE(store.remove(created->id).error().code, ErrorCode::NotFound);
        QVERIFY(store.list()->isEmpty());
        QCOMPARE(counts(db).providers, 1); // tombstones, not deleted rows
        QCOMPARE(counts(db).availability, 3);
        auto live =
            RecordTable(db, u"provider_availability").select(QStringLiteral("deleted_at IS NULL"));
        QVERIFY(live && live->isEmpty());
        if (dialect == SqlDialect::Sqlite) {
            const QList<OutboxEntry> entries = test::outboxOf(db).mid(before);
            QCOMPARE(entries.size(), 5);
            for (const OutboxEntry &e : entries)
                QCOMPARE(e.op, OutboxOp::Delete);
            QCOMPARE(entries.last().entity, QStringLiteral("providers"));
            QVERIFY(entries.last().changes.contains(u"deleted_at"));
        }
    }

    void listAndScope_data() { m_factory.addDialectRows(); }
    void listAndScope()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        const ClinicId other = test::insertClinic(db, QStringLiteral("South"));
        ProviderStore store(db, m_owner);
        Provider wilson =
            house(insertUser(db, clinic, QStringLiteral("wilson"), QStringLiteral("James")));
        wilson.npi = QStringLiteral("1245319599");
        wilson.clinic_id = clinic;
        Provider cuddy =
            house(insertUser(db, clinic, QStringLiteral("Cuddy"), QStringLiteral("Lisa")));
        cuddy.npi = QStringLiteral("1679576722");
        cuddy.availability.clear();
        cuddy.clinic_id = clinic;
        Provider abroad = house(insertUser(db, other, QStringLiteral("Adams")));
        abroad.clinic_id = other;
        auto w = store.create(wilson);
        auto c = store.create(cuddy);
        auto a = store.create(abroad);
        QVERIFY2(w && c && a,
                 qPrintable(w.error().message + c.error().message + a.error().message));
        QStringList order;
        const auto listed = store.list();
        QVERIFY(listed);
        for (const Provider &p : *listed)
            order << p.id.value;
        QCOMPARE(order, (QStringList{a->id.value, c->id.value, w->id.value}));

        const Principal staff{
            Principal::Kind::Person, UserId(newUuidV7()), clinic, Role::Staff, {}};
        ProviderStore scoped(db, staff);
        auto mine = scoped.list();
        QVERIFY(mine);
        QCOMPARE(mine->size(), 2);
        QCOMPARE(mine->first().id, c->id);
        QCOMPARE(mine->last().availability.size(), 3); // lists come along
        QCOMPARE(scoped.get(a->id).error().code, ErrorCode::NotFound);
        // Staff never manage providers; an admin does not find another clinic's.
        QCOMPARE(scoped.remove(a->id).error().code, ErrorCode::NotPermitted);
        const Principal admin{
            Principal::Kind::Person, UserId(newUuidV7()), clinic, Role::Admin, {}};
        QCOMPARE(ProviderStore(db, admin).remove(a->id).error().code, ErrorCode::NotFound);
        QVERIFY(store.get(a->id));
    }
};

QTEST_GUILESS_MAIN(TestProviderStore)
#include "tst_providerstore.moc"
