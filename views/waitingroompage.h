#pragma once

#include "database.h"
#include "principal.h"

#include <QStringList>
#include <QWidget>

class QLabel;
class QSettings;
class QSortFilterProxyModel;
class QTableView;

namespace tmdash {

class WaitingRoomModel;

// The Waiting room tab: the board of today's checked-in patients and visits in progress, with
// provider, room, status and waiting time (WaitingRoomModel), sortable by any column, longest
// wait first by default. It reads the local database, so it works offline; the main window
// feeds it the schedule's changes and sync's (recordsChanged) so it updates at once.
class WaitingRoomPage : public QWidget
{
    Q_OBJECT
public:
    WaitingRoomPage(const Database &db, const Principal &who, QWidget *parent = nullptr);

    WaitingRoomModel *boardModel() const { return m_model; }
    QSortFilterProxyModel *sortModel() const { return m_sort; }
    QTableView *table() const { return m_table; }

    // Column widths and sort order.
    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

public Q_SLOTS:
    void refresh();
    void recordsChanged(const QStringList &ids);

private:
    void updateSummary();

    WaitingRoomModel *m_model = nullptr;
    QSortFilterProxyModel *m_sort = nullptr;
    QLabel *m_summary = nullptr;
    QTableView *m_table = nullptr;
};

} // namespace tmdash
