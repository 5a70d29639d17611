#include "auditlog.h"
#include "clinicroles.h"
#include "clock.h"
#include "database.h"
#include "ids.h"
#include "livestate.h"
#include "outbox.h"
#include "patientlookup.h"
#include "principal.h"
#include "recordtable.h"
#include "syncstate.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace tmdash;

// The organization-wide patient lookup: tmdash_patient_lookup on a real central (migration
// step 5) and its Redis cache (sync/patientlookup.h). A desktop of North looks up patients of
// South; every name, birth date and mrn is made for this run, so parallel runs on the shared
// Redis never touch each other's cache or index keys.

namespace {

const QString kDeadRedis = QStringLiteral("redis://127.0.0.1:1");
const QString kRolePassword = QStringLiteral("correct-horse-battery-staple");

QVariant scalar(const Database &db, const QString &statement, const QVariantMap &binds = {})
{
    QSqlQuery q(db.connection());
    q.prepare(statement);
    for (auto it = binds.cbegin(); it != binds.cend(); ++it)
        q.bindValue(QLatin1Char(':') + it.key(), it.value());
    if (!q.exec() || !q.next())
        qFatal("%s failed: %s", qPrintable(statement), qPrintable(q.lastError().text()));
    return q.value(0);
}

void copyRow(const Database &from, const Database &to, QStringView table, const QString &id)
{
    auto row = RecordTable(from, table).get(id);
    if (!row)
        qFatal("reading %s failed: %s", qPrintable(table.toString()),
               qPrintable(row.error().message));
    if (Status s = RecordTable(to, table).insert(*row); !s)
        qFatal("copying %s failed: %s", qPrintable(table.toString()),
               qPrintable(s.error().message));
}

// A name nobody else uses: letters only (names are matched by trigrams).
QString uniqueName(const QString &prefix)
{
    QString out = prefix;
    for (int i = 0; i < 8; ++i)
        out += QChar(u'a' + QRandomGenerator::global()->bounded(26));
    return out;
}

QDate uniqueBirthDate()
{
    return QDate(1930, 1, 1).addDays(QRandomGenerator::global()->bounded(30000));
}

} // namespace

