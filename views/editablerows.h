#pragma once

#include "result.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include <utility>

namespace tmdash {

// What the editable tables of the views (provider availability and time off, the conflicts
// dialog's field and change tables) share: how a refused cell and the problem column look, and
// which cells take edits.
namespace EditableRows {

// The background of a cell whose value was refused.
QColor errorBackground();
// The text colour of a table's "Problem" column.
QColor problemForeground();
// Enabled and selectable, plus `extra` (Qt::ItemIsEditable for the cells a person may edit);
// no flags for an index that is not a valid top-level index of `model`.
Qt::ItemFlags cellFlags(const QAbstractItemModel &model, const QModelIndex &index,
                        Qt::ItemFlags extra);

} // namespace EditableRows

// The messages shown on an editable list of rows, from a validator's or a store's errors for
// fields "<list>[i].<field>": per row, field key -> message. Rows are named by their index.
class RowErrors
{
public:
    // "availability[3].start_time" with list "availability" -> {3, "start_time"}; {-1, {}} for
    // anything else.
    static std::pair<int, QString> splitField(const QString &field, QStringView list);

    bool isEmpty() const { return m_errors.isEmpty(); }
    void clear() { m_errors.clear(); }
    // The message for one cell, empty if none.
    QString message(int row, const QString &key) const;
    // A row's messages for `keys` in that order, then any others, joined by "; ".
    QString messages(int row, const QStringList &keys) const;
    // Row `row` was removed: its errors go and the ones of later rows move up by one.
    void removeRow(int row);
    // Replaces the errors with those naming "<list>[i].<field>" for 0 <= i < rowCount (the first
    // message per field wins; others are ignored) and returns the rows whose messages changed.
    QSet<int> replace(const FieldErrors &errors, QStringView list, int rowCount);

private:
    QHash<int, QHash<QString, QString>> m_errors;
};

} // namespace tmdash
