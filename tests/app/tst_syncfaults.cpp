#include "database.h"
#include "ids.h"
#include "outbox.h"
#include "patientstore.h"
#include "schema.h"
#include "testsupport.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QVersionNumber>

#include <algorithm>
#include <memory>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace tmdash;

// Crash safety of sync through the real tmdashctl binary (issue 6, section 3): the named fault
// points, kill -9 at random moments while another process writes to the same desktop, the
// central stopped and restarted in the middle of a sync (on a PostgreSQL cluster of this test's
// own), desktop clocks an hour and a day off, an old-protocol desktop and a demo database.
// Every case asserts exit codes and data, never time; random choices print their seed.

namespace {

const QString kStaff = QStringLiteral("sam@north.example");

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
        out.ok = q.exec(statement); // also BEGIN, which cannot be prepared
    } else {
        out.ok = q.prepare(statement);
        for (auto it = binds.cbegin(); it != binds.cend(); ++it)
            q.bindValue(QLatin1Char(':') + it.key(), it.value());
        out.ok = out.ok && q.exec();
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

QList<QVariantList> rows(const Database &db, const QString &statement,
                         const QVariantMap &binds = {})
{
    const Sql r = sql(db, statement, binds);
    if (!r.ok)
        qFatal("%s failed: %s", qPrintable(statement), qPrintable(r.error));
    return r.rows;
}

QVariant scalar(const Database &db, const QString &statement, const QVariantMap &binds = {})
{
    const QList<QVariantList> r = rows(db, statement, binds);
    if (r.isEmpty())
        qFatal("%s returned no row", qPrintable(statement));
    return r.first().first();
}

// The same SQL serves both databases: ids and clinics compared as text.
QVariant patientValue(const Database &db, const QString &id, const QString &column)
{
    return scalar(
        db, QStringLiteral("SELECT %1 FROM patients WHERE CAST(id AS text) = :id").arg(column),
        {{QStringLiteral("id"), id}});
}

// "table id" -> version of every synced row of the clinic: a desktop and the central converged
// when these are equal.
QMap<QString, QString> rowVersions(const Database &db, const QString &clinic)
{
    QMap<QString, QString> out;
    for (const TableSpec &spec : allTableSpecs()) {
        if (!spec.synced)
            continue;
        const QString table = spec.name.toString();
        for (const QVariantList &r :
             rows(db,
                  QStringLiteral(
                      "SELECT CAST(id AS text), version FROM %1 WHERE CAST(clinic_id AS text) = :c")
                      .arg(table),
                  {{QStringLiteral("c"), clinic}}))
            out.insert(table + QLatin1Char(' ') + r.at(0).toString(), r.at(1).toString());
    }
    return out;
}

// Patient id -> the fields the tests write, with version and tombstone.
QMap<QString, QString> patientFields(const Database &db, const QString &clinic)
{
    QMap<QString, QString> out;
    for (const QVariantList &r :
         rows(db,
              QStringLiteral(
                  "SELECT CAST(id AS text), given_name, family_name, coalesce(notes, ''), version, "
                  "deleted_at IS NULL FROM patients WHERE CAST(clinic_id AS text) = :c"),
              {{QStringLiteral("c"), clinic}}))
        out.insert(
            r.at(0).toString(),
            QStringList{r.at(1).toString(), r.at(2).toString(), r.at(3).toString(),
                        QStringLiteral("v") + r.at(4).toString(),
                        r.at(5).toBool() ? QStringLiteral("live") : QStringLiteral("deleted")}
                .join(QLatin1Char('|')));
    return out;
}

// What differs between two keyed views (at most 20 lines, for the failure message).
QStringList differences(const QMap<QString, QString> &desktop,
                        const QMap<QString, QString> &central)
{
    QStringList keys = desktop.keys() + central.keys();
    keys.sort();
    keys.removeDuplicates();
    QStringList out;
    for (const QString &key : std::as_const(keys)) {
        const QString here = desktop.value(key, QStringLiteral("(absent)"));
        const QString there = central.value(key, QStringLiteral("(absent)"));
        if (here != there)
            out << QStringLiteral("%1: desktop %2, central %3").arg(key, here, there);
    }
    if (out.size() > 20)
        out = out.mid(0, 20) << QStringLiteral("... %1 more").arg(out.size() - 20);
    return out;
}

// Patients whose name appears more than once (every test gives each patient its own name).
QStringList duplicateNames(const Database &db, const QString &clinic)
{
    QStringList out;
    for (const QVariantList &r :
         rows(db,
              QStringLiteral("SELECT given_name, family_name, count(*) FROM patients "
                             "WHERE CAST(clinic_id AS text) = :c GROUP BY given_name, family_name "
                             "HAVING count(*) > 1"),
              {{QStringLiteral("c"), clinic}}))
        out << QStringLiteral("%1 %2 x%3")
                   .arg(r.at(0).toString(), r.at(1).toString(), r.at(2).toString());
    return out;
}

QStringList mutationIds(const QList<OutboxEntry> &entries)
{
    QStringList out;
    for (const OutboxEntry &e : entries)
        out << e.mutation_id;
    return out;
}

// The mutation ids among `ids` that the central has recorded, in `ids` order.
QStringList knownOnCentral(const Database &central, const QStringList &ids)
{
    QSet<QString> known;
    for (const QVariantList &r :
         rows(central,
              QStringLiteral("SELECT mutation_id::text FROM sync_mutations "
                             "WHERE mutation_id::text = ANY (string_to_array(:ids, ','))"),
              {{QStringLiteral("ids"), ids.join(QLatin1Char(','))}}))
        known.insert(r.first().toString());
    QStringList out;
    for (const QString &id : ids)
        if (known.contains(id))
            out << id;
    return out;
}

// Each of `ids` recorded once on the central as applied, with exactly one change it made: not
// lost, not applied twice. Lists what is not so.
QStringList notAppliedOnce(const Database &central, const QStringList &ids)
{
    QMap<QString, QString> found;
    for (const QVariantList &r :
         rows(central,
              QStringLiteral(
                  "SELECT m.mutation_id::text, m.status, "
                  "(SELECT count(*) FROM change_log c WHERE c.mutation_id = m.mutation_id) "
                  "FROM sync_mutations m "
                  "WHERE m.mutation_id::text = ANY (string_to_array(:ids, ','))"),
              {{QStringLiteral("ids"), ids.join(QLatin1Char(','))}}))
        found.insert(r.at(0).toString(),
                     r.at(1).toString() + QStringLiteral(" changes=") + r.at(2).toString());
    QStringList out;
    for (const QString &id : ids) {
        const QString got = found.value(id, QStringLiteral("(not on the central)"));
        if (got != QLatin1String("applied changes=1"))
            out << id + QStringLiteral(": ") + got;
    }
    return out;
}

// Every column of every outbox row, for "the outbox is intact".
QStringList rawOutbox(const Database &desktop)
{
    QStringList out;
    for (const QVariantList &r :
         rows(desktop, QStringLiteral("SELECT * FROM outbox ORDER BY seq"))) {
        QStringList values;
        for (const QVariant &v : r)
            values << (v.isNull() ? QStringLiteral("NULL") : v.toString());
        out << values.join(QLatin1Char('|'));
    }
    return out;
}

Patient newPatient(const QString &given, const QString &family)
{
    Patient p;
    p.given_name = given;
    p.family_name = family;
    p.birth_date = QDate(1980, 5, 6);
    p.sex = Sex::Female;
    return p;
}

Patient mustCreate(const Database &db, const Principal &who, const QString &given,
                   const QString &family)
{
    auto created = PatientStore(db, who).create(newPatient(given, family));
    if (!created)
        qFatal("creating %s %s failed: %s", qPrintable(given), qPrintable(family),
               qPrintable(created.error().message));
    return *created;
}

void mustSetNotes(const Database &db, const Principal &who, const PatientId &id,
                  const QString &notes)
{
    PatientStore store(db, who);
    auto current = store.get(id);
    if (!current)
        qFatal("reading patient %s failed: %s", qPrintable(id.value),
               qPrintable(current.error().message));
    Patient edited = *current;
    edited.notes = notes;
    if (auto updated = store.update(edited); !updated)
        qFatal("editing patient %s failed: %s", qPrintable(id.value),
               qPrintable(updated.error().message));
}

QByteArray patientJson(const QString &given, const QString &family, const QString &notes)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("given_name"), given},
                                     {QStringLiteral("family_name"), family},
                                     {QStringLiteral("birth_date"), QStringLiteral("1980-05-06")},
                                     {QStringLiteral("sex"), QStringLiteral("female")},
                                     {QStringLiteral("notes"), notes}})
        .toJson(QJsonDocument::Compact);
}

