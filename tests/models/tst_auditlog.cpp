#include "auditlog.h"
#include "chartstore.h"
#include "clock.h"
#include "consultationstore.h"
#include "outbox.h"
#include "patientstore.h"
#include "testsupport.h"
#include "transaction.h"
#include "vitalsstore.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace tmdash;

namespace {

// Every stored entry, chain by chain in seq order.
QList<AuditEntry> entries(const Database &db)
{
    auto rows = RecordTable(db, u"audit_log").select({}, {}, QStringLiteral("device_id, seq"));
    if (!rows)
        qFatal("reading audit_log failed: %s", qPrintable(rows.error().message));
    QList<AuditEntry> out;
    for (const Row &r : *rows)
        out << auditEntryFromRow(r);
    return out;
}

// The chain entries of `clinic` are appended to: this desktop's, or the clinic's on the central.
QString chainOf(const Database &db, const ClinicId &clinic = {})
{
    const QString device = deviceId(db).value();
    if (db.isSqlite() || clinic.isNull())
        return device;
    return device + QLatin1Char(':') + clinic.value;
}

// The entries of `clinic`'s chain after the first `before`.
QList<AuditEntry> newEntries(const Database &db, const ClinicId &clinic, qsizetype before)
{
    const QString device = chainOf(db, clinic);
    QList<AuditEntry> out;
    for (const AuditEntry &e : entries(db))
        if (e.device_id == device)
            out << e;
    return out.mid(before);
}

qint64 auditCount(const Database &db)
{
    return test::rowCount(db, QStringLiteral("audit_log"));
}

AuditEvent auditEvent(const QString &action, const QString &entityId = {},
                      const ClinicId &clinic = {})
{
    AuditEvent e;
    e.clinic_id = clinic;
    e.action = action;
    e.entity = QStringLiteral("patients");
    e.entity_id = entityId.isEmpty() ? newUuidV7() : entityId;
    e.fields = QJsonObject{{QStringLiteral("changed"), QJsonArray{QStringLiteral("family_name")}}};
    return e;
}

// Appends `n` entries of `clinic` as the owner; returns them.
QList<AuditEntry> appendSome(const Database &db, int n, const ClinicId &clinic = {})
{
    const qsizetype before = newEntries(db, clinic, 0).size();
    for (int i = 0; i < n; ++i)
        if (Status s = appendAudit(db, Principal::owner(),
                                   auditEvent(QStringLiteral("update"), {}, clinic));
            !s)
            qFatal("appendAudit failed: %s", qPrintable(s.error().message));
    return newEntries(db, clinic, before);
}

void execRaw(const Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql))
        qFatal("%s failed: %s", qPrintable(sql), qPrintable(q.lastError().text()));
}

// What an attacker holding the SQLite file can do: drop the append-only triggers.
void dropAppendOnlyTriggers(const Database &db)
{
    execRaw(db, QStringLiteral("DROP TRIGGER audit_log_no_update"));
    execRaw(db, QStringLiteral("DROP TRIGGER audit_log_no_delete"));
}

// A chain of another device, hashed properly, as entries arriving from elsewhere are stored.
QList<AuditEntry> foreignChain(const Database &db, const QString &device, const ClinicId &clinic,
                               int n)
{
    QList<AuditEntry> chain;
    QString previous;
    for (int i = 1; i <= n; ++i) {
        AuditEntry e;
        e.id = newUuidV7();
        e.device_id = device;
        e.seq = i;
        e.at = nowUtc().addSecs(-100 + i);
        e.actor_id = UserId(newUuidV7());
        e.role = QStringLiteral("staff");
        e.action = QStringLiteral("create");
        e.entity = QStringLiteral("vitals");
        e.entity_id = newUuidV7();
        e.clinic_id = clinic;
        e.fields = QJsonObject{{QStringLiteral("changed"), QJsonArray{QStringLiteral("pulse")}},
                               {QStringLiteral("patient_id"), newUuidV7()}};
        e.prev_hash = previous;
        e.hash = auditEntryHash(e);
        if (Status s = storeAuditEntry(db, e); !s)
            qFatal("storing a foreign entry failed: %s", qPrintable(s.error().message));
        previous = e.hash;
        chain << e;
    }
    return chain;
}

Patient ada()
{
    Patient p;
    p.given_name = QStringLiteral("Ada");
    p.family_name = QStringLiteral("Lovelace");
    p.birth_date = QDate(1985, 12, 10);
    p.sex = Sex::Female;
    p.notes = QStringLiteral("Confidential remark about the family");
    PatientAllergy penicillin;
    penicillin.substance = QStringLiteral("penicillin");
    penicillin.reaction = QStringLiteral("Hives all over");
    penicillin.criticality = AllergyCriticality::High;
    p.allergies << penicillin;
    return p;
}

