#pragma once

#include "editablerows.h"
#include "provider.h"
#include "result.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTime>

#include <optional>
#include <utility>

namespace tmdash {

// One provider's weekly availability windows as an editable table: weekday, start, end (local
// "HH:MM" in the clinic's time zone), room, and a column with what is wrong with the row. Cells
// keep exactly what the person typed, readable or not, so nothing typed is lost; windows()
// reads them into ProviderAvailability rows and reports what cannot be read. Errors (the
// validator's "availability[i].<field>" or the store's) are set with setErrors() and shown on
// their cell (ErrorRole, a tinted background, the tooltip) and in the problem column.
class ProviderAvailabilityModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { WeekdayColumn, StartColumn, EndColumn, RoomColumn, ProblemColumn, ColumnCount };
    enum Role {
        RowIdRole = Qt::UserRole + 1, // QString, every column (made when a row is added)
        ErrorRole,                    // QString: the message for this cell, if any
    };

    explicit ProviderAvailabilityModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    // Another provider's windows: a new set of rows (a reset, as for a new search).
    void setWindows(const QList<ProviderAvailability> &windows);
    // The rows as ProviderAvailability, in row order (row i is availability[i]); a cell that
    // cannot be read leaves its field empty (weekday 0, an invalid time) and adds a "format"
    // error for "availability[i].<field>" to `unreadable`.
    QList<ProviderAvailability> windows(FieldErrors &unreadable) const;
    // Appends a window (the first weekday without one, 09:00-17:00) and returns its row.
    int addWindow();
    void removeWindow(int row);
    // Shows these errors (fields "availability[i].<field>"; others are ignored), replacing the
    // ones shown before; only rows whose messages change get dataChanged.
    void setErrors(const FieldErrors &errors);
    // After a save: the stored ids and bookkeeping of the rows, matched by id.
    void markSaved(const QList<ProviderAvailability> &stored);
    bool hasErrors() const { return !m_errors.isEmpty(); }

    // "availability[3].start_time" -> {3, "start_time"}; {-1, {}} for anything else.
    static std::pair<int, QString> splitField(const QString &field, QStringView list);
    // 1..7 from "3", "Wed", "wednesday" or the locale's day names; 0 when unreadable.
    static int readWeekday(const QString &text);
    static QString weekdayName(int isoWeekday);
    // A local wall-clock time typed as "9:00", "09:00" or "0900"; nullopt for blank text, an
    // invalid QTime for text that is not a time.
    static std::optional<QTime> readTime(const QString &text);

Q_SIGNALS:
    // A cell was edited or a row added or removed (not by setWindows or markSaved).
    void edited();

private:
    struct Window
    {
        RowId id;
        RecordMeta meta;
        QString weekday; // as typed
        QString start;
        QString end;
        QString room;
    };
    static QString keyOf(int column);
    QString messagesOf(int row) const;

    QList<Window> m_rows;
    RowErrors m_errors;
};

} // namespace tmdash
