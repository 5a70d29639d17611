#include "clinicroles.h"
#include "database.h"
#include "ids.h"
#include "principal.h"
#include "testsupport.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlRecord>
#include <QSqlQuery>
#include <QTest>
#include <QThread>
#include <QUrl>

using namespace tmdash;

// The central half of sync (migration step 4 on PostgreSQL): change capture into change_log,
// tmdash_push with its per-field merge, replay, rejections and the central-only double-booking
// rule, and tmdash_pull by the (xid, id) watermark, called directly through SQL as a desktop's
// sync engine will call them.

namespace {

const QString kPassword = QStringLiteral("correct-horse-battery-staple");

QVariant nullText()
{
    return QVariant(QMetaType::fromType<QString>());
}

struct Sql
{
    bool ok = false;
    QString error;
    QList<QVariantList> rows;
};

Sql sql(const Database &db, const QString &statement, const QVariantMap &binds = {})
{
    QSqlQuery q(db.connection());
    Sql out;
    if (binds.isEmpty()) {
        out.ok = q.exec(statement); // also BEGIN, COMMIT and DDL, which cannot be prepared
    } else {
        q.prepare(statement);
        for (auto it = binds.cbegin(); it != binds.cend(); ++it)
            q.bindValue(QLatin1Char(':') + it.key(), it.value());
        out.ok = q.exec();
    }
    out.error = q.lastError().text();
    while (out.ok && q.isSelect() && q.next()) {
        QVariantList row;
        for (int i = 0; i < q.record().count(); ++i)
            row << q.value(i);
        out.rows << row;
    }
    return out;
}

QVariant scalar(const Database &db, const QString &statement, const QVariantMap &binds = {})
{
    const Sql r = sql(db, statement, binds);
    if (!r.ok || r.rows.isEmpty())
        qFatal("%s failed: %s", qPrintable(statement), qPrintable(r.error));
    return r.rows.first().first();
}

// One change_log row as tmdash_pull returns it.
struct Change
{
    quint64 xid = 0;
    qint64 id = 0;
    QString entity;
    QString entity_id;
    qint64 version = 0;
    QString op;
    QJsonObject row;
    QString origin_device;
    QString mutation_id;
};

struct Cursor
{
    quint64 xid = 0;
    qint64 id = 0;
};

struct Pulled
{
    bool ok = false;
    QString error;
    QList<Change> changes;
};

Pulled pull(const Database &db, Cursor from, int limit, const QString &clinic)
{
    const Sql r =
        sql(db,
            QStringLiteral("SELECT xid::text, id, entity, entity_id::text, version, op, "
                           "\"row\"::text, origin_device, mutation_id::text "
                           "FROM tmdash_pull(CAST(:x AS xid8), :i, :n, CAST(:c AS uuid))"),
            {{QStringLiteral("x"), QString::number(from.xid)},
             {QStringLiteral("i"), from.id},
             {QStringLiteral("n"), limit},
             {QStringLiteral("c"), clinic.isEmpty() ? nullText() : QVariant(clinic)}});
    Pulled out;
    out.ok = r.ok;
    out.error = r.error;
    for (const QVariantList &v : r.rows) {
        Change c;
        c.xid = v[0].toString().toULongLong();
        c.id = v[1].toLongLong();
        c.entity = v[2].toString();
        c.entity_id = v[3].toString();
        c.version = v[4].toLongLong();
        c.op = v[5].toString();
        c.row = QJsonDocument::fromJson(v[6].toString().toUtf8()).object();
        c.origin_device = v[7].toString();
        c.mutation_id = v[8].toString();
        out.changes << c;
    }
    return out;
}

Cursor after(const QList<Change> &changes, Cursor from)
{
    return changes.isEmpty() ? from : Cursor{changes.last().xid, changes.last().id};
}

QString isoIn(int days)
{
    return QStringLiteral("2030-03-%1T10:00:00.000Z").arg(days, 2, 10, QLatin1Char('0'));
}

} // namespace

