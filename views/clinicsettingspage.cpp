#include "clinicsettingspage.h"

#include "clinicstore.h"
#include "clinicvalidator.h"
#include "permissions.h"
#include "provideravailabilityeditor.h"
#include "provideravailabilitymodel.h"
#include "providerstore.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace tmdash {

namespace {

const QString kErrorStyle = QStringLiteral("color: #b00020");

QString hoursKey(int weekday)
{
    return QStringLiteral("business_hours.") + weekdayKey(weekday);
}

QString timeText(const std::optional<QTime> &time)
{
    return time && time->isValid() ? time->toString(QStringLiteral("HH:mm")) : QString();
}

} // namespace

ClinicSettingsPage::ClinicSettingsPage(const Database &db, const Principal &who, QWidget *parent)
    : QWidget(parent), m_db(db), m_who(who)
{
    setObjectName(QStringLiteral("clinicSettingsPage"));
    auto *layout = new QVBoxLayout(this);
    m_canManageClinic = principalMay(who, Action::ManageClinic);
    m_permitted = m_canManageClinic || principalMay(who, Action::ManageProviders);
    if (!m_permitted) {
        auto *refused = new QLabel(tr("Only administrators change the clinic's settings."), this);
        refused->setObjectName(QStringLiteral("notPermitted"));
        refused->setAlignment(Qt::AlignCenter);
        layout->addWidget(refused);
        return;
    }

    auto *splitter = new QSplitter(this);
    splitter->addWidget(buildClinicForm());
    splitter->addWidget(buildProviders());
    // The provider tables need the room; the clinic's fields are short.
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({520, 780});
    layout->addWidget(splitter);

    // The clinic: the person's own; for the owner (tools, tests) the database's only one.
    Result<Clinic> clinic = Error::notFound(tr("no clinic"));
    if (who.isPerson()) {
        clinic = ClinicStore(db, who).get(who.clinic_id);
    } else if (auto all = ClinicStore(db, who).list(); all && !all->isEmpty()) {
        clinic = all->first();
    } else if (!all) {
        clinic = all.error();
    }
    if (clinic) {
        loadClinic(*clinic);
    } else {
        m_failure = tr("The clinic could not be read: %1").arg(clinic.error().message);
        for (QLineEdit *edit : findChildren<QLineEdit *>())
            edit->setEnabled(false);
        m_timezone->setEnabled(false);
    }
    m_zone = m_original.timeZone();
    revalidate();
    loadProviders();
}

