#pragma once

#include <QDateTime>
#include <QString>

namespace tmdash {

// What the sync engine reports about itself (DESIGN.md, "Sync").
struct SyncStatus
{
    bool online = false;
    int pending = 0;
    QDateTime lastSuccess;
    int openConflicts = 0;
    int rejections = 0;
    bool stalled = false;
    QString lastError;
};

} // namespace tmdash
