#include "mainwindow.h"

#include "idlelock.h"
#include "logindialog.h"
#include "patientspage.h"

#include <QAction>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>

namespace tmdash {

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
    m_syncState = new QLabel(this);
    m_syncState->setObjectName(QStringLiteral("syncState"));
    statusBar()->addWidget(m_syncState, 1);
    m_syncNow = new QAction(tr("&Sync now"), this);
    m_syncNow->setObjectName(QStringLiteral("syncNow"));
    m_syncNow->setShortcut(QKeySequence(Qt::Key_F5));
    connect(m_syncNow, &QAction::triggered, this, &MainWindow::syncNowRequested);
    menuBar()->addMenu(tr("&Sync"))->addAction(m_syncNow);
    showSyncState(SyncIndicator{});
    resize(1200, 760);
    connect(m_idleLock, &IdleLock::lockRequested, this, &MainWindow::lockSession);
    m_idleLock->start();
}

void MainWindow::showSyncState(const SyncIndicator &state)
{
    m_syncState->setText(state.text());
    m_syncState->setToolTip(state.lastError);
    m_syncNow->setEnabled(state.configured && !state.syncing);
}

void MainWindow::lockSession()
{
    if (m_locked)
        return;
    m_locked = true;
    m_tabs->hide(); // nothing of the open records stays on screen
    auto *dialog = new LoginDialog(m_db, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->lockTo(m_email);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (dialog->principal().user_id != m_who.user_id) {
            close();
            return;
        }
        m_locked = false;
        m_tabs->show();
        m_idleLock->start();
    });
    connect(dialog, &QDialog::rejected, this, &QWidget::close);
    dialog->open();
}

} // namespace tmdash
