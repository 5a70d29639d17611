#include "auditlog.h"
#include "chartstore.h"
#include "patientstore.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace tmdash;

namespace {

const QByteArray kPassword = "violet-harbour-lantern-42";
const QString kAdmin = QStringLiteral("admin@north.example");

void exec(const Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql))
        qFatal("%s failed: %s", qPrintable(sql), qPrintable(q.lastError().text()));
}

Patient patientNamed(const QString &given)
{
    Patient p;
    p.given_name = given;
    p.family_name = QStringLiteral("Lovelace");
    p.birth_date = QDate(1985, 12, 10);
    p.sex = Sex::Female;
    PatientAllergy penicillin;
    penicillin.substance = QStringLiteral("penicillin");
    p.allergies << penicillin;
    return p;
}

// A bootstrapped clinic (its admin made by the bootstrap verb), a provider, two patients the
// provider registered and one chart the provider opened.
struct Fixture
{
    Database db;
    ClinicId clinic;
    test::TestProvider grace;
    PatientId ada;
    PatientId charles;
};

} // namespace

class TestCtlAudit : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("ctlaudit")};

    test::CtlRun ctl(const QStringList &args, bool json = false, const QString &as = {})
    {
        QStringList all{QStringLiteral("--db"), m_factory.lastUrl()};
        if (!as.isEmpty())
            all << QStringLiteral("--as") << as;
        if (json)
            all << QStringLiteral("--json");
        return test::runCtl(all + QStringList{QStringLiteral("audit")} + args, {},
                            {{QStringLiteral("TMDASH_PASSWORD"), QString::fromUtf8(kPassword)}});
    }

    Fixture setUp(SqlDialect dialect)
    {
        Fixture f;
        f.db = m_factory.create(dialect);
        const auto boot = test::runCtl(
            {QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("bootstrap"),
             QStringLiteral("--clinic-name"), QStringLiteral("North Clinic"),
             QStringLiteral("--timezone"), QStringLiteral("America/New_York"),
             QStringLiteral("--admin-email"), kAdmin, QStringLiteral("--password-stdin")},
            kPassword + '\n');
        if (boot.exitCode != 0)
            qFatal("bootstrap failed: %s", boot.err.constData());
        auto clinics = RecordTable(f.db, u"clinics").select({});
        if (!clinics || clinics->size() != 1)
            qFatal("no clinic after bootstrap");
        f.clinic = ClinicId(clinics->first().value(u"id").toString());
        f.grace = test::insertProvider(f.db, f.clinic);
        auto ada =
            PatientStore(f.db, f.grace.principal).create(patientNamed(QStringLiteral("Ada")));
        auto charles =
            PatientStore(f.db, f.grace.principal).create(patientNamed(QStringLiteral("Charles")));
        if (!ada || !charles)
            qFatal("creating patients failed");
        f.ada = ada->id;
        f.charles = charles->id;
        if (!ChartStore(f.db, f.grace.principal).load(f.ada))
            qFatal("opening the chart failed");
        return f;
    }

