#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace tmdash {

// What the sync engine reports about itself (DESIGN.md, "Sync").
struct SyncStatus
{
    bool online = false;
    int pending = 0;       // outbox rows to push
    QDateTime lastSuccess;
    int openConflicts = 0;
    int rejections = 0;    // refused changes waiting for a person
    bool stalled = false;  // the pull watermark stopped moving
    QString lastError;
    QString clinicId;
    QStringList missingOnCentral; // after a resync: "table id" the central lacks
    // Known only to a running SyncEngine:
    bool redisConfigured = false;
    bool redisOnline = false; // notifications arrive; otherwise the engine polls
    bool syncing = false;
};

} // namespace tmdash
