#include "prescriptionform.h"

#include "clock.h"
#include "formulary.h"
#include "prescriptionstore.h"
#include "prescriptiontablemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include <cmath>

namespace tmdash {

namespace {

const QString kErrorStyle = QStringLiteral("color: #b00020");

QString formName(const QString &form)
{
    return QString(form).replace(QLatin1Char('_'), QLatin1Char(' '));
}

// The unit of a strength ("500 mg" -> "mg", "400 mg/80 mg" -> "mg"), empty when none.
QString strengthUnit(const QString &strength)
{
    static const QRegularExpression unit(QStringLiteral("^\\s*[0-9.]+\\s*([A-Za-zµ]+)"));
    const auto match = unit.match(strength);
    return match.hasMatch() ? match.captured(1) : QString();
}

// The item a dose form is counted in, when it is counted.
QString countedUnit(const QString &form)
{
    if (form.contains(QLatin1String("tablet")))
        return QStringLiteral("tablet");
    if (form.contains(QLatin1String("capsule")))
        return QStringLiteral("capsule");
    if (form.contains(QLatin1String("patch")))
        return QStringLiteral("patch");
    if (form.contains(QLatin1String("suppository")))
        return QStringLiteral("suppository");
    if (form.contains(QLatin1String("spray")))
        return QStringLiteral("puff");
    return {};
}

QString routeFor(const QString &form)
{
    if (form.startsWith(QLatin1String("sublingual")))
        return QStringLiteral("sublingual");
    if (form == QLatin1String("injection"))
        return QStringLiteral("injection");
    if (form.contains(QLatin1String("transdermal")))
        return QStringLiteral("transdermal");
    if (form == QLatin1String("ointment"))
        return QStringLiteral("topical");
    if (form.contains(QLatin1String("nasal")))
        return QStringLiteral("nasal");
    if (form == QLatin1String("suppository"))
        return QStringLiteral("rectal");
    return QStringLiteral("oral");
}

std::optional<double> readNumber(const QString &text, bool *unreadable)
{
    *unreadable = false;
    const QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    bool ok = false;
    double value = QLocale().toDouble(t, &ok);
    if (!ok)
        value = t.toDouble(&ok);
    if (!ok || !std::isfinite(value)) {
        *unreadable = true;
        return std::nullopt;
    }
    return value;
}

QString severityName(const QString &severity)
{
    if (severity == QLatin1String("contraindicated"))
        return PrescriptionForm::tr("Contraindicated");
    if (severity == QLatin1String("high"))
        return PrescriptionForm::tr("High");
    if (severity == QLatin1String("low"))
        return PrescriptionForm::tr("Low");
    if (severity == QLatin1String("unable_to_assess"))
        return PrescriptionForm::tr("Criticality unknown");
    return severity;
}

QString kindName(const QString &kind)
{
    if (kind == QLatin1String("interaction"))
        return PrescriptionForm::tr("Interaction");
    if (kind == QLatin1String("allergy"))
        return PrescriptionForm::tr("Allergy");
    if (kind == QLatin1String("max_daily_dose"))
        return PrescriptionForm::tr("Dose above the maximum");
    return kind;
}

} // namespace

PrescriptionForm::PrescriptionForm(const Database &db, const Principal &who,
                                   const PatientId &patient, const ProviderId &prescriber,
                                   QWidget *parent)
    : QDialog(parent), m_db(db), m_who(who), m_patient(patient), m_prescriber(prescriber),
      m_drugs(new QStandardItemModel(this)), m_drugFilter(new QSortFilterProxyModel(this)),
      m_search(new QLineEdit(this)), m_drugList(new QListView(this)),
      m_medication(new QLabel(this)), m_strength(new QComboBox(this)), m_form(new QComboBox(this)),
      m_dose(new QLineEdit(this)), m_unit(new QComboBox(this)), m_route(new QComboBox(this)),
      m_frequency(new QComboBox(this)), m_asNeeded(new QCheckBox(tr("As &needed"), this)),
      m_duration(new QLineEdit(this)), m_quantity(new QLineEdit(this)),
      m_refills(new QSpinBox(this)), m_start(new QDateEdit(this)),
      m_instructions(new QPlainTextEdit(this)), m_alertBox(new QFrame(this)),
      m_alertText(new QLabel(m_alertBox)),
      m_overrideCaption(new QLabel(tr("&Override reason *"), m_alertBox)),
      m_override(new QPlainTextEdit(m_alertBox)), m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("prescriptionForm"));
    setWindowTitle(tr("New prescription"));

    // The formulary, searchable by name, class and allergy group.
    for (const Medication &m : formulary().medications) {
        auto *item = new QStandardItem(tr("%1 — %2").arg(m.name, m.drug_class));
        item->setData(m.code, MedicationCodeRole);
        item->setData(
            QStringList{m.name, m.drug_class, m.allergy_groups.join(QLatin1Char(' '))}.join(
                QLatin1Char(' ')),
            SearchTextRole);
        item->setEditable(false);
        m_drugs->appendRow(item);
    }
    m_drugs->sort(0);
    m_drugFilter->setSourceModel(m_drugs);
    m_drugFilter->setFilterRole(SearchTextRole);
    m_drugFilter->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_search->setObjectName(QStringLiteral("drugSearch"));
    m_search->setPlaceholderText(tr("Type a drug name or class"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);
    m_drugList->setObjectName(QStringLiteral("drugList"));
    m_drugList->setModel(m_drugFilter);
    m_drugList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_drugList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_drugList->setMinimumHeight(120);
    m_medication->setObjectName(QStringLiteral("medicationName"));
    m_medication->setWordWrap(true);
    connect(m_search, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_drugFilter->setFilterFixedString(text.trimmed());
        // The best match is chosen at once, so that typing a name and Tab is enough.
        if (m_drugFilter->rowCount() > 0)
            m_drugList->setCurrentIndex(m_drugFilter->index(0, 0));
        else
            m_drugList->setCurrentIndex({});
    });
    connect(m_drugList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &PrescriptionForm::medicationChosen);

    const auto message = [this](const QString &key, QWidget *owner) {
        auto *label = new QLabel(owner);
        label->setObjectName(key + QStringLiteral("Message"));
        label->setWordWrap(true);
        label->setStyleSheet(kErrorStyle);
        label->hide();
        m_messages.insert(key, label);
        return label;
    };

    auto *drugBox = new QGroupBox(tr("Medication"), this);
    auto *drugLayout = new QVBoxLayout(drugBox);
    auto *searchCaption = new QLabel(tr("&Search the formulary:"), drugBox);
    searchCaption->setBuddy(m_search);
    drugLayout->addWidget(searchCaption);
    drugLayout->addWidget(m_search);
    drugLayout->addWidget(m_drugList, 1);
    drugLayout->addWidget(m_medication);
    drugLayout->addWidget(message(QStringLiteral("medication_code"), drugBox));

    auto *doseBox = new QGroupBox(tr("Dose and schedule"), this);
    auto *grid = new QGridLayout(doseBox);
    const auto place = [&](const QString &key, const QString &label, QWidget *editor,
                           QWidget *beside = nullptr) {
        editor->setObjectName(key);
        const int row = grid->rowCount();
        auto *caption = new QLabel(label, doseBox);
        caption->setBuddy(editor);
        grid->addWidget(caption, row, 0);
        if (beside) {
            auto *pair = new QHBoxLayout;
            pair->addWidget(editor, 1);
            pair->addWidget(beside);
            grid->addLayout(pair, row, 1);
        } else {
            grid->addWidget(editor, row, 1);
        }
        grid->addWidget(message(key, doseBox), row + 1, 1);
    };
    place(QStringLiteral("strength"), tr("S&trength"), m_strength);
    place(QStringLiteral("form"), tr("&Form"), m_form);
    m_unit->setEditable(true);
    m_unit->setObjectName(QStringLiteral("dose_unit"));
    m_unit->setToolTip(tr("Dose unit"));
    m_dose->setPlaceholderText(tr("e.g. 1 or 500"));
    place(QStringLiteral("dose_amount"), tr("&Dose *"), m_dose, m_unit);
    m_route->setEditable(true);
    for (const char *route :
         {"oral", "sublingual", "topical", "transdermal", "nasal", "inhaled", "rectal", "injection",
          "intramuscular", "subcutaneous", "intravenous"})
        m_route->addItem(QString::fromLatin1(route));
    place(QStringLiteral("route"), tr("&Route"), m_route);
    for (const auto &[frequency, key] : EnumNames<Frequency>::names)
        m_frequency->addItem(PrescriptionTableModel::frequencyName(frequency),
                             QString::fromLatin1(key));
    m_frequency->setCurrentIndex(m_frequency->findData(toString(Frequency::Qd)));
    m_asNeeded->setObjectName(QStringLiteral("as_needed"));
    place(QStringLiteral("frequency"), tr("Fre&quency"), m_frequency, m_asNeeded);
    m_duration->setPlaceholderText(tr("days (optional)"));
    place(QStringLiteral("duration_days"), tr("D&uration (days)"), m_duration);
    m_quantity->setPlaceholderText(tr("per fill (optional)"));
    place(QStringLiteral("quantity"), tr("Quant&ity"), m_quantity);
    m_refills->setRange(kMinRefills, kMaxRefills);
    place(QStringLiteral("refills"), tr("Re&fills"), m_refills);
    m_start->setCalendarPopup(true);
    m_start->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_start->setDate(QDate::currentDate());
    place(QStringLiteral("start_date"), tr("St&art date"), m_start);
    m_instructions->setTabChangesFocus(true);
    m_instructions->setMaximumHeight(70);
    place(QStringLiteral("instructions"), tr("Instru&ctions"), m_instructions);
    message(QStringLiteral("dose_unit"), doseBox);
    grid->addWidget(m_messages.value(QStringLiteral("dose_unit")), grid->rowCount(), 1);
    grid->setRowStretch(grid->rowCount(), 1);

    m_alertBox->setObjectName(QStringLiteral("alerts"));
    m_alertBox->setFrameShape(QFrame::StyledPanel);
    m_alertBox->setStyleSheet(
        QStringLiteral("#alerts { background: #fdecea; border: 1px solid #d05050; }"));
    m_alertText->setObjectName(QStringLiteral("alertsText"));
    m_alertText->setWordWrap(true);
    m_alertText->setTextFormat(Qt::RichText);
    m_override->setObjectName(QStringLiteral("override_reason"));
    m_override->setTabChangesFocus(true);
    m_override->setMaximumHeight(60);
    m_override->setPlaceholderText(
        tr("Why prescribe it despite the alert (e.g. benefit outweighs risk, monitored)"));
    m_overrideCaption->setBuddy(m_override);
    auto *alertLayout = new QVBoxLayout(m_alertBox);
    alertLayout->addWidget(m_alertText);
    alertLayout->addWidget(m_overrideCaption);
    alertLayout->addWidget(m_override);
    alertLayout->addWidget(message(QStringLiteral("override_reason"), m_alertBox));
    m_alertBox->hide();

    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(kErrorStyle);
    m_message->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("save"));
    m_save->setText(tr("&Save prescription"));
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancel"));
    connect(buttons, &QDialogButtonBox::accepted, this, &PrescriptionForm::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_strength, &QComboBox::currentIndexChanged, this, [this] {
        formChosen();
        edited(QStringLiteral("strength"));
    });
    connect(m_form, &QComboBox::currentIndexChanged, this, [this] {
        formChosen();
        edited(QStringLiteral("form"));
    });
    connect(m_dose, &QLineEdit::textEdited, this,
            [this] { edited(QStringLiteral("dose_amount")); });
    connect(m_unit, &QComboBox::currentTextChanged, this,
            [this] { edited(QStringLiteral("dose_unit")); });
    connect(m_route, &QComboBox::currentTextChanged, this,
            [this] { edited(QStringLiteral("route")); });
    connect(m_frequency, &QComboBox::currentIndexChanged, this,
            [this] { edited(QStringLiteral("frequency")); });
    connect(m_asNeeded, &QCheckBox::toggled, this, [this] { edited(QStringLiteral("as_needed")); });
    connect(m_duration, &QLineEdit::textEdited, this,
            [this] { edited(QStringLiteral("duration_days")); });
    connect(m_quantity, &QLineEdit::textEdited, this,
            [this] { edited(QStringLiteral("quantity")); });
    connect(m_refills, &QSpinBox::valueChanged, this,
            [this] { edited(QStringLiteral("refills")); });
    connect(m_start, &QDateEdit::dateChanged, this,
            [this] { edited(QStringLiteral("start_date")); });
    connect(m_instructions, &QPlainTextEdit::textChanged, this,
            [this] { edited(QStringLiteral("instructions")); });
    connect(m_override, &QPlainTextEdit::textChanged, this,
            [this] { edited(QStringLiteral("override_reason")); });

    auto *columns = new QHBoxLayout;
    columns->addWidget(drugBox, 2);
    columns->addWidget(doseBox, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(m_alertBox);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(900, 600);
    m_search->setFocus();
    medicationChosen();
}

