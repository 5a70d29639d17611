#pragma once

#include "synchronizer.h"
#include "syncstatus.h"

#include <QMutex>
#include <QObject>
#include <QThread>

namespace tmdash {

struct SyncEngineSettings
{
    QString localUrl; // the desktop database (sqlite:PATH)
    SyncOptions sync; // the central, the clinic, the Redis URL
    // How often to sync while Redis is unreachable or not configured (TMDASH_POLL_SECONDS,
    // default 30); with Redis up, ten times less often (a safety net: messages can be lost).
    int pollSeconds = 30;
    // Notifications arriving within this time start one sync (TMDASH_SYNC_DEBOUNCE_MS, 50).
    int debounceMs = 50;
    // How often the outbox is looked at for changes written here (TMDASH_OUTBOX_WATCH_MS, 500).
    int outboxWatchMs = 500;

    static SyncEngineSettings fromEnvironment(const QString &localUrl);
};

class SyncWorker;

// Sync off the UI thread (DESIGN.md, "Sync"): a thread of its own with its own database
// connections runs the Synchronizer when something may have changed: at start, when Redis
// announces a push of another desktop (debounced), after every (re)connect to Redis, when this
// desktop's outbox grew, on the poll interval, on syncNow(), and after a failure with backoff
// (1 s doubling to the poll interval). It reports through signals, delivered in the thread that
// owns the engine.
class SyncEngine : public QObject
{
    Q_OBJECT
public:
    explicit SyncEngine(const SyncEngineSettings &settings, QObject *parent = nullptr);
    ~SyncEngine() override; // stops the thread
    SyncEngine(const SyncEngine &) = delete;
    SyncEngine &operator=(const SyncEngine &) = delete;

    void start();
    void stop();
    SyncStatus status() const;

public Q_SLOTS:
    void syncNow();

Q_SIGNALS:
    void statusChanged(const tmdash::SyncStatus &status);
    // After each run; `trigger` says what started it: start, notification, redis-connected,
    // outbox, poll, manual, retry.
    void synced(const tmdash::SyncReport &report, const QString &trigger);
    // A run that failed; `code` is the ErrorCode (Storage: retried with backoff; others wait
    // for the next trigger).
    void failed(const QString &message, const QString &trigger, int code);

private:
    QThread m_thread;
    SyncWorker *m_worker = nullptr;
    mutable QMutex m_mutex;
    SyncStatus m_status;
};

} // namespace tmdash

Q_DECLARE_METATYPE(tmdash::SyncStatus)
Q_DECLARE_METATYPE(tmdash::SyncReport)
