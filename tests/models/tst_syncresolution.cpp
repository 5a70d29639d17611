#include "appointmentstore.h"
#include "auditlog.h"
#include "clock.h"
#include "consultationstore.h"
#include "outbox.h"
#include "patientstore.h"
#include "recordeditor.h"
#include "syncresolution.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTest>
#include <QTimeZone>

using namespace tmdash;

namespace {

// Monday 4 March 2030, 10:00 in the clinic's zone (New York, EST).
QDateTime clinicTime(int hour, int minute = 0)
{
    return QDateTime(QDate(2030, 3, 4), QTime(hour, minute), QTimeZone("America/New_York")).toUTC();
}

QString jsonText(const QJsonValue &value)
{
    const QString text =
        QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
    return text.mid(1, text.size() - 2);
}

} // namespace

// What a person does about what the sync engine leaves behind (syncresolution.h): conflicts
// (rows of `conflicts`, the record holding the central's value) and rejections (outbox rows with
// status `rejected`, the record again the central's). The engine's part is simulated here by
// writing those rows directly, as a push would leave them.
class TestSyncResolution : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("syncresolution")};
    Database m_db;
    ClinicId m_clinic;
    Principal m_admin;
    Principal m_staff;
    test::TestProvider m_doctor;
    PatientId m_ada;

    void fresh()
    {
        m_db = m_factory.create(SqlDialect::Sqlite);
        m_clinic = test::insertClinic(m_db);
        m_admin =
            test::insertUser(m_db, m_clinic, Role::Admin, QStringLiteral("boss@north.example"))
                .principal;
        m_staff = test::insertUser(m_db, m_clinic, Role::Staff, QStringLiteral("sam@north.example"))
                      .principal;
        m_doctor = test::insertProvider(m_db, m_clinic);
        for (int weekday = 1; weekday <= 5; ++weekday)
            insertRow(u"provider_availability",
                      {{QStringLiteral("id"), newUuidV7()},
                       {QStringLiteral("clinic_id"), m_clinic.value},
                       {QStringLiteral("provider_id"), m_doctor.provider.value},
                       {QStringLiteral("weekday"), weekday},
                       {QStringLiteral("start_time"), QStringLiteral("09:00")},
                       {QStringLiteral("end_time"), QStringLiteral("17:00")}});
        Patient ada;
        ada.given_name = QStringLiteral("Ada");
        ada.family_name = QStringLiteral("Lovelace");
        ada.birth_date = QDate(1985, 12, 10);
        ada.sex = Sex::Female;
        ada.phone = QStringLiteral("+15552013344");
        ada.email = QStringLiteral("ada@example.org");
        PatientAllergy penicillin;
        penicillin.substance = QStringLiteral("penicillin");
        penicillin.reaction = QStringLiteral("rash");
        ada.allergies << penicillin;
        auto created = PatientStore(m_db, m_staff).create(ada);
        QVERIFY2(created, qPrintable(created.error().message));
        m_ada = created->id;
        acknowledgeAll();
    }

    void insertRow(QStringView table, Row row) const
    {
        row.insert(QStringLiteral("created_at"), QStringLiteral("2026-01-01T00:00:00.000Z"));
        row.insert(QStringLiteral("updated_at"), QStringLiteral("2026-01-01T00:00:00.000Z"));
        if (Status s = RecordTable(m_db, table).insert(row); !s)
            qFatal("inserting into %s failed: %s", qPrintable(table.toString()),
                   qPrintable(s.error().message));
    }

    // The push acknowledged every outbox row.
    void acknowledgeAll() const { QVERIFY(execSql(m_db, QStringLiteral("DELETE FROM outbox"))); }

    // The record as the central holds it, written past the stores (as apply-remote does).
    void centralHas(QStringView table, const QString &id, const Row &columns) const
    {
        QVERIFY(RecordTable(m_db, table).update(id, columns));
    }

    Row stored(QStringView table, const QString &id) const
    {
        auto row = RecordTable(m_db, table).get(id);
        if (!row)
            qFatal("reading %s failed: %s", qPrintable(id), qPrintable(row.error().message));
        return *row;
    }

    // A conflict row as the engine records it.
    QString addConflict(const QString &entity, const QString &entityId, const QString &field,
                        const QJsonValue &local, const QJsonValue &central,
                        const QString &mutation) const
    {
        const QString id = newUuidV7();
        QSqlQuery q(m_db.connection());
        q.prepare(QStringLiteral(
            "INSERT INTO conflicts (id, entity, entity_id, field, local_value, "
            "central_value, mutation_id, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const QString &v : {id, entity, entityId, field, jsonText(local), jsonText(central),
                                 mutation, formatInstant(nowUtc())})
            q.addBindValue(v);
        if (!q.exec())
            qFatal("inserting a conflict failed");
        return id;
    }

    // Marks the newest outbox row rejected with the central's reason; returns its mutation id.
    QString rejectNewest(const QString &reason) const
    {
        const QList<OutboxEntry> outbox = test::outboxOf(m_db);
        if (outbox.isEmpty())
            qFatal("no outbox row to reject");
        const QString mutation = outbox.last().mutation_id;
        QSqlQuery q(m_db.connection());
        q.prepare(QStringLiteral(
            "UPDATE outbox SET status = 'rejected', error = ? WHERE mutation_id = ?"));
        q.addBindValue(reason);
        q.addBindValue(mutation);
        if (!q.exec())
            qFatal("rejecting failed");
        return mutation;
    }

    QStringList resolvedMutationIds() const
    {
        auto ids = resolvedMutations(m_db);
        if (!ids)
            qFatal("reading resolved mutations failed");
        return *ids;
    }

    bool isOpen(const QString &conflictId) const
    {
        auto all = SyncResolutionStore(m_db, m_admin).conflicts(ConflictFilter::Open);
        if (!all)
            qFatal("listing conflicts failed");
        return std::any_of(all->cbegin(), all->cend(),
                           [&](const SyncConflict &c) { return c.id == conflictId; });
    }

    QStringList auditActions() const
    {
        QStringList out;
        QSqlQuery q(m_db.connection());
        if (!q.exec(QStringLiteral("SELECT action FROM audit_log ORDER BY seq")))
            qFatal("reading the audit log failed");
        while (q.next())
            out << q.value(0).toString();
        return out;
    }

    // A booking (10:00 on the Monday) made here and acknowledged by the push.
    AppointmentId book(const QDateTime &start = clinicTime(10))
    {
        Appointment a;
        a.patient_id = m_ada;
        a.provider_id = m_doctor.provider;
        a.start_at = start;
        a.duration_minutes = 30;
        a.type = AppointmentType::FollowUp;
        auto created = AppointmentStore(m_db, m_staff).create(a);
        if (!created)
            qFatal("booking failed: %s", qPrintable(created.error().message));
        acknowledgeAll();
        return created->id;
    }

