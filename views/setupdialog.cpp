#include "setupdialog.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace tmdash {

SetupDialog::SetupDialog(const QString &centralUrl, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Set up TMDash Clinic"));
    m_pages = new QStackedWidget(this);

    // Page 0: what to do with this empty database.
    auto *choose = new QWidget(m_pages);
    auto *chooseLayout = new QVBoxLayout(choose);
    auto *intro = new QLabel(tr("This desktop has no clinic data yet."), choose);
    auto *setUp = new QPushButton(tr("&Set up this desktop..."), choose);
    setUp->setObjectName(QStringLiteral("setUp"));
    auto *setUpHint = new QLabel(tr("Connect to your clinic's central server, copy the clinic's "
                                    "records here, then log in. Afterwards this desktop works "
                                    "offline too."),
                                 choose);
    setUpHint->setWordWrap(true);
    auto *demo = new QPushButton(tr("Open &demo data"), choose);
    demo->setObjectName(QStringLiteral("openDemo"));
    auto *demoHint = new QLabel(tr("A made-up clinic to try the program; it never syncs."), choose);
    demoHint->setWordWrap(true);
    chooseLayout->addWidget(intro);
    chooseLayout->addWidget(setUp);
    chooseLayout->addWidget(setUpHint);
    chooseLayout->addSpacing(12);
    chooseLayout->addWidget(demo);
    chooseLayout->addWidget(demoHint);
    chooseLayout->addStretch();
    m_pages->addWidget(choose);

    // Page 1: where the central is.
    auto *connectPage = new QWidget(m_pages);
    auto *form = new QFormLayout(connectPage);
    m_central = new QLineEdit(centralUrl, connectPage);
    m_central->setObjectName(QStringLiteral("centralUrl"));
    m_central->setPlaceholderText(QStringLiteral("postgresql://clinic_north@server:5432/tmdash"));
    m_clinic = new QLineEdit(connectPage);
    m_clinic->setObjectName(QStringLiteral("clinicId"));
    m_clinic->setPlaceholderText(tr("only for an administrator connection"));
    form->addRow(tr("&Central server:"), m_central);
    form->addRow(tr("C&linic id:"), m_clinic);
    auto *note = new QLabel(tr("The password is not stored: put it in ~/.pgpass, or start the "
                               "program with --central."),
                            connectPage);
    note->setWordWrap(true);
    form->addRow(note);
    m_pages->addWidget(connectPage);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setRange(0, 0); // busy: the size of a clinic is not known in advance
    m_progress->hide();

    m_back = new QPushButton(tr("&Back"), this);
    m_connect = new QPushButton(tr("C&onnect and sync"), this);
    m_connect->setObjectName(QStringLiteral("connect"));
    m_connect->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancel"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addStretch();
    buttons->addWidget(m_connect);
    buttons->addWidget(m_cancel);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    layout->addWidget(m_message);
    layout->addWidget(m_progress);
    layout->addLayout(buttons);

    const auto showPage = [this](int page) {
        m_pages->setCurrentIndex(page);
        m_back->setVisible(page == 1);
        m_connect->setVisible(page == 1);
        m_message->clear();
    };
    showPage(0);
    connect(setUp, &QPushButton::clicked, this, [showPage, this] {
        showPage(1);
        m_central->setFocus();
    });
    connect(m_back, &QPushButton::clicked, this, [showPage] { showPage(0); });
    connect(m_connect, &QPushButton::clicked, this, &SetupDialog::startSetUp);
    connect(demo, &QPushButton::clicked, this, [this] {
        m_choice = Choice::Demo;
        setBusy(true);
        showProgress(tr("Making the demo clinic..."));
        Q_EMIT demoRequested();
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_busy) {
            showProgress(tr("Cancelling..."));
            Q_EMIT cancelRequested();
        } else {
            reject();
        }
    });
}

QString SetupDialog::centralUrl() const
{
    return m_central->text().trimmed();
}

QString SetupDialog::clinicId() const
{
    return m_clinic->text().trimmed();
}

void SetupDialog::startSetUp()
{
    if (centralUrl().isEmpty()) {
        m_message->setText(tr("Enter the central server's address (postgresql://...)."));
        m_central->setFocus();
        return;
    }
    m_choice = Choice::SetUp;
    setBusy(true);
    showProgress(tr("Connecting..."));
    Q_EMIT setUpRequested(centralUrl(), clinicId());
}

void SetupDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_progress->setVisible(busy);
    m_pages->setEnabled(!busy);
    m_connect->setEnabled(!busy);
    m_back->setEnabled(!busy);
}

void SetupDialog::showProgress(const QString &message)
{
    m_message->setText(message);
}

void SetupDialog::finishWork(bool ok, const QString &message)
{
    setBusy(false);
    if (ok) {
        accept();
        return;
    }
    m_message->setText(message);
    m_choice = Choice::None;
}

} // namespace tmdash
