#include "migrator.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

#include <map>

namespace tmdash {

namespace {

QString readResource(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

QString dialectFolder(SqlDialect d)
{
    return d == SqlDialect::Sqlite ? QStringLiteral("sqlite") : QStringLiteral("postgres");
}

QStringList tablesCreatedBy(const QString &upScript)
{
    static const QRegularExpression re(QStringLiteral(R"(CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(\w+))"),
                                       QRegularExpression::CaseInsensitiveOption);
    QStringList out;
    for (auto it = re.globalMatch(upScript); it.hasNext();)
        out << it.next().captured(1);
    return out;
}

// What reverting a step would drop: (table, "") for a table its up script creates, (table, column)
// for a column its down script drops.
QList<std::pair<QString, QString>> dataDroppedBy(const MigrationStep &step)
{
    QList<std::pair<QString, QString>> out;
    for (const QString &table : tablesCreatedBy(step.up))
        out.append({table, QString()});
    static const QRegularExpression re(QStringLiteral(R"(ALTER\s+TABLE\s+(\w+)\s+DROP\s+COLUMN\s+(\w+))"),
                                       QRegularExpression::CaseInsensitiveOption);
    for (auto it = re.globalMatch(step.down); it.hasNext();) {
        const auto m = it.next();
        out.append({m.captured(1), m.captured(2)});
    }
    return out;
}

} // namespace

Migrator::Migrator(QString connectionName, SqlDialect dialect)
    : m_connectionName(std::move(connectionName)), m_dialect(dialect), m_steps(steps(dialect))
{
}

QList<MigrationStep> Migrator::steps(SqlDialect dialect)
{
    static const QRegularExpression fileRe(QStringLiteral(R"(^(\d{4})_(\w+)\.up\.sql$)"));
    const QString folder = QStringLiteral(":/migrations/") + dialectFolder(dialect);
    std::map<int, MigrationStep> byVersion;
    const QStringList files = QDir(folder).entryList(QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const auto m = fileRe.match(file);
        if (!m.hasMatch())
            continue;
        MigrationStep step;
        step.version = m.captured(1).toInt();
        step.name = m.captured(2);
        step.up = readResource(folder + QLatin1Char('/') + file);
        step.down = readResource(folder + QLatin1Char('/') + m.captured(1) + QLatin1Char('_')
                                 + step.name + QStringLiteral(".down.sql"));
        step.checksum = QString::fromLatin1(
            QCryptographicHash::hash(step.up.toUtf8(), QCryptographicHash::Sha256).toHex());
        byVersion[step.version] = step;
    }
    QList<MigrationStep> out;
    for (auto &[v, step] : byVersion)
        out << step;
    return out;
}

int Migrator::latestVersion() const
{
    return m_steps.isEmpty() ? 0 : m_steps.last().version;
}

QList<AppliedMigration> Migrator::applied(QString *error) const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QList<AppliedMigration> out;
    if (!db.tables().contains(QStringLiteral("schema_migrations")))
        return out;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral(
            "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version"))) {
        if (error)
            *error = q.lastError().text();
        return out;
    }
    while (q.next())
        out << AppliedMigration{q.value(0).toInt(), q.value(1).toString(), q.value(2).toString(),
                                q.value(3).toString()};
    return out;
}

int Migrator::currentVersion() const
{
    const auto list = applied();
    return list.isEmpty() ? 0 : list.last().version;
}

Migrator::Outcome Migrator::check() const
{
    QString error;
    const auto list = applied(&error);
    if (!error.isEmpty())
        return {Outcome::Failed, error};
    for (const AppliedMigration &a : list) {
        const auto known = std::find_if(m_steps.begin(), m_steps.end(),
                                        [&](const MigrationStep &s) { return s.version == a.version; });
        if (known == m_steps.end())
            return {Outcome::Incompatible,
                    QStringLiteral("the database schema is at step %1, newer than this program "
                                   "knows (up to %2): upgrade the program")
                        .arg(list.last().version)
                        .arg(latestVersion())};
        if (known->checksum != a.checksum)
            return {Outcome::Incompatible,
                    QStringLiteral("migration step %1 (%2) was changed after it was applied "
                                   "(checksum differs): refusing to touch this database")
                        .arg(a.version)
                        .arg(a.name)};
    }
    return {};
}

