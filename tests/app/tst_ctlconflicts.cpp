#include "clock.h"
#include "consultationstore.h"
#include "outbox.h"
#include "patientstore.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace tmdash;

// `tmdashctl conflicts` and `tmdashctl rejections` on a desktop database where the sync engine's
// part (conflict rows, rejected outbox rows, the record set back to the central's) is written by
// the test directly.
class TestCtlConflicts : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("ctlconflicts")};
    Database m_db;
    QString m_url;
    ClinicId m_clinic;
    test::TestProvider m_doctor;
    QString m_ada;

    test::CtlRun as(const QString &email, const QStringList &args, const QByteArray &input = {})
    {
        return test::runCtl(QStringList{QStringLiteral("--db"), m_url, QStringLiteral("--json"),
                                        QStringLiteral("--as"), email} +
                                args,
                            input);
    }
    test::CtlRun staff(const QStringList &args, const QByteArray &input = {})
    {
        return as(QStringLiteral("sam@north.example"), args, input);
    }

    void acknowledgeAll() const { QVERIFY(execSql(m_db, QStringLiteral("DELETE FROM outbox"))); }

    Row stored(QStringView table, const QString &id) const
    {
        auto row = RecordTable(m_db, table).get(id);
        if (!row)
            qFatal("reading %s failed", qPrintable(id));
        return *row;
    }

    QString addConflict(const QString &entity, const QString &entityId, const QString &field,
                        const QString &localJson, const QString &centralJson,
                        const QString &mutation) const
    {
        const QString id = newUuidV7();
        QSqlQuery q(m_db.connection());
        q.prepare(QStringLiteral(
            "INSERT INTO conflicts (id, entity, entity_id, field, local_value, "
            "central_value, mutation_id, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const QString &v : {id, entity, entityId, field, localJson, centralJson, mutation,
                                 formatInstant(nowUtc())})
            q.addBindValue(v);
        if (!q.exec())
            qFatal("inserting a conflict failed");
        return id;
    }

    QString rejectNewest(const QString &reason) const
    {
        const QList<OutboxEntry> outbox = test::outboxOf(m_db);
        if (outbox.isEmpty())
            qFatal("no outbox row to reject");
        QSqlQuery q(m_db.connection());
        q.prepare(QStringLiteral(
            "UPDATE outbox SET status = 'rejected', error = ? WHERE mutation_id = ?"));
        q.addBindValue(reason);
        q.addBindValue(outbox.last().mutation_id);
        if (!q.exec())
            qFatal("rejecting failed");
        return outbox.last().mutation_id;
    }

    QStringList resolvedMutationIds() const
    {
        auto ids = resolvedMutations(m_db);
        if (!ids)
            qFatal("reading resolved mutations failed");
        return *ids;
    }

