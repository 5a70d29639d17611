#include "desktopsync.h"

#include "mainwindow.h"

namespace tmdash {

DesktopSync::DesktopSync(MainWindow *window, const SyncEngineSettings &settings)
    : m_engine(std::make_unique<SyncEngine>(settings))
{
    connect(m_engine.get(), &SyncEngine::statusChanged, window,
            [window](const SyncStatus &status) { window->showSyncState(indicator(status)); });
    connect(m_engine.get(), &SyncEngine::synced, window, [window](const SyncReport &report, const QString &) {
        QStringList ids;
        for (const QStringList &ofTable : report.changedRecords)
            ids += ofTable;
        window->recordsChanged(ids);
    });
    connect(window, &MainWindow::syncNowRequested, m_engine.get(), &SyncEngine::syncNow);
    // A resolution is a change to send, and the conflict counts in the status bar move with it.
    connect(window, &MainWindow::conflictsResolved, m_engine.get(), &SyncEngine::syncNow);
    m_engine->start();
}

DesktopSync::~DesktopSync()
{
    m_engine->stop();
}

SyncIndicator DesktopSync::indicator(const SyncStatus &s)
{
    SyncIndicator i;
    i.configured = true;
    i.online = s.online;
    i.syncing = s.syncing;
    i.pending = s.pending;
    i.lastSuccess = s.lastSuccess;
    i.openConflicts = s.openConflicts;
    i.rejections = s.rejections;
    i.stalled = s.stalled;
    i.lastError = s.lastError;
    i.redisConfigured = s.redisConfigured;
    i.redisOnline = s.redisOnline;
    return i;
}

} // namespace tmdash
