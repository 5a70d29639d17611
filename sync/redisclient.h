#pragma once

#include "result.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>

struct redisAsyncContext;
class QSocketNotifier;

namespace tmdash {

// redis://host:port (DESIGN.md "Interfaces people use"; TMDASH_REDIS).
struct RedisEndpoint
{
    QString host;
    int port = 6379;

    static Result<RedisEndpoint> parse(const QString &url);
};

// The clinic's change channel: a push that committed publishes there.
QString clinicChangeChannel(const QString &clinicId);

// Publishes one message with a short timeout (TMDASH_REDIS_TIMEOUT_MS, default 500) on a
// connection of its own; for processes without an event loop (`sync --once`). Redis is only a
// hint: the caller reports a failure, it never fails the sync for it.
Status redisPublish(const QString &url, const QString &channel, const QByteArray &message);

// A hiredis async connection driven by the Qt event loop of the thread it lives in (our own
// adapter on QSocketNotifier; see SETUP-NOTES). It connects, reconnects with backoff (200 ms
// doubling to TMDASH_REDIS_BACKOFF_MAX_MS, default 5000), keeps its subscriptions across
// reconnects, and sends a PING every TMDASH_REDIS_HEARTBEAT_MS (default 1000): three missed
// heartbeats drop the connection (hiredis timeouts do not fire under Qt by themselves). Nothing
// here blocks.
class RedisClient : public QObject
{
    Q_OBJECT
public:
    explicit RedisClient(const QString &url, QObject *parent = nullptr);
    ~RedisClient() override;
    RedisClient(const RedisClient &) = delete;
    RedisClient &operator=(const RedisClient &) = delete;

    void start();
    bool isConnected() const { return m_connected; }
    QString lastError() const { return m_lastError; }
    // Subscribes now when connected, and again after every reconnect.
    void subscribe(const QString &channel);

    // For the hiredis callbacks (C functions) only.
    void handleConnect(int status);
    void handleDisconnect(int status);
    void handleReply(void *reply, bool heartbeat);
    void addRead();
    void delRead();
    void addWrite();
    void delWrite();
    void cleanup();

Q_SIGNALS:
    void connected();
    void disconnected(const QString &reason);
    void message(const QString &channel, const QByteArray &payload);

private:
    void connectNow();
    void dropConnection(const QString &reason);
    void scheduleReconnect(const QString &reason);
    void heartbeat();
    void sendSubscribe(const QString &channel);

    RedisEndpoint m_endpoint;
    QString m_urlError;
    redisAsyncContext *m_ctx = nullptr;
    QSocketNotifier *m_read = nullptr;
    QSocketNotifier *m_write = nullptr;
    QTimer m_reconnectTimer;
    QTimer m_heartbeatTimer;
    QTimer m_connectTimer;
    QElapsedTimer m_sinceReply;
    QStringList m_channels;
    QString m_lastError;
    int m_backoffMs = 200;
    int m_backoffMaxMs = 5000;
    int m_heartbeatMs = 1000;
    bool m_connected = false;
    bool m_started = false;
    bool m_destroying = false;
};

} // namespace tmdash
