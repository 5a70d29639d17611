#pragma once

#include "outbox.h"

#include <QAbstractTableModel>
#include <QList>

namespace tmdash {

// The changes the central refused (syncresolution.h: rejected outbox rows), in outbox order:
// the record, what the change was (new, changed, status, removed) and the central's reason.
// setRejections() brings the rows in step in place (no reset).
class ConflictsRejectionModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { RecordColumn, ChangeColumn, ReasonColumn, ColumnCount };
    enum Role {
        MutationIdRole = Qt::UserRole + 1, // QString, every column
    };

    struct Rejection
    {
        OutboxEntry entry;
        QString label; // for people: "Appointment 2026-05-12 10:00"
    };

    explicit ConflictsRejectionModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setRejections(const QList<Rejection> &rejections);
    const Rejection &rejectionAt(int row) const { return m_rows.at(row); }
    int rowOf(const QString &mutationId) const;

    // "New record", "Changed fields", "Status change", "Removal".
    static QString opName(OutboxOp op);

private:
    QList<Rejection> m_rows;
};

} // namespace tmdash
