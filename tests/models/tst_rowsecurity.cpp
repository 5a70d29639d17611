#include "clinicroles.h"
#include "clinicstore.h"
#include "consultationstore.h"
#include "patientstore.h"
#include "recordtable.h"
#include "testsupport.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

using namespace tmdash;

// Row-level security on the central (migration step 3): two clinics, each with a login role made
// by createClinicRole, connect as themselves. Each sees and changes only its own clinic's rows,
// through the stores (acting as the owner principal, so that only the database limits them) and
// through raw SQL, and cannot pass itself off as the other clinic.

namespace {

const QStringList kClinicTables = {
    QStringLiteral("users"),
    QStringLiteral("patients"),
    QStringLiteral("patient_emergency_contacts"),
    QStringLiteral("patient_insurance"),
    QStringLiteral("patient_allergies"),
    QStringLiteral("patient_conditions"),
    QStringLiteral("providers"),
    QStringLiteral("provider_availability"),
    QStringLiteral("provider_time_off"),
    QStringLiteral("appointments"),
    QStringLiteral("vitals"),
    QStringLiteral("consultations"),
    QStringLiteral("consultation_diagnoses"),
    QStringLiteral("prescriptions"),
    QStringLiteral("audit_log"),
};

// Tables the fixture fills for both clinics, so that "sees nothing of the other" means something.
const QStringList kFilledTables = {
    QStringLiteral("users"),
    QStringLiteral("patients"),
    QStringLiteral("patient_allergies"),
    QStringLiteral("patient_emergency_contacts"),
    QStringLiteral("providers"),
    QStringLiteral("consultations"),
    QStringLiteral("consultation_diagnoses"),
    QStringLiteral("audit_log"),
};

const QString kPassword = QStringLiteral("correct-horse-battery-staple");

struct Sql
{
    bool ok = false;
    QString error;
    qint64 affected = -1;
    QVariant first; // first column of the first row, if any
};

Sql sql(const Database &db, const QString &statement, const QVariantMap &binds = {})
{
    QSqlQuery q(db.connection());
    Sql out;
    if (binds.isEmpty()) {
        out.ok = q.exec(statement);
    } else {
        q.prepare(statement);
        for (auto it = binds.cbegin(); it != binds.cend(); ++it)
            q.bindValue(QLatin1Char(':') + it.key(), it.value());
        out.ok = q.exec();
    }
    out.error = q.lastError().text();
    out.affected = q.numRowsAffected();
    if (out.ok && q.isSelect() && q.next())
        out.first = q.value(0);
    return out;
}

qint64 count(const Database &db, const QString &table, const QString &where = QString(),
             const QVariantMap &binds = {})
{
    const Sql r =
        sql(db,
            QStringLiteral("SELECT count(*) FROM ") + table +
                (where.isEmpty() ? QString() : QString(QStringLiteral(" WHERE ") + where)),
            binds);
    if (!r.ok)
        qFatal("counting %s failed: %s", qPrintable(table), qPrintable(r.error));
    return r.first.toLongLong();
}

struct ClinicFixture
{
    ClinicId clinic;
    QString login;
    Database db; // connected as `login`
    PatientId patient;
    test::TestProvider doctor;
};

} // namespace