bool Migrator::execScript(const QString &sql, QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (m_dialect == SqlDialect::Sqlite) {
        auto *handle = *static_cast<sqlite3 *const *>(db.driver()->handle().data());
        char *message = nullptr;
        if (sqlite3_exec(handle, sql.toUtf8().constData(), nullptr, nullptr, &message) != SQLITE_OK) {
            *error = QString::fromUtf8(message ? message : "unknown SQLite error");
            sqlite3_free(message);
            return false;
        }
        return true;
    }
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        *error = q.lastError().text();
        return false;
    }
    return true;
}

Migrator::Outcome Migrator::runStep(const MigrationStep &step, bool forward)
{
    QString error;
    if (!execScript(QStringLiteral("BEGIN"), &error))
        return {Outcome::Failed, error};
    const QString ts = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    QString bookkeeping;
    if (forward)
        bookkeeping = QStringLiteral("INSERT INTO schema_migrations (version, name, checksum, "
                                     "applied_at) VALUES (%1, '%2', '%3', '%4');")
                          .arg(step.version)
                          .arg(step.name, step.checksum, ts);
    else
        bookkeeping = QStringLiteral("DELETE FROM schema_migrations WHERE version = %1;").arg(step.version);
    if (!execScript(forward ? step.up : step.down, &error) || !execScript(bookkeeping, &error)) {
        QString ignored;
        execScript(QStringLiteral("ROLLBACK"), &ignored);
        return {Outcome::Failed, QStringLiteral("migration step %1 (%2) %3 failed: %4")
                                     .arg(step.version)
                                     .arg(step.name, forward ? QStringLiteral("up") : QStringLiteral("down"), error)};
    }
    if (!execScript(QStringLiteral("COMMIT"), &error)) {
        QString ignored;
        execScript(QStringLiteral("ROLLBACK"), &ignored);
        return {Outcome::Failed, error};
    }
    return {};
}

Migrator::Outcome Migrator::up(int toVersion)
{
    if (toVersion < 0)
        toVersion = latestVersion();
    if (Outcome c = check(); !c.ok())
        return c;
    if (toVersion > latestVersion())
        return {Outcome::Failed, QStringLiteral("no migration step %1 (latest is %2)")
                                     .arg(toVersion)
                                     .arg(latestVersion())};
    QString error;
    if (!execScript(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
                                   "PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, "
                                   "applied_at TEXT NOT NULL)"),
                    &error))
        return {Outcome::Failed, error};
    const int current = currentVersion();
    for (const MigrationStep &step : std::as_const(m_steps)) {
        if (step.version <= current || step.version > toVersion)
            continue;
        if (Outcome o = runStep(step, true); !o.ok())
            return o;
    }
    return {};
}

Migrator::Outcome Migrator::down(int toVersion, bool force)
{
    if (Outcome c = check(); !c.ok())
        return c;
    const int current = currentVersion();
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const QStringList existing = db.tables();
    // Every step to revert is checked before the first one runs, so a refusal changes nothing.
    for (auto it = m_steps.crbegin(); it != m_steps.crend() && !force; ++it) {
        if (it->version > current || it->version <= toVersion)
            continue;
        for (const auto &[table, column] : dataDroppedBy(*it)) {
            if (!existing.contains(table) || table == QLatin1String("patient_search"))
                continue;
            QSqlQuery q(db);
            QString sql = QStringLiteral("SELECT count(*) FROM ") + table;
            if (!column.isEmpty())
                sql += QStringLiteral(" WHERE ") + column + QStringLiteral(" IS NOT NULL");
            const QString what = column.isEmpty() ? QString(QStringLiteral("table ") + table)
                                                  : QString(QStringLiteral("column ") + table + u'.' + column);
            if (q.exec(sql) && q.next() && q.value(0).toLongLong() > 0)
                return {Outcome::WouldDropData,
                        QStringLiteral("reverting step %1 (%2) would drop %3 holding %4 rows; pass --force "
                                       "to drop it anyway")
                            .arg(it->version)
                            .arg(it->name, what)
                            .arg(q.value(0).toLongLong())};
        }
    }
    for (auto it = m_steps.crbegin(); it != m_steps.crend(); ++it) {
        if (it->version > current || it->version <= toVersion)
            continue;
        if (Outcome o = runStep(*it, false); !o.ok())
            return o;
    }
    return {};
}

} // namespace tmdash
