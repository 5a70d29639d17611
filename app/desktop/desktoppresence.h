#pragma once

#include "livestate.h"

#include <QObject>
#include <QThread>

class QTimer;

namespace tmdash {

class MainWindow;
class PresenceWorker;

// The app's wiring of live presence (sync/livestate) to the open charts: while this person has a
// patient's edit form open, the desktop marks them as editing that record in Redis (refreshed
// well before the mark's TTL runs out, removed when the form closes), and the chart and form
// show who else is editing it. The Redis calls run on a thread of their own: with Redis slow or
// down nobody else is shown, and the window never waits.
class DesktopPresence : public QObject
{
    Q_OBJECT
public:
    // `pollMs` is how often the marks are refreshed and the other editors read (0: a third of
    // the TTL, TMDASH_PRESENCE_TTL_SECONDS).
    DesktopPresence(MainWindow *window, const QString &redisUrl, const ClinicId &clinic,
                    const PresenceHolder &me, int pollMs = 0);
    ~DesktopPresence() override;

private:
    QThread m_thread;
    PresenceWorker *m_worker = nullptr;
};

// Runs on DesktopPresence's thread.
class PresenceWorker : public QObject
{
    Q_OBJECT
public:
    PresenceWorker(const QString &redisUrl, const ClinicId &clinic, const PresenceHolder &me, int pollMs);

public Q_SLOTS:
    void start();
    void hold(const QString &recordId);
    void release(const QString &recordId);
    void releaseAll();

Q_SIGNALS:
    // The other people editing `recordId` now (empty: nobody, or Redis unreachable).
    void othersEditing(const QString &recordId, const QStringList &names);

private:
    void poll();

    QString m_redisUrl;
    ClinicId m_clinic;
    PresenceHolder m_me;
    int m_pollMs;
    int m_ttl;
    QStringList m_held;
    QTimer *m_timer = nullptr;
};

} // namespace tmdash
