#include "patientform.h"

#include "clock.h"
#include "patientstore.h"
#include "patienttablemodel.h"
#include "patientvalidator.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace tmdash {

namespace {

const QString kErrorStyle = QStringLiteral("color: #b00020");

// The fields the form edits, in the order it shows them.
const QStringList &editedFields()
{
    static const QStringList fields{
        QStringLiteral("given_name"),   QStringLiteral("middle_name"),
        QStringLiteral("family_name"),  QStringLiteral("birth_date"),
        QStringLiteral("sex"),          QStringLiteral("preferred_language"),
        QStringLiteral("phone"),        QStringLiteral("email"),
        QStringLiteral("address_line"), QStringLiteral("city"),
        QStringLiteral("region"),       QStringLiteral("postal_code"),
        QStringLiteral("country"),
    };
    return fields;
}

} // namespace

PatientForm::PatientForm(const Database &db, const Principal &who, QWidget *parent)
    : QDialog(parent), m_db(db), m_who(who), m_sex(new QComboBox(this)), m_mrn(new QLabel(this)),
      m_duplicateBox(new QFrame(this)), m_duplicateText(new QLabel(m_duplicateBox)),
      m_saveAnyway(new QPushButton(tr("Save &anyway"), m_duplicateBox)), m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("patientForm"));
    setWindowTitle(tr("New patient"));

    auto *person = new QGroupBox(tr("Person"), this);
    auto *personGrid = new QGridLayout(person);
    auto *contact = new QGroupBox(tr("Contact and address"), this);
    auto *contactGrid = new QGridLayout(contact);

    m_mrn->setObjectName(QStringLiteral("mrn"));
    m_mrn->setTextInteractionFlags(Qt::TextSelectableByMouse);
    personGrid->addWidget(new QLabel(tr("MRN:"), person), 0, 0);
    personGrid->addWidget(m_mrn, 0, 1);
    m_mrn->setText(tr("assigned when saved"));

    const auto place = [this](QGridLayout *grid, const QString &label, QWidget *editor,
                              QLabel *message) {
        m_labels.insert(editor->objectName(),
                        QString(label).remove(QLatin1Char('&')).remove(QStringLiteral(" *")));
        const int row = grid->rowCount();
        auto *caption = new QLabel(label, grid->parentWidget());
        caption->setBuddy(editor);
        grid->addWidget(caption, row, 0);
        grid->addWidget(editor, row, 1);
        grid->addWidget(message, row + 1, 1);
    };
    const auto addLine = [&](QGridLayout *grid, const char *key, const QString &label,
                             const QString &placeholder = {}) {
        Field field;
        field.key = QString::fromLatin1(key);
        field.edit = new QLineEdit(grid->parentWidget());
        field.edit->setObjectName(field.key);
        field.edit->setPlaceholderText(placeholder);
        field.message = new QLabel(grid->parentWidget());
        field.message->setObjectName(field.key + QStringLiteral("Message"));
        field.message->setWordWrap(true);
        field.message->setStyleSheet(kErrorStyle);
        field.message->hide();
        place(grid, label, field.edit, field.message);
        const QString fieldKey = field.key;
        connect(field.edit, &QLineEdit::textEdited, this, [this, fieldKey] { edited(fieldKey); });
        m_fields << field;
    };

    addLine(personGrid, "given_name", tr("&Given name *"));
    addLine(personGrid, "middle_name", tr("&Middle name"));
    addLine(personGrid, "family_name", tr("&Family name *"));
    addLine(personGrid, "birth_date", tr("&Birth date *"), tr("YYYY-MM-DD"));
    {
        Field sex;
        sex.key = QStringLiteral("sex");
        m_sex->setObjectName(sex.key);
        for (Sex s : {Sex::Female, Sex::Male, Sex::Other, Sex::Unknown})
            m_sex->addItem(PatientTableModel::sexName(s), toString(s));
        m_sex->setCurrentIndex(m_sex->findData(toString(Sex::Unknown)));
        sex.message = new QLabel(person);
        sex.message->setObjectName(QStringLiteral("sexMessage"));
        sex.message->setStyleSheet(kErrorStyle);
        sex.message->hide();
        place(personGrid, tr("&Sex"), m_sex, sex.message);
        connect(m_sex, &QComboBox::activated, this, [this] { edited(QStringLiteral("sex")); });
        m_fields << sex;
    }
    addLine(personGrid, "preferred_language", tr("&Language"), tr("e.g. en, es, pt-BR"));
    personGrid->setRowStretch(personGrid->rowCount(), 1);

    addLine(contactGrid, "phone", tr("&Phone"), tr("e.g. (555) 123-4567 or +44 20 7946 0958"));
    addLine(contactGrid, "email", tr("&Email"));
    addLine(contactGrid, "address_line", tr("&Address"));
    addLine(contactGrid, "city", tr("&City"));
    addLine(contactGrid, "region", tr("&Region"));
    addLine(contactGrid, "postal_code", tr("P&ostal code"));
    addLine(contactGrid, "country", tr("Co&untry"), tr("two letters, e.g. US"));
    contactGrid->setRowStretch(contactGrid->rowCount(), 1);

    m_duplicateBox->setObjectName(QStringLiteral("duplicateWarning"));
    m_duplicateBox->setFrameShape(QFrame::StyledPanel);
    m_duplicateBox->setStyleSheet(
        QStringLiteral("#duplicateWarning { background: #fff4e5; border: 1px solid #e0a040; }"));
    m_duplicateText->setObjectName(QStringLiteral("duplicateText"));
    m_duplicateText->setWordWrap(true);
    m_duplicateText->setTextFormat(Qt::PlainText);
    m_saveAnyway->setObjectName(QStringLiteral("saveAnyway"));
    auto *duplicateLayout = new QHBoxLayout(m_duplicateBox);
    duplicateLayout->addWidget(m_duplicateText, 1);
    duplicateLayout->addWidget(m_saveAnyway, 0, Qt::AlignBottom);
    m_duplicateBox->hide();
    connect(m_saveAnyway, &QPushButton::clicked, this, [this] { write(collect()); });

    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(kErrorStyle);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("save"));
    m_save->setText(tr("&Save"));
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancel"));
    connect(buttons, &QDialogButtonBox::accepted, this, &PatientForm::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *columns = new QHBoxLayout;
    columns->addWidget(person);
    columns->addWidget(contact);
    auto *layout = new QVBoxLayout(this);
    m_presence = new QLabel(this);
    m_presence->setObjectName(QStringLiteral("presence"));
    m_presence->setWordWrap(true);
    m_presence->setStyleSheet(QStringLiteral("background: #fff4ce; padding: 4px"));
    m_presence->hide();
    layout->addWidget(m_presence);
    layout->addWidget(buildBanner());
    layout->addLayout(columns);
    layout->addWidget(m_duplicateBox);
    layout->addWidget(m_message);
    layout->addWidget(buttons);

    revalidate();
}

