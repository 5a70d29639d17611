#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace tmdash {

enum class SqlDialect { Sqlite, Postgres };

// One versioned step, embedded from migrations/<dialect>/NNNN_name.{up,down}.sql.
struct MigrationStep
{
    int version = 0;
    QString name;
    QString up;
    QString down;
    QString checksum; // SHA-256 (hex) of `up`
};

struct AppliedMigration
{
    int version = 0;
    QString name;
    QString checksum;
    QString appliedAt;
};

// Applies and reverts the embedded steps on one open connection. Each step runs in its own
// transaction together with its schema_migrations row, so a failed step leaves nothing behind.
class Migrator
{
public:
    struct Outcome
    {
        enum Kind { Ok, Incompatible, WouldDropData, Failed };
        Kind kind = Ok;
        QString message;
        bool ok() const { return kind == Ok; }
    };

    Migrator(QString connectionName, SqlDialect dialect);

    static QList<MigrationStep> steps(SqlDialect dialect);
    int latestVersion() const;

    // Applied steps in version order (empty on a database never migrated).
    QList<AppliedMigration> applied(QString *error = nullptr) const;
    int currentVersion() const;

    // Incompatible when the database has a step this program does not know (newer schema) or an
    // applied step whose script changed (checksum); nothing is touched in either case.
    Outcome check() const;

    Outcome up(int toVersion = -1);
    // Refuses (WouldDropData) when a step to revert would drop a table holding rows, unless forced.
    Outcome down(int toVersion = 0, bool force = false);

private:
    Outcome runStep(const MigrationStep &step, bool forward);
    bool execScript(const QString &sql, QString *error);

    QString m_connectionName;
    SqlDialect m_dialect;
    QList<MigrationStep> m_steps;
};

} // namespace tmdash
