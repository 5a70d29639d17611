#include "mainwindow.h"

#include <QLabel>
#include <QStatusBar>
#include <QTabWidget>

namespace tmdash {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent), m_tabs(new QTabWidget(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("TMDash Clinic"));
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    setCentralWidget(m_tabs);
    statusBar()->showMessage(tr("Offline"));
    resize(1200, 760);
}

} // namespace tmdash