QByteArray notesJson(const QString &notes)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("notes"), notes}})
        .toJson(QJsonDocument::Compact);
}

// tmdashctl started and left running (runCtl waits for it): for kill -9 and for stopping the
// central under a running sync. Same environment as runCtl.
std::unique_ptr<QProcess> startCtl(const QStringList &args, const QMap<QString, QString> &env,
                                   const QByteArray &input = {})
{
    auto p = std::make_unique<QProcess>();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TMDASH_PASSWORD"), QString::fromLatin1(test::kTestPassword));
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        environment.insert(it.key(), it.value());
    p->setProcessEnvironment(environment);
    p->start(qEnvironmentVariable("TMDASHCTL"), args);
    if (!p->waitForStarted(10000))
        qFatal("cannot start tmdashctl (TMDASHCTL=%s)",
               qPrintable(qEnvironmentVariable("TMDASHCTL")));
    p->write(input);
    p->closeWriteChannel();
    return p;
}

// A TCP port of 127.0.0.1 that nothing listens on now.
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        qFatal("cannot find a free port on 127.0.0.1");
    ::close(fd);
    return ntohs(address.sin_port);
}

// The newest PostgreSQL server binaries ($PG_BIN, else /usr/lib/postgresql/N/bin), as
// scripts/services.sh finds them.
QString postgresBinDir()
{
    if (const QString bin = qEnvironmentVariable("PG_BIN"); !bin.isEmpty())
        return bin;
    QStringList versions =
        QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(), [](const QString &a, const QString &b) {
        return QVersionNumber::fromString(a) < QVersionNumber::fromString(b);
    });
    for (auto it = versions.crbegin(); it != versions.crend(); ++it) {
        const QString bin = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(*it);
        if (QFileInfo(bin + QStringLiteral("/pg_ctl")).isExecutable())
            return bin;
    }
    return {};
}

// A PostgreSQL cluster of this test's own (initdb into a temporary directory, started on a free
// port of 127.0.0.1, as scripts/services.sh does), so that stopping it disturbs no other suite
// running beside this one. The server refuses to run as root: as root it runs as postgres.
class PrivateCluster
{
public:
    PrivateCluster() = default;
    ~PrivateCluster()
    {
        if (m_running)
            stop(QStringLiteral("immediate"));
    }
    PrivateCluster(const PrivateCluster &) = delete;
    PrivateCluster &operator=(const PrivateCluster &) = delete;

    QString url() const
    {
        return QStringLiteral("postgresql://tmdash@127.0.0.1:%1/postgres").arg(m_port);
    }
    QString error() const { return m_error; }

    // Creates the cluster on first use; starts it on the same port every time.
    bool start()
    {
        if (m_port == 0) {
            m_bin = postgresBinDir();
            if (m_bin.isEmpty())
                return fail(QStringLiteral("no PostgreSQL server binaries (set PG_BIN)"));
            if (!m_dir.isValid())
                return fail(QStringLiteral("no temporary directory"));
            if (::geteuid() == 0) {
                const passwd *pg = ::getpwnam("postgres");
                if (!pg || ::chown(QFile::encodeName(m_dir.path()).constData(), pg->pw_uid,
                                   pg->pw_gid) != 0)
                    return fail(
                        QStringLiteral("cannot hand %1 to the postgres user").arg(m_dir.path()));
            }
            if (!run(QStringLiteral("initdb"),
                     {QStringLiteral("-D"), dataDir(), QStringLiteral("-U"),
                      QStringLiteral("tmdash"), QStringLiteral("--auth=trust"),
                      QStringLiteral("-E"), QStringLiteral("UTF8"),
                      QStringLiteral("--locale=C.UTF-8"), QStringLiteral("--no-sync")}))
                return false;
            m_port = freePort();
        }
        if (!run(QStringLiteral("pg_ctl"),
                 {QStringLiteral("-D"), dataDir(), QStringLiteral("-l"),
                  m_dir.filePath(QStringLiteral("server.log")), QStringLiteral("-w"),
                  QStringLiteral("-t"), QStringLiteral("120"), QStringLiteral("-o"),
                  QStringLiteral("-c listen_addresses=127.0.0.1 -p %1 -k %2 -c fsync=off")
                      .arg(m_port)
                      .arg(m_dir.path()),
                  QStringLiteral("start")}))
            return false;
        m_running = true;
        return true;
    }

