#pragma once

#include "appointment.h"
#include "database.h"
#include "principal.h"

#include <QAbstractTableModel>
#include <QDate>
#include <QHash>
#include <QList>
#include <QStringList>
#include <QTimeZone>
#include <QTimer>

namespace tmdash {

// The waiting-room board: today's (clinic time) appointments that are checked in or in progress,
// read from the local database (AppointmentStore::forClinicDay), so it works offline. Rows keep
// the order in which patients reached the board; a QSortFilterProxyModel sorts them for the view.
//
// refresh() re-reads and brings the rows in step without a reset: a status, room or provider
// that changed is dataChanged in place, an appointment that reaches the board is inserted, one
// that leaves (completed, cancelled, ...) is removed. The waiting time — minutes since check-in,
// i.e. since the checked-in appointment was last updated (for one in progress: since it started)
// — is computed when read; every kTickMs the model emits dataChanged for that column only, and
// re-reads when the clinic's day has turned.
class WaitingRoomModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        PatientColumn,
        ProviderColumn,
        RoomColumn,
        StatusColumn,
        SinceColumn,   // clinic-local time of check-in (or of the start of the visit)
        WaitingColumn, // minutes since then
        ColumnCount
    };
    enum Role {
        AppointmentIdRole = Qt::UserRole + 1, // QString, every column
        SortRole,                             // what a column sorts by
        StatusRole,                           // QString, the stored status
        MinutesRole,                          // int, minutes since check-in / start
    };
    static constexpr int kTickMs = 30 * 1000;

    WaitingRoomModel(const Database &db, const Principal &who, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The clinic-local day shown.
    QDate day() const { return m_day; }
    const Appointment &appointmentAt(int row) const { return m_rows.at(row).appointment; }
    // The row of the appointment, or -1.
    int rowOf(const QString &appointmentId) const;
    int waitingCount() const;
    int inProgressCount() const;
    QTimer *tickTimer() { return &m_tick; }

public Q_SLOTS:
    // Re-reads today's board and updates the rows in place.
    void refresh();
    // Records changed elsewhere: patients or providers among `ids` have their names read again,
    // then refresh().
    void recordsChanged(const QStringList &ids);
    // The waiting times move on (dataChanged of WaitingColumn); a new clinic day re-reads.
    void tick();

Q_SIGNALS:
    void loadFailed(const QString &message);
    // After each read that worked.
    void refreshed();

private:
    QString patientName(const PatientId &patient);
    static int minutesSince(const Appointment &a);
    QDate clinicToday() const;

    Database m_db;
    Principal m_who;
    QTimeZone m_zone;
    QDate m_day;
    struct Row
    {
        Appointment appointment;
        QString patient;
        QString provider;
    };
    QList<Row> m_rows;
    QHash<QString, QString> m_patientNames;
    QTimer m_tick;
};

} // namespace tmdash
