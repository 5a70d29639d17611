#pragma once

#include "database.h"
#include "principal.h"
#include "syncindicator.h"

#include <QMainWindow>
#include <QStringList>

class QLabel;
class QTabWidget;

namespace tmdash {

class ClinicSettingsPage;
class ConflictsDialog;
class IdleLock;
class PatientsPage;
class SchedulePage;
class UsersPage;
class WaitingRoomPage;

// The clinic's main window: one tab per area of work (patients, schedule, waiting room, and for
// admins users and clinic settings), for the
// person logged in. After the idle time (IdleLock) it hides its contents until that person
// enters their password again; cancelling the unlock closes the window. Its geometry, the last
// tab and the pages' column widths are remembered (QSettings "TMDash" / "TMDash Clinic", saved
// when the window closes).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(const Database &db, const Principal &who, const QString &email, QWidget *parent = nullptr);

    IdleLock *idleLock() const { return m_idleLock; }
    PatientsPage *patientsPage() const { return m_patients; }
    SchedulePage *schedulePage() const { return m_schedule; }
    WaitingRoomPage *waitingRoomPage() const { return m_waitingRoom; }
    // The admin pages: null for a role that may not manage users or the clinic.
    UsersPage *usersPage() const { return m_users; }
    ClinicSettingsPage *clinicSettingsPage() const { return m_clinic; }
    QTabWidget *tabs() const { return m_tabs; }
    bool isLocked() const { return m_locked; }
    QAction *syncNowAction() const { return m_syncNow; }

public Q_SLOTS:
    // The sync state in the status bar (objectName "syncState"); "Sync now" is offered when a
    // central is configured.
    void showSyncState(const tmdash::SyncIndicator &state);
    // Records changed elsewhere (sync, another window): every page brings what it shows in step
    // in place. Ids of any entity may be mixed; each page ignores those it does not show.
    void recordsChanged(const QStringList &ids);
    // Opens (or raises) the conflicts and rejections dialog (Sync menu, Ctrl+Shift+K).
    ConflictsDialog *showConflicts();

Q_SIGNALS:
    void syncNowRequested();
    // A conflict or rejection was handled in the dialog: the status bar counts are stale.
    void conflictsResolved();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void lockSession();
    void restoreSettings();
    void saveSettings() const;

    Database m_db;
    Principal m_who;
    QString m_email;
    QTabWidget *m_tabs = nullptr;
    IdleLock *m_idleLock = nullptr;
    PatientsPage *m_patients = nullptr;
    SchedulePage *m_schedule = nullptr;
    WaitingRoomPage *m_waitingRoom = nullptr;
    UsersPage *m_users = nullptr;
    ClinicSettingsPage *m_clinic = nullptr;
    ConflictsDialog *m_conflicts = nullptr;
    QAction *m_showConflicts = nullptr;
    QLabel *m_syncState = nullptr;
    QAction *m_syncNow = nullptr;
    bool m_locked = false;
};

} // namespace tmdash
