#include "redisclient.h"

#include <QSocketNotifier>
#include <QUrl>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <memory>

namespace tmdash {

namespace {

int envMs(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value > 0 ? value : fallback;
}

RedisClient *clientOf(const redisAsyncContext *ctx)
{
    return static_cast<RedisClient *>(ctx->data);
}

void onConnect(const redisAsyncContext *ctx, int status)
{
    if (RedisClient *client = clientOf(ctx))
        client->handleConnect(status);
}

void onDisconnect(const redisAsyncContext *ctx, int status)
{
    if (RedisClient *client = clientOf(ctx))
        client->handleDisconnect(status);
}

void onReply(redisAsyncContext *, void *reply, void *privdata)
{
    static_cast<RedisClient *>(privdata)->handleReply(reply, false);
}

void onHeartbeat(redisAsyncContext *, void *reply, void *privdata)
{
    static_cast<RedisClient *>(privdata)->handleReply(reply, true);
}

void evAddRead(void *p) { static_cast<RedisClient *>(p)->addRead(); }
void evDelRead(void *p) { static_cast<RedisClient *>(p)->delRead(); }
void evAddWrite(void *p) { static_cast<RedisClient *>(p)->addWrite(); }
void evDelWrite(void *p) { static_cast<RedisClient *>(p)->delWrite(); }
void evCleanup(void *p) { static_cast<RedisClient *>(p)->cleanup(); }

QByteArray replyText(const redisReply *r)
{
    return r && r->str ? QByteArray(r->str, int(r->len)) : QByteArray();
}

} // namespace

Result<RedisEndpoint> RedisEndpoint::parse(const QString &url)
{
    const QUrl u(url);
    if (!u.isValid() || u.scheme() != QLatin1String("redis") || u.host().isEmpty())
        return Error::invalid(QStringLiteral("redis"), QStringLiteral("format"),
                              QStringLiteral("a Redis URL looks like redis://host:port"));
    return RedisEndpoint{u.host(), u.port(6379)};
}

QString clinicChangeChannel(const QString &clinicId)
{
    return QStringLiteral("tmdash:clinic:%1:changes").arg(clinicId);
}

Status redisPublish(const QString &url, const QString &channel, const QByteArray &message)
{
    auto endpoint = RedisEndpoint::parse(url);
    if (!endpoint)
        return endpoint.error();
    const int ms = envMs("TMDASH_REDIS_TIMEOUT_MS", 500);
    const timeval timeout{ms / 1000, (ms % 1000) * 1000};
    std::unique_ptr<redisContext, decltype(&redisFree)> c(
        redisConnectWithTimeout(endpoint->host.toUtf8().constData(), endpoint->port, timeout), &redisFree);
    if (!c || c->err)
        return Error::storage(QStringLiteral("Redis at %1: %2")
                                  .arg(url, c ? QString::fromUtf8(c->errstr) : QStringLiteral("no memory")));
    redisSetTimeout(c.get(), timeout);
    const QByteArray name = channel.toUtf8();
    auto *reply = static_cast<redisReply *>(redisCommand(c.get(), "PUBLISH %b %b", name.constData(),
                                                         size_t(name.size()), message.constData(),
                                                         size_t(message.size())));
    if (!reply)
        return Error::storage(QStringLiteral("Redis at %1: %2").arg(url, QString::fromUtf8(c->errstr)));
    const bool failed = reply->type == REDIS_REPLY_ERROR;
    const QString text = QString::fromUtf8(replyText(reply));
    freeReplyObject(reply);
    if (failed)
        return Error::storage(QStringLiteral("Redis at %1: %2").arg(url, text));
    return {};
}

RedisClient::RedisClient(const QString &url, QObject *parent)
    : QObject(parent),
      m_backoffMaxMs(envMs("TMDASH_REDIS_BACKOFF_MAX_MS", 5000)),
      m_heartbeatMs(envMs("TMDASH_REDIS_HEARTBEAT_MS", 1000))
{
    auto endpoint = RedisEndpoint::parse(url);
    if (endpoint)
        m_endpoint = *endpoint;
    else
        m_urlError = endpoint.error().message;
    m_reconnectTimer.setSingleShot(true);
    m_connectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &RedisClient::connectNow);
    connect(&m_connectTimer, &QTimer::timeout, this,
            [this] { dropConnection(QStringLiteral("connecting to Redis timed out")); });
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &RedisClient::heartbeat);
}

RedisClient::~RedisClient()
{
    m_destroying = true;
    if (m_ctx) {
        redisAsyncContext *ctx = m_ctx;
        redisAsyncFree(ctx); // calls back (ignored now) and cleans up the notifiers
    }
    m_ctx = nullptr;
}

void RedisClient::start()
{
    if (m_started)
        return;
    m_started = true;
    if (!m_urlError.isEmpty()) {
        m_lastError = m_urlError;
        Q_EMIT disconnected(m_urlError);
        return;
    }
    connectNow();
}

void RedisClient::subscribe(const QString &channel)
{
    if (m_channels.contains(channel))
        return;
    m_channels << channel;
    if (m_connected)
        sendSubscribe(channel);
}

void RedisClient::sendSubscribe(const QString &channel)
{
    const QByteArray name = channel.toUtf8();
    redisAsyncCommand(m_ctx, onReply, this, "SUBSCRIBE %b", name.constData(), size_t(name.size()));
}

