#include "clock.h"
#include "outbox.h"
#include "patientcodec.h"
#include "patientstore.h"
#include "remoteapply.h"
#include "testsupport.h"
#include "transaction.h"

#include <QJsonArray>
#include <QTest>

using namespace tmdash;

namespace {

Patient ada()
{
    Patient p;
    p.given_name = QStringLiteral("Ada");
    p.family_name = QStringLiteral("Lovelace");
    p.birth_date = QDate(1985, 12, 10);
    p.sex = Sex::Female;
    p.phone = QStringLiteral("(555) 201-3344");
    p.email = QStringLiteral("ada@example.org");
    p.country = QStringLiteral("US");
    PatientAllergy penicillin;
    penicillin.substance = QStringLiteral("penicillin");
    penicillin.category = AllergyCategory::Medication;
    penicillin.criticality = AllergyCriticality::High;
    penicillin.status = AllergyStatus::Active;
    p.allergies << penicillin;
    PatientEmergencyContact contact{RowId(), QStringLiteral("Byron Lovelace"), QStringLiteral("parent"),
                                    QStringLiteral("+15552019988"), {}};
    p.emergency_contacts << contact;
    return p;
}

// A record's columns with its bookkeeping, for comparing what create returned with what get reads.
template <class Record>
Row withMeta(const Record &record)
{
    Row row = toRow(record);
    putMeta(row, record.meta);
    return row;
}

template <class Item>
QList<Row> rowsOf(const QList<Item> &items)
{
    QList<Row> rows;
    for (const Item &item : items)
        rows << withMeta(item);
    return rows;
}

} // namespace

class TestPatientStore : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("patientstore")};
    const Principal m_owner = Principal::owner();

