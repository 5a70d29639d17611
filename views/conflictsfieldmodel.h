#pragma once

#include "syncresolution.h"

#include <QAbstractTableModel>
#include <QJsonValue>
#include <QList>

#include <optional>

namespace tmdash {

// The open conflicts of one record (one SyncConflict per field, syncresolution.h) side by side:
// the field, this desktop's value, the central's value (cells whose values differ are
// highlighted, DiffersRole), an editable "merged" value (starting as this desktop's) and what
// was wrong with the merged value when a resolve refused it. setConflicts() with the same record
// again brings the rows in step in place and keeps what was typed into the merged column.
class ConflictsFieldModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        FieldColumn,
        LocalColumn,
        CentralColumn,
        MergedColumn,
        ProblemColumn,
        ColumnCount
    };
    enum Role {
        ConflictIdRole = Qt::UserRole + 1, // QString, every column
        DiffersRole,                       // bool: this desktop's and the central's value differ
    };

    explicit ConflictsFieldModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    // The open conflicts of one record (entity, entity_id). Another record: a new set of rows (a
    // reset); the same record: resolved rows removed, new ones appended, the rest kept as typed.
    void setConflicts(const QString &entity, const QString &entityId,
                      const QList<SyncConflict> &conflicts);
    QString entity() const { return m_entity; }
    QString entityId() const { return m_entityId; }

    const SyncConflict &conflictAt(int row) const { return m_rows.at(row).conflict; }
    // The merged column of a row as the value to store (typed text read by the field's column
    // type: a number for numeric columns, true/false, blank as null).
    QJsonValue mergedValue(int row) const;
    // Shows why a row was refused (empty clears it).
    void setProblem(int row, const QString &message);
    void clearProblems();

    // How a stored value reads for people: blank for null, Yes/No, numbers and text as they are.
    static QString displayValue(const QJsonValue &value);
    // The text a person edits for a value (JSON for objects and arrays).
    static QString editText(const QJsonValue &value);
    // Typed text as the value of `field` in `table`, by the column's type (schema.h).
    static QJsonValue valueFromText(const QString &text, const QString &table,
                                    const QString &field);
    // "Given name" for "given_name".
    static QString fieldName(const QString &field);
    // "Patient", "Appointment", ... for a table name.
    static QString entityName(const QString &table);

private:
    struct Line
    {
        SyncConflict conflict;
        QString merged; // as typed
        QString problem;
    };

    QString m_entity;
    QString m_entityId;
    QList<Line> m_rows;
};

} // namespace tmdash
