#include "desktoppresence.h"

#include "clock.h"
#include "mainwindow.h"
#include "patientspage.h"

#include <QTimer>

namespace tmdash {

DesktopPresence::DesktopPresence(MainWindow *window, const QString &redisUrl, const ClinicId &clinic,
                                 const PresenceHolder &me, int pollMs)
    : m_worker(new PresenceWorker(redisUrl, clinic, me, pollMs))
{
    m_thread.setObjectName(QStringLiteral("tmdash-presence"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(&m_thread, &QThread::started, m_worker, &PresenceWorker::start);
    PatientsPage *patients = window->patientsPage();
    connect(patients, &PatientsPage::editingStarted, m_worker, &PresenceWorker::hold);
    connect(patients, &PatientsPage::editingStopped, m_worker, &PresenceWorker::release);
    connect(m_worker, &PresenceWorker::othersEditing, patients, &PatientsPage::showOtherEditors);
    m_thread.start();
}

DesktopPresence::~DesktopPresence()
{
    // The marks go with the desktop (they would expire by themselves after the TTL).
    QMetaObject::invokeMethod(m_worker, &PresenceWorker::releaseAll, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

PresenceWorker::PresenceWorker(const QString &redisUrl, const ClinicId &clinic,
                               const PresenceHolder &me, int pollMs)
    : m_redisUrl(redisUrl), m_clinic(clinic), m_me(me), m_ttl(presenceTtlSeconds())
{
    m_pollMs = pollMs > 0 ? pollMs : qMax(100, m_ttl * 1000 / 3);
}

void PresenceWorker::start()
{
    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &PresenceWorker::poll);
    m_timer->start(m_pollMs);
}

void PresenceWorker::hold(const QString &recordId)
{
    if (!m_held.contains(recordId))
        m_held << recordId;
    m_me.since = nowUtc();
    poll();
}

void PresenceWorker::release(const QString &recordId)
{
    if (!m_held.removeOne(recordId))
        return;
    const Status ignored = stopEditing(m_redisUrl, m_clinic, recordId, m_me); // else the TTL ends it
    Q_UNUSED(ignored)
    Q_EMIT othersEditing(recordId, {});
}

void PresenceWorker::releaseAll()
{
    const QStringList held = m_held;
    for (const QString &recordId : held)
        release(recordId);
}

void PresenceWorker::poll()
{
    for (const QString &recordId : std::as_const(m_held)) {
        QStringList names;
        // Refreshing the mark and reading the others; a failure shows nobody and is tried again
        // at the next poll.
        if (markEditing(m_redisUrl, m_clinic, recordId, m_me, m_ttl)) {
            if (auto holders = editors(m_redisUrl, m_clinic, recordId))
                for (const PresenceHolder &h : *holders)
                    if (h.device_id != m_me.device_id)
                        names << (h.display_name.isEmpty() ? h.user_id.value : h.display_name);
        }
        Q_EMIT othersEditing(recordId, names);
    }
}

} // namespace tmdash
