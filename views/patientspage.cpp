#include "patientspage.h"

#include "patientchart.h"
#include "patientform.h"
#include "patientsortfiltermodel.h"
#include "patienttablemodel.h"
#include "permissions.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace tmdash {

PatientsPage::PatientsPage(const Database &db, const Principal &who, QWidget *parent)
    : QWidget(parent), m_db(db), m_who(who), m_model(new PatientTableModel(db, who, this)),
      m_sort(new PatientSortFilterModel(this)), m_tabs(new QTabWidget(this)),
      m_search(new QLineEdit(this)), m_status(new QLabel(this)), m_table(new QTableView(this)),
      m_newPatient(new QAction(tr("&New patient…"), this)),
      m_findPatient(new QAction(tr("&Find patient"), this)),
      m_closeChart(new QAction(tr("&Close chart"), this))
{
    setObjectName(QStringLiteral("patientsPage"));
    m_sort->setSourceModel(m_model);

    m_newPatient->setObjectName(QStringLiteral("newPatientAction"));
    m_newPatient->setShortcut(QKeySequence::New);
    m_newPatient->setEnabled(principalMay(who, Action::WritePatients));
    m_findPatient->setObjectName(QStringLiteral("findPatientAction"));
    m_findPatient->setShortcut(QKeySequence::Find);
    m_closeChart->setObjectName(QStringLiteral("closeChartAction"));
    m_closeChart->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
    addActions({m_findPatient, m_newPatient, m_closeChart});
    connect(m_newPatient, &QAction::triggered, this, [this] { newPatient(); });
    connect(m_findPatient, &QAction::triggered, this, [this] {
        m_tabs->setCurrentIndex(0);
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    connect(m_closeChart, &QAction::triggered, this,
            [this] { closeChartTab(m_tabs->currentIndex()); });

    m_search->setObjectName(QStringLiteral("patientSearch"));
    m_search->setPlaceholderText(tr("Find a patient: name, MRN, phone or birth date (YYYY-MM-DD)"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(kSearchDelayMs);
    connect(m_search, &QLineEdit::textChanged, &m_searchDelay, qOverload<>(&QTimer::start));
    connect(&m_searchDelay, &QTimer::timeout, this, &PatientsPage::runSearch);

    m_status->setObjectName(QStringLiteral("searchStatus"));
    m_status->setText(tr("All patients, by name"));
    connect(m_model, &PatientTableModel::searchAnswered, m_status, [this](int matches) {
        m_status->setStyleSheet(QString());
        m_status->setText(matches == 0 ? tr("No patient matches “%1”.").arg(m_model->searchText())
                                       : tr("%n patient(s) found", "", matches));
    });
    connect(m_model, &PatientTableModel::loadFailed, m_status, [this](const QString &message) {
        m_status->setStyleSheet(QStringLiteral("color: #b00020"));
        m_status->setText(tr("The patients could not be read: %1").arg(message));
    });

    m_table->setObjectName(QStringLiteral("patientTable"));
    m_table->setModel(m_sort);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Unsorted until a column is clicked: the store's order (by name) shows as it loads.
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->setSortingEnabled(true);
    m_table->setColumnWidth(PatientTableModel::MrnColumn, 120);
    m_table->setColumnWidth(PatientTableModel::FamilyNameColumn, 160);
    m_table->setColumnWidth(PatientTableModel::GivenNameColumn, 160);
    m_table->setColumnWidth(PatientTableModel::BirthDateColumn, 100);
    m_table->setColumnWidth(PatientTableModel::SexColumn, 80);
    m_table->setColumnWidth(PatientTableModel::PhoneColumn, 140);
    connect(m_table, &QAbstractItemView::activated, this, &PatientsPage::activateRow);

    auto *newButton = new QToolButton(this);
    newButton->setObjectName(QStringLiteral("newPatientButton"));
    newButton->setDefaultAction(m_newPatient);
    newButton->setToolButtonStyle(Qt::ToolButtonTextOnly);

    auto *list = new QWidget(this);
    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(newButton);
    auto *listLayout = new QVBoxLayout(list);
    listLayout->addLayout(searchRow);
    listLayout->addWidget(m_status);
    listLayout->addWidget(m_table, 1);

    m_tabs->setObjectName(QStringLiteral("patientTabs"));
    m_tabs->setTabsClosable(true);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(list, tr("Patient list"));
    for (auto side : {QTabBar::LeftSide, QTabBar::RightSide})
        if (QWidget *close = m_tabs->tabBar()->tabButton(0, side))
            close->hide(); // the list stays
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &PatientsPage::closeChartTab);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    setFocusProxy(m_search);
}

void PatientsPage::runSearch()
{
    m_searchDelay.stop();
    m_model->setSearchText(m_search->text());
    if (!m_model->isSearching()) {
        m_status->setStyleSheet(QString());
        m_status->setText(tr("All patients, by name"));
    }
}

bool PatientsPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Down) {
            // From the search straight into the results, keyboard only.
            if (m_searchDelay.isActive())
                runSearch();
            if (m_sort->rowCount() > 0) {
                m_table->setFocus(Qt::TabFocusReason);
                if (!m_table->selectionModel()->hasSelection())
                    m_table->selectRow(0);
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void PatientsPage::activateRow(const QModelIndex &index)
{
    const QString id = index.data(PatientTableModel::PatientIdRole).toString();
    if (!id.isEmpty())
        openChart(PatientId(id));
}

void PatientsPage::closeChartTab(int index)
{
    if (index <= 0) // the list stays
        return;
    QWidget *chart = m_tabs->widget(index);
    m_tabs->removeTab(index);
    chart->deleteLater();
    if (m_tabs->currentIndex() == 0)
        m_table->setFocus();
}

PatientsPage::~PatientsPage()
{
    // The open charts are deleted after this page's destructor (with its children): what they
    // report then (an edit form closed with them) must not reach this half-destroyed page.
    for (int i = 1; i < m_tabs->count(); ++i)
        if (auto *chart = qobject_cast<PatientChart *>(m_tabs->widget(i)))
            disconnect(chart, nullptr, this, nullptr);
}

PatientChart *PatientsPage::chartFor(const PatientId &patient) const
{
    for (int i = 1; i < m_tabs->count(); ++i)
        if (auto *chart = qobject_cast<PatientChart *>(m_tabs->widget(i)))
            if (chart->patientId() == patient)
                return chart;
    return nullptr;
}

PatientChart *PatientsPage::openChart(const PatientId &patient)
{
    PatientChart *chart = chartFor(patient);
    if (!chart) {
        chart = new PatientChart(m_db, m_who, patient, m_tabs);
        connect(chart, &PatientChart::editingStarted, this, &PatientsPage::editingStarted);
        connect(chart, &PatientChart::editingStopped, this, &PatientsPage::editingStopped);
        const int index = m_tabs->addTab(chart, chart->patient().displayName());
        m_tabs->setTabToolTip(index, chart->patient().mrn);
        connect(chart, &PatientChart::titleChanged, this, [this, chart](const QString &title) {
            if (const int i = m_tabs->indexOf(chart); i >= 0)
                m_tabs->setTabText(i, title);
        });
        connect(chart, &PatientChart::patientSaved, m_model,
                [this](const PatientId &id) { m_model->recordsChanged({id.value}); });
    }
    m_tabs->setCurrentWidget(chart);
    return chart;
}

PatientForm *PatientsPage::newPatient()
{
    if (!m_newPatient->isEnabled())
        return nullptr;
    auto *form = new PatientForm(m_db, m_who, this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    connect(form, &PatientForm::saved, this, [this](const Patient &saved) {
        m_model->recordsChanged({saved.id.value});
        selectPatient(saved.id);
    });
    form->open();
    return form;
}

void PatientsPage::selectPatient(const PatientId &patient)
{
    const int row = m_model->rowOf(patient.value);
    if (row < 0)
        return;
    const QModelIndex index = m_sort->mapFromSource(m_model->index(row, 0));
    m_table->selectRow(index.row());
    m_table->scrollTo(index);
}

void PatientsPage::recordsChanged(const QStringList &ids)
{
    m_model->recordsChanged(ids);
    // A chart shows records of many kinds (vitals, notes, prescriptions, appointments): each
    // open chart picks out its own.
    for (int i = 1; i < m_tabs->count(); ++i)
        if (auto *chart = qobject_cast<PatientChart *>(m_tabs->widget(i)))
            chart->recordsChanged(ids);
}

void PatientsPage::showOtherEditors(const QString &recordId, const QStringList &names)
{
    for (int i = 1; i < m_tabs->count(); ++i)
        if (auto *chart = qobject_cast<PatientChart *>(m_tabs->widget(i)))
            chart->showOtherEditors(recordId, names);
}

} // namespace tmdash
