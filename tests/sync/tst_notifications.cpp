// Redis as the hint that makes desktops pull at once (sync/syncengine.*, sync/redisclient.*),
// against the real central and real Redis servers: the shared test Redis, and a private one this
// suite stops and restarts.

#include "testsupport.h"

#include "patientstore.h"
#include "redisclient.h"
#include "syncengine.h"
#include "synchronizer.h"

#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace tmdash;

namespace {

Patient patient(const QString &given)
{
    Patient p;
    p.given_name = given;
    p.family_name = QStringLiteral("Nakamura");
    p.birth_date = QDate(1988, 7, 1);
    p.sex = Sex::Male;
    return p;
}

// A loopback port nothing listens on right now.
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0
        || ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        qFatal("no free port");
    ::close(fd);
    return ntohs(addr.sin_port);
}

// A redis-server of this suite only, on loopback, that a test may stop and start again.
class PrivateRedis
{
public:
    PrivateRedis() : m_port(freePort()) {}
    ~PrivateRedis() { stop(); }
    PrivateRedis(const PrivateRedis &) = delete;
    PrivateRedis &operator=(const PrivateRedis &) = delete;

    QString url() const { return QStringLiteral("redis://127.0.0.1:%1").arg(m_port); }

    void start()
    {
        m_process.setProgram(QStringLiteral("redis-server"));
        m_process.setArguments({QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                                QStringLiteral("--port"), QString::number(m_port),
                                QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"),
                                QStringLiteral("no"), QStringLiteral("--dir"), m_dir.path()});
        m_process.start();
        if (!m_process.waitForStarted())
            qFatal("cannot start redis-server");
        // Ready when a publish goes through.
        for (int i = 0; i < 100; ++i) {
            if (redisPublish(url(), QStringLiteral("ready"), "1"))
                return;
            QThread::msleep(50);
        }
        qFatal("redis-server did not come up");
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished();
    }

private:
    int m_port;
    QTemporaryDir m_dir;
    QProcess m_process;
};

} // namespace

