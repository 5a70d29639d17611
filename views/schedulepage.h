#pragma once

#include "appointment.h"
#include "appointmentrules.h"
#include "database.h"
#include "principal.h"
#include "schedulemodel.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QWidget>

#include <optional>

class QAction;
class QButtonGroup;
class QComboBox;
class QDateEdit;
class QLabel;
class QSettings;
class QTableView;
class QToolButton;

namespace tmdash {

class AppointmentCancelDialog;
class AppointmentDialog;

// The Schedule tab: a provider chooser ("All providers" or one), date navigation (previous,
// today, next, a date field) and Day / Week modes over a ScheduleModel grid. "New appointment"
// (Ctrl+Shift+A) opens the booking dialog preset to the selected slot; reschedule, cancel (with
// a reason), confirm, check in, start, complete and no-show act on the selected appointment, from
// the buttons, the context menu or the Schedule menu. An action is offered (enabled, listed in
// the context menu) only when the appointment's status allows it and the role may write
// appointments; the store still decides and its refusal is shown above the grid.
class SchedulePage : public QWidget
{
    Q_OBJECT
public:
    SchedulePage(const Database &db, const Principal &who, QWidget *parent = nullptr);

    ScheduleModel *scheduleModel() const { return m_model; }
    QTableView *table() const { return m_table; }
    QComboBox *providerChooser() const { return m_providers; }
    QAction *newAppointmentAction() const { return m_newAppointment; }
    QAction *rescheduleAction() const { return m_reschedule; }
    QAction *actionFor(AppointmentAction action) const { return m_actions.value(action); }
    // Everything the main window's Schedule menu lists, in order (null = separator).
    QList<QAction *> menuActions() const;

    // The view: a provider (empty = all providers), a clinic-local day, a mode.
    void showProvider(const ProviderId &provider);
    void showDay(QDate day);
    void setMode(ScheduleModel::Mode mode);
    // Selects the cell where the appointment starts; false when it is not in the view.
    bool selectAppointment(const QString &appointmentId);
    // The appointment of the current cell, as last read.
    std::optional<Appointment> selectedAppointment() const;
    // The message of the last refused action (empty when none).
    QString actionMessage() const;

    // Open the dialogs (window-modal, deleted on close) and return them; null when the action is
    // not offered.
    AppointmentDialog *newAppointment();
    AppointmentDialog *rescheduleSelected();
    AppointmentCancelDialog *cancelSelected();
    // Confirm, check in, start, complete or no-show the selected appointment; false (with the
    // store's reason shown) when refused or not offered.
    bool runAction(AppointmentAction action);

    // Column widths per view kind.
    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

public Q_SLOTS:
    // Records changed elsewhere (sync, another page): the grid re-reads in place.
    void recordsChanged(const QStringList &ids);

Q_SIGNALS:
    // An appointment was booked or changed here (after the store committed).
    void appointmentChanged(const QString &appointmentId);

private:
    void rebuildProviderChooser();
    void applyView();
    void updateTitle();
    void updateActions();
    void stepDays(int direction);
    void showContextMenu(const QPoint &pos);
    void afterChange(const Appointment &appointment);
    void showActionMessage(const QString &message);
    void rememberColumnWidth(int newWidth);
    bool eventFilter(QObject *watched, QEvent *event) override;
    void applyColumnWidth();
    QString viewKind() const;
    QString describe(const Appointment &appointment) const;

    Database m_db;
    Principal m_who;
    bool m_mayWrite = false;
    ScheduleModel *m_model = nullptr;
    QComboBox *m_providers = nullptr;
    QDateEdit *m_date = nullptr;
    QToolButton *m_dayMode = nullptr;
    QToolButton *m_weekMode = nullptr;
    QButtonGroup *m_modes = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_message = nullptr;
    QTableView *m_table = nullptr;
    QAction *m_previous = nullptr;
    QAction *m_today = nullptr;
    QAction *m_next = nullptr;
    QAction *m_newAppointment = nullptr;
    QAction *m_reschedule = nullptr;
    QMap<AppointmentAction, QAction *> m_actions;
    QHash<QString, int> m_columnWidths; // by viewKind()
    bool m_applyingWidths = false;
};

} // namespace tmdash
