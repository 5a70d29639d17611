#pragma once

#include "editablerows.h"
#include "provider.h"
#include "result.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTimeZone>

#include <optional>

namespace tmdash {

// One provider's time off as an editable table: from, to (local "YYYY-MM-DD HH:MM" in the
// clinic's time zone, stored as UTC instants), reason, and what is wrong with the row. Like
// ProviderAvailabilityModel, cells keep what was typed; timeOff() reads them and reports what
// cannot be read; setErrors() shows "time_off[i].<field>" errors on their cells.
class ProviderTimeOffModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { StartColumn, EndColumn, ReasonColumn, ProblemColumn, ColumnCount };
    enum Role {
        RowIdRole = Qt::UserRole + 1, // QString, every column (made when a row is added)
        ErrorRole,                    // QString: the message for this cell, if any
    };

    ProviderTimeOffModel(const QTimeZone &clinicZone, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    // Another provider's absences: a new set of rows (a reset).
    void setTimeOff(const QList<ProviderTimeOff> &timeOff);
    // The rows in row order (row i is time_off[i]); an unreadable cell leaves its instant
    // invalid and adds a "format" error for "time_off[i].<field>" to `unreadable`.
    QList<ProviderTimeOff> timeOff(FieldErrors &unreadable) const;
    // Appends an absence (the whole of tomorrow, local time) and returns its row.
    int addTimeOff();
    void removeTimeOff(int row);
    void setErrors(const FieldErrors &errors);
    void markSaved(const QList<ProviderTimeOff> &stored);

    // "2026-05-04 13:30" or "2026-05-04" (midnight) in `zone`, as UTC; nullopt for blank text,
    // an invalid QDateTime for text that is not a date and time.
    static std::optional<QDateTime> readInstant(const QString &text, const QTimeZone &zone);
    static QString formatLocal(const QDateTime &utc, const QTimeZone &zone);

Q_SIGNALS:
    void edited();

private:
    struct Absence
    {
        RowId id;
        RecordMeta meta;
        QString start; // as typed
        QString end;
        QString reason;
    };
    static QString keyOf(int column);
    QString messagesOf(int row) const;

    QTimeZone m_zone;
    QList<Absence> m_rows;
    RowErrors m_errors;
};

} // namespace tmdash
