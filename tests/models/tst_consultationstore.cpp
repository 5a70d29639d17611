#include "clock.h"
#include "consultationcodec.h"
#include "consultationstore.h"
#include "consultationvalidator.h"
#include "outbox.h"
#include "patientstore.h"
#include "testsupport.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace tmdash;

namespace {

struct Setup
{
    ClinicId clinic;
    PatientId patient;
    ProviderId provider;
    Principal doctor; // the provider's user, a person who can sign
};

Setup setUp(const Database &db)
{
    Setup s;
    s.clinic = test::insertClinic(db);
    Patient p;
    p.given_name = QStringLiteral("Ada");
    p.family_name = QStringLiteral("Lovelace");
    p.birth_date = QDate(1985, 12, 10);
    p.sex = Sex::Female;
    auto patient = PatientStore(db, Principal::owner()).create(p);
    if (!patient)
        qFatal("creating a patient failed: %s", qPrintable(patient.error().message));
    s.patient = patient->id;
    const test::TestProvider doctor = test::insertProvider(db, s.clinic);
    s.provider = doctor.provider;
    s.doctor = doctor.principal;
    return s;
}

Consultation note(const Setup &s)
{
    Consultation c;
    c.patient_id = s.patient;
    c.provider_id = s.provider;
    c.started_at = nowUtc().addSecs(-1800);
    c.chief_complaint = QStringLiteral("Cough for two weeks");
    c.history = QStringLiteral("Dry cough, no fever.");
    c.examination = QStringLiteral("Clear chest.");
    c.assessment = QStringLiteral("Likely post-viral cough.");
    c.plan = QStringLiteral("Honey, fluids; return if worse.");
    c.follow_up_days = 14;
    c.diagnoses << ConsultationDiagnosis{RowId(),
                                         QStringLiteral("R05.9"),
                                         QStringLiteral("Cough, unspecified"),
                                         true,
                                         {}}
                << ConsultationDiagnosis{
                       RowId(), QStringLiteral("J06.9"), QStringLiteral("Acute URI"), false, {}};
    return c;
}


qint64 outboxCount(const Database &db)
{
    return db.isSqlite() ? test::rowCount(db, QStringLiteral("outbox")) : 0;
}

bool rawExec(const Database &db, const QString &sql, const QString &id, QString *error = nullptr)
{
    QSqlQuery q(db.connection());
    if (!q.prepare(sql))
        qFatal("prepare failed: %s", qPrintable(q.lastError().text()));
    q.bindValue(QStringLiteral(":id"), id);
    const bool ok = q.exec();
    if (error)
        *error = q.lastError().text();
    return ok;
}

} // namespace

class TestConsultationStore : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("consultationstore")};
    const Principal m_owner = Principal::owner();