private Q_SLOTS:
    void init() { fresh(); }

    // Two fields of one pushed edit conflicted. Keeping the central's value writes nothing; the
    // mutation is reported resolved only once its last conflict is.
    void keepCentralThenLocal()
    {
        const QString mutation = newUuidV7();
        centralHas(u"patients", m_ada.value,
                   {{QStringLiteral("phone"), QStringLiteral("+15550000001")},
                    {QStringLiteral("email"), QStringLiteral("central@example.org")}});
        const QString phone =
            addConflict(QStringLiteral("patients"), m_ada.value, QStringLiteral("phone"),
                        QStringLiteral("+15559990000"), QStringLiteral("+15550000001"), mutation);
        const QString email = addConflict(
            QStringLiteral("patients"), m_ada.value, QStringLiteral("email"),
            QStringLiteral("mine@example.org"), QStringLiteral("central@example.org"), mutation);
        const SyncResolutionStore store(m_db, m_staff);
        auto open = store.conflicts();
        QVERIFY(open);
        QCOMPARE(open->size(), 2);
        QCOMPARE(open->first().local_value.toString(), QStringLiteral("+15559990000"));

        auto central = store.resolve(phone, ConflictResolution::Central);
        QVERIFY2(central, qPrintable(central.error().message));
        QVERIFY(central->resolution == ConflictResolution::Central);
        QVERIFY(central->resolved_at.has_value());
        QCOMPARE(stored(u"patients", m_ada.value).value(u"phone").toString(),
                 QStringLiteral("+15550000001"));
        QCOMPARE(test::outboxOf(m_db).size(), 0);
        QVERIFY(!isOpen(phone));
        QVERIFY(!resolvedMutationIds().contains(mutation)); // the email is still open

        // Resolving twice is refused.
        auto again = store.resolve(phone, ConflictResolution::Local);
        QVERIFY(!again);
        QCOMPARE(test::fieldCodes(again.error()), QStringList{QStringLiteral("id:resolved")});

        auto local = store.resolve(email, ConflictResolution::Local);
        QVERIFY2(local, qPrintable(local.error().message));
        QCOMPARE(stored(u"patients", m_ada.value).value(u"email").toString(),
                 QStringLiteral("mine@example.org"));
        const QList<OutboxEntry> outbox = test::outboxOf(m_db);
        QCOMPARE(outbox.size(), 1);
        QCOMPARE(outbox.first().entity, QStringLiteral("patients"));
        QCOMPARE(outbox.first().entity_id, m_ada.value);
        QCOMPARE(outbox.first().op, OutboxOp::Update);
        QCOMPARE(outbox.first().changes,
                 (QJsonObject{
                     {QStringLiteral("email"),
                      QJsonObject{{QStringLiteral("old"), QStringLiteral("central@example.org")},
                                  {QStringLiteral("new"), QStringLiteral("mine@example.org")}}}}));
        QVERIFY(resolvedMutationIds().contains(mutation));
        QVERIFY(store.conflicts()->isEmpty());
        QCOMPARE(store.conflicts(ConflictFilter::All)->size(), 2);
        const QStringList actions = auditActions();
        QCOMPARE(actions.count(QStringLiteral("conflict_resolved")), 2);
        QVERIFY(actions.contains(QStringLiteral("update")));
    }

    // A merged value goes through the store like any edit (phones are stored in E.164).
    void keepMerged()
    {
        const QString mutation = newUuidV7();
        centralHas(u"patients", m_ada.value,
                   {{QStringLiteral("phone"), QStringLiteral("+15550000001")}});
        const QString phone =
            addConflict(QStringLiteral("patients"), m_ada.value, QStringLiteral("phone"),
                        QStringLiteral("+15559990000"), QStringLiteral("+15550000001"), mutation);
        auto merged = SyncResolutionStore(m_db, m_staff)
                          .resolve(phone, ConflictResolution::Merged,
                                   QJsonValue(QStringLiteral("(555) 123-4567")));
        QVERIFY2(merged, qPrintable(merged.error().message));
        QVERIFY(merged->resolution == ConflictResolution::Merged);
        QCOMPARE(stored(u"patients", m_ada.value).value(u"phone").toString(),
                 QStringLiteral("+15551234567"));
        const QList<OutboxEntry> outbox = test::outboxOf(m_db);
        QCOMPARE(outbox.size(), 1);
        QCOMPARE(outbox.first().changes.value(u"phone").toObject().value(u"old").toString(),
                 QStringLiteral("+15550000001"));
        QCOMPARE(outbox.first().changes.value(u"phone").toObject().value(u"new").toString(),
                 QStringLiteral("+15551234567"));
        QVERIFY(resolvedMutationIds().contains(mutation));
    }

    void invalidMerged_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("store rule")
            << QStringLiteral("phone") << QJsonValue(QStringLiteral("not a phone"))
            << QStringLiteral("phone:format");
        QTest::newRow("type") << QStringLiteral("phone") << QJsonValue(42)
                              << QStringLiteral("phone:type");
        QTest::newRow("enum") << QStringLiteral("sex") << QJsonValue(QStringLiteral("bogus"))
                              << QStringLiteral("sex:unknown");
        QTest::newRow("required") << QStringLiteral("family_name") << QJsonValue(QJsonValue::Null)
                                  << QStringLiteral("family_name:required");
        QTest::newRow("no value") << QStringLiteral("phone") << QJsonValue(QJsonValue::Undefined)
                                  << QStringLiteral("value:required");
    }
    void invalidMerged()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, expected);
        const QString mutation = newUuidV7();
        const Row before = stored(u"patients", m_ada.value);
        const QString conflict = addConflict(QStringLiteral("patients"), m_ada.value, field,
                                             QStringLiteral("x"), before.value(field), mutation);
        const std::optional<QJsonValue> merged =
            value.isUndefined() ? std::nullopt : std::optional(value);
        auto refused = SyncResolutionStore(m_db, m_staff)
                           .resolve(conflict, ConflictResolution::Merged, merged);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Invalid);
        QVERIFY2(test::fieldCodes(refused.error()).contains(expected),
                 qPrintable(test::fieldCodes(refused.error()).join(u' ')));
        // Nothing changed: the record, the outbox, the conflict, the resolved list.
        QCOMPARE(stored(u"patients", m_ada.value), before);
        QCOMPARE(test::outboxOf(m_db).size(), 0);
        QVERIFY(isOpen(conflict));
        QVERIFY(resolvedMutationIds().isEmpty());
    }

    // An owned-list row (an allergy) changes through its patient's store.
    void keepLocalOnOwnedListRow()
    {
        auto ada = PatientStore(m_db, m_staff).get(m_ada);
        QVERIFY(ada);
        const QString allergy = ada->allergies.first().id.value;
        centralHas(u"patient_allergies", allergy,
                   {{QStringLiteral("reaction"), QStringLiteral("hives")}});
        const QString conflict =
            addConflict(QStringLiteral("patient_allergies"), allergy, QStringLiteral("reaction"),
                        QStringLiteral("anaphylaxis"), QStringLiteral("hives"), newUuidV7());
        auto local =
            SyncResolutionStore(m_db, m_staff).resolve(conflict, ConflictResolution::Local);
        QVERIFY2(local, qPrintable(local.error().message));
        QCOMPARE(stored(u"patient_allergies", allergy).value(u"reaction").toString(),
                 QStringLiteral("anaphylaxis"));
        const QList<OutboxEntry> outbox = test::outboxOf(m_db);
        QCOMPARE(outbox.size(), 1);
        QCOMPARE(outbox.first().entity, QStringLiteral("patient_allergies"));
        QCOMPARE(outbox.first().changes.keys(), QStringList{QStringLiteral("reaction")});
    }

    // A refused creation is created again with the same id, the edits over its row.
    void retryInsertWithEdits()
    {
        Patient grace;
        grace.given_name = QStringLiteral("Grace");
        grace.family_name = QStringLiteral("Hopper");
        grace.birth_date = QDate(1906, 12, 9);
        grace.sex = Sex::Female;
        auto created = PatientStore(m_db, m_staff).create(grace);
        QVERIFY(created);
        const QString id = created->id.value;
        const QString mutation = rejectNewest(QStringLiteral("duplicate MRN"));
        // After the push the record is again the central's: absent.
        QVERIFY(execSql(m_db, QStringLiteral("DELETE FROM patients WHERE id = '%1'").arg(id)));

        const SyncResolutionStore store(m_db, m_staff);
        auto listed = store.rejections();
        QVERIFY(listed);
        QCOMPARE(listed->size(), 1);
        QCOMPARE(listed->first().mutation_id, mutation);
        QCOMPARE(listed->first().error, QStringLiteral("duplicate MRN"));

        const Status retried =
            store.retry(mutation, {{QStringLiteral("mrn"), QStringLiteral("NEW-000001")},
                                   {QStringLiteral("phone"), QStringLiteral("+15550100200")}});
        QVERIFY2(retried, qPrintable(retried.error().message));
        const Row row = stored(u"patients", id);
        QCOMPARE(row.value(u"mrn").toString(), QStringLiteral("NEW-000001"));
        QCOMPARE(row.value(u"given_name").toString(), QStringLiteral("Grace"));
        const QList<OutboxEntry> outbox = test::outboxOf(m_db);
        QCOMPARE(outbox.size(), 1); // the rejected row is gone, the new one pending
        QCOMPARE(outbox.first().status, QStringLiteral("pending"));
        QCOMPARE(outbox.first().op, OutboxOp::Insert);
        QCOMPARE(outbox.first().entity_id, id);
        QVERIFY(outbox.first().mutation_id != mutation);
        QCOMPARE(outbox.first().changes.value(u"phone").toString(), QStringLiteral("+15550100200"));
        QVERIFY(resolvedMutationIds().contains(mutation));
        QVERIFY(store.rejections()->isEmpty());
        QVERIFY(auditActions().contains(QStringLiteral("rejection_retried")));
    }

    // A refused edit sets its new values again (plus the edits), old = the central's values.
    void retryUpdateWithEdits()
    {
        auto ada = PatientStore(m_db, m_staff).get(m_ada);
        QVERIFY(ada);
        Patient edited = *ada;
        edited.family_name = QStringLiteral("King");
        QVERIFY(PatientStore(m_db, m_staff).update(edited));
        const QString mutation = rejectNewest(QStringLiteral("depends on rejected mutation"));
        centralHas(u"patients", m_ada.value,
                   {{QStringLiteral("family_name"), QStringLiteral("Lovelace")}});

        const Status retried =
            SyncResolutionStore(m_db, m_staff)
                .retry(mutation, {{QStringLiteral("middle_name"), QStringLiteral("Augusta")}});
        QVERIFY2(retried, qPrintable(retried.error().message));
        const QList<OutboxEntry> outbox = test::outboxOf(m_db);
        QCOMPARE(outbox.size(), 1);
        QCOMPARE(outbox.first().op, OutboxOp::Update);
        QCOMPARE(outbox.first().changes.value(u"family_name").toObject(),
                 (QJsonObject{{QStringLiteral("old"), QStringLiteral("Lovelace")},
                              {QStringLiteral("new"), QStringLiteral("King")}}));
        QCOMPARE(outbox.first().changes.value(u"middle_name").toObject().value(u"new").toString(),
                 QStringLiteral("Augusta"));
        QCOMPARE(stored(u"patients", m_ada.value).value(u"family_name").toString(),
                 QStringLiteral("King"));
        QVERIFY(resolvedMutationIds().contains(mutation));
    }

    // A refused status change is taken again through the record's action (cancel, with the
    // reason edited).
    void retryStateChange()
    {
        const AppointmentId booking = book();
        QVERIFY(AppointmentStore(m_db, m_staff).cancel(booking, QStringLiteral("patient called")));
        const QString mutation = rejectNewest(QStringLiteral("illegal transition"));
        centralHas(u"appointments", booking.value,
                   {{QStringLiteral("status"), QStringLiteral("scheduled")},
                    {QStringLiteral("cancel_reason"), QJsonValue::Null}});

        const Status retried =
            SyncResolutionStore(m_db, m_staff)
                .retry(mutation, {{QStringLiteral("cancel_reason"), QStringLiteral("flu")}});
        QVERIFY2(retried, qPrintable(retried.error().message));
        const Row row = stored(u"appointments", booking.value);
        QCOMPARE(row.value(u"status").toString(), QStringLiteral("cancelled"));
        QCOMPARE(row.value(u"cancel_reason").toString(), QStringLiteral("flu"));
        const QList<OutboxEntry> outbox = test::outboxOf(m_db);
        QCOMPARE(outbox.size(), 1);
        QCOMPARE(outbox.first().op, OutboxOp::State);
        QCOMPARE(outbox.first().changes.value(u"status").toObject(),
                 (QJsonObject{{QStringLiteral("old"), QStringLiteral("scheduled")},
                              {QStringLiteral("new"), QStringLiteral("cancelled")}}));
        QVERIFY(resolvedMutationIds().contains(mutation));
    }

    // A booking the central refused (double booking) is retried at another time; retried as it
    // was, the desktop's own rules refuse it again and nothing changes.
    void retryRefusedBooking()
    {
        book(clinicTime(11));
        Appointment a;
        a.patient_id = m_ada;
        a.provider_id = m_doctor.provider;
        a.start_at = clinicTime(10);
        a.duration_minutes = 30;
        auto created = AppointmentStore(m_db, m_staff).create(a);
        QVERIFY(created);
        const QString mutation = rejectNewest(QStringLiteral("double booking"));
        QVERIFY(execSql(
            m_db,
            QStringLiteral("DELETE FROM appointments WHERE id = '%1'").arg(created->id.value)));

        const SyncResolutionStore store(m_db, m_staff);
        const Status clash = store.retry(
            mutation, {{QStringLiteral("start_at"), formatInstant(clinicTime(11, 15))}});
        QVERIFY(!clash);
        QCOMPARE(clash.error().code, ErrorCode::Invalid);
        QVERIFY(test::fieldCodes(clash.error()).contains(QStringLiteral("start_at:overlap")));
        QCOMPARE(test::outboxOf(m_db).size(), 1);
        QCOMPARE(test::outboxOf(m_db).first().status, QStringLiteral("rejected"));
        QVERIFY(resolvedMutationIds().isEmpty());

        // Any ISO 8601 instant is taken.
        const Status retried = store.retry(
            mutation, {{QStringLiteral("start_at"), QStringLiteral("2030-03-04T09:00:00-05:00")}});
        QVERIFY2(retried, qPrintable(retried.error().message));
        const QList<OutboxEntry> outbox = test::outboxOf(m_db);
        QCOMPARE(outbox.size(), 1);
        QCOMPARE(outbox.first().op, OutboxOp::Insert);
        QCOMPARE(outbox.first().entity_id, created->id.value);
        QCOMPARE(outbox.first().changes.value(u"start_at").toString(),
                 QStringLiteral("2030-03-04T14:00:00.000Z"));
    }

    void discard()
    {
        auto ada = PatientStore(m_db, m_staff).get(m_ada);
        QVERIFY(ada);
        Patient edited = *ada;
        edited.notes = QStringLiteral("prefers mornings");
        QVERIFY(PatientStore(m_db, m_staff).update(edited));
        const QString mutation = rejectNewest(QStringLiteral("refused"));
        const SyncResolutionStore store(m_db, m_staff);
        QVERIFY(store.discard(mutation));
        QCOMPARE(test::outboxOf(m_db).size(), 0);
        QVERIFY(resolvedMutationIds().contains(mutation));
        QVERIFY(auditActions().contains(QStringLiteral("rejection_discarded")));
        QCOMPARE(store.discard(mutation).error().code, ErrorCode::NotFound);
    }

    void permissions()
    {
        // A provider's draft note with a conflict on its plan, and a rejected edit of it.
        Consultation note;
        note.patient_id = m_ada;
        note.provider_id = m_doctor.provider;
        note.started_at = nowUtc().addSecs(-1800);
        note.chief_complaint = QStringLiteral("Cough");
        note.plan = QStringLiteral("Fluids");
        auto created = ConsultationStore(m_db, m_doctor.principal).create(note);
        QVERIFY(created);
        acknowledgeAll();
        Consultation edited = *created;
        edited.plan = QStringLiteral("Fluids and rest");
        QVERIFY(ConsultationStore(m_db, m_doctor.principal).update(edited));
        const QString rejected = rejectNewest(QStringLiteral("refused"));
        const QString conflict =
            addConflict(QStringLiteral("consultations"), created->id.value, QStringLiteral("plan"),
                        QStringLiteral("Rest"), QStringLiteral("Fluids"), newUuidV7());

        // The patient role handles none of it.
        const Principal patient = test::insertUser(m_db, m_clinic, Role::Patient,
                                                   QStringLiteral("ada@north.example"), m_ada)
                                      .principal;
        const SyncResolutionStore asPatient(m_db, patient);
        QCOMPARE(asPatient.conflicts().error().code, ErrorCode::NotPermitted);
        QCOMPARE(asPatient.rejections().error().code, ErrorCode::NotPermitted);
        QCOMPARE(asPatient.resolve(conflict, ConflictResolution::Central).error().code,
                 ErrorCode::NotPermitted);
        QCOMPARE(asPatient.retry(rejected).error().code, ErrorCode::NotPermitted);

        // Staff read notes but do not write them: listed, not resolved, retried or discarded.
        const SyncResolutionStore asStaff(m_db, m_staff);
        QCOMPARE(asStaff.conflicts()->size(), 1);
        QCOMPARE(asStaff.rejections()->size(), 1);
        QCOMPARE(asStaff.resolve(conflict, ConflictResolution::Central).error().code,
                 ErrorCode::NotPermitted);
        QCOMPARE(asStaff.retry(rejected).error().code, ErrorCode::NotPermitted);
        QCOMPARE(asStaff.discard(rejected).error().code, ErrorCode::NotPermitted);
        QVERIFY(isOpen(conflict));
        QCOMPARE(test::outboxOf(m_db).size(), 1);

        // The note's provider may.
        const SyncResolutionStore asDoctor(m_db, m_doctor.principal);
        QVERIFY(asDoctor.resolve(conflict, ConflictResolution::Local));
        QCOMPARE(stored(u"consultations", created->id.value).value(u"plan").toString(),
                 QStringLiteral("Rest"));
        QVERIFY(asDoctor.retry(rejected));
        QCOMPARE(stored(u"consultations", created->id.value).value(u"plan").toString(),
                 QStringLiteral("Fluids and rest"));

        // A conflict on an account is hidden from staff (they may not read accounts).
        addConflict(QStringLiteral("users"), m_staff.user_id.value, QStringLiteral("given_name"),
                    QStringLiteral("Samuel"), QStringLiteral("Sam"), newUuidV7());
        QCOMPARE(asStaff.conflicts()->size(), 0);
        QCOMPARE(SyncResolutionStore(m_db, m_admin).conflicts()->size(), 1);
    }

    void notFound()
    {
        const SyncResolutionStore store(m_db, m_staff);
        QCOMPARE(store.resolve(newUuidV7(), ConflictResolution::Central).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(store.resolve(QStringLiteral("nope"), ConflictResolution::Central).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(store.retry(newUuidV7()).error().code, ErrorCode::NotFound);
        QCOMPARE(store.discard(newUuidV7()).error().code, ErrorCode::NotFound);

        // A pending (not rejected) change is no rejection.
        auto ada = PatientStore(m_db, m_staff).get(m_ada);
        Patient edited = *ada;
        edited.notes = QStringLiteral("x");
        QVERIFY(PatientStore(m_db, m_staff).update(edited));
        QCOMPARE(store.retry(test::outboxOf(m_db).last().mutation_id).error().code,
                 ErrorCode::NotFound);

        // A record of another clinic behaves as absent.
        const ClinicId west = test::insertClinic(m_db, QStringLiteral("West"));
        Patient stranger;
        stranger.clinic_id = west;
        stranger.given_name = QStringLiteral("Alan");
        stranger.family_name = QStringLiteral("Turing");
        stranger.birth_date = QDate(1912, 6, 23);
        stranger.sex = Sex::Male;
        auto other = PatientStore(m_db, Principal::owner()).create(stranger);
        QVERIFY(other);
        const QString conflict =
            addConflict(QStringLiteral("patients"), other->id.value, QStringLiteral("phone"),
                        QStringLiteral("+15550000002"), QJsonValue::Null, newUuidV7());
        QVERIFY(store.conflicts()->isEmpty());
        QCOMPARE(store.resolve(conflict, ConflictResolution::Local).error().code,
                 ErrorCode::NotFound);
        const QString foreign = rejectNewest(QStringLiteral("refused"));
        QVERIFY(test::outboxOf(m_db).last().entity_id == other->id.value);
        QCOMPARE(store.discard(foreign).error().code, ErrorCode::NotFound);
        QCOMPARE(store.rejections()->size(), 0);
    }

    // The editor on its own: a bookkeeping column, an unknown column, a changed id.
    void editorRefusesBookkeeping()
    {
        const RecordEditor editor(m_db, m_staff);
        const Status s = editor.setFields(u"patients", m_ada.value,
                                          {{QStringLiteral("version"), 7},
                                           {QStringLiteral("shoe_size"), 44},
                                           {QStringLiteral("id"), newUuidV7()}});
        QVERIFY(!s);
        QCOMPARE(test::fieldCodes(s.error()),
                 (QStringList{QStringLiteral("id:immutable"), QStringLiteral("shoe_size:unknown"),
                              QStringLiteral("version:read_only")}));
        QCOMPARE(editor.remove(u"appointments", newUuidV7()).error().code, ErrorCode::Invalid);
        QCOMPARE(test::outboxOf(m_db).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSyncResolution)
#include "tst_syncresolution.moc"