    // "fast" ends every session (rolling back what they had open); "immediate" also skips the
    // shutdown checkpoint.
    bool stop(const QString &mode = QStringLiteral("fast"))
    {
        m_running = false;
        return run(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"),
                                              mode, QStringLiteral("-w"), QStringLiteral("stop")});
    }

private:
    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }

    bool fail(const QString &message)
    {
        m_error = message;
        return false;
    }

    bool run(const QString &tool, const QStringList &args)
    {
        QString program = m_bin + QLatin1Char('/') + tool;
        QStringList all = args;
        if (::geteuid() == 0) {
            all = QStringList{QStringLiteral("-u"), QStringLiteral("postgres"),
                              QStringLiteral("--"), program} +
                  args;
            program = QStringLiteral("runuser");
        }
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(program, all);
        if (!p.waitForFinished(180000)) {
            p.kill();
            p.waitForFinished();
            return fail(tool + QStringLiteral(" did not finish"));
        }
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            QFile log(m_dir.filePath(QStringLiteral("server.log")));
            const QByteArray serverLog =
                log.open(QIODevice::ReadOnly) ? log.readAll().right(2000) : QByteArray();
            return fail(QStringLiteral("%1 %2 failed: %3\n%4")
                            .arg(tool, args.join(QLatin1Char(' ')),
                                 QString::fromLocal8Bit(p.readAll()),
                                 QString::fromLocal8Bit(serverLog)));
        }
        return true;
    }

    QTemporaryDir m_dir;
    QString m_bin;
    int m_port = 0;
    bool m_running = false;
    QString m_error;
};

// A patient the kill test wrote, as it must end up on the central.
struct Written
{
    QString notes;
    int updates = 0;
};

// The other process of the kill test: tmdashctl patient add / update as the staff user on the
// desktop being synced, one command after another; only writes that reported success count.
class Writer
{
public:
    Writer(const QStringList &baseArgs, const QMap<QString, QString> &env, QRandomGenerator &rng,
           QMap<QString, Written> &patients, int &counter, int commands)
        : m_baseArgs(baseArgs), m_env(env), m_rng(rng), m_patients(patients), m_counter(counter),
          m_commands(commands)
    {
    }

    void poll()
    {
        if (m_current && m_current->state() != QProcess::NotRunning)
            return;
        if (m_current)
            finish();
        if (m_started < m_commands)
            begin();
    }
    bool done() const { return !m_current && m_started >= m_commands; }

    int succeeded = 0;
    QStringList failures;

private:
    void begin()
    {
        ++m_started;
        m_notes = QStringLiteral("writer note %1").arg(++m_counter);
        if (m_patients.isEmpty() || m_rng.bounded(2) == 0) {
            m_id.clear();
            m_current = startCtl(
                m_baseArgs + QStringList{QStringLiteral("patient"), QStringLiteral("add")}, m_env,
                patientJson(QStringLiteral("Writer%1").arg(m_counter), QStringLiteral("Process"),
                            m_notes));
        } else {
            const QStringList ids = m_patients.keys();
            m_id = ids.at(int(m_rng.bounded(quint32(ids.size()))));
            m_current = startCtl(
                m_baseArgs + QStringList{QStringLiteral("patient"), QStringLiteral("update"), m_id},
                m_env, notesJson(m_notes));
        }
    }

    void finish()
    {
        const QByteArray out = m_current->readAllStandardOutput();
        const QByteArray err = m_current->readAllStandardError();
        if (m_current->exitStatus() != QProcess::NormalExit || m_current->exitCode() != 0) {
            failures << QStringLiteral("%1 exited %2: %3")
                            .arg(m_id.isEmpty() ? QStringLiteral("add")
                                                : QStringLiteral("update ") + m_id)
                            .arg(m_current->exitCode())
                            .arg(QString::fromUtf8(err));
        } else if (m_id.isEmpty()) {
            const QString id = QJsonDocument::fromJson(out)[u"id"].toString();
            if (id.isEmpty())
                failures << QStringLiteral("add printed no id: ") + QString::fromUtf8(out);
            m_patients.insert(id, {m_notes, 0});
            ++succeeded;
        } else {
            Written &w = m_patients[m_id];
            w.notes = m_notes;
            ++w.updates;
            ++succeeded;
        }
        m_current.reset();
    }

    QStringList m_baseArgs;
    QMap<QString, QString> m_env;
    QRandomGenerator &m_rng;
    QMap<QString, Written> &m_patients;
    int &m_counter;
    int m_commands;
    int m_started = 0;
    std::unique_ptr<QProcess> m_current;
    QString m_id; // of the running update; empty for an add
    QString m_notes;
};

} // namespace