QWidget *ClinicSettingsPage::buildClinicForm()
{
    auto *box = new QGroupBox(tr("Clinic"), this);
    auto *form = new QFormLayout;
    const auto message = [box](const QString &key) {
        auto *label = new QLabel(box);
        label->setObjectName(key + QStringLiteral("Message"));
        label->setWordWrap(true);
        label->setStyleSheet(kErrorStyle);
        label->hide();
        return label;
    };
    const auto addLine = [&](const QString &key, const QString &label,
                             const QString &placeholder = {}) {
        Field field{key, new QLineEdit(box), message(key)};
        field.edit->setObjectName(key);
        field.edit->setPlaceholderText(placeholder);
        field.edit->setReadOnly(!m_canManageClinic);
        connect(field.edit, &QLineEdit::textEdited, this, &ClinicSettingsPage::clinicEdited);
        auto *column = new QVBoxLayout;
        column->setSpacing(1);
        column->addWidget(field.edit);
        column->addWidget(field.message);
        form->addRow(label, column);
        if (auto *caption = qobject_cast<QLabel *>(form->labelForField(column)))
            caption->setBuddy(field.edit); // Alt+letter goes to the editor
        m_fields << field;
    };

    addLine(QStringLiteral("name"), tr("&Name *"));
    {
        m_timezone = new QComboBox(box);
        m_timezone->setObjectName(QStringLiteral("timezone"));
        m_timezone->setEditable(true);
        m_timezone->setInsertPolicy(QComboBox::NoInsert);
        QStringList zones;
        for (const QByteArray &id : QTimeZone::availableTimeZoneIds())
            zones << QString::fromUtf8(id);
        std::sort(zones.begin(), zones.end());
        m_timezone->addItems(zones);
        m_timezone->setEnabled(m_canManageClinic);
        connect(m_timezone, &QComboBox::editTextChanged, this, &ClinicSettingsPage::clinicEdited);
        Field field{QStringLiteral("timezone"), nullptr, message(QStringLiteral("timezone"))};
        auto *column = new QVBoxLayout;
        column->setSpacing(1);
        column->addWidget(m_timezone);
        column->addWidget(field.message);
        form->addRow(tr("&Time zone *"), column);
        if (auto *caption = qobject_cast<QLabel *>(form->labelForField(column)))
            caption->setBuddy(m_timezone);
        m_fields << field;
    }
    addLine(QStringLiteral("phone"), tr("&Phone"), tr("e.g. (555) 123-4567"));
    addLine(QStringLiteral("address_line"), tr("&Address"));
    addLine(QStringLiteral("city"), tr("&City"));
    addLine(QStringLiteral("region"), tr("&Region"));
    addLine(QStringLiteral("postal_code"), tr("P&ostal code"));
    addLine(QStringLiteral("country"), tr("Co&untry"), tr("two letters, e.g. US"));

    auto *hoursBox = new QGroupBox(tr("Business hours (local time; both blank: closed)"), box);
    auto *grid = new QGridLayout(hoursBox);
    grid->addWidget(new QLabel(tr("Opens"), hoursBox), 0, 1);
    grid->addWidget(new QLabel(tr("Closes"), hoursBox), 0, 2);
    for (int weekday = 1; weekday <= 7; ++weekday) {
        const QString key = hoursKey(weekday);
        Day day{weekday, new QLineEdit(hoursBox), new QLineEdit(hoursBox)};
        day.open->setObjectName(key + QStringLiteral(".open"));
        day.close->setObjectName(key + QStringLiteral(".close"));
        for (QLineEdit *edit : {day.open, day.close}) {
            edit->setPlaceholderText(tr("closed"));
            edit->setMaximumWidth(80);
            edit->setReadOnly(!m_canManageClinic);
            connect(edit, &QLineEdit::textEdited, this, &ClinicSettingsPage::clinicEdited);
        }
        auto *label = new QLabel(QLocale().dayName(weekday, QLocale::LongFormat), hoursBox);
        label->setBuddy(day.open);
        Field field{key, nullptr, message(key)};
        const int row = 2 * weekday - 1;
        grid->addWidget(label, row, 0);
        grid->addWidget(day.open, row, 1);
        grid->addWidget(day.close, row, 2);
        grid->addWidget(field.message, row + 1, 0, 1, 4);
        m_days << day;
        m_fields << field;
    }
    grid->setColumnStretch(3, 1);

    m_clinicMessage = new QLabel(box);
    m_clinicMessage->setObjectName(QStringLiteral("clinicMessage"));
    m_clinicMessage->setWordWrap(true);
    m_saveClinic = new QPushButton(tr("&Save clinic settings"), box);
    m_saveClinic->setObjectName(QStringLiteral("saveClinic"));
    m_saveClinic->setVisible(m_canManageClinic);
    connect(m_saveClinic, &QPushButton::clicked, this, &ClinicSettingsPage::saveClinic);
    auto *saveRow = new QHBoxLayout;
    saveRow->addWidget(m_clinicMessage, 1);
    saveRow->addWidget(m_saveClinic, 0, Qt::AlignTop);

    auto *inner = new QWidget(box);
    auto *innerLayout = new QVBoxLayout(inner);
    innerLayout->addLayout(form);
    innerLayout->addWidget(hoursBox);
    innerLayout->addStretch(1);
    auto *scroll = new QScrollArea(box);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(inner);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(scroll, 1);
    layout->addLayout(saveRow);
    return box;
}

QWidget *ClinicSettingsPage::buildProviders()
{
    auto *box = new QGroupBox(tr("Providers"), this);
    m_providers = new QComboBox(box);
    m_providers->setObjectName(QStringLiteral("provider"));
    m_providerStack = new QStackedWidget(box);
    m_providersMessage = new QLabel(box);
    m_providersMessage->setObjectName(QStringLiteral("providersMessage"));
    m_providersMessage->setWordWrap(true);
    auto *pick = new QHBoxLayout;
    auto *caption = new QLabel(tr("Pro&vider:"), box);
    caption->setBuddy(m_providers);
    pick->addWidget(caption);
    pick->addWidget(m_providers, 1);
    connect(m_providers, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            showProvider(ProviderId(m_providers->itemData(index).toString()));
    });
    auto *layout = new QVBoxLayout(box);
    layout->addLayout(pick);
    layout->addWidget(m_providersMessage);
    layout->addWidget(m_providerStack, 1);
    box->setEnabled(principalMay(m_who, Action::ManageProviders));
    return box;
}