class TestNotifications : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("notifications")};
    Database m_central;
    QString m_url;
    QString m_redis;
    ClinicId m_clinic;
    test::TestUser m_staff;

    struct Desktop
    {
        Database db;
        QString url;
    };

    Desktop desktop()
    {
        Desktop d{m_factory.create(SqlDialect::Sqlite, false), m_factory.lastUrl()};
        SyncOptions o;
        o.centralUrl = m_url;
        o.clinic = m_clinic.value;
        if (!Synchronizer(d.db, o).runOnce())
            qFatal("first sync failed");
        return d;
    }

    // Writes a patient on `d` and pushes it, announcing on `redisUrl` (empty: no announcement).
    PatientId pushPatient(const Desktop &d, const QString &given, const QString &redisUrl)
    {
        const auto p = PatientStore(d.db, m_staff.principal).create(patient(given));
        if (!p)
            qFatal("%s", qPrintable(p.error().message));
        SyncOptions o;
        o.centralUrl = m_url;
        o.redisUrl = redisUrl;
        const auto report = Synchronizer(d.db, o).runOnce();
        if (!report || report->applied != 1)
            qFatal("the push failed");
        return p->id;
    }

    bool has(const Desktop &d, const PatientId &id)
    {
        return bool(PatientStore(d.db, m_staff.principal).get(id));
    }

    SyncEngineSettings engineSettings(const Desktop &d, const QString &redisUrl, int pollSeconds)
    {
        SyncEngineSettings s;
        s.localUrl = d.url;
        s.sync.centralUrl = m_url;
        s.sync.redisUrl = redisUrl;
        s.pollSeconds = pollSeconds;
        s.debounceMs = 10;
        return s;
    }

    // The trigger of the engine run that brought `id` (empty until one did).
    static QString triggerThatBrought(const QSignalSpy &spy, const PatientId &id)
    {
        for (const QList<QVariant> &signal : spy) {
            const SyncReport report = signal.at(0).value<SyncReport>();
            if (report.changedRecords.value(QStringLiteral("patients")).contains(id.value))
                return signal.at(1).toString();
        }
        return QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (test::requirePostgresUrl().isEmpty() || test::requireRedisUrl().isEmpty())
            QSKIP("TMDASH_TEST_PG or TMDASH_TEST_REDIS is not set");
        m_redis = test::requireRedisUrl();
        m_central = m_factory.create(SqlDialect::Postgres);
        m_url = m_factory.lastUrl();
        m_clinic = test::insertClinic(m_central);
        m_staff = test::insertUser(m_central, m_clinic, Role::Staff, QStringLiteral("desk@north.test"));
    }

    void pushReachesAnotherDesktopWithoutPolling()
    {
        const Desktop a = desktop();
        const Desktop b = desktop();
        SyncEngine engine(engineSettings(b, m_redis, 3600)); // no poll during the test
        QSignalSpy synced(&engine, &SyncEngine::synced);
        engine.start();
        QTRY_VERIFY_WITH_TIMEOUT(engine.status().redisOnline, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!synced.isEmpty(), 10000); // the start (or connect) run
        const PatientId id = pushPatient(a, QStringLiteral("Ren"), m_redis);
        QTRY_VERIFY_WITH_TIMEOUT(has(b, id), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(triggerThatBrought(synced, id), QStringLiteral("notification"), 5000);

        // A desktop's own announcement does not make it pull: only other desktops react.
        const int runs = int(synced.size());
        const PatientId own = pushPatient(b, QStringLiteral("Sol"), m_redis);
        QVERIFY(has(b, own));
        QTest::qWait(300);
        for (qsizetype i = runs; i < synced.size(); ++i)
            QVERIFY(synced.at(i).at(1).toString() != QLatin1String("notification"));
    }

    void localWritesArePushedWithoutBeingAsked()
    {
        const Desktop a = desktop();
        SyncEngine engine(engineSettings(a, QString(), 3600));
        QSignalSpy synced(&engine, &SyncEngine::synced);
        engine.start();
        QTRY_VERIFY_WITH_TIMEOUT(!synced.isEmpty(), 10000);
        const auto p = PatientStore(a.db, m_staff.principal).create(patient(QStringLiteral("Uma")));
        QVERIFY(p);
        QTRY_VERIFY_WITH_TIMEOUT(PatientStore(m_central, m_staff.principal).get(p->id), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(engine.status().pending, 0, 5000);
    }

    void redisDownPollsAndRestartResumesNotifications()
    {
        PrivateRedis redis;
        redis.start();
        const Desktop a = desktop();
        const Desktop b = desktop();
        qputenv("TMDASH_REDIS_BACKOFF_MAX_MS", "300");
        SyncEngine engine(engineSettings(b, redis.url(), 1));
        qunsetenv("TMDASH_REDIS_BACKOFF_MAX_MS");
        QSignalSpy synced(&engine, &SyncEngine::synced);
        engine.start();
        QTRY_VERIFY_WITH_TIMEOUT(engine.status().redisOnline, 10000);

        redis.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!engine.status().redisOnline, 10000);
        QVERIFY(engine.status().redisConfigured);
        // Nobody can announce now; b still converges by polling.
        const PatientId whileDown = pushPatient(a, QStringLiteral("Vic"), QString());
        QTRY_VERIFY_WITH_TIMEOUT(has(b, whileDown), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(triggerThatBrought(synced, whileDown), QStringLiteral("poll"), 5000);

        // Redis back on the same port: the engine reconnects by itself, pulls, and hears again.
        redis.start();
        QTRY_VERIFY_WITH_TIMEOUT(engine.status().redisOnline, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(synced.cbegin(), synced.cend(),
                                             [](const QList<QVariant> &s) {
                                                 return s.at(1).toString() == QLatin1String("redis-connected");
                                             }),
                                 10000);
        const PatientId afterRestart = pushPatient(a, QStringLiteral("Wes"), redis.url());
        QTRY_VERIFY_WITH_TIMEOUT(has(b, afterRestart), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(triggerThatBrought(synced, afterRestart), QStringLiteral("notification"), 5000);
    }

    void unreachableRedisNeverFailsThePush()
    {
        const Desktop a = desktop();
        const auto p = PatientStore(a.db, m_staff.principal).create(patient(QStringLiteral("Xia")));
        QVERIFY(p);
        SyncOptions o;
        o.centralUrl = m_url;
        o.redisUrl = QStringLiteral("redis://127.0.0.1:%1").arg(freePort());
        const auto report = Synchronizer(a.db, o).runOnce();
        QVERIFY(report);
        QCOMPARE(report->applied, 1);
        QVERIFY2(!report->redisError.isEmpty(), "the failed announcement is reported");
    }
};

QTEST_GUILESS_MAIN(TestNotifications)
#include "tst_notifications.moc"
