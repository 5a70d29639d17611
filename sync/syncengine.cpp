#include "syncengine.h"

#include "ids.h"
#include "outbox.h"
#include "redisclient.h"
#include "syncstate.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTimer>

#include <memory>

namespace tmdash {

namespace {

int envPositive(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value > 0 ? value : fallback;
}

} // namespace

SyncEngineSettings SyncEngineSettings::fromEnvironment(const QString &localUrl)
{
    SyncEngineSettings s;
    s.localUrl = localUrl;
    s.sync = SyncOptions::fromEnvironment();
    s.pollSeconds = envPositive("TMDASH_POLL_SECONDS", s.pollSeconds);
    s.debounceMs = envPositive("TMDASH_SYNC_DEBOUNCE_MS", s.debounceMs);
    s.outboxWatchMs = envPositive("TMDASH_OUTBOX_WATCH_MS", s.outboxWatchMs);
    return s;
}

// Lives in the engine's thread; everything here runs there.
class SyncWorker : public QObject
{
    Q_OBJECT
public:
    explicit SyncWorker(const SyncEngineSettings &settings) : m_settings(settings) {}

    void begin()
    {
        auto db = Database::open(m_settings.localUrl, QStringLiteral("sync-engine-") + newUuidV7());
        if (!db) {
            Q_EMIT failed(db.error().message, QStringLiteral("start"), int(db.error().code));
            return;
        }
        m_db = *db;
        m_synchronizer = std::make_unique<Synchronizer>(m_db, m_settings.sync);
        // Made here, in the engine's thread, so that they run in it.
        m_debounce = new QTimer(this);
        m_retry = new QTimer(this);
        m_poll = new QTimer(this);
        m_outboxWatch = new QTimer(this);
        m_debounce->setSingleShot(true);
        m_retry->setSingleShot(true);
        connect(m_debounce, &QTimer::timeout, this, [this] { runSync(); });
        connect(m_retry, &QTimer::timeout, this, [this] { request(QStringLiteral("retry"), 0); });
        connect(m_poll, &QTimer::timeout, this, [this] { request(QStringLiteral("poll"), 0); });
        connect(m_outboxWatch, &QTimer::timeout, this, &SyncWorker::watchOutbox);
        m_outboxWatch->start(m_settings.outboxWatchMs);
        m_status.redisConfigured = !m_settings.sync.redisUrl.isEmpty();
        if (m_status.redisConfigured) {
            m_redis = std::make_unique<RedisClient>(m_settings.sync.redisUrl);
            connect(m_redis.get(), &RedisClient::connected, this, [this] {
                m_status.redisOnline = true;
                subscribe();
                schedulePoll();
                request(QStringLiteral("redis-connected"), 0);
            });
            connect(m_redis.get(), &RedisClient::disconnected, this, [this] {
                m_status.redisOnline = false;
                schedulePoll();
                publishStatus();
            });
            connect(m_redis.get(), &RedisClient::message, this, &SyncWorker::onMessage);
            m_redis->start();
        }
        schedulePoll();
        request(QStringLiteral("start"), 0);
    }

    void finish()
    {
        for (QTimer *timer : {m_poll, m_debounce, m_retry, m_outboxWatch})
            if (timer)
                timer->stop();
        m_redis.reset();
        m_synchronizer.reset();
        m_db.close();
    }

    void request(const QString &trigger, int delayMs)
    {
        if (m_debounce && !m_debounce->isActive()) {
            m_trigger = trigger;
            m_debounce->start(delayMs);
        }
    }

Q_SIGNALS:
    void statusChanged(const tmdash::SyncStatus &status);
    void synced(const tmdash::SyncReport &report, const QString &trigger);
    void failed(const QString &message, const QString &trigger, int code);

private:
    void schedulePoll()
    {
        const int seconds = m_status.redisOnline ? m_settings.pollSeconds * 10 : m_settings.pollSeconds;
        m_poll->start(seconds * 1000);
    }

