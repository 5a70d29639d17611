#include "vitalsform.h"

#include "clock.h"
#include "units.h"
#include "vitalranges.h"
#include "vitalsstore.h"
#include "vitalstablemodel.h"
#include "vitalsvalidator.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace tmdash {

namespace {

const QString kErrorStyle = QStringLiteral("color: #b00020");

// A UCUM code as people write it.
QString unitLabel(const QString &ucum)
{
    if (ucum == QLatin1String("Cel"))
        return VitalsForm::tr("°C");
    if (ucum == QLatin1String("[degF]"))
        return VitalsForm::tr("°F");
    if (ucum == QLatin1String("[lb_av]"))
        return VitalsForm::tr("lb");
    if (ucum == QLatin1String("[in_i]"))
        return VitalsForm::tr("in");
    if (ucum == QLatin1String("mm[Hg]"))
        return VitalsForm::tr("mmHg");
    if (ucum == QLatin1String("{score}"))
        return VitalsForm::tr("0–10");
    return ucum; // kg, g, cm, m, %, /min, mg/dL, mmol/L read as they are
}

// The units offered for a measurement: the accepted ones, without the annotated synonyms of the
// stored unit ("{beats}/min" is "/min").
QStringList offeredUnits(Measurement m)
{
    QStringList out;
    const QStringList accepted = acceptedUnits(m);
    for (int i = 0; i < accepted.size(); ++i)
        if (i == 0 || !accepted.at(i).startsWith(QLatin1Char('{')))
            out << accepted.at(i);
    return out;
}

std::optional<double> readNumber(const QString &text)
{
    bool ok = false;
    double value = QLocale().toDouble(text, &ok);
    if (!ok)
        value = QLocale::c().toDouble(text, &ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

} // namespace

VitalsForm::VitalsForm(const Database &db, const Principal &who, const PatientId &patient,
                       QWidget *parent)
    : QDialog(parent), m_db(db), m_who(who), m_patient(patient),
      m_recordedAt(new QDateTimeEdit(this)), m_recordedAtMessage(new QLabel(this)),
      m_bmi(new QLabel(this)), m_bmiFlag(new QLabel(this)), m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("vitalsForm"));
    setWindowTitle(tr("Record vitals"));

    auto *grid = new QGridLayout;
    m_recordedAt->setObjectName(QStringLiteral("recorded_at"));
    m_recordedAt->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    m_recordedAt->setCalendarPopup(true);
    m_recordedAt->setDateTime(nowUtc().toLocalTime());
    m_recordedAtMessage->setObjectName(QStringLiteral("recorded_atMessage"));
    m_recordedAtMessage->setStyleSheet(kErrorStyle);
    m_recordedAtMessage->setWordWrap(true);
    m_recordedAtMessage->hide();
    auto *takenLabel = new QLabel(tr("&Taken at"), this);
    takenLabel->setBuddy(m_recordedAt);
    grid->addWidget(takenLabel, 0, 0);
    grid->addWidget(m_recordedAt, 0, 1, 1, 2);
    grid->addWidget(m_recordedAtMessage, 1, 1, 1, 3);
    connect(m_recordedAt, &QDateTimeEdit::dateTimeChanged, this, [this] {
        m_storeErrors.remove(QStringLiteral("recorded_at"));
        revalidate();
    });

    for (Measurement m : enteredMeasurements()) {
        const QString key = measurementInfo(m).key;
        Entry e{m};
        e.value = new QLineEdit(this);
        e.value->setObjectName(key);
        e.value->setMaximumWidth(110);
        e.unit = new QComboBox(this);
        e.unit->setObjectName(key + QStringLiteral("Unit"));
        for (const QString &ucum : offeredUnits(m))
            e.unit->addItem(unitLabel(ucum), ucum);
        e.unit->setEnabled(e.unit->count() > 1);
        e.flag = new QLabel(this);
        e.flag->setObjectName(key + QStringLiteral("Flag"));
        e.message = new QLabel(this);
        e.message->setObjectName(key + QStringLiteral("Message"));
        e.message->setStyleSheet(kErrorStyle);
        e.message->setWordWrap(true);
        e.message->hide();

        const int row = grid->rowCount();
        auto *label = new QLabel(VitalsTableModel::measurementName(m), this);
        label->setBuddy(e.value);
        grid->addWidget(label, row, 0);
        grid->addWidget(e.value, row, 1);
        grid->addWidget(e.unit, row, 2);
        grid->addWidget(e.flag, row, 3);
        grid->addWidget(e.message, row + 1, 1, 1, 3);
        const auto changed = [this, key] {
            m_storeErrors.remove(key);
            m_failure.clear();
            revalidate();
        };
        connect(e.value, &QLineEdit::textChanged, this, changed);
        connect(e.unit, &QComboBox::currentIndexChanged, this, changed);
        m_entries << e;
    }
    const int bmiRow = grid->rowCount();
    m_bmi->setObjectName(QStringLiteral("bmi"));
    m_bmiFlag->setObjectName(QStringLiteral("bmiFlag"));
    grid->addWidget(new QLabel(VitalsTableModel::measurementName(Measurement::Bmi), this), bmiRow,
                    0);
    grid->addWidget(m_bmi, bmiRow, 1, 1, 2);
    grid->addWidget(m_bmiFlag, bmiRow, 3);
    grid->setColumnStretch(3, 1);

    m_message->setObjectName(QStringLiteral("message"));
    m_message->setStyleSheet(kErrorStyle);
    m_message->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("save"));
    m_save->setText(tr("&Save"));
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancel"));
    connect(buttons, &QDialogButtonBox::accepted, this, &VitalsForm::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    revalidate();
    if (!m_entries.isEmpty())
        m_entries.constFirst().value->setFocus();
}

