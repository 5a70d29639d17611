#pragma once

#include "outbox.h"
#include "result.h"

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>

namespace tmdash {

// The fields of one refused change (a rejected outbox row) for a person to fix: the field, its
// value before the change (changed fields), the refused value, an editable "retry with" value
// (starting as the refused one) and what the store said about it when a retry was refused. A
// new record lists its columns; a removal has no fields. setRejection() with the same mutation
// again keeps what was typed.
class ConflictsChangeModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        FieldColumn,
        BeforeColumn,
        RefusedColumn,
        RetryColumn,
        ProblemColumn,
        ColumnCount
    };
    enum Role {
        FieldKeyRole = Qt::UserRole + 1, // QString: the column name, every column
        EditedRole,                      // bool: the retry value differs from the refused one
    };

    explicit ConflictsChangeModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    // Another mutation: a new set of rows (a reset); the same one: nothing changes.
    void setRejection(const OutboxEntry &entry);
    QString mutationId() const { return m_entry.mutation_id; }
    // The fields whose retry value was changed, as the values to retry with.
    QJsonObject edits() const;
    // Shows the store's errors on the rows of their fields (replacing earlier ones) and returns
    // the messages of errors that name no row.
    QStringList setErrors(const FieldErrors &errors);
    int rowOf(const QString &field) const;

private:
    struct Line
    {
        QString field;
        QJsonValue before;
        QJsonValue refused;
        QString retry; // as typed
        QString problem;
    };

    OutboxEntry m_entry;
    QList<Line> m_rows;
};

} // namespace tmdash