class TestCentralSync : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("centralsync")};
    Database m_owner;
    QString m_url;
    ClinicId m_north;
    ClinicId m_south;
    PatientId m_patient; // of North, inserted by push in initTestCase
    test::TestProvider m_doctor;
    test::TestProvider m_otherDoctor;
    test::TestProvider m_southDoctor;
    QStringList m_roles;
    QList<Database> m_extra;
    int m_counter = 0;

    Database connect(const QString &login = QString())
    {
        QUrl url(m_url);
        if (!login.isEmpty()) {
            url.setUserName(login);
            url.setPassword(kPassword); // the test cluster trusts local connections
        }
        auto db = Database::open(url.toString(), QStringLiteral("centralsync-%1").arg(++m_counter));
        if (!db)
            qFatal("cannot connect: %s", qPrintable(db.error().message));
        m_extra << *db;
        return *db;
    }

    static QJsonObject mutation(const QString &entity, const QString &entityId, const QString &op,
                                const QJsonObject &changes, int protocol = 1)
    {
        return QJsonObject{
            {QStringLiteral("mutation_id"), newUuidV7()},
            {QStringLiteral("entity"), entity},
            {QStringLiteral("entity_id"), entityId},
            {QStringLiteral("op"), op},
            {QStringLiteral("base_version"), 0},
            {QStringLiteral("changes"), changes},
            {QStringLiteral("actor_id"), QJsonValue::Null},
            {QStringLiteral("protocol"), protocol},
            {QStringLiteral("created_at"), QStringLiteral("2026-02-01T09:00:00.000Z")}};
    }

    static QJsonObject change(const QJsonValue &oldValue, const QJsonValue &newValue)
    {
        return QJsonObject{{QStringLiteral("old"), oldValue}, {QStringLiteral("new"), newValue}};
    }

    static QJsonObject update(const QString &entity, const QString &id, const QString &field,
                              const QJsonValue &oldValue, const QJsonValue &newValue,
                              const QString &op = QStringLiteral("update"))
    {
        return mutation(entity, id, op, QJsonObject{{field, change(oldValue, newValue)}});
    }

    QJsonObject patientInsert(const QString &id, const QString &given, const QString &clinic = {})
    {
        QJsonObject row{
            {QStringLiteral("id"), id},
            {QStringLiteral("clinic_id"), clinic.isEmpty() ? m_north.value : clinic},
            {QStringLiteral("mrn"), QStringLiteral("T%1").arg(++m_counter)},
            {QStringLiteral("given_name"), given},
            {QStringLiteral("family_name"), QStringLiteral("Lee")},
            {QStringLiteral("birth_date"), QStringLiteral("1980-05-06")},
            {QStringLiteral("sex"), QStringLiteral("female")},
            {QStringLiteral("city"), QJsonValue::Null},
            {QStringLiteral("created_at"), QStringLiteral("2026-02-01T09:00:00.000Z")},
            {QStringLiteral("created_by"), QJsonValue::Null},
            {QStringLiteral("updated_at"), QStringLiteral("2026-02-01T09:00:00.000Z")},
            {QStringLiteral("updated_by"), QJsonValue::Null},
            {QStringLiteral("version"), 0},
            {QStringLiteral("deleted_at"), QJsonValue::Null},
        };
        return mutation(QStringLiteral("patients"), id, QStringLiteral("insert"), row);
    }

    QJsonObject appointmentInsert(const QString &id, const ProviderId &provider,
                                  const QString &start, int minutes, const QString &room = {})
    {
        QJsonObject row{
            {QStringLiteral("id"), id},
            {QStringLiteral("clinic_id"), m_north.value},
            {QStringLiteral("patient_id"), m_patient.value},
            {QStringLiteral("provider_id"), provider.value},
            {QStringLiteral("start_at"), start},
            {QStringLiteral("duration_minutes"), minutes},
            {QStringLiteral("type"), QStringLiteral("follow_up")},
            {QStringLiteral("status"), QStringLiteral("scheduled")},
            {QStringLiteral("room"),
             room.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(room)},
            {QStringLiteral("notes"), QJsonValue::Null},
            {QStringLiteral("created_at"), QStringLiteral("2026-02-01T09:00:00.000Z")},
            {QStringLiteral("updated_at"), QStringLiteral("2026-02-01T09:00:00.000Z")},
            {QStringLiteral("version"), 0},
            {QStringLiteral("deleted_at"), QJsonValue::Null},
        };
        return mutation(QStringLiteral("appointments"), id, QStringLiteral("insert"), row);
    }

    static QJsonObject batch(const QString &device, const QList<QJsonObject> &mutations,
                             int protocol = 1, const QStringList &resolved = {})
    {
        QJsonArray list;
        for (const QJsonObject &m : mutations)
            list.append(m);
        QJsonObject b{{QStringLiteral("protocol"), protocol},
                      {QStringLiteral("device_id"), device},
                      {QStringLiteral("mutations"), list}};
        if (!resolved.isEmpty())
            b.insert(QStringLiteral("resolved"), QJsonArray::fromStringList(resolved));
        return b;
    }

    // tmdash_push on `db`; `clinic` empty passes NULL (a clinic role's connection).
    static Sql pushRaw(const Database &db, const QJsonObject &b, const QString &clinic)
    {
        return sql(db,
                   QStringLiteral("SELECT tmdash_push(CAST(:b AS jsonb), CAST(:c AS uuid))::text"),
                   {{QStringLiteral("b"),
                     QString::fromUtf8(QJsonDocument(b).toJson(QJsonDocument::Compact))},
                    {QStringLiteral("c"), clinic.isEmpty() ? nullText() : QVariant(clinic)}});
    }

    QJsonObject push(const QJsonObject &b, const Database *db = nullptr, const QString &clinic = {})
    {
        const Sql r = pushRaw(db ? *db : m_owner, b, db ? clinic : m_north.value);
        if (!r.ok || r.rows.isEmpty())
            qFatal("push failed: %s", qPrintable(r.error));
        return QJsonDocument::fromJson(r.rows.first().first().toString().toUtf8()).object();
    }

    static QJsonArray results(const QJsonObject &answer)
    {
        return answer.value(u"results").toArray();
    }

    QJsonObject centralRow(const QString &table, const QString &id)
    {
        const Sql r =
            sql(m_owner,
                QStringLiteral("SELECT to_jsonb(t)::text FROM %1 t WHERE id = CAST(:id AS uuid)")
                    .arg(table),
                {{QStringLiteral("id"), id}});
        if (!r.ok)
            qFatal("%s", qPrintable(r.error));
        return r.rows.isEmpty()
                   ? QJsonObject()
                   : QJsonDocument::fromJson(r.rows.first().first().toString().toUtf8()).object();
    }

    qint64 count(const QString &from, const QVariantMap &binds = {})
    {
        return scalar(m_owner, QStringLiteral("SELECT count(*) FROM ") + from, binds).toLongLong();
    }

    // The cursor at the end of everything pullable now.
    Cursor endCursor(const Database &db, const QString &clinic)
    {
        Cursor c;
        for (;;) {
            const Pulled p = pull(db, c, 1000, clinic);
            if (!p.ok)
                qFatal("pull failed: %s", qPrintable(p.error));
            if (p.changes.isEmpty())
                return c;
            c = after(p.changes, c);
        }
    }

    // Pulls from `from` until the rows of `ids` have all arrived (another suite's open
    // transaction elsewhere in the cluster may hold the watermark back for a while).
    QList<Change> pullUntil(const Database &db, Cursor from, const QStringList &ids,
                            const QString &clinic)
    {
        QList<Change> all;
        QDeadlineTimer deadline(30000);
        for (;;) {
            const Pulled p = pull(db, from, 1000, clinic);
            if (!p.ok)
                qFatal("pull failed: %s", qPrintable(p.error));
            all << p.changes;
            from = after(p.changes, from);
            bool complete = true;
            for (const QString &id : ids) {
                complete = complete && std::any_of(all.cbegin(), all.cend(), [&](const Change &c) {
                               return c.entity_id == id;
                           });
            }
            if (complete || deadline.hasExpired())
                return all;
            if (p.changes.isEmpty())
                QThread::msleep(100);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (test::requirePostgresUrl().isEmpty())
            QSKIP("TMDASH_TEST_PG not set");
        m_owner = m_factory.create(SqlDialect::Postgres);
        m_url = m_factory.lastUrl();
        m_north = test::insertClinic(m_owner, QStringLiteral("North"));
        m_south = test::insertClinic(m_owner, QStringLiteral("South"));
        m_doctor = test::insertProvider(m_owner, m_north, QStringLiteral("doc@north.example"),
                                        QStringLiteral("1234567893"));
        m_otherDoctor = test::insertProvider(m_owner, m_north, QStringLiteral("doc2@north.example"),
                                             QStringLiteral("1245319599"));
        m_southDoctor = test::insertProvider(m_owner, m_south, QStringLiteral("doc@south.example"),
                                             QStringLiteral("1234567893"));
        m_patient = PatientId(newUuidV7());
        const QJsonArray r = results(push(batch(
            QStringLiteral("setup"), {patientInsert(m_patient.value, QStringLiteral("Ada"))})));
        QCOMPARE(r.first()[u"status"].toString(), QStringLiteral("applied"));
    }

    void cleanupTestCase()
    {
        for (Database &db : m_extra)
            db.close();
        for (const QString &role : std::as_const(m_roles)) {
            // DROP OWNED also revokes CONNECT on this database, the role's only dependency.
            const Sql owned = sql(m_owner, QStringLiteral("DROP OWNED BY %1").arg(role));
            const Sql dropped = sql(m_owner, QStringLiteral("DROP ROLE %1").arg(role));
            if (!owned.ok || !dropped.ok)
                qWarning("could not drop role %s: %s %s", qPrintable(role), qPrintable(owned.error),
                         qPrintable(dropped.error));
        }
    }

    void insertUpdateAndReplayReturnsTheFirstResult()
    {
        const QString id = newUuidV7();
        const QJsonObject b =
            batch(QStringLiteral("desk-a"),
                  {patientInsert(id, QStringLiteral("Bea")),
                   update(QStringLiteral("patients"), id, QStringLiteral("given_name"),
                          QStringLiteral("Bea"), QStringLiteral("Beatrix"))});
        const QJsonArray first = results(push(b));
        QCOMPARE(first.size(), 2);
        QCOMPARE(first[0][u"status"].toString(), QStringLiteral("applied"));
        QCOMPARE(first[0][u"mutation_id"].toString(),
                 b[u"mutations"][0][u"mutation_id"].toString());
        QCOMPARE(first[0][u"row"][u"given_name"].toString(), QStringLiteral("Bea"));
        QCOMPARE(first[0][u"row"][u"version"].toInt(), 1);
        QCOMPARE(first[1][u"status"].toString(), QStringLiteral("applied"));
        QCOMPARE(first[1][u"row"][u"given_name"].toString(), QStringLiteral("Beatrix"));
        QCOMPARE(first[1][u"row"][u"version"].toInt(), 2);
        QCOMPARE(centralRow(QStringLiteral("patients"), id)[u"given_name"].toString(),
                 QStringLiteral("Beatrix"));

        // Someone else changes the record; the replay still answers what happened the first time
        // and changes nothing.
        QVERIFY(sql(m_owner,
                    QStringLiteral(
                        "UPDATE patients SET given_name = 'Bee' WHERE id = CAST(:id AS uuid)"),
                    {{QStringLiteral("id"), id}})
                    .ok);
        const qint64 logged = count(QStringLiteral("change_log"));
        const QJsonArray again = results(push(b));
        QCOMPARE(again, first);
        QCOMPARE(count(QStringLiteral("change_log")), logged);
        QCOMPARE(centralRow(QStringLiteral("patients"), id)[u"given_name"].toString(),
                 QStringLiteral("Bee"));
        QCOMPARE(centralRow(QStringLiteral("patients"), id)[u"version"].toInt(), 3);
        QCOMPARE(count(QStringLiteral("sync_mutations WHERE entity_id = CAST(:id AS uuid)"),
                       {{QStringLiteral("id"), id}}),
                 2);
    }

    void differentFieldsMergeSameFieldConflicts()
    {
        const QString id = newUuidV7();
        QCOMPARE(results(push(batch(QStringLiteral("desk-a"),
                                    {patientInsert(id, QStringLiteral("Cy"))})))[0][u"status"]
                     .toString(),
                 QStringLiteral("applied"));
        // Both desktops saw version 1; A changes the name, B the city.
        const QJsonArray a =
            results(push(batch(QStringLiteral("desk-a"),
                               {update(QStringLiteral("patients"), id, QStringLiteral("given_name"),
                                       QStringLiteral("Cy"), QStringLiteral("Cyrus"))})));
        const QJsonArray b =
            results(push(batch(QStringLiteral("desk-b"),
                               {update(QStringLiteral("patients"), id, QStringLiteral("city"),
                                       QJsonValue::Null, QStringLiteral("Springfield"))})));
        QCOMPARE(a[0][u"status"].toString(), QStringLiteral("applied"));
        QCOMPARE(b[0][u"status"].toString(), QStringLiteral("applied"));
        QCOMPARE(b[0][u"row"][u"given_name"].toString(), QStringLiteral("Cyrus"));
        QCOMPARE(b[0][u"row"][u"city"].toString(), QStringLiteral("Springfield"));

        // Both change the family name, differently: the first lands, the second is a conflict
        // that keeps the central value and records both.
        const QJsonArray a2 = results(
            push(batch(QStringLiteral("desk-a"),
                       {update(QStringLiteral("patients"), id, QStringLiteral("family_name"),
                               QStringLiteral("Lee"), QStringLiteral("Ray"))})));
        const QJsonObject bm = mutation(
            QStringLiteral("patients"), id, QStringLiteral("update"),
            {{QStringLiteral("family_name"), change(QStringLiteral("Lee"), QStringLiteral("Roe"))},
             {QStringLiteral("middle_name"), change(QJsonValue::Null, QStringLiteral("Q"))}});
        const QJsonArray b2 = results(push(batch(QStringLiteral("desk-b"), {bm})));
        QCOMPARE(a2[0][u"status"].toString(), QStringLiteral("applied"));
        QCOMPARE(b2[0][u"status"].toString(), QStringLiteral("conflict"));
        QCOMPARE(b2[0][u"row"][u"family_name"].toString(), QStringLiteral("Ray"));
        QCOMPARE(b2[0][u"row"][u"middle_name"].toString(),
                 QStringLiteral("Q")); // the other field lands
        const QJsonArray conflicts = b2[0][u"conflicts"].toArray();
        QCOMPARE(conflicts.size(), 1);
        QCOMPARE(conflicts[0][u"field"].toString(), QStringLiteral("family_name"));
        QCOMPARE(conflicts[0][u"local_old"].toString(), QStringLiteral("Lee"));
        QCOMPARE(conflicts[0][u"local_new"].toString(), QStringLiteral("Roe"));
        QCOMPARE(conflicts[0][u"central_value"].toString(), QStringLiteral("Ray"));
        QCOMPARE(centralRow(QStringLiteral("patients"), id)[u"family_name"].toString(),
                 QStringLiteral("Ray"));
        const Sql stored =
            sql(m_owner,
                QStringLiteral("SELECT id::text, field, local_old #>> '{}', local_new #>> '{}', "
                               "central_value #>> '{}', clinic_id::text, resolved_at IS NULL "
                               "FROM sync_conflicts WHERE mutation_id = CAST(:m AS uuid)"),
                {{QStringLiteral("m"), bm[u"mutation_id"].toString()}});
        QVERIFY2(stored.ok, qPrintable(stored.error));
        QCOMPARE(stored.rows.size(), 1);
        QCOMPARE(stored.rows[0][0].toString(), conflicts[0][u"id"].toString());
        QCOMPARE(stored.rows[0][1].toString(), QStringLiteral("family_name"));
        QCOMPARE(stored.rows[0][2].toString(), QStringLiteral("Lee"));
        QCOMPARE(stored.rows[0][3].toString(), QStringLiteral("Roe"));
        QCOMPARE(stored.rows[0][4].toString(), QStringLiteral("Ray"));
        QCOMPARE(stored.rows[0][5].toString(), m_north.value);
        QCOMPARE(stored.rows[0][6].toBool(), true);
        QCOMPARE(
            scalar(m_owner,
                   QStringLiteral(
                       "SELECT status FROM sync_mutations WHERE mutation_id = CAST(:m AS uuid)"),
                   {{QStringLiteral("m"), bm[u"mutation_id"].toString()}})
                .toString(),
            QStringLiteral("conflict"));
    }

    void equalValueIsANoOp()
    {
        const QString id = newUuidV7();
        push(batch(QStringLiteral("desk-a"), {patientInsert(id, QStringLiteral("Di"))}));
        push(batch(QStringLiteral("desk-a"),
                   {update(QStringLiteral("patients"), id, QStringLiteral("birth_date"),
                           QStringLiteral("1980-05-06"), QStringLiteral("1981-07-08"))}));
        const qint64 logged = count(QStringLiteral("change_log"));
        // B made the same change offline: nothing to do, no conflict, no new version.
        const QJsonArray r = results(
            push(batch(QStringLiteral("desk-b"),
                       {update(QStringLiteral("patients"), id, QStringLiteral("birth_date"),
                               QStringLiteral("1980-05-06"), QStringLiteral("1981-07-08"))})));
        QCOMPARE(r[0][u"status"].toString(), QStringLiteral("applied"));
        QCOMPARE(r[0][u"conflicts"].toArray().size(), 0);
        QCOMPARE(r[0][u"row"][u"version"].toInt(), 2);
        QCOMPARE(r[0][u"row"][u"birth_date"].toString(), QStringLiteral("1981-07-08"));
        QCOMPARE(count(QStringLiteral("change_log")), logged);
        QCOMPARE(count(QStringLiteral("sync_conflicts WHERE entity_id = CAST(:id AS uuid)"),
                       {{QStringLiteral("id"), id}}),
                 0);
    }

    void illegalTransitionIsRejectedAndLaterMutationsDepend()
    {
        const QString appt = newUuidV7();
        const QString other = newUuidV7();
        QCOMPARE(results(push(batch(
                     QStringLiteral("desk-a"),
                     {appointmentInsert(appt, m_doctor.provider, isoIn(4), 30)})))[0][u"status"]
                     .toString(),
                 QStringLiteral("applied"));
        push(batch(QStringLiteral("desk-a"), {patientInsert(other, QStringLiteral("Eve"))}));

        const QJsonObject illegal = update(QStringLiteral("appointments"), appt,
                                           QStringLiteral("status"), QStringLiteral("scheduled"),
                                           QStringLiteral("completed"), QStringLiteral("state"));
        const QJsonObject dependent =
            update(QStringLiteral("appointments"), appt, QStringLiteral("notes"), QJsonValue::Null,
                   QStringLiteral("after the visit"));
        const QJsonObject unrelated =
            update(QStringLiteral("patients"), other, QStringLiteral("city"), QJsonValue::Null,
                   QStringLiteral("Shelbyville"));
        const QJsonArray r =
            results(push(batch(QStringLiteral("desk-a"), {illegal, dependent, unrelated})));
        QCOMPARE(r.size(), 3);
        QCOMPARE(r[0][u"status"].toString(), QStringLiteral("rejected"));
        QVERIFY2(r[0][u"reason"].toString().contains(QLatin1String("illegal transition")),
                 qPrintable(r[0][u"reason"].toString()));
        QCOMPARE(r[0][u"row"][u"status"].toString(),
                 QStringLiteral("scheduled")); // the central's row
        QCOMPARE(r[1][u"status"].toString(), QStringLiteral("rejected"));
        QVERIFY2(
            r[1][u"reason"].toString().contains(QLatin1String("depends on rejected mutation ") +
                                                illegal[u"mutation_id"].toString()),
            qPrintable(r[1][u"reason"].toString()));
        QCOMPARE(r[2][u"status"].toString(), QStringLiteral("applied"));
        QCOMPARE(centralRow(QStringLiteral("patients"), other)[u"city"].toString(),
                 QStringLiteral("Shelbyville"));
        const QJsonObject stored = centralRow(QStringLiteral("appointments"), appt);
        QCOMPARE(stored[u"status"].toString(), QStringLiteral("scheduled"));
        QVERIFY(stored[u"notes"].isNull());
        QCOMPARE(scalar(m_owner,
                        QStringLiteral("SELECT reason FROM sync_mutations WHERE mutation_id = "
                                       "CAST(:m AS uuid) AND status = 'rejected'"),
                        {{QStringLiteral("m"), illegal[u"mutation_id"].toString()}})
                     .toString(),
                 r[0][u"reason"].toString());

        // A later batch: still dependent while the rejection is open; another device is not held.
        const QJsonObject later =
            update(QStringLiteral("appointments"), appt, QStringLiteral("reason"), QJsonValue::Null,
                   QStringLiteral("check-up"));
        QCOMPARE(results(push(batch(QStringLiteral("desk-a"), {later})))[0][u"status"].toString(),
                 QStringLiteral("rejected"));
        const QJsonObject fromB =
            update(QStringLiteral("appointments"), appt, QStringLiteral("room"), QJsonValue::Null,
                   QStringLiteral("2"));
        QCOMPARE(results(push(batch(QStringLiteral("desk-b"), {fromB})))[0][u"status"].toString(),
                 QStringLiteral("applied"));

        // A legal transition from the central's state goes through once the rejections are
        // resolved (retried or discarded on the desktop).
        const QJsonObject legal = update(QStringLiteral("appointments"), appt,
                                         QStringLiteral("status"), QStringLiteral("scheduled"),
                                         QStringLiteral("confirmed"), QStringLiteral("state"));
        const QJsonArray retried = results(
            push(batch(QStringLiteral("desk-a"), {legal}, 1,
                       {illegal[u"mutation_id"].toString(), dependent[u"mutation_id"].toString(),
                        later[u"mutation_id"].toString()})));
        QCOMPARE(retried[0][u"status"].toString(), QStringLiteral("applied"));
        QCOMPARE(centralRow(QStringLiteral("appointments"), appt)[u"status"].toString(),
                 QStringLiteral("confirmed"));
        QCOMPARE(count(QStringLiteral("sync_mutations WHERE entity_id = CAST(:id AS uuid) AND "
                                      "status = 'rejected' AND resolved_at IS NULL"),
                       {{QStringLiteral("id"), appt}}),
                 0);
    }

    void doubleBookingFromTwoDesktopsRejectsTheSecond()
    {
        const QString first = newUuidV7();
        const QString second = newUuidV7();
        const QString roomClash = newUuidV7();
        const QString later = newUuidV7();
        const QJsonArray a = results(push(batch(
            QStringLiteral("desk-a"),
            {appointmentInsert(first, m_doctor.provider, QStringLiteral("2030-03-05T10:00:00.000Z"),
                               30, QStringLiteral("Room 1"))})));
        QCOMPARE(a[0][u"status"].toString(), QStringLiteral("applied"));
        const QJsonArray b = results(push(batch(
            QStringLiteral("desk-b"),
            {appointmentInsert(second, m_doctor.provider,
                               QStringLiteral("2030-03-05T10:15:00.000Z"), 30),
             appointmentInsert(roomClash, m_otherDoctor.provider,
                               QStringLiteral("2030-03-05T10:20:00.000Z"), 15,
                               QStringLiteral(" room 1")),
             appointmentInsert(later, m_doctor.provider, QStringLiteral("2030-03-05T10:30:00.000Z"),
                               30, QStringLiteral("Room 1"))})));
        QCOMPARE(b[0][u"status"].toString(), QStringLiteral("rejected"));
        QVERIFY2(b[0][u"reason"].toString().startsWith(QLatin1String("double booking")),
                 qPrintable(b[0][u"reason"].toString()));
        QVERIFY(b[0][u"row"].isNull());
        QCOMPARE(b[1][u"status"].toString(), QStringLiteral("rejected"));
        QVERIFY2(b[1][u"reason"].toString().contains(QLatin1String("room")),
                 qPrintable(b[1][u"reason"].toString()));
        QCOMPARE(b[2][u"status"].toString(), QStringLiteral("applied")); // back to back is fine
        QVERIFY(centralRow(QStringLiteral("appointments"), second).isEmpty());
        QVERIFY(centralRow(QStringLiteral("appointments"), roomClash).isEmpty());

        // Moving an appointment onto a taken slot is refused too; a cancelled one frees it.
        const QJsonObject move = update(
            QStringLiteral("appointments"), later, QStringLiteral("start_at"),
            QStringLiteral("2030-03-05T10:30:00.000Z"), QStringLiteral("2030-03-05T10:10:00.000Z"));
        QCOMPARE(results(push(batch(QStringLiteral("desk-c"), {move})))[0][u"status"].toString(),
                 QStringLiteral("rejected"));
        const QJsonObject cancel =
            mutation(QStringLiteral("appointments"), first, QStringLiteral("state"),
                     {{QStringLiteral("status"),
                       change(QStringLiteral("scheduled"), QStringLiteral("cancelled"))},
                      {QStringLiteral("cancel_reason"),
                       change(QJsonValue::Null, QStringLiteral("patient called"))}});
        QCOMPARE(results(push(batch(QStringLiteral("desk-a"), {cancel})))[0][u"status"].toString(),
                 QStringLiteral("applied"));
        const QJsonObject retry = appointmentInsert(second, m_doctor.provider,
                                                    QStringLiteral("2030-03-05T10:00:00.000Z"), 30);
        QCOMPARE(results(push(batch(QStringLiteral("desk-d"), {retry})))[0][u"status"].toString(),
                 QStringLiteral("applied"));
    }

    void upgradeRequiredAppliesNothing_data()
    {
        QTest::addColumn<int>("batchProtocol");
        QTest::addColumn<int>("mutationProtocol");
        QTest::newRow("batch too new") << 2 << 1;
        QTest::newRow("batch too old") << 0 << 1;
        QTest::newRow("one mutation too new") << 1 << 2;
    }

    void upgradeRequiredAppliesNothing()
    {
        QFETCH(int, batchProtocol);
        QFETCH(int, mutationProtocol);
        const QString fine = newUuidV7();
        const QString odd = newUuidV7();
        QJsonObject oddInsert = patientInsert(odd, QStringLiteral("Fay"));
        oddInsert.insert(QStringLiteral("protocol"), mutationProtocol);
        const qint64 mutations = count(QStringLiteral("sync_mutations"));
        const QJsonObject answer =
            push(batch(QStringLiteral("desk-a"),
                       {patientInsert(fine, QStringLiteral("Gus")), oddInsert}, batchProtocol));
        QCOMPARE(answer[u"error"].toString(), QStringLiteral("upgrade_required"));
        QVERIFY(!answer.contains(u"results"));
        QCOMPARE(answer[u"max_protocol"].toInt(), 1);
        QVERIFY(centralRow(QStringLiteral("patients"), fine).isEmpty());
        QVERIFY(centralRow(QStringLiteral("patients"), odd).isEmpty());
        QCOMPARE(count(QStringLiteral("sync_mutations")), mutations);
    }

    void directSqlChangeReachesTheChangeLog()
    {
        const QString before =
            scalar(m_owner, QStringLiteral("SELECT coalesce(max(id), 0) FROM change_log"))
                .toString();
        QVERIFY(sql(m_owner,
                    QStringLiteral(
                        "UPDATE patients SET city = 'Ogdenville' WHERE id = CAST(:id AS uuid)"),
                    {{QStringLiteral("id"), m_patient.value}})
                    .ok);
        const Sql r =
            sql(m_owner,
                QStringLiteral("SELECT entity, op, version, row->>'city', origin_device IS NULL, "
                               "mutation_id IS NULL, "
                               "clinic_id::text, version = (SELECT version FROM patients WHERE id "
                               "= CAST(:id AS uuid)) "
                               "FROM change_log WHERE id > CAST(:after AS bigint) AND entity_id = "
                               "CAST(:id AS uuid)"),
                {{QStringLiteral("id"), m_patient.value}, {QStringLiteral("after"), before}});
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.rows.size(), 1);
        QCOMPARE(r.rows[0][0].toString(), QStringLiteral("patients"));
        QCOMPARE(r.rows[0][1].toString(), QStringLiteral("update"));
        QCOMPARE(r.rows[0][3].toString(), QStringLiteral("Ogdenville"));
        QCOMPARE(r.rows[0][4].toBool(), true);
        QCOMPARE(r.rows[0][5].toBool(), true);
        QCOMPARE(r.rows[0][6].toString(), m_north.value);
        QCOMPARE(r.rows[0][7].toBool(), true);

        // A push's change carries its device and mutation id; a tombstone is logged as delete.
        const QString id = newUuidV7();
        push(batch(QStringLiteral("desk-z"), {patientInsert(id, QStringLiteral("Hal"))}));
        const QJsonObject tomb =
            mutation(QStringLiteral("patients"), id, QStringLiteral("delete"),
                     {{QStringLiteral("deleted_at"),
                       change(QJsonValue::Null, QStringLiteral("2026-02-02T08:00:00.000Z"))}});
        QCOMPARE(results(push(batch(QStringLiteral("desk-z"), {tomb})))[0][u"status"].toString(),
                 QStringLiteral("applied"));
        const Sql logged =
            sql(m_owner,
                QStringLiteral("SELECT op, origin_device, mutation_id::text FROM change_log WHERE "
                               "entity_id = CAST(:id AS uuid) ORDER BY id"),
                {{QStringLiteral("id"), id}});
        QCOMPARE(logged.rows.size(), 2);
        QCOMPARE(logged.rows[0][0].toString(), QStringLiteral("insert"));
        QCOMPARE(logged.rows[1][0].toString(), QStringLiteral("delete"));
        QCOMPARE(logged.rows[1][1].toString(), QStringLiteral("desk-z"));
        QCOMPARE(logged.rows[1][2].toString(), tomb[u"mutation_id"].toString());
    }

    void pullFollowsXidOrderAndWaitsForLateCommits()
    {
        Database a = connect();
        Database b = connect();
        const Cursor start = endCursor(m_owner, m_north.value);
        const QString early = newUuidV7();
        const QString late = newUuidV7();
        QVERIFY(sql(a, QStringLiteral("BEGIN")).ok);
        QCOMPARE(
            push(batch(QStringLiteral("desk-a"), {patientInsert(early, QStringLiteral("Ida"))}), &a,
                 m_north.value)[u"results"][0][u"status"]
                .toString(),
            QStringLiteral("applied"));
        QVERIFY(sql(b, QStringLiteral("BEGIN")).ok);
        push(batch(QStringLiteral("desk-b"), {patientInsert(late, QStringLiteral("Jo"))}), &b,
             m_north.value);
        QVERIFY(sql(b, QStringLiteral("COMMIT")).ok);

        // B committed, but A (which wrote first) is still open: nothing from A's xid on is pulled.
        const Pulled stalled = pull(m_owner, start, 1000, m_north.value);
        QVERIFY2(stalled.ok, qPrintable(stalled.error));
        for (const Change &c : stalled.changes) {
            QVERIFY(c.entity_id != early);
            QVERIFY(c.entity_id != late);
        }
        const Cursor resume = after(stalled.changes, start);
        QVERIFY(sql(a, QStringLiteral("COMMIT")).ok);

        const QList<Change> got = pullUntil(m_owner, resume, {early, late}, m_north.value);
        qsizetype iEarly = -1;
        qsizetype iLate = -1;
        for (qsizetype i = 0; i < got.size(); ++i) {
            if (got[i].entity_id == early)
                iEarly = i;
            if (got[i].entity_id == late)
                iLate = i;
            if (i > 0) {
                const bool ordered = got[i - 1].xid < got[i].xid ||
                                     (got[i - 1].xid == got[i].xid && got[i - 1].id < got[i].id);
                QVERIFY2(ordered, "pull rows out of (xid, id) order");
            }
            QCOMPARE(got[i].row[u"clinic_id"].toString(), m_north.value);
        }
        QVERIFY2(iEarly >= 0, "the late-committing transaction was skipped");
        QVERIFY(iLate >= 0);
        QVERIFY(iEarly < iLate);
        // A cursor on id alone would have passed the early row while pulling the late one.
        QVERIFY(got[iEarly].id < got[iLate].id);
        QVERIFY(got[iEarly].xid < got[iLate].xid);
        QCOMPARE(got[iEarly].origin_device, QStringLiteral("desk-a"));
        QCOMPARE(got[iEarly].row[u"given_name"].toString(), QStringLiteral("Ida"));
        QCOMPARE(got[iEarly].version, 1);
        QCOMPARE(got[iEarly].op, QStringLiteral("insert"));
    }

    void pageRunsPastTheLimitToFinishItsTransaction()
    {
        const Cursor start = endCursor(m_owner, m_north.value);
        const QStringList ids{newUuidV7(), newUuidV7(), newUuidV7()};
        push(batch(QStringLiteral("desk-a"), {patientInsert(ids[0], QStringLiteral("Kay")),
                                              patientInsert(ids[1], QStringLiteral("Lou")),
                                              patientInsert(ids[2], QStringLiteral("Max"))}));
        QList<Change> page;
        QDeadlineTimer deadline(30000);
        while (page.isEmpty() && !deadline.hasExpired()) {
            const Pulled p = pull(m_owner, start, 1, m_north.value);
            QVERIFY2(p.ok, qPrintable(p.error));
            page = p.changes;
            if (page.isEmpty())
                QThread::msleep(100);
        }
        QCOMPARE(page.size(), 3);
        for (qsizetype i = 0; i < 3; ++i) {
            QCOMPARE(page[i].entity_id, ids[i]);
            QCOMPARE(page[i].xid, page[0].xid);
        }
        QVERIFY(pull(m_owner, after(page, start), 1, m_north.value).changes.isEmpty());
    }

    void clinicRoleWorksOnlyOnItsClinic()
    {
        const QString login =
            QStringLiteral("tst_csync_%1").arg(QCoreApplication::applicationPid());
        m_roles << login;
        auto role = createClinicRole(m_owner, Principal::owner(), m_north, login, kPassword);
        QVERIFY2(role, qPrintable(role.error().message));
        Database north = connect(login);

        // Push without naming the clinic: it is the role's.
        const QString id = newUuidV7();
        const QJsonObject answer = push(
            batch(QStringLiteral("desk-r"), {patientInsert(id, QStringLiteral("Ned"))}), &north);
        QCOMPARE(answer[u"results"][0][u"status"].toString(), QStringLiteral("applied"));
        QCOMPARE(answer[u"results"][0][u"row"][u"clinic_id"].toString(), m_north.value);
        QCOMPARE(scalar(m_owner,
                        QStringLiteral("SELECT clinic_id::text FROM sync_mutations WHERE entity_id "
                                       "= CAST(:id AS uuid)"),
                        {{QStringLiteral("id"), id}})
                     .toString(),
                 m_north.value);

        // A row claiming the other clinic is refused; naming the other clinic fails outright.
        const QString south = newUuidV7();
        const QJsonArray refused =
            results(push(batch(QStringLiteral("desk-r"),
                               {patientInsert(south, QStringLiteral("Oz"), m_south.value)}),
                         &north));
        QCOMPARE(refused[0][u"status"].toString(), QStringLiteral("rejected"));
        QVERIFY(centralRow(QStringLiteral("patients"), south).isEmpty());
        const Sql named = pushRaw(
            north,
            batch(QStringLiteral("desk-r"), {patientInsert(newUuidV7(), QStringLiteral("Pat"))}),
            m_south.value);
        QVERIFY(!named.ok);
        QVERIFY2(named.error.contains(QLatin1String("cannot name another clinic")),
                 qPrintable(named.error));
        QVERIFY(!pull(north, Cursor{}, 10, m_south.value).ok);

        // The other clinic's record is out of reach even by id.
        const QString southPatient = newUuidV7();
        QCOMPARE(
            results(push(batch(QStringLiteral("setup"),
                               {patientInsert(southPatient, QStringLiteral("Sue"), m_south.value)}),
                         &m_owner, m_south.value))[0][u"status"]
                .toString(),
            QStringLiteral("applied"));
        const QJsonArray reach = results(
            push(batch(QStringLiteral("desk-r"),
                       {update(QStringLiteral("patients"), southPatient, QStringLiteral("city"),
                               QJsonValue::Null, QStringLiteral("X"))}),
                 &north));
        QCOMPARE(reach[0][u"status"].toString(), QStringLiteral("rejected"));
        QVERIFY(reach[0][u"row"].isNull());
        QVERIFY(centralRow(QStringLiteral("patients"), southPatient)[u"city"].isNull());

        // Its pull holds its clinic's changes and nothing else.
        const QList<Change> all = pullUntil(north, Cursor{}, {id, m_patient.value}, QString());
        QVERIFY(all.size() >= 2);
        for (const Change &c : all) {
            QCOMPARE(c.row[u"clinic_id"].toString(), m_north.value);
            QVERIFY(c.entity_id != southPatient);
        }
        // ...and it cannot write the change log, nor change a recorded result.
        QVERIFY(
            !sql(north,
                 QStringLiteral(
                     "INSERT INTO change_log (clinic_id, entity, entity_id, version, op, row) "
                     "VALUES (CAST(:c AS uuid), 'patients', CAST(:c AS uuid), 1, 'update', '{}')"),
                 {{QStringLiteral("c"), m_north.value}})
                 .ok);
        QVERIFY(!sql(north, QStringLiteral("UPDATE sync_mutations SET status = 'applied'")).ok);

        // An owner connection must name the clinic.
        const Sql unnamed = pushRaw(m_owner, batch(QStringLiteral("setup"), {}), QString());
        QVERIFY(!unnamed.ok);
        QVERIFY2(unnamed.error.contains(QLatin1String("must name the clinic")),
                 qPrintable(unnamed.error));
        QVERIFY(!pull(m_owner, Cursor{}, 10, QString()).ok);
    }

    void centralIdentity()
    {
        const Sql r =
            sql(m_owner, QStringLiteral("SELECT system_identifier, current_xid::text, "
                                        "(SELECT system_identifier FROM pg_control_system()) "
                                        "FROM tmdash_central_identity()"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.rows.size(), 1);
        QCOMPARE(r.rows[0][0].toLongLong(), r.rows[0][2].toLongLong());
        QVERIFY(r.rows[0][0].toLongLong() != 0);
        const quint64 maxLogged =
            scalar(m_owner, QStringLiteral("SELECT max(xid)::text FROM change_log"))
                .toString()
                .toULongLong();
        QVERIFY(r.rows[0][1].toString().toULongLong() > maxLogged);
    }
};

QTEST_GUILESS_MAIN(TestCentralSync)
#include "tst_centralsync.moc"
