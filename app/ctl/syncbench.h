#pragma once

#include "result.h"

#include <QJsonObject>
#include <QString>

#include <functional>

namespace tmdash {

// The sync benchmark (issue 6, `tmdashctl bench sync`): push and pull through the real engine
// beside the raw baselines measured in the same run. It reports; it never judges.
struct SyncBenchOptions
{
    QString adminUrl; // a PostgreSQL URL whose user may create databases (and read server files)
    int changes = 100000;
    QString dir; // parent of the temporary files; empty: the system's temporary directory
};

struct SyncBenchResult
{
    int changes = 0;
    double pushSeconds = 0; // the desktop's outbox through tmdash_push, acknowledged locally
    double copySeconds = 0; // COPY of the same rows into the same table on the same central
    double pullSeconds = 0; // an empty desktop pulling them (with the clinic's few other rows)
    qint64 pulled = 0;
    double rawInsertSeconds = 0; // the same rows by raw sqlite3 prepared inserts, one transaction

    double pushPerSecond() const { return pushSeconds > 0 ? changes / pushSeconds : 0; }
    double copyPerSecond() const { return copySeconds > 0 ? changes / copySeconds : 0; }
    double pullPerSecond() const { return pullSeconds > 0 ? double(pulled) / pullSeconds : 0; }
    double rawPerSecond() const { return rawInsertSeconds > 0 ? changes / rawInsertSeconds : 0; }
};

// Makes a scratch database beside the admin URL's (dropped afterwards) and two desktop files.
Result<SyncBenchResult> runSyncBench(const SyncBenchOptions &options,
                                     const std::function<void(const QString &)> &progress);

QJsonObject syncBenchJson(const SyncBenchResult &result);
QString syncBenchText(const SyncBenchResult &result);

// The notification benchmark (issue 7, `tmdashctl bench notify`): single edits on desktop A,
// each pushed with its announcement, until desktop B's SyncEngine has it in its store; beside
// raw Redis publish -> receive on the same server in the same run.
struct NotifyBenchOptions
{
    QString adminUrl;
    QString redisUrl;
    int edits = 1000;
    QString dir;
};

struct LatencySummary
{
    int count = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    double max_ms = 0;
};

struct NotifyBenchResult
{
    LatencySummary edit;    // A's commit -> in B's store
    LatencySummary raw;     // PUBLISH -> message received
    int byPoll = 0;         // edits B got some other way than a notification (should be 0)
};

Result<NotifyBenchResult> runNotifyBench(const NotifyBenchOptions &options,
                                         const std::function<void(const QString &)> &progress);
QJsonObject notifyBenchJson(const NotifyBenchResult &result);
QString notifyBenchText(const NotifyBenchResult &result);

} // namespace tmdash
