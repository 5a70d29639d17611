#pragma once

#include "database.h"
#include "principal.h"
#include "vitalranges.h"
#include "vitals.h"

#include <QAbstractTableModel>
#include <QList>

#include <optional>

namespace tmdash {

// One patient's vitals over VitalsStore, oldest first: a column for when they were taken, one
// per measurement (BMI, derived, last of them) and the record's status. A patient has tens of
// records, not thousands, so the first fetchMore() reads them all; refresh() re-reads and brings
// the rows in step in place (new records inserted, a status change as dataChanged), never a
// reset. Abnormal values carry their Flag (FlagRole) and show it next to the value.
class VitalsTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role {
        VitalsIdRole = Qt::UserRole + 1, // QString, every column
        RecordedAtRole,                  // QDateTime (UTC), every column
        StatusRole,                      // int(VitalsStatus), every column
        ValueRole,                       // double in the stored unit; measurement columns
        FlagRole,                        // int(Flag) when a value is present
    };
    static constexpr int RecordedAtColumn = 0;

    VitalsTableModel(const Database &db, const Principal &who, const PatientId &patient,
                     QObject *parent = nullptr);

    // Measurement columns follow measurementInfos(); the status column is last.
    static int columnOf(Measurement m);
    static std::optional<Measurement> measurementAt(int column);
    static int statusColumn();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    const Vitals &vitalsAt(int row) const { return m_rows.at(row); }
    PatientId patientId() const { return m_patient; }

    // For people: "Body temperature", "Temp.", "37.5", "High".
    static QString measurementName(Measurement m);
    static QString shortName(Measurement m);
    static QString formatValue(Measurement m, double value);
    static QString flagName(Flag flag);

public Q_SLOTS:
    // Re-reads the patient's records (after one was recorded here, or arrived by sync).
    void refresh();

Q_SIGNALS:
    void loadFailed(const QString &message);

private:
    int rowOf(const VitalsId &id) const;

    Database m_db;
    Principal m_who;
    PatientId m_patient;
    QList<Vitals> m_rows;
    bool m_loaded = false;
    bool m_failed = false;
};

} // namespace tmdash
