#include "testsupport.h"

#include "passwordhash.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

namespace tmdash::test {

namespace {
QString requireService(const char *variable)
{
    const QString url = qEnvironmentVariable(variable);
    if (url.isEmpty() && qEnvironmentVariableIsSet("CI"))
        qFatal("%s is not set but CI is: integration suites must not be skipped", variable);
    return url;
}

void runAdmin(const QString &adminUrl, const QString &sql)
{
    auto admin = Database::open(adminUrl);
    if (!admin)
        qFatal("cannot connect to the test PostgreSQL: %s", qPrintable(admin.error().message));
    Database db = *admin;
    if (Status s = execSql(db, sql); !s)
        qFatal("%s failed: %s", qPrintable(sql), qPrintable(s.error().message));
    db.close();
}
} // namespace

QString requirePostgresUrl()
{
    return requireService("TMDASH_TEST_PG");
}

QString requireRedisUrl()
{
    return requireService("TMDASH_TEST_REDIS");
}

QString sourcePath(const QString &relative)
{
    return qEnvironmentVariable("TMDASH_SOURCE_DIR") + QLatin1Char('/') + relative;
}

DatabaseFactory::DatabaseFactory(const QString &suiteName)
    : m_suite(suiteName.toLower()), m_adminUrl(requirePostgresUrl())
{
    if (m_adminUrl.isEmpty())
        qWarning("TMDASH_TEST_PG is not set: PostgreSQL rows of %s are left out", qPrintable(suiteName));
}

DatabaseFactory::~DatabaseFactory()
{
    for (Database &db : m_open)
        db.close();
    if (!hasPostgres())
        return;
    for (const QString &name : std::as_const(m_created))
        runAdmin(m_adminUrl, QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name));
    if (!m_template.isEmpty())
        runAdmin(m_adminUrl, QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_template));
}

void DatabaseFactory::addDialectRows() const
{
    QTest::addColumn<SqlDialect>("dialect");
    QTest::newRow("sqlite") << SqlDialect::Sqlite;
    if (hasPostgres())
        QTest::newRow("postgres") << SqlDialect::Postgres;
}

QString DatabaseFactory::pgUrlFor(const QString &database) const
{
    QUrl url(m_adminUrl);
    url.setPath(QLatin1Char('/') + database);
    return url.toString();
}

Database DatabaseFactory::create(SqlDialect dialect, bool migrated)
{
    const QString name = QStringLiteral("t_%1_%2_%3")
                             .arg(m_suite)
                             .arg(QCoreApplication::applicationPid())
                             .arg(++m_counter);
    if (dialect == SqlDialect::Sqlite) {
        m_lastUrl = QStringLiteral("sqlite:") + m_dir.filePath(name + QStringLiteral(".db"));
    } else {
        if (!hasPostgres())
            qFatal("PostgreSQL database requested without TMDASH_TEST_PG");
        if (migrated && m_template.isEmpty()) {
            m_template = QStringLiteral("tpl_%1_%2").arg(m_suite).arg(QCoreApplication::applicationPid());
            runAdmin(m_adminUrl, QStringLiteral("CREATE DATABASE %1").arg(m_template));
            auto tpl = Database::open(pgUrlFor(m_template));
            if (!tpl)
                qFatal("%s", qPrintable(tpl.error().message));
            Database t = *tpl;
            if (Status s = t.migrateToLatest(); !s)
                qFatal("migrating the template failed: %s", qPrintable(s.error().message));
            t.close();
        }
        runAdmin(m_adminUrl, migrated ? QStringLiteral("CREATE DATABASE %1 TEMPLATE %2").arg(name, m_template)
                                      : QStringLiteral("CREATE DATABASE %1").arg(name));
        m_created << name;
        m_lastUrl = pgUrlFor(name);
    }
    auto opened = Database::open(m_lastUrl);
    if (!opened)
        qFatal("cannot open %s: %s", qPrintable(m_lastUrl), qPrintable(opened.error().message));
    Database db = *opened;
    if (dialect == SqlDialect::Sqlite && migrated) {
        if (Status s = db.migrateToLatest(); !s)
            qFatal("migration failed: %s", qPrintable(s.error().message));
    }
    m_open << db;
    return db;
}

} // namespace tmdash::test

namespace tmdash::test {

ClinicId insertClinic(const Database &db, const QString &name, const QString &timezone)
{
    const QString id = newUuidV7();
    Row row{{QStringLiteral("id"), id}, {QStringLiteral("clinic_id"), id}, {QStringLiteral("name"), name},
            {QStringLiteral("timezone"), timezone},
            {QStringLiteral("business_hours"),
             QJsonObject{{QStringLiteral("1"), QJsonObject{{QStringLiteral("open"), QStringLiteral("08:00")}, {QStringLiteral("close"), QStringLiteral("18:00")}}},
                         {QStringLiteral("2"), QJsonObject{{QStringLiteral("open"), QStringLiteral("08:00")}, {QStringLiteral("close"), QStringLiteral("18:00")}}},
                         {QStringLiteral("3"), QJsonObject{{QStringLiteral("open"), QStringLiteral("08:00")}, {QStringLiteral("close"), QStringLiteral("18:00")}}},
                         {QStringLiteral("4"), QJsonObject{{QStringLiteral("open"), QStringLiteral("08:00")}, {QStringLiteral("close"), QStringLiteral("18:00")}}},
                         {QStringLiteral("5"), QJsonObject{{QStringLiteral("open"), QStringLiteral("08:00")}, {QStringLiteral("close"), QStringLiteral("16:00")}}}}},
            {QStringLiteral("created_at"), QStringLiteral("2026-01-01T00:00:00.000Z")},
            {QStringLiteral("updated_at"), QStringLiteral("2026-01-01T00:00:00.000Z")}};
    if (Status s = RecordTable(db, u"clinics").insert(row); !s)
        qFatal("inserting a clinic failed: %s", qPrintable(s.error().message));
    return ClinicId(id);
}

qint64 rowCount(const Database &db, const QString &table)
{
    QSqlQuery q(db.connection());
    if (!q.exec(QStringLiteral("SELECT count(*) FROM ") + table) || !q.next())
        qFatal("counting %s failed", qPrintable(table));
    return q.value(0).toLongLong();
}

QList<OutboxEntry> outboxOf(const Database &db)
{
    auto entries = outboxEntries(db, false);
    if (!entries)
        qFatal("outbox read failed: %s", qPrintable(entries.error().message));
    return *entries;
}

qint64 queuedChanges(const Database &db)
{
    return db.isSqlite() ? rowCount(db, QStringLiteral("outbox")) : 0;
}

QStringList fieldCodes(const Error &error)
{
    QStringList out;
    for (const FieldError &e : error.fields)
        out << e.field + QLatin1Char(':') + e.code;
    return out;
}

} // namespace tmdash::test

