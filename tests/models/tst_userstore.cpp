#include "clock.h"
#include "outbox.h"
#include "passwordhash.h"
#include "recordwriter.h"
#include "testsupport.h"
#include "usercodec.h"
#include "userstore.h"

#include <QJsonObject>
#include <QTest>

using namespace tmdash;

namespace {

const QString kPassword = QStringLiteral("correct horse battery staple");

User jane()
{
    User u;
    u.email = QStringLiteral("Jane.Doe@Example.org");
    u.given_name = QStringLiteral("Jane");
    u.family_name = QStringLiteral("Doe");
    u.phone = QStringLiteral("(555) 201-7788");
    u.role = Role::Provider;
    u.status = UserStatus::Active;
    return u;
}

User named(const QString &given, const QString &family, const QString &email)
{
    User u = jane();
    u.given_name = given;
    u.family_name = family;
    u.email = email;
    return u;
}




void tombstoneUser(const Database &db, const UserId &id)
{
    auto raw = RecordTable(db, u"users").get(id.value);
    if (!raw || !RecordWriter(db, Principal::owner()).tombstone(*tableSpec(u"users"), *raw))
        qFatal("tombstoning a user failed");
}

} // namespace

class TestUserStore : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("userstore")};
    const Principal m_owner = Principal::owner();