QLineEdit *PatientForm::line(const QString &key) const
{
    for (const Field &f : m_fields)
        if (f.key == key)
            return f.edit;
    return nullptr;
}

void PatientForm::setPatient(const Patient &patient)
{
    m_original = patient;
    m_storeErrors.clear();
    m_failure.clear();
    m_duplicateBox->hide();
    hideBanner();
    setWindowTitle(tr("Edit patient — %1").arg(patient.displayName()));
    m_mrn->setText(patient.mrn);
    const QMap<QString, QString> values{
        {QStringLiteral("given_name"), patient.given_name},
        {QStringLiteral("middle_name"), patient.middle_name},
        {QStringLiteral("family_name"), patient.family_name},
        {QStringLiteral("birth_date"),
         patient.birth_date ? formatDate(*patient.birth_date) : QString()},
        {QStringLiteral("preferred_language"), patient.preferred_language},
        {QStringLiteral("phone"), patient.phone},
        {QStringLiteral("email"), patient.email},
        {QStringLiteral("address_line"), patient.address_line},
        {QStringLiteral("city"), patient.city},
        {QStringLiteral("region"), patient.region},
        {QStringLiteral("postal_code"), patient.postal_code},
        {QStringLiteral("country"), patient.country},
    };
    for (auto it = values.constBegin(); it != values.constEnd(); ++it)
        line(it.key())->setText(it.value());
    m_sex->setCurrentIndex(m_sex->findData(toString(patient.sex)));
    // A stored record that no longer passes today's rules shows why at once.
    for (Field &f : m_fields)
        f.touched = true;
    revalidate();
}

