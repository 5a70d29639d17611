#include "appointmentdialog.h"

#include "appointmentnames.h"
#include "appointmentrules.h"
#include "appointmentstore.h"
#include "clinicstore.h"
#include "clock.h"
#include "patientstore.h"
#include "providerstore.h"

#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTimeEdit>
#include <QVBoxLayout>

namespace tmdash {

namespace {

const QString kErrorStyle = QStringLiteral("color: #b00020");
constexpr int kIdRole = Qt::UserRole;

// The fields that have a message label of their own, in the order they are shown.
const QStringList &messageFields()
{
    static const QStringList fields{QStringLiteral("patient_id"), QStringLiteral("provider_id"),
                                    QStringLiteral("start_at"),   QStringLiteral("duration_minutes"),
                                    QStringLiteral("type"),       QStringLiteral("room"),
                                    QStringLiteral("reason")};
    return fields;
}

} // namespace

AppointmentDialog::AppointmentDialog(const Database &db, const Principal &who, QWidget *parent)
    : QDialog(parent), m_db(db), m_who(who)
{
    setObjectName(QStringLiteral("appointmentDialog"));
    setWindowTitle(tr("New appointment"));
    build();
}

AppointmentDialog::AppointmentDialog(const Database &db, const Principal &who,
                                     const Appointment &existing, QWidget *parent)
    : QDialog(parent), m_db(db), m_who(who), m_existing(existing)
{
    setObjectName(QStringLiteral("appointmentDialog"));
    setWindowTitle(tr("Reschedule appointment"));
    build();
    auto patient = PatientStore(m_db, m_who).get(existing.patient_id);
    setPatient(existing.patient_id,
               patient ? patient->displayName() : tr("(patient not available)"));
    setProvider(existing.provider_id);
    const QDateTime local = existing.start_at.toTimeZone(zone());
    setDay(local.date());
    setStartTime(local.time());
    m_duration->setValue(existing.duration_minutes);
    m_durationEdited = true;
    m_type->setCurrentIndex(m_type->findData(int(existing.type)));
    m_room->setText(existing.room);
    m_reason->setText(existing.reason);
    m_time->setFocus();
}

void AppointmentDialog::loadReferenceData()
{
    auto clinics = ClinicStore(m_db, m_who).list();
    if (clinics && !clinics->isEmpty()) {
        m_clinic = clinics->constFirst();
        for (const Clinic &c : std::as_const(*clinics))
            if (c.id == m_who.clinic_id)
                m_clinic = c;
    } else {
        setMessage(QString(), clinics ? tr("This desktop has no clinic yet.")
                                      : clinics.error().message);
    }
    auto providers = ProviderStore(m_db, m_who).list();
    auto names = ProviderStore(m_db, m_who).displayNames();
    if (!providers || !names) {
        setMessage(QString(), !providers ? providers.error().message : names.error().message);
        return;
    }
    for (const Provider &p : std::as_const(*providers)) {
        if (p.clinic_id != m_clinic.id)
            continue;
        m_providers << p;
        m_provider->addItem(AppointmentNames::provider(p, names->value(p.id.value)), p.id.value);
    }
}

QTimeZone AppointmentDialog::zone() const
{
    const QTimeZone zone = m_clinic.timeZone();
    return zone.isValid() ? zone : QTimeZone::utc();
}

void AppointmentDialog::build()
{
    m_search = new QLineEdit(this);
    m_results = new QListWidget(this);
    m_patientChosen = new QLabel(this);
    m_provider = new QComboBox(this);
    m_day = new QDateEdit(this);
    m_time = new QTimeEdit(this);
    m_suggestions = new QListWidget(this);
    m_duration = new QSpinBox(this);
    m_type = new QComboBox(this);
    m_room = new QLineEdit(this);
    m_reason = new QLineEdit(this);
    m_message = new QLabel(this);

    m_search->setObjectName(QStringLiteral("patientSearch"));
    m_search->setPlaceholderText(tr("Name, MRN, phone or birth date"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);
    m_results->setObjectName(QStringLiteral("patientResults"));
    m_results->setMaximumHeight(110);
    m_results->installEventFilter(this);
    m_patientChosen->setObjectName(QStringLiteral("patientChosen"));
    m_patientChosen->setText(tr("No patient chosen"));
    m_provider->setObjectName(QStringLiteral("provider"));
    m_day->setObjectName(QStringLiteral("day"));
    m_day->setCalendarPopup(true);
    m_day->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_time->setObjectName(QStringLiteral("startTime"));
    m_time->setDisplayFormat(QStringLiteral("HH:mm"));
    m_suggestions->setObjectName(QStringLiteral("freeSlots"));
    m_suggestions->setMinimumWidth(120);
    m_duration->setObjectName(QStringLiteral("duration"));
    m_duration->setRange(kMinAppointmentMinutes, kMaxAppointmentMinutes);
    m_duration->setSingleStep(5);
    m_duration->setSuffix(tr(" min"));
    m_type->setObjectName(QStringLiteral("type"));
    for (AppointmentType t : {AppointmentType::FollowUp, AppointmentType::NewPatient,
                              AppointmentType::AnnualPhysical, AppointmentType::Urgent,
                              AppointmentType::Telehealth, AppointmentType::Procedure})
        m_type->addItem(AppointmentNames::type(t), int(t));
    m_room->setObjectName(QStringLiteral("room"));
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setPlaceholderText(tr("Why the patient comes"));
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setStyleSheet(kErrorStyle);
    m_message->setWordWrap(true);
    m_message->hide();
    for (const QString &field : messageFields()) {
        auto *label = new QLabel(this);
        label->setObjectName(field + QStringLiteral("Message"));
        label->setStyleSheet(kErrorStyle);
        label->setWordWrap(true);
        label->hide();
        m_messages.insert(field, label);
    }

    loadReferenceData();
    m_day->setDate(nowUtc().toTimeZone(zone()).date());
    m_time->setTime(QTime(9, 0));
    if (const Provider *p = currentProvider())
        m_duration->setValue(p->default_slot_minutes);

    auto *grid = new QGridLayout;
    int row = 0;
    const auto addRow = [&](const QString &text, QWidget *editor, const QString &field) {
        auto *label = new QLabel(text, this);
        label->setBuddy(editor);
        grid->addWidget(label, row, 0);
        grid->addWidget(editor, row++, 1);
        if (!field.isEmpty())
            grid->addWidget(m_messages.value(field), row++, 1);
    };
    if (isRescheduling()) {
        m_search->hide();
        m_results->hide();
        addRow(tr("Patient"), m_patientChosen, QStringLiteral("patient_id"));
    } else {
        addRow(tr("&Patient"), m_search, QString());
        grid->addWidget(m_results, row++, 1);
        grid->addWidget(m_patientChosen, row++, 1);
        grid->addWidget(m_messages.value(QStringLiteral("patient_id")), row++, 1);
    }
    addRow(tr("P&rovider"), m_provider, QStringLiteral("provider_id"));
    addRow(tr("&Day"), m_day, QString());
    addRow(tr("&Time"), m_time, QStringLiteral("start_at"));
    addRow(tr("&Length"), m_duration, QStringLiteral("duration_minutes"));
    addRow(tr("T&ype"), m_type, QStringLiteral("type"));
    addRow(tr("R&oom"), m_room, QStringLiteral("room"));
    addRow(tr("R&eason"), m_reason, QStringLiteral("reason"));
    grid->setColumnStretch(1, 1);

    auto *free = new QVBoxLayout;
    auto *freeLabel = new QLabel(tr("&Free times"), this);
    freeLabel->setBuddy(m_suggestions);
    free->addWidget(freeLabel);
    free->addWidget(m_suggestions, 1);

    auto *columns = new QHBoxLayout;
    columns->addLayout(grid, 1);
    columns->addLayout(free);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("save"));
    m_save->setText(isRescheduling() ? tr("&Reschedule") : tr("&Book"));
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancel"));
    connect(buttons, &QDialogButtonBox::accepted, this, &AppointmentDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(m_message);
    layout->addWidget(buttons);

    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(kSearchDelayMs);
    connect(m_search, &QLineEdit::textChanged, &m_searchDelay, qOverload<>(&QTimer::start));
    connect(&m_searchDelay, &QTimer::timeout, this, &AppointmentDialog::runPatientSearch);
    connect(m_results, &QListWidget::currentItemChanged, this,
            [this](QListWidgetItem *current) { choosePatient(current); });
    connect(m_provider, &QComboBox::currentIndexChanged, this, &AppointmentDialog::providerChosen);
    connect(m_day, &QDateEdit::dateChanged, this, [this] {
        clearMessage(QStringLiteral("start_at"));
        updateSuggestions();
    });
    connect(m_time, &QTimeEdit::timeChanged, this, [this] {
        clearMessage(QStringLiteral("start_at"));
        updateSaveEnabled();
    });
    connect(m_duration, &QSpinBox::valueChanged, this, [this] {
        m_durationEdited = true;
        clearMessage(QStringLiteral("duration_minutes"));
        clearMessage(QStringLiteral("start_at"));
        updateSuggestions();
    });
    connect(m_type, &QComboBox::currentIndexChanged, this,
            [this] { clearMessage(QStringLiteral("type")); });
    connect(m_room, &QLineEdit::textEdited, this, [this] { clearMessage(QStringLiteral("room")); });
    connect(m_reason, &QLineEdit::textEdited, this,
            [this] { clearMessage(QStringLiteral("reason")); });
    connect(m_suggestions, &QListWidget::itemClicked, this, &AppointmentDialog::pickSuggestion);
    connect(m_suggestions, &QListWidget::itemActivated, this, &AppointmentDialog::pickSuggestion);
    connect(m_suggestions, &QListWidget::currentItemChanged, this,
            [this](QListWidgetItem *current) {
                if (current && m_suggestions->hasFocus())
                    pickSuggestion(current);
            });

    updateSuggestions();
    updateSaveEnabled();
    resize(720, 480);
    m_search->setFocus();
}

const Provider *AppointmentDialog::currentProvider() const
{
    const QString id = m_provider->currentData().toString();
    for (const Provider &p : m_providers)
        if (p.id.value == id)
            return &p;
    return nullptr;
}

void AppointmentDialog::setProvider(const ProviderId &provider)
{
    const int index = m_provider->findData(provider.value);
    if (index >= 0)
        m_provider->setCurrentIndex(index);
}

void AppointmentDialog::setDay(QDate localDay)
{
    if (localDay.isValid())
        m_day->setDate(localDay);
}

void AppointmentDialog::setStartTime(QTime localTime)
{
    if (localTime.isValid())
        m_time->setTime(localTime);
}

void AppointmentDialog::setPatient(const PatientId &patient, const QString &displayName)
{
    m_patient = patient;
    m_patientChosen->setText(displayName);
    clearMessage(QStringLiteral("patient_id"));
    updateSaveEnabled();
}

QString AppointmentDialog::messageFor(const QString &field) const
{
    QLabel *label = field.isEmpty() ? m_message : m_messages.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

QList<QDateTime> AppointmentDialog::suggestions() const
{
    QList<QDateTime> out;
    for (int i = 0; i < m_suggestions->count(); ++i) {
        const QVariant at = m_suggestions->item(i)->data(kIdRole);
        if (at.isValid())
            out << at.toDateTime();
    }
    return out;
}

void AppointmentDialog::runPatientSearch()
{
    m_searchDelay.stop();
    m_results->clear();
    const QString text = m_search->text().trimmed();
    if (text.isEmpty())
        return;
    auto found = PatientStore(m_db, m_who).search(text, kSearchLimit);
    if (!found) {
        setMessage(QStringLiteral("patient_id"), found.error().message);
        return;
    }
    for (const Patient &p : std::as_const(*found)) {
        QStringList parts{p.displayName()};
        if (p.birth_date)
            parts << formatDate(*p.birth_date);
        if (!p.mrn.isEmpty())
            parts << p.mrn;
        auto *item = new QListWidgetItem(parts.join(QStringLiteral(" · ")), m_results);
        item->setData(kIdRole, p.id.value);
        item->setData(Qt::UserRole + 1, p.displayName());
    }
    if (found->isEmpty()) {
        auto *none = new QListWidgetItem(tr("No patient matches “%1”.").arg(text), m_results);
        none->setFlags(Qt::NoItemFlags);
    }
}

void AppointmentDialog::choosePatient(QListWidgetItem *item)
{
    if (!item || !item->data(kIdRole).isValid())
        return;
    setPatient(PatientId(item->data(kIdRole).toString()), item->data(Qt::UserRole + 1).toString());
}

bool AppointmentDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QDialog::eventFilter(watched, event);
    const int key = static_cast<QKeyEvent *>(event)->key();
    const bool enter = key == Qt::Key_Return || key == Qt::Key_Enter;
    if (watched == m_search && (enter || key == Qt::Key_Down)) {
        // From the search straight into the matches, keyboard only.
        if (m_searchDelay.isActive())
            runPatientSearch();
        if (m_results->count() > 0 && (m_results->item(0)->flags() & Qt::ItemIsEnabled)) {
            m_results->setFocus(Qt::TabFocusReason);
            if (!m_results->currentItem())
                m_results->setCurrentRow(0);
        }
        return true;
    }
    if (watched == m_results && enter) {
        choosePatient(m_results->currentItem());
        m_provider->setFocus(Qt::TabFocusReason);
        return true;
    }
    return QDialog::eventFilter(watched, event);
}

void AppointmentDialog::providerChosen()
{
    clearMessage(QStringLiteral("provider_id"));
    clearMessage(QStringLiteral("start_at"));
    if (const Provider *p = currentProvider(); p && !m_durationEdited) {
        const QSignalBlocker blocker(m_duration);
        m_duration->setValue(p->default_slot_minutes);
    }
    updateSuggestions();
}

void AppointmentDialog::updateSuggestions()
{
    m_suggestions->clear();
    const Provider *provider = currentProvider();
    if (!provider)
        return;
    auto free = AppointmentStore(m_db, m_who)
                    .freeSlots(provider->id, m_day->date(), m_duration->value());
    if (!free) {
        auto *item = new QListWidgetItem(free.error().message, m_suggestions);
        item->setFlags(Qt::NoItemFlags);
        return;
    }
    const QDateTime now = nowUtc();
    const QLocale locale;
    for (const QDateTime &at : std::as_const(*free)) {
        if (at < now)
            continue; // the past is not offered
        auto *item = new QListWidgetItem(
            locale.toString(at.toTimeZone(zone()).time(), QStringLiteral("HH:mm")), m_suggestions);
        item->setData(kIdRole, at);
    }
    if (m_suggestions->count() == 0) {
        auto *none = new QListWidgetItem(tr("No free time on this day"), m_suggestions);
        none->setFlags(Qt::NoItemFlags);
    }
}

void AppointmentDialog::pickSuggestion(QListWidgetItem *item)
{
    if (!item || !item->data(kIdRole).isValid())
        return;
    const QDateTime local = item->data(kIdRole).toDateTime().toTimeZone(zone());
    m_time->setTime(local.time());
    // The room of the provider's window at that time, unless the person chose another.
    if (const Provider *p = currentProvider();
        p && (m_room->text().trimmed().isEmpty() || m_room->text() == m_autoRoom)) {
        for (const ProviderAvailability &w : p->availabilityOn(local.date().dayOfWeek())) {
            if (w.start_time <= local.time() && local.time() < w.end_time && !w.room.isEmpty()) {
                m_autoRoom = w.room;
                m_room->setText(w.room);
                clearMessage(QStringLiteral("room"));
            }
        }
    }
}

void AppointmentDialog::setMessage(const QString &field, const QString &message)
{
    QLabel *label = m_messages.value(field, m_message);
    label->setText(message);
    label->setVisible(!message.isEmpty());
}

void AppointmentDialog::clearMessage(const QString &field)
{
    setMessage(field, QString());
    setMessage(QString(), QString());
}

void AppointmentDialog::updateSaveEnabled()
{
    m_save->setEnabled(!m_patient.isNull() && currentProvider() && m_time->time().isValid());
}

void AppointmentDialog::showError(const Error &error)
{
    for (QLabel *label : std::as_const(m_messages))
        label->hide();
    QStringList general;
    if (error.fields.isEmpty())
        general << error.message;
    QMap<QString, QStringList> byField;
    for (const FieldError &e : error.fields) {
        if (m_messages.contains(e.field))
            byField[e.field] << e.message;
        else
            general << e.message;
    }
    for (auto it = byField.cbegin(); it != byField.cend(); ++it)
        setMessage(it.key(), it.value().join(QLatin1Char('\n')));
    setMessage(QString(), general.join(QLatin1Char('\n')));
}

void AppointmentDialog::save()
{
    if (!m_save->isEnabled())
        return;
    Appointment a = m_existing.value_or(Appointment{});
    const Provider *provider = currentProvider();
    if (!isRescheduling())
        a.patient_id = m_patient;
    a.provider_id = provider ? provider->id : ProviderId();
    a.start_at = QDateTime(m_day->date(), m_time->time(), zone()).toUTC();
    a.duration_minutes = m_duration->value();
    a.type = AppointmentType(m_type->currentData().toInt());
    a.room = m_room->text().trimmed();
    a.reason = m_reason->text().trimmed();

    const AppointmentStore store(m_db, m_who);
    Result<Appointment> stored = isRescheduling() ? store.update(a) : store.create(a);
    if (!stored) {
        showError(stored.error());
        if (!isRescheduling())
            updateSuggestions(); // someone may have taken a slot meanwhile
        return;
    }
    m_saved = *stored;
    Q_EMIT saved(m_saved);
    accept();
}

} // namespace tmdash