private Q_SLOTS:
    void passwordHashing()
    {
        auto hash = hashPassword(kPassword);
        QVERIFY(hash);
        QVERIFY2(hash->startsWith(QLatin1String("$argon2id$v=19$")), qPrintable(*hash));
        QVERIFY(!hash->contains(kPassword));
        QVERIFY(verifyPassword(*hash, kPassword));
        QVERIFY(!verifyPassword(*hash, kPassword + QLatin1Char('!')));
        QVERIFY(!verifyPassword(QString(), kPassword));
        QVERIFY(!verifyPassword(QStringLiteral("$argon2id$garbage"), kPassword));
        QVERIFY(!passwordNeedsRehash(*hash));
        QVERIFY(passwordNeedsRehash(QStringLiteral("$2y$10$abcdefghijklmnopqrstuv")));
        // Salted: the same password never hashes to the same string twice.
        QVERIFY(*hashPassword(kPassword) != *hash);
        // Unicode passwords hash their UTF-8 bytes.
        const QString unicode = QStringLiteral("Zoë’s 🙂 pässwört");
        QVERIFY(verifyPassword(*hashPassword(unicode), unicode));
    }

    void createAndGetRoundTrip_data() { m_factory.addDialectRows(); }
    void createAndGetRoundTrip()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        UserStore store(db, m_owner);
        User input = jane();
        input.password_hash = QStringLiteral("$argon2id$forged"); // ignored
        input.failed_logins = 4;                                  // not a users column
        auto created = store.create(input, kPassword);
        QVERIFY2(created, qPrintable(created.error().message));
        QVERIFY(isUuid(created->id.value));
        QCOMPARE(created->clinic_id, clinic);
        QCOMPARE(created->email, QStringLiteral("Jane.Doe@Example.org")); // as typed
        QCOMPARE(created->phone, QStringLiteral("+15552017788"));
        QCOMPARE(created->role, Role::Provider);
        QCOMPARE(created->status, UserStatus::Active);
        QCOMPARE(created->failed_logins, 0);
        QVERIFY(!created->locked_until && !created->last_login_at);
        QVERIFY(created->password_hash.startsWith(QLatin1String("$argon2id$")));
        QVERIFY(!created->password_hash.contains(kPassword));
        QVERIFY(verifyPassword(created->password_hash, kPassword));
        QVERIFY(!verifyPassword(created->password_hash,
                                QStringLiteral("correct horse battery stable")));
        auto got = store.get(created->id);
        QVERIFY(got);
        QCOMPARE(toRow(*got), toRow(*created));
        QCOMPARE(got->meta.version, dialect == SqlDialect::Postgres ? 1 : 0);
        // The password never reaches the database in clear.
        auto raw = RecordTable(db, u"users").get(created->id.value);
        QVERIFY(raw);
        for (auto it = raw->constBegin(); it != raw->constEnd(); ++it)
            QVERIFY2(!it.value().toString().contains(kPassword), qPrintable(it.key()));
    }

    void loginStateComesFromItsOwnTable_data() { m_factory.addDialectRows(); }
    void loginStateComesFromItsOwnTable()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        UserStore store(db, m_owner);
        auto created = store.create(jane(), kPassword);
        QVERIFY(created);
        QVERIFY(!tableSpec(u"users")->column(u"failed_logins"));
        const QDateTime until = QDateTime(QDate(2026, 3, 1), QTime(10, 15), Qt::UTC);
        Row state{{QStringLiteral("user_id"), created->id.value},
                  {QStringLiteral("failed_logins"), 3}};
        putInstant(state, QStringLiteral("locked_until"), until);
        putInstant(state, QStringLiteral("last_login_at"), std::nullopt);
        QVERIFY(RecordTable(db, u"login_state").insert(state));
        auto got = store.get(created->id);
        QVERIFY(got);
        QCOMPARE(got->failed_logins, 3);
        QCOMPARE(got->locked_until, std::optional<QDateTime>(until));
        QVERIFY(!got->last_login_at);
        QCOMPARE(toRow(*got), toRow(*created)); // the users row is untouched
        if (dialect == SqlDialect::Sqlite) {
            const QList<OutboxEntry> entries = test::outboxOf(db);
            QCOMPARE(entries.size(), 1);
            QVERIFY(!entries[0].changes.contains(u"failed_logins"));
            QVERIFY(!entries[0].changes.contains(u"locked_until"));
            QVERIFY(!entries[0].changes.contains(u"last_login_at"));
            QVERIFY(entries[0]
                        .changes.value(u"password_hash")
                        .toString()
                        .startsWith(QLatin1String("$argon2id$")));
        }
    }

    void outboxRowsForCreateDisableAndPassword()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        test::insertClinic(db);
        UserStore store(db, m_owner);
        auto created = store.create(jane(), kPassword);
        QVERIFY(created);
        QList<OutboxEntry> entries = test::outboxOf(db);
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries[0].entity, QStringLiteral("users"));
        QCOMPARE(entries[0].op, OutboxOp::Insert);
        QCOMPARE(entries[0].entity_id, created->id.value);
        QCOMPARE(entries[0].changes.value(u"email").toString(),
                 QStringLiteral("Jane.Doe@Example.org"));
        QCOMPARE(entries[0].changes.value(u"status").toString(), QStringLiteral("active"));

        auto disabled = store.disable(created->id);
        QVERIFY2(disabled, qPrintable(disabled.error().message));
        QCOMPARE(disabled->status, UserStatus::Disabled);
        entries = test::outboxOf(db);
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries[1].op, OutboxOp::State);
        QCOMPARE(entries[1].changes.keys(), QStringList{QStringLiteral("status")});
        QCOMPARE(entries[1].changes[u"status"].toObject()[u"old"].toString(),
                 QStringLiteral("active"));
        QCOMPARE(entries[1].changes[u"status"].toObject()[u"new"].toString(),
                 QStringLiteral("disabled"));
        // Disabling again changes nothing and queues nothing.
        QVERIFY(store.disable(created->id));
        QCOMPARE(test::outboxOf(db).size(), 2);

        const QString next = QStringLiteral("a completely different passphrase");
        QVERIFY(store.setPassword(created->id, next));
        entries = test::outboxOf(db);
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries[2].op, OutboxOp::Update);
        QCOMPARE(entries[2].changes.keys(), QStringList{QStringLiteral("password_hash")});
        QCOMPARE(entries[2].changes[u"password_hash"].toObject()[u"old"].toString(),
                 created->password_hash);
        const User after = *store.get(created->id);
        QCOMPARE(entries[2].changes[u"password_hash"].toObject()[u"new"].toString(),
                 after.password_hash);
        QVERIFY(verifyPassword(after.password_hash, next));
        QVERIFY(!verifyPassword(after.password_hash, kPassword));
    }

    void disableAndSetPassword_data() { m_factory.addDialectRows(); }
    void disableAndSetPassword()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        UserStore store(db, m_owner);
        auto created = store.create(jane(), kPassword);
        QVERIFY(created);
        QCOMPARE(store.disable(created->id)->status, UserStatus::Disabled);
        QCOMPARE(store.get(created->id)->status, UserStatus::Disabled);
        // A weak new password is refused and the old hash stays.
        const qint64 before = test::queuedChanges(db);
        auto weak = store.setPassword(created->id, QStringLiteral("jane.doe12345"));
        QVERIFY(!weak);
        QCOMPARE(test::fieldCodes(weak.error()), QStringList{QStringLiteral("password:contains_email")});
        QCOMPARE(store.get(created->id)->password_hash, created->password_hash);
        QCOMPARE(test::queuedChanges(db), before);
        QCOMPARE(store.disable(UserId(newUuidV7())).error().code, ErrorCode::NotFound);
        QCOMPARE(store.setPassword(UserId(newUuidV7()), kPassword).error().code,
                 ErrorCode::NotFound);
    }

    // The same email in any letter case is one account per clinic; the refused write leaves
    // nothing behind.
    void duplicateEmailIsRefused_data()
    {
        QTest::addColumn<SqlDialect>("dialect");
        QTest::addColumn<QString>("email");
        for (SqlDialect d : {SqlDialect::Sqlite, SqlDialect::Postgres}) {
            if (d == SqlDialect::Postgres && !m_factory.hasPostgres())
                continue;
            const char *n = d == SqlDialect::Sqlite ? "sqlite" : "postgres";
            QTest::addRow("%s: upper case", n) << d << QStringLiteral("JANE.DOE@EXAMPLE.ORG");
            if (d == SqlDialect::Postgres)
                continue; // each row hashes a password: keep the suite fast
            QTest::addRow("%s: same", n) << d << QStringLiteral("Jane.Doe@Example.org");
            QTest::addRow("%s: lower case", n) << d << QStringLiteral("jane.doe@example.org");
            QTest::addRow("%s: blanks around", n) << d << QStringLiteral("  jane.doe@example.org ");
        }
    }
    void duplicateEmailIsRefused()
    {
        QFETCH(SqlDialect, dialect);
        QFETCH(QString, email);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        UserStore store(db, m_owner);
        QVERIFY(store.create(jane(), kPassword));
        const qint64 users = test::rowCount(db, QStringLiteral("users"));
        const qint64 before = test::queuedChanges(db);
        auto result =
            store.create(named(QStringLiteral("Janet"), QStringLiteral("Dove"), email), kPassword);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Invalid);
        QCOMPARE(test::fieldCodes(result.error()), QStringList{QStringLiteral("email:duplicate")});
        QCOMPARE(test::rowCount(db, QStringLiteral("users")), users);
        QCOMPARE(test::queuedChanges(db), before);
    }

    // The database's own unique index says the same, named the same way, for a writer that
    // skipped the store's check.
    void databaseIndexBacksTheCheck_data() { m_factory.addDialectRows(); }
    void databaseIndexBacksTheCheck()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        UserStore store(db, m_owner);
        auto first = store.create(jane(), kPassword);
        QVERIFY(first);
        User copy = *first;
        copy.id = newId<UserId>();
        copy.email = QStringLiteral("JANE.doe@example.org");
        Row row = toRow(copy);
        auto written = RecordWriter(db, m_owner).insert(*tableSpec(u"users"), row);
        QVERIFY(!written);
        QCOMPARE(written.error().code, ErrorCode::Invalid);
        QCOMPARE(written.error().fields.first().code, QStringLiteral("duplicate"));
        // sqlError cannot name the column of an expression index on SQLite; the store maps it.
        const QString field = written.error().fields.first().field;
        QVERIFY2(field == QLatin1String("email") || field.isEmpty(), qPrintable(field));
    }

    void sameEmailInAnotherClinic_data() { m_factory.addDialectRows(); }
    void sameEmailInAnotherClinic()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const ClinicId north = test::insertClinic(db);
        const ClinicId south = test::insertClinic(db, QStringLiteral("South"));
        UserStore store(db, m_owner);
        User a = jane();
        a.clinic_id = north;
        User b = jane();
        b.clinic_id = south;
        auto inNorth = store.create(a, kPassword);
        auto inSouth = store.create(b, kPassword);
        QVERIFY(inNorth && inSouth);
        QCOMPARE(store.findByEmail(QStringLiteral("jane.doe@example.org"), north)->id, inNorth->id);
        QCOMPARE(store.findByEmail(QStringLiteral("JANE.DOE@example.org"), south)->id, inSouth->id);
        // The owner of a database with several clinics must name one.
        QCOMPARE(store.findByEmail(QStringLiteral("jane.doe@example.org")).error().code,
                 ErrorCode::Invalid);
        // A person only ever finds users of their own clinic.
        const Principal admin{Principal::Kind::Person, inSouth->id, south, Role::Admin, {}};
        UserStore scoped(db, admin);
        QCOMPARE(scoped.findByEmail(QStringLiteral("jane.doe@example.org"), north)->id,
                 inSouth->id);
        QCOMPARE(scoped.get(inNorth->id).error().code, ErrorCode::NotFound);
        QCOMPARE(scoped.list()->size(), 1);
        QCOMPARE(scoped.disable(inNorth->id).error().code, ErrorCode::NotFound);
        // Staff find only their own account, and are refused any other.
        const Principal staff{Principal::Kind::Person, inSouth->id, south, Role::Staff, {}};
        UserStore self(db, staff);
        QCOMPARE(self.findByEmail(QStringLiteral("jane.doe@example.org"), north)->id, inSouth->id);
        QCOMPARE(self.get(inSouth->id)->id, inSouth->id);
        QCOMPARE(self.get(inNorth->id).error().code, ErrorCode::NotPermitted);
        QCOMPARE(self.list().error().code, ErrorCode::NotPermitted);
        QCOMPARE(self.disable(inNorth->id).error().code, ErrorCode::NotPermitted);
        QCOMPARE(store.get(inNorth->id)->status, UserStatus::Active);
    }

    void tombstonedEmailCanBeReused_data() { m_factory.addDialectRows(); }
    void tombstonedEmailCanBeReused()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        UserStore store(db, m_owner);
        auto first = store.create(jane(), kPassword);
        QVERIFY(first);
        tombstoneUser(db, first->id);
        QCOMPARE(store.get(first->id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.findByEmail(QStringLiteral("jane.doe@example.org")).error().code,
                 ErrorCode::NotFound);
        auto second = store.create(named(QStringLiteral("Jane"), QStringLiteral("Roe"),
                                         QStringLiteral("jane.doe@example.org")),
                                   kPassword);
        QVERIFY2(second, qPrintable(second.error().message));
        QCOMPARE(store.findByEmail(QStringLiteral("Jane.Doe@Example.org"))->id, second->id);
        QCOMPARE(store.list()->size(), 1);
        QCOMPARE(test::rowCount(db, QStringLiteral("users")), 2);
    }

    void weakPasswordIsRefused_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("code");
        QTest::newRow("11 characters")
            << QStringLiteral("abcdefghijk") << QStringLiteral("too_short");
        QTest::newRow("129 characters")
            << QString(129, QLatin1Char('x')) << QStringLiteral("too_long");
        QTest::newRow("common") << QStringLiteral("UnBelievable")
                                << QStringLiteral("common_password");
        QTest::newRow("contains email")
            << QStringLiteral("my jane.doe passphrase") << QStringLiteral("contains_email");
    }
    void weakPasswordIsRefused()
    {
        QFETCH(QString, password);
        QFETCH(QString, code);
        Database db = m_factory.create(SqlDialect::Sqlite);
        test::insertClinic(db);
        auto result = UserStore(db, m_owner).create(jane(), password);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Invalid);
        QCOMPARE(test::fieldCodes(result.error()), QStringList{QStringLiteral("password:") + code});
        QVERIFY(!result.error().fields.first().message.contains(password));
        QCOMPARE(test::rowCount(db, QStringLiteral("users")), 0);
        QCOMPARE(test::rowCount(db, QStringLiteral("outbox")), 0);
    }

    void invalidUserReportsEveryField_data() { m_factory.addDialectRows(); }
    void invalidUserReportsEveryField()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        User bad = jane();
        bad.email = QStringLiteral("not-an-email");
        bad.given_name.clear();
        bad.phone = QStringLiteral("call me");
        auto result = UserStore(db, m_owner).create(bad, QStringLiteral("short"));
        QVERIFY(!result);
        const QStringList codes = test::fieldCodes(result.error());
        QVERIFY2(codes.contains(QStringLiteral("email:format")), qPrintable(codes.join(u' ')));
        QVERIFY2(codes.contains(QStringLiteral("given_name:required")),
                 qPrintable(codes.join(u' ')));
        QVERIFY2(codes.contains(QStringLiteral("phone:format")), qPrintable(codes.join(u' ')));
        QVERIFY2(codes.contains(QStringLiteral("password:too_short")),
                 qPrintable(codes.join(u' ')));
        QCOMPARE(test::rowCount(db, QStringLiteral("users")), 0);
        QCOMPARE(test::queuedChanges(db), 0);
    }

    void updateProfile_data() { m_factory.addDialectRows(); }
    void updateProfile()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        UserStore store(db, m_owner);
        auto jd = store.create(jane(), kPassword);
        auto other = store.create(
            named(QStringLiteral("Ann"), QStringLiteral("Lee"), QStringLiteral("ann@example.org")),
            kPassword);
        QVERIFY(jd && other);
        // Taking another user's email (in any case) is refused.
        User taken = *other;
        taken.email = QStringLiteral("JANE.DOE@example.org");
        const qint64 before = test::queuedChanges(db);
        auto refused = store.update(taken);
        QVERIFY(!refused);
        QCOMPARE(test::fieldCodes(refused.error()), QStringList{QStringLiteral("email:duplicate")});
        QCOMPARE(test::queuedChanges(db), before);
        // Changing the case of one's own email, the name and the role is fine; status and hash
        // are not changed through update.
        User edited = *jd;
        edited.email = QStringLiteral("jane.doe@example.org");
        edited.family_name = QStringLiteral("Smith");
        edited.role = Role::Admin;
        edited.status = UserStatus::Disabled;
        edited.password_hash = QStringLiteral("$argon2id$forged");
        auto updated = store.update(edited);
        QVERIFY2(updated, qPrintable(updated.error().message));
        QCOMPARE(updated->email, QStringLiteral("jane.doe@example.org"));
        QCOMPARE(updated->family_name, QStringLiteral("Smith"));
        QCOMPARE(updated->role, Role::Admin);
        QCOMPARE(updated->status, UserStatus::Active);
        QCOMPARE(updated->password_hash, jd->password_hash);
        if (dialect == SqlDialect::Sqlite) {
            const QList<OutboxEntry> entries = test::outboxOf(db).mid(before);
            QCOMPARE(entries.size(), 1);
            QStringList keys = entries[0].changes.keys();
            keys.sort();
            QCOMPARE(keys, (QStringList{QStringLiteral("email"), QStringLiteral("family_name"),
                                        QStringLiteral("role")}));
            QCOMPARE(entries[0].changes[u"role"].toObject()[u"old"].toString(),
                     QStringLiteral("provider"));
        }
        // Ordered by family name, then given name.
        QStringList names;
        const auto listed = store.list();
        QVERIFY(listed);
        for (const User &u : *listed)
            names << u.family_name;
        QCOMPARE(names, (QStringList{QStringLiteral("Lee"), QStringLiteral("Smith")}));
    }
};

QTEST_GUILESS_MAIN(TestUserStore)
#include "tst_userstore.moc"
