#pragma once

#include "database.h"
#include "ids.h"
#include "outbox.h"
#include "principal.h"
#include "recordtable.h"

#include <QList>
#include <QJsonDocument>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QTemporaryDir>

Q_DECLARE_METATYPE(tmdash::SqlDialect)

namespace tmdash::test {

// The test PostgreSQL / Redis URL (TMDASH_TEST_PG / TMDASH_TEST_REDIS). When missing, the suite
// aborts under CI (a skipped integration suite must never look green) and an empty string is
// returned elsewhere, so the caller can QSKIP.
QString requirePostgresUrl();
QString requireRedisUrl();

// Path of a file under the source tree (TMDASH_SOURCE_DIR).
QString sourcePath(const QString &relative);

// Makes fresh databases for one suite: SQLite files in a temporary directory, PostgreSQL
// databases created from a template migrated once per suite, all dropped when the factory goes.
class DatabaseFactory
{
public:
    explicit DatabaseFactory(const QString &suiteName);
    ~DatabaseFactory();
    DatabaseFactory(const DatabaseFactory &) = delete;
    DatabaseFactory &operator=(const DatabaseFactory &) = delete;

    bool hasPostgres() const { return !m_adminUrl.isEmpty(); }

    // Adds a `dialect` column with a row per available database ("sqlite", "postgres").
    void addDialectRows() const;

    // A new open database, migrated to the latest step unless `migrated` is false.
    Database create(SqlDialect dialect, bool migrated = true);
    // The URL of the most recently created database.
    QString lastUrl() const { return m_lastUrl; }
    QString tempPath() const { return m_dir.path(); }

private:
    QString pgUrlFor(const QString &database) const;

    QString m_suite;
    QString m_adminUrl;
    QTemporaryDir m_dir;
    QString m_template;
    QStringList m_created;
    QList<Database> m_open;
    QString m_lastUrl;
    int m_counter = 0;
};

} // namespace tmdash::test

namespace tmdash::test {

// Inserts a clinic row directly (for store tests that need one) and returns its id.
ClinicId insertClinic(const Database &db, const QString &name = QStringLiteral("North Clinic"),
                      const QString &timezone = QStringLiteral("America/New_York"));
// Number of rows in a table (all, tombstones included).
qint64 rowCount(const Database &db, const QString &table);
// Every outbox row of a desktop database, in seq order (fatal when unreadable).
QList<OutboxEntry> outboxOf(const Database &db);
// Outbox rows waiting (0 on PostgreSQL, which has no outbox).
qint64 queuedChanges(const Database &db);
// The "field:code" pairs of an error, in its order.
QStringList fieldCodes(const Error &error);

} // namespace tmdash::test

namespace tmdash::test {

// The outcome of one run of the real tmdashctl binary (TMDASHCTL).
struct CtlRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonDocument json() const { return QJsonDocument::fromJson(out); }
};

// The "field:code" pairs of an exit-2 run's {"errors":[...]}, sorted.
QStringList fieldsOf(const CtlRun &run);

// The password of every account the test helpers create, and what runCtl logs in with unless
// `env` sets TMDASH_PASSWORD itself (an empty value there means: no password variable at all).
inline constexpr char kTestPassword[] = "violet-harbour-lantern-42";
// An Argon2id hash of kTestPassword, made once per process (hashing is slow on purpose).
QString testPasswordHash();

// Runs tmdashctl with `args`, writing `input` to its stdin; `env` adds environment variables.
CtlRun runCtl(const QStringList &args, const QByteArray &input = {},
              const QMap<QString, QString> &env = {});

} // namespace tmdash::test

namespace tmdash::test {

// An active provider user and its provider record, inserted directly.
struct TestProvider
{
    UserId user;
    ProviderId provider;
    Principal principal; // the provider acting as a person
};
TestProvider insertProvider(const Database &db, const ClinicId &clinic,
                            const QString &email = QStringLiteral("grace@example.org"),
                            const QString &npi = QStringLiteral("1234567893"));

} // namespace tmdash::test

namespace tmdash::test {

// An active user of `role` in `clinic`, inserted directly (password kTestPassword), and the
// principal acting as that person; for the patient role `ownRecord` is their patient record.
struct TestUser
{
    UserId id;
    Principal principal;
};
TestUser insertUser(const Database &db, const ClinicId &clinic, Role role, const QString &email,
                    const PatientId &ownRecord = {});

} // namespace tmdash::test
