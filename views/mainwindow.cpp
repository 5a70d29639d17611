#include "mainwindow.h"

#include "clinicsettingspage.h"
#include "conflictsdialog.h"
#include "idlelock.h"
#include "logindialog.h"
#include "patientspage.h"
#include "permissions.h"
#include "schedulepage.h"
#include "userspage.h"
#include "waitingroompage.h"

#include <QAction>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>

namespace tmdash {

namespace {

// Where the desktop app keeps its settings. The format follows QSettings::defaultFormat(), so
// tests can point it at a temporary directory (QSettings::setPath).
const QString kOrganization = QStringLiteral("TMDash");
const QString kApplication = QStringLiteral("TMDash Clinic");

} // namespace

MainWindow::MainWindow(const Database &db, const Principal &who, const QString &email, QWidget *parent)
    : QMainWindow(parent), m_db(db), m_who(who), m_email(email), m_tabs(new QTabWidget(this)),
      m_idleLock(new IdleLock(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("TMDash Clinic — %1").arg(email));
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    setCentralWidget(m_tabs);
    m_patients = new PatientsPage(m_db, m_who, m_tabs);
    m_tabs->addTab(m_patients, tr("&Patients"));
    QMenu *patientsMenu = menuBar()->addMenu(tr("P&atients"));
    patientsMenu->addActions({m_patients->findPatientAction(), m_patients->newPatientAction(),
                              m_patients->closeChartAction()});

    m_schedule = new SchedulePage(m_db, m_who, m_tabs);
    m_tabs->addTab(m_schedule, tr("S&chedule"));
    m_waitingRoom = new WaitingRoomPage(m_db, m_who, m_tabs);
    m_tabs->addTab(m_waitingRoom, tr("&Waiting room"));
    QMenu *scheduleMenu = menuBar()->addMenu(tr("Sc&hedule"));
    scheduleMenu->setObjectName(QStringLiteral("scheduleMenu"));
    for (QAction *action : m_schedule->menuActions()) {
        if (!action) {
            scheduleMenu->addSeparator();
            continue;
        }
        scheduleMenu->addAction(action);
        // The schedule's actions work from any tab; the schedule comes to the front.
        connect(action, &QAction::triggered, this,
                [this] { m_tabs->setCurrentWidget(m_schedule); });
    }
    // Checking a patient in (or any change made in the schedule) reaches the board at once.
    connect(m_schedule, &SchedulePage::appointmentChanged, m_waitingRoom,
            [this](const QString &id) { m_waitingRoom->recordsChanged({id}); });
    if (principalMay(m_who, Action::ManageUsers)) {
        m_users = new UsersPage(m_db, m_who, m_tabs);
        m_users->setObjectName(QStringLiteral("usersPage"));
        m_tabs->addTab(m_users, tr("&Users"));
        QMenu *usersMenu = menuBar()->addMenu(tr("&Users"));
        for (QAction *action : {m_users->addUserAction(), m_users->disableAction(),
                                m_users->unlockAction(), m_users->resetTotpAction()})
            if (action)
                usersMenu->addAction(action);
    }
    if (principalMay(m_who, Action::ManageClinic)) {
        m_clinic = new ClinicSettingsPage(m_db, m_who, m_tabs);
        m_clinic->setObjectName(QStringLiteral("clinicSettingsPage"));
        m_tabs->addTab(m_clinic, tr("C&linic settings"));
    }
    m_syncState = new QLabel(this);
    m_syncState->setObjectName(QStringLiteral("syncState"));
    statusBar()->addWidget(m_syncState, 1);
    m_syncNow = new QAction(tr("&Sync now"), this);
    m_syncNow->setObjectName(QStringLiteral("syncNow"));
    m_syncNow->setShortcut(QKeySequence(Qt::Key_F5));
    connect(m_syncNow, &QAction::triggered, this, &MainWindow::syncNowRequested);
    m_showConflicts = new QAction(tr("&Conflicts and rejections…"), this);
    m_showConflicts->setObjectName(QStringLiteral("showConflicts"));
    m_showConflicts->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    connect(m_showConflicts, &QAction::triggered, this, &MainWindow::showConflicts);
    QMenu *syncMenu = menuBar()->addMenu(tr("&Sync"));
    syncMenu->addActions({m_syncNow, m_showConflicts});
    showSyncState(SyncIndicator{});
    resize(1200, 760);
    restoreSettings();
    connect(m_idleLock, &IdleLock::lockRequested, this, &MainWindow::lockSession);
    m_idleLock->start();
}

void MainWindow::showSyncState(const SyncIndicator &state)
{
    m_syncState->setText(state.text());
    m_syncState->setToolTip(state.lastError);
    m_syncNow->setEnabled(state.configured && !state.syncing);
}

void MainWindow::recordsChanged(const QStringList &ids)
{
    if (ids.isEmpty())
        return;
    m_patients->recordsChanged(ids);
    m_schedule->recordsChanged(ids);
    m_waitingRoom->recordsChanged(ids);
    // The admin pages re-read in place (and leave unsaved edits alone).
    if (m_users)
        m_users->refresh();
    if (m_clinic)
        m_clinic->refresh();
    if (m_conflicts)
        m_conflicts->refresh();
}

ConflictsDialog *MainWindow::showConflicts()
{
    if (!m_conflicts) {
        m_conflicts = new ConflictsDialog(m_db, m_who, this);
        m_conflicts->setObjectName(QStringLiteral("conflictsDialog"));
        connect(m_conflicts, &ConflictsDialog::resolved, this, &MainWindow::conflictsResolved);
    }
    m_conflicts->show();
    m_conflicts->raise();
    m_conflicts->activateWindow();
    return m_conflicts;
}

void MainWindow::restoreSettings()
{
    const QSettings settings(QSettings::defaultFormat(), QSettings::UserScope, kOrganization,
                             kApplication);
    const QByteArray geometry = settings.value(QStringLiteral("mainWindow/geometry")).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    const QString tab = settings.value(QStringLiteral("mainWindow/tab")).toString();
    for (int i = 0; i < m_tabs->count(); ++i)
        if (m_tabs->widget(i)->objectName() == tab)
            m_tabs->setCurrentIndex(i);
    const QByteArray patients =
        settings.value(QStringLiteral("patients/header")).toByteArray();
    if (!patients.isEmpty())
        m_patients->table()->horizontalHeader()->restoreState(patients);
    m_schedule->restoreState(settings);
    m_waitingRoom->restoreState(settings);
}

void MainWindow::saveSettings() const
{
    QSettings settings(QSettings::defaultFormat(), QSettings::UserScope, kOrganization,
                       kApplication);
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    if (QWidget *current = m_tabs->currentWidget())
        settings.setValue(QStringLiteral("mainWindow/tab"), current->objectName());
    settings.setValue(QStringLiteral("patients/header"),
                       m_patients->table()->horizontalHeader()->saveState());
    m_schedule->saveState(settings);
    m_waitingRoom->saveState(settings);
    settings.sync();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::lockSession()
{
    if (m_locked)
        return;
    m_locked = true;
    // Nothing of the open records stays on screen: the tabs, and the forms and dialogs open over
    // them (hidden, not closed, so that what was typed is still there after the unlock).
    m_tabs->hide();
    QList<QPointer<QWidget>> hidden;
    for (QWidget *w : findChildren<QWidget *>())
        if (w->isWindow() && w->isVisible()) {
            hidden << w;
            w->hide();
        }
    auto *dialog = new LoginDialog(m_db, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->lockTo(m_email);
    connect(dialog, &QDialog::accepted, this, [this, dialog, hidden] {
        if (dialog->principal().user_id != m_who.user_id) {
            close();
            return;
        }
        m_locked = false;
        m_tabs->show();
        for (const QPointer<QWidget> &w : hidden)
            if (w)
                w->show();
        m_idleLock->start();
    });
    connect(dialog, &QDialog::rejected, this, &QWidget::close);
    dialog->open();
}

} // namespace tmdash