void RedisClient::connectNow()
{
    if (m_ctx || m_destroying)
        return;
    redisAsyncContext *ctx = redisAsyncConnect(m_endpoint.host.toUtf8().constData(), m_endpoint.port);
    if (!ctx || ctx->err) {
        const QString reason = ctx ? QString::fromUtf8(ctx->errstr) : QStringLiteral("no memory");
        if (ctx)
            redisAsyncFree(ctx);
        scheduleReconnect(reason);
        return;
    }
    m_ctx = ctx;
    ctx->data = this;
    ctx->ev.data = this;
    ctx->ev.addRead = evAddRead;
    ctx->ev.delRead = evDelRead;
    ctx->ev.addWrite = evAddWrite;
    ctx->ev.delWrite = evDelWrite;
    ctx->ev.cleanup = evCleanup;
    redisAsyncSetConnectCallback(ctx, onConnect);
    redisAsyncSetDisconnectCallback(ctx, onDisconnect);
    m_connectTimer.start(envMs("TMDASH_REDIS_CONNECT_TIMEOUT_MS", 2000));
    // The connect callback fires on the first write event; ask for it.
    addWrite();
}

void RedisClient::handleConnect(int status)
{
    m_connectTimer.stop();
    if (m_destroying)
        return;
    if (status != REDIS_OK) {
        // hiredis frees the context after this callback.
        const QString reason = m_ctx ? QString::fromUtf8(m_ctx->errstr) : QStringLiteral("connect failed");
        m_ctx = nullptr;
        scheduleReconnect(reason);
        return;
    }
    m_connected = true;
    m_backoffMs = 200;
    m_lastError.clear();
    m_sinceReply.start();
    m_heartbeatTimer.start(m_heartbeatMs);
    for (const QString &channel : std::as_const(m_channels))
        sendSubscribe(channel);
    Q_EMIT connected();
}

void RedisClient::handleDisconnect(int status)
{
    // hiredis frees the context after this callback.
    const QString reason = status == REDIS_OK
                               ? QStringLiteral("disconnected")
                               : (m_ctx ? QString::fromUtf8(m_ctx->errstr) : QStringLiteral("connection lost"));
    m_ctx = nullptr;
    if (m_destroying)
        return;
    scheduleReconnect(reason);
}

void RedisClient::dropConnection(const QString &reason)
{
    if (!m_ctx)
        return;
    redisAsyncContext *ctx = m_ctx;
    ctx->data = nullptr; // its callbacks must not come back to us
    m_ctx = nullptr;
    redisAsyncFree(ctx);
    scheduleReconnect(reason);
}

void RedisClient::scheduleReconnect(const QString &reason)
{
    const bool was = m_connected;
    m_connected = false;
    m_heartbeatTimer.stop();
    m_connectTimer.stop();
    m_lastError = reason;
    if (was || !m_reconnectTimer.isActive())
        Q_EMIT disconnected(reason);
    if (!m_reconnectTimer.isActive()) {
        m_reconnectTimer.start(m_backoffMs);
        m_backoffMs = qMin(m_backoffMs * 2, m_backoffMaxMs);
    }
}

void RedisClient::heartbeat()
{
    if (!m_connected || !m_ctx)
        return;
    if (m_sinceReply.elapsed() > 3 * qint64(m_heartbeatMs)) {
        dropConnection(QStringLiteral("Redis stopped answering"));
        return;
    }
    redisAsyncCommand(m_ctx, onHeartbeat, this, "PING");
}

void RedisClient::handleReply(void *reply, bool heartbeat)
{
    if (m_destroying || !reply)
        return; // the connection went away; the disconnect callback reports it
    m_sinceReply.restart();
    const auto *r = static_cast<const redisReply *>(reply);
    // In subscribed mode a reply meant for a pending PING may be a message (hiredis hands the
    // next reply to the oldest pending callback): any reply proves the connection alive, and
    // a message is a message wherever it lands.
    Q_UNUSED(heartbeat)
    if (r->type == REDIS_REPLY_ARRAY && r->elements == 3
        && replyText(r->element[0]) == "message")
        Q_EMIT message(QString::fromUtf8(replyText(r->element[1])), replyText(r->element[2]));
}

void RedisClient::addRead()
{
    if (m_read || !m_ctx)
        return;
    m_read = new QSocketNotifier(qintptr(m_ctx->c.fd), QSocketNotifier::Read, this);
    connect(m_read, &QSocketNotifier::activated, this, [this] {
        if (m_ctx)
            redisAsyncHandleRead(m_ctx);
    });
}

void RedisClient::delRead()
{
    if (!m_read)
        return;
    m_read->setEnabled(false);
    m_read->deleteLater();
    m_read = nullptr;
}

void RedisClient::addWrite()
{
    if (m_write || !m_ctx)
        return;
    m_write = new QSocketNotifier(qintptr(m_ctx->c.fd), QSocketNotifier::Write, this);
    connect(m_write, &QSocketNotifier::activated, this, [this] {
        if (m_ctx)
            redisAsyncHandleWrite(m_ctx);
    });
}

void RedisClient::delWrite()
{
    if (!m_write)
        return;
    m_write->setEnabled(false);
    m_write->deleteLater();
    m_write = nullptr;
}

void RedisClient::cleanup()
{
    delRead();
    delWrite();
}

} // namespace tmdash
