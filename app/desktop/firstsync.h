#pragma once

#include "synchronizer.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace tmdash {

// Runs a desktop's first sync off the UI thread (its own database connections), reporting
// progress and the end in the thread that owns it; cancel() stops it between pages, keeping what
// was committed (the next sync goes on from there).
class FirstSync : public QObject
{
    Q_OBJECT
public:
    explicit FirstSync(QObject *parent = nullptr);
    ~FirstSync() override; // cancels and waits

    void start(const QString &localUrl, const SyncOptions &options);
    void cancel();
    bool isRunning() const;

Q_SIGNALS:
    void progress(const QString &message);
    void finished(bool ok, const QString &message);

private:
    std::unique_ptr<QThread> m_thread;
    std::shared_ptr<std::atomic_bool> m_cancelled;
};

} // namespace tmdash
