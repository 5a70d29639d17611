// The desktop side of sync (sync/synchronizer.*) against a real PostgreSQL central and real
// SQLite desktop files: first sync, push with merge and conflict, rejections, replays, protocol,
// restored centrals, late commits, unreachable centrals, demo databases.

#include "testsupport.h"

#include "appointmentstore.h"
#include "clinicroles.h"
#include "clock.h"
#include "consultationstore.h"
#include "outbox.h"
#include "patientcodec.h"
#include "patientstore.h"
#include "recordtable.h"
#include "synchronizer.h"
#include "syncstate.h"
#include "transaction.h"
#include "vitalscodec.h"
#include "vitalsstore.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>
#include <QUrl>

using namespace tmdash;

namespace {

Patient patient(const QString &given)
{
    Patient p;
    p.given_name = given;
    p.family_name = QStringLiteral("Okafor");
    p.birth_date = QDate(1979, 3, 14);
    p.sex = Sex::Female;
    p.phone = QStringLiteral("+1 617 555 0100");
    return p;
}

// Runs a statement (also BEGIN/COMMIT); fatal on failure. The first column of the first row.
QVariant exec(const Database &db, const QString &statement, const QVariantMap &binds = {})
{
    QSqlQuery q(db.connection());
    bool ok = false;
    if (binds.isEmpty()) {
        ok = q.exec(statement);
    } else {
        q.prepare(statement);
        for (auto it = binds.cbegin(); it != binds.cend(); ++it)
            q.bindValue(QLatin1Char(':') + it.key(), it.value());
        ok = q.exec();
    }
    if (!ok)
        qFatal("%s failed: %s", qPrintable(statement), qPrintable(q.lastError().text()));
    return q.isSelect() && q.next() ? q.value(0) : QVariant();
}

qint64 count(const Database &db, const QString &from, const QVariantMap &binds = {})
{
    return exec(db, QStringLiteral("SELECT count(*) FROM ") + from, binds).toLongLong();
}

} // namespace