private Q_SLOTS:
    void init()
    {
        m_db = m_factory.create(SqlDialect::Sqlite);
        m_url = m_factory.lastUrl();
        m_clinic = test::insertClinic(m_db);
        test::insertUser(m_db, m_clinic, Role::Admin, QStringLiteral("boss@north.example"));
        test::insertUser(m_db, m_clinic, Role::Staff, QStringLiteral("sam@north.example"));
        m_doctor = test::insertProvider(m_db, m_clinic);
        const auto added =
            staff({QStringLiteral("patient"), QStringLiteral("add")},
                  R"({"given_name": "Ada", "family_name": "Lovelace", "birth_date": "1985-12-10",
                      "sex": "female", "phone": "+15552013344", "email": "ada@example.org"})");
        QCOMPARE(added.exitCode, 0);
        m_ada = added.json()[u"id"].toString();
        acknowledgeAll();
    }

    void help()
    {
        const auto conflicts =
            test::runCtl({QStringLiteral("conflicts"), QStringLiteral("--help")});
        QCOMPARE(conflicts.exitCode, 0);
        QVERIFY(conflicts.out.contains("--keep merged"));
        const auto rejections =
            test::runCtl({QStringLiteral("rejections"), QStringLiteral("--help")});
        QCOMPARE(rejections.exitCode, 0);
        QVERIFY(rejections.out.contains("retry ID"));
    }

    void listAndResolve()
    {
        const QString mutation = newUuidV7();
        QVERIFY(RecordTable(m_db, u"patients")
                    .update(m_ada, {{QStringLiteral("phone"), QStringLiteral("+15550000001")}}));
        const QString phone = addConflict(
            QStringLiteral("patients"), m_ada, QStringLiteral("phone"),
            QStringLiteral("\"+15559990000\""), QStringLiteral("\"+15550000001\""), mutation);
        const QString email =
            addConflict(QStringLiteral("patients"), m_ada, QStringLiteral("email"),
                        QStringLiteral("\"mine@example.org\""),
                        QStringLiteral("\"ada@example.org\""), mutation);

        const auto listed = staff({QStringLiteral("conflicts"), QStringLiteral("list")});
        QCOMPARE(listed.exitCode, 0);
        const QJsonArray open = listed.json().array();
        QCOMPARE(open.size(), 2);
        QCOMPARE(open[0][u"id"].toString(), phone);
        QCOMPARE(open[0][u"local_value"].toString(), QStringLiteral("+15559990000"));
        QCOMPARE(open[0][u"central_value"].toString(), QStringLiteral("+15550000001"));
        QVERIFY(open[0][u"resolution"].isNull());
        const auto table = test::runCtl({QStringLiteral("--db"), m_url, QStringLiteral("--as"),
                                         QStringLiteral("sam@north.example"),
                                         QStringLiteral("conflicts"), QStringLiteral("list")});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.startsWith("id "));
        QVERIFY(table.out.contains("\"mine@example.org\""));

        // Merged: the value on stdin, through the patient store (stored in E.164).
        const auto merged = staff({QStringLiteral("conflicts"), QStringLiteral("resolve"), phone,
                                   QStringLiteral("--keep"), QStringLiteral("merged")},
                                  "\"(555) 123-4567\"\n");
        QCOMPARE(merged.exitCode, 0);
        QCOMPARE(merged.json()[u"resolution"].toString(), QStringLiteral("merged"));
        QCOMPARE(stored(u"patients", m_ada).value(u"phone").toString(),
                 QStringLiteral("+15551234567"));
        QList<OutboxEntry> outbox = test::outboxOf(m_db);
        QCOMPARE(outbox.size(), 1);
        QCOMPARE(outbox.first().changes.value(u"phone").toObject(),
                 (QJsonObject{{QStringLiteral("old"), QStringLiteral("+15550000001")},
                              {QStringLiteral("new"), QStringLiteral("+15551234567")}}));
        QVERIFY(!resolvedMutationIds().contains(mutation));

        // Central: nothing written; now every conflict of the mutation is resolved.
        const auto central = staff({QStringLiteral("conflicts"), QStringLiteral("resolve"), email,
                                    QStringLiteral("--keep"), QStringLiteral("central")});
        QCOMPARE(central.exitCode, 0);
        QCOMPARE(test::outboxOf(m_db).size(), 1);
        QCOMPARE(stored(u"patients", m_ada).value(u"email").toString(),
                 QStringLiteral("ada@example.org"));
        QVERIFY(resolvedMutationIds().contains(mutation));

        QCOMPARE(staff({QStringLiteral("conflicts"), QStringLiteral("list")}).json().array().size(),
                 0);
        const QJsonArray all =
            staff({QStringLiteral("conflicts"), QStringLiteral("list"), QStringLiteral("--all")})
                .json()
                .array();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[1][u"resolution"].toString(), QStringLiteral("central"));
        // Resolved already: invalid.
        QCOMPARE(staff({QStringLiteral("conflicts"), QStringLiteral("resolve"), email,
                        QStringLiteral("--keep"), QStringLiteral("local")})
                     .exitCode,
                 2);
    }

    void invalidMerged()
    {
        const QString conflict = addConflict(
            QStringLiteral("patients"), m_ada, QStringLiteral("phone"),
            QStringLiteral("\"+15559990000\""), QStringLiteral("\"+15552013344\""), newUuidV7());
        const Row before = stored(u"patients", m_ada);
        const QStringList resolve{QStringLiteral("conflicts"), QStringLiteral("resolve"), conflict,
                                  QStringLiteral("--keep"), QStringLiteral("merged")};
        const auto refused = staff(resolve, "\"not a phone\"");
        QCOMPARE(refused.exitCode, 2);
        QCOMPARE(test::fieldsOf(refused), QStringList{QStringLiteral("phone:format")});
        const auto notJson = staff(resolve, "+15551234567x");
        QCOMPARE(notJson.exitCode, 2);
        QCOMPARE(test::fieldsOf(notJson), QStringList{QStringLiteral("value:format")});
        const auto noValue = staff(resolve);
        QCOMPARE(noValue.exitCode, 2);
        QCOMPARE(test::fieldsOf(noValue), QStringList{QStringLiteral("value:required")});
        // Nothing changed and the conflict stays open.
        QCOMPARE(stored(u"patients", m_ada), before);
        QCOMPARE(test::outboxOf(m_db).size(), 0);
        QCOMPARE(staff({QStringLiteral("conflicts"), QStringLiteral("list")}).json().array().size(),
                 1);
    }

    void usageAndNotFound()
    {
        const QString conflict = addConflict(
            QStringLiteral("patients"), m_ada, QStringLiteral("phone"),
            QStringLiteral("\"+15559990000\""), QStringLiteral("\"+15552013344\""), newUuidV7());
        const QString resolve = QStringLiteral("resolve");
        const QString conflicts = QStringLiteral("conflicts");
        QCOMPARE(staff({conflicts, resolve, conflict}).exitCode, 64);
        QCOMPARE(
            staff({conflicts, resolve, conflict, QStringLiteral("--keep"), QStringLiteral("both")})
                .exitCode,
            64);
        QCOMPARE(
            staff({conflicts, resolve, QStringLiteral("--keep"), QStringLiteral("local")}).exitCode,
            64);
        QCOMPARE(staff({conflicts, QStringLiteral("list"), QStringLiteral("--al")}).exitCode, 64);
        QCOMPARE(staff({conflicts, QStringLiteral("frobnicate")}).exitCode, 64);
        QCOMPARE(staff({conflicts, resolve, newUuidV7(), QStringLiteral("--keep"),
                        QStringLiteral("local")})
                     .exitCode,
                 3);
        QCOMPARE(staff({conflicts, resolve, QStringLiteral("nope"), QStringLiteral("--keep"),
                        QStringLiteral("local")})
                     .exitCode,
                 3);
        QCOMPARE(staff({QStringLiteral("rejections"), QStringLiteral("retry")}).exitCode, 64);
        QCOMPARE(
            staff({QStringLiteral("rejections"), QStringLiteral("retry"), newUuidV7()}).exitCode,
            3);
        QCOMPARE(
            staff({QStringLiteral("rejections"), QStringLiteral("discard"), newUuidV7()}).exitCode,
            3);
        // Without --as: not authenticated.
        QCOMPARE(test::runCtl({QStringLiteral("--db"), m_url, conflicts, QStringLiteral("list")})
                     .exitCode,
                 4);
    }

    void retryAndDiscard()
    {
        const QString rejections = QStringLiteral("rejections");
        // A refused edit, retried with an edit of its own.
        QCOMPARE(staff({QStringLiteral("patient"), QStringLiteral("update"), m_ada},
                       R"({"notes": "prefers mornings"})")
                     .exitCode,
                 0);
        const QString edit = rejectNewest(QStringLiteral("depends on rejected mutation"));
        QVERIFY(RecordTable(m_db, u"patients")
                    .update(m_ada, {{QStringLiteral("notes"), QJsonValue::Null}}));
        const auto listed = staff({rejections, QStringLiteral("list")});
        QCOMPARE(listed.exitCode, 0);
        QCOMPARE(listed.json().array().size(), 1);
        QCOMPARE(listed.json()[0][u"mutation_id"].toString(), edit);
        QCOMPARE(listed.json()[0][u"reason"].toString(),
                 QStringLiteral("depends on rejected mutation"));
        QCOMPARE(listed.json()[0][u"op"].toString(), QStringLiteral("update"));

        // Edits the store refuses: exit 2, nothing changes.
        const auto refused =
            staff({rejections, QStringLiteral("retry"), edit}, R"({"birth_date": "2999-01-01"})");
        QCOMPARE(refused.exitCode, 2);
        QCOMPARE(test::fieldsOf(refused), QStringList{QStringLiteral("birth_date:future")});
        QCOMPARE(test::outboxOf(m_db).size(), 1);
        QCOMPARE(test::outboxOf(m_db).first().status, QStringLiteral("rejected"));
        QVERIFY(stored(u"patients", m_ada).value(u"notes").isNull());

        const auto retried = staff({rejections, QStringLiteral("retry"), edit},
                                   R"({"notes": "prefers afternoons"})");
        QCOMPARE(retried.exitCode, 0);
        QCOMPARE(retried.json()[u"result"].toString(), QStringLiteral("retried"));
        QList<OutboxEntry> outbox = test::outboxOf(m_db);
        QCOMPARE(outbox.size(), 1);
        QCOMPARE(outbox.first().status, QStringLiteral("pending"));
        QCOMPARE(outbox.first().changes.value(u"notes").toObject().value(u"new").toString(),
                 QStringLiteral("prefers afternoons"));
        QVERIFY(resolvedMutationIds().contains(edit));
        QCOMPARE(staff({rejections, QStringLiteral("list")}).json().array().size(), 0);
        acknowledgeAll();

        // A refused creation, retried as it was (empty stdin): the record is back, same id.
        const auto added =
            staff({QStringLiteral("patient"), QStringLiteral("add")},
                  R"({"given_name": "Grace", "family_name": "Hopper", "birth_date": "1906-12-09",
                                     "sex": "female"})");
        QCOMPARE(added.exitCode, 0);
        const QString grace = added.json()[u"id"].toString();
        const QString insert = rejectNewest(QStringLiteral("refused"));
        QVERIFY(execSql(m_db, QStringLiteral("DELETE FROM patients WHERE id = '%1'").arg(grace)));
        QCOMPARE(staff({QStringLiteral("patient"), QStringLiteral("get"), grace}).exitCode, 3);
        QCOMPARE(staff({rejections, QStringLiteral("retry"), insert}).exitCode, 0);
        QCOMPARE(staff({QStringLiteral("patient"), QStringLiteral("get"), grace}).exitCode, 0);
        QCOMPARE(test::outboxOf(m_db).first().op, OutboxOp::Insert);
        acknowledgeAll();

        // Discarded: the row goes, the record stays the central's.
        QCOMPARE(staff({QStringLiteral("patient"), QStringLiteral("update"), m_ada},
                       R"({"city": "London"})")
                     .exitCode,
                 0);
        const QString dropped = rejectNewest(QStringLiteral("refused"));
        const auto discarded = staff({rejections, QStringLiteral("discard"), dropped});
        QCOMPARE(discarded.exitCode, 0);
        QCOMPARE(test::outboxOf(m_db).size(), 0);
        QVERIFY(resolvedMutationIds().contains(dropped));
        QCOMPARE(staff({rejections, QStringLiteral("discard"), dropped}).exitCode, 3);
    }

    void permissions()
    {
        // A draft note with a conflict: staff may list it but not resolve it.
        Consultation note;
        note.patient_id = PatientId(m_ada);
        note.provider_id = m_doctor.provider;
        note.started_at = nowUtc().addSecs(-1800);
        note.chief_complaint = QStringLiteral("Cough");
        note.plan = QStringLiteral("Fluids");
        auto created = ConsultationStore(m_db, m_doctor.principal).create(note);
        QVERIFY(created);
        acknowledgeAll();
        const QString conflict =
            addConflict(QStringLiteral("consultations"), created->id.value, QStringLiteral("plan"),
                        QStringLiteral("\"Rest\""), QStringLiteral("\"Fluids\""), newUuidV7());
        QCOMPARE(staff({QStringLiteral("conflicts"), QStringLiteral("list")}).json().array().size(),
                 1);
        QCOMPARE(staff({QStringLiteral("conflicts"), QStringLiteral("resolve"), conflict,
                        QStringLiteral("--keep"), QStringLiteral("local")})
                     .exitCode,
                 4);
        QCOMPARE(stored(u"consultations", created->id.value).value(u"plan").toString(),
                 QStringLiteral("Fluids"));
        const auto doctor = as(QStringLiteral("grace@example.org"),
                               {QStringLiteral("conflicts"), QStringLiteral("resolve"), conflict,
                                QStringLiteral("--keep"), QStringLiteral("local")});
        QCOMPARE(doctor.exitCode, 0);
        QCOMPARE(stored(u"consultations", created->id.value).value(u"plan").toString(),
                 QStringLiteral("Rest"));

        // The patient role may not even list.
        test::insertUser(m_db, m_clinic, Role::Patient, QStringLiteral("ada@north.example"),
                         PatientId(m_ada));
        QCOMPARE(as(QStringLiteral("ada@north.example"),
                    {QStringLiteral("conflicts"), QStringLiteral("list")})
                     .exitCode,
                 4);
        QCOMPARE(as(QStringLiteral("ada@north.example"),
                    {QStringLiteral("rejections"), QStringLiteral("list")})
                     .exitCode,
                 4);
    }

    // A refused password change: its hashes are never printed, and it cannot be retried (a
    // password is set again, not copied).
    void secretsStayHidden()
    {
        const QString boss = QStringLiteral("boss@north.example");
        auto sam =
            RecordTable(m_db, u"users").select(QStringLiteral("email = 'sam@north.example'"));
        QVERIFY(sam && sam->size() == 1);
        const QString samId = sam->first().value(u"id").toString();
        const QJsonValue oldHash = sam->first().value(u"password_hash");
        QCOMPARE(as(boss,
                    {QStringLiteral("user"), QStringLiteral("passwd"),
                     QStringLiteral("sam@north.example"), QStringLiteral("--password-stdin")},
                    "amber-meadow-compass-77\n")
                     .exitCode,
                 0);
        const QString mutation = rejectNewest(QStringLiteral("refused"));
        QVERIFY(RecordTable(m_db, u"users")
                    .update(samId, {{QStringLiteral("password_hash"), oldHash}}));
        const auto listed = as(boss, {QStringLiteral("rejections"), QStringLiteral("list")});
        QCOMPARE(listed.exitCode, 0);
        QVERIFY(!listed.out.contains("argon2"));
        QCOMPARE(listed.json()[0][u"changes"][u"password_hash"][u"new"].toString(),
                 QStringLiteral("[hidden]"));
        const auto retried =
            as(boss, {QStringLiteral("rejections"), QStringLiteral("retry"), mutation});
        QCOMPARE(retried.exitCode, 2);
        QCOMPARE(test::fieldsOf(retried), QStringList{QStringLiteral("password_hash:read_only")});
        // Staff do not see account changes at all.
        QCOMPARE(
            staff({QStringLiteral("rejections"), QStringLiteral("list")}).json().array().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCtlConflicts)
#include "tst_ctlconflicts.moc"
