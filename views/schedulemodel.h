#pragma once

#include "appointment.h"
#include "clinic.h"
#include "database.h"
#include "principal.h"
#include "provider.h"

#include <QAbstractTableModel>
#include <QDate>
#include <QHash>
#include <QList>
#include <QStringList>
#include <QTime>
#include <QTimeZone>

#include <optional>

namespace tmdash {

// The schedule as a grid over AppointmentStore: rows are time slots of kSlotMinutes (clinic
// wall-clock times, the clinic's time zone), columns are either the days of one provider (one
// day, or the seven days of an ISO week) or, for "all providers", the clinic's providers on one
// day. Each cell says what the slot is — booked (an appointment starts in it), continued (one
// started earlier runs through it), free (the store's freeSlots offers it), closed (outside the
// clinic's hours), time off, outside the provider's availability, or partly taken — and names
// the appointment it stands for.
//
// A new view (provider, day, mode) is a new query and resets the model. Changes that arrive
// afterwards come in through recordsChanged(), which re-reads the view and emits dataChanged
// for the cells that differ, so selection and scroll position survive; only a change of the
// grid's shape (other business hours, a provider added or removed in the all-providers view)
// resets. A view is a day or a week of one clinic: the reads are a handful of indexed queries,
// so they run on the UI thread.
class ScheduleModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Mode { Day, Week };
    enum class SlotState { Closed, Unavailable, TimeOff, Free, Busy, Booked, Continued };
    Q_ENUM(SlotState)
    enum Role {
        SlotStateRole = Qt::UserRole + 1, // int(SlotState)
        SlotStartRole,                    // QDateTime, UTC
        DayRole,                          // QDate, clinic-local
        ProviderIdRole,                   // QString
        AppointmentIdRole,  // QString: the appointment the cell stands for, or empty
        AppointmentIdsRole, // QStringList: every appointment starting in the slot
        StatusRole,         // QString: the stored status of AppointmentIdRole's appointment
    };
    static constexpr int kSlotMinutes = 15;

    ScheduleModel(const Database &db, const Principal &who, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Shows `day` (Mode::Day) or the ISO week containing it (Mode::Week) of `provider`; with no
    // provider, every provider of the clinic on `day` (always Mode::Day).
    void setView(const ProviderId &provider, QDate day, Mode mode);
    ProviderId provider() const { return m_provider; }
    bool isAllProviders() const { return m_provider.isNull(); }
    QDate day() const { return m_day; }
    Mode mode() const { return m_mode; }

    const Clinic &clinic() const { return m_clinic; }
    // The clinic's time zone (UTC when the clinic names none that is known).
    QTimeZone zone() const;
    // Today in the clinic's time zone.
    QDate today() const;
    // The clinic's live providers, by name, as of the last read.
    const QList<Provider> &providers() const { return m_providers; }
    QString providerName(const ProviderId &provider) const;
    QString patientName(const PatientId &patient) const;
    // An appointment shown in the view, as of the last read.
    std::optional<Appointment> appointment(const QString &appointmentId) const;
    // The cell where the appointment starts, or invalid.
    QModelIndex indexOf(const QString &appointmentId) const;
    // The message of the last failed read; empty after a read that worked.
    QString loadError() const { return m_loadError; }

public Q_SLOTS:
    // Records changed elsewhere (this page, another window, sync): re-reads the view and updates
    // the cells in place. Patients among `ids` have their names read again.
    void recordsChanged(const QStringList &ids);
    void reload() { recordsChanged({}); }

Q_SIGNALS:
    // A read failed; the cells shown stay as they were.
    void loadFailed(const QString &message);
    // The providers (or their names) changed in the last read.
    void providersChanged();
    // After every read that worked (reset or in place).
    void loaded();

private:
    struct Cell
    {
        SlotState state = SlotState::Closed;
        QString appointmentId;
        QStringList starting;
        AppointmentStatus status = AppointmentStatus::Scheduled;
        bool inactiveOnly = false; // only cancelled / no-show / in-error appointments start here
        QString text;
        QString toolTip;
        friend bool operator==(const Cell &, const Cell &) = default;
    };
    struct ColumnInfo
    {
        QDate day;
        ProviderId provider;
        QString title;
        QString toolTip;
    };
    struct Snapshot
    {
        Clinic clinic;
        QList<Provider> providers;
        QHash<QString, QString> providerNames;
        QList<ColumnInfo> columns;
        QList<QTime> rows;
        QList<QList<Cell>> cells; // [column][row]
        QHash<QString, Appointment> appointments;
    };

    // Reads the clinic and its providers (and their names).
    Status readReferenceData(Snapshot &s) const;
    // The whole view; may fill the patient name cache.
    Result<Snapshot> read();
    QString cachedPatientName(const PatientId &patient);
    Cell cellFor(const Snapshot &s, const ColumnInfo &column, const Provider *provider,
                 QTime localTime, const QList<Appointment> &appointments,
                 const QList<QDateTime> &free) const;
    void apply(Snapshot next, bool reset);
    QDateTime slotStart(int row, int column) const;
    static QString formatRange(const Appointment &a, const QTimeZone &zone);

    Database m_db;
    Principal m_who;
    ProviderId m_provider;
    QDate m_day;
    Mode m_mode = Mode::Day;
    Clinic m_clinic;
    QList<Provider> m_providers;
    QHash<QString, QString> m_providerNames;
    QList<ColumnInfo> m_columns;
    QList<QTime> m_rows;
    QList<QList<Cell>> m_cells;
    QHash<QString, Appointment> m_appointments;
    QHash<QString, QString> m_patientNames;
    QString m_loadError;
};

} // namespace tmdash