Vitals VitalsForm::collect(FieldErrors &unreadable) const
{
    Vitals v;
    v.patient_id = m_patient;
    v.recorded_at = m_recordedAt->dateTime().toUTC();
    for (const Entry &e : m_entries) {
        const QString text = e.value->text().trimmed();
        if (text.isEmpty())
            continue;
        const QString key = measurementInfo(e.m).key;
        const std::optional<double> typed = readNumber(text);
        if (!typed) {
            unreadable.append({key, QStringLiteral("format"),
                               tr("\"%1\" is not a number; expected e.g. %2.")
                                   .arg(text, QLocale().toString(37.5, 'f', 1))});
            continue;
        }
        const QString ucum = e.unit->currentData().toString();
        auto stored = convertToStoredUnit(e.m, *typed, ucum);
        if (!stored) {
            unreadable.append({key, QStringLiteral("unit"), stored.error().message});
            continue;
        }
        double value = *stored;
        // A converted value is kept to a hundredth (98.6 °F is 37 °C, not 36.99999...).
        if (ucum != measurementInfo(e.m).ucum)
            value = std::round(value * 100.0) / 100.0;
        v.setValue(e.m, value);
    }
    return v;
}

void VitalsForm::showFlag(QLabel *label, std::optional<Flag> flag)
{
    if (!flag || *flag == Flag::Normal) {
        label->setText(flag ? VitalsTableModel::flagName(Flag::Normal) : QString());
        label->setStyleSheet(QStringLiteral("color: #2e7d32"));
        return;
    }
    const bool critical = *flag == Flag::CriticalLow || *flag == Flag::CriticalHigh;
    label->setText(VitalsTableModel::flagName(*flag));
    label->setStyleSheet(critical ? QStringLiteral("color: #b00020; font-weight: bold")
                                  : QStringLiteral("color: #a14a00; font-weight: bold"));
}

void VitalsForm::revalidate()
{
    FieldErrors errors;
    const Vitals v = collect(errors);
    const FieldErrors validation = validateVitals(v, nowUtc());
    errors += validation;

    const auto messageOf = [&](const QString &key) {
        for (const FieldError &e : std::as_const(errors))
            if (e.field == key)
                return e.message;
        return m_storeErrors.value(key);
    };
    QStringList others;
    for (const Entry &e : std::as_const(m_entries)) {
        const QString key = measurementInfo(e.m).key;
        const QString message = messageOf(key);
        e.message->setText(message);
        e.message->setVisible(!message.isEmpty());
        const std::optional<double> value = message.isEmpty() ? v.value(e.m) : std::nullopt;
        showFlag(e.flag, value ? std::optional<Flag>(flagFor(e.m, *value)) : std::nullopt);
    }
    const QString whenMessage = messageOf(QStringLiteral("recorded_at"));
    m_recordedAtMessage->setText(whenMessage);
    m_recordedAtMessage->setVisible(!whenMessage.isEmpty());

    // BMI follows from height and weight once both are possible.
    std::optional<double> bmi;
    if (messageOf(QStringLiteral("height_cm")).isEmpty() && messageOf(QStringLiteral("weight_kg")).isEmpty())
        bmi = v.bmi();
    if (bmi) {
        const double value = *bmi;
        m_bmi->setText(VitalsTableModel::formatValue(Measurement::Bmi, value) + QLatin1Char(' ') +
                       displayUnit(Measurement::Bmi));
        showFlag(m_bmiFlag, flagFor(Measurement::Bmi, value));
    } else {
        m_bmi->clear();
        showFlag(m_bmiFlag, std::nullopt);
    }

    const auto shownAbove = [](const QString &field) {
        return field == QLatin1String("recorded_at") || measurementFromKey(field).has_value();
    };
    // An empty form needs no message: Save is simply not offered yet.
    for (const FieldError &e : std::as_const(errors))
        if (!shownAbove(e.field) && e.field != QLatin1String("measurements"))
            others << e.message;
    for (auto it = m_storeErrors.constBegin(); it != m_storeErrors.constEnd(); ++it)
        if (!shownAbove(it.key()))
            others << it.value();
    others.removeDuplicates();
    if (!m_failure.isEmpty())
        others.prepend(m_failure);
    m_message->setText(others.join(QLatin1Char('\n')));
    m_message->setVisible(!others.isEmpty());
    m_save->setEnabled(errors.isEmpty());
}

QString VitalsForm::messageFor(const QString &field) const
{
    if (field == QLatin1String("recorded_at"))
        return m_recordedAtMessage->isVisibleTo(this) ? m_recordedAtMessage->text() : QString();
    for (const Entry &e : m_entries)
        if (measurementInfo(e.m).key == field)
            return e.message->isVisibleTo(this) ? e.message->text() : QString();
    return {};
}

void VitalsForm::save()
{
    FieldErrors unreadable;
    const Vitals v = collect(unreadable);
    if (!unreadable.isEmpty() || !validateVitals(v, nowUtc()).isEmpty())
        return; // Save is disabled then; Enter in a field must not get around that
    auto stored = VitalsStore(m_db, m_who).create(v);
    if (!stored) {
        const Error &error = stored.error();
        m_storeErrors.clear();
        for (const FieldError &e : error.fields)
            if (!m_storeErrors.contains(e.field))
                m_storeErrors.insert(e.field, e.message);
        m_failure = error.fields.isEmpty()
                        ? tr("The vitals were not saved: %1").arg(error.message)
                        : tr("The vitals were not saved: see the marked fields.");
        revalidate();
        return;
    }
    m_failure.clear();
    m_saved = *stored;
    Q_EMIT saved(m_saved);
    accept();
}

} // namespace tmdash
