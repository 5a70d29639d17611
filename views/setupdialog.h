#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace tmdash {

// First run on an empty database (issue 8, "First run"): set up this desktop (central URL,
// clinic, first sync with progress and cancel) or open demo data. The dialog only asks and
// shows; the app runs the sync or the seeding (views never reach sync/) and reports back
// through the slots. Accepted with choice() once one of them finished.
class SetupDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Choice { None, SetUp, Demo };

    explicit SetupDialog(const QString &centralUrl = QString(), QWidget *parent = nullptr);

    Choice choice() const { return m_choice; }
    QString centralUrl() const;
    QString clinicId() const;

public Q_SLOTS:
    void showProgress(const QString &message);
    // The first sync (or the seeding) ended: accepted on success; otherwise the message stays
    // and the person may change the URL and try again.
    void finishWork(bool ok, const QString &message);

Q_SIGNALS:
    void setUpRequested(const QString &centralUrl, const QString &clinicId);
    void demoRequested();
    void cancelRequested();

private:
    void startSetUp();
    void setBusy(bool busy);

    Choice m_choice = Choice::None;
    bool m_busy = false;
    QStackedWidget *m_pages = nullptr;
    QLineEdit *m_central = nullptr;
    QLineEdit *m_clinic = nullptr;
    QLabel *m_message = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_connect = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_back = nullptr;
};

} // namespace tmdash