namespace tmdash::test {

QStringList fieldsOf(const CtlRun &run)
{
    QStringList out;
    for (const QJsonValue &e : run.json()[u"errors"].toArray())
        out << e[u"field"].toString() + QLatin1Char(':') + e[u"code"].toString();
    out.sort();
    return out;
}

QString testPasswordHash()
{
    static const QString hash = [] {
        auto made = hashPassword(QString::fromLatin1(kTestPassword));
        if (!made)
            qFatal("cannot hash the test password: %s", qPrintable(made.error().message));
        return *made;
    }();
    return hash;
}

CtlRun runCtl(const QStringList &args, const QByteArray &input, const QMap<QString, QString> &env)
{
    QProcess p;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TMDASH_PASSWORD"), QString::fromLatin1(kTestPassword));
    for (auto it = env.cbegin(); it != env.cend(); ++it) {
        if (it.key() == QLatin1String("TMDASH_PASSWORD") && it.value().isEmpty())
            environment.remove(it.key());
        else
            environment.insert(it.key(), it.value());
    }
    p.setProcessEnvironment(environment);
    p.start(qEnvironmentVariable("TMDASHCTL"), args);
    if (!p.waitForStarted(10000))
        qFatal("cannot start tmdashctl (TMDASHCTL=%s)", qPrintable(qEnvironmentVariable("TMDASHCTL")));
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000))
        qFatal("tmdashctl did not finish");
    CtlRun run;
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    return run;
}

} // namespace tmdash::test

namespace tmdash::test {

TestProvider insertProvider(const Database &db, const ClinicId &clinic, const QString &email, const QString &npi)
{
    const QString when = QStringLiteral("2026-01-01T00:00:00.000Z");
    const QString user = newUuidV7();
    const Row u{{QStringLiteral("id"), user},
                {QStringLiteral("clinic_id"), clinic.value},
                {QStringLiteral("email"), email},
                {QStringLiteral("role"), QStringLiteral("provider")},
                {QStringLiteral("status"), QStringLiteral("active")},
                {QStringLiteral("password_hash"), testPasswordHash()},
                {QStringLiteral("totp_enabled"), false},
                {QStringLiteral("created_at"), when},
                {QStringLiteral("updated_at"), when}};
    if (Status st = RecordTable(db, u"users").insert(u); !st)
        qFatal("inserting a user failed: %s", qPrintable(st.error().message));
    const QString provider = newUuidV7();
    const Row r{{QStringLiteral("id"), provider},
                {QStringLiteral("clinic_id"), clinic.value},
                {QStringLiteral("user_id"), user},
                {QStringLiteral("npi"), npi},
                {QStringLiteral("license_number"), QStringLiteral("MD-1")},
                {QStringLiteral("default_slot_minutes"), 15},
                {QStringLiteral("created_at"), when},
                {QStringLiteral("updated_at"), when}};
    if (Status st = RecordTable(db, u"providers").insert(r); !st)
        qFatal("inserting a provider failed: %s", qPrintable(st.error().message));
    return {UserId(user), ProviderId(provider), {Principal::Kind::Person, UserId(user), clinic, Role::Provider, {}}};
}

} // namespace tmdash::test

namespace tmdash::test {

TestUser insertUser(const Database &db, const ClinicId &clinic, Role role, const QString &email,
                    const PatientId &ownRecord)
{
    const QString when = QStringLiteral("2026-01-01T00:00:00.000Z");
    const QString user = newUuidV7();
    const Row u{{QStringLiteral("id"), user},
                {QStringLiteral("clinic_id"), clinic.value},
                {QStringLiteral("email"), email},
                {QStringLiteral("given_name"), QStringLiteral("Test")},
                {QStringLiteral("family_name"), email.section(QLatin1Char('@'), 0, 0)},
                {QStringLiteral("role"), toString(role)},
                {QStringLiteral("status"), QStringLiteral("active")},
                {QStringLiteral("password_hash"), testPasswordHash()},
                {QStringLiteral("totp_enabled"), false},
                {QStringLiteral("created_at"), when},
                {QStringLiteral("updated_at"), when}};
    if (Status st = RecordTable(db, u"users").insert(u); !st)
        qFatal("inserting a user failed: %s", qPrintable(st.error().message));
    return {UserId(user), {Principal::Kind::Person, UserId(user), clinic, role, ownRecord}};
}

} // namespace tmdash::test
