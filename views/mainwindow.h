#pragma once

#include "database.h"
#include "principal.h"
#include "syncindicator.h"

#include <QMainWindow>

class QLabel;
class QTabWidget;

namespace tmdash {

class IdleLock;
class PatientsPage;

// The clinic's main window: one tab per area of work (patients, schedule, waiting room), for the
// person logged in. After the idle time (IdleLock) it hides its contents until that person
// enters their password again; cancelling the unlock closes the window.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(const Database &db, const Principal &who, const QString &email, QWidget *parent = nullptr);

    IdleLock *idleLock() const { return m_idleLock; }
    PatientsPage *patientsPage() const { return m_patients; }
    bool isLocked() const { return m_locked; }
    QAction *syncNowAction() const { return m_syncNow; }

public Q_SLOTS:
    // The sync state in the status bar (objectName "syncState"); "Sync now" is offered when a
    // central is configured.
    void showSyncState(const tmdash::SyncIndicator &state);

Q_SIGNALS:
    void syncNowRequested();

private:
    void lockSession();

    Database m_db;
    Principal m_who;
    QString m_email;
    QTabWidget *m_tabs = nullptr;
    IdleLock *m_idleLock = nullptr;
    PatientsPage *m_patients = nullptr;
    QLabel *m_syncState = nullptr;
    QAction *m_syncNow = nullptr;
    bool m_locked = false;
};

} // namespace tmdash
