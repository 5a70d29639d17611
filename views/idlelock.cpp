#include "idlelock.h"

#include <QCoreApplication>
#include <QEvent>

namespace tmdash {

IdleLock::IdleLock(QObject *parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(defaultIdleMilliseconds());
    connect(&m_timer, &QTimer::timeout, this, &IdleLock::lockRequested);
    QCoreApplication::instance()->installEventFilter(this);
}

IdleLock::~IdleLock()
{
    if (QCoreApplication *app = QCoreApplication::instance())
        app->removeEventFilter(this);
}

int IdleLock::defaultIdleMilliseconds()
{
    bool ok = false;
    const int minutes = qEnvironmentVariableIntValue("TMDASH_IDLE_LOCK_MINUTES", &ok);
    return (ok && minutes > 0 ? minutes : 10) * 60 * 1000;
}

void IdleLock::setIdleMilliseconds(int milliseconds)
{
    m_timer.setInterval(milliseconds);
    if (m_timer.isActive())
        m_timer.start();
}

void IdleLock::start()
{
    m_timer.start();
}

void IdleLock::stop()
{
    m_timer.stop();
}

bool IdleLock::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
        if (m_timer.isActive())
            m_timer.start(); // input: the idle time starts over
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace tmdash