Principal admin(const ClinicId &clinic)
{
    return Principal{Principal::Kind::Person, UserId(newUuidV7()), clinic, Role::Admin, {}};
}

} // namespace

class TestAuditLog : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("auditlog")};

private Q_SLOTS:
    void chainVerifies_data() { m_factory.addDialectRows(); }
    void chainVerifies()
    {
        QFETCH(SqlDialect, dialect);
        const Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        const test::TestProvider grace = test::insertProvider(db, clinic);

        QVERIFY(
            appendAudit(db, Principal::owner(), auditEvent(QStringLiteral("create"), {}, clinic))
                .ok());
        // A person's entry belongs to their clinic without naming it.
        AuditEvent login;
        login.action = QStringLiteral("login_succeeded");
        login.entity = QStringLiteral("users");
        login.entity_id = grace.user.value;
        QVERIFY(appendAudit(db, grace.principal, login).ok());
        appendSome(db, 3, clinic);

        const QList<AuditEntry> chain = entries(db);
        QCOMPARE(chain.size(), 5);
        const QString device = chainOf(db, clinic);
        QCOMPARE(device, db.isSqlite() ? deviceId(db).value()
                                       : QString(QStringLiteral("central:") + clinic.value));
        for (qsizetype i = 0; i < chain.size(); ++i) {
            const AuditEntry &e = chain.at(i);
            QCOMPARE(e.device_id, device);
            QCOMPARE(e.seq, i + 1);
            QCOMPARE(e.prev_hash, i == 0 ? QString() : chain.at(i - 1).hash);
            QCOMPARE(e.hash, auditEntryHash(e));
            QCOMPARE(e.hash.size(), 64);
            QVERIFY(e.at.isValid());
        }
        // The owner acts without a user id; a person with theirs and their role and clinic.
        QVERIFY(chain.at(0).actor_id.isNull());
        QCOMPARE(chain.at(0).role, QStringLiteral("owner"));
        QCOMPARE(chain.at(1).actor_id, grace.user);
        QCOMPARE(chain.at(1).role, QStringLiteral("provider"));
        QCOMPARE(chain.at(1).clinic_id, clinic);
        QCOMPARE(chain.at(1).action, QStringLiteral("login_succeeded"));
        QVERIFY(chain.at(1).fields.isEmpty());

        auto verified = verifyAuditLog(db);
        QVERIFY2(verified.ok(), qPrintable(verified.error().message));
        QCOMPARE(verified->checked, 5);
        QVERIFY(verified->breaks.isEmpty());

        // An empty log holds too.
        const Database empty = m_factory.create(dialect);
        auto none = verifyAuditLog(empty);
        QVERIFY(none.ok());
        QCOMPARE(none->checked, 0);
        QVERIFY(none->breaks.isEmpty());
    }

    // The hash is SHA-256 over exactly the serialisation auditlog.h documents (QJsonDocument's
    // compact form of the column array), also for text that JSON must escape; and an entry with
    // such text, stored and read back, verifies.
    void hashIsTheDocumentedSerialisation_data() { m_factory.addDialectRows(); }
    void hashIsTheDocumentedSerialisation()
    {
        QFETCH(SqlDialect, dialect);
        const Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        const QStringList awkward{
            QStringLiteral("plain"),
            QStringLiteral("quote \" and backslash \\"),
            QStringLiteral("line\nbreak\ttab\r\b\f"),
            QString(QChar(0x01)) + QStringLiteral("control") + QChar(0x1f) + QChar(0x7f),
            QStringLiteral("Zoë Ñandú 患者 ") + QString::fromUcs4(U"\U0001F489"),
            QStringLiteral("</script>&'"),
        };
        QString previous;
        for (qsizetype i = 0; i < awkward.size(); ++i) {
            AuditEntry e;
            e.id = newUuidV7();
            e.device_id = QStringLiteral("desk-") + QString::number(i);
            e.seq = 1;
            e.at = nowUtc();
            e.role = QStringLiteral("staff");
            e.action = QStringLiteral("update");
            e.entity = QStringLiteral("patients");
            e.entity_id = awkward.at(i);
            e.clinic_id = clinic;
            if (i % 2 == 0)
                e.fields = QJsonObject{{QStringLiteral("changed"), QJsonArray{awkward.at(i)}},
                                       {QStringLiteral("n"), 1.5}};
            const QJsonArray documented{
                e.id, e.device_id, e.seq, formatInstant(e.at), QJsonValue::Null, e.role,
                e.action, e.entity, e.entity_id, e.clinic_id.value,
                e.fields.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(e.fields),
                QJsonValue::Null};
            const QByteArray bytes = QJsonDocument(documented).toJson(QJsonDocument::Compact);
            e.hash = auditEntryHash(e);
            QCOMPARE(e.hash, QString::fromLatin1(
                                 QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
            QVERIFY(storeAuditEntry(db, e).ok());
        }
        auto verified = verifyAuditLog(db);
        QVERIFY2(verified.ok(), qPrintable(verified.error().message));
        QCOMPARE(verified->checked, awkward.size());
        QVERIFY(verified->breaks.isEmpty());
        const QList<AuditEntry> stored = entries(db);
        QCOMPARE(stored.size(), awkward.size());
        for (const AuditEntry &e : stored)
            QVERIFY(awkward.contains(e.entity_id));
    }

    // A write's changed columns are stored as the fields' "changed" array and its patient as
    // their "patient_id", in their places among the other fields' keys, and the entry verifies.
    void changedColumnsJoinTheFields_data() { m_factory.addDialectRows(); }
    void changedColumnsJoinTheFields()
    {
        QFETCH(SqlDialect, dialect);
        const Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        const QStringList names{QStringLiteral("given_name"), QStringLiteral("note \"x\"")};
        const QList<QStringView> changed(names.begin(), names.end());
        const QString patient = newUuidV7();
        const QList<QJsonObject> fieldSets{
            {},
            {{QStringLiteral("patient_id"), QStringLiteral("p")}},
            {{QStringLiteral("a_before"), 1}, {QStringLiteral("zeta"), QJsonArray{1, QStringLiteral("é")}}},
        };
        QList<QJsonObject> expected;
        for (const QJsonObject &fields : fieldSets) {
            for (const QString &patientId : {QString(), patient}) {
                AuditEvent event = auditEvent(QStringLiteral("update"), newUuidV7(), clinic);
                event.fields = fields;
                QVERIFY(appendAudit(db, Principal::owner(), event, changed, patientId).ok());
                QJsonObject all = fields;
                all.insert(QStringLiteral("changed"), QJsonArray::fromStringList(names));
                if (!patientId.isEmpty())
                    all.insert(QStringLiteral("patient_id"), patientId);
                expected << all;
            }
        }
        // A patient alone, without changed columns.
        AuditEvent state = auditEvent(QStringLiteral("state"), newUuidV7(), clinic);
        state.fields = {};
        QVERIFY(appendAudit(db, Principal::owner(), state, {}, patient).ok());
        expected << QJsonObject{{QStringLiteral("patient_id"), patient}};
        const QList<AuditEntry> stored = entries(db);
        QCOMPARE(stored.size(), expected.size());
        for (qsizetype i = 0; i < stored.size(); ++i) {
            QCOMPARE(stored.at(i).fields, expected.at(i));
            QCOMPARE(stored.at(i).hash, auditEntryHash(stored.at(i)));
        }
        auto verified = verifyAuditLog(db);
        QVERIFY2(verified.ok(), qPrintable(verified.error().message));
        QVERIFY(verified->breaks.isEmpty());
    }

    // The entry is part of the caller's transaction: rolled back with it.
    void rolledBackWithTheCaller_data() { m_factory.addDialectRows(); }
    void rolledBackWithTheCaller()
    {
        QFETCH(SqlDialect, dialect);
        const Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        const test::TestProvider grace = test::insertProvider(db, clinic);
        {
            Transaction tx(db);
            QVERIFY(tx.started().ok());
            auto created = PatientStore(db, grace.principal).create(ada());
            QVERIFY2(created.ok(), qPrintable(created.error().message));
            QVERIFY(appendAudit(db, grace.principal, auditEvent(QStringLiteral("state"))).ok());
            QCOMPARE(auditCount(db), 3); // patient, allergy, the extra entry
        }
        QCOMPARE(test::rowCount(db, QStringLiteral("patients")), 0);
        QCOMPARE(auditCount(db), 0);
        // The chain goes on from where the committed entries end.
        appendSome(db, 2);
        QCOMPARE(entries(db).last().seq, 2);
        QVERIFY(verifyAuditLog(db)->breaks.isEmpty());
    }

    void everyStoreWriteIsAudited_data() { m_factory.addDialectRows(); }
    void everyStoreWriteIsAudited()
    {
        QFETCH(SqlDialect, dialect);
        const Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        const test::TestProvider grace = test::insertProvider(db, clinic);
        const Principal &doctor = grace.principal;

        // create: the patient and its allergy, the set columns named, patient_id for both.
        auto created = PatientStore(db, doctor).create(ada());
        QVERIFY2(created.ok(), qPrintable(created.error().message));
        const PatientId patient = created->id;
        QList<AuditEntry> written = newEntries(db, clinic, 0);
        QCOMPARE(written.size(), 2);
        const AuditEntry &createdPatient = written.at(0);
        QCOMPARE(createdPatient.action, QStringLiteral("create"));
        QCOMPARE(createdPatient.entity, QStringLiteral("patients"));
        QCOMPARE(createdPatient.entity_id, patient.value);
        QCOMPARE(createdPatient.clinic_id, clinic);
        QCOMPARE(createdPatient.actor_id, grace.user);
        QCOMPARE(createdPatient.role, QStringLiteral("provider"));
        QCOMPARE(createdPatient.fields.value(u"patient_id").toString(), patient.value);
        const QStringList patientChanged =
            createdPatient.fields.value(u"changed").toVariant().toStringList();
        for (const char *column :
             {"clinic_id", "mrn", "given_name", "family_name", "birth_date", "sex", "notes"})
            QVERIFY2(patientChanged.contains(QLatin1String(column)), column);
        for (const char *column : {"id", "created_at", "created_by", "updated_at", "updated_by",
                                   "version", "deleted_at", "middle_name", "phone"})
            QVERIFY2(!patientChanged.contains(QLatin1String(column)), column);
        const AuditEntry &createdAllergy = written.at(1);
        QCOMPARE(createdAllergy.action, QStringLiteral("create"));
        QCOMPARE(createdAllergy.entity, QStringLiteral("patient_allergies"));
        QCOMPARE(createdAllergy.entity_id, created->allergies.at(0).id.value);
        QCOMPARE(createdAllergy.fields.value(u"patient_id").toString(), patient.value);
        QVERIFY(createdAllergy.fields.value(u"changed")
                    .toVariant()
                    .toStringList()
                    .contains(QStringLiteral("substance")));

        // update: exactly the changed column.
        qsizetype seen = newEntries(db, clinic, 0).size();
        Patient edited = *created;
        edited.family_name = QStringLiteral("Byron");
        QVERIFY(PatientStore(db, doctor).update(edited).ok());
        written = newEntries(db, clinic, seen);
        QCOMPARE(written.size(), 1);
        QCOMPARE(written.at(0).action, QStringLiteral("update"));
        QCOMPARE(written.at(0).entity, QStringLiteral("patients"));
        QCOMPARE(written.at(0).fields.value(u"changed").toArray(),
                 QJsonArray{QStringLiteral("family_name")});

        // An update that changes nothing writes nothing, so it leaves no entry either.
        seen = newEntries(db, clinic, 0).size();
        QVERIFY(PatientStore(db, doctor).update(edited).ok());
        QCOMPARE(newEntries(db, clinic, seen).size(), 0);

        // vitals: create, then a state change.
        Vitals v;
        v.patient_id = patient;
        v.recorded_at = nowUtc().addSecs(-60);
        v.heart_rate_bpm = 72;
        auto vitals = VitalsStore(db, doctor).create(v);
        QVERIFY2(vitals.ok(), qPrintable(vitals.error().message));
        seen = newEntries(db, clinic, 0).size();
        QVERIFY(VitalsStore(db, doctor).markInError(vitals->id).ok());
        written = newEntries(db, clinic, seen);
        QCOMPARE(written.size(), 1);
        QCOMPARE(written.at(0).action, QStringLiteral("state"));
        QCOMPARE(written.at(0).entity, QStringLiteral("vitals"));
        QCOMPARE(written.at(0).entity_id, vitals->id.value);
        QCOMPARE(written.at(0).fields.value(u"patient_id").toString(), patient.value);
        QVERIFY(written.at(0)
                    .fields.value(u"changed")
                    .toVariant()
                    .toStringList()
                    .contains(QStringLiteral("status")));

        // A draft consultation with a diagnosis, then deleted: the diagnosis' entries name the
        // patient through their consultation.
        Consultation c;
        c.patient_id = patient;
        c.provider_id = grace.provider;
        c.started_at = nowUtc().addSecs(-1800);
        c.chief_complaint = QStringLiteral("Cough for two weeks");
        c.plan = QStringLiteral("Honey and fluids");
        c.diagnoses << ConsultationDiagnosis{
            RowId(), QStringLiteral("R05.9"), QStringLiteral("Cough, unspecified"), true, {}};
        seen = newEntries(db, clinic, 0).size();
        auto note = ConsultationStore(db, doctor).create(c);
        QVERIFY2(note.ok(), qPrintable(note.error().message));
        written = newEntries(db, clinic, seen);
        QCOMPARE(written.size(), 2);
        QSet<QString> tables;
        for (const AuditEntry &e : written) {
            QCOMPARE(e.action, QStringLiteral("create"));
            QCOMPARE(e.fields.value(u"patient_id").toString(), patient.value);
            tables << e.entity;
        }
        QCOMPARE(tables, (QSet<QString>{QStringLiteral("consultations"),
                                        QStringLiteral("consultation_diagnoses")}));
        seen = newEntries(db, clinic, 0).size();
        QVERIFY(ConsultationStore(db, doctor).remove(note->id).ok());
        written = newEntries(db, clinic, seen);
        QCOMPARE(written.size(), 2);
        for (const AuditEntry &e : written) {
            QCOMPARE(e.action, QStringLiteral("delete"));
            QCOMPARE(e.fields.value(u"changed").toArray(),
                     QJsonArray{QStringLiteral("deleted_at")});
            QCOMPARE(e.fields.value(u"patient_id").toString(), patient.value);
        }
        QCOMPARE(written.last().entity, QStringLiteral("consultations"));
        QCOMPARE(written.last().entity_id, note->id.value);

        // Opening the chart.
        seen = newEntries(db, clinic, 0).size();
        auto chart = ChartStore(db, doctor).load(patient);
        QVERIFY2(chart.ok(), qPrintable(chart.error().message));
        written = newEntries(db, clinic, seen);
        QCOMPARE(written.size(), 1);
        QCOMPARE(written.at(0).action, QStringLiteral("open_chart"));
        QCOMPARE(written.at(0).entity, QStringLiteral("patients"));
        QCOMPARE(written.at(0).entity_id, patient.value);
        QCOMPARE(written.at(0).actor_id, grace.user);
        // A chart that does not load is not recorded as opened.
        seen = newEntries(db, clinic, 0).size();
        QCOMPARE(ChartStore(db, doctor).load(PatientId(newUuidV7())).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(newEntries(db, clinic, seen).size(), 0);

        // Deleting the patient: the patient's tombstone and its allergy's.
        seen = newEntries(db, clinic, 0).size();
        QVERIFY(PatientStore(db, doctor).remove(patient).ok());
        written = newEntries(db, clinic, seen);
        QVERIFY(!written.isEmpty());
        QCOMPARE(written.last().action, QStringLiteral("delete"));
        QCOMPARE(written.last().entity, QStringLiteral("patients"));
        QCOMPARE(written.last().entity_id, patient.value);

        // No entry carries a value: only column names and ids.
        for (const AuditEntry &e : entries(db)) {
            // The patient id is random hex and may hold any digits ("72"): check the rest.
            QJsonObject withoutId = e.fields;
            withoutId.remove(QStringLiteral("patient_id"));
            const QString text = QString::fromUtf8(QJsonDocument(withoutId).toJson());
            for (const char *secret : {"Lovelace", "Byron", "Confidential", "penicillin", "Hives",
                                       "Cough", "Honey", "R05.9", "72"})
                QVERIFY2(!text.contains(QLatin1String(secret)), qPrintable(text));
            for (const QString &key : e.fields.keys())
                QVERIFY2(key == QLatin1String("changed") || key == QLatin1String("patient_id"),
                         qPrintable(key));
            const TableSpec *spec = tableSpec(e.entity);
            QVERIFY2(spec, qPrintable(e.entity));
            for (const QJsonValue &column : e.fields.value(u"changed").toArray())
                QVERIFY2(spec->column(column.toString()),
                         qPrintable(e.entity + QLatin1Char('.') + column.toString()));
        }
        auto verified = verifyAuditLog(db);
        QVERIFY(verified.ok());
        QCOMPARE(verified->checked, entries(db).size());
        QVERIFY(verified->breaks.isEmpty());
    }

    void syncPrincipalWritesNone_data() { m_factory.addDialectRows(); }
    void syncPrincipalWritesNone()
    {
        QFETCH(SqlDialect, dialect);
        const Database db = m_factory.create(dialect);
        test::insertClinic(db);
        QVERIFY(appendAudit(db, Principal::sync(), auditEvent(QStringLiteral("create"))).ok());
        auto created = PatientStore(db, Principal::sync()).create(ada());
        QVERIFY2(created.ok(), qPrintable(created.error().message));
        QCOMPARE(test::rowCount(db, QStringLiteral("patients")), 1);
        QCOMPARE(auditCount(db), 0);
    }

    void databaseRefusesUpdateAndDelete_data() { m_factory.addDialectRows(); }
    void databaseRefusesUpdateAndDelete()
    {
        QFETCH(SqlDialect, dialect);
        const Database db = m_factory.create(dialect);
        const QList<AuditEntry> before = appendSome(db, 3);
        const QString middle = before.at(1).id;
        for (const QString &sql :
             {QStringLiteral("UPDATE audit_log SET action = 'nothing' WHERE id = '%1'"),
              QStringLiteral("UPDATE audit_log SET fields = NULL"),
              QStringLiteral("DELETE FROM audit_log WHERE id = '%1'"),
              QStringLiteral("DELETE FROM audit_log")}) {
            QSqlQuery q(db.connection());
            const bool ran = q.exec(sql.contains(QLatin1String("%1")) ? sql.arg(middle) : sql);
            QVERIFY2(!ran, qPrintable(sql));
            QVERIFY(q.lastError().text().contains(QLatin1String("append-only")));
        }
        const QList<AuditEntry> after = entries(db);
        QCOMPARE(after.size(), before.size());
        for (qsizetype i = 0; i < after.size(); ++i) {
            QCOMPARE(after.at(i).action, before.at(i).action);
            QCOMPARE(after.at(i).fields, before.at(i).fields);
            QCOMPARE(after.at(i).hash, before.at(i).hash);
        }
    }

    // An attacker with the SQLite file drops the triggers and alters one entry: verify names
    // exactly that entry.
    void alteredEntryIsNamed_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("reason");
        QTest::newRow("fields")
            << QStringLiteral(
                   R"(UPDATE audit_log SET fields = '{"changed":["given_name"]}' WHERE id = :id)")
            << QStringLiteral("hash");
        QTest::newRow("at")
            << QStringLiteral("UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' WHERE id = :id")
            << QStringLiteral("hash");
        QTest::newRow("actor") << QStringLiteral(
                                      "UPDATE audit_log SET actor_id = "
                                      "'01900000-0000-7000-8000-000000000000' WHERE id = :id")
                               << QStringLiteral("hash");
        QTest::newRow("action") << QStringLiteral(
                                       "UPDATE audit_log SET action = 'open_chart' WHERE id = :id")
                                << QStringLiteral("hash");
        QTest::newRow("fields removed")
            << QStringLiteral("UPDATE audit_log SET fields = NULL WHERE id = :id")
            << QStringLiteral("hash");
        QTest::newRow("hash") << QStringLiteral("UPDATE audit_log SET hash = '00' WHERE id = :id")
                              << QStringLiteral("hash");
    }
    void alteredEntryIsNamed()
    {
        QFETCH(QString, sql);
        QFETCH(QString, reason);
        const Database db = m_factory.create(SqlDialect::Sqlite);
        const QList<AuditEntry> chain = appendSome(db, 5);
        dropAppendOnlyTriggers(db);
        QSqlQuery q(db.connection());
        QVERIFY(q.prepare(sql));
        q.bindValue(QStringLiteral(":id"), chain.at(2).id);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        QCOMPARE(q.numRowsAffected(), 1);

        auto verified = verifyAuditLog(db);
        QVERIFY(verified.ok());
        QCOMPARE(verified->checked, 5);
        QCOMPARE(verified->breaks.size(), 1);
        const AuditBreak &b = verified->breaks.first();
        QCOMPARE(b.id, chain.at(2).id);
        QCOMPARE(b.seq, 3);
        QCOMPARE(b.device_id, chain.at(2).device_id);
        QCOMPARE(b.reason, reason);
        QVERIFY(!b.message.isEmpty());
    }

    // Altered and re-hashed, the entry itself holds, but the next one no longer links to it.
    void rehashedEntryBreaksTheLink()
    {
        const Database db = m_factory.create(SqlDialect::Sqlite);
        const QList<AuditEntry> chain = appendSome(db, 4);
        dropAppendOnlyTriggers(db);
        AuditEntry forged = chain.at(1);
        forged.action = QStringLiteral("open_chart");
        forged.hash = auditEntryHash(forged);
        QSqlQuery q(db.connection());
        QVERIFY(q.prepare(QStringLiteral("UPDATE audit_log SET action = :action, hash = :hash "
                                         "WHERE id = :id")));
        q.bindValue(QStringLiteral(":action"), forged.action);
        q.bindValue(QStringLiteral(":hash"), forged.hash);
        q.bindValue(QStringLiteral(":id"), forged.id);
        QVERIFY(q.exec());

        auto verified = verifyAuditLog(db);
        QVERIFY(verified.ok());
        QCOMPARE(verified->breaks.size(), 1);
        QCOMPARE(verified->breaks.first().id, chain.at(2).id);
        QCOMPARE(verified->breaks.first().seq, 3);
        QCOMPARE(verified->breaks.first().reason, QStringLiteral("prev_hash"));
    }

    void deletedEntryIsAGap_data()
    {
        QTest::addColumn<int>("deleted"); // indexes into a chain of 5
        QTest::addColumn<int>("named");
        QTest::newRow("middle") << 2 << 3;
        QTest::newRow("first") << 0 << 1;
        QTest::newRow("second") << 1 << 2;
    }
    void deletedEntryIsAGap()
    {
        QFETCH(int, deleted);
        QFETCH(int, named);
        const Database db = m_factory.create(SqlDialect::Sqlite);
        const QList<AuditEntry> chain = appendSome(db, 5);
        dropAppendOnlyTriggers(db);
        QSqlQuery q(db.connection());
        QVERIFY(q.prepare(QStringLiteral("DELETE FROM audit_log WHERE id = :id")));
        q.bindValue(QStringLiteral(":id"), chain.at(deleted).id);
        QVERIFY(q.exec());

        auto verified = verifyAuditLog(db);
        QVERIFY(verified.ok());
        QCOMPARE(verified->checked, 4);
        QCOMPARE(verified->breaks.size(), 1);
        const AuditBreak &b = verified->breaks.first();
        QCOMPARE(b.id, chain.at(named).id);
        QCOMPARE(b.seq, chain.at(named).seq);
        QCOMPARE(b.reason, QStringLiteral("gap"));
        QVERIFY2(b.message.contains(QString::number(deleted + 1)), qPrintable(b.message));
    }

    // Entries of other devices keep their own chains; each is verified on its own.
    void devicesAreSeparateChains_data() { m_factory.addDialectRows(); }
    void devicesAreSeparateChains()
    {
        QFETCH(SqlDialect, dialect);
        const Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        appendSome(db, 2, clinic);
        const QList<AuditEntry> other =
            foreignChain(db, QStringLiteral("0190aaaa-0000-7000-8000-000000000001"), clinic, 3);
        appendSome(db, 2, clinic); // this device's chain goes on regardless of the other one
        const QList<AuditEntry> own = newEntries(db, clinic, 0);
        QCOMPARE(own.size(), 4);
        QCOMPARE(own.last().seq, 4);
        auto verified = verifyAuditLog(db);
        QVERIFY(verified.ok());
        QCOMPARE(verified->checked, 7);
        QVERIFY(verified->breaks.isEmpty());

        // A third device whose chain arrived with a bad link: only that chain is named, at the
        // entry whose link is wrong.
        const QString third = QStringLiteral("0190bbbb-0000-7000-8000-000000000002");
        QList<AuditEntry> bad = foreignChain(db, third, clinic, 2);
        AuditEntry wrong = bad.last();
        wrong.id = newUuidV7();
        wrong.seq = 3;
        wrong.prev_hash = bad.first().hash; // skips entry 2
        wrong.hash = auditEntryHash(wrong);
        QVERIFY(storeAuditEntry(db, wrong).ok());
        AuditEntry afterWrong = wrong;
        afterWrong.id = newUuidV7();
        afterWrong.seq = 4;
        afterWrong.prev_hash = wrong.hash;
        afterWrong.hash = auditEntryHash(afterWrong);
        QVERIFY(storeAuditEntry(db, afterWrong).ok());
        verified = verifyAuditLog(db);
        QVERIFY(verified.ok());
        QCOMPARE(verified->checked, 11);
        QCOMPARE(verified->breaks.size(), 1);
        QCOMPARE(verified->breaks.first().device_id, third);
        QCOMPARE(verified->breaks.first().id, wrong.id);
        QCOMPARE(verified->breaks.first().reason, QStringLiteral("prev_hash"));

        // Broken in two chains: the first broken entry of each.
        AuditEntry forged = other.at(1);
        forged.id = newUuidV7();
        forged.seq = 4;
        forged.prev_hash = other.last().hash;
        forged.hash = QStringLiteral("0").repeated(64);
        QVERIFY(storeAuditEntry(db, forged).ok());
        verified = verifyAuditLog(db);
        QVERIFY(verified.ok());
        QCOMPARE(verified->breaks.size(), 2);
        QSet<QString> named;
        for (const AuditBreak &b : verified->breaks)
            named << b.id;
        QCOMPARE(named, (QSet<QString>{wrong.id, forged.id}));
    }

    // A desktop keeps one chain; the central one per clinic (and one for entries of no clinic), so
    // that a clinic's connection, which sees only its clinic's rows, extends a chain it sees whole.
    void centralChainsPerClinic_data() { m_factory.addDialectRows(); }
    void centralChainsPerClinic()
    {
        QFETCH(SqlDialect, dialect);
        const Database db = m_factory.create(dialect);
        const ClinicId north = test::insertClinic(db, QStringLiteral("North"));
        const ClinicId south = test::insertClinic(db, QStringLiteral("South"));
        for (int i = 0; i < 3; ++i) {
            appendSome(db, 1, north);
            appendSome(db, 1, south);
            appendSome(db, 1);
        }
        QSet<QString> chains;
        for (const AuditEntry &e : entries(db))
            chains << e.device_id;
        if (db.isSqlite()) {
            QCOMPARE(chains, QSet<QString>{deviceId(db).value()});
            QCOMPARE(newEntries(db, {}, 0).last().seq, 9);
        } else {
            QCOMPARE(chains, (QSet<QString>{QStringLiteral("central"),
                                            QString(QStringLiteral("central:") + north.value),
                                            QString(QStringLiteral("central:") + south.value)}));
            for (const ClinicId &c : {north, south, ClinicId()}) {
                const QList<AuditEntry> chain = newEntries(db, c, 0);
                QCOMPARE(chain.size(), 3);
                QCOMPARE(chain.last().seq, 3);
                for (const AuditEntry &e : chain)
                    QCOMPARE(e.clinic_id, c);
            }
        }
        auto verified = verifyAuditLog(db);
        QVERIFY(verified.ok());
        QCOMPARE(verified->checked, 9);
        QVERIFY(verified->breaks.isEmpty());
    }

    void listFilters_data() { m_factory.addDialectRows(); }
    void listFilters()
    {
        QFETCH(SqlDialect, dialect);
        const Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        const test::TestProvider grace = test::insertProvider(db, clinic);
        auto first = PatientStore(db, grace.principal).create(ada());
        QVERIFY2(first.ok(), qPrintable(first.error().message));
        Patient other = ada();
        other.given_name = QStringLiteral("Charles");
        other.allergies.clear();
        auto second = PatientStore(db, Principal::owner()).create(other);
        QVERIFY(second.ok());
        QVERIFY(ChartStore(db, grace.principal).load(first->id).ok());
        // An entry of another clinic, invisible to this clinic's admin.
        AuditEvent elsewhere = auditEvent(QStringLiteral("update"), first->id.value);
        elsewhere.clinic_id = ClinicId(newUuidV7());
        QVERIFY(appendAudit(db, Principal::owner(), elsewhere).ok());

        const Principal boss = admin(clinic);
        auto all = listAudit(db, boss, {});
        QVERIFY2(all.ok(), qPrintable(all.error().message));
        QCOMPARE(all->size(), 4); // patient + allergy, second patient, chart
        for (qsizetype i = 1; i < all->size(); ++i)
            QVERIFY(all->at(i - 1).at >= all->at(i).at); // newest first
        QCOMPARE(all->first().action, QStringLiteral("open_chart"));

        AuditFilter byPatient;
        byPatient.patient_id = first->id;
        auto mine = listAudit(db, boss, byPatient);
        QVERIFY(mine.ok());
        QCOMPARE(mine->size(), 3); // the patient, its allergy (by fields.patient_id), the chart
        QSet<QString> entities;
        for (const AuditEntry &e : *mine) {
            QVERIFY(e.entity_id == first->id.value ||
                    e.fields.value(u"patient_id").toString() == first->id.value);
            entities << e.entity;
        }
        QVERIFY(entities.contains(QStringLiteral("patient_allergies")));

        AuditFilter byActor;
        byActor.actor_id = grace.user;
        auto graces = listAudit(db, boss, byActor);
        QVERIFY(graces.ok());
        QCOMPARE(graces->size(), 3);
        for (const AuditEntry &e : *graces)
            QCOMPARE(e.actor_id, grace.user);

        AuditFilter later;
        later.since = nowUtc().addSecs(60);
        QCOMPARE(listAudit(db, boss, later)->size(), 0);
        AuditFilter earlier;
        earlier.since = nowUtc().addSecs(-60);
        QCOMPARE(listAudit(db, boss, earlier)->size(), 4);

        AuditFilter few;
        few.limit = 2;
        auto limited = listAudit(db, boss, few);
        QCOMPARE(limited->size(), 2);
        QCOMPARE(limited->first().action, QStringLiteral("open_chart"));

        // The database owner sees every clinic's entries.
        QCOMPARE(listAudit(db, Principal::owner(), {})->size(), 5);

        // Only roles that may read the audit log.
        auto refused = listAudit(db, grace.principal, {});
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::NotPermitted);
    }
};

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