class TestRowSecurity : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("rowsecurity")};
    Database m_owner; // the database owner (the test cluster's superuser)
    QString m_url;
    ClinicFixture m_north;
    ClinicFixture m_south;
    QString m_unmappedLogin;
    Database m_unmapped;
    QStringList m_roles; // every role this suite made, dropped at the end

    QString loginName(const char *suffix) const
    {
        return QStringLiteral("tst_rls_%1_%2")
            .arg(QCoreApplication::applicationPid())
            .arg(QLatin1String(suffix));
    }

    Database connectAs(const QString &login)
    {
        QUrl url(m_url);
        url.setUserName(login);
        url.setPassword(kPassword); // the test cluster trusts local connections
        auto db = Database::open(url.toString());
        if (!db)
            qFatal("cannot connect as %s: %s", qPrintable(login), qPrintable(db.error().message));
        return *db;
    }

    void fillClinic(ClinicFixture &f, const char *name, const char *email, const char *npi)
    {
        f.clinic = test::insertClinic(m_owner, QString::fromLatin1(name));
        Patient p;
        p.clinic_id = f.clinic;
        p.given_name = QStringLiteral("Patient of");
        p.family_name = QString::fromLatin1(name);
        p.birth_date = QDate(1980, 5, 6);
        p.sex = Sex::Female;
        PatientAllergy allergy;
        allergy.substance = QStringLiteral("penicillin");
        allergy.category = AllergyCategory::Medication;
        allergy.criticality = AllergyCriticality::High;
        allergy.status = AllergyStatus::Active;
        p.allergies << allergy;
        p.emergency_contacts << PatientEmergencyContact{
            RowId(), QStringLiteral("Kin"), QString(), QStringLiteral("+15552019988"), {}};
        auto patient = PatientStore(m_owner, Principal::owner()).create(p);
        if (!patient)
            qFatal("patient: %s", qPrintable(patient.error().message));
        f.patient = patient->id;
        f.doctor = test::insertProvider(m_owner, f.clinic, QString::fromLatin1(email),
                                        QString::fromLatin1(npi));
        Consultation c;
        c.patient_id = f.patient;
        c.provider_id = f.doctor.provider;
        c.started_at = QDateTime::currentDateTimeUtc().addSecs(-600);
        c.chief_complaint = QStringLiteral("Cough");
        c.diagnoses << ConsultationDiagnosis{
            RowId(), QStringLiteral("R05.9"), QStringLiteral("Cough"), true, {}};
        auto note = ConsultationStore(m_owner, f.doctor.principal).create(c);
        if (!note)
            qFatal("consultation: %s", qPrintable(note.error().message));
        const Sql login = sql(m_owner,
                              QStringLiteral("INSERT INTO login_state (user_id, failed_logins) "
                                             "VALUES (CAST(:u AS uuid), 1)"),
                              {{QStringLiteral("u"), f.doctor.user.value}});
        if (!login.ok)
            qFatal("login_state: %s", qPrintable(login.error));
        // An audit entry of the clinic, whether or not the stores wrote one.
        const Sql audit =
            sql(m_owner,
                QStringLiteral(
                    "INSERT INTO audit_log (id, device_id, seq, at, action, clinic_id, hash) "
                    "VALUES (CAST(:id AS uuid), :device, 1, now(), 'test', "
                    "CAST(:clinic AS uuid), 'h')"),
                {{QStringLiteral("id"), newUuidV7()},
                 {QStringLiteral("device"), QString(QStringLiteral("test-") + f.clinic.value)},
                 {QStringLiteral("clinic"), f.clinic.value}});
        if (!audit.ok)
            qFatal("audit_log: %s", qPrintable(audit.error));
    }

    Patient ownerView(const PatientId &id)
    {
        auto p = PatientStore(m_owner, Principal::owner()).get(id);
        if (!p)
            qFatal("owner cannot read %s", qPrintable(id.value));
        return *p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_factory.hasPostgres())
            QSKIP("TMDASH_TEST_PG not set");
        m_owner = m_factory.create(SqlDialect::Postgres);
        m_url = m_factory.lastUrl();
        fillClinic(m_north, "North", "doc@north.example", "1234567893");
        fillClinic(m_south, "South", "doc@south.example", "1245319599");

        m_north.login = loginName("north");
        m_south.login = loginName("south");
        m_unmappedLogin = loginName("unmapped");
        for (ClinicFixture *f : {&m_north, &m_south}) {
            m_roles << f->login;
            auto role =
                createClinicRole(m_owner, Principal::owner(), f->clinic, f->login, kPassword);
            QVERIFY2(role, qPrintable(role.error().message));
            QCOMPARE(role->clinic_id, f->clinic);
            f->db = connectAs(f->login);
        }
        // A member of tmdash_clinic that no clinic maps: it must see nothing at all.
        m_roles << m_unmappedLogin;
        const Sql made =
            sql(m_owner,
                QStringLiteral("CREATE ROLE %1 LOGIN IN ROLE tmdash_clinic").arg(m_unmappedLogin));
        QVERIFY2(made.ok, qPrintable(made.error));
        m_unmapped = connectAs(m_unmappedLogin);
    }

    void cleanupTestCase()
    {
        for (Database *db : {&m_north.db, &m_south.db, &m_unmapped})
            db->close();
        for (const QString &role : std::as_const(m_roles)) {
            // DROP OWNED also revokes CONNECT on this database, the role's only dependency.
            const Sql exists =
                sql(m_owner, QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = :r"),
                    {{QStringLiteral("r"), role}});
            if (exists.first.toLongLong() == 0)
                continue;
            const Sql owned = sql(m_owner, QStringLiteral("DROP OWNED BY %1").arg(role));
            const Sql dropped = sql(m_owner, QStringLiteral("DROP ROLE %1").arg(role));
            if (!owned.ok || !dropped.ok)
                qWarning("could not drop role %s: %s %s", qPrintable(role), qPrintable(owned.error),
                         qPrintable(dropped.error));
        }
    }

    void sessionClinicComesFromTheMapping()
    {
        QCOMPARE(sessionClinic(m_north.db).value(), m_north.clinic);
        QCOMPARE(sessionClinic(m_south.db).value(), m_south.clinic);
        QVERIFY(sessionClinic(m_unmapped).value().isNull());
        QVERIFY(sessionClinic(m_owner).value().isNull());
        QCOMPARE(sql(m_north.db, QStringLiteral("SELECT tmdash_is_admin()")).first.toBool(), false);
        QCOMPARE(sql(m_owner, QStringLiteral("SELECT tmdash_is_admin()")).first.toBool(), true);
    }

    // No setting, argument, role switch or shadowing function changes the clinic.
    void cannotSpoofTheClinic()
    {
        const Database &db = m_north.db;
        const QString south = m_south.clinic.value;
        QVERIFY(
            !sql(db, QStringLiteral("SELECT tmdash_session_clinic(CAST('%1' AS uuid))").arg(south))
                 .ok);
        QVERIFY(sql(db, QStringLiteral("SET app.clinic_id = '%1'").arg(south)).ok);
        QVERIFY(sql(db, QStringLiteral("SET tmdash.clinic = '%1'").arg(south)).ok);
        QCOMPARE(sessionClinic(db).value(), m_north.clinic);
        // Not a member of the other clinic's role, and not a superuser.
        QVERIFY(!sql(db, QStringLiteral("SET ROLE %1").arg(m_south.login)).ok);
        QVERIFY(!sql(db, QStringLiteral("SET SESSION AUTHORIZATION %1").arg(m_south.login)).ok);
        // SET ROLE to its group changes current_user, not session_user.
        QVERIFY(sql(db, QStringLiteral("SET ROLE tmdash_clinic")).ok);
        QCOMPARE(sessionClinic(db).value(), m_north.clinic);
        QCOMPARE(count(db, QStringLiteral("patients"),
                       QStringLiteral("clinic_id = CAST(:c AS uuid)"),
                       {{QStringLiteral("c"), south}}),
                 0);
        QVERIFY(sql(db, QStringLiteral("RESET ROLE")).ok);
        // A temporary function of the same name shadows nothing the policies use.
        QVERIFY(
            sql(db, QStringLiteral("CREATE FUNCTION pg_temp.tmdash_session_clinic() RETURNS uuid "
                                   "LANGUAGE sql AS $$ SELECT CAST('%1' AS uuid) $$")
                        .arg(south))
                .ok);
        QVERIFY(sql(db, QStringLiteral("SET search_path = pg_temp, public")).ok);
        QCOMPARE(count(db, QStringLiteral("patients"),
                       QStringLiteral("clinic_id = CAST(:c AS uuid)"),
                       {{QStringLiteral("c"), south}}),
                 0);
        QVERIFY(sql(db, QStringLiteral("RESET search_path")).ok);
        QVERIFY(sql(db, QStringLiteral("DROP FUNCTION pg_temp.tmdash_session_clinic()")).ok);
        // Nor can it write the mapping or replace the functions.
        QVERIFY(!sql(db, QStringLiteral("INSERT INTO clinic_roles (role_name, clinic_id) VALUES "
                                        "('%1', '%2')")
                             .arg(m_unmappedLogin, south))
                     .ok);
        QVERIFY(!sql(db, QStringLiteral("UPDATE clinic_roles SET clinic_id = '%1'").arg(south)).ok);
        QVERIFY(!sql(db, QStringLiteral("CREATE OR REPLACE FUNCTION public.tmdash_session_clinic() "
                                        "RETURNS uuid LANGUAGE sql AS $$ SELECT NULL::uuid $$"))
                     .ok);
        QCOMPARE(sessionClinic(m_unmapped).value(), ClinicId());
    }

    void cannotReadClinicRoles()
    {
        for (const Database *db : {&m_north.db, &m_south.db, &m_unmapped}) {
            const Sql r = sql(*db, QStringLiteral("SELECT count(*) FROM clinic_roles"));
            QVERIFY(!r.ok);
            QVERIFY2(r.error.contains(QLatin1String("permission denied")), qPrintable(r.error));
        }
    }

    void eachSeesOnlyItsOwnRows_data()
    {
        QTest::addColumn<QString>("clinic");
        QTest::newRow("north") << QStringLiteral("north");
        QTest::newRow("south") << QStringLiteral("south");
    }
    void eachSeesOnlyItsOwnRows()
    {
        QFETCH(QString, clinic);
        const ClinicFixture &me = clinic == QLatin1String("north") ? m_north : m_south;
        const ClinicFixture &other = clinic == QLatin1String("north") ? m_south : m_north;
        const QVariantMap mine{{QStringLiteral("c"), me.clinic.value}};
        for (const QString &table : kClinicTables) {
            const QString own = QStringLiteral("clinic_id = CAST(:c AS uuid)");
            QCOMPARE(count(me.db, table), count(m_owner, table, own, mine));
            QCOMPARE(count(me.db, table,
                           QStringLiteral("clinic_id IS DISTINCT FROM CAST(:c AS uuid)"), mine),
                     0);
            if (kFilledTables.contains(table))
                QVERIFY2(count(m_owner, table, QStringLiteral("clinic_id <> CAST(:c AS uuid)"),
                               mine) > 0,
                         qPrintable(table + QStringLiteral(" has no rows of the other clinic")));
        }
        QCOMPARE(count(me.db, QStringLiteral("clinics")), 1);
        QCOMPARE(
            count(me.db, QStringLiteral("clinics"), QStringLiteral("id = CAST(:c AS uuid)"), mine),
            1);
        QCOMPARE(count(me.db, QStringLiteral("login_state")), 1);
        QCOMPARE(sql(me.db, QStringLiteral("SELECT CAST(user_id AS text) FROM login_state"))
                     .first.toString(),
                 me.doctor.user.value);
        QCOMPARE(count(m_owner, QStringLiteral("login_state")), 2);

        // Through the stores, acting as the owner principal: only the database limits them.
        const PatientStore patients(me.db, Principal::owner());
        auto list = patients.list();
        QVERIFY2(list, qPrintable(list.error().message));
        QCOMPARE(list->size(), 1);
        QCOMPARE(list->first().id, me.patient);
        QCOMPARE(patients.get(other.patient).error().code, ErrorCode::NotFound);
        auto own = patients.get(me.patient);
        QVERIFY2(own, qPrintable(own.error().message));
        QCOMPARE(own->allergies.size(), 1);
        auto search = patients.search(QStringLiteral("Patient"));
        QVERIFY2(search, qPrintable(search.error().message));
        QCOMPARE(search->size(), 1);
        auto clinics = ClinicStore(me.db, Principal::owner()).list();
        QVERIFY2(clinics, qPrintable(clinics.error().message));
        QCOMPARE(clinics->size(), 1);
        QCOMPARE(clinics->first().id, me.clinic);
        QCOMPARE(ClinicStore(me.db, Principal::owner()).get(other.clinic).error().code,
                 ErrorCode::NotFound);
        auto notes = ConsultationStore(me.db, Principal::owner()).forPatient(other.patient);
        QVERIFY(!notes || notes->isEmpty());
    }

    // The other clinic's rows cannot be changed: through the stores they are absent; raw SQL
    // finds nothing to update; nothing changes, counted as the owner.
    void cannotChangeTheOtherClinicsRows()
    {
        const Database &db = m_north.db;
        const Patient before = ownerView(m_south.patient);
        Patient edited = before;
        edited.given_name = QStringLiteral("Hijacked");
        QCOMPARE(PatientStore(db, Principal::owner()).update(edited).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(PatientStore(db, Principal::owner()).remove(m_south.patient).error().code,
                 ErrorCode::NotFound);
        const QVariantMap south{{QStringLiteral("id"), m_south.patient.value}};
        const Sql update = sql(db,
                               QStringLiteral("UPDATE patients SET given_name = 'Hijacked' "
                                              "WHERE id = CAST(:id AS uuid)"),
                               south);
        QVERIFY2(update.ok, qPrintable(update.error));
        QCOMPARE(update.affected, 0);
        const Sql everything = sql(db, QStringLiteral("UPDATE patients SET notes = 'mass update'"));
        QVERIFY2(everything.ok, qPrintable(everything.error));
        QCOMPARE(everything.affected, 1); // its own patient only
        QCOMPARE(
            sql(db,
                QStringLiteral("UPDATE clinics SET name = 'Hijacked' WHERE id = CAST(:id AS uuid)"),
                {{QStringLiteral("id"), m_south.clinic.value}})
                .affected,
            0);
        QCOMPARE(sql(db, QStringLiteral("UPDATE login_state SET failed_logins = 99")).affected, 1);
        // Moving its own row into the other clinic is refused.
        const Sql move = sql(db,
                             QStringLiteral("UPDATE patients SET clinic_id = CAST(:c AS uuid) "
                                            "WHERE id = CAST(:id AS uuid)"),
                             {{QStringLiteral("c"), m_south.clinic.value},
                              {QStringLiteral("id"), m_north.patient.value}});
        QVERIFY(!move.ok);
        // Clinic roles never hard-delete.
        const Sql del = sql(db, QStringLiteral("DELETE FROM patients WHERE id = CAST(:id AS uuid)"),
                            {{QStringLiteral("id"), m_north.patient.value}});
        QVERIFY(!del.ok);
        QVERIFY2(del.error.contains(QLatin1String("permission denied")), qPrintable(del.error));

        const Patient after = ownerView(m_south.patient);
        QCOMPARE(after.given_name, before.given_name);
        QCOMPARE(after.notes, before.notes);
        QCOMPARE(after.meta.version, before.meta.version);
        QCOMPARE(ownerView(m_north.patient).clinic_id, m_north.clinic);
        QCOMPARE(
            count(m_owner, QStringLiteral("login_state"), QStringLiteral("failed_logins = 99")), 1);
        QCOMPARE(count(m_owner, QStringLiteral("clinics"), QStringLiteral("name = 'Hijacked'")), 0);
        QCOMPARE(count(m_owner, QStringLiteral("patients")), 2);
    }

    // Rows naming the other clinic (or none) cannot be created.
    void cannotInsertForTheOtherClinic()
    {
        const Database &db = m_north.db;
        const qint64 patientsBefore = count(m_owner, QStringLiteral("patients"));
        const qint64 auditBefore = count(m_owner, QStringLiteral("audit_log"));
        const qint64 clinicsBefore = count(m_owner, QStringLiteral("clinics"));
        Patient p;
        p.clinic_id = m_south.clinic;
        p.given_name = QStringLiteral("Planted");
        p.family_name = QStringLiteral("Patient");
        p.birth_date = QDate(1990, 1, 1);
        p.sex = Sex::Male;
        auto planted = PatientStore(db, Principal::owner()).create(p);
        QVERIFY(!planted);
        const QString insert = QStringLiteral(
            "INSERT INTO patients (id, clinic_id, mrn, given_name, family_name, birth_date, sex, "
            "created_at, updated_at) VALUES (CAST(:id AS uuid), CAST(:c AS uuid), 'X-1', "
            "'Planted', "
            "'Patient', '1990-01-01', 'male', now(), now())");
        const Sql raw =
            sql(db, insert,
                {{QStringLiteral("id"), newUuidV7()}, {QStringLiteral("c"), m_south.clinic.value}});
        QVERIFY(!raw.ok);
        QVERIFY2(raw.error.contains(QLatin1String("row-level security")), qPrintable(raw.error));
        // A new clinic, or an audit entry of the other clinic or of none, neither.
        const QString clinicId = newUuidV7();
        QVERIFY(!sql(db, QStringLiteral(
                             "INSERT INTO clinics (id, clinic_id, name, timezone, created_at, "
                             "updated_at) VALUES ('%1', '%1', 'Rogue', 'UTC', now(), now())")
                             .arg(clinicId))
                     .ok);
        const QString audit = QStringLiteral(
            "INSERT INTO audit_log (id, device_id, seq, at, action, clinic_id, hash) VALUES "
            "(CAST(:id AS uuid), 'rogue', :seq, now(), 'login', CAST(:c AS uuid), 'h')");
        QVERIFY(!sql(db, audit,
                     {{QStringLiteral("id"), newUuidV7()},
                      {QStringLiteral("seq"), 1},
                      {QStringLiteral("c"), m_south.clinic.value}})
                     .ok);
        QVERIFY(!sql(db, audit,
                     {{QStringLiteral("id"), newUuidV7()},
                      {QStringLiteral("seq"), 2},
                      {QStringLiteral("c"), QVariant(QMetaType::fromType<QString>())}})
                     .ok);
        // login_state of the other clinic's user.
        QVERIFY(!sql(db,
                     QStringLiteral("INSERT INTO login_state (user_id) VALUES (CAST(:u AS uuid))"),
                     {{QStringLiteral("u"), m_south.doctor.user.value}})
                     .ok);
        QCOMPARE(count(m_owner, QStringLiteral("patients")), patientsBefore);
        QCOMPARE(count(m_owner, QStringLiteral("audit_log")), auditBefore);
        QCOMPARE(count(m_owner, QStringLiteral("clinics")), clinicsBefore);
        QCOMPARE(count(m_owner, QStringLiteral("login_state")), 2);
    }

    // Its own clinic's rows it writes through the stores like any desktop.
    void writesItsOwnClinicThroughTheStores()
    {
        const qint64 before = count(m_owner, QStringLiteral("patients"));
        Patient p;
        p.given_name = QStringLiteral("Walk");
        p.family_name = QStringLiteral("In");
        p.birth_date = QDate(2001, 2, 3);
        p.sex = Sex::Other;
        auto created = PatientStore(m_north.db, Principal::owner()).create(p);
        QVERIFY2(created, qPrintable(created.error().message));
        QCOMPARE(created->clinic_id, m_north.clinic); // the only clinic it can see
        QVERIFY(!created->mrn.isEmpty());             // drew from the central's sequence
        QCOMPARE(count(m_owner, QStringLiteral("patients")), before + 1);
        QCOMPARE(PatientStore(m_south.db, Principal::owner()).get(created->id).error().code,
                 ErrorCode::NotFound);
    }

    // Both clinics write at the central through the stores: their audit entries must not collide.
    void bothClinicsWriteThroughTheStores()
    {
        for (const ClinicFixture *f : {&m_north, &m_south}) {
            Patient p;
            p.given_name = QStringLiteral("Second");
            p.family_name = QStringLiteral("Visit");
            p.birth_date = QDate(1999, 9, 9);
            p.sex = Sex::Female;
            auto created = PatientStore(f->db, Principal::owner()).create(p);
            QVERIFY2(created,
                     qPrintable(f->login + QStringLiteral(": ") + created.error().message));
            QCOMPARE(created->clinic_id, f->clinic);
        }
    }

    void auditLogIsAppendOnly()
    {
        const QString insert = QStringLiteral(
            "INSERT INTO audit_log (id, device_id, seq, at, action, clinic_id, hash) VALUES "
            "(CAST(:id AS uuid), :device, 1, now(), 'login', CAST(:c AS uuid), 'h')");
        const Sql own =
            sql(m_north.db, insert,
                {{QStringLiteral("id"), newUuidV7()},
                 {QStringLiteral("device"), QString(QStringLiteral("desk-") + m_north.login)},
                 {QStringLiteral("c"), m_north.clinic.value}});
        QVERIFY2(own.ok, qPrintable(own.error));
        const qint64 total = count(m_owner, QStringLiteral("audit_log"));
        const Sql sum = sql(
            m_owner,
            QStringLiteral("SELECT string_agg(hash || action, ',' ORDER BY id) FROM audit_log"));
        for (const Database *db : {&m_north.db, &m_owner}) {
            QVERIFY(!sql(*db, QStringLiteral("UPDATE audit_log SET action = 'nothing'")).ok);
            QVERIFY(!sql(*db, QStringLiteral("DELETE FROM audit_log")).ok);
            QVERIFY(!sql(*db, QStringLiteral("TRUNCATE audit_log")).ok);
        }
        // The group roles hold no privilege to change it either.
        for (const char *role : {"tmdash_clinic", "tmdash_admin", "public"}) {
            const Sql may = sql(m_owner,
                                QStringLiteral("SELECT has_table_privilege(:r, 'audit_log', "
                                               "'UPDATE, DELETE, TRUNCATE')"),
                                {{QStringLiteral("r"), QString::fromLatin1(role)}});
            QVERIFY2(may.ok, qPrintable(may.error));
            QVERIFY2(!may.first.toBool(), role);
        }
        QCOMPARE(count(m_owner, QStringLiteral("audit_log")), total);
        QCOMPARE(
            sql(m_owner,
                QStringLiteral("SELECT string_agg(hash || action, ',' ORDER BY id) FROM audit_log"))
                .first,
            sum.first);
    }

    void unmappedRoleSeesNothing()
    {
        for (const QString &table : kClinicTables)
            QCOMPARE(count(m_unmapped, table), 0);
        QCOMPARE(count(m_unmapped, QStringLiteral("clinics")), 0);
        QCOMPARE(count(m_unmapped, QStringLiteral("login_state")), 0);
        auto list = PatientStore(m_unmapped, Principal::owner()).list();
        QVERIFY2(list, qPrintable(list.error().message));
        QVERIFY(list->isEmpty());
        Patient p;
        p.clinic_id = m_north.clinic;
        p.given_name = QStringLiteral("Nobody's");
        p.family_name = QStringLiteral("Patient");
        p.birth_date = QDate(1990, 1, 1);
        p.sex = Sex::Male;
        const qint64 before = count(m_owner, QStringLiteral("patients"));
        QVERIFY(!PatientStore(m_unmapped, Principal::owner()).create(p));
        QCOMPARE(count(m_owner, QStringLiteral("patients")), before);
    }

    // createClinicRole refuses what it must, and never takes over an existing role.
    void createClinicRoleRefusals()
    {
        const QString fresh = loginName("fresh");
        auto missing =
            createClinicRole(m_owner, Principal::owner(), ClinicId(newUuidV7()), fresh, kPassword);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        auto taken =
            createClinicRole(m_owner, Principal::owner(), m_north.clinic, m_south.login, kPassword);
        QCOMPARE(taken.error().code, ErrorCode::Invalid);
        QCOMPARE(taken.error().fields.first().field, QStringLiteral("login"));
        QCOMPARE(taken.error().fields.first().code, QStringLiteral("duplicate"));
        auto unrelated = createClinicRole(m_owner, Principal::owner(), m_north.clinic,
                                          m_unmappedLogin, kPassword);
        QCOMPARE(unrelated.error().code, ErrorCode::Invalid);
        QCOMPARE(unrelated.error().fields.first().code, QStringLiteral("duplicate"));
        auto person =
            createClinicRole(m_owner, m_north.doctor.principal, m_north.clinic, fresh, kPassword);
        QCOMPARE(person.error().code, ErrorCode::NotPermitted);
        auto fromClinic =
            createClinicRole(m_north.db, Principal::owner(), m_north.clinic, fresh, kPassword);
        QCOMPARE(fromClinic.error().code, ErrorCode::NotPermitted);
        QCOMPARE(count(m_owner, QStringLiteral("pg_roles"), QStringLiteral("rolname = :r"),
                       {{QStringLiteral("r"), fresh}}),
                 0);
        // Again for the same clinic: a new password, the same mapping.
        const QString verifierBefore =
            sql(m_owner, QStringLiteral("SELECT rolpassword FROM pg_authid WHERE rolname = :r"),
                {{QStringLiteral("r"), m_north.login}})
                .first.toString();
        QVERIFY(verifierBefore.startsWith(QLatin1String("SCRAM-SHA-256$4096:")));
        QVERIFY(!verifierBefore.contains(kPassword));
        auto rotated = createClinicRole(m_owner, Principal::owner(), m_north.clinic, m_north.login,
                                        QStringLiteral("another-long-password"));
        QVERIFY2(rotated, qPrintable(rotated.error().message));
        QCOMPARE(rotated->clinic_id, m_north.clinic);
        QVERIFY(sql(m_owner, QStringLiteral("SELECT rolpassword FROM pg_authid WHERE rolname = :r"),
                    {{QStringLiteral("r"), m_north.login}})
                    .first.toString() != verifierBefore);
        QCOMPARE(sessionClinic(m_north.db).value(), m_north.clinic);
    }

    void validation_data()
    {
        QTest::addColumn<QString>("login");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QStringList>("expected");
        const QString ok = QStringLiteral("clinic_ok");
        const QString pw = QStringLiteral("twelve-chars");
        QTest::newRow("valid") << ok << pw << QStringList();
        QTest::newRow("63 characters") << QString(63, QLatin1Char('a')) << pw << QStringList();
        QTest::newRow("64 characters")
            << QString(64, QLatin1Char('a')) << pw << QStringList{QStringLiteral("login:too_long")};
        QTest::newRow("empty") << QString() << pw << QStringList{QStringLiteral("login:required")};
        QTest::newRow("capitals") << QStringLiteral("Clinic") << pw
                                  << QStringList{QStringLiteral("login:format")};
        QTest::newRow("quote") << QStringLiteral("x\"; DROP ROLE postgres; --") << pw
                               << QStringList{QStringLiteral("login:format")};
        QTest::newRow("digit first")
            << QStringLiteral("1clinic") << pw << QStringList{QStringLiteral("login:format")};
        QTest::newRow("pg_ prefix")
            << QStringLiteral("pg_clinic") << pw << QStringList{QStringLiteral("login:reserved")};
        QTest::newRow("group role") << QStringLiteral("tmdash_admin") << pw
                                    << QStringList{QStringLiteral("login:reserved")};
        QTest::newRow("public") << QStringLiteral("public") << pw
                                << QStringList{QStringLiteral("login:reserved")};
        QTest::newRow("11 characters") << ok << QStringLiteral("eleven-char")
                                       << QStringList{QStringLiteral("password:too_short")};
        QTest::newRow("no password")
            << ok << QString() << QStringList{QStringLiteral("password:required")};
        QTest::newRow("non-ascii") << ok << QStringLiteral("pässwörd-long-enough")
                                   << QStringList{QStringLiteral("password:format")};
        QTest::newRow("control") << ok << QStringLiteral("tab\tinside-password")
                                 << QStringList{QStringLiteral("password:format")};
        QTest::newRow("quotes are fine")
            << ok << QStringLiteral("it's a \"secret\" \\ ;--") << QStringList();
    }
    void validation()
    {
        QFETCH(QString, login);
        QFETCH(QString, password);
        QFETCH(QStringList, expected);
        QStringList got;
        for (const FieldError &e : validateClinicLogin(login) + validateClinicPassword(password))
            got << e.field + QLatin1Char(':') + e.code;
        QCOMPARE(got, expected);
    }

    // The verifier computed here is the one PostgreSQL itself computes for the same salt.
    void scramVerifierMatchesPostgres()
    {
        const QString role = loginName("scram");
        const QString password = QStringLiteral("it's a \"secret\" \\ ;-- pencil");
        m_roles << role;
        QVERIFY(sql(m_owner, QStringLiteral("SET password_encryption = 'scram-sha-256'")).ok);
        const Sql made = sql(m_owner,
                             QStringLiteral("SELECT format('CREATE ROLE %I PASSWORD %L', "
                                            "CAST(:r AS text), CAST(:p AS text))"),
                             {{QStringLiteral("r"), role}, {QStringLiteral("p"), password}});
        QVERIFY(made.ok);
        QVERIFY2(sql(m_owner, made.first.toString()).ok, "creating the role failed");
        const QString stored =
            sql(m_owner, QStringLiteral("SELECT rolpassword FROM pg_authid WHERE rolname = :r"),
                {{QStringLiteral("r"), role}})
                .first.toString();
        // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
        const QStringList parts = stored.split(QLatin1Char('$'));
        QCOMPARE(parts.size(), 3);
        const int iterations = parts.at(1).section(QLatin1Char(':'), 0, 0).toInt();
        const QByteArray salt =
            QByteArray::fromBase64(parts.at(1).section(QLatin1Char(':'), 1).toLatin1());
        QCOMPARE(scramSha256Verifier(password, salt, iterations), stored);
        QVERIFY(scramSha256Verifier(password + QLatin1Char('x'), salt, iterations) != stored);
        QVERIFY(sql(m_owner, QStringLiteral("DROP ROLE %1").arg(role)).ok);
        m_roles.removeAll(role);
    }
};

QTEST_GUILESS_MAIN(TestRowSecurity)
#include "tst_rowsecurity.moc"