    void subscribe()
    {
        auto clinic = syncStateValue(m_db, QString::fromLatin1(kStateClinic));
        if (clinic && !clinic->isEmpty())
            m_redis->subscribe(clinicChangeChannel(*clinic));
    }

    void onMessage(const QString &, const QByteArray &payload)
    {
        // Our own announcement needs no pull.
        const QString from = QJsonDocument::fromJson(payload).object().value(u"device_id").toString();
        auto self = deviceId(m_db);
        if (self && from == *self)
            return;
        request(QStringLiteral("notification"), m_settings.debounceMs);
    }

    void watchOutbox()
    {
        QSqlQuery q(m_db.connection());
        if (!q.exec(QStringLiteral("SELECT coalesce(max(seq), 0) FROM outbox WHERE status = 'pending'")) || !q.next())
            return;
        const qint64 last = q.value(0).toLongLong();
        q.finish();
        if (last > m_lastOutboxSeq) {
            m_lastOutboxSeq = last;
            request(QStringLiteral("outbox"), m_settings.debounceMs);
        }
    }

    void runSync()
    {
        m_status.syncing = true;
        publishStatus();
        auto report = m_synchronizer->runOnce();
        m_status.syncing = false;
        const QString trigger = m_trigger;
        if (report) {
            m_retryMs = 1000;
            if (m_redis)
                subscribe(); // the first sync binds the clinic, and with it the channel
            publishStatus();
            Q_EMIT synced(*report, trigger);
        } else {
            publishStatus();
            Q_EMIT failed(report.error().message, trigger, int(report.error().code));
            if (report.error().code == ErrorCode::Storage) {
                m_retry->start(m_retryMs);
                m_retryMs = qMin(m_retryMs * 2, m_settings.pollSeconds * 1000);
            }
        }
    }

    void publishStatus()
    {
        auto stored = readSyncStatus(m_db);
        SyncStatus s = stored ? *stored : m_status;
        s.redisConfigured = m_status.redisConfigured;
        s.redisOnline = m_status.redisOnline;
        s.syncing = m_status.syncing;
        if (!stored)
            s.lastError = stored.error().message;
        Q_EMIT statusChanged(s);
    }

    SyncEngineSettings m_settings;
    Database m_db;
    std::unique_ptr<Synchronizer> m_synchronizer;
    std::unique_ptr<RedisClient> m_redis;
    QTimer *m_poll = nullptr;
    QTimer *m_debounce = nullptr;
    QTimer *m_retry = nullptr;
    QTimer *m_outboxWatch = nullptr;
    QString m_trigger;
    SyncStatus m_status;
    qint64 m_lastOutboxSeq = 0;
    int m_retryMs = 1000;
};

SyncEngine::SyncEngine(const SyncEngineSettings &settings, QObject *parent) : QObject(parent)
{
    qRegisterMetaType<tmdash::SyncStatus>();
    qRegisterMetaType<tmdash::SyncReport>();
    m_worker = new SyncWorker(settings);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &SyncWorker::statusChanged, this, [this](const SyncStatus &s) {
        {
            QMutexLocker lock(&m_mutex);
            m_status = s;
        }
        Q_EMIT statusChanged(s);
    });
    connect(m_worker, &SyncWorker::synced, this, &SyncEngine::synced);
    connect(m_worker, &SyncWorker::failed, this, &SyncEngine::failed);
}

SyncEngine::~SyncEngine()
{
    const bool ran = m_thread.isRunning() || m_thread.isFinished();
    stop();
    if (!ran)
        delete m_worker; // never moved into a running thread: nobody else deletes it
}

void SyncEngine::start()
{
    if (m_thread.isRunning())
        return;
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &SyncWorker::begin, Qt::QueuedConnection);
}

void SyncEngine::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(m_worker, &SyncWorker::finish, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

SyncStatus SyncEngine::status() const
{
    QMutexLocker lock(&m_mutex);
    return m_status;
}

void SyncEngine::syncNow()
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->request(QStringLiteral("manual"), 0); },
                              Qt::QueuedConnection);
}

} // namespace tmdash

#include "syncengine.moc"
