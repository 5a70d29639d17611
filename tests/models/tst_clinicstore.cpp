#include "cliniccodec.h"
#include "clinicstore.h"
#include "clock.h"
#include "outbox.h"
#include "recordwriter.h"
#include "testsupport.h"

#include <QJsonObject>
#include <QTest>

using namespace tmdash;

namespace {

QTime hm(const char *text)
{
    return QTime::fromString(QString::fromLatin1(text), QStringLiteral("HH:mm"));
}

Clinic north()
{
    Clinic c;
    c.name = QStringLiteral("North Clinic");
    c.timezone = QStringLiteral("America/New_York");
    c.phone = QStringLiteral("(555) 201-0000");
    c.address_line = QStringLiteral("1 Main Street");
    c.city = QStringLiteral("Springfield");
    c.region = QStringLiteral("NY");
    c.postal_code = QStringLiteral("10001");
    c.country = QStringLiteral("us");
    c.setWeekdayHours(hm("08:00"), hm("17:00"));
    c.setHoursOn(6, DayHours::between(hm("09:00"), hm("12:30")));
    return c;
}



} // namespace

class TestClinicStore : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("clinicstore")};
    const Principal m_owner = Principal::owner();

private Q_SLOTS:
    void businessHoursJson()
    {
        const Clinic c = north();
        const QJsonObject json = businessHoursToJson(c.business_hours);
        QCOMPARE(json.keys(),
                 (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                              QStringLiteral("4"), QStringLiteral("5"), QStringLiteral("6")}));
        QCOMPARE(json[u"6"].toObject()[u"open"].toString(), QStringLiteral("09:00"));
        QCOMPARE(json[u"6"].toObject()[u"close"].toString(), QStringLiteral("12:30"));
        QVERIFY(businessHoursFromJson(json) == c.business_hours);
        // A half-set day is not stored; unreadable stored times leave the day closed.
        std::array<DayHours, 7> half{};
        half[0].open = hm("08:00");
        QVERIFY(businessHoursToJson(half).isEmpty());
        const QJsonObject bad{
            {QStringLiteral("2"), QJsonObject{{QStringLiteral("open"), QStringLiteral("8am")},
                                              {QStringLiteral("close"), QStringLiteral("17:00")}}}};
        QVERIFY(businessHoursFromJson(bad)[1].isClosed());
    }

    void createAndGetRoundTrip_data() { m_factory.addDialectRows(); }
    void createAndGetRoundTrip()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        ClinicStore store(db, m_owner);
        auto created = store.create(north());
        QVERIFY2(created, qPrintable(created.error().message));
        QVERIFY(isUuid(created->id.value));
        QCOMPARE(created->phone, QStringLiteral("+15552010000")); // stored in E.164
        QCOMPARE(created->country, QStringLiteral("US"));
        QVERIFY(created->business_hours == north().business_hours);
        QVERIFY(created->hoursOn(7).isClosed());
        QCOMPARE(created->hoursOn(6).close, hm("12:30"));
        auto got = store.get(created->id);
        QVERIFY(got);
        QCOMPARE(toRow(*got), toRow(*created));
        QCOMPARE(got->meta.version, dialect == SqlDialect::Postgres ? 1 : 0);
        // The row is its own partition, and closed days are absent from the stored JSON.
        auto raw = RecordTable(db, u"clinics").get(created->id.value);
        QVERIFY(raw);
        QCOMPARE(raw->value(u"clinic_id").toString(), created->id.value);
        const QJsonObject hours = raw->value(u"business_hours").toObject();
        QVERIFY(hours.contains(u"1") && hours.contains(u"6") && !hours.contains(u"7"));
        QCOMPARE(hours[u"1"].toObject()[u"open"].toString(), QStringLiteral("08:00"));
    }

    void updateSettingsAndHours_data() { m_factory.addDialectRows(); }
    void updateSettingsAndHours()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        ClinicStore store(db, m_owner);
        auto created = store.create(north());
        QVERIFY(created);
        Clinic edited = *created;
        edited.name = QStringLiteral("North Family Clinic");
        edited.timezone = QStringLiteral("Europe/Berlin");
        edited.setHoursOn(6, DayHours::closed());
        edited.setHoursOn(3, DayHours::between(hm("07:30"), hm("19:00")));
        auto updated = store.update(edited);
        QVERIFY2(updated, qPrintable(updated.error().message));
        auto got = store.get(created->id);
        QVERIFY(got);
        QCOMPARE(got->name, QStringLiteral("North Family Clinic"));
        QCOMPARE(got->timezone, QStringLiteral("Europe/Berlin"));
        QVERIFY(got->hoursOn(6).isClosed());
        QCOMPARE(got->hoursOn(3).open, hm("07:30"));
        QCOMPARE(got->hoursOn(3).close, hm("19:00"));
        QCOMPARE(got->hoursOn(1).open, hm("08:00"));
        QCOMPARE(got->meta.version, dialect == SqlDialect::Postgres ? 2 : 0);
    }

    void outboxRowsForCreateAndUpdate()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        ClinicStore store(db, m_owner);
        auto created = store.create(north());
        QVERIFY(created);
        QList<OutboxEntry> entries = test::outboxOf(db);
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries[0].entity, QStringLiteral("clinics"));
        QCOMPARE(entries[0].op, OutboxOp::Insert);
        QCOMPARE(entries[0].entity_id, created->id.value);
        QCOMPARE(entries[0].changes.value(u"clinic_id").toString(), created->id.value);
        QCOMPARE(entries[0].changes.value(u"name").toString(), QStringLiteral("North Clinic"));
        QCOMPARE(entries[0].changes.value(u"business_hours").toObject(),
                 businessHoursToJson(north().business_hours));

        Clinic edited = *created;
        edited.city = QStringLiteral("Shelbyville");
        edited.setHoursOn(6, DayHours::closed());
        QVERIFY(store.update(edited));
        entries = test::outboxOf(db);
        QCOMPARE(entries.size(), 2);
        const OutboxEntry &u = entries[1];
        QCOMPARE(u.op, OutboxOp::Update);
        QCOMPARE(u.base_version, 0);
        QStringList keys = u.changes.keys();
        keys.sort();
        QCOMPARE(keys, (QStringList{QStringLiteral("business_hours"), QStringLiteral("city")}));
        QCOMPARE(u.changes[u"city"].toObject()[u"old"].toString(), QStringLiteral("Springfield"));
        QCOMPARE(u.changes[u"city"].toObject()[u"new"].toString(), QStringLiteral("Shelbyville"));
        QVERIFY(u.changes[u"business_hours"].toObject()[u"old"].toObject().contains(u"6"));
        QVERIFY(!u.changes[u"business_hours"].toObject()[u"new"].toObject().contains(u"6"));
        // Saving unchanged settings writes nothing.
        QVERIFY(store.update(*store.get(created->id)));
        QCOMPARE(test::outboxOf(db).size(), 2);
    }

    void invalidClinicWritesNothing_data() { m_factory.addDialectRows(); }
    void invalidClinicWritesNothing()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        ClinicStore store(db, m_owner);
        Clinic bad = north();
        bad.name = QStringLiteral("   ");
        bad.timezone = QStringLiteral("Mars/Olympus_Mons");
        bad.setHoursOn(3, DayHours::between(hm("17:00"), hm("08:00")));
        auto result = store.create(bad);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Invalid);
        const QStringList codes = test::fieldCodes(result.error());
        QVERIFY2(codes.contains(QStringLiteral("name:required")), qPrintable(codes.join(u' ')));
        QVERIFY2(codes.contains(QStringLiteral("timezone:unknown")), qPrintable(codes.join(u' ')));
        QVERIFY2(codes.contains(QStringLiteral("business_hours.wednesday:range")),
                 qPrintable(codes.join(u' ')));
        QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 0);
        if (dialect == SqlDialect::Sqlite)
            QCOMPARE(test::rowCount(db, QStringLiteral("outbox")), 0);

        // A refused update leaves the stored clinic and the outbox as they were.
        auto created = store.create(north());
        QVERIFY(created);
        const qint64 queued =
            dialect == SqlDialect::Sqlite ? test::rowCount(db, QStringLiteral("outbox")) : 0;
        Clinic edited = *created;
        edited.setHoursOn(2, DayHours{hm("08:00"), std::nullopt});
        auto refused = store.update(edited);
        QVERIFY(!refused);
        QCOMPARE(test::fieldCodes(refused.error()),
                 QStringList{QStringLiteral("business_hours.tuesday:required")});
        QCOMPARE(store.get(created->id)->hoursOn(2).close, hm("17:00"));
        if (dialect == SqlDialect::Sqlite)
            QCOMPARE(test::rowCount(db, QStringLiteral("outbox")), queued);
    }

    void onlyTheOwnerCreatesClinics()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        const ClinicId home = test::insertClinic(db);
        const Principal admin{Principal::Kind::Person, UserId(newUuidV7()), home, Role::Admin, {}};
        auto result = ClinicStore(db, admin).create(north());
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::NotPermitted);
        QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 1);
        QCOMPARE(test::rowCount(db, QStringLiteral("outbox")), 0);
    }

    void listAndScope_data() { m_factory.addDialectRows(); }
    void listAndScope()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        ClinicStore store(db, m_owner);
        Clinic south = north();
        south.name = QStringLiteral("south clinic");
        Clinic east = north();
        east.name = QStringLiteral("East Clinic");
        auto s = store.create(south);
        auto e = store.create(east);
        auto n = store.create(north());
        QVERIFY(s && e && n);
        auto all = store.list();
        QVERIFY(all);
        QStringList names;
        for (const Clinic &c : *all)
            names << c.name;
        QCOMPARE(names, (QStringList{QStringLiteral("East Clinic"), QStringLiteral("North Clinic"),
                                     QStringLiteral("south clinic")}));

        const Principal staff{Principal::Kind::Person, UserId(newUuidV7()), s->id, Role::Staff, {}};
        ClinicStore scoped(db, staff);
        QCOMPARE(scoped.list()->size(), 1);
        QCOMPARE(scoped.list()->first().id, s->id);
        QVERIFY(scoped.get(s->id));
        QCOMPARE(scoped.get(e->id).error().code, ErrorCode::NotFound);
        Clinic foreign = *e;
        foreign.name = QStringLiteral("Taken over");
        // Staff never change clinic settings; an admin of another clinic does not find this one.
        QCOMPARE(scoped.update(foreign).error().code, ErrorCode::NotPermitted);
        const Principal admin{Principal::Kind::Person, UserId(newUuidV7()), s->id, Role::Admin, {}};
        QCOMPARE(ClinicStore(db, admin).update(foreign).error().code, ErrorCode::NotFound);
        QCOMPARE(store.get(e->id)->name, QStringLiteral("East Clinic"));

        // A tombstoned clinic is gone for every reader.
        {
            auto raw = RecordTable(db, u"clinics").get(e->id.value);
            QVERIFY(raw);
            QVERIFY(RecordWriter(db, m_owner).tombstone(*tableSpec(u"clinics"), *raw));
        }
        QCOMPARE(store.get(e->id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.list()->size(), 2);
        QCOMPARE(store.get(ClinicId(newUuidV7())).error().code, ErrorCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestClinicStore)
#include "tst_clinicstore.moc"