private Q_SLOTS:
    void createAndGetRoundTrip_data() { m_factory.addDialectRows(); }
    void createAndGetRoundTrip()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        ConsultationStore store(db, s.doctor);
        auto created = store.create(note(s));
        QVERIFY2(created, qPrintable(created.error().message));
        QVERIFY(isUuid(created->id.value));
        QCOMPARE(created->clinic_id, s.clinic);
        QCOMPARE(created->status, ConsultationStatus::Draft);
        QCOMPARE(created->follow_up_days, std::optional<int>(14));
        QCOMPARE(created->diagnoses.size(), 2);
        QCOMPARE(created->diagnoses[0].icd10_code, QStringLiteral("R05.9"));
        QVERIFY(created->diagnoses[0].is_primary);
        QVERIFY(isUuid(created->diagnoses[1].id.value));
        QCOMPARE(created->meta.created_by, s.doctor.user_id);
        auto got = store.get(created->id);
        QVERIFY(got);
        QCOMPARE(toRow(*got), toRow(*created));
        QVERIFY(changedConsultationFields(*got, *created).isEmpty());
        QCOMPARE(store.forPatient(s.patient)->size(), 1);
        QCOMPARE(store.forPatient(s.patient)->first().diagnoses.size(), 2);
        if (dialect == SqlDialect::Sqlite) {
            const QList<OutboxEntry> entries = test::outboxOf(db);
            QCOMPARE(entries.size(), 4); // patient, note, two diagnoses
            QCOMPARE(entries[1].entity, QStringLiteral("consultations"));
            QCOMPARE(entries[1].op, OutboxOp::Insert);
            QCOMPARE(entries[1].changes.value(u"chief_complaint").toString(),
                     QStringLiteral("Cough for two weeks"));
            QCOMPARE(entries[1].changes.value(u"status").toString(), QStringLiteral("draft"));
            QCOMPARE(entries[2].entity, QStringLiteral("consultation_diagnoses"));
            QCOMPARE(entries[2].changes.value(u"consultation_id").toString(), created->id.value);
            QCOMPARE(entries[2].changes.value(u"clinic_id").toString(), s.clinic.value);
        }
    }

    void invalidNoteWritesNothing_data() { m_factory.addDialectRows(); }
    void invalidNoteWritesNothing()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        ConsultationStore store(db, s.doctor);
        const qint64 queued = outboxCount(db);
        Consultation bad = note(s);
        bad.chief_complaint.clear();
        bad.diagnoses[1].icd10_code = QStringLiteral("cough");
        auto result = store.create(bad);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Invalid);
        QStringList fields;
        for (const FieldError &e : result.error().fields)
            fields << e.field + QLatin1Char('/') + e.code;
        QVERIFY2(fields.contains(QStringLiteral("chief_complaint/required")),
                 qPrintable(fields.join(u',')));
        QVERIFY2(fields.contains(QStringLiteral("diagnoses[1].icd10_code/format")),
                 qPrintable(fields.join(u',')));
        Consultation unknownPatient = note(s);
        unknownPatient.patient_id = newId<PatientId>();
        result = store.create(unknownPatient);
        QVERIFY(!result);
        QCOMPARE(result.error().fields.first().field, QStringLiteral("patient_id"));
        QCOMPARE(result.error().fields.first().code, QStringLiteral("not_found"));
        QCOMPARE(test::rowCount(db, QStringLiteral("consultations")), 0);
        QCOMPARE(test::rowCount(db, QStringLiteral("consultation_diagnoses")), 0);
        QCOMPARE(outboxCount(db), queued);
    }

    void updateDraftWritesOnlyChanges()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        const Setup s = setUp(db);
        ConsultationStore store(db, s.doctor);
        auto created = store.create(note(s));
        QVERIFY(created);
        Consultation edited = *created;
        edited.plan = QStringLiteral("Honey, fluids, rest.");
        edited.diagnoses.removeLast();
        edited.diagnoses << ConsultationDiagnosis{
            RowId(), QStringLiteral("J20.9"), QStringLiteral("Acute bronchitis"), false, {}};
        const qsizetype before = test::outboxOf(db).size();
        auto updated = store.update(edited);
        QVERIFY2(updated, qPrintable(updated.error().message));
        QCOMPARE(updated->plan, edited.plan);
        QCOMPARE(updated->diagnoses.size(), 2);
        QCOMPARE(updated->diagnoses[1].icd10_code, QStringLiteral("J20.9"));
        const QList<OutboxEntry> entries = test::outboxOf(db).mid(before);
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries[0].op, OutboxOp::Update);
        QCOMPARE(entries[0].changes.keys(), QStringList{QStringLiteral("plan")});
        QCOMPARE(entries[0].changes[u"plan"].toObject()[u"old"].toString(), created->plan);
        QCOMPARE(entries[0].changes[u"plan"].toObject()[u"new"].toString(), edited.plan);
        QCOMPARE(entries[1].entity, QStringLiteral("consultation_diagnoses"));
        QCOMPARE(entries[1].op, OutboxOp::Insert);
        QCOMPARE(entries[2].op, OutboxOp::Delete);
        QCOMPARE(entries[2].entity_id, created->diagnoses[1].id.value);
        // Unchanged: nothing written. Fixed fields: refused.
        QVERIFY(store.update(*updated));
        QCOMPARE(test::outboxOf(db).size(), before + 3);
        Consultation moved = *updated;
        moved.patient_id = newId<PatientId>();
        auto refused = store.update(moved);
        QVERIFY(!refused);
        QCOMPARE(refused.error().fields.first().field, QStringLiteral("patient_id"));
        QCOMPARE(refused.error().fields.first().code, QStringLiteral("immutable"));
        // Signing is the sign action, not an edit.
        Consultation signedByEdit = *updated;
        signedByEdit.status = ConsultationStatus::Signed;
        signedByEdit.signed_at = nowUtc();
        signedByEdit.signed_by = s.doctor.user_id;
        refused = store.update(signedByEdit);
        QVERIFY(!refused);
        QCOMPARE(refused.error().fields.first().field, QStringLiteral("status"));
        QCOMPARE(refused.error().fields.first().code, QStringLiteral("transition"));
        QCOMPARE(test::outboxOf(db).size(), before + 3);
    }

    void signFreezesTheNote_data() { m_factory.addDialectRows(); }
    void signFreezesTheNote()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        ConsultationStore store(db, s.doctor);
        auto created = store.create(note(s));
        QVERIFY(created);
        const qint64 queued = outboxCount(db);
        auto signedNote = store.sign(created->id);
        QVERIFY2(signedNote, qPrintable(signedNote.error().message));
        QCOMPARE(signedNote->status, ConsultationStatus::Signed);
        QCOMPARE(signedNote->signed_by, std::optional<UserId>(s.doctor.user_id));
        QVERIFY(signedNote->signed_at.has_value());
        QVERIFY(qAbs(signedNote->signed_at->secsTo(nowUtc())) < 60);
        if (dialect == SqlDialect::Sqlite) {
            const QList<OutboxEntry> entries = test::outboxOf(db).mid(queued);
            QCOMPARE(entries.size(), 1);
            QCOMPARE(entries[0].op, OutboxOp::State);
            QStringList keys = entries[0].changes.keys();
            keys.sort();
            QCOMPARE(keys, (QStringList{QStringLiteral("signed_at"), QStringLiteral("signed_by"),
                                        QStringLiteral("status")}));
            QCOMPARE(entries[0].changes[u"status"].toObject()[u"old"].toString(),
                     QStringLiteral("draft"));
            QCOMPARE(entries[0].changes[u"status"].toObject()[u"new"].toString(),
                     QStringLiteral("signed"));
        }
        const qint64 afterSign = outboxCount(db);

        // The store refuses any edit, removal or second signature; nothing is written.
        Consultation edited = *signedNote;
        edited.plan = QStringLiteral("Changed after signing");
        auto refused = store.update(edited);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Invalid);
        QCOMPARE(refused.error().fields.first().field, QStringLiteral("status"));
        QCOMPARE(refused.error().fields.first().code, QStringLiteral("immutable"));
        Consultation fewerDiagnoses = *signedNote;
        fewerDiagnoses.diagnoses.removeLast();
        QCOMPARE(store.update(fewerDiagnoses).error().fields.first().code,
                 QStringLiteral("immutable"));
        Status removed = store.remove(created->id);
        QVERIFY(!removed);
        QCOMPARE(removed.error().fields.first().code, QStringLiteral("immutable"));
        auto twice = store.sign(created->id);
        QVERIFY(!twice);
        QCOMPARE(twice.error().fields.first().code, QStringLiteral("transition"));
        QCOMPARE(outboxCount(db), afterSign);
        QCOMPARE(store.get(created->id)->plan, signedNote->plan);
        QCOMPARE(store.get(created->id)->diagnoses.size(), 2);

        // And the database refuses raw SQL too.
        QString error;
        QVERIFY(!rawExec(db, QStringLiteral("UPDATE consultations SET plan = 'raw' WHERE id = :id"),
                         created->id.value, &error));
        QVERIFY2(error.contains(QLatin1String("signed consultation never changes")),
                 qPrintable(error));
        QVERIFY(!rawExec(
            db, QStringLiteral("UPDATE consultations SET deleted_at = updated_at WHERE id = :id"),
            created->id.value));
        QVERIFY(!rawExec(db,
                         QStringLiteral("UPDATE consultation_diagnoses SET description = 'raw' "
                                        "WHERE consultation_id = :id"),
                         created->id.value, &error));
        QVERIFY2(error.contains(QLatin1String("the consultation is signed")), qPrintable(error));
        QVERIFY(!rawExec(db, QStringLiteral("DELETE FROM consultations WHERE id = :id"),
                         created->id.value));
        QCOMPARE(store.get(created->id)->plan, signedNote->plan);
    }

    // The database requires signed_by: a principal without a user id cannot sign.
    void ownerCannotSign_data() { m_factory.addDialectRows(); }
    void ownerCannotSign()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        auto created = ConsultationStore(db, m_owner).create(note(s));
        QVERIFY(created);
        const qint64 queued = outboxCount(db);
        auto refused = ConsultationStore(db, m_owner).sign(created->id);
        QVERIFY(!refused);
        QCOMPARE(refused.error().fields.first().field, QStringLiteral("signed_by"));
        QCOMPARE(refused.error().fields.first().code, QStringLiteral("required"));
        QCOMPARE(ConsultationStore(db, m_owner).get(created->id)->status,
                 ConsultationStatus::Draft);
        QCOMPARE(outboxCount(db), queued);
    }

    void addendumAmendsTheSignedNote_data() { m_factory.addDialectRows(); }
    void addendumAmendsTheSignedNote()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        ConsultationStore store(db, s.doctor);
        auto draft = store.create(note(s));
        QVERIFY(draft);
        // A draft is edited, not amended.
        auto early = store.addendum(draft->id, note(s));
        QVERIFY(!early);
        QCOMPARE(early.error().fields.first().field, QStringLiteral("amends_id"));
        QCOMPARE(early.error().fields.first().code, QStringLiteral("transition"));
        auto missing = store.addendum(newId<ConsultationId>(), note(s));
        QVERIFY(!missing);
        QCOMPARE(missing.error().fields.first().field, QStringLiteral("amends_id"));
        QCOMPARE(missing.error().fields.first().code, QStringLiteral("unknown"));
        QCOMPARE(test::rowCount(db, QStringLiteral("consultations")), 1);

        auto signedNote = store.sign(draft->id);
        QVERIFY(signedNote);
        auto content = makeAddendum(*signedNote, s.provider, nowUtc());
        QVERIFY(content);
        Consultation edited = *content;
        edited.plan = QStringLiteral("Chest X-ray ordered after review.");
        edited.diagnoses = signedNote->diagnoses; // copied as they were: new row ids are assigned
        auto addendum = store.addendum(signedNote->id, edited);
        QVERIFY2(addendum, qPrintable(addendum.error().message));
        QVERIFY(addendum->id != signedNote->id);
        QCOMPARE(addendum->amends_id, std::optional<ConsultationId>(signedNote->id));
        QCOMPARE(addendum->status, ConsultationStatus::Draft);
        QCOMPARE(addendum->patient_id, s.patient);
        QCOMPARE(addendum->plan, edited.plan);
        QCOMPARE(addendum->diagnoses.size(), 2);
        QVERIFY(addendum->diagnoses[0].id != signedNote->diagnoses[0].id);
        QCOMPARE(store.get(signedNote->id)->diagnoses.size(), 2); // the signed note keeps its own
        // The addendum is a draft like any other: it can be signed in turn.
        QVERIFY(store.sign(addendum->id));
        const auto notes = store.forPatient(s.patient);
        QVERIFY(notes);
        QCOMPARE(notes->size(), 2);
        // create() does not make addenda.
        Consultation sneaky = note(s);
        sneaky.amends_id = signedNote->id;
        QCOMPARE(store.create(sneaky).error().fields.first().field, QStringLiteral("amends_id"));
    }

    void removeTombstonesADraft_data() { m_factory.addDialectRows(); }
    void removeTombstonesADraft()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const Setup s = setUp(db);
        ConsultationStore store(db, s.doctor);
        auto created = store.create(note(s));
        QVERIFY(created);
        const qint64 queued = outboxCount(db);
        QVERIFY(store.remove(created->id));
        QCOMPARE(store.get(created->id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.forPatient(s.patient)->size(), 0);
        QCOMPARE(test::rowCount(db, QStringLiteral("consultations")), 1); // a tombstone
        QCOMPARE(test::rowCount(db, QStringLiteral("consultation_diagnoses")), 2);
        if (dialect == SqlDialect::Sqlite) {
            const QList<OutboxEntry> entries = test::outboxOf(db).mid(queued);
            QCOMPARE(entries.size(), 3);
            for (const OutboxEntry &e : entries)
                QCOMPARE(e.op, OutboxOp::Delete);
            QCOMPARE(entries.last().entity, QStringLiteral("consultations"));
        }
        QCOMPARE(store.remove(created->id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.sign(created->id).error().code, ErrorCode::NotFound);
    }

    void outsideTheCallersClinicIsNotFound()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        const Setup s = setUp(db);
        auto created = ConsultationStore(db, s.doctor).create(note(s));
        QVERIFY(created);
        const Principal stranger{Principal::Kind::Person,
                                 UserId(newUuidV7()),
                                 test::insertClinic(db, QStringLiteral("West")),
                                 Role::Provider,
                                 {}};
        ConsultationStore store(db, stranger);
        QCOMPARE(store.get(created->id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.sign(created->id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.forPatient(s.patient)->size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestConsultationStore)
#include "tst_consultationstore.moc"
