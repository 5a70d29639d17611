#include "database.h"
#include "migrator.h"
#include "testsupport.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace tmdash;

namespace {

QStringList catalogue(const Database &db)
{
    QSqlQuery q(db.connection());
    const QString sql = db.isSqlite()
        ? QStringLiteral("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master "
                         "WHERE name <> 'schema_migrations' ORDER BY type, name")
        : QStringLiteral(
              "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || "
              "is_nullable || ' ' || coalesce(column_default, '') FROM information_schema.columns "
              "WHERE table_schema = 'public' AND table_name <> 'schema_migrations' "
              "UNION ALL SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes "
              "WHERE schemaname = 'public' AND tablename <> 'schema_migrations' "
              "UNION ALL SELECT 'constraint ' || conrelid::regclass::text || ' ' || "
              "pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
              "AND conrelid::regclass::text <> 'schema_migrations' "
              "UNION ALL SELECT 'trigger ' || tgname || ' ' || pg_get_triggerdef(oid) FROM pg_trigger "
              "WHERE NOT tgisinternal "
              "UNION ALL SELECT 'function ' || proname || ' ' || md5(prosrc) FROM pg_proc "
              "WHERE pronamespace = 'public'::regnamespace "
              "UNION ALL SELECT 'extension ' || extname FROM pg_extension ORDER BY 1");
    QStringList out;
    if (!q.exec(sql))
        qFatal("catalogue query failed: %s", qPrintable(q.lastError().text()));
    while (q.next())
        out << q.value(0).toString();
    return out;
}

bool exec(const Database &db, const QString &sql, QString *error = nullptr)
{
    QSqlQuery q(db.connection());
    const bool ok = q.exec(sql);
    if (!ok && error)
        *error = q.lastError().text();
    return ok;
}

qint64 count(const Database &db, const QString &table)
{
    QSqlQuery q(db.connection());
    if (!q.exec(QStringLiteral("SELECT count(*) FROM ") + table) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

const QString clinicId = QStringLiteral("01900000-0000-7000-8000-000000000001");
const QString ts = QStringLiteral("2026-01-05T10:00:00.000Z");

QString insertClinic()
{
    return QStringLiteral("INSERT INTO clinics (id, clinic_id, name, timezone, created_at, updated_at) "
                          "VALUES ('%1', '%1', 'North', 'Europe/Berlin', '%2', '%2')")
        .arg(clinicId, ts);
}

} // namespace

class TestMigrator : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("migrator")};

private Q_SLOTS:
    void upDownUpGivesTheSameCatalogue_data() { m_factory.addDialectRows(); }
    void upDownUpGivesTheSameCatalogue()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect, false);
        Migrator migrator(db.connectionName(), dialect);
        QVERIFY(migrator.latestVersion() >= 1);
        QCOMPARE(migrator.currentVersion(), 0);
        QVERIFY2(migrator.up().ok(), qPrintable(migrator.up().message));
        QCOMPARE(migrator.currentVersion(), migrator.latestVersion());
        const QStringList first = catalogue(db);
        QVERIFY(first.size() > 50);
        const auto down = migrator.down(0);
        QVERIFY2(down.ok(), qPrintable(down.message));
        QCOMPARE(migrator.currentVersion(), 0);
        QVERIFY(!db.connection().tables().contains(QStringLiteral("patients")));
        QVERIFY(migrator.up().ok());
        QCOMPARE(catalogue(db), first);
    }

    void stepByStepWithTo_data() { m_factory.addDialectRows(); }
    void stepByStepWithTo()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect, false);
        Migrator migrator(db.connectionName(), dialect);
        QVERIFY(migrator.up(1).ok());
        QCOMPARE(migrator.currentVersion(), 1);
        QCOMPARE(migrator.applied().size(), 1);
        QCOMPARE(migrator.applied().first().checksum, Migrator::steps(dialect).first().checksum);
        QVERIFY(!migrator.up(migrator.latestVersion() + 1).ok());
    }

    void changedChecksumIsRefused_data() { m_factory.addDialectRows(); }
    void changedChecksumIsRefused()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        QVERIFY(exec(db, QStringLiteral("UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 1")));
        Migrator migrator(db.connectionName(), dialect);
        QCOMPARE(migrator.check().kind, Migrator::Outcome::Incompatible);
        QVERIFY(migrator.check().message.contains(QLatin1String("changed")));
        QCOMPARE(migrator.down(0, true).kind, Migrator::Outcome::Incompatible);
        QVERIFY(db.connection().tables().contains(QStringLiteral("patients")));
        QCOMPARE(db.requireCurrentSchema().error().code, ErrorCode::Incompatible);
    }

    void newerSchemaIsRefused_data() { m_factory.addDialectRows(); }
    void newerSchemaIsRefused()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        QVERIFY(exec(db, QStringLiteral("INSERT INTO schema_migrations (version, name, checksum, applied_at) "
                                        "VALUES (9999, 'future', 'x', 'now')")));
        Migrator migrator(db.connectionName(), dialect);
        const auto outcome = migrator.up();
        QCOMPARE(outcome.kind, Migrator::Outcome::Incompatible);
        QVERIFY(outcome.message.contains(QLatin1String("newer")));
        QCOMPARE(db.requireCurrentSchema().error().code, ErrorCode::Incompatible);
    }

    void downThatDropsDataNeedsForce_data() { m_factory.addDialectRows(); }
    void downThatDropsDataNeedsForce()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        QVERIFY(exec(db, insertClinic()));
        Migrator migrator(db.connectionName(), dialect);
        const auto refused = migrator.down(0);
        QCOMPARE(refused.kind, Migrator::Outcome::WouldDropData);
        // PostgreSQL checks its step 4 first: the clinic's insert is already in change_log.
        const QLatin1String named(dialect == SqlDialect::Sqlite ? "clinics" : "change_log");
        QVERIFY2(refused.message.contains(named), qPrintable(refused.message));
        QCOMPARE(count(db, QStringLiteral("clinics")), 1);
        QCOMPARE(migrator.currentVersion(), migrator.latestVersion());
        QVERIFY(migrator.down(0, true).ok());
        QCOMPARE(migrator.currentVersion(), 0);
    }

    void failedStepLeavesNothing()
    {
        // A step that fails half-way must not leave its first statements behind: simulate by
        // occupying a table name the step creates.
        Database db = m_factory.create(SqlDialect::Sqlite, false);
        QVERIFY(exec(db, QStringLiteral("CREATE TABLE prescriptions (x INTEGER)")));
        Migrator migrator(db.connectionName(), SqlDialect::Sqlite);
        const auto outcome = migrator.up();
        QCOMPARE(outcome.kind, Migrator::Outcome::Failed);
        QVERIFY(!db.connection().tables().contains(QStringLiteral("clinics")));
        QCOMPARE(migrator.currentVersion(), 0);
    }

    // Impossible rows written with raw SQL fail in the database itself.
    void rawSqlConstraints_data()
    {
        QTest::addColumn<SqlDialect>("dialect");
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("statement");
        QTest::addColumn<bool>("accepted");
        const QString patient = QStringLiteral(
            "INSERT INTO patients (id, clinic_id, mrn, given_name, family_name, birth_date, sex, "
            "created_at, updated_at, deleted_at) VALUES ('%1', '" ) + clinicId
            + QStringLiteral("', '%2', 'Ada', 'Lovelace', '1990-01-01', '%3', '") + ts + QStringLiteral("', '")
            + ts + QStringLiteral("', %4)");
        const QString p1 = QStringLiteral("01900000-0000-7000-8000-0000000000a1");
        const QString p2 = QStringLiteral("01900000-0000-7000-8000-0000000000a2");
        const QString vitals = QStringLiteral(
            "INSERT INTO vitals (id, clinic_id, patient_id, recorded_at, status, %1, created_at, updated_at) "
            "VALUES ('01900000-0000-7000-8000-0000000000b1', '") + clinicId + QStringLiteral("', '")
            + p1 + QStringLiteral("', '") + ts + QStringLiteral("', 'final', %2, '") + ts
            + QStringLiteral("', '") + ts + QStringLiteral("')");
        const QString user = QStringLiteral(
            "INSERT INTO users (id, clinic_id, email, role, status, created_at, updated_at) VALUES "
            "('%1', '") + clinicId + QStringLiteral("', '%2', 'staff', 'active', '") + ts
            + QStringLiteral("', '") + ts + QStringLiteral("')");
        const QString provider = QStringLiteral(
            "INSERT INTO users (id, clinic_id, email, role, status, created_at, updated_at) VALUES "
            "('01900000-0000-7000-8000-0000000000d1', '") + clinicId + QStringLiteral("', 'doc@x.org', 'provider', 'active', '")
            + ts + QStringLiteral("', '") + ts + QStringLiteral("'); INSERT INTO providers (id, clinic_id, user_id, npi, license_number, "
            "created_at, updated_at) VALUES ('01900000-0000-7000-8000-0000000000d2', '") + clinicId
            + QStringLiteral("', '01900000-0000-7000-8000-0000000000d1', '1234567893', 'L-1', '") + ts
            + QStringLiteral("', '") + ts + QStringLiteral("')");
        const QString consultation = QStringLiteral(
            "INSERT INTO consultations (id, clinic_id, patient_id, provider_id, started_at, chief_complaint, "
            "status, signed_at, signed_by, created_at, updated_at) VALUES ('01900000-0000-7000-8000-0000000000c1', '")
            + clinicId + QStringLiteral("', '") + p1
            + QStringLiteral("', '01900000-0000-7000-8000-0000000000d2', '") + ts
            + QStringLiteral("', 'Cough', 'signed', '") + ts
            + QStringLiteral("', '01900000-0000-7000-8000-0000000000d1', '") + ts + QStringLiteral("', '") + ts
            + QStringLiteral("')");
        const QString basePatient = patient.arg(p1, QStringLiteral("M-1"), QStringLiteral("female"), QStringLiteral("NULL"));

        struct Row { const char *name; QString setup; QString statement; bool accepted; };
        const QList<Row> rows = {
            {"valid patient", QString(), basePatient, true},
            {"unknown sex", QString(), patient.arg(p1, QStringLiteral("M-1"), QStringLiteral("robot"), QStringLiteral("NULL")), false},
            {"patient without clinic", QString(),
             QString(basePatient).replace(clinicId, QStringLiteral("01900000-0000-7000-8000-00000000ffff")), false},
            {"duplicate mrn", basePatient, patient.arg(p2, QStringLiteral("M-1"), QStringLiteral("male"), QStringLiteral("NULL")), false},
            {"mrn of a tombstone reusable", patient.arg(p2, QStringLiteral("M-1"), QStringLiteral("male"), QLatin1Char('\'') + ts + QLatin1Char('\'')),
             basePatient, true},
            {"clinic_id never changes", basePatient + QStringLiteral(";") + insertClinic().replace(clinicId, QStringLiteral("01900000-0000-7000-8000-000000000002")),
             QStringLiteral("UPDATE patients SET clinic_id = '01900000-0000-7000-8000-000000000002'"), false},
            {"heart rate 400", basePatient, vitals.arg(QStringLiteral("heart_rate_bpm"), QStringLiteral("400")), false},
            {"heart rate 72", basePatient, vitals.arg(QStringLiteral("heart_rate_bpm"), QStringLiteral("72")), true},
            {"temperature 60", basePatient, vitals.arg(QStringLiteral("temperature_c"), QStringLiteral("60")), false},
            {"spo2 101", basePatient, vitals.arg(QStringLiteral("spo2_pct"), QStringLiteral("101")), false},
            {"vitals values never change", basePatient + QStringLiteral(";") + vitals.arg(QStringLiteral("heart_rate_bpm"), QStringLiteral("72")),
             QStringLiteral("UPDATE vitals SET heart_rate_bpm = 80"), false},
            {"vitals may be marked in error", basePatient + QStringLiteral(";") + vitals.arg(QStringLiteral("heart_rate_bpm"), QStringLiteral("72")),
             QStringLiteral("UPDATE vitals SET status = 'entered_in_error'"), true},
            {"duplicate email ignoring case", user.arg(QStringLiteral("01900000-0000-7000-8000-0000000000e1"), QStringLiteral("ann@clinic.org")),
             user.arg(QStringLiteral("01900000-0000-7000-8000-0000000000e2"), QStringLiteral("ANN@Clinic.org")), false},
            {"invalid email", QString(), user.arg(QStringLiteral("01900000-0000-7000-8000-0000000000e1"), QStringLiteral("no-at-sign")), false},
            {"signed consultation never changes", basePatient + QStringLiteral(";") + provider + QStringLiteral(";") + consultation,
             QStringLiteral("UPDATE consultations SET plan = 'changed'"), false},
            {"signed consultation cannot be deleted", basePatient + QStringLiteral(";") + provider + QStringLiteral(";") + consultation,
             QStringLiteral("DELETE FROM consultations"), false},
            {"signed needs signer", basePatient + QStringLiteral(";") + provider,
             QString(consultation).replace(QStringLiteral(", '01900000-0000-7000-8000-0000000000d1', '") + ts, QStringLiteral(", NULL, '") + ts), false},
            {"appointment duration 481", basePatient + QStringLiteral(";") + provider,
             QStringLiteral("INSERT INTO appointments (id, clinic_id, patient_id, provider_id, start_at, duration_minutes, type, status, "
                            "created_at, updated_at) VALUES ('01900000-0000-7000-8000-0000000000f1', '") + clinicId + QStringLiteral("', '")
                 + p1 + QStringLiteral("', '01900000-0000-7000-8000-0000000000d2', '") + ts + QStringLiteral("', 481, 'follow_up', 'scheduled', '")
                 + ts + QStringLiteral("', '") + ts + QStringLiteral("')"), false},
            {"cancelled without reason", basePatient + QStringLiteral(";") + provider,
             QStringLiteral("INSERT INTO appointments (id, clinic_id, patient_id, provider_id, start_at, duration_minutes, type, status, "
                            "created_at, updated_at) VALUES ('01900000-0000-7000-8000-0000000000f1', '") + clinicId + QStringLiteral("', '")
                 + p1 + QStringLiteral("', '01900000-0000-7000-8000-0000000000d2', '") + ts + QStringLiteral("', 30, 'follow_up', 'cancelled', '")
                 + ts + QStringLiteral("', '") + ts + QStringLiteral("')"), false},
            {"audit log never updated",
             QStringLiteral("INSERT INTO audit_log (id, device_id, seq, at, action, hash) VALUES "
                            "('01900000-0000-7000-8000-000000000aa1', 'dev', 1, '") + ts + QStringLiteral("', 'login', 'h')"),
             QStringLiteral("UPDATE audit_log SET action = 'nothing'"), false},
            {"audit log never deleted",
             QStringLiteral("INSERT INTO audit_log (id, device_id, seq, at, action, hash) VALUES "
                            "('01900000-0000-7000-8000-000000000aa1', 'dev', 1, '") + ts + QStringLiteral("', 'login', 'h')"),
             QStringLiteral("DELETE FROM audit_log"), false},
        };
        for (SqlDialect d : {SqlDialect::Sqlite, SqlDialect::Postgres}) {
            if (d == SqlDialect::Postgres && !m_factory.hasPostgres())
                continue;
            for (const Row &r : rows)
                QTest::addRow("%s: %s", d == SqlDialect::Sqlite ? "sqlite" : "postgres", r.name)
                    << d << r.setup << r.statement << r.accepted;
        }
    }
    void rawSqlConstraints()
    {
        QFETCH(SqlDialect, dialect);
        QFETCH(QString, setup);
        QFETCH(QString, statement);
        QFETCH(bool, accepted);
        Database db = m_factory.create(dialect);
        QString error;
        QVERIFY2(exec(db, insertClinic(), &error), qPrintable(error));
        for (const QString &s : setup.split(QLatin1Char(';'), Qt::SkipEmptyParts))
            QVERIFY2(exec(db, s, &error), qPrintable(s + QStringLiteral(": ") + error));
        for (const QString &s : statement.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
            const bool ok = exec(db, s, &error);
            if (accepted)
                QVERIFY2(ok, qPrintable(error));
            else
                QVERIFY2(!ok, qPrintable(QStringLiteral("accepted: ") + s));
        }
    }
};

QTEST_GUILESS_MAIN(TestMigrator)
#include "tst_migrator.moc"
