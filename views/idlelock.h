#pragma once

#include <QObject>
#include <QTimer>

namespace tmdash {

// Locks the desktop session after a stretch without keyboard or mouse input (DESIGN.md,
// "Security"): watches the application's input events and emits lockRequested() once the idle
// time has passed; the window then hides its contents and asks for the password again. The
// idle time is TMDASH_IDLE_LOCK_MINUTES (default 10) unless set explicitly.
class IdleLock : public QObject
{
    Q_OBJECT
public:
    explicit IdleLock(QObject *parent = nullptr);
    ~IdleLock() override;

    static int defaultIdleMilliseconds();
    void setIdleMilliseconds(int milliseconds);
    int idleMilliseconds() const { return m_timer.interval(); }

    // Starts watching (after a login); stop() while the session is locked or logged out.
    void start();
    void stop();
    bool isWatching() const { return m_timer.isActive(); }

Q_SIGNALS:
    void lockRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QTimer m_timer;
};

} // namespace tmdash
