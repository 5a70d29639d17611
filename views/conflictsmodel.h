#pragma once

#include "syncresolution.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace tmdash {

// The records that have open sync conflicts, one row each (a record's conflicting fields
// together), oldest first: what the record is, which fields conflict, and when. setRecords()
// brings the rows in step in place (no reset), so the selection stays on a record that is still
// there.
class ConflictsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { RecordColumn, FieldsColumn, DetectedColumn, ColumnCount };
    enum Role {
        RecordKeyRole = Qt::UserRole + 1, // QString "entity/entity_id", every column
    };

    struct Record
    {
        QString entity;
        QString entityId;
        QString label; // for people: "Patient Ada Lovelace (MRN N-1)"
        QList<SyncConflict> conflicts;

        QString key() const { return entity + QLatin1Char('/') + entityId; }
        QDateTime detectedAt() const;
    };

    explicit ConflictsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Open conflicts grouped by record, in the order of each record's first conflict.
    static QList<Record> group(const QList<SyncConflict> &conflicts);
    void setRecords(const QList<Record> &records);
    const Record &recordAt(int row) const { return m_rows.at(row); }
    // The row of a record key, or -1.
    int rowOf(const QString &key) const;
    // Every open conflict shown.
    int conflictCount() const;

private:
    QList<Record> m_rows;
};

} // namespace tmdash