class TestSyncFaults : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("syncfaults")};
    QTemporaryDir m_config;

    // A central of its own for each test, with its clinic and a staff user.
    struct Central
    {
        Database db;
        QString url;
        ClinicId clinic;
        test::TestUser staff;
    };
    Central newCentral()
    {
        Central c;
        c.db = m_factory.create(SqlDialect::Postgres);
        c.url = m_factory.lastUrl();
        c.clinic = test::insertClinic(c.db);
        c.staff = test::insertUser(c.db, c.clinic, Role::Staff, kStaff);
        return c;
    }

    // An empty desktop database: its first sync migrates it and pulls the clinic.
    struct Desktop
    {
        Database db;
        QString url;
    };
    Desktop newDesktop()
    {
        Desktop d;
        d.db = m_factory.create(SqlDialect::Sqlite, false);
        d.url = m_factory.lastUrl();
        return d;
    }

    QMap<QString, QString> withConfig(QMap<QString, QString> env) const
    {
        env.insert(QStringLiteral("TMDASH_CONFIG_DIR"), m_config.path());
        return env;
    }

    test::CtlRun ctl(const QStringList &args, const QByteArray &input = {},
                     const QMap<QString, QString> &env = {})
    {
        return test::runCtl(args, input, withConfig(env));
    }

    static QStringList asStaff(const QString &desktop)
    {
        return {QStringLiteral("--db"), desktop, QStringLiteral("--json"), QStringLiteral("--as"),
                kStaff};
    }

    static QStringList syncArgs(const QString &desktop, const QString &central,
                                const QString &clinic)
    {
        return {QStringLiteral("--db"),
                desktop,
                QStringLiteral("--json"),
                QStringLiteral("sync"),
                QStringLiteral("--once"),
                QStringLiteral("--central"),
                central,
                QStringLiteral("--clinic"),
                clinic};
    }

    // One `sync --once`, again when the pull stalled: the watermark is cluster-wide, so another
    // suite's open transaction may hold it back for a while.
    test::CtlRun syncOnce(const QString &desktop, const QString &central, const QString &clinic,
                          const QMap<QString, QString> &env = {})
    {
        test::CtlRun run;
        for (int attempt = 0; attempt < 5; ++attempt) {
            run = ctl(syncArgs(desktop, central, clinic), {}, env);
            if (run.exitCode != 5 || !run.err.contains("pull stalled"))
                return run;
            qInfo("the pull stalled behind a transaction elsewhere in the cluster: syncing again");
        }
        return run;
    }
    test::CtlRun syncOnce(const Desktop &d, const Central &c,
                          const QMap<QString, QString> &env = {})
    {
        return syncOnce(d.url, c.url, c.clinic.value, env);
    }

    // Syncs until a run has nothing to push or pull; each run must succeed.
    void syncUntilQuiet(const QString &desktop, const QString &central, const QString &clinic,
                        const QMap<QString, QString> &env = {})
    {
        for (int round = 0; round < 10; ++round) {
            const test::CtlRun run = syncOnce(desktop, central, clinic, env);
            QVERIFY2(run.exitCode == 0, run.err.constData());
            const QJsonObject report = run.json().object();
            QVERIFY2(!report.isEmpty(), run.out.constData());
            if (report[u"pushed"].toInt() == 0 && report[u"pulled"].toDouble() == 0)
                return;
        }
        QFAIL("the desktop still exchanged changes after 10 syncs");
    }
    void syncUntilQuiet(const Desktop &d, const Central &c, const QMap<QString, QString> &env = {})
    {
        syncUntilQuiet(d.url, c.url, c.clinic.value, env);
    }

    // The invariants after every fault: nothing left to push, every mutation of `mutations`
    // applied on the central exactly once, no patient twice, and the desktop equal to the
    // central for every synced row.
    void verifyConverged(const Database &desktop, const Database &central, const QString &clinic,
                         const QStringList &mutations)
    {
        QCOMPARE(test::queuedChanges(desktop), 0);
        const QStringList once = notAppliedOnce(central, mutations);
        QVERIFY2(once.isEmpty(), qPrintable(once.join(QLatin1Char('\n'))));
        QCOMPARE(duplicateNames(central, clinic), QStringList());
        QCOMPARE(duplicateNames(desktop, clinic), QStringList());
        const QStringList fields =
            differences(patientFields(desktop, clinic), patientFields(central, clinic));
        QVERIFY2(fields.isEmpty(), qPrintable(fields.join(QLatin1Char('\n'))));
        const QStringList versions =
            differences(rowVersions(desktop, clinic), rowVersions(central, clinic));
        QVERIFY2(versions.isEmpty(), qPrintable(versions.join(QLatin1Char('\n'))));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (test::requirePostgresUrl().isEmpty())
            QSKIP("TMDASH_TEST_PG not set");
        QVERIFY(m_config.isValid());
        QVERIFY2(QFileInfo(qEnvironmentVariable("TMDASHCTL")).isExecutable(),
                 "TMDASHCTL names no program");
    }

    // TMDASH_SYNC_FAULT ends the process (exit 70) at the named point; the next sync finishes
    // the job with nothing lost and nothing applied twice.
    void faultPointIsSurvived_data()
    {
        QTest::addColumn<QString>("point");
        QTest::newRow("before_send") << QStringLiteral("before_send");
        QTest::newRow("after_central_commit") << QStringLiteral("after_central_commit");
        QTest::newRow("mid_pull_page") << QStringLiteral("mid_pull_page");
    }
    void faultPointIsSurvived()
    {
        QFETCH(QString, point);
        const Central c = newCentral();
        const Principal staff = c.staff.principal;
        const Patient shared =
            mustCreate(c.db, staff, QStringLiteral("Shared"), QStringLiteral("Record"));
        const Desktop d = newDesktop();
        syncUntilQuiet(d, c);
        if (QTest::currentTestFailed())
            return;
        const qint64 sharedVersion =
            patientValue(c.db, shared.id.value, QStringLiteral("version")).toLongLong();

        // Offline: ten new patients, an edit of the shared one and one of a new one; meanwhile
        // twelve patients are added on the central (one transaction each: more than two pull
        // pages of five).
        QStringList local;
        for (int i = 0; i < 10; ++i)
            local << mustCreate(d.db, staff, QStringLiteral("Local%1").arg(i),
                                QStringLiteral("Desk"))
                         .id.value;
        mustSetNotes(d.db, staff, shared.id, QStringLiteral("edited offline"));
        mustSetNotes(d.db, staff, PatientId(local.at(3)),
                     QStringLiteral("edited before the first push"));
        QStringList remote;
        for (int i = 0; i < 12; ++i)
            remote << mustCreate(c.db, staff, QStringLiteral("Remote%1").arg(i),
                                 QStringLiteral("Central"))
                          .id.value;
        const QStringList pending = mutationIds(test::outboxOf(d.db));
        QCOMPARE(pending.size(), 12);

        const QMap<QString, QString> small{
            {QStringLiteral("TMDASH_SYNC_PUSH_BATCH"), QStringLiteral("5")},
            {QStringLiteral("TMDASH_SYNC_PULL_PAGE"), QStringLiteral("5")}};
        QMap<QString, QString> faulty = small;
        faulty.insert(QStringLiteral("TMDASH_SYNC_FAULT"), point);
        const test::CtlRun crashed = syncOnce(d, c, faulty);
        QVERIFY2(crashed.exitCode == 70, crashed.err.constData());

        // Where it stopped.
        const QStringList left = mutationIds(test::outboxOf(d.db));
        const QStringList known = knownOnCentral(c.db, pending);
        auto onDesktop = [&](const QStringList &ids) {
            return int(std::count_if(ids.cbegin(), ids.cend(), [&](const QString &id) {
                return scalar(d.db, QStringLiteral("SELECT count(*) FROM patients WHERE id = :id"),
                              {{QStringLiteral("id"), id}})
                           .toInt() == 1;
            }));
        };
        if (point == QLatin1String("before_send")) {
            QCOMPARE(left, pending);
            QCOMPARE(known, QStringList());
        } else if (point == QLatin1String("after_central_commit")) {
            QCOMPARE(left, pending);            // nothing acknowledged ...
            QCOMPARE(known, pending.mid(0, 5)); // ... though the central has the first batch
        } else {
            QCOMPARE(left, QStringList()); // the push was done ...
            QCOMPARE(known, pending);
            QCOMPARE(onDesktop(remote), 0); // ... and the half-applied page rolled back
        }

        const test::CtlRun resumed = syncOnce(d, c, small);
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        syncUntilQuiet(d, c, small);
        if (QTest::currentTestFailed())
            return;

        verifyConverged(d.db, c.db, c.clinic.value, pending);
        QCOMPARE(onDesktop(remote), 12);
        QCOMPARE(patientValue(c.db, shared.id.value, QStringLiteral("notes")).toString(),
                 QStringLiteral("edited offline"));
        QCOMPARE(patientValue(c.db, shared.id.value, QStringLiteral("version")).toLongLong(),
                 sharedVersion + 1);
        for (int i = 0; i < local.size(); ++i) {
            QCOMPARE(patientValue(c.db, local.at(i), QStringLiteral("version")).toLongLong(),
                     i == 3 ? 2 : 1);
        }
        QCOMPARE(patientValue(c.db, local.at(3), QStringLiteral("notes")).toString(),
                 QStringLiteral("edited before the first push"));
    }

    // 20 syncs killed (SIGKILL) at random moments while another process keeps writing to the
    // same desktop: every write that reported success reaches the central exactly once.
    void killNineDuringSyncWhileAnotherProcessWrites()
    {
        const quint64 seed = qEnvironmentVariableIsSet("TMDASH_TEST_SEED")
                                 ? qEnvironmentVariable("TMDASH_TEST_SEED").toULongLong()
                                 : QRandomGenerator::global()->generate64();
        qInfo("kill -9 seed %llu (TMDASH_TEST_SEED=%llu repeats it)", seed, seed);
        QRandomGenerator rng(seed);

        const Central c = newCentral();
        const Principal staff = c.staff.principal;
        QStringList onCentral; // written on the central, between the syncs
        for (int i = 0; i < 10; ++i)
            onCentral << mustCreate(c.db, staff, QStringLiteral("Early%1").arg(i),
                                    QStringLiteral("Elsewhere"))
                             .id.value;
        const Desktop d = newDesktop();

        // Small batches and pages: a sync is many short steps, so a kill lands anywhere in it.
        const QMap<QString, QString> small =
            withConfig({{QStringLiteral("TMDASH_SYNC_PUSH_BATCH"), QStringLiteral("1")},
                        {QStringLiteral("TMDASH_SYNC_PULL_PAGE"), QStringLiteral("2")}});

        // The first sync is killed too: it migrates the empty file, binds it to the clinic and
        // pulls the clinic page by page.
        {
            auto first = startCtl(syncArgs(d.url, c.url, c.clinic.value), small);
            const int pages = int(rng.bounded(4));
            QByteArray err;
            if (pages > 0) {
                while (first->state() != QProcess::NotRunning && err.count("pulled ") < pages) {
                    first->waitForReadyRead(50);
                    err += first->readAllStandardError();
                }
            } else {
                first->waitForFinished(int(rng.bounded(600)));
            }
            first->kill();
            first->waitForFinished();
            qInfo("first sync: %s (%s)",
                  first->exitStatus() == QProcess::CrashExit ? "killed"
                                                             : "finished before the kill",
                  pages > 0 ? qPrintable(QStringLiteral("after %1 pulled pages").arg(pages))
                            : "at a random moment");
        }
        syncUntilQuiet(d.url, c.url, c.clinic.value, small);
        if (QTest::currentTestFailed())
            return;
        QMap<QString, Written> byWriter; // written by the other process
        QMap<QString, Written> byTest;   // written here, between the syncs
        int counter = 0;
        int writes = 0;
        int killed = 0;
        QMap<QByteArray, int> killedAfter;
        for (int round = 0; round < 20; ++round) {
            for (int i = 0; i < 4; ++i) {
                const QString notes = QStringLiteral("test note %1").arg(++counter);
                if (byTest.isEmpty() || rng.bounded(2) == 0) {
                    const Patient p = mustCreate(d.db, staff, QStringLiteral("Test%1").arg(counter),
                                                 QStringLiteral("Between"));
                    mustSetNotes(d.db, staff, p.id, notes); // an insert and an update
                    byTest.insert(p.id.value, {notes, 1});
                    writes += 2;
                } else {
                    const QStringList ids = byTest.keys();
                    const QString id = ids.at(int(rng.bounded(quint32(ids.size()))));
                    mustSetNotes(d.db, staff, PatientId(id), notes);
                    byTest[id].notes = notes;
                    ++byTest[id].updates;
                    ++writes;
                }
            }

            // Changes made on the central meanwhile, so the pulls carry more than echoes.
            for (int i = 0; i < 2; ++i) {
                ++counter;
                if (onCentral.isEmpty() || rng.bounded(2) == 0) {
                    onCentral << mustCreate(c.db, staff, QStringLiteral("Central%1").arg(counter),
                                            QStringLiteral("Elsewhere"))
                                     .id.value;
                } else {
                    mustSetNotes(
                        c.db, staff,
                        PatientId(onCentral.at(int(rng.bounded(quint32(onCentral.size()))))),
                        QStringLiteral("central note %1").arg(counter));
                }
            }

            Writer writer(asStaff(d.url), withConfig({}), rng, byWriter, counter, 2);
            auto sync = startCtl(syncArgs(d.url, c.url, c.clinic.value), small);
            // A quarter of the kills at a random delay from the start (opening, connecting, the
            // first batch); the others a moment after the k-th progress line of the push (one
            // per batch) or of the pull (one per page).
            const quint32 phase = rng.bounded(8);
            const QByteArray target = phase < 2 ? QByteArray() : phase < 5 ? "pushed " : "pulled ";
            const int delayMs = int(rng.bounded(target.isEmpty() ? 800 : 30));
            const int lines = 1 + int(rng.bounded(target == "pushed " ? 4 : 3));
            QElapsedTimer sinceStart; // times the kill only; never asserted
            sinceStart.start();
            QElapsedTimer sinceLines;
            QByteArray err;
            QByteArray lastProgress = "nothing yet";
            bool sent = false;
            for (;;) {
                writer.poll();
                if (sync->state() != QProcess::NotRunning) {
                    err += sync->readAllStandardError();
                    if (!target.isEmpty() && !sinceLines.isValid() && err.count(target) >= lines)
                        sinceLines.start();
                    const bool due = target.isEmpty()
                                         ? sinceStart.elapsed() >= delayMs
                                         : sinceLines.isValid() && sinceLines.elapsed() >= delayMs;
                    if (!sent && due) {
                        sync->kill();
                        sent = true;
                        const QList<QByteArray> seen = err.trimmed().split('\n');
                        if (!err.trimmed().isEmpty())
                            lastProgress = seen.last();
                    }
                }
                if (sync->state() == QProcess::NotRunning && writer.done())
                    break;
                QTest::qWait(2);
            }
            sync->waitForFinished();
            err += sync->readAllStandardError();
            const bool wasKilled = sync->exitStatus() == QProcess::CrashExit;
            if (wasKilled) {
                ++killed;
                ++killedAfter[lastProgress.startsWith("pushed")   ? "a push"
                              : lastProgress.startsWith("pulled") ? "a pull"
                                                                  : "the start"];
            }
            qInfo("round %d: %s (%s %d ms; last progress: %s)", round,
                  wasKilled ? "killed" : "finished before the kill",
                  target.isEmpty() ? "at"
                                   : qPrintable(QStringLiteral("after %1 x '%2' +")
                                                    .arg(lines)
                                                    .arg(QString::fromLatin1(target.trimmed()))),
                  delayMs, lastProgress.constData());
            if (!wasKilled) {
                // Ran to its end: a stall (another suite's transaction) is the only excuse.
                QVERIFY2(sync->exitCode() == 0 || err.contains("pull stalled"), err.constData());
            }
            QVERIFY2(writer.failures.isEmpty(),
                     qPrintable(writer.failures.join(QLatin1Char('\n'))));
            writes += writer.succeeded;
        }
        qInfo("%d of 20 syncs killed (%d soon after the start, %d after a push, %d after a pull), "
              "%d writes",
              killed, killedAfter.value("the start"), killedAfter.value("a push"),
              killedAfter.value("a pull"), writes);
        QVERIFY2(killed > 0, "no sync was killed while running: the test proved nothing");

        syncUntilQuiet(d.url, c.url, c.clinic.value, small);
        if (QTest::currentTestFailed())
            return;
        verifyConverged(d.db, c.db, c.clinic.value, {});

        // Exactly once: one recorded mutation and one change on the central per successful write.
        auto device = deviceId(d.db);
        QVERIFY(device);
        const QVariantMap byDevice{{QStringLiteral("d"), *device}};
        QCOMPARE(scalar(c.db,
                        QStringLiteral("SELECT count(*) FROM sync_mutations WHERE device_id = :d"),
                        byDevice)
                     .toInt(),
                 writes);
        QCOMPARE(scalar(c.db,
                        QStringLiteral("SELECT count(*) FROM sync_mutations WHERE device_id = :d "
                                       "AND status <> 'applied'"),
                        byDevice)
                     .toInt(),
                 0);
        QCOMPARE(scalar(c.db,
                        QStringLiteral("SELECT count(*) FROM change_log WHERE origin_device = :d"),
                        byDevice)
                     .toInt(),
                 writes);
        QCOMPARE(
            scalar(
                c.db,
                QStringLiteral(
                    "SELECT count(DISTINCT mutation_id) FROM change_log WHERE origin_device = :d"),
                byDevice)
                .toInt(),
            writes);
        QMap<QString, Written> all = byTest;
        all.insert(byWriter);
        for (auto it = all.cbegin(); it != all.cend(); ++it) {
            QCOMPARE(patientValue(c.db, it.key(), QStringLiteral("notes")).toString(), it->notes);
            QCOMPARE(patientValue(c.db, it.key(), QStringLiteral("version")).toInt(),
                     1 + it->updates);
        }
    }

    // The central stops: a sync exits 5 at once and keeps everything; stopped under a running
    // sync it exits 5 too (no hang); restarted, the next syncs converge.
    void centralStoppedAndRestarted()
    {
        PrivateCluster pg;
        if (postgresBinDir().isEmpty() && !qEnvironmentVariableIsSet("CI"))
            QSKIP("no PostgreSQL server binaries here (set PG_BIN)");
        QVERIFY2(pg.start(), qPrintable(pg.error()));
        const test::CtlRun migrated = ctl(
            {QStringLiteral("--db"), pg.url(), QStringLiteral("migrate"), QStringLiteral("up")});
        QVERIFY2(migrated.exitCode == 0, migrated.err.constData());
        auto opened = Database::open(pg.url());
        QVERIFY2(opened, qPrintable(opened.error().message));
        Database central = *opened;
        const ClinicId clinic = test::insertClinic(central);
        const test::TestUser staff = test::insertUser(central, clinic, Role::Staff, kStaff);
        const Patient locked = mustCreate(central, staff.principal, QStringLiteral("Locked"),
                                          QStringLiteral("Record"));
        const qint64 lockedVersion =
            patientValue(central, locked.id.value, QStringLiteral("version")).toLongLong();
        central.close();

        const Desktop d = newDesktop();
        syncUntilQuiet(d.url, pg.url(), clinic.value);
        if (QTest::currentTestFailed())
            return;

        // Stopped: exit 5, the outbox as it was, and the desktop knows it is offline.
        QVERIFY2(pg.stop(), qPrintable(pg.error()));
        for (int i = 0; i < 3; ++i)
            mustCreate(d.db, staff.principal, QStringLiteral("Offline%1").arg(i),
                       QStringLiteral("Desk"));
        const QStringList offline = rawOutbox(d.db);
        const test::CtlRun refused = ctl(syncArgs(d.url, pg.url(), clinic.value));
        QVERIFY2(refused.exitCode == 5, refused.err.constData());
        QCOMPARE(rawOutbox(d.db), offline);
        const test::CtlRun status = ctl({QStringLiteral("--db"), d.url, QStringLiteral("--json"),
                                         QStringLiteral("sync"), QStringLiteral("status")});
        QCOMPARE(status.exitCode, 0);
        QCOMPARE(status.json()[u"online"].toBool(), false);
        QCOMPARE(status.json()[u"pending"].toInt(), 3);

        // A long sync: 64 changes in batches of 10, the fourth batch held on a row lock of the
        // central (the edit of `locked`) so that the server stops while the sync is surely
        // running.
        QVERIFY2(pg.start(), qPrintable(pg.error()));
        for (int i = 0; i < 27; ++i)
            mustCreate(d.db, staff.principal, QStringLiteral("Before%1").arg(i),
                       QStringLiteral("Desk"));
        mustSetNotes(d.db, staff.principal, locked.id,
                     QStringLiteral("edited while the central went away"));
        for (int i = 0; i < 33; ++i)
            mustCreate(d.db, staff.principal, QStringLiteral("After%1").arg(i),
                       QStringLiteral("Desk"));
        const QStringList pending = mutationIds(test::outboxOf(d.db));
        QCOMPARE(pending.size(), 64);

        auto holding = Database::open(pg.url());
        auto watching = Database::open(pg.url());
        QVERIFY(holding && watching);
        Database holder = *holding;
        Database watcher = *watching;
        QVERIFY(sql(holder, QStringLiteral("BEGIN")).ok);
        QVERIFY(sql(holder, QStringLiteral("SELECT 1 FROM patients WHERE id = '%1' FOR UPDATE")
                                .arg(locked.id.value))
                    .ok);
        auto sync = startCtl(
            syncArgs(d.url, pg.url(), clinic.value),
            withConfig({{QStringLiteral("TMDASH_SYNC_PUSH_BATCH"), QStringLiteral("10")}}));
        QDeadlineTimer patience(120000); // only so that a broken engine cannot hang the suite
        for (;;) {
            const Sql waiting = sql(watcher, QStringLiteral("SELECT count(*) FROM pg_stat_activity "
                                                            "WHERE wait_event_type = 'Lock'"));
            QVERIFY2(waiting.ok, qPrintable(waiting.error));
            if (waiting.rows.first().first().toInt() > 0)
                break;
            QVERIFY2(sync->state() != QProcess::NotRunning,
                     qPrintable(QStringLiteral("the sync ended before reaching the locked row: ") +
                                QString::fromUtf8(sync->readAllStandardError())));
            QVERIFY2(!patience.hasExpired(), "the sync never reached the locked row");
            QTest::qWait(20);
        }
        QVERIFY2(pg.stop(), qPrintable(pg.error()));
        const bool ended = sync->waitForFinished(120000);
        if (!ended) {
            sync->kill();
            sync->waitForFinished();
        }
        QVERIFY2(ended, "the sync hung after the central stopped");
        const QByteArray err = sync->readAllStandardError();
        QCOMPARE(sync->exitStatus(), QProcess::NormalExit);
        QVERIFY2(sync->exitCode() == 5, err.constData());
        holder.close();
        watcher.close();
        // Three batches were acknowledged; the fourth was rolled back with the server.
        QCOMPARE(mutationIds(test::outboxOf(d.db)), pending.mid(30));

        QVERIFY2(pg.start(), qPrintable(pg.error()));
        opened = Database::open(pg.url());
        QVERIFY2(opened, qPrintable(opened.error().message));
        central = *opened;
        QCOMPARE(knownOnCentral(central, pending), pending.mid(0, 30));
        syncUntilQuiet(d.url, pg.url(), clinic.value);
        if (!QTest::currentTestFailed()) {
            verifyConverged(d.db, central, clinic.value, pending);
            QCOMPARE(patientValue(central, locked.id.value, QStringLiteral("notes")).toString(),
                     QStringLiteral("edited while the central went away"));
            QCOMPARE(patientValue(central, locked.id.value, QStringLiteral("version")).toLongLong(),
                     lockedVersion + 1);
            QCOMPARE(scalar(central, QStringLiteral("SELECT count(*) FROM patients")).toInt(),
                     1 + 3 + 60);
        }
        central.close();
    }

    // A desktop whose clock is off writes and syncs: its changes reach the central and another
    // desktop, and the order of versions, not of timestamps, decides what each side keeps.
    void skewedClockSyncsByVersion_data()
    {
        QTest::addColumn<int>("offset");
        QTest::newRow("an hour ahead") << 3600;
        QTest::newRow("a day ahead") << 86400;
        QTest::newRow("a day behind") << -86400;
    }
    void skewedClockSyncsByVersion()
    {
        QFETCH(int, offset);
        const Central c = newCentral();
        const Desktop skewed = newDesktop();
        const Desktop steady = newDesktop();
        const QMap<QString, QString> skew{
            {QStringLiteral("TMDASH_CLOCK_OFFSET_SECONDS"), QString::number(offset)}};
        auto syncSkewed = [&] { syncUntilQuiet(skewed, c, skew); };
        auto syncSteady = [&] { syncUntilQuiet(steady, c); };
        auto write = [&](const Desktop &d, const QStringList &args, const QByteArray &input,
                         const QMap<QString, QString> &env) {
            const test::CtlRun run = ctl(asStaff(d.url) + args, input, env);
            if (run.exitCode != 0)
                qWarning("%s", run.err.constData());
            return run;
        };
        syncSkewed();
        syncSteady();
        if (QTest::currentTestFailed())
            return;

        const test::CtlRun fromSkewed =
            write(skewed, {QStringLiteral("patient"), QStringLiteral("add")},
                  patientJson(QStringLiteral("Skewed"), QStringLiteral("Clock"),
                              QStringLiteral("created by the skewed desktop")),
                  skew);
        const test::CtlRun fromSteady =
            write(steady, {QStringLiteral("patient"), QStringLiteral("add")},
                  patientJson(QStringLiteral("Steady"), QStringLiteral("Clock"),
                              QStringLiteral("created by the steady desktop")),
                  {});
        QCOMPARE(fromSkewed.exitCode, 0);
        QCOMPARE(fromSteady.exitCode, 0);
        const QString a = fromSkewed.json()[u"id"].toString();
        const QString b = fromSteady.json()[u"id"].toString();
        syncSkewed();
        syncSteady();
        syncSkewed();
        if (QTest::currentTestFailed())
            return;
        // The skew is real: the skewed desktop's row carries its clock (set-up check, far from
        // any timing: the two writes are seconds apart, the offset an hour or more).
        const double apart =
            scalar(c.db,
                   QStringLiteral("SELECT EXTRACT(EPOCH FROM (a.created_at - b.created_at)) "
                                  "FROM patients a, patients b "
                                  "WHERE a.id = CAST(:a AS uuid) AND b.id = CAST(:b AS uuid)"),
                   {{QStringLiteral("a"), a}, {QStringLiteral("b"), b}})
                .toDouble();
        QVERIFY2(apart * offset > 0 && qAbs(apart) > qAbs(offset) / 2,
                 qPrintable(QString::number(apart)));

        // The skewed desktop edits the steady one's patient; then the steady one edits both.
        QCOMPARE(write(skewed, {QStringLiteral("patient"), QStringLiteral("update"), b},
                       notesJson(QStringLiteral("A1")), skew)
                     .exitCode,
                 0);
        syncSkewed();
        syncSteady();
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(patientValue(steady.db, b, QStringLiteral("notes")).toString(),
                 QStringLiteral("A1"));
        QCOMPARE(write(steady, {QStringLiteral("patient"), QStringLiteral("update"), b},
                       notesJson(QStringLiteral("B2")), {})
                     .exitCode,
                 0);
        QCOMPARE(write(steady, {QStringLiteral("patient"), QStringLiteral("update"), a},
                       notesJson(QStringLiteral("B1")), {})
                     .exitCode,
                 0);
        syncSteady();
        syncSkewed();
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(patientValue(skewed.db, b, QStringLiteral("notes")).toString(),
                 QStringLiteral("B2"));
        QCOMPARE(patientValue(skewed.db, a, QStringLiteral("notes")).toString(),
                 QStringLiteral("B1"));

        // The skewed desktop edits once more after them.
        QCOMPARE(write(skewed, {QStringLiteral("patient"), QStringLiteral("update"), a},
                       notesJson(QStringLiteral("A3")), skew)
                     .exitCode,
                 0);
        syncSkewed();
        syncSteady();
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(patientValue(steady.db, a, QStringLiteral("notes")).toString(),
                 QStringLiteral("A3"));
        QCOMPARE(patientValue(c.db, a, QStringLiteral("notes")).toString(), QStringLiteral("A3"));
        QCOMPARE(patientValue(c.db, b, QStringLiteral("notes")).toString(), QStringLiteral("B2"));
        QCOMPARE(patientValue(c.db, a, QStringLiteral("version")).toInt(), 3);
        QCOMPARE(patientValue(c.db, b, QStringLiteral("version")).toInt(), 3);
        QCOMPARE(test::rowCount(skewed.db, QStringLiteral("conflicts")), 0);
        QCOMPARE(test::rowCount(steady.db, QStringLiteral("conflicts")), 0);
        QCOMPARE(test::rowCount(c.db, QStringLiteral("sync_conflicts")), 0);
        verifyConverged(skewed.db, c.db, c.clinic.value, {});
        verifyConverged(steady.db, c.db, c.clinic.value, {});
    }

    // An outbox row of a protocol the central does not accept: exit 6, "upgrade required",
    // nothing applied, the outbox exactly as it was.
    void oldProtocolIsRefusedWithTheOutboxIntact()
    {
        const Central c = newCentral();
        const Desktop d = newDesktop();
        syncUntilQuiet(d, c);
        if (QTest::currentTestFailed())
            return;
        for (int i = 0; i < 3; ++i)
            mustCreate(d.db, c.staff.principal, QStringLiteral("Old%1").arg(i),
                       QStringLiteral("Protocol"));
        // The last row: the rows before it are refused with it (one batch), not applied alone.
        QVERIFY(
            sql(d.db,
                QStringLiteral(
                    "UPDATE outbox SET protocol = 99 WHERE seq = (SELECT max(seq) FROM outbox)"))
                .ok);
        const QStringList before = rawOutbox(d.db);
        const QStringList pending = mutationIds(test::outboxOf(d.db));
        const qint64 patients = test::rowCount(c.db, QStringLiteral("patients"));

        const test::CtlRun refused = ctl(syncArgs(d.url, c.url, c.clinic.value));
        QCOMPARE(refused.exitCode, 6);
        QVERIFY2(refused.err.contains("upgrade required"), refused.err.constData());
        QCOMPARE(rawOutbox(d.db), before);
        QCOMPARE(knownOnCentral(c.db, pending), QStringList());
        QCOMPARE(test::rowCount(c.db, QStringLiteral("patients")), patients);

        // Upgraded (the row speaks the protocol again), the same outbox goes through.
        QVERIFY(sql(d.db, QStringLiteral("UPDATE outbox SET protocol = 1")).ok);
        syncUntilQuiet(d, c);
        if (QTest::currentTestFailed())
            return;
        verifyConverged(d.db, c.db, c.clinic.value, pending);
    }

    // A desktop database filled by `seed` never syncs: exit 6, the central untouched.
    void demoDatabaseIsRefused()
    {
        const Central c = newCentral();
        const QString demo = QStringLiteral("sqlite:") +
                             QDir(m_factory.tempPath()).filePath(QStringLiteral("demo.db"));
        QCOMPARE(
            ctl({QStringLiteral("--db"), demo, QStringLiteral("migrate"), QStringLiteral("up")})
                .exitCode,
            0);
        const test::CtlRun seeded = ctl({QStringLiteral("--db"), demo, QStringLiteral("seed"),
                                         QStringLiteral("--patients"), QStringLiteral("3")});
        QVERIFY2(seeded.exitCode == 0, seeded.err.constData());
        const QStringList counts{QStringLiteral("clinics"), QStringLiteral("users"),
                                 QStringLiteral("patients"), QStringLiteral("sync_mutations"),
                                 QStringLiteral("change_log")};
        QList<qint64> before;
        for (const QString &table : counts)
            before << test::rowCount(c.db, table);

        const test::CtlRun named = ctl(syncArgs(demo, c.url, c.clinic.value));
        QCOMPARE(named.exitCode, 6);
        QVERIFY2(named.err.contains("demo"), named.err.constData());
        const test::CtlRun unnamed =
            ctl({QStringLiteral("--db"), demo, QStringLiteral("sync"), QStringLiteral("--once"),
                 QStringLiteral("--central"), c.url});
        QCOMPARE(unnamed.exitCode, 6);
        QList<qint64> after;
        for (const QString &table : counts)
            after << test::rowCount(c.db, table);
        QCOMPARE(after, before);
    }
};

QTEST_GUILESS_MAIN(TestSyncFaults)
#include "tst_syncfaults.moc"
