#pragma once

#include <QMainWindow>

class QTabWidget;

namespace tmdash {

// The clinic's main window: one tab per area of work (patients, schedule, waiting room).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

private:
    QTabWidget *m_tabs = nullptr;
};

} // namespace tmdash
