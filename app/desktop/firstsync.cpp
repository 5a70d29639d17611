#include "firstsync.h"

#include "ids.h"

namespace tmdash {

FirstSync::FirstSync(QObject *parent) : QObject(parent) {}

FirstSync::~FirstSync()
{
    cancel();
    if (m_thread)
        m_thread->wait();
}

bool FirstSync::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

void FirstSync::cancel()
{
    if (m_cancelled)
        *m_cancelled = true;
}

void FirstSync::start(const QString &localUrl, const SyncOptions &given)
{
    if (isRunning())
        return;
    if (m_thread)
        m_thread->wait();
    m_cancelled = std::make_shared<std::atomic_bool>(false);
    SyncOptions options = given;
    const auto cancelled = m_cancelled;
    options.cancelled = [cancelled] { return cancelled->load(); };
    // The destructor waits for the thread, so `this` outlives it; the signals are emitted in
    // this object's thread.
    options.progress = [this](const QString &message) {
        QMetaObject::invokeMethod(this, [this, message] { Q_EMIT progress(message); }, Qt::QueuedConnection);
    };
    m_thread.reset(QThread::create([this, localUrl, options, cancelled] {
        bool ok = false;
        QString message;
        {
            auto db = Database::open(localUrl, QStringLiteral("first-sync-") + newUuidV7());
            if (!db) {
                message = db.error().message;
            } else {
                Database local = *db;
                {
                    Synchronizer synchronizer(local, options);
                    auto report = synchronizer.runOnce();
                    ok = bool(report);
                    message = ok ? QObject::tr("Synced: %1 records received.").arg(report->pulled)
                                 : (cancelled->load() ? QObject::tr("The first sync was cancelled; "
                                                                    "what arrived is kept.")
                                                      : report.error().message);
                }
                local.close();
            }
        }
        QMetaObject::invokeMethod(this, [this, ok, message] { Q_EMIT finished(ok, message); },
                                  Qt::QueuedConnection);
    }));
    m_thread->start();
}

} // namespace tmdash