class TestSyncEngine : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("syncengine")};
    Database m_central;
    QString m_url;
    ClinicId m_clinic;
    test::TestUser m_staff;
    test::TestProvider m_doctor;
    QStringList m_roles;
    QList<Database> m_extra;
    int m_counter = 0;

    // A new empty desktop, synced once (so it holds the clinic).
    Database desktop()
    {
        Database d = m_factory.create(SqlDialect::Sqlite, false);
        const SyncReport first = sync(d);
        if (!first.firstSync)
            qFatal("the first sync of a new desktop did not bind it");
        return d;
    }

    SyncOptions options(const QString &clinic = QString()) const
    {
        SyncOptions o;
        o.centralUrl = m_url;
        o.clinic = clinic.isEmpty() ? m_clinic.value : clinic;
        o.stallSeconds = 20;
        return o;
    }

    // One successful run, fatal otherwise.
    SyncReport sync(const Database &d, SyncOptions o = {})
    {
        if (o.centralUrl.isEmpty())
            o = options();
        auto report = Synchronizer(d, o).runOnce();
        if (!report)
            qFatal("sync failed: %s", qPrintable(report.error().message));
        return *report;
    }

    Database centralConnection(const QString &login = QString())
    {
        QUrl url(m_url);
        if (!login.isEmpty())
            url.setUserName(login);
        auto db = Database::open(url.toString(), QStringLiteral("syncengine-extra-%1").arg(++m_counter));
        if (!db)
            qFatal("cannot connect: %s", qPrintable(db.error().message));
        m_extra << *db;
        return *db;
    }

    // A patient written on a central connection without the store (so without an audit entry,
    // whose per-clinic chain would make two open transactions wait for each other).
    PatientId rawPatient(const Database &db, const QString &given)
    {
        Patient p = patient(given);
        p.phone = QStringLiteral("+16175550100"); // as the store would have normalised it
        p.id = newId<PatientId>();
        p.clinic_id = m_clinic;
        p.mrn = QStringLiteral("RAW-%1").arg(++m_counter);
        p.meta.created_at = p.meta.updated_at = nowUtc();
        if (Status s = RecordTable(db, u"patients").insert(toRow(p)); !s)
            qFatal("%s", qPrintable(s.error().message));
        return p.id;
    }

    Appointment booking(const PatientId &p, const QDateTime &start) const
    {
        Appointment a;
        a.patient_id = p;
        a.provider_id = m_doctor.provider;
        a.start_at = start;
        a.duration_minutes = 30;
        return a;
    }

    // 10:00 in New York on a Tuesday at least a week ahead.
    static QDateTime tuesdayMorning(int weeksAhead)
    {
        QDate day = nowUtc().date().addDays(7 * weeksAhead);
        while (day.dayOfWeek() != 2)
            day = day.addDays(1);
        return QDateTime(day, QTime(10, 0), QTimeZone("America/New_York")).toUTC();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (test::requirePostgresUrl().isEmpty())
            QSKIP("TMDASH_TEST_PG is not set");
        m_central = m_factory.create(SqlDialect::Postgres);
        m_url = m_factory.lastUrl();
        m_clinic = test::insertClinic(m_central);
        m_staff = test::insertUser(m_central, m_clinic, Role::Staff, QStringLiteral("desk@north.test"));
        m_doctor = test::insertProvider(m_central, m_clinic, QStringLiteral("doc@north.test"));
        for (int weekday = 1; weekday <= 5; ++weekday) {
            const Row window{{QStringLiteral("id"), newUuidV7()},
                             {QStringLiteral("clinic_id"), m_clinic.value},
                             {QStringLiteral("provider_id"), m_doctor.provider.value},
                             {QStringLiteral("weekday"), weekday},
                             {QStringLiteral("start_time"), QStringLiteral("08:00")},
                             {QStringLiteral("end_time"), QStringLiteral("16:00")},
                             {QStringLiteral("created_at"), QStringLiteral("2026-01-01T00:00:00.000Z")},
                             {QStringLiteral("updated_at"), QStringLiteral("2026-01-01T00:00:00.000Z")}};
            if (Status s = RecordTable(m_central, u"provider_availability").insert(window); !s)
                qFatal("%s", qPrintable(s.error().message));
        }
    }

    void cleanupTestCase()
    {
        for (Database &db : m_extra)
            db.close();
        for (const QString &role : m_roles) {
            exec(m_central, QStringLiteral("DROP OWNED BY %1").arg(role));
            exec(m_central, QStringLiteral("DROP ROLE %1").arg(role));
        }
    }

    void firstSyncMigratesBindsAndPullsTheClinic()
    {
        const auto ada = PatientStore(m_central, m_staff.principal).create(patient(QStringLiteral("Ada")));
        QVERIFY(ada);
        Database d = m_factory.create(SqlDialect::Sqlite, false);
        QStringList progress;
        SyncOptions o = options();
        o.progress = [&](const QString &m) { progress << m; };
        const SyncReport first = sync(d, o);
        QVERIFY(first.firstSync);
        QCOMPARE(first.clinicId, m_clinic.value);
        QVERIFY(first.pulled >= 4); // clinic, two users, provider, availability, patient
        QVERIFY(!progress.isEmpty());
        QVERIFY(d.requireCurrentSchema().ok());
        QCOMPARE(syncStateValue(d, QString::fromLatin1(kStateClinic)).value(), m_clinic.value);
        const auto local = PatientStore(d, m_staff.principal).get(ada->id);
        QVERIFY2(local, "the central's patient reached the new desktop");
        QCOMPARE(local->given_name, QStringLiteral("Ada"));
        QCOMPARE(local->meta.version, ada->meta.version);

        const SyncReport second = sync(d);
        QVERIFY(!second.firstSync);
        QCOMPARE(second.pushed, 0);

        // Bound: another clinic is refused, and so is naming none on an unbound desktop.
        const ClinicId south = test::insertClinic(m_central, QStringLiteral("South"));
        auto other = Synchronizer(d, options(south.value)).runOnce();
        QVERIFY(!other);
        QCOMPARE(test::fieldCodes(other.error()), QStringList{QStringLiteral("clinic:other_clinic")});
        SyncOptions unnamed = options();
        unnamed.clinic.clear();
        QVERIFY(Synchronizer(d, unnamed).runOnce()); // bound: the clinic is remembered
        auto unbound = Synchronizer(m_factory.create(SqlDialect::Sqlite, false), unnamed).runOnce();
        QVERIFY(!unbound);
        QCOMPARE(test::fieldCodes(unbound.error()), QStringList{QStringLiteral("clinic:required")});
    }

    void clinicRoleConnectionBringsItsClinic()
    {
        // Roles are cluster-wide: a name of this run only.
        const QString login = QStringLiteral("tmdash_syncengine_") + newUuidV7().right(12);
        m_roles << login;
        const auto role = createClinicRole(m_central, Principal::owner(), m_clinic, login,
                                           QStringLiteral("correct-horse-battery-staple"));
        QVERIFY2(role, qPrintable(role ? QString() : role.error().message));
        QUrl url(m_url);
        url.setUserName(login);
        url.setPassword(QStringLiteral("correct-horse-battery-staple"));
        SyncOptions o;
        o.centralUrl = url.toString();
        Database d = m_factory.create(SqlDialect::Sqlite, false);
        auto report = Synchronizer(d, o).runOnce();
        QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
        QVERIFY(report->firstSync);
        QCOMPARE(report->clinicId, m_clinic.value);

        // A write of this desktop goes up through the role (row-level security applies).
        const auto bo = PatientStore(d, m_staff.principal).create(patient(QStringLiteral("Bo")));
        QVERIFY(bo);
        auto pushed = Synchronizer(d, o).runOnce();
        QVERIFY(pushed);
        QCOMPARE(pushed->applied, 1);
        QCOMPARE(count(m_central, QStringLiteral("patients WHERE id = CAST(:id AS uuid)"),
                       {{QStringLiteral("id"), bo->id.value}}),
                 1);

        o.clinic = test::insertClinic(m_central, QStringLiteral("West")).value;
        auto refused = Synchronizer(d, o).runOnce();
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::NotPermitted);
    }

    void editsMergeAndConflictsAreRecorded()
    {
        Database a = desktop();
        Database b = desktop();
        const auto created = PatientStore(a, m_staff.principal).create(patient(QStringLiteral("Cy")));
        QVERIFY(created);
        QCOMPARE(sync(a).applied, 1);
        QCOMPARE(test::queuedChanges(a), 0);
        sync(b);
        QVERIFY(PatientStore(b, m_staff.principal).get(created->id));

        // Different fields merge; the same field conflicts, the central's value stays.
        Patient onA = PatientStore(a, m_staff.principal).get(created->id).value();
        onA.city = QStringLiteral("Salem");
        onA.phone = QStringLiteral("+1 617 555 0111");
        QVERIFY(PatientStore(a, m_staff.principal).update(onA));
        Patient onB = PatientStore(b, m_staff.principal).get(created->id).value();
        onB.email = QStringLiteral("cy@example.org");
        onB.phone = QStringLiteral("+1 617 555 0122");
        QVERIFY(PatientStore(b, m_staff.principal).update(onB));
        QCOMPARE(sync(a).conflicts, 0);
        const SyncReport onBReport = sync(b);
        QCOMPARE(onBReport.applied, 1);
        QCOMPARE(onBReport.conflicts, 1);
        sync(a);

        for (const Database &d : {a, b}) {
            const Patient p = PatientStore(d, m_staff.principal).get(created->id).value();
            QCOMPARE(p.city, QStringLiteral("Salem"));
            QCOMPARE(p.email, QStringLiteral("cy@example.org"));
            QCOMPARE(p.phone, QStringLiteral("+16175550111"));
        }
        QCOMPARE(count(b, QStringLiteral("conflicts WHERE field = 'phone' AND entity_id = :id "
                                         "AND local_value = '\"+16175550122\"' "
                                         "AND central_value = '\"+16175550111\"' "
                                         "AND resolved_at IS NULL"),
                       {{QStringLiteral("id"), created->id.value}}),
                 1);
        QCOMPARE(readSyncStatus(b).value().openConflicts, 1);
        QCOMPARE(readSyncStatus(a).value().openConflicts, 0);
    }

    void doubleBookingIsRejectedAndTheLocalRecordIsTheCentrals()
    {
        Database a = desktop();
        Database b = desktop();
        const auto p = PatientStore(a, m_staff.principal).create(patient(QStringLiteral("Di")));
        QVERIFY(p);
        sync(a);
        sync(b);
        const QDateTime slot = tuesdayMorning(3);
        const auto first = AppointmentStore(a, m_staff.principal).create(booking(p->id, slot));
        QVERIFY2(first, qPrintable(first ? QString() : first.error().message));
        const auto second = AppointmentStore(b, m_staff.principal).create(booking(p->id, slot));
        QVERIFY2(second, "offline, the second desktop cannot know of the first booking");
        QCOMPARE(sync(a).applied, 1);
        const SyncReport report = sync(b);
        QCOMPARE(report.rejected, 1);
        QCOMPARE(report.applied, 0);

        // The refused booking waits in b's rejections with its reason; b's record is the
        // central's again (absent), and a's booking arrived.
        const QList<OutboxEntry> rows = test::outboxOf(b);
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().status, QStringLiteral("rejected"));
        QCOMPARE(rows.first().entity_id, second->id.value);
        QVERIFY2(!rows.first().error.isEmpty(), "the rejection keeps its reason");
        QCOMPARE(count(b, QStringLiteral("appointments WHERE id = :id"), {{QStringLiteral("id"), second->id.value}}), 0);
        QCOMPARE(count(b, QStringLiteral("appointments WHERE id = :id"), {{QStringLiteral("id"), first->id.value}}), 1);
        QCOMPARE(readSyncStatus(b).value().rejections, 1);
        QCOMPARE(readSyncStatus(b).value().pending, 0);
        // Nothing is retried forever: the next sync leaves the rejection where it is.
        QCOMPARE(sync(b).pushed, 0);
        QCOMPARE(test::outboxOf(b).size(), 1);
    }

    void replayedPushAnswersTheFirstResult()
    {
        Database a = desktop();
        const auto p = PatientStore(a, m_staff.principal).create(patient(QStringLiteral("Ed")));
        QVERIFY(p);
        const QList<OutboxEntry> before = test::outboxOf(a);
        QCOMPARE(before.size(), 1);
        QCOMPARE(sync(a).applied, 1);
        // As if the acknowledgement had been lost: the same mutation goes up again.
        OutboxEntry again = before.first();
        QVERIFY(appendOutbox(a, again));
        exec(a, QStringLiteral("UPDATE outbox SET mutation_id = :m"), {{QStringLiteral("m"), before.first().mutation_id}});
        const SyncReport replay = sync(a);
        QCOMPARE(replay.pushed, 1);
        QCOMPARE(replay.applied, 1);
        QCOMPARE(replay.rejected, 0);
        QCOMPARE(test::outboxOf(a).size(), 0);
        QCOMPARE(count(m_central, QStringLiteral("patients WHERE id = CAST(:id AS uuid)"), {{QStringLiteral("id"), p->id.value}}), 1);
        QCOMPARE(count(m_central, QStringLiteral("sync_mutations WHERE mutation_id = CAST(:m AS uuid)"),
                       {{QStringLiteral("m"), before.first().mutation_id}}),
                 1);
    }

    void upgradeRequiredKeepsTheOutbox()
    {
        Database a = desktop();
        const auto p = PatientStore(a, m_staff.principal).create(patient(QStringLiteral("Flo")));
        QVERIFY(p);
        exec(a, QStringLiteral("UPDATE outbox SET protocol = 99"));
        const QList<OutboxEntry> before = test::outboxOf(a);
        auto refused = Synchronizer(a, options()).runOnce();
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Incompatible);
        QVERIFY2(refused.error().message.contains(QLatin1String("upgrade required")), qPrintable(refused.error().message));
        QCOMPARE(test::outboxOf(a).size(), before.size());
        QCOMPARE(test::outboxOf(a).first().mutation_id, before.first().mutation_id);
        QCOMPARE(count(m_central, QStringLiteral("patients WHERE id = CAST(:id AS uuid)"), {{QStringLiteral("id"), p->id.value}}), 0);
        const SyncStatus status = readSyncStatus(a).value();
        QVERIFY(status.lastError.contains(QLatin1String("upgrade required")));
        QCOMPARE(status.pending, 1);
    }

    void unreachableCentralFailsFastAndKeepsTheOutbox()
    {
        Database a = desktop();
        QVERIFY(PatientStore(a, m_staff.principal).create(patient(QStringLiteral("Gus"))));
        SyncOptions o = options();
        QUrl url(m_url);
        url.setPort(1); // a privileged port nothing here listens on
        o.centralUrl = url.toString();
        auto report = Synchronizer(a, o).runOnce();
        QVERIFY(!report);
        QCOMPARE(report.error().code, ErrorCode::Storage);
        QCOMPARE(test::outboxOf(a).size(), 1);
        const SyncStatus status = readSyncStatus(a).value();
        QVERIFY(!status.online);
        QVERIFY(!status.lastError.isEmpty());
        QCOMPARE(status.pending, 1);
        QCOMPARE(sync(a).applied, 1); // back online: nothing was lost
        QVERIFY(readSyncStatus(a).value().online);
    }

    void demoDatabaseNeverSyncs()
    {
        Database d = m_factory.create(SqlDialect::Sqlite);
        QVERIFY(setSyncStateValue(d, QString::fromLatin1(kStateDemo), QStringLiteral("1")));
        auto refused = Synchronizer(d, options()).runOnce();
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Incompatible);
        QVERIFY(refused.error().message.contains(QLatin1String("demo")));
        QVERIFY(syncStateValue(d, QString::fromLatin1(kStateClinic)).value().isEmpty());
    }

    void restoredCentralResyncsAndReportsWhatItLacks()
    {
        Database a = desktop();
        const auto kept = PatientStore(a, m_staff.principal).create(patient(QStringLiteral("Hal")));
        QVERIFY(kept);
        sync(a);
        // Local state the central does not have: a row "acknowledged" before the restore, and a
        // row whose local version ran ahead of the restored central's.
        Row orphan = RecordTable(a, u"patients").get(kept->id.value).value();
        orphan.insert(QStringLiteral("id"), newUuidV7());
        orphan.insert(QStringLiteral("mrn"), QStringLiteral("ORPHAN-1"));
        QVERIFY(RecordTable(a, u"patients").insert(orphan));
        exec(a, QStringLiteral("UPDATE patients SET version = version + 50, given_name = 'Stale' WHERE id = :id"),
             {{QStringLiteral("id"), kept->id.value}});
        QVERIFY(setSyncStateValue(a, QString::fromLatin1(kStateSystemIdentifier), QStringLiteral("42")));

        const SyncReport report = sync(a);
        QVERIFY(report.resynced);
        QCOMPARE(report.missingOnCentral,
                 QStringList{QStringLiteral("patients ") + orphan.value(u"id").toString()});
        QCOMPARE(count(a, QStringLiteral("patients WHERE id = :id"), {{QStringLiteral("id"), orphan.value(u"id").toString()}}), 1);
        QCOMPARE(PatientStore(a, m_staff.principal).get(kept->id).value().given_name, QStringLiteral("Hal"));
        QCOMPARE(readSyncStatus(a).value().missingOnCentral, report.missingOnCentral);
        QVERIFY(!sync(a).resynced); // done once

        // A cursor ahead of the central's transaction counter: restored from a backup.
        exec(a, QStringLiteral("UPDATE sync_state SET value = '999999999999' WHERE key = 'pull_xid'"));
        QVERIFY(sync(a).resynced);
    }

    void lateCommitIsPulledNotSkipped()
    {
        Database a = desktop();
        Database early = centralConnection();
        Database late = centralConnection();
        // The late transaction starts first (lower xid) and commits last.
        Transaction lateTx(late);
        QVERIFY(lateTx.started());
        const PatientId slow = rawPatient(late, QStringLiteral("Ivy"));
        const PatientId quick = rawPatient(early, QStringLiteral("Jo"));
        SyncOptions o = options();
        o.stallSeconds = 1;
        const SyncReport held = sync(a, o);
        QVERIFY2(held.stalled, "changes behind an open transaction are waited for, and reported");
        QCOMPARE(count(a, QStringLiteral("patients WHERE id IN (:a, :b)"),
                       {{QStringLiteral("a"), slow.value}, {QStringLiteral("b"), quick.value}}),
                 0);
        QVERIFY(readSyncStatus(a).value().stalled);
        QVERIFY(lateTx.commit());
        const SyncReport after = sync(a);
        QVERIFY(!after.stalled);
        QVERIFY(PatientStore(a, m_staff.principal).get(slow));
        QVERIFY(PatientStore(a, m_staff.principal).get(quick));
        QVERIFY(!readSyncStatus(a).value().stalled);
    }

    void childCommittedBeforeItsParentAppliesCleanly()
    {
        Database a = desktop();
        Database childConnection = centralConnection();
        Database parentConnection = centralConnection();
        // The child's transaction takes its xid first, the parent's commits first.
        Transaction childTx(childConnection);
        QVERIFY(childTx.started());
        exec(childConnection, QStringLiteral("SELECT pg_current_xact_id()"));
        const PatientId parent = rawPatient(parentConnection, QStringLiteral("Kai"));
        Vitals v;
        v.id = newId<VitalsId>();
        v.clinic_id = m_clinic;
        v.patient_id = parent;
        v.recorded_at = nowUtc().addSecs(-60);
        v.heart_rate_bpm = 71;
        v.meta.created_at = v.meta.updated_at = nowUtc();
        QVERIFY(RecordTable(childConnection, u"vitals").insert(toRow(v)));
        QVERIFY(childTx.commit());
        SyncOptions o = options();
        o.pullPage = 1; // the child's page comes before its parent's
        sync(a, o);
        QVERIFY(PatientStore(a, m_staff.principal).get(parent));
        QCOMPARE(count(a, QStringLiteral("vitals WHERE id = :id"), {{QStringLiteral("id"), v.id.value}}), 1);
    }

    // A draft edited on one desktop and signed on another before it pulled the edit: the central
    // signs the merged note, and the signing desktop takes it (its own signed copy differs; the
    // desktop's immutability triggers must not refuse the central's row).
    void noteSignedElsewhereAfterAnEditArrives()
    {
        Database a = desktop();
        Database b = desktop();
        const auto p = PatientStore(a, m_staff.principal).create(patient(QStringLiteral("Lou")));
        QVERIFY(p);
        Consultation draft;
        draft.patient_id = p->id;
        draft.provider_id = m_doctor.provider;
        draft.started_at = nowUtc().addSecs(-600);
        draft.chief_complaint = QStringLiteral("Cough");
        const auto created = ConsultationStore(a, m_doctor.principal).create(draft);
        QVERIFY2(created, qPrintable(created ? QString() : created.error().message));
        sync(a);
        sync(b);
        Consultation onB = ConsultationStore(b, m_doctor.principal).get(created->id).value();
        onB.history = QStringLiteral("Three days, no fever.");
        QVERIFY(ConsultationStore(b, m_doctor.principal).update(onB));
        sync(b);
        QVERIFY(ConsultationStore(a, m_doctor.principal).sign(created->id));
        const SyncReport report = sync(a);
        QCOMPARE(report.applied, 1);
        for (const Database &d : {a, b}) {
            sync(d);
            const Consultation c = ConsultationStore(d, m_doctor.principal).get(created->id).value();
            QCOMPARE(c.history, QStringLiteral("Three days, no fever."));
            QCOMPARE(c.status, ConsultationStatus::Signed);
        }
        QCOMPARE(test::queuedChanges(a), 0);
        // A person still cannot change the signed note here.
        Consultation edited = ConsultationStore(a, m_doctor.principal).get(created->id).value();
        edited.plan = QStringLiteral("Rest");
        QVERIFY(!ConsultationStore(a, m_doctor.principal).update(edited));
    }
};

QTEST_GUILESS_MAIN(TestSyncEngine)
#include "tst_syncengine.moc"
