#include "desktopsync.h"

#include "mainwindow.h"
#include "patientspage.h"

namespace tmdash {

DesktopSync::DesktopSync(MainWindow *window, const SyncEngineSettings &settings)
    : m_engine(std::make_unique<SyncEngine>(settings))
{
    connect(m_engine.get(), &SyncEngine::statusChanged, window,
            [window](const SyncStatus &status) { window->showSyncState(indicator(status)); });
    connect(m_engine.get(), &SyncEngine::synced, window, [window](const SyncReport &report, const QString &) {
        const QStringList patients = report.changedRecords.value(QStringLiteral("patients"));
        if (!patients.isEmpty())
            window->patientsPage()->recordsChanged(patients);
    });
    connect(window, &MainWindow::syncNowRequested, m_engine.get(), &SyncEngine::syncNow);
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
