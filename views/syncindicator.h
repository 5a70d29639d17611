#pragma once

#include <QDateTime>
#include <QString>

namespace tmdash {

// What the status bar shows about sync. The app fills it from the sync engine's state (views
// never reach sync/, DESIGN.md "Layout and layers").
struct SyncIndicator
{
    bool configured = false; // a central is known: otherwise the desktop works alone
    bool online = false;
    bool syncing = false;
    int pending = 0;
    QDateTime lastSuccess;
    int openConflicts = 0;
    int rejections = 0;
    bool stalled = false;
    QString lastError;
    bool redisConfigured = false;
    bool redisOnline = false;

    // One line for people, e.g. "Online · 3 to send · last sync 10:42 · 1 conflict".
    QString text() const;
};

} // namespace tmdash