private Q_SLOTS:
    void createAndGetRoundTrip_data() { m_factory.addDialectRows(); }
    void createAndGetRoundTrip()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        PatientStore store(db, m_owner);
        Patient given = ada();
        given.insurance << PatientInsurance{RowId(), QStringLiteral("Acme Health"),
                                            QStringLiteral("M-1001"), QString(),
                                            QDate(2024, 1, 1), std::nullopt, true, {}};
        given.conditions << PatientCondition{RowId(), QStringLiteral("J45.909"),
                                             QStringLiteral("Asthma"), QDate(2001, 5, 1),
                                             ConditionStatus::Active, {}};
        auto created = store.create(given);
        QVERIFY2(created, qPrintable(created.error().message));
        QVERIFY(isUuid(created->id.value));
        QCOMPARE(created->clinic_id, clinic);
        QVERIFY(!created->mrn.isEmpty());
        QCOMPARE(created->phone, QStringLiteral("+15552013344")); // stored in E.164
        QCOMPARE(created->allergies.size(), 1);
        QCOMPARE(created->allergies.first().substance, QStringLiteral("penicillin"));
        QCOMPARE(created->emergency_contacts.size(), 1);
        auto got = store.get(created->id);
        QVERIFY(got);
        QCOMPARE(withMeta(*got), withMeta(*created));
        QCOMPARE(got->meta.version, dialect == SqlDialect::Postgres ? 1 : 0);
        // Every owned list as stored, ids and bookkeeping included.
        QCOMPARE(created->insurance.size(), 1);
        QCOMPARE(created->conditions.size(), 1);
        QCOMPARE(rowsOf(got->emergency_contacts), rowsOf(created->emergency_contacts));
        QCOMPARE(rowsOf(got->insurance), rowsOf(created->insurance));
        QCOMPARE(rowsOf(got->allergies), rowsOf(created->allergies));
        QCOMPARE(rowsOf(got->conditions), rowsOf(created->conditions));
        QVERIFY(isUuid(created->conditions.first().id.value));
        QVERIFY(!created->conditions.first().meta.created_at.isNull());
    }

    // Pages of list(limit, offset) cover every patient once, in order (an offset was once
    // written where SQLite refuses it).
    void listPagesThroughEveryPatient_data() { m_factory.addDialectRows(); }
    void listPagesThroughEveryPatient()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        PatientStore store(db, m_owner);
        for (int i = 0; i < 7; ++i) {
            Patient p = ada();
            p.family_name = QStringLiteral("Page%1").arg(i);
            p.phone.clear();
            p.email.clear();
            QVERIFY(store.create(p));
        }
        const QList<Patient> all = store.list().value();
        QCOMPARE(all.size(), 7);
        QList<Patient> paged;
        for (int offset = 0; offset < 9; offset += 3)
            paged << store.list(3, offset).value();
        QCOMPARE(paged.size(), 7);
        for (int i = 0; i < 7; ++i)
            QCOMPARE(paged.at(i).id, all.at(i).id);
        QCOMPARE(store.list(-1, 5).value().size(), 2);
    }

    void outboxHoldsOneInsertPerRecord()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        test::insertClinic(db);
        auto created = PatientStore(db, m_owner).create(ada());
        QVERIFY(created);
        const QList<OutboxEntry> entries = test::outboxOf(db);
        QCOMPARE(entries.size(), 3); // patient, contact, allergy
        QCOMPARE(entries[0].entity, QStringLiteral("patients"));
        QCOMPARE(entries[0].op, OutboxOp::Insert);
        QCOMPARE(entries[0].entity_id, created->id.value);
        QCOMPARE(entries[0].changes.value(u"family_name").toString(), QStringLiteral("Lovelace"));
        QCOMPARE(entries[0].changes.value(u"mrn").toString(), created->mrn);
        QCOMPARE(entries[0].protocol, kSyncProtocolVersion);
        QVERIFY(isUuid(entries[0].mutation_id));
        QCOMPARE(entries[1].entity, QStringLiteral("patient_emergency_contacts"));
        QCOMPARE(entries[2].entity, QStringLiteral("patient_allergies"));
        QCOMPARE(entries[2].changes.value(u"patient_id").toString(), created->id.value);
    }

    void postgresWritesNoOutbox()
    {
        if (!m_factory.hasPostgres())
            QSKIP("TMDASH_TEST_PG not set");
        Database db = m_factory.create(SqlDialect::Postgres);
        test::insertClinic(db);
        QVERIFY(PatientStore(db, m_owner).create(ada()));
        QVERIFY(!db.connection().tables().contains(QStringLiteral("outbox")));
    }

    void updateRecordsOldAndNewPerField()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        test::insertClinic(db);
        PatientStore store(db, m_owner);
        auto created = store.create(ada());
        QVERIFY(created);
        Patient edited = *created;
        edited.family_name = QStringLiteral("King");
        edited.allergies.clear(); // retracted -> tombstone
        PatientCondition asthma{RowId(), QStringLiteral("J45.909"), QStringLiteral("Asthma"), std::nullopt,
                                ConditionStatus::Active, {}};
        edited.conditions << asthma;
        const qsizetype before = test::outboxOf(db).size();
        auto updated = store.update(edited);
        QVERIFY2(updated, qPrintable(updated.error().message));
        QCOMPARE(updated->family_name, QStringLiteral("King"));
        QCOMPARE(updated->allergies.size(), 0);
        QCOMPARE(updated->conditions.size(), 1);
        const QList<OutboxEntry> entries = test::outboxOf(db).mid(before);
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries[0].op, OutboxOp::Update);
        QCOMPARE(entries[0].changes.keys(), QStringList{QStringLiteral("family_name")});
        QCOMPARE(entries[0].changes[u"family_name"].toObject()[u"old"].toString(), QStringLiteral("Lovelace"));
        QCOMPARE(entries[0].changes[u"family_name"].toObject()[u"new"].toString(), QStringLiteral("King"));
        QCOMPARE(entries[1].entity, QStringLiteral("patient_allergies"));
        QCOMPARE(entries[1].op, OutboxOp::Delete);
        QCOMPARE(entries[2].entity, QStringLiteral("patient_conditions"));
        QCOMPARE(entries[2].op, OutboxOp::Insert);
        // An unchanged save writes nothing.
        QVERIFY(store.update(*updated));
        QCOMPARE(test::outboxOf(db).size(), before + 3);
    }

    void invalidPatientWritesNothing_data() { m_factory.addDialectRows(); }
    void invalidPatientWritesNothing()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        Patient bad = ada();
        bad.given_name.clear();
        bad.birth_date = todayUtc().addDays(1);
        bad.allergies[0].substance.clear();
        auto result = PatientStore(db, m_owner).create(bad);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Invalid);
        QStringList fields;
        for (const FieldError &e : result.error().fields)
            fields << e.field;
        QVERIFY(fields.contains(QStringLiteral("given_name")));
        QVERIFY(fields.contains(QStringLiteral("birth_date")));
        QVERIFY(fields.contains(QStringLiteral("allergies[0].substance")));
        QCOMPARE(test::rowCount(db, QStringLiteral("patients")), 0);
        QCOMPARE(test::rowCount(db, QStringLiteral("patient_allergies")), 0);
        if (dialect == SqlDialect::Sqlite)
            QCOMPARE(test::rowCount(db, QStringLiteral("outbox")), 0);
    }

    // A rule only the database sees (unique MRN) fails the whole write: no patient, no list
    // rows, no outbox rows.
    void duplicateMrnRollsBackEverything_data() { m_factory.addDialectRows(); }
    void duplicateMrnRollsBackEverything()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        PatientStore store(db, m_owner);
        Patient first = ada();
        first.mrn = QStringLiteral("MRN-1");
        QVERIFY(store.create(first));
        const qint64 patients = test::rowCount(db, QStringLiteral("patients"));
        const qint64 allergies = test::rowCount(db, QStringLiteral("patient_allergies"));
        const qint64 queued = dialect == SqlDialect::Sqlite ? test::rowCount(db, QStringLiteral("outbox")) : 0;
        Patient second = ada();
        second.given_name = QStringLiteral("Augusta");
        second.mrn = QStringLiteral("MRN-1");
        auto result = store.create(second);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Invalid);
        QCOMPARE(result.error().fields.first().field, QStringLiteral("mrn"));
        QCOMPARE(result.error().fields.first().code, QStringLiteral("duplicate"));
        QCOMPARE(test::rowCount(db, QStringLiteral("patients")), patients);
        QCOMPARE(test::rowCount(db, QStringLiteral("patient_allergies")), allergies);
        if (dialect == SqlDialect::Sqlite)
            QCOMPARE(test::rowCount(db, QStringLiteral("outbox")), queued);
    }

    void tombstonesAreIgnored_data() { m_factory.addDialectRows(); }
    void tombstonesAreIgnored()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        PatientStore store(db, m_owner);
        Patient first = ada();
        first.mrn = QStringLiteral("MRN-7");
        auto created = store.create(first);
        QVERIFY(created);
        QVERIFY(store.remove(created->id));
        QCOMPARE(store.get(created->id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.search(QStringLiteral("Lovelace"))->size(), 0);
        QCOMPARE(test::rowCount(db, QStringLiteral("patients")), 1); // tombstone, not deleted
        QVERIFY(store.create(first)); // the MRN of a tombstone can be used again
    }

    void mrnsAreAssignedUniquely()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        test::insertClinic(db);
        PatientStore store(db, m_owner);
        QSet<QString> mrns;
        for (int i = 0; i < 5; ++i) {
            Patient p = ada();
            p.given_name = QStringLiteral("Ada%1").arg(QChar(u'a' + i));
            auto created = store.create(p);
            QVERIFY(created);
            mrns.insert(created->mrn);
            QVERIFY(created->mrn.contains(QLatin1Char('-')));
        }
        QCOMPARE(mrns.size(), 5);
    }

    void search_data()
    {
        QTest::addColumn<SqlDialect>("dialect");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        for (SqlDialect d : {SqlDialect::Sqlite, SqlDialect::Postgres}) {
            if (d == SqlDialect::Postgres && !m_factory.hasPostgres())
                continue;
            const char *n = d == SqlDialect::Sqlite ? "sqlite" : "postgres";
            QTest::addRow("%s: family prefix", n) << d << "lov" << QStringList{QStringLiteral("Lovelace")};
            QTest::addRow("%s: given prefix", n) << d << "gra" << QStringList{QStringLiteral("Hopper")};
            QTest::addRow("%s: two words", n) << d << "ada lov" << QStringList{QStringLiteral("Lovelace")};
            QTest::addRow("%s: mrn", n) << d << "T-000002" << QStringList{QStringLiteral("Hopper")};
            QTest::addRow("%s: phone digits", n) << d << "5552013344" << QStringList{QStringLiteral("Lovelace")};
            QTest::addRow("%s: birth date", n) << d << "1906-12-09" << QStringList{QStringLiteral("Hopper")};
            QTest::addRow("%s: no match", n) << d << "zzz" << QStringList{};
            QTest::addRow("%s: quoting is data", n) << d << "\"'; DROP TABLE patients;--" << QStringList{};
        }
    }
    void search()
    {
        QFETCH(SqlDialect, dialect);
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        PatientStore store(db, m_owner);
        Patient a = ada();
        a.mrn = QStringLiteral("T-000001");
        QVERIFY(store.create(a));
        Patient g;
        g.given_name = QStringLiteral("Grace");
        g.family_name = QStringLiteral("Hopper");
        g.birth_date = QDate(1906, 12, 9);
        g.sex = Sex::Female;
        g.mrn = QStringLiteral("T-000002");
        QVERIFY(store.create(g));
        auto found = store.search(text);
        QVERIFY2(found, qPrintable(found.error().message));
        QStringList names;
        for (const Patient &p : *found)
            names << p.family_name;
        QCOMPARE(names, expected);
        QCOMPARE(test::rowCount(db, QStringLiteral("patients")), 2);
    }

    // The desktop's search index is written when the outermost transaction commits (a
    // savepoint per create would flush it every time). Inside the transaction a search still
    // finds what was written; what a savepoint or the whole transaction rolled back is never
    // found; an update and a delete reach the index too.
    void searchIndexFollowsTheTransaction()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        test::insertClinic(db);
        PatientStore store(db, m_owner);
        auto names = [&](const QString &text) {
            QStringList out;
            auto found = store.search(text);
            if (!found)
                qFatal("search failed: %s", qPrintable(found.error().message));
            for (const Patient &p : *found)
                out << p.family_name;
            return out;
        };
        auto named = [](const QString &family) {
            Patient p = ada();
            p.family_name = family;
            return p;
        };
        auto indexRows = [&] { return test::rowCount(db, QStringLiteral("patient_search")); };
        {
            Transaction outer(db);
            QVERIFY(outer.started().ok());
            auto kept = store.create(named(QStringLiteral("Keptwell")));
            QVERIFY(kept);
            {
                Transaction inner(db);
                QVERIFY(inner.started().ok());
                QVERIFY(store.create(named(QStringLiteral("Undone"))));
                QCOMPARE(names(QStringLiteral("undo")), QStringList{QStringLiteral("Undone")});
            } // rolled back
            QCOMPARE(names(QStringLiteral("keptw")), QStringList{QStringLiteral("Keptwell")});
            QCOMPARE(names(QStringLiteral("undo")), QStringList{});
            QVERIFY(store.create(named(QStringLiteral("Latecomer"))));
            QVERIFY(outer.commit().ok());
        }
        QCOMPARE(indexRows(), 2);
        QCOMPARE(names(QStringLiteral("late")), QStringList{QStringLiteral("Latecomer")});
        QCOMPARE(names(QStringLiteral("undo")), QStringList{});
        {
            Transaction dropped(db);
            QVERIFY(dropped.started().ok());
            QVERIFY(store.create(named(QStringLiteral("Neverwas"))));
        } // the whole transaction rolled back
        QVERIFY(store.create(named(QStringLiteral("Afterwards"))));
        QCOMPARE(names(QStringLiteral("never")), QStringList{});
        QCOMPARE(indexRows(), 3);

        auto late = store.search(QStringLiteral("latecomer"));
        QVERIFY(late && late->size() == 1);
        Patient renamed = late->first();
        renamed.family_name = QStringLiteral("Renamed");
        QVERIFY(store.update(renamed));
        QCOMPARE(names(QStringLiteral("late")), QStringList{});
        QCOMPARE(names(QStringLiteral("renam")), QStringList{QStringLiteral("Renamed")});
        QVERIFY(store.remove(renamed.id));
        QCOMPARE(names(QStringLiteral("renam")), QStringList{});
        QCOMPARE(indexRows(), 2);
    }

    void possibleDuplicates_data() { m_factory.addDialectRows(); }
    void possibleDuplicates()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        PatientStore store(db, m_owner);
        QVERIFY(store.create(ada()));
        Patient sameNameAndBirth = ada();
        sameNameAndBirth.phone.clear();
        QCOMPARE(store.possibleDuplicates(sameNameAndBirth)->size(), 1);
        Patient samePhone;
        samePhone.given_name = QStringLiteral("Someone");
        samePhone.family_name = QStringLiteral("Else");
        samePhone.birth_date = QDate(2000, 1, 1);
        samePhone.phone = QStringLiteral("+1 555 201 3344");
        QCOMPARE(store.possibleDuplicates(samePhone)->size(), 1);
        Patient other = samePhone;
        other.phone = QStringLiteral("+15559990000");
        QCOMPARE(store.possibleDuplicates(other)->size(), 0);
    }

    void outsideTheCallersClinicIsNotFound_data() { m_factory.addDialectRows(); }
    void outsideTheCallersClinicIsNotFound()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        const ClinicId other = test::insertClinic(db, QStringLiteral("South"));
        Patient p = ada();
        auto created = PatientStore(db, m_owner).create([&] { Patient x = p; x.clinic_id = other; return x; }());
        QVERIFY(created);
        Principal nurse{Principal::Kind::Person,
                        UserId(newUuidV7()),
                        test::insertClinic(db, QStringLiteral("West")),
                        Role::Staff,
                        {}};
        PatientStore store(db, nurse);
        QCOMPARE(store.get(created->id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.search(QStringLiteral("Lovelace"))->size(), 0);
    }

    // The apply-remote path is the desktop's (the central numbers versions itself).
    void applyRemoteOnlyTakesNewerVersions()
    {
        const SqlDialect dialect = SqlDialect::Sqlite;
        Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        Patient remote = ada();
        remote.id = newId<PatientId>();
        remote.clinic_id = clinic;
        remote.mrn = QStringLiteral("C-000042");
        remote.phone = QStringLiteral("+15552013344");
        remote.meta.created_at = remote.meta.updated_at = nowUtc();
        remote.meta.version = 3;
        Row row = toRow(remote);
        const qint64 queued = dialect == SqlDialect::Sqlite ? test::rowCount(db, QStringLiteral("outbox")) : 0;
        {
            Transaction tx(db);
            RemoteApplier applier(db);
            QVERIFY(applier.begin());
            QCOMPARE(applier.apply(u"patients", row).value(), true);
            row.insert(QStringLiteral("family_name"), QStringLiteral("Older"));
            row.insert(QStringLiteral("version"), 2);
            QCOMPARE(applier.apply(u"patients", row).value(), false);
            row.insert(QStringLiteral("family_name"), QStringLiteral("Newer"));
            row.insert(QStringLiteral("version"), 4);
            QCOMPARE(applier.apply(u"patients", row).value(), true);
            QVERIFY(applier.end());
            QVERIFY(tx.commit());
        }
        PatientStore store(db, m_owner);
        QCOMPARE(store.get(remote.id)->family_name, QStringLiteral("Newer"));
        if (dialect == SqlDialect::Sqlite) {
            QCOMPARE(test::rowCount(db, QStringLiteral("outbox")), queued);
            QCOMPARE(store.get(remote.id)->meta.version, 4);
            QCOMPARE(store.search(QStringLiteral("newer"))->size(), 1); // search index follows
        }
    }

    // Names and notes full of SQL and quoting are stored and read back byte for byte.
    void hostileTextRoundTrips_data() { m_factory.addDialectRows(); }
    void hostileTextRoundTrips()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        Patient p = ada();
        p.family_name = QStringLiteral("O'Brien'; DROP TABLE patients;--");
        p.given_name = QStringLiteral("Zoë \\ 🙂 שלום");
        const QString start = QStringLiteral("\"quoted\" \\ back'slash");
        p.notes = start + QString(10000 - start.size(), QLatin1Char('x'));
        PatientStore store(db, m_owner);
        auto created = store.create(p);
        QVERIFY2(created, qPrintable(created.error().message));
        auto got = store.get(created->id);
        QCOMPARE(got->family_name, p.family_name);
        QCOMPARE(got->given_name, p.given_name);
        QCOMPARE(got->notes, p.notes);
    }
};

QTEST_GUILESS_MAIN(TestPatientStore)
#include "tst_patientstore.moc"
