#pragma once

#include "syncengine.h"
#include "syncindicator.h"

#include <QObject>

#include <memory>

namespace tmdash {

class MainWindow;

// The app's wiring of the sync engine to the main window (views never reach sync/): the status
// bar follows the engine's state, "Sync now" asks it to run, and records a run changed are
// refreshed in place in the open tables.
class DesktopSync : public QObject
{
    Q_OBJECT
public:
    DesktopSync(MainWindow *window, const SyncEngineSettings &settings);
    ~DesktopSync() override;

    SyncEngine *engine() const { return m_engine.get(); }
    static SyncIndicator indicator(const SyncStatus &status);

private:
    std::unique_ptr<SyncEngine> m_engine;
};

} // namespace tmdash