private Q_SLOTS:
    void help()
    {
        const auto run = test::runCtl({QStringLiteral("audit"), QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("audit verify"));
        QVERIFY(run.out.contains("--patient ID"));
        QVERIFY(test::runCtl({QStringLiteral("--help")}).out.contains("audit"));
    }

    void verifyCleanThenTampered_data() { m_factory.addDialectRows(); }
    void verifyCleanThenTampered()
    {
        QFETCH(SqlDialect, dialect);
        const Fixture f = setUp(dialect);
        const qint64 total = test::rowCount(f.db, QStringLiteral("audit_log"));
        QVERIFY(total >= 7); // clinic, admin, 2 x (patient + allergy), chart

        const auto clean = ctl({QStringLiteral("verify")});
        QCOMPARE(clean.exitCode, 0);
        QVERIFY2(
            clean.out.contains(QByteArray(QByteArray::number(total) + " audit entries checked")),
            clean.out.constData());
        const auto cleanJson = ctl({QStringLiteral("verify")}, true);
        QCOMPARE(cleanJson.exitCode, 0);
        QCOMPARE(cleanJson.json()[u"checked"].toInteger(), total);
        QVERIFY(cleanJson.json()[u"breaks"].toArray().isEmpty());

        // Run by the database's owner only; no stray arguments.
        QCOMPARE(ctl({QStringLiteral("verify")}, false, kAdmin).exitCode, 4);
        QCOMPARE(ctl({QStringLiteral("verify"), QStringLiteral("now")}).exitCode, 64);
        QCOMPARE(ctl({QStringLiteral("verify"), QStringLiteral("--fast")}).exitCode, 64);

        // Tamper with one entry in the middle of the chain: in the SQLite file, after dropping
        // the triggers as someone holding the file can; on PostgreSQL, with the trigger switched
        // off by the table's owner.
        auto rows = RecordTable(f.db, u"audit_log").select({}, {}, QStringLiteral("seq"));
        QVERIFY(rows.ok());
        const AuditEntry victim = auditEntryFromRow(rows->at(3));
        if (f.db.isSqlite()) {
            exec(f.db, QStringLiteral("DROP TRIGGER audit_log_no_update"));
        } else {
            exec(f.db,
                 QStringLiteral("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"));
        }
        QSqlQuery q(f.db.connection());
        QVERIFY(q.prepare(
            QStringLiteral("UPDATE audit_log SET at = :at, fields = :fields WHERE id = :id")));
        q.bindValue(QStringLiteral(":at"), QStringLiteral("2020-02-02T02:02:02.000Z"));
        q.bindValue(QStringLiteral(":fields"), QStringLiteral(R"({"changed":["mrn"]})"));
        q.bindValue(QStringLiteral(":id"), victim.id);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        QCOMPARE(q.numRowsAffected(), 1);
        if (!f.db.isSqlite())
            exec(f.db,
                 QStringLiteral("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"));

        const auto broken = ctl({QStringLiteral("verify")});
        QCOMPARE(broken.exitCode, 7);
        QVERIFY2(broken.out.contains(victim.id.toUtf8()), broken.out.constData());
        QVERIFY(broken.out.contains(QByteArray("seq " + QByteArray::number(victim.seq))));
        QVERIFY(broken.out.contains(victim.device_id.toUtf8()));
        QVERIFY(!broken.err.isEmpty());
        const auto brokenJson = ctl({QStringLiteral("verify")}, true);
        QCOMPARE(brokenJson.exitCode, 7);
        const QJsonArray breaks = brokenJson.json()[u"breaks"].toArray();
        QCOMPARE(breaks.size(), 1);
        QCOMPARE(breaks.at(0)[u"id"].toString(), victim.id);
        QCOMPARE(breaks.at(0)[u"seq"].toInteger(), victim.seq);
        QCOMPARE(breaks.at(0)[u"device_id"].toString(), victim.device_id);
        QCOMPARE(breaks.at(0)[u"reason"].toString(), QStringLiteral("hash"));
    }

    void listFilters_data() { m_factory.addDialectRows(); }
    void listFilters()
    {
        QFETCH(SqlDialect, dialect);
        const Fixture f = setUp(dialect);

        const auto ada =
            ctl({QStringLiteral("list"), QStringLiteral("--patient"), f.ada.value}, true, kAdmin);
        QVERIFY2(ada.exitCode == 0, ada.err.constData());
        const QJsonArray adaEntries = ada.json().array();
        QCOMPARE(adaEntries.size(), 3); // the patient, the allergy, the chart
        for (const QJsonValue &e : adaEntries)
            QVERIFY(e[u"entity_id"].toString() == f.ada.value ||
                    e[u"fields"][u"patient_id"].toString() == f.ada.value);
        QCOMPARE(adaEntries.at(0)[u"action"].toString(), QStringLiteral("open_chart"));
        QCOMPARE(adaEntries.at(0)[u"actor_id"].toString(), f.grace.user.value);
        QCOMPARE(adaEntries.at(0)[u"role"].toString(), QStringLiteral("provider"));
        QVERIFY(!adaEntries.at(0)[u"hash"].toString().isEmpty());

        const auto charles = ctl(
            {QStringLiteral("list"), QStringLiteral("--patient"), f.charles.value}, true, kAdmin);
        QCOMPARE(charles.exitCode, 0);
        QCOMPARE(charles.json().array().size(), 2);

        const auto graces = ctl({QStringLiteral("list"), QStringLiteral("--actor"),
                                 QStringLiteral("grace@example.org")},
                                true, kAdmin);
        QCOMPARE(graces.exitCode, 0);
        QCOMPARE(graces.json().array().size(), 5);

        const auto all = ctl({QStringLiteral("list")}, true, kAdmin);
        QCOMPARE(all.exitCode, 0);
        QCOMPARE(all.json().array().size(),
                 qsizetype(test::rowCount(f.db, QStringLiteral("audit_log"))));
        const auto limited = ctl(
            {QStringLiteral("list"), QStringLiteral("--limit"), QStringLiteral("2")}, true, kAdmin);
        QCOMPARE(limited.json().array().size(), 2);
        const auto future = ctl({QStringLiteral("list"), QStringLiteral("--since"),
                                 QStringLiteral("2999-01-01T00:00:00+02:00")},
                                true, kAdmin);
        QCOMPARE(future.exitCode, 0);
        QCOMPARE(future.json().array().size(), 0);

        // The table for people names the actor by email.
        const auto table =
            ctl({QStringLiteral("list"), QStringLiteral("--patient"), f.ada.value}, false, kAdmin);
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.contains("open_chart"), table.out.constData());
        QVERIFY(table.out.contains("grace@example.org"));
        QVERIFY(!table.out.contains("penicillin"));
        QCOMPARE(table.out.count('\n'), 4); // header and three entries

        // Bad options.
        const auto badSince =
            ctl({QStringLiteral("list"), QStringLiteral("--since"), QStringLiteral("yesterday"),
                 QStringLiteral("--limit"), QStringLiteral("0")},
                true, kAdmin);
        QCOMPARE(badSince.exitCode, 2);
        QCOMPARE(test::fieldsOf(badSince),
                 (QStringList{QStringLiteral("limit:range"), QStringLiteral("since:format")}));
        QCOMPARE(ctl({QStringLiteral("list"), QStringLiteral("--patient"), QStringLiteral("x")},
                     true, kAdmin)
                     .exitCode,
                 2);
        QCOMPARE(ctl({QStringLiteral("list"), QStringLiteral("--actor"),
                      QStringLiteral("nobody@example.org")},
                     true, kAdmin)
                     .exitCode,
                 3);
        QCOMPARE(ctl({QStringLiteral("list"), QStringLiteral("--bogus")}, true, kAdmin).exitCode,
                 64);
        QCOMPARE(ctl({QStringLiteral("nonsense")}).exitCode, 64);

        // Acts as a user; only roles that may read the audit log.
        QCOMPARE(ctl({QStringLiteral("list")}).exitCode, 4);
        QCOMPARE(ctl({QStringLiteral("list")}, true, QStringLiteral("grace@example.org")).exitCode,
                 4);
    }
};

QTEST_GUILESS_MAIN(TestCtlAudit)
#include "tst_ctlaudit.moc"