class TestPatientLookup : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("patientlookup")};
    QTemporaryDir m_config;
    QString m_redis;
    Database m_central;
    QString m_centralUrl;
    Database m_desktop;
    QString m_desktopUrl;
    ClinicId m_north;
    ClinicId m_south;
    test::TestUser m_staff;   // of North, on the desktop and the central
    test::TestUser m_patient; // patient role of North
    QStringList m_roles;
    QList<Database> m_extra;

    struct Person
    {
        PatientId id;
        QString given;
        QString family;
        QDate birthDate;
        QString mrn;
    };

    Person insertPatient(const Database &db, const ClinicId &clinic, const QString &givenPrefix)
    {
        Person p{PatientId(newUuidV7()), uniqueName(givenPrefix), uniqueName(QStringLiteral("Fam")),
                 uniqueBirthDate(), QStringLiteral("S-") + newUuidV7().right(12)};
        const QString when = formatInstant(nowUtc());
        const Row row{{QStringLiteral("id"), p.id.value},
                      {QStringLiteral("clinic_id"), clinic.value},
                      {QStringLiteral("mrn"), p.mrn},
                      {QStringLiteral("given_name"), p.given},
                      {QStringLiteral("family_name"), p.family},
                      {QStringLiteral("birth_date"), formatDate(p.birthDate)},
                      {QStringLiteral("sex"), QStringLiteral("female")},
                      {QStringLiteral("phone"), QStringLiteral("+15551234567")},
                      {QStringLiteral("notes"), QStringLiteral("private clinical note")},
                      {QStringLiteral("created_at"), when},
                      {QStringLiteral("updated_at"), when}};
        if (Status s = RecordTable(db, u"patients").insert(row); !s)
            qFatal("inserting a patient failed: %s", qPrintable(s.error().message));
        return p;
    }

    PatientLookup lookup(const QString &redis = {}, const QString &central = {}) const
    {
        return PatientLookup(central.isEmpty() ? m_centralUrl : central,
                             redis.isEmpty() ? m_redis : redis, m_desktop, m_staff.principal);
    }

    LookupCounters counters() const
    {
        auto c = lookupCounters(m_desktop);
        if (!c)
            qFatal("reading the counters failed: %s", qPrintable(c.error().message));
        return *c;
    }

    qint64 centralAudits(const QString &chain) const
    {
        return scalar(m_central,
                      QStringLiteral("SELECT count(*) FROM audit_log WHERE device_id = :d AND "
                                     "action = 'patient_lookup'"),
                      {{QStringLiteral("d"), chain}})
            .toLongLong();
    }

    QString northChain() const { return QStringLiteral("central:") + m_north.value; }

    test::CtlRun ctl(const QString &email, const QStringList &args,
                     const QMap<QString, QString> &env = {})
    {
        QMap<QString, QString> e = env;
        e.insert(QStringLiteral("TMDASH_CONFIG_DIR"), m_config.path());
        if (!e.contains(QStringLiteral("TMDASH_REDIS")))
            e.insert(QStringLiteral("TMDASH_REDIS"), m_redis);
        QStringList all{QStringLiteral("--db"), m_desktopUrl, QStringLiteral("--json")};
        if (!email.isEmpty())
            all << QStringLiteral("--as") << email;
        return test::runCtl(all + args, {}, e);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        m_redis = test::requireRedisUrl();
        if (m_redis.isEmpty())
            QSKIP("TMDASH_TEST_REDIS not set");
        if (test::requirePostgresUrl().isEmpty())
            QSKIP("TMDASH_TEST_PG not set");
        m_central = m_factory.create(SqlDialect::Postgres);
        m_centralUrl = m_factory.lastUrl();
        m_desktop = m_factory.create(SqlDialect::Sqlite);
        m_desktopUrl = m_factory.lastUrl();

        // North's desktop and the central share the clinic and the staff member.
        m_north = test::insertClinic(m_desktop, QStringLiteral("North"));
        copyRow(m_desktop, m_central, u"clinics", m_north.value);
        m_south = test::insertClinic(m_central, QStringLiteral("South"));
        QVERIFY(setSyncStateValue(m_desktop, QString::fromLatin1(kStateClinic), m_north.value));
        m_staff =
            test::insertUser(m_desktop, m_north, Role::Staff, QStringLiteral("sam@north.example"));
        copyRow(m_desktop, m_central, u"users", m_staff.id.value);
        m_patient = test::insertUser(m_desktop, m_north, Role::Patient,
                                     QStringLiteral("pat@north.example"));
    }

    void cleanupTestCase()
    {
        for (Database &db : m_extra)
            db.close();
        for (const QString &role : std::as_const(m_roles)) {
            QSqlQuery q(m_central.connection());
            if (!q.exec(QStringLiteral("DROP OWNED BY %1").arg(role)) ||
                !q.exec(QStringLiteral("DROP ROLE %1").arg(role)))
                qWarning("could not drop role %s: %s", qPrintable(role),
                         qPrintable(q.lastError().text()));
        }
    }

    // Found across clinics, with the summary and nothing else; audited in the asking clinic's
    // central chain, which still verifies.
    void findsAnotherClinicsPatientWithTheSummaryOnly()
    {
        const Person ada = insertPatient(m_central, m_south, QStringLiteral("Ada"));
        insertPatient(m_central, m_south, QStringLiteral("Other")); // same clinic, not matching
        const qint64 audited = centralAudits(northChain());

        // Case and spacing do not matter; "family given" order matches too.
        auto found = lookup().lookup(QStringLiteral("  ") + ada.family.toUpper() +
                                         QStringLiteral("   ") + ada.given,
                                     ada.birthDate);
        QVERIFY2(found, qPrintable(found.error().message));
        QCOMPARE(found->matches.size(), 1);
        const PatientSummary &m = found->matches.first();
        QCOMPARE(m.patient_id, ada.id);
        QCOMPARE(m.given_name, ada.given);
        QCOMPARE(m.family_name, ada.family);
        QCOMPARE(m.birth_date, ada.birthDate);
        QCOMPARE(m.clinic_id, m_south);
        QCOMPARE(m.clinic_name, QStringLiteral("South"));
        QCOMPARE(m.mrn, ada.mrn);
        QVERIFY(found->redisError.isEmpty());

        // The function itself returns these seven columns and no more.
        QSqlQuery q(m_central.connection());
        QVERIFY(q.prepare(QStringLiteral("SELECT * FROM tmdash_patient_lookup(NULL, NULL, :mrn)")));
        q.bindValue(QStringLiteral(":mrn"), ada.mrn);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        QStringList columns;
        for (int i = 0; i < q.record().count(); ++i)
            columns << q.record().fieldName(i);
        QCOMPARE(columns, (QStringList{QStringLiteral("patient_id"), QStringLiteral("given_name"),
                                       QStringLiteral("family_name"), QStringLiteral("birth_date"),
                                       QStringLiteral("clinic_id"), QStringLiteral("clinic_name"),
                                       QStringLiteral("mrn")}));

        // A wrong birth date or a different name finds nobody; a typo still finds Ada.
        QVERIFY(lookup()
                    .lookup(ada.given + QLatin1Char(' ') + ada.family, ada.birthDate.addDays(1))
                    ->matches.isEmpty());
        QVERIFY(
            lookup().lookup(uniqueName(QStringLiteral("Zed")), ada.birthDate)->matches.isEmpty());
        QCOMPARE(lookup()
                     .lookup(ada.given + QLatin1Char(' ') + ada.family.chopped(1), ada.birthDate)
                     ->matches.size(),
                 1);
        auto byMrn = lookup().lookup(QStringLiteral(" ") + ada.mrn + QStringLiteral(" "));
        QVERIFY2(byMrn, qPrintable(byMrn.error().message));
        QCOMPARE(byMrn->matches.size(), 1);
        QCOMPARE(byMrn->matches.first().patient_id, ada.id);

        // Audited: one entry per lookup that reached the central, in North's chain, with the
        // actor and the patients shown but not what was asked.
        QCOMPARE(centralAudits(northChain()), audited + 5);
        QSqlQuery a(m_central.connection());
        QVERIFY(a.prepare(QStringLiteral(
            "SELECT actor_id::text, role, entity, clinic_id::text, fields::text FROM audit_log "
            "WHERE device_id = :d ORDER BY seq DESC LIMIT 1")));
        a.bindValue(QStringLiteral(":d"), northChain());
        QVERIFY(a.exec() && a.next());
        QCOMPARE(a.value(0).toString(), m_staff.id.value);
        QCOMPARE(a.value(1).toString(), QStringLiteral("staff"));
        QCOMPARE(a.value(2).toString(), QStringLiteral("patients"));
        QCOMPARE(a.value(3).toString(), m_north.value);
        const QJsonObject fields = QJsonDocument::fromJson(a.value(4).toString().toUtf8()).object();
        QCOMPARE(fields[u"by"].toString(), QStringLiteral("mrn"));
        QCOMPARE(fields[u"matches"].toInt(), 1);
        QCOMPARE(fields[u"patient_ids"].toArray(), QJsonArray{ada.id.value});
        QVERIFY(!a.value(4).toString().contains(ada.mrn));

        // The chain the SQL function extends is the one appendAudit writes: both verify.
        AuditEvent edit;
        edit.action = QStringLiteral("update");
        edit.entity = QStringLiteral("patients");
        edit.entity_id = ada.id.value;
        edit.clinic_id = m_north;
        QVERIFY(appendAudit(m_central, m_staff.principal, edit));
        QVERIFY2(lookup(kDeadRedis).lookup(ada.mrn), "after an entry written by appendAudit");
        QCOMPARE(centralAudits(northChain()), audited + 6);
        auto verified = verifyAuditLog(m_central);
        QVERIFY2(verified, qPrintable(verified.error().message));
        QVERIFY(verified->checked >= 7);
        QVERIFY2(verified->breaks.isEmpty(), qPrintable(verified->breaks.value(0).message));
    }

    void secondLookupIsACacheHitUntilInvalidated()
    {
        const Person bea = insertPatient(m_central, m_south, QStringLiteral("Bea"));
        const QString name = bea.given + QLatin1Char(' ') + bea.family;
        const LookupCounters before = counters();
        const qint64 audited = centralAudits(northChain());

        auto first = lookup().lookup(name, bea.birthDate);
        QVERIFY2(first, qPrintable(first.error().message));
        QVERIFY(!first->fromCache);
        QCOMPARE(first->matches.size(), 1);
        QCOMPARE(counters().misses, before.misses + 1);
        QCOMPARE(counters().hits, before.hits);

        auto second = lookup().lookup(name.toLower(), bea.birthDate);
        QVERIFY2(second, qPrintable(second.error().message));
        QVERIFY(second->fromCache);
        QCOMPARE(second->matches.size(), 1);
        QCOMPARE(second->matches.first().toJson(), first->matches.first().toJson());
        QCOMPARE(counters().hits, before.hits + 1);
        QCOMPARE(counters().misses, before.misses + 1);
        // The central never saw the second one; the desktop audited it.
        QCOMPARE(centralAudits(northChain()), audited + 1);
        auto local = listAudit(m_desktop, Principal::owner(), AuditFilter{});
        QVERIFY(local);
        QVERIFY(!local->isEmpty());
        QCOMPARE(local->first().action, QStringLiteral("patient_lookup"));
        QCOMPARE(local->first().actor_id, m_staff.id);
        QCOMPARE(local->first().fields[u"cached"].toBool(), true);
        QCOMPARE(local->first().fields[u"patient_ids"].toArray(), QJsonArray{bea.id.value});

        // The same for an mrn lookup.
        QVERIFY(!lookup().lookup(bea.mrn)->fromCache);
        QVERIFY(lookup().lookup(bea.mrn)->fromCache);
        QCOMPARE(centralAudits(northChain()), audited + 2);

        // A push that changed Bea drops the answers holding her: the next lookups ask the
        // central again (and for a while their answers are not cached: the push may have raced
        // them).
        QVERIFY(invalidateLookups(m_redis, {bea.id.value}));
        auto third = lookup().lookup(name, bea.birthDate);
        QVERIFY2(third, qPrintable(third.error().message));
        QVERIFY(!third->fromCache);
        QCOMPARE(third->matches.size(), 1);
        QVERIFY(!lookup().lookup(bea.mrn)->fromCache);
        QCOMPARE(counters().misses, before.misses + 4);
        QCOMPARE(centralAudits(northChain()), audited + 4);
    }

    // "Not found" must not outlive a registration: a new patient is in no cached answer, so the
    // push invalidates by the birth dates and mrns of what it pushed.
    void registeringInvalidatesNotFound()
    {
        Person cy{PatientId(),
                  uniqueName(QStringLiteral("Cy")),
                  uniqueName(QStringLiteral("Fam")),
                  uniqueBirthDate(),
                  {}};
        const QString name = cy.given + QLatin1Char(' ') + cy.family;
        QVERIFY(lookup().lookup(name, cy.birthDate)->matches.isEmpty());
        QVERIFY(lookup().lookup(name, cy.birthDate)->fromCache); // "not found" is cached

        // North registers Cy (on this desktop, then pushed to the central).
        const QString when = formatInstant(nowUtc());
        cy.id = PatientId(newUuidV7());
        const Row row{
            {QStringLiteral("id"), cy.id.value},
            {QStringLiteral("clinic_id"), m_north.value},
            {QStringLiteral("mrn"), QString(QStringLiteral("N-") + cy.id.value.right(12))},
            {QStringLiteral("given_name"), cy.given},
            {QStringLiteral("family_name"), cy.family},
            {QStringLiteral("birth_date"), formatDate(cy.birthDate)},
            {QStringLiteral("sex"), QStringLiteral("male")},
            {QStringLiteral("created_at"), when},
            {QStringLiteral("updated_at"), when}};
        QVERIFY(RecordTable(m_desktop, u"patients").insert(row));
        QVERIFY(RecordTable(m_central, u"patients").insert(row));
        QVERIFY(lookup().lookup(name, cy.birthDate)->fromCache); // stale until invalidated

        QVERIFY(invalidateLookups(m_redis, m_desktop, {cy.id.value}));
        auto fresh = lookup().lookup(name, cy.birthDate);
        QVERIFY2(fresh, qPrintable(fresh.error().message));
        QVERIFY(!fresh->fromCache);
        QCOMPARE(fresh->matches.size(), 1);
        QCOMPARE(fresh->matches.first().patient_id, cy.id);
        QCOMPARE(fresh->matches.first().clinic_name, QStringLiteral("North"));
    }

    void redisDownFallsBackToTheCentral()
    {
        const Person di = insertPatient(m_central, m_south, QStringLiteral("Di"));
        const LookupCounters before = counters();
        const qint64 audited = centralAudits(northChain());
        for (int i = 0; i < 2; ++i) {
            auto found =
                lookup(kDeadRedis).lookup(di.given + QLatin1Char(' ') + di.family, di.birthDate);
            QVERIFY2(found, qPrintable(found.error().message));
            QVERIFY(!found->fromCache);
            QVERIFY(found->redisError.contains(QLatin1String("127.0.0.1:1")));
            QCOMPARE(found->matches.size(), 1);
            QCOMPARE(found->matches.first().patient_id, di.id);
        }
        QCOMPARE(counters().misses, before.misses + 2);
        QCOMPARE(counters().hits, before.hits);
        QCOMPARE(centralAudits(northChain()), audited + 2);
        const Status invalidated = invalidateLookups(kDeadRedis, {di.id.value});
        QVERIFY(!invalidated);
        QCOMPARE(invalidated.error().code, ErrorCode::Storage);
    }

    void centralDownIsAStorageError()
    {
        QUrl dead(m_centralUrl);
        dead.setPort(1);
        auto found = lookup(m_redis, dead.toString())
                         .lookup(QStringLiteral("Nobody Atall"), QDate(1990, 1, 1));
        QVERIFY(!found);
        QCOMPARE(found.error().code, ErrorCode::Storage);
        QVERIFY2(found.error().message.contains(QLatin1String("central is unreachable")),
                 qPrintable(found.error().message));

        const test::CtlRun run =
            ctl(QStringLiteral("sam@north.example"),
                {QStringLiteral("patient"), QStringLiteral("lookup"), QStringLiteral("--mrn"),
                 QStringLiteral("X-1"), QStringLiteral("--central"), dead.toString()});
        QCOMPARE(run.exitCode, 5);
        QVERIFY(run.err.contains("central is unreachable"));
    }

    void invalidInputAndRefusals()
    {
        auto tooShort = lookup().lookup(QStringLiteral(" a "), QDate(1990, 1, 1));
        QVERIFY(!tooShort);
        QCOMPARE(test::fieldCodes(tooShort.error()), QStringList{QStringLiteral("name:required")});
        auto noDate = lookup().lookup(QStringLiteral("Ada Lovelace"), QDate());
        QCOMPARE(test::fieldCodes(noDate.error()),
                 QStringList{QStringLiteral("birth_date:required")});
        QCOMPARE(test::fieldCodes(lookup().lookup(QStringLiteral("  ")).error()),
                 QStringList{QStringLiteral("mrn:required")});

        const PatientLookup asPatient(m_centralUrl, m_redis, m_desktop, m_patient.principal);
        auto refused = asPatient.lookup(QStringLiteral("M-1"));
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::NotPermitted);

        const QStringList byMrn{QStringLiteral("patient"),   QStringLiteral("lookup"),
                                QStringLiteral("--mrn"),     QStringLiteral("M-1"),
                                QStringLiteral("--central"), m_centralUrl};
        QCOMPARE(ctl(QStringLiteral("pat@north.example"), byMrn).exitCode, 4);
        QCOMPARE(ctl(QStringLiteral("sam@north.example"),
                     {QStringLiteral("patient"), QStringLiteral("lookup"), QStringLiteral("--mrn"),
                      QStringLiteral("M-1"), QStringLiteral("--name"), QStringLiteral("Ada")})
                     .exitCode,
                 64);
        QCOMPARE(ctl(QStringLiteral("sam@north.example"),
                     {QStringLiteral("patient"), QStringLiteral("lookup"), QStringLiteral("--name"),
                      QStringLiteral("Ada L"), QStringLiteral("--birth-date"),
                      QStringLiteral("1990-13-01"), QStringLiteral("--central"), m_centralUrl})
                     .exitCode,
                 2);
    }

    // What a desktop really uses: its clinic's database role, held to row-level security.
    void clinicRoleConnectionCanLookUp()
    {
        const Person eve = insertPatient(m_central, m_south, QStringLiteral("Eve"));
        const QString login = QStringLiteral("tmdash_patientlookup_") + newUuidV7().right(12);
        m_roles << login;
        auto role = createClinicRole(m_central, Principal::owner(), m_north, login, kRolePassword);
        QVERIFY2(role, qPrintable(role ? QString() : role.error().message));
        QUrl url(m_centralUrl);
        url.setUserName(login);
        url.setPassword(kRolePassword);

        auto opened = Database::open(url.toString(), QStringLiteral("patientlookup-role"));
        QVERIFY2(opened, qPrintable(opened.error().message));
        m_extra << *opened;
        const Database asRole = *opened;
        // The role cannot read South's patients itself ...
        QCOMPARE(
            scalar(asRole,
                   QStringLiteral("SELECT count(*) FROM patients WHERE id = CAST(:id AS uuid)"),
                   {{QStringLiteral("id"), eve.id.value}})
                .toInt(),
            0);
        // ... nor name another clinic's chain ...
        QSqlQuery other(asRole.connection());
        QVERIFY(other.prepare(QStringLiteral(
            "SELECT * FROM tmdash_patient_lookup(NULL, NULL, :mrn, NULL, CAST(:c AS uuid))")));
        other.bindValue(QStringLiteral(":mrn"), eve.mrn);
        other.bindValue(QStringLiteral(":c"), m_south.value);
        QVERIFY(!other.exec());
        QVERIFY2(other.lastError().text().contains(QLatin1String("another clinic")),
                 qPrintable(other.lastError().text()));

        // ... but its lookup finds her, and is audited in North's chain.
        const qint64 audited = centralAudits(northChain());
        auto found = lookup(m_redis, url.toString())
                         .lookup(eve.given + QLatin1Char(' ') + eve.family, eve.birthDate);
        QVERIFY2(found, qPrintable(found.error().message));
        QCOMPARE(found->matches.size(), 1);
        QCOMPARE(found->matches.first().patient_id, eve.id);
        QCOMPARE(found->matches.first().clinic_name, QStringLiteral("South"));
        QCOMPARE(centralAudits(northChain()), audited + 1);
        auto verified = verifyAuditLog(m_central);
        QVERIFY(verified);
        QVERIFY(verified->breaks.isEmpty());
    }

    void ctlLookupAndSyncStatus()
    {
        const Person fay = insertPatient(m_central, m_south, QStringLiteral("Fay"));
        const QStringList args{
            QStringLiteral("patient"),      QStringLiteral("lookup"),
            QStringLiteral("--name"),       fay.given + QLatin1Char(' ') + fay.family,
            QStringLiteral("--birth-date"), formatDate(fay.birthDate)};
        const QMap<QString, QString> env{{QStringLiteral("TMDASH_CENTRAL"), m_centralUrl}};
        const test::CtlRun first = ctl(QStringLiteral("sam@north.example"), args, env);
        QCOMPARE(first.exitCode, 0);
        const QJsonArray matches = first.json().array();
        QCOMPARE(matches.size(), 1);
        const QJsonObject m = matches.first().toObject();
        QCOMPARE(m.keys(), (QStringList{QStringLiteral("birth_date"), QStringLiteral("clinic_id"),
                                        QStringLiteral("clinic_name"),
                                        QStringLiteral("family_name"), QStringLiteral("given_name"),
                                        QStringLiteral("mrn"), QStringLiteral("patient_id")}));
        QCOMPARE(m[u"patient_id"].toString(), fay.id.value);
        QCOMPARE(m[u"clinic_name"].toString(), QStringLiteral("South"));

        const LookupCounters before = counters();
        QCOMPARE(ctl(QStringLiteral("sam@north.example"), args, env).exitCode, 0);
        const test::CtlRun status =
            ctl(QString(), {QStringLiteral("sync"), QStringLiteral("status")});
        QCOMPARE(status.exitCode, 0);
        QCOMPARE(status.json()[u"lookup_cache_hits"].toInteger(), before.hits + 1);
        QCOMPARE(status.json()[u"lookup_cache_misses"].toInteger(), before.misses);
        const test::CtlRun text = test::runCtl({QStringLiteral("--db"), m_desktopUrl,
                                                QStringLiteral("sync"), QStringLiteral("status")});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains(
                     QByteArray(QByteArray::number(before.hits + 1) + " answered from the cache")),
                 text.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestPatientLookup)
#include "tst_patientlookup.moc"
