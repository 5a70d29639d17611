#pragma once

#include "appointment.h"
#include "database.h"
#include "principal.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace tmdash {

// One patient's appointments (AppointmentStore::forPatient), oldest first, read-only: when, how
// long, type, provider, room, status and reason. The first fetchMore() reads them all; refresh()
// brings the rows in step in place (inserted, changed as dataChanged, removed), never a reset.
class PatientAppointmentsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        StartColumn,
        DurationColumn,
        TypeColumn,
        ProviderColumn,
        RoomColumn,
        StatusColumn,
        ReasonColumn,
        ColumnCount
    };
    enum Role {
        AppointmentIdRole = Qt::UserRole + 1, // QString, every column
        StatusRole,                           // int(AppointmentStatus), every column
        StartAtRole,                          // QDateTime (UTC)
    };

    PatientAppointmentsModel(const Database &db, const Principal &who, const PatientId &patient,
                             QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    bool isLoaded() const { return m_loaded; }
    const Appointment &appointmentAt(int row) const { return m_rows.at(row); }
    int rowOf(const AppointmentId &id) const;

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void loadFailed(const QString &message);

private:
    void readProviderNames();

    Database m_db;
    Principal m_who;
    PatientId m_patient;
    QList<Appointment> m_rows;
    QHash<QString, QString> m_providerNames;
    bool m_loaded = false;
    bool m_failed = false;
};

} // namespace tmdash