Patient PatientForm::collect() const
{
    Patient p = m_original; // keeps id, MRN, lists and bookkeeping when editing
    const auto text = [this](const char *key) {
        return line(QString::fromLatin1(key))->text().trimmed();
    };
    p.given_name = text("given_name");
    p.middle_name = text("middle_name");
    p.family_name = text("family_name");
    const QString birth = text("birth_date");
    if (birth.isEmpty())
        p.birth_date.reset();
    else
        p.birth_date = parseDate(birth).value_or(QDate()); // an invalid date reads as "format"
    p.sex = enumFromString<Sex>(m_sex->currentData().toString()).value_or(Sex::Unknown);
    p.preferred_language = text("preferred_language");
    p.phone = text("phone");
    p.email = text("email");
    p.address_line = text("address_line");
    p.city = text("city");
    p.region = text("region");
    p.postal_code = text("postal_code");
    p.country = text("country").toUpper(); // as the store normalises it
    return p;
}

QString PatientForm::messageFor(const QString &field) const
{
    for (const Field &f : m_fields)
        if (f.key == field)
            return f.message->isVisibleTo(this) ? f.message->text() : QString();
    return {};
}

void PatientForm::edited(const QString &key)
{
    for (Field &f : m_fields)
        if (f.key == key)
            f.touched = true;
    m_storeErrors.remove(key);
    m_failure.clear();
    // What was checked for duplicates is no longer what would be saved.
    m_duplicateBox->hide();
    revalidate();
}

void PatientForm::revalidate()
{
    const FieldErrors errors = validatePatient(collect(), todayUtc());
    // Errors of what the form does not edit (a stored contact's phone, say) are listed below.
    QStringList others;
    for (const FieldError &e : errors)
        if (!line(e.field) && e.field != QLatin1String("sex"))
            others << e.message;
    for (auto it = m_storeErrors.constBegin(); it != m_storeErrors.constEnd(); ++it)
        if (!line(it.key()) && it.key() != QLatin1String("sex"))
            others << it.value();
    if (!m_failure.isEmpty())
        others.prepend(m_failure);
    others.removeDuplicates();
    m_message->setText(others.join(QLatin1Char('\n')));
    m_message->setVisible(!others.isEmpty());
    for (Field &f : m_fields) {
        QString message;
        for (const FieldError &e : errors)
            if (e.field == f.key) {
                message = e.message;
                break;
            }
        if (message.isEmpty())
            message = m_storeErrors.value(f.key);
        // An untouched empty form shows no "required" messages; Save says it is incomplete.
        const bool show = !message.isEmpty() && (f.touched || m_storeErrors.contains(f.key));
        f.message->setText(show ? message : QString());
        f.message->setVisible(show);
    }
    m_save->setEnabled(errors.isEmpty());
    m_save->setToolTip(errors.isEmpty()
                           ? QString()
                           : tr("Fill in the fields marked * and correct the marked fields."));
}

bool PatientForm::identityChanged(const Patient &p) const
{
    return !isEditing() || p.given_name != m_original.given_name ||
           p.family_name != m_original.family_name || p.birth_date != m_original.birth_date ||
           p.phone != m_original.phone;
}

void PatientForm::save()
{
    const Patient candidate = collect();
    if (!validatePatient(candidate, todayUtc()).isEmpty())
        return; // Save is disabled then; Enter in a field must not get around that
    if (identityChanged(candidate)) {
        auto duplicates = PatientStore(m_db, m_who).possibleDuplicates(candidate);
        if (!duplicates) {
            m_failure = tr("Could not look for duplicates: %1").arg(duplicates.error().message);
            revalidate();
            return;
        }
        if (!duplicates->isEmpty()) {
            showDuplicates(*duplicates);
            return;
        }
    }
    write(candidate);
}

void PatientForm::showDuplicates(const QList<Patient> &duplicates)
{
    QStringList lines{tr("This may be a patient who is already registered. Check before saving:")};
    for (const Patient &p : duplicates)
        lines << tr("• %1 — MRN %2 — born %3 — %4")
                     .arg(p.displayName(), p.mrn,
                          p.birth_date ? formatDate(*p.birth_date) : tr("unknown"),
                          p.phone.isEmpty() ? tr("no phone") : p.phone);
    m_duplicateText->setText(lines.join(QLatin1Char('\n')));
    m_duplicateBox->show();
    m_saveAnyway->setFocus();
}