void ClinicSettingsPage::loadClinic(const Clinic &clinic)
{
    m_original = clinic;
    const QMap<QString, QString> values{
        {QStringLiteral("name"), clinic.name},
        {QStringLiteral("phone"), clinic.phone},
        {QStringLiteral("address_line"), clinic.address_line},
        {QStringLiteral("city"), clinic.city},
        {QStringLiteral("region"), clinic.region},
        {QStringLiteral("postal_code"), clinic.postal_code},
        {QStringLiteral("country"), clinic.country},
    };
    for (auto it = values.constBegin(); it != values.constEnd(); ++it)
        line(it.key())->setText(it.value());
    {
        const QSignalBlocker quiet(m_timezone);
        m_timezone->setCurrentIndex(m_timezone->findText(clinic.timezone));
        m_timezone->setEditText(clinic.timezone);
    }
    for (const Day &day : std::as_const(m_days)) {
        const DayHours &hours = clinic.hoursOn(day.weekday);
        day.open->setText(timeText(hours.open));
        day.close->setText(timeText(hours.close));
    }
    m_clinicModified = false;
    m_storeErrors.clear();
    m_failure.clear();
}

QLineEdit *ClinicSettingsPage::line(const QString &key) const
{
    for (const Field &f : m_fields)
        if (f.key == key)
            return f.edit;
    return nullptr;
}

Clinic ClinicSettingsPage::collect() const
{
    // An unreadable time is kept as an invalid QTime: validateClinic's "format".
    Clinic c = m_original;
    const auto text = [this](const char *key) {
        return line(QString::fromLatin1(key))->text().trimmed();
    };
    c.name = text("name");
    c.timezone = m_timezone->currentText().trimmed();
    c.phone = text("phone");
    c.address_line = text("address_line");
    c.city = text("city");
    c.region = text("region");
    c.postal_code = text("postal_code");
    c.country = text("country").toUpper(); // as the store normalises it
    for (const Day &day : m_days)
        c.setHoursOn(day.weekday, DayHours{ProviderAvailabilityModel::readTime(day.open->text()),
                                           ProviderAvailabilityModel::readTime(day.close->text())});
    return c;
}

void ClinicSettingsPage::clinicEdited()
{
    m_clinicModified = true;
    m_storeErrors.clear();
    m_failure.clear();
    revalidate();
}

void ClinicSettingsPage::revalidate()
{
    const FieldErrors errors = validateClinic(collect());
    QStringList others;
    for (const FieldError &e : std::as_const(errors)) {
        const bool shown = std::any_of(m_fields.cbegin(), m_fields.cend(),
                                       [&e](const Field &f) { return f.key == e.field; });
        if (!shown)
            others << e.message;
    }
    for (auto it = m_storeErrors.constBegin(); it != m_storeErrors.constEnd(); ++it)
        if (!std::any_of(m_fields.cbegin(), m_fields.cend(),
                         [&it](const Field &f) { return f.key == it.key(); }))
            others << it.value();
    if (!m_failure.isEmpty())
        others.prepend(m_failure);
    others.removeDuplicates();
    m_clinicMessage->setStyleSheet(kErrorStyle);
    m_clinicMessage->setText(others.join(QLatin1Char('\n')));
    for (Field &f : m_fields) {
        QString message;
        for (const FieldError &e : std::as_const(errors))
            if (e.field == f.key) {
                message = e.message;
                break;
            }
        if (message.isEmpty())
            message = m_storeErrors.value(f.key);
        f.message->setText(message);
        f.message->setVisible(!message.isEmpty());
    }
    m_saveClinic->setEnabled(m_canManageClinic && errors.isEmpty() && !m_original.id.isNull());
}

QString ClinicSettingsPage::messageFor(const QString &field) const
{
    for (const Field &f : m_fields)
        if (f.key == field)
            return f.message->isVisibleTo(this) ? f.message->text() : QString();
    return {};
}