bool PrescriptionForm::eventFilter(QObject *watched, QEvent *event)
{
    // Up and Down in the search walk the matches.
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up) {
            const int rows = m_drugFilter->rowCount();
            if (rows > 0) {
                int row =
                    m_drugList->currentIndex().isValid() ? m_drugList->currentIndex().row() : -1;
                row = key->key() == Qt::Key_Down ? qMin(rows - 1, row + 1) : qMax(0, row - 1);
                m_drugList->setCurrentIndex(m_drugFilter->index(row, 0));
            }
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

QString PrescriptionForm::selectedCode() const
{
    return m_drugList->currentIndex().data(MedicationCodeRole).toString();
}

void PrescriptionForm::medicationChosen()
{
    const Medication *med = findMedication(selectedCode());
    m_updating = true;
    const QString strength = m_strength->currentText();
    const QString form = m_form->currentData().toString();
    m_strength->clear();
    m_form->clear();
    if (med) {
        m_strength->addItems(med->strengths);
        for (const QString &f : med->forms)
            m_form->addItem(formName(f), f);
        if (const int i = m_strength->findText(strength); i >= 0)
            m_strength->setCurrentIndex(i);
        if (const int i = m_form->findData(form); i >= 0)
            m_form->setCurrentIndex(i);
        QString text =
            tr("<b>%1</b> (%2)").arg(med->name.toHtmlEscaped(), med->drug_class.toHtmlEscaped());
        if (med->max_daily_dose)
            text += tr(" — at most %1 %2 a day")
                        .arg(QLocale().toString(med->max_daily_dose->amount),
                             med->max_daily_dose->unit.toHtmlEscaped());
        if (!med->note.isEmpty())
            text += QStringLiteral("<br><i>%1</i>").arg(med->note.toHtmlEscaped());
        m_medication->setText(text);
    } else {
        m_medication->setText(tr("No medication chosen."));
    }
    m_strength->setEnabled(med != nullptr);
    m_form->setEnabled(med != nullptr);
    m_updating = false;
    formChosen();
    edited(QStringLiteral("medication_code"));
}

void PrescriptionForm::formChosen()
{
    if (m_updating)
        return;
    // The units that fit the strength and form; the person may type another.
    const QString form = m_form->currentData().toString();
    QStringList units;
    if (const QString counted = countedUnit(form); !counted.isEmpty())
        units << counted;
    if (const QString unit = strengthUnit(m_strength->currentText()); !unit.isEmpty())
        units << unit;
    if (form.contains(QLatin1String("solution")) || form.contains(QLatin1String("suspension")))
        units << QStringLiteral("mL");
    units.removeDuplicates();
    const QString unit = m_unit->currentText();
    m_updating = true;
    m_unit->clear();
    m_unit->addItems(units);
    // A unit the person chose or typed is kept.
    if (m_touched.contains(QStringLiteral("dose_unit")) && !unit.isEmpty())
        m_unit->setCurrentText(unit);
    if (!form.isEmpty() && !m_touched.contains(QStringLiteral("route")))
        m_route->setCurrentText(routeFor(form));
    m_updating = false;
}

void PrescriptionForm::edited(const QString &key)
{
    if (m_updating)
        return;
    m_touched.insert(key);
    m_storeErrors.remove(key);
    m_failure.clear();
    revalidate();
}

Prescription PrescriptionForm::collect(FieldErrors &unreadable) const
{
    Prescription rx;
    rx.patient_id = m_patient;
    rx.provider_id = m_prescriber;
    rx.medication_code = selectedCode();
    if (const Medication *med = findMedication(rx.medication_code))
        rx.medication_name = med->name;
    rx.strength = m_strength->currentText().trimmed();
    rx.form = m_form->currentData().toString();
    bool bad = false;
    if (const auto dose = readNumber(m_dose->text(), &bad))
        rx.dose_amount = *dose;
    if (bad)
        unreadable << FieldError{QStringLiteral("dose_amount"), QStringLiteral("format"),
                                 tr("The dose is not a number.")};
    rx.dose_unit = m_unit->currentText().trimmed();
    rx.route = m_route->currentText().trimmed();
    rx.frequency =
        enumFromString<Frequency>(m_frequency->currentData().toString()).value_or(Frequency::Qd);
    rx.as_needed = m_asNeeded->isChecked();
    if (const auto days = readNumber(m_duration->text(), &bad)) {
        if (*days != std::floor(*days))
            unreadable << FieldError{QStringLiteral("duration_days"), QStringLiteral("format"),
                                     tr("The duration is a whole number of days.")};
        else
            rx.duration_days = int(qBound(-1.0, *days, 100000.0));
    }
    if (bad)
        unreadable << FieldError{QStringLiteral("duration_days"), QStringLiteral("format"),
                                 tr("The duration is not a number.")};
    rx.quantity = readNumber(m_quantity->text(), &bad);
    if (bad)
        unreadable << FieldError{QStringLiteral("quantity"), QStringLiteral("format"),
                                 tr("The quantity is not a number.")};
    rx.refills = m_refills->value();
    rx.start_date = m_start->date();
    rx.instructions = m_instructions->toPlainText().trimmed();
    if (needsOverride())
        rx.override_reason = m_override->toPlainText().trimmed();
    return rx;
}

bool PrescriptionForm::needsOverride() const
{
    for (const PrescriptionAlert &a : m_alerts)
        if (a.kind == QLatin1String("interaction") || a.kind == QLatin1String("allergy"))
            return true;
    return false;
}

void PrescriptionForm::refreshAlerts(const Prescription &rx)
{
    // Asked again only when something the checks read has changed.
    const QString key = QStringList{rx.medication_code,
                                    rx.strength,
                                    rx.form,
                                    QString::number(rx.dose_amount),
                                    rx.dose_unit,
                                    toString(rx.frequency),
                                    rx.as_needed ? QStringLiteral("1") : QStringLiteral("0"),
                                    formatDate(rx.start_date),
                                    QString::number(rx.duration_days.value_or(0))}
                            .join(QLatin1Char('|'));
    if (key == m_alertKey)
        return;
    m_alertKey = key;
    m_alerts.clear();
    if (rx.medication_code.isEmpty()) {
        m_alertBox->hide();
        return;
    }
    Prescription probe = rx;
    probe.override_reason.clear();
    auto alerts = PrescriptionStore(m_db, m_who).alertsFor(probe);
    if (!alerts) {
        m_alertKey.clear(); // ask again on the next change
        m_failure = tr("The safety checks could not be run: %1").arg(alerts.error().message);
        m_alertBox->hide();
        return;
    }
    m_alerts = *alerts;
    QStringList items;
    for (const PrescriptionAlert &a : std::as_const(m_alerts))
        items << QStringLiteral("<li><b>%1 (%2):</b> %3</li>")
                     .arg(kindName(a.kind).toHtmlEscaped(),
                          severityName(a.severity).toHtmlEscaped(), a.message.toHtmlEscaped());
    m_alertText->setText(
        tr("<b>Check before prescribing:</b><ul>%1</ul>").arg(items.join(QString())));
    m_alertBox->setVisible(!m_alerts.isEmpty());
}

void PrescriptionForm::revalidate()
{
    FieldErrors unreadable;
    refreshAlerts(collect(unreadable));
    unreadable.clear();
    // Collected again: the override reason counts only while an alert needs it.
    const Prescription rx = collect(unreadable);
    const bool overriding = needsOverride();
    m_overrideCaption->setVisible(overriding);
    m_override->setVisible(overriding);

    // Interactions and allergies are the alerts above; the rest is checked here.
    FieldErrors errors = validatePrescription(rx, {}, {});
    errors << unreadable;
    const bool reasonMissing = overriding && rx.override_reason.isEmpty();
    if (reasonMissing)
        errors << FieldError{QStringLiteral("override_reason"), QStringLiteral("required"),
                             tr("Type why you prescribe it despite the alert above.")};
    if (rx.medication_code.isEmpty())
        errors << FieldError{QStringLiteral("medication_code"), QStringLiteral("required"),
                             tr("Choose a medication from the formulary.")};

    QMap<QString, QStringList> byField;
    QStringList others;
    for (const FieldError &e : std::as_const(errors)) {
        if (!m_messages.contains(e.field))
            continue; // patient_id, provider_id: not the person's to fix here
        byField[e.field] << e.message;
    }
    for (auto it = m_storeErrors.constBegin(); it != m_storeErrors.constEnd(); ++it) {
        if (m_messages.contains(it.key()))
            byField[it.key()] << it.value();
        else
            others << it.value();
    }
    for (auto it = m_messages.constBegin(); it != m_messages.constEnd(); ++it) {
        QStringList messages = byField.value(it.key());
        messages.removeDuplicates();
        // The override reason asks at once; other fields once the person has been there.
        const bool show = !messages.isEmpty() &&
                          (m_touched.contains(it.key()) || m_storeErrors.contains(it.key()) ||
                           it.key() == QLatin1String("override_reason"));
        it.value()->setText(messages.join(QLatin1Char('\n')));
        it.value()->setVisible(show);
    }
    if (!m_failure.isEmpty())
        others.prepend(m_failure);
    others.removeDuplicates();
    m_message->setText(others.join(QLatin1Char('\n')));
    m_message->setVisible(!others.isEmpty());

    const bool blocking = !errors.isEmpty();
    m_save->setEnabled(!blocking);
    if (reasonMissing)
        m_save->setToolTip(tr("Give an override reason for the alert first."));
    else if (blocking)
        m_save->setToolTip(tr("Complete and correct the marked fields first."));
    else
        m_save->setToolTip({});
}

QString PrescriptionForm::messageFor(const QString &field) const
{
    if (QLabel *label = m_messages.value(field))
        return label->isVisibleTo(this) ? label->text() : QString();
    return {};
}

void PrescriptionForm::save()
{
    revalidate();
    if (!m_save->isEnabled())
        return; // Enter in a field must not get around a disabled Save
    FieldErrors unreadable;
    const Prescription rx = collect(unreadable);
    QList<PrescriptionAlert> raised;
    auto stored = PrescriptionStore(m_db, m_who).create(rx, &raised);
    if (!stored) {
        const Error &error = stored.error();
        m_storeErrors.clear();
        for (const FieldError &e : error.fields)
            if (!m_storeErrors.contains(e.field))
                m_storeErrors.insert(e.field, e.message);
        m_failure = error.fields.isEmpty()
                        ? tr("The prescription was not saved: %1").arg(error.message)
                        : tr("The prescription was not saved: see the marked fields.");
        m_alertKey.clear(); // the store may know of a change since: ask again
        revalidate();
        return;
    }
    m_failure.clear();
    m_saved = *stored;
    Q_EMIT saved(m_saved);
    accept();
}

} // namespace tmdash