void PatientForm::write(const Patient &typed)
{
    const PatientStore store(m_db, m_who);
    Patient patient = typed;
    if (isEditing()) {
        // Someone else may have changed the patient since the form was filled: never write
        // over a change the person has not seen.
        auto current = store.get(m_original.id);
        if (!current) {
            m_failure = tr("The patient was not saved: %1").arg(current.error().message);
            m_duplicateBox->hide();
            revalidate();
            return;
        }
        if (texts(*current) != texts(m_original)) {
            m_duplicateBox->hide();
            showChanged(*current, true);
            return;
        }
        // What the form does not edit (lists, notes, bookkeeping) is written as stored now.
        patient = *current;
        patient.given_name = typed.given_name;
        patient.middle_name = typed.middle_name;
        patient.family_name = typed.family_name;
        patient.birth_date = typed.birth_date;
        patient.sex = typed.sex;
        patient.preferred_language = typed.preferred_language;
        patient.phone = typed.phone;
        patient.email = typed.email;
        patient.address_line = typed.address_line;
        patient.city = typed.city;
        patient.region = typed.region;
        patient.postal_code = typed.postal_code;
        patient.country = typed.country;
    }
    auto stored = isEditing() ? store.update(patient) : store.create(patient);
    if (!stored) {
        const Error &error = stored.error();
        m_storeErrors.clear();
        for (const FieldError &e : error.fields)
            if (!m_storeErrors.contains(e.field))
                m_storeErrors.insert(e.field, e.message);
        m_failure = error.fields.isEmpty()
                        ? tr("The patient was not saved: %1").arg(error.message)
                        : tr("The patient was not saved: correct the marked fields.");
        m_duplicateBox->hide();
        revalidate();
        return;
    }
    m_failure.clear();
    m_saved = *stored;
    Q_EMIT saved(m_saved);
    accept();
}

QMap<QString, QString> PatientForm::texts(const Patient &p)
{
    return {
        {QStringLiteral("given_name"), p.given_name},
        {QStringLiteral("middle_name"), p.middle_name},
        {QStringLiteral("family_name"), p.family_name},
        {QStringLiteral("birth_date"), p.birth_date ? formatDate(*p.birth_date) : QString()},
        {QStringLiteral("sex"), toString(p.sex)},
        {QStringLiteral("preferred_language"), p.preferred_language},
        {QStringLiteral("phone"), p.phone},
        {QStringLiteral("email"), p.email},
        {QStringLiteral("address_line"), p.address_line},
        {QStringLiteral("city"), p.city},
        {QStringLiteral("region"), p.region},
        {QStringLiteral("postal_code"), p.postal_code},
        {QStringLiteral("country"), p.country},
    };
}

QMap<QString, QString> PatientForm::typedTexts() const
{
    QMap<QString, QString> out;
    for (const Field &f : m_fields)
        if (f.edit)
            out.insert(f.key, f.edit->text());
    out.insert(QStringLiteral("sex"), m_sex->currentData().toString());
    return out;
}

void PatientForm::showOtherEditors(const QStringList &names)
{
    m_presence->setText(tr("Also editing this record now: %1. Changes saved by one of you will be "
                           "shown to the other.").arg(names.join(QStringLiteral(", "))));
    m_presence->setVisible(!names.isEmpty());
}

bool PatientForm::hasEdits() const
{
    return isEditing() && typedTexts() != texts(m_original);
}

QWidget *PatientForm::buildBanner()
{
    m_banner = new QFrame(this);
    m_banner->setObjectName(QStringLiteral("recordChanged"));
    m_banner->setFrameShape(QFrame::StyledPanel);
    m_banner->setStyleSheet(
        QStringLiteral("#recordChanged { background: #fff4e5; border: 1px solid #e0a040; }"));
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setObjectName(QStringLiteral("recordChangedText"));
    m_bannerText->setWordWrap(true);
    m_review = new QPushButton(tr("&Review"), m_banner);
    m_review->setObjectName(QStringLiteral("reviewChanges"));
    m_keepMine = new QPushButton(tr("&Keep my values"), m_banner);
    m_keepMine->setObjectName(QStringLiteral("keepMine"));
    m_keepMine->setToolTip(tr("Keep what you typed; fields you did not change take the stored "
                              "values. Save afterwards."));
    m_reload = new QPushButton(tr("Re&load stored values"), m_banner);
    m_reload->setObjectName(QStringLiteral("reloadRecord"));
    m_reload->setToolTip(tr("Discard what you typed and show the patient as stored now."));
    m_reviewTable = new QTableWidget(0, 3, m_banner);
    m_reviewTable->setObjectName(QStringLiteral("reviewTable"));
    m_reviewTable->setHorizontalHeaderLabels({tr("Field"), tr("You typed"), tr("Stored now")});
    m_reviewTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_reviewTable->verticalHeader()->hide();
    m_reviewTable->horizontalHeader()->setStretchLastSection(true);
    m_reviewTable->hide();
    connect(m_review, &QPushButton::clicked, this, &PatientForm::showReview);
    connect(m_keepMine, &QPushButton::clicked, this, &PatientForm::keepMine);
    connect(m_reload, &QPushButton::clicked, this, &PatientForm::reloadTheirs);

    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(m_review);
    row->addWidget(m_keepMine);
    row->addWidget(m_reload);
    auto *layout = new QVBoxLayout(m_banner);
    layout->addWidget(m_bannerText);
    layout->addLayout(row);
    layout->addWidget(m_reviewTable);
    m_banner->hide();
    return m_banner;
}

