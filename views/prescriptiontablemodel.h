#pragma once

#include "prescription.h"

#include <QAbstractTableModel>
#include <QList>

namespace tmdash {

// A list of prescriptions as a chart shows them (the active or the past ones of a patient, as
// PrescriptionStore::forPatient splits them): medication, dose and schedule, start and end,
// refills, status, and whether an alert was overridden. setPrescriptions() brings the rows in
// step in place (inserted, moved, changed as dataChanged, removed), never a reset.
class PrescriptionTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        MedicationColumn,
        DoseColumn,
        StartColumn,
        EndColumn,
        RefillsColumn,
        StatusColumn,
        OverrideColumn,
        ColumnCount
    };
    enum Role {
        PrescriptionIdRole = Qt::UserRole + 1, // QString, every column
        StatusRole,                            // int(PrescriptionStatus), every column
        OverrideReasonRole,                    // QString
    };

    explicit PrescriptionTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setPrescriptions(const QList<Prescription> &prescriptions);
    const Prescription &prescriptionAt(int row) const { return m_rows.at(row); }
    int rowOf(const PrescriptionId &id) const;

    // For people: "once a day", "On hold", "Entered in error", "2 tablet oral, twice a day".
    static QString frequencyName(Frequency frequency);
    static QString statusName(PrescriptionStatus status);
    static QString actionName(PrescriptionAction action);
    static QString doseText(const Prescription &rx);
    static QString medicationText(const Prescription &rx);

private:
    QList<Prescription> m_rows;
};

} // namespace tmdash
