#pragma once

#include "result.h"

#include <QJsonObject>
#include <QString>

#include <functional>

namespace tmdash {

// The storage benchmark (issue 4, `tmdashctl bench storage`). It measures and reports; it never
// judges: the goals are printed next to the figures, and no figure makes the run fail.
struct StorageBenchOptions
{
    int patients = 100000;
    int vitals = 1000000;
    int searches = 1000;
    int charts = 1000;
    // Store creates per all-or-nothing outer Transaction (transaction.h), with no savepoint per
    // create. Not one for the whole phase, as the raw side has: a transaction that writes more
    // than the page cache holds spills pages into the WAL, and every later read that misses the
    // cache searches the WAL's index, which grows with the transaction. A million vitals in one
    // gave 0.47x in total; with a commit every 50,000 creates, 0.53x (full run, same binary).
    int batch = 50000;
    quint64 seed = 20240501;
    // Parent of the fresh directory that holds the two database files; empty: the system's
    // temporary directory. The directory is removed afterwards unless `keep`.
    QString dir;
    bool keep = false;
};

// Percentiles by nearest rank over `count` timed calls, in milliseconds.
struct LatencyFigures
{
    int count = 0;
    double p50_ms = 0;
    double p95_ms = 0;
    double p99_ms = 0;
    double mean_ms = 0;
    double max_ms = 0;
};

// One write phase: `records` domain records (patients or vitals) made of `rows` table rows
// (the records, their owned-list rows, search-index rows and outbox rows).
struct WriteFigures
{
    qint64 records = 0;
    qint64 rows = 0;
    double seconds = 0;

    double recordsPerSecond() const { return seconds > 0 ? double(records) / seconds : 0; }
    double rowsPerSecond() const { return seconds > 0 ? double(rows) / seconds : 0; }
};

struct StorageBenchResult
{
    StorageBenchOptions options;
    QString storesFile;
    QString rawFile;
    QString sqliteVersion;

    WriteFigures storePatients;
    WriteFigures storeVitals;
    WriteFigures rawPatients;
    WriteFigures rawVitals; // includes the raw transaction's single COMMIT
    // Row counts of every written table agree between the two files.
    bool sameRows = false;

    LatencyFigures search;
    double searchMeanHits = 0;
    LatencyFigures chart;
    double chartMeanVitals = 0;

    qint64 peakRssKiB = 0;
};

// Runs the whole benchmark on two fresh SQLite files. `progress` gets a line now and then (for
// stderr). Fails only when something could not be written or read (a Storage or Invalid error
// from a store, an SQLite error on the raw path).
Result<StorageBenchResult> runStorageBench(const StorageBenchOptions &options,
                                           const std::function<void(const QString &)> &progress);

// Every figure and ratio, for `--json`.
QJsonObject storageBenchJson(const StorageBenchResult &result);
// The same figures for people.
QString storageBenchText(const StorageBenchResult &result);

} // namespace tmdash