void PatientForm::recordChanged(const Patient &current)
{
    if (!isEditing() || current.id != m_original.id)
        return;
    if (texts(current) == texts(m_original)) {
        // Nothing the form shows changed (a list, or bookkeeping): written as stored on save.
        m_original = current;
        return;
    }
    if (!hasEdits()) {
        setPatient(current);
        return;
    }
    showChanged(current, false);
}

void PatientForm::showChanged(const Patient &current, bool refusedSave)
{
    m_theirs = current;
    QString text = tr("This record was changed by someone else while you were editing it. "
                      "What you typed is kept; review the differences before saving.");
    if (refusedSave)
        text = tr("Not saved. ") + text;
    m_bannerText->setText(text);
    m_banner->show();
    if (m_reviewTable->isVisible())
        showReview();
}

void PatientForm::showReview()
{
    if (!m_theirs)
        return;
    const QMap<QString, QString> mine = typedTexts();
    const QMap<QString, QString> theirs = texts(*m_theirs);
    const QMap<QString, QString> base = texts(m_original);
    const auto shown = [this](const QString &key, const QString &value) {
        if (key != QLatin1String("sex"))
            return value;
        const int index = m_sex->findData(value);
        return index >= 0 ? m_sex->itemText(index) : value;
    };
    m_reviewTable->setRowCount(0);
    for (const QString &key : editedFields()) {
        if (mine.value(key) == theirs.value(key))
            continue;
        const int row = m_reviewTable->rowCount();
        m_reviewTable->insertRow(row);
        auto *field = new QTableWidgetItem(m_labels.value(key, key));
        field->setData(Qt::UserRole, key);
        m_reviewTable->setItem(row, 0, field);
        auto *typed = new QTableWidgetItem(shown(key, mine.value(key)));
        if (mine.value(key) != base.value(key))
            typed->setToolTip(tr("You changed this field."));
        m_reviewTable->setItem(row, 1, typed);
        auto *stored = new QTableWidgetItem(shown(key, theirs.value(key)));
        if (theirs.value(key) != base.value(key))
            stored->setToolTip(tr("Changed by someone else."));
        m_reviewTable->setItem(row, 2, stored);
    }
    m_reviewTable->resizeColumnsToContents();
    m_reviewTable->setMinimumHeight(qMin(220, m_reviewTable->horizontalHeader()->height() +
                                                  m_reviewTable->verticalHeader()->length() + 4));
    m_reviewTable->show();
}

void PatientForm::keepMine()
{
    if (!m_theirs)
        return;
    // Fields the person did not touch take the stored values (the other change is kept); the
    // typed ones stay. The stored patient becomes the base, so Save goes through.
    const QMap<QString, QString> mine = typedTexts();
    const QMap<QString, QString> base = texts(m_original);
    const QMap<QString, QString> theirs = texts(*m_theirs);
    for (Field &f : m_fields) {
        if (mine.value(f.key) != base.value(f.key))
            continue;
        if (f.edit)
            f.edit->setText(theirs.value(f.key));
        else
            m_sex->setCurrentIndex(m_sex->findData(theirs.value(f.key)));
    }
    m_original = *m_theirs;
    hideBanner();
    m_failure.clear();
    revalidate();
}

void PatientForm::reloadTheirs()
{
    if (m_theirs)
        setPatient(*m_theirs);
}

void PatientForm::hideBanner()
{
    m_theirs.reset();
    m_banner->hide();
    m_reviewTable->hide();
    m_reviewTable->setRowCount(0);
}

} // namespace tmdash