bool ClinicSettingsPage::saveClinic()
{
    if (!m_saveClinic || !m_saveClinic->isEnabled())
        return false;
    const Clinic edited = collect();
    auto stored = ClinicStore(m_db, m_who).update(edited);
    if (!stored) {
        const Error &error = stored.error();
        m_storeErrors.clear();
        for (const FieldError &e : error.fields)
            if (!m_storeErrors.contains(e.field))
                m_storeErrors.insert(e.field, e.message);
        m_failure = error.fields.isEmpty() ? tr("Not saved: %1").arg(error.message)
                                           : tr("Not saved: correct the marked fields.");
        revalidate();
        return false;
    }
    loadClinic(*stored);
    revalidate();
    if (stored->timeZone() != m_zone) {
        // Availability and time off read in the new zone (editors with unsaved edits keep theirs).
        m_zone = stored->timeZone();
        loadProviders();
    }
    m_clinicMessage->setStyleSheet(QString());
    m_clinicMessage->setText(tr("Saved."));
    Q_EMIT clinicSaved(*stored);
    return true;
}

void ClinicSettingsPage::loadProviders()
{
    if (!principalMay(m_who, Action::ReadProviders))
        return;
    const ProviderStore store(m_db, m_who);
    auto providers = store.list();
    auto names = store.displayNames();
    if (!providers || !names) {
        m_providersMessage->setStyleSheet(kErrorStyle);
        m_providersMessage->setText(
            tr("The providers could not be read: %1")
                .arg(!providers ? providers.error().message : names.error().message));
        return;
    }
    const QString current = m_providers->currentData().toString();
    {
        const QSignalBlocker quiet(m_providers);
        m_providers->clear();
        for (const Provider &p : std::as_const(*providers)) {
            QString label = names->value(p.id.value, p.npi);
            if (!p.specialty.isEmpty())
                label += QStringLiteral(" — ") + p.specialty;
            m_providers->addItem(label, p.id.value);
        }
    }
    // Editors without unsaved edits are made again from what was read.
    for (const Provider &p : std::as_const(*providers)) {
        ProviderAvailabilityEditor *editor = m_editors.value(p.id.value);
        if (!editor || editor->isModified())
            continue;
        m_editors.remove(p.id.value);
        m_providerStack->removeWidget(editor);
        editor->deleteLater();
    }
    m_providersMessage->setStyleSheet(QString());
    m_providersMessage->setText(providers->isEmpty() ? tr("This clinic has no providers yet.")
                                                     : QString());
    m_providersMessage->setVisible(providers->isEmpty());
    int index = m_providers->findData(current);
    if (index < 0 && m_providers->count() > 0)
        index = 0;
    if (index >= 0) {
        const QSignalBlocker quiet(m_providers);
        m_providers->setCurrentIndex(index);
    }
    if (index >= 0)
        showProvider(ProviderId(m_providers->itemData(index).toString()));
}

ProviderAvailabilityEditor *ClinicSettingsPage::providerEditor(const ProviderId &provider)
{
    if (ProviderAvailabilityEditor *editor = m_editors.value(provider.value))
        return editor;
    auto stored = ProviderStore(m_db, m_who).get(provider);
    if (!stored) {
        m_providersMessage->setStyleSheet(kErrorStyle);
        m_providersMessage->setText(
            tr("The provider could not be read: %1").arg(stored.error().message));
        m_providersMessage->show();
        return nullptr;
    }
    auto *editor = new ProviderAvailabilityEditor(m_db, m_who, *stored, m_zone, m_providerStack);
    connect(editor, &ProviderAvailabilityEditor::saved, this, &ClinicSettingsPage::providerSaved);
    m_providerStack->addWidget(editor);
    m_editors.insert(provider.value, editor);
    return editor;
}

void ClinicSettingsPage::showProvider(const ProviderId &provider)
{
    ProviderAvailabilityEditor *editor = providerEditor(provider);
    if (!editor)
        return;
    m_providerStack->setCurrentWidget(editor);
    if (const int index = m_providers->findData(provider.value);
        index >= 0 && index != m_providers->currentIndex()) {
        const QSignalBlocker quiet(m_providers);
        m_providers->setCurrentIndex(index);
    }
}

bool ClinicSettingsPage::isModified() const
{
    if (m_clinicModified)
        return true;
    return std::any_of(m_editors.cbegin(), m_editors.cend(),
                       [](const ProviderAvailabilityEditor *e) { return e->isModified(); });
}

void ClinicSettingsPage::refresh()
{
    if (!m_permitted)
        return;
    if (!m_clinicModified && !m_original.id.isNull()) {
        if (auto clinic = ClinicStore(m_db, m_who).get(m_original.id)) {
            loadClinic(*clinic);
            revalidate();
        }
    }
    loadProviders();
}

} // namespace tmdash
