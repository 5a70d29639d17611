#include "schedulepage.h"

#include "appointmentcanceldialog.h"
#include "appointmentdialog.h"
#include "appointmentnames.h"
#include "appointmentstore.h"
#include "permissions.h"

#include <QAction>
#include <QButtonGroup>
#include <QComboBox>
#include <QEvent>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QSettings>
#include <QSignalBlocker>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace tmdash {

namespace {

constexpr int kDefaultColumnWidth = 180;
constexpr int kMinColumnWidth = 140;

// The store's reason for a refusal: the field messages when there are any.
QString reasonOf(const Error &error)
{
    QStringList parts;
    for (const FieldError &e : error.fields)
        parts << e.message;
    return parts.isEmpty() ? error.message : parts.join(QLatin1Char(' '));
}

QToolButton *buttonFor(QAction *action, const QString &name, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(name);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

} // namespace

SchedulePage::SchedulePage(const Database &db, const Principal &who, QWidget *parent)
    : QWidget(parent), m_db(db), m_who(who),
      m_mayWrite(principalMay(who, Action::WriteAppointments)),
      m_model(new ScheduleModel(db, who, this)), m_providers(new QComboBox(this)),
      m_date(new QDateEdit(this)), m_dayMode(new QToolButton(this)),
      m_weekMode(new QToolButton(this)), m_modes(new QButtonGroup(this)),
      m_title(new QLabel(this)), m_message(new QLabel(this)), m_table(new QTableView(this))
{
    setObjectName(QStringLiteral("schedulePage"));

    const auto makeAction = [this](const QString &text, const QString &name,
                                   const QKeySequence &shortcut) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setShortcut(shortcut);
        addAction(action);
        return action;
    };
    m_previous = makeAction(tr("&Previous"), QStringLiteral("previousDayAction"),
                            QKeySequence(Qt::ALT | Qt::Key_Left));
    m_today = makeAction(tr("&Today"), QStringLiteral("todayAction"),
                         QKeySequence(Qt::ALT | Qt::Key_Home));
    m_next = makeAction(tr("Ne&xt"), QStringLiteral("nextDayAction"),
                        QKeySequence(Qt::ALT | Qt::Key_Right));
    m_newAppointment = makeAction(tr("&New appointment…"), QStringLiteral("newAppointmentAction"),
                                  QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_reschedule = makeAction(tr("&Reschedule…"), QStringLiteral("rescheduleAction"),
                              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    const struct
    {
        AppointmentAction action;
        const char *name;
        QKeySequence shortcut;
    } transitions[] = {
        {AppointmentAction::Confirm, "confirmAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O)},
        {AppointmentAction::CheckIn, "checkInAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I)},
        {AppointmentAction::Start, "startAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)},
        {AppointmentAction::Complete, "completeAction",
         QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D)},
        {AppointmentAction::NoShow, "noShowAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N)},
        {AppointmentAction::Cancel, "cancelAppointmentAction",
         QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X)},
    };
    for (const auto &t : transitions) {
        QAction *action = makeAction(AppointmentNames::action(t.action),
                                     QString::fromLatin1(t.name), t.shortcut);
        m_actions.insert(t.action, action);
        const AppointmentAction which = t.action;
        connect(action, &QAction::triggered, this, [this, which] { runAction(which); });
    }
    connect(m_previous, &QAction::triggered, this, [this] { stepDays(-1); });
    connect(m_next, &QAction::triggered, this, [this] { stepDays(1); });
    connect(m_today, &QAction::triggered, this, [this] { showDay(m_model->today()); });
    connect(m_newAppointment, &QAction::triggered, this, [this] { newAppointment(); });
    connect(m_reschedule, &QAction::triggered, this, [this] { rescheduleSelected(); });

    // The view bar: provider, date navigation, mode.
    m_providers->setObjectName(QStringLiteral("providerChooser"));
    m_providers->setMinimumContentsLength(18);
    auto *providerLabel = new QLabel(tr("Pro&vider"), this);
    providerLabel->setBuddy(m_providers);
    m_date->setObjectName(QStringLiteral("scheduleDate"));
    m_date->setCalendarPopup(true);
    m_date->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_dayMode->setObjectName(QStringLiteral("dayMode"));
    m_dayMode->setText(tr("Da&y"));
    m_dayMode->setCheckable(true);
    m_weekMode->setObjectName(QStringLiteral("weekMode"));
    m_weekMode->setText(tr("&Week"));
    m_weekMode->setCheckable(true);
    m_modes->addButton(m_dayMode, int(ScheduleModel::Mode::Day));
    m_modes->addButton(m_weekMode, int(ScheduleModel::Mode::Week));
    m_modes->setExclusive(true);
    m_dayMode->setChecked(true);
    m_title->setObjectName(QStringLiteral("scheduleTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    auto *viewBar = new QHBoxLayout;
    viewBar->addWidget(providerLabel);
    viewBar->addWidget(m_providers);
    viewBar->addSpacing(12);
    viewBar->addWidget(buttonFor(m_previous, QStringLiteral("previousDay"), this));
    viewBar->addWidget(buttonFor(m_today, QStringLiteral("today"), this));
    viewBar->addWidget(buttonFor(m_next, QStringLiteral("nextDay"), this));
    viewBar->addWidget(m_date);
    viewBar->addSpacing(12);
    viewBar->addWidget(m_dayMode);
    viewBar->addWidget(m_weekMode);
    viewBar->addSpacing(12);
    viewBar->addWidget(m_title, 1);

    // The action bar. Roles that may never write appointments are not offered the actions.
    auto *actionBar = new QHBoxLayout;
    actionBar->addWidget(buttonFor(m_newAppointment, QStringLiteral("newAppointmentButton"), this));
    actionBar->addWidget(buttonFor(m_reschedule, QStringLiteral("rescheduleButton"), this));
    const struct
    {
        AppointmentAction action;
        const char *name;
    } buttons[] = {
        {AppointmentAction::Confirm, "confirmButton"},
        {AppointmentAction::CheckIn, "checkInButton"},
        {AppointmentAction::Start, "startButton"},
        {AppointmentAction::Complete, "completeButton"},
        {AppointmentAction::NoShow, "noShowButton"},
        {AppointmentAction::Cancel, "cancelAppointmentButton"},
    };
    for (const auto &b : buttons)
        actionBar->addWidget(buttonFor(m_actions.value(b.action), QString::fromLatin1(b.name), this));
    actionBar->addStretch(1);
    auto *actionRow = new QWidget(this);
    actionRow->setObjectName(QStringLiteral("scheduleActions"));
    actionRow->setLayout(actionBar);
    actionBar->setContentsMargins(0, 0, 0, 0);
    actionRow->setVisible(m_mayWrite);
    if (!m_mayWrite) {
        m_newAppointment->setVisible(false);
        m_reschedule->setVisible(false);
        for (QAction *a : std::as_const(m_actions))
            a->setVisible(false);
    }

    m_message->setObjectName(QStringLiteral("scheduleMessage"));
    m_message->setStyleSheet(QStringLiteral("color: #b00020"));
    m_message->setWordWrap(true);
    m_message->hide();

    m_table->setObjectName(QStringLiteral("scheduleTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(true);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->horizontalHeader()->setDefaultSectionSize(kDefaultColumnWidth);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    connect(m_table, &QWidget::customContextMenuRequested, this, &SchedulePage::showContextMenu);
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        if (index.data(ScheduleModel::AppointmentIdRole).toString().isEmpty())
            newAppointment();
        else if (m_reschedule->isEnabled())
            rescheduleSelected();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &SchedulePage::updateActions);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SchedulePage::updateActions);
    connect(m_table->horizontalHeader(), &QHeaderView::sectionResized, this,
            [this](int, int, int newWidth) { rememberColumnWidth(newWidth); });
    m_table->viewport()->installEventFilter(this);

    connect(m_model, &ScheduleModel::loaded, this, [this] {
        m_title->setStyleSheet(QString());
        updateTitle();
        updateActions();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &SchedulePage::applyColumnWidth);
    connect(m_model, &ScheduleModel::loadFailed, this, [this](const QString &message) {
        m_title->setStyleSheet(QStringLiteral("color: #b00020"));
        m_title->setText(tr("The schedule could not be read: %1").arg(message));
        updateActions();
    });
    connect(m_model, &ScheduleModel::providersChanged, this, &SchedulePage::rebuildProviderChooser);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(viewBar);
    layout->addWidget(actionRow);
    layout->addWidget(m_message);
    layout->addWidget(m_table, 1);

    // A provider starts on their own day; everyone else on the whole clinic's.
    rebuildProviderChooser();
    ProviderId start;
    for (const Provider &p : m_model->providers())
        if (!who.user_id.isNull() && p.user_id == who.user_id)
            start = p.id;
    {
        const QSignalBlocker blocker(m_providers);
        m_providers->setCurrentIndex(std::max(0, m_providers->findData(start.value)));
    }
    {
        const QSignalBlocker blocker(m_date);
        m_date->setDate(m_model->today());
    }
    connect(m_providers, &QComboBox::currentIndexChanged, this, &SchedulePage::applyView);
    connect(m_date, &QDateEdit::dateChanged, this, &SchedulePage::applyView);
    connect(m_modes, &QButtonGroup::idClicked, this, &SchedulePage::applyView);
    applyView();
    setFocusProxy(m_table);
}

QList<QAction *> SchedulePage::menuActions() const
{
    return {m_newAppointment,
            m_reschedule,
            nullptr,
            m_actions.value(AppointmentAction::Confirm),
            m_actions.value(AppointmentAction::CheckIn),
            m_actions.value(AppointmentAction::Start),
            m_actions.value(AppointmentAction::Complete),
            m_actions.value(AppointmentAction::NoShow),
            m_actions.value(AppointmentAction::Cancel),
            nullptr,
            m_previous,
            m_today,
            m_next};
}

void SchedulePage::rebuildProviderChooser()
{
    const QSignalBlocker blocker(m_providers);
    const QString current = m_providers->currentData().toString();
    m_providers->clear();
    m_providers->addItem(tr("All providers"), QString());
    for (const Provider &p : m_model->providers())
        m_providers->addItem(m_model->providerName(p.id), p.id.value);
    m_providers->setCurrentIndex(std::max(0, m_providers->findData(current)));
}

void SchedulePage::showProvider(const ProviderId &provider)
{
    const int index = m_providers->findData(provider.value);
    if (index >= 0)
        m_providers->setCurrentIndex(index); // applies the view
}

void SchedulePage::showDay(QDate day)
{
    if (day.isValid())
        m_date->setDate(day); // applies the view when it changes
}

void SchedulePage::setMode(ScheduleModel::Mode mode)
{
    QAbstractButton *button = mode == ScheduleModel::Mode::Week ? m_weekMode : m_dayMode;
    if (button->isEnabled() && !button->isChecked()) {
        button->setChecked(true);
        applyView();
    }
}

void SchedulePage::applyView()
{
    const ProviderId provider(m_providers->currentData().toString());
    // Every provider at once is one day; a week is one provider's.
    m_weekMode->setEnabled(!provider.isNull());
    if (provider.isNull() && m_weekMode->isChecked())
        m_dayMode->setChecked(true);
    const auto mode = ScheduleModel::Mode(m_modes->checkedId());
    showActionMessage(QString());
    m_model->setView(provider, m_date->date(), mode);
}

void SchedulePage::stepDays(int direction)
{
    const int days = m_model->mode() == ScheduleModel::Mode::Week ? 7 : 1;
    showDay(m_date->date().addDays(direction * days));
}

void SchedulePage::updateTitle()
{
    const QLocale locale;
    const QString who = m_model->isAllProviders() ? tr("All providers")
                                                  : m_model->providerName(m_model->provider());
    QString when;
    if (m_model->mode() == ScheduleModel::Mode::Week) {
        const QDate monday = m_model->day().addDays(1 - m_model->day().dayOfWeek());
        when = tr("Week of %1").arg(locale.toString(monday, QLocale::LongFormat));
    } else {
        when = locale.toString(m_model->day(), QLocale::LongFormat);
    }
    if (m_model->day() == m_model->today())
        when = tr("%1 (today)").arg(when);
    m_title->setText(tr("%1 — %2").arg(when, who));
}

std::optional<Appointment> SchedulePage::selectedAppointment() const
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !m_table->selectionModel()->isSelected(current))
        return std::nullopt;
    return m_model->appointment(current.data(ScheduleModel::AppointmentIdRole).toString());
}

bool SchedulePage::selectAppointment(const QString &appointmentId)
{
    const QModelIndex index = m_model->indexOf(appointmentId);
    if (!index.isValid())
        return false;
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
    updateActions();
    return true;
}

void SchedulePage::updateActions()
{
    const std::optional<Appointment> a = selectedAppointment();
    m_newAppointment->setEnabled(m_mayWrite && !m_model->providers().isEmpty());
    const bool changeable = a && (a->status == AppointmentStatus::Scheduled ||
                                  a->status == AppointmentStatus::Confirmed ||
                                  a->status == AppointmentStatus::CheckedIn);
    m_reschedule->setEnabled(m_mayWrite && changeable);
    for (auto it = m_actions.cbegin(); it != m_actions.cend(); ++it)
        it.value()->setEnabled(m_mayWrite && a && isTransitionAllowed(a->status, it.key()));
}

QString SchedulePage::actionMessage() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void SchedulePage::showActionMessage(const QString &message)
{
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

QString SchedulePage::describe(const Appointment &a) const
{
    const QTimeZone zone = m_model->zone();
    const QLocale locale;
    return tr("%1, %2 %3 with %4")
        .arg(m_model->patientName(a.patient_id),
             locale.toString(a.start_at.toTimeZone(zone).date(), QLocale::ShortFormat),
             locale.toString(a.start_at.toTimeZone(zone).time(), QStringLiteral("HH:mm")),
             m_model->providerName(a.provider_id));
}

AppointmentDialog *SchedulePage::newAppointment()
{
    if (!m_newAppointment->isEnabled())
        return nullptr;
    auto *dialog = new AppointmentDialog(m_db, m_who, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    // Preset to what is selected: its provider and day, and its time when the slot is free.
    const QModelIndex current = m_table->currentIndex();
    if (current.isValid()) {
        dialog->setProvider(ProviderId(current.data(ScheduleModel::ProviderIdRole).toString()));
        dialog->setDay(current.data(ScheduleModel::DayRole).toDate());
        if (current.data(ScheduleModel::SlotStateRole).toInt() ==
            int(ScheduleModel::SlotState::Free))
            dialog->setStartTime(current.data(ScheduleModel::SlotStartRole)
                                     .toDateTime()
                                     .toTimeZone(m_model->zone())
                                     .time());
    } else {
        if (!m_model->isAllProviders())
            dialog->setProvider(m_model->provider());
        dialog->setDay(m_model->day());
    }
    connect(dialog, &AppointmentDialog::saved, this, &SchedulePage::afterChange);
    dialog->open();
    return dialog;
}

AppointmentDialog *SchedulePage::rescheduleSelected()
{
    const std::optional<Appointment> a = selectedAppointment();
    if (!a || !m_reschedule->isEnabled())
        return nullptr;
    auto *dialog = new AppointmentDialog(m_db, m_who, *a, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &AppointmentDialog::saved, this, &SchedulePage::afterChange);
    dialog->open();
    return dialog;
}

AppointmentCancelDialog *SchedulePage::cancelSelected()
{
    const std::optional<Appointment> a = selectedAppointment();
    QAction *cancel = m_actions.value(AppointmentAction::Cancel);
    if (!a || !cancel->isEnabled())
        return nullptr;
    auto *dialog = new AppointmentCancelDialog(m_db, m_who, *a, describe(*a), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &AppointmentCancelDialog::cancelled, this, &SchedulePage::afterChange);
    dialog->open();
    return dialog;
}

bool SchedulePage::runAction(AppointmentAction action)
{
    if (action == AppointmentAction::Cancel)
        return cancelSelected() != nullptr;
    const std::optional<Appointment> a = selectedAppointment();
    QAction *offered = m_actions.value(action);
    if (!a || !offered || !offered->isEnabled())
        return false;
    auto result = AppointmentStore(m_db, m_who).transition(a->id, action);
    if (!result) {
        showActionMessage(tr("%1 was refused: %2")
                              .arg(AppointmentNames::action(action).remove(QLatin1Char('&')),
                                   reasonOf(result.error())));
        m_model->recordsChanged({a->id.value}); // what is stored now (another desktop may have moved on)
        return false;
    }
    afterChange(*result);
    return true;
}

void SchedulePage::afterChange(const Appointment &appointment)
{
    showActionMessage(QString());
    m_model->recordsChanged({appointment.id.value});
    if (!m_model->indexOf(appointment.id.value).isValid()) {
        // Booked or moved outside the view: follow it.
        const QDate day = appointment.start_at.toTimeZone(m_model->zone()).date();
        if (!m_model->isAllProviders() && m_model->provider() != appointment.provider_id)
            showProvider(appointment.provider_id);
        const auto mondayOf = [](QDate d) { return d.addDays(1 - d.dayOfWeek()); };
        if (m_model->mode() == ScheduleModel::Mode::Day || mondayOf(day) != mondayOf(m_model->day()))
            showDay(day);
    }
    selectAppointment(appointment.id.value);
    updateActions();
    Q_EMIT appointmentChanged(appointment.id.value);
}

void SchedulePage::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    if (index.isValid())
        m_table->setCurrentIndex(index);
    QMenu menu(this);
    for (QAction *action : menuActions()) {
        if (!action)
            menu.addSeparator();
        else if (action->isEnabled() && action->isVisible() && action != m_previous &&
                 action != m_next && action != m_today)
            menu.addAction(action);
    }
    if (!menu.isEmpty())
        menu.exec(m_table->viewport()->mapToGlobal(pos));
}

void SchedulePage::recordsChanged(const QStringList &ids)
{
    m_model->recordsChanged(ids);
}

QString SchedulePage::viewKind() const
{
    if (m_model->isAllProviders())
        return QStringLiteral("providers");
    return m_model->mode() == ScheduleModel::Mode::Week ? QStringLiteral("week")
                                                        : QStringLiteral("day");
}

void SchedulePage::rememberColumnWidth(int newWidth)
{
    // A single column fills the view; in a grid, the width the person gives one column is
    // every column's.
    if (m_applyingWidths || m_model->columnCount() < 2)
        return;
    m_columnWidths.insert(viewKind(), newWidth);
    applyColumnWidth();
}

void SchedulePage::applyColumnWidth()
{
    const int columns = m_model->columnCount();
    m_applyingWidths = true;
    m_table->horizontalHeader()->setStretchLastSection(columns == 1);
    if (columns > 1) {
        // Until the person chooses a width, the columns share the view.
        const int width = m_columnWidths.value(
            viewKind(), std::max(kMinColumnWidth, m_table->viewport()->width() / columns));
        for (int c = 0; c < columns; ++c)
            m_table->setColumnWidth(c, width);
    }
    m_applyingWidths = false;
}

bool SchedulePage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize &&
        !m_columnWidths.contains(viewKind()))
        applyColumnWidth();
    return QWidget::eventFilter(watched, event);
}

void SchedulePage::saveState(QSettings &settings) const
{
    settings.beginGroup(QStringLiteral("schedule"));
    for (auto it = m_columnWidths.cbegin(); it != m_columnWidths.cend(); ++it)
        settings.setValue(QStringLiteral("columnWidth/") + it.key(), it.value());
    settings.endGroup();
}

void SchedulePage::restoreState(const QSettings &settings)
{
    for (const QString &kind : {QStringLiteral("day"), QStringLiteral("week"), QStringLiteral("providers")}) {
        const QVariant width = settings.value(QStringLiteral("schedule/columnWidth/") + kind);
        if (width.isValid() && width.toInt() >= 40)
            m_columnWidths.insert(kind, width.toInt());
    }
    applyColumnWidth();
}

} // namespace tmdash
