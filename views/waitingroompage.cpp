#include "waitingroompage.h"

#include "waitingroommodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace tmdash {

WaitingRoomPage::WaitingRoomPage(const Database &db, const Principal &who, QWidget *parent)
    : QWidget(parent), m_model(new WaitingRoomModel(db, who, this)),
      m_sort(new QSortFilterProxyModel(this)), m_summary(new QLabel(this)),
      m_table(new QTableView(this))
{
    setObjectName(QStringLiteral("waitingRoomPage"));
    m_sort->setSourceModel(m_model);
    m_sort->setSortRole(WaitingRoomModel::SortRole);
    m_sort->setDynamicSortFilter(true);

    m_summary->setObjectName(QStringLiteral("waitingSummary"));
    QFont font = m_summary->font();
    font.setBold(true);
    m_summary->setFont(font);

    m_table->setObjectName(QStringLiteral("waitingBoard"));
    m_table->setModel(m_sort);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(WaitingRoomModel::WaitingColumn, Qt::DescendingOrder);
    m_table->setColumnWidth(WaitingRoomModel::PatientColumn, 220);
    m_table->setColumnWidth(WaitingRoomModel::ProviderColumn, 200);
    m_table->setColumnWidth(WaitingRoomModel::RoomColumn, 90);
    m_table->setColumnWidth(WaitingRoomModel::StatusColumn, 120);
    m_table->setColumnWidth(WaitingRoomModel::SinceColumn, 80);

    connect(m_model, &WaitingRoomModel::refreshed, this, &WaitingRoomPage::updateSummary);
    connect(m_model, &WaitingRoomModel::loadFailed, this, [this](const QString &message) {
        m_summary->setStyleSheet(QStringLiteral("color: #b00020"));
        m_summary->setText(tr("The waiting room could not be read: %1").arg(message));
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    updateSummary();
    setFocusProxy(m_table);
}

void WaitingRoomPage::refresh()
{
    m_model->refresh();
}

void WaitingRoomPage::recordsChanged(const QStringList &ids)
{
    m_model->recordsChanged(ids);
}

void WaitingRoomPage::updateSummary()
{
    m_summary->setStyleSheet(QString());
    m_summary->setText(tr("%1 — %2 waiting, %3 with a provider")
                           .arg(QLocale().toString(m_model->day(), QLocale::LongFormat))
                           .arg(m_model->waitingCount())
                           .arg(m_model->inProgressCount()));
}

void WaitingRoomPage::saveState(QSettings &settings) const
{
    settings.setValue(QStringLiteral("waitingRoom/header"), m_table->horizontalHeader()->saveState());
}

void WaitingRoomPage::restoreState(const QSettings &settings)
{
    const QByteArray state = settings.value(QStringLiteral("waitingRoom/header")).toByteArray();
    if (!state.isEmpty())
        m_table->horizontalHeader()->restoreState(state);
}

} // namespace tmdash
