#include "consultationeditor.h"

#include "clock.h"
#include "consultationaddendumdialog.h"
#include "consultationstore.h"
#include "consultationvalidator.h"
#include "permissions.h"

#include <QAction>
#include <QCheckBox>
#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace tmdash {

namespace {

const QString kErrorStyle = QStringLiteral("color: #b00020");
const QString kDiagnoses = QStringLiteral("diagnoses");

// The editable fields in the order they appear (diagnoses between assessment and plan).
const QStringList &fieldOrder()
{
    static const QStringList order{
        QStringLiteral("chief_complaint"),
        QStringLiteral("history"),
        QStringLiteral("examination"),
        QStringLiteral("assessment"),
        kDiagnoses,
        QStringLiteral("plan"),
        QStringLiteral("follow_up_date"),
        QStringLiteral("follow_up_days"),
        QStringLiteral("follow_up_instructions"),
    };
    return order;
}

QString diagnosisText(const QString &code, const QString &description, bool primary)
{
    QString line = code.trimmed().toUpper();
    if (!description.trimmed().isEmpty())
        line += QStringLiteral(" — ") + description.trimmed();
    if (primary)
        line += ConsultationEditor::tr(" (primary)");
    return line;
}

QString when(const QDateTime &instant)
{
    return instant.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

ConsultationEditor::ConsultationEditor(const Database &db, const Principal &who, QWidget *parent)
    : QWidget(parent), m_db(db), m_who(who), m_heading(new QLabel(this)), m_body(new QWidget(this)),
      m_placeholder(new QLabel(this)), m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("consultationEditor"));
    m_heading->setObjectName(QStringLiteral("consultationHeading"));
    m_heading->setWordWrap(true);
    QFont bold = m_heading->font();
    bold.setBold(true);
    m_heading->setFont(bold);
    m_placeholder->setObjectName(QStringLiteral("consultationPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setText(tr("Choose a note in the list, or start a new consultation."));

    auto *grid = new QGridLayout;
    addTextField(grid, QStringLiteral("chief_complaint"), tr("C&hief complaint *"), false);
    addTextField(grid, QStringLiteral("history"), tr("H&istory"), true);
    addTextField(grid, QStringLiteral("examination"), tr("E&xamination"), true);
    addTextField(grid, QStringLiteral("assessment"), tr("A&ssessment"), true);

    auto *diagnoses = new QGroupBox(tr("Diagnoses (ICD-10)"), m_body);
    diagnoses->setObjectName(QStringLiteral("diagnosesBox"));
    auto *diagnosesLayout = new QVBoxLayout(diagnoses);
    m_diagnosisGrid = new QGridLayout;
    m_diagnosisGrid->addWidget(new QLabel(tr("Code"), diagnoses), 0, 0);
    m_diagnosisGrid->addWidget(new QLabel(tr("Description"), diagnoses), 0, 1);
    m_diagnosisGrid->addWidget(new QLabel(tr("Primary"), diagnoses), 0, 2);
    m_diagnosisGrid->setColumnStretch(1, 1);
    diagnosesLayout->addLayout(m_diagnosisGrid);
    m_addDiagnosis = new QPushButton(tr("Add &diagnosis"), diagnoses);
    m_addDiagnosis->setObjectName(QStringLiteral("addDiagnosis"));
    connect(m_addDiagnosis, &QPushButton::clicked, this, [this] {
        DiagnosisRow &row = addDiagnosisRow({});
        row.code->setFocus();
        edited();
    });
    auto *diagnosisButtons = new QHBoxLayout;
    diagnosisButtons->addWidget(m_addDiagnosis);
    diagnosisButtons->addStretch(1);
    diagnosesLayout->addLayout(diagnosisButtons);
    auto *diagnosesMessage = new QLabel(diagnoses);
    diagnosesMessage->setObjectName(QStringLiteral("diagnosesMessage"));
    diagnosesMessage->setStyleSheet(kErrorStyle);
    diagnosesMessage->setWordWrap(true);
    diagnosesMessage->hide();
    diagnosesLayout->addWidget(diagnosesMessage);
    m_messages.insert(kDiagnoses, diagnosesMessage);
    grid->addWidget(diagnoses, grid->rowCount(), 0, 1, 2);

    addTextField(grid, QStringLiteral("plan"), tr("&Plan"), true);
    addTextField(grid, QStringLiteral("follow_up_date"), tr("Follow-up &date"), false);
    m_lines.value(QStringLiteral("follow_up_date"))->setPlaceholderText(tr("YYYY-MM-DD"));
    addTextField(grid, QStringLiteral("follow_up_days"), tr("… or in &days"), false);
    m_lines.value(QStringLiteral("follow_up_days"))->setPlaceholderText(tr("e.g. 14"));
    addTextField(grid, QStringLiteral("follow_up_instructions"), tr("Follow-up &instructions"),
                 false);
    grid->setColumnStretch(1, 1);

    auto *scroll = new QScrollArea(m_body);
    auto *fields = new QWidget(scroll);
    fields->setLayout(grid);
    scroll->setWidget(fields);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    m_message->setObjectName(QStringLiteral("consultationMessage"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(kErrorStyle);
    m_message->hide();

    auto *buttons = new QHBoxLayout;
    if (principalMay(m_who, Action::WriteConsultations)) {
        m_save = new QPushButton(tr("&Save"), m_body);
        m_save->setObjectName(QStringLiteral("saveConsultation"));
        m_save->setToolTip(tr("Save the draft (Ctrl+S)"));
        connect(m_save, &QPushButton::clicked, this, [this] { (void)save(); });
        buttons->addWidget(m_save);
        m_saveAction = new QAction(tr("Save consultation"), this);
        m_saveAction->setObjectName(QStringLiteral("saveConsultationAction"));
        m_saveAction->setShortcut(QKeySequence::Save);
        m_saveAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(m_saveAction, &QAction::triggered, this, [this] {
            if (m_save->isVisible() && m_save->isEnabled())
                (void)save();
        });
        addAction(m_saveAction);
        m_addendum = new QPushButton(tr("Add &addendum…"), m_body);
        m_addendum->setObjectName(QStringLiteral("addAddendum"));
        connect(m_addendum, &QPushButton::clicked, this, &ConsultationEditor::addAddendum);
        buttons->addWidget(m_addendum);
    }
    if (principalMay(m_who, Action::SignConsultations)) {
        m_sign = new QPushButton(tr("Si&gn"), m_body);
        m_sign->setObjectName(QStringLiteral("signConsultation"));
        m_sign->setToolTip(tr("Sign the note: it cannot be changed afterwards, only amended."));
        connect(m_sign, &QPushButton::clicked, this, [this] { (void)sign(); });
        buttons->addWidget(m_sign);
    }
    buttons->addStretch(1);

    auto *bodyLayout = new QVBoxLayout(m_body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->addWidget(buildBanner());
    bodyLayout->addWidget(scroll, 1);
    bodyLayout->addWidget(m_message);
    bodyLayout->addLayout(buttons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_placeholder, 1);
    layout->addWidget(m_body, 1);
    clear();
}

QWidget *ConsultationEditor::buildBanner()
{
    m_banner = new QFrame(m_body);
    m_banner->setObjectName(QStringLiteral("recordChanged"));
    m_banner->setFrameShape(QFrame::StyledPanel);
    m_banner->setStyleSheet(
        QStringLiteral("#recordChanged { background: #fff4e5; border: 1px solid #e0a040; }"));
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setObjectName(QStringLiteral("recordChangedText"));
    m_bannerText->setWordWrap(true);
    m_review = new QPushButton(tr("&Review"), m_banner);
    m_review->setObjectName(QStringLiteral("reviewChanges"));
    m_keepMine = new QPushButton(tr("&Keep my text"), m_banner);
    m_keepMine->setObjectName(QStringLiteral("keepMine"));
    m_keepMine->setToolTip(tr("Keep what you typed; fields you did not change take the stored "
                              "values. Save afterwards."));
    m_reload = new QPushButton(tr("Re&load stored note"), m_banner);
    m_reload->setObjectName(QStringLiteral("reloadRecord"));
    m_reload->setToolTip(tr("Discard what you typed and show the stored note."));
    m_reviewTable = new QTableWidget(0, 3, m_banner);
    m_reviewTable->setObjectName(QStringLiteral("reviewTable"));
    m_reviewTable->setHorizontalHeaderLabels({tr("Field"), tr("Your text"), tr("Stored now")});
    m_reviewTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_reviewTable->verticalHeader()->hide();
    m_reviewTable->horizontalHeader()->setStretchLastSection(true);
    m_reviewTable->setWordWrap(true);
    m_reviewTable->hide();
    connect(m_review, &QPushButton::clicked, this, &ConsultationEditor::showReview);
    connect(m_keepMine, &QPushButton::clicked, this, &ConsultationEditor::keepMine);
    connect(m_reload, &QPushButton::clicked, this, &ConsultationEditor::reloadTheirs);

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

void ConsultationEditor::addTextField(QGridLayout *grid, const QString &key, const QString &label,
                                      bool multiLine)
{
    QWidget *editor = nullptr;
    if (multiLine) {
        auto *text = new QPlainTextEdit(m_body);
        text->setTabChangesFocus(true);
        text->setMinimumHeight(60);
        connect(text, &QPlainTextEdit::textChanged, this, &ConsultationEditor::edited);
        m_texts.insert(key, text);
        editor = text;
    } else {
        auto *line = new QLineEdit(m_body);
        connect(line, &QLineEdit::textEdited, this, &ConsultationEditor::edited);
        m_lines.insert(key, line);
        editor = line;
    }
    editor->setObjectName(key);
    auto *caption = new QLabel(label, m_body);
    caption->setBuddy(editor);
    m_captions.insert(key, caption);
    auto *message = new QLabel(m_body);
    message->setObjectName(key + QStringLiteral("Message"));
    message->setWordWrap(true);
    message->setStyleSheet(kErrorStyle);
    message->hide();
    m_messages.insert(key, message);
    const int row = grid->rowCount();
    grid->addWidget(caption, row, 0, multiLine ? Qt::AlignTop : Qt::Alignment());
    grid->addWidget(editor, row, 1);
    grid->addWidget(message, row + 1, 1);
}

ConsultationEditor::DiagnosisRow &
ConsultationEditor::addDiagnosisRow(const ConsultationDiagnosis &diagnosis)
{
    QWidget *box = m_addDiagnosis->parentWidget();
    DiagnosisRow row;
    row.id = diagnosis.id;
    row.code = new QLineEdit(diagnosis.icd10_code, box);
    row.code->setPlaceholderText(tr("e.g. E11.9"));
    row.code->setMaximumWidth(110);
    row.description = new QLineEdit(diagnosis.description, box);
    row.primary = new QCheckBox(box);
    row.primary->setChecked(diagnosis.is_primary);
    row.remove = new QToolButton(box);
    row.remove->setText(tr("Remove"));
    row.message = new QLabel(box);
    row.message->setStyleSheet(kErrorStyle);
    row.message->setWordWrap(true);
    row.message->hide();
    connect(row.code, &QLineEdit::textEdited, this, &ConsultationEditor::edited);
    connect(row.description, &QLineEdit::textEdited, this, &ConsultationEditor::edited);
    connect(row.primary, &QCheckBox::toggled, this, &ConsultationEditor::edited);
    QToolButton *remove = row.remove;
    connect(remove, &QToolButton::clicked, this, [this, remove] {
        for (int i = 0; i < m_diagnoses.size(); ++i)
            if (m_diagnoses.at(i).remove == remove) {
                removeDiagnosisRow(i);
                edited();
                return;
            }
    });
    const int gridRow = 1 + 2 * int(m_diagnoses.size());
    m_diagnosisGrid->addWidget(row.code, gridRow, 0);
    m_diagnosisGrid->addWidget(row.description, gridRow, 1);
    m_diagnosisGrid->addWidget(row.primary, gridRow, 2);
    m_diagnosisGrid->addWidget(row.remove, gridRow, 3);
    m_diagnosisGrid->addWidget(row.message, gridRow + 1, 0, 1, 4);
    m_diagnoses << row;
    renameDiagnosisRows();
    row.code->setReadOnly(m_readOnly);
    row.description->setReadOnly(m_readOnly);
    row.primary->setEnabled(!m_readOnly);
    // Shown now (not when the layout gets to it), so that the new row can take the focus.
    row.code->show();
    row.description->show();
    row.primary->show();
    row.remove->setVisible(!m_readOnly);
    return m_diagnoses.last();
}

void ConsultationEditor::removeDiagnosisRow(int index)
{
    const DiagnosisRow row = m_diagnoses.takeAt(index);
    for (QWidget *w : std::initializer_list<QWidget *>{row.code, row.description, row.primary,
                                                       row.remove, row.message}) {
        m_diagnosisGrid->removeWidget(w);
        w->hide();
        w->deleteLater();
    }
    // Close the gap: lay the remaining rows out again in order.
    for (int i = 0; i < m_diagnoses.size(); ++i) {
        const DiagnosisRow &r = m_diagnoses.at(i);
        const int gridRow = 1 + 2 * i;
        for (QWidget *w : std::initializer_list<QWidget *>{r.code, r.description, r.primary,
                                                           r.remove, r.message})
            m_diagnosisGrid->removeWidget(w);
        m_diagnosisGrid->addWidget(r.code, gridRow, 0);
        m_diagnosisGrid->addWidget(r.description, gridRow, 1);
        m_diagnosisGrid->addWidget(r.primary, gridRow, 2);
        m_diagnosisGrid->addWidget(r.remove, gridRow, 3);
        m_diagnosisGrid->addWidget(r.message, gridRow + 1, 0, 1, 4);
    }
    renameDiagnosisRows();
}

void ConsultationEditor::renameDiagnosisRows()
{
    for (int i = 0; i < m_diagnoses.size(); ++i) {
        const DiagnosisRow &r = m_diagnoses.at(i);
        const QString prefix = QStringLiteral("diagnosis%1").arg(i);
        r.code->setObjectName(prefix + QStringLiteral("Code"));
        r.description->setObjectName(prefix + QStringLiteral("Description"));
        r.primary->setObjectName(prefix + QStringLiteral("Primary"));
        r.remove->setObjectName(prefix + QStringLiteral("Remove"));
        r.message->setObjectName(prefix + QStringLiteral("Message"));
        r.primary->setToolTip(tr("Primary diagnosis of this consultation"));
        r.remove->setToolTip(tr("Remove diagnosis %1").arg(i + 1));
    }
}

void ConsultationEditor::setDiagnoses(const QList<ConsultationDiagnosis> &diagnoses)
{
    while (!m_diagnoses.isEmpty())
        removeDiagnosisRow(int(m_diagnoses.size()) - 1);
    for (const ConsultationDiagnosis &d : diagnoses)
        if (!d.meta.isDeleted())
            addDiagnosisRow(d);
}

void ConsultationEditor::setText(const QString &key, const QString &text)
{
    if (QLineEdit *line = m_lines.value(key))
        line->setText(text);
    else if (QPlainTextEdit *edit = m_texts.value(key))
        edit->setPlainText(text);
}

void ConsultationEditor::load(const Consultation &c)
{
    m_loading = true;
    m_base = c;
    m_hasNote = true;
    m_theirs.reset();
    m_removedElsewhere = false;
    m_storeErrors.clear();
    m_failure.clear();
    const QMap<QString, QString> values = texts(c);
    for (auto it = values.constBegin(); it != values.constEnd(); ++it)
        setText(it.key(), it.value());
    setDiagnoses(c.diagnoses);
    m_loading = false;
    hideBanner();
    applyMode();
    m_hadEdits = false;
    revalidate();
}

void ConsultationEditor::setConsultation(const Consultation &consultation)
{
    load(consultation);
    Q_EMIT editsChanged(false);
}

void ConsultationEditor::startNew(const PatientId &patient)
{
    Consultation c;
    c.patient_id = patient;
    if (m_author)
        c.provider_id = *m_author;
    c.started_at = nowUtc();
    load(c);
    Q_EMIT editsChanged(false);
    m_lines.value(QStringLiteral("chief_complaint"))->setFocus();
}

void ConsultationEditor::clear()
{
    m_hasNote = false;
    m_removedElsewhere = false;
    m_base = Consultation();
    m_theirs.reset();
    m_loading = true;
    for (QLineEdit *line : std::as_const(m_lines))
        line->clear();
    for (QPlainTextEdit *text : std::as_const(m_texts))
        text->clear();
    setDiagnoses({});
    m_loading = false;
    hideBanner();
    m_hadEdits = false;
    applyMode();
}

void ConsultationEditor::applyMode()
{
    m_placeholder->setVisible(!m_hasNote);
    m_body->setVisible(m_hasNote);
    const bool isNew = m_base.id.isNull();
    m_readOnly =
        !m_hasNote || m_base.isSigned() || !principalMay(m_who, Action::WriteConsultations);
    for (QLineEdit *line : std::as_const(m_lines))
        line->setReadOnly(m_readOnly);
    for (QPlainTextEdit *text : std::as_const(m_texts))
        text->setReadOnly(m_readOnly);
    for (const DiagnosisRow &r : std::as_const(m_diagnoses)) {
        r.code->setReadOnly(m_readOnly);
        r.description->setReadOnly(m_readOnly);
        r.primary->setEnabled(!m_readOnly);
        r.remove->setVisible(!m_readOnly);
    }
    m_addDiagnosis->setVisible(!m_readOnly);
    if (m_save)
        m_save->setVisible(!m_readOnly);
    if (m_saveAction)
        m_saveAction->setEnabled(!m_readOnly);
    if (m_sign)
        m_sign->setVisible(m_hasNote && !m_base.isSigned());
    if (m_addendum)
        m_addendum->setVisible(m_hasNote && m_base.isSigned());
    // An addendum's own text is what the history field holds.
    m_captions.value(QStringLiteral("history"))
        ->setText(m_base.isAddendum() ? tr("Adde&ndum") : tr("H&istory"));

    if (!m_hasNote) {
        m_heading->setText(tr("Consultation"));
        return;
    }
    QString heading;
    if (isNew)
        heading = tr("New consultation — not saved yet");
    else if (m_base.isSigned())
        heading = tr("Signed note of %1 — signed %2; it can no longer be changed, only amended.")
                      .arg(when(m_base.started_at),
                           m_base.signed_at ? when(*m_base.signed_at) : QString());
    else
        heading = tr("Draft of %1").arg(when(m_base.started_at));
    if (m_base.isAddendum())
        heading = tr("Addendum — %1").arg(heading);
    m_heading->setText(heading);
}

QMap<QString, QString> ConsultationEditor::texts(const Consultation &c)
{
    QStringList diagnoses;
    for (const ConsultationDiagnosis &d : c.diagnoses)
        if (!d.meta.isDeleted())
            diagnoses << diagnosisText(d.icd10_code, d.description, d.is_primary);
    return {
        {QStringLiteral("chief_complaint"), c.chief_complaint},
        {QStringLiteral("history"), c.history},
        {QStringLiteral("examination"), c.examination},
        {QStringLiteral("assessment"), c.assessment},
        {kDiagnoses, diagnoses.join(QLatin1Char('\n'))},
        {QStringLiteral("plan"), c.plan},
        {QStringLiteral("follow_up_date"),
         c.follow_up_date ? formatDate(*c.follow_up_date) : QString()},
        {QStringLiteral("follow_up_days"),
         c.follow_up_days ? QString::number(*c.follow_up_days) : QString()},
        {QStringLiteral("follow_up_instructions"), c.follow_up_instructions},
    };
}

QMap<QString, QString> ConsultationEditor::typedTexts() const
{
    QMap<QString, QString> out;
    for (auto it = m_lines.constBegin(); it != m_lines.constEnd(); ++it)
        out.insert(it.key(), it.value()->text());
    for (auto it = m_texts.constBegin(); it != m_texts.constEnd(); ++it)
        out.insert(it.key(), it.value()->toPlainText());
    QStringList diagnoses;
    for (const DiagnosisRow &r : m_diagnoses)
        if (!r.code->text().trimmed().isEmpty() || !r.description->text().trimmed().isEmpty())
            diagnoses << diagnosisText(r.code->text(), r.description->text(),
                                       r.primary->isChecked());
    out.insert(kDiagnoses, diagnoses.join(QLatin1Char('\n')));
    return out;
}

QString ConsultationEditor::fieldLabel(const QString &key) const
{
    if (key == kDiagnoses)
        return tr("Diagnoses");
    QString label = m_captions.contains(key) ? m_captions.value(key)->text() : key;
    label.remove(QLatin1Char('&'));
    label.remove(QStringLiteral(" *"));
    return label;
}

bool ConsultationEditor::hasEdits() const
{
    return m_hasNote && !m_readOnly && typedTexts() != texts(m_base);
}

Consultation ConsultationEditor::collect(QList<int> *diagnosisRows) const
{
    Consultation c = m_base;
    const auto line = [this](const char *key) {
        return m_lines.value(QString::fromLatin1(key))->text();
    };
    const auto text = [this](const char *key) {
        return m_texts.value(QString::fromLatin1(key))->toPlainText();
    };
    c.chief_complaint = line("chief_complaint").trimmed();
    c.history = text("history");
    c.examination = text("examination");
    c.assessment = text("assessment");
    c.plan = text("plan");
    c.follow_up_instructions = line("follow_up_instructions").trimmed();
    const QString date = line("follow_up_date").trimmed();
    if (date.isEmpty())
        c.follow_up_date.reset();
    else
        c.follow_up_date = parseDate(date).value_or(QDate()); // invalid reads as "format"
    const QString days = line("follow_up_days").trimmed();
    c.follow_up_days.reset();
    if (!days.isEmpty()) {
        bool ok = false;
        const int n = days.toInt(&ok);
        c.follow_up_days = ok ? n : -1; // not a number reads as out of range
    }
    c.diagnoses.clear();
    for (int i = 0; i < m_diagnoses.size(); ++i) {
        const DiagnosisRow &r = m_diagnoses.at(i);
        const QString code = r.code->text().trimmed().toUpper();
        const QString description = r.description->text().trimmed();
        if (code.isEmpty() && description.isEmpty())
            continue; // an empty row is no diagnosis
        ConsultationDiagnosis d;
        d.id = r.id.isNull() ? newId<RowId>() : r.id;
        for (const ConsultationDiagnosis &stored : m_base.diagnoses)
            if (stored.id == d.id)
                d.meta = stored.meta;
        d.icd10_code = code;
        d.description = description;
        d.is_primary = r.primary->isChecked();
        c.diagnoses << d;
        if (diagnosisRows)
            *diagnosisRows << i;
    }
    return c;
}

void ConsultationEditor::edited()
{
    if (m_loading)
        return;
    m_storeErrors.clear();
    m_failure.clear();
    revalidate();
    const bool edits = hasEdits();
    if (edits != m_hadEdits) {
        m_hadEdits = edits;
        Q_EMIT editsChanged(edits);
    }
}

void ConsultationEditor::revalidate()
{
    if (!m_hasNote || m_readOnly) {
        for (QLabel *message : std::as_const(m_messages))
            message->hide();
        for (const DiagnosisRow &r : std::as_const(m_diagnoses))
            r.message->hide();
        m_message->setVisible(!m_failure.isEmpty());
        m_message->setText(m_failure);
        return;
    }
    QList<int> rows;
    const Consultation c = collect(&rows);
    const FieldErrors errors = validateConsultation(c);
    QMap<QString, QStringList> byField;
    QMap<int, QStringList> byRow;
    QStringList others;
    static const QRegularExpression diagnosisField(QStringLiteral("^diagnoses\\[(\\d+)\\]"));
    const auto place = [&](const QString &field, const QString &message) {
        const auto match = diagnosisField.match(field);
        if (match.hasMatch()) {
            const int index = match.captured(1).toInt();
            if (index >= 0 && index < rows.size()) {
                byRow[rows.at(index)] << message;
                return;
            }
        }
        if (m_messages.contains(field))
            byField[field] << message;
        else
            others << message;
    };
    for (const FieldError &e : std::as_const(errors))
        place(e.field, e.message);
    for (auto it = m_storeErrors.constBegin(); it != m_storeErrors.constEnd(); ++it)
        place(it.key(), it.value());
    // An untouched empty chief complaint of a new draft says nothing yet; Save says why.
    const bool fresh = m_base.id.isNull() && !hasEdits();
    for (auto it = m_messages.constBegin(); it != m_messages.constEnd(); ++it) {
        QStringList messages = byField.value(it.key());
        messages.removeDuplicates();
        const bool show = !messages.isEmpty() && !fresh;
        it.value()->setText(messages.join(QLatin1Char('\n')));
        it.value()->setVisible(show);
    }
    for (int i = 0; i < m_diagnoses.size(); ++i) {
        QStringList messages = byRow.value(i);
        messages.removeDuplicates();
        m_diagnoses.at(i).message->setText(messages.join(QLatin1Char('\n')));
        m_diagnoses.at(i).message->setVisible(!messages.isEmpty());
    }
    if (!m_failure.isEmpty())
        others.prepend(m_failure);
    others.removeDuplicates();
    m_message->setText(others.join(QLatin1Char('\n')));
    m_message->setVisible(!others.isEmpty());

    const bool valid = errors.isEmpty();
    if (m_save) {
        m_save->setEnabled(valid && !m_removedElsewhere && (hasEdits() || m_base.id.isNull()));
        m_save->setToolTip(valid ? tr("Save the draft (Ctrl+S)")
                                 : tr("Correct the marked fields first."));
    }
    if (m_sign)
        m_sign->setEnabled(valid && !m_removedElsewhere &&
                           principalMay(m_who, Action::WriteConsultations));
}

QString ConsultationEditor::messageFor(const QString &field) const
{
    if (QLabel *message = m_messages.value(field))
        return message->isVisibleTo(this) ? message->text() : QString();
    static const QRegularExpression row(QStringLiteral("^diagnosis(\\d+)$"));
    if (const auto match = row.match(field); match.hasMatch()) {
        const int i = match.captured(1).toInt();
        if (i < m_diagnoses.size() && m_diagnoses.at(i).message->isVisibleTo(this))
            return m_diagnoses.at(i).message->text();
    }
    if (field.isEmpty() && m_message->isVisibleTo(this))
        return m_message->text();
    return {};
}

void ConsultationEditor::storeFailed(const Error &error, const QString &what)
{
    m_storeErrors.clear();
    for (const FieldError &e : error.fields)
        if (!m_storeErrors.contains(e.field))
            m_storeErrors.insert(e.field, e.message);
    // Field errors that name no editor are listed under this line (revalidate).
    m_failure = error.fields.isEmpty() ? tr("%1: %2").arg(what, error.message)
                                       : tr("%1: see the marked fields.").arg(what);
    revalidate();
}

bool ConsultationEditor::save()
{
    if (!m_hasNote || m_readOnly || m_removedElsewhere ||
        !principalMay(m_who, Action::WriteConsultations))
        return false;
    const Consultation candidate = collect();
    if (!validateConsultation(candidate).isEmpty()) {
        revalidate();
        return false; // Save is disabled then; Ctrl+S must not get around that
    }
    const ConsultationStore store(m_db, m_who);
    if (!m_base.id.isNull()) {
        // Someone else may have changed the note since the typing started: never write over a
        // change the person has not seen.
        auto current = store.get(m_base.id);
        if (!current) {
            if (current.error().code == ErrorCode::NotFound) {
                recordRemoved();
                return false;
            }
            storeFailed(current.error(), tr("The note was not saved"));
            return false;
        }
        if (!changedConsultationFields(m_base, *current).isEmpty()) {
            showChanged(*current, true);
            return false;
        }
    }
    auto stored = m_base.id.isNull() ? store.create(candidate) : store.update(candidate);
    if (!stored) {
        storeFailed(stored.error(), tr("The note was not saved"));
        return false;
    }
    load(*stored);
    Q_EMIT editsChanged(false);
    Q_EMIT saved(*stored);
    return true;
}

bool ConsultationEditor::sign()
{
    if (!m_hasNote || m_base.isSigned() || !principalMay(m_who, Action::SignConsultations))
        return false;
    if (hasEdits() || m_base.id.isNull()) {
        if (!save())
            return false;
    } else {
        // Sign only what the person has seen: a note changed elsewhere is shown first.
        auto current = ConsultationStore(m_db, m_who).get(m_base.id);
        if (!current) {
            storeFailed(current.error(), tr("The note was not signed"));
            return false;
        }
        if (!changedConsultationFields(m_base, *current).isEmpty()) {
            setConsultation(*current);
            m_failure = tr("The note was changed by someone else and has been reloaded; read "
                           "it before signing.");
            revalidate();
            return false;
        }
    }
    auto done = ConsultationStore(m_db, m_who).sign(m_base.id);
    if (!done) {
        storeFailed(done.error(), tr("The note was not signed"));
        return false;
    }
    load(*done);
    Q_EMIT editsChanged(false);
    Q_EMIT noteSigned(*done);
    return true;
}

void ConsultationEditor::addAddendum()
{
    if (!m_hasNote || !m_base.isSigned() || !m_addendum)
        return;
    if (!m_author) {
        m_failure = tr("Your account has no provider record, so it cannot write an addendum.");
        revalidate();
        return;
    }
    auto *dialog = new ConsultationAddendumDialog(m_db, m_who, m_base, *m_author, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ConsultationAddendumDialog::saved, this, &ConsultationEditor::addendumAdded);
    dialog->open();
}

void ConsultationEditor::recordChanged(const Consultation &current)
{
    if (!m_hasNote || current.id != m_base.id || m_base.id.isNull())
        return;
    if (changedConsultationFields(m_base, current).isEmpty()) {
        m_base.meta = current.meta; // bookkeeping only (e.g. sync acknowledged our save)
        return;
    }
    if (!hasEdits()) {
        setConsultation(current);
        return;
    }
    showChanged(current, false);
}

void ConsultationEditor::recordRemoved()
{
    if (!m_hasNote || m_base.id.isNull())
        return;
    if (!hasEdits()) {
        clear();
        return;
    }
    m_removedElsewhere = true;
    m_theirs.reset();
    m_bannerText->setText(tr("This note was deleted by someone else. Your text is still here: "
                             "copy what you need before leaving it."));
    m_review->hide();
    m_keepMine->hide();
    m_reload->hide();
    m_reviewTable->hide();
    m_banner->show();
    if (m_save)
        m_save->setEnabled(false);
    if (m_sign)
        m_sign->setEnabled(false);
}

void ConsultationEditor::showChanged(const Consultation &current, bool refusedSave)
{
    m_theirs = current;
    QString text = current.isSigned()
                       ? tr("This record was changed by someone else: the note has been signed. "
                            "Your text is kept; review it, then reload the signed note (and add "
                            "an addendum) or copy your text.")
                       : tr("This record was changed by someone else while you were typing. "
                            "Your text is kept; review the differences before saving.");
    if (refusedSave)
        text = tr("Not saved. ") + text;
    m_bannerText->setText(text);
    m_review->show();
    m_reload->show();
    m_keepMine->setVisible(!current.isSigned());
    m_banner->show();
    if (m_reviewTable->isVisible())
        showReview();
}

void ConsultationEditor::showReview()
{
    if (!m_theirs)
        return;
    const QMap<QString, QString> mine = typedTexts();
    const QMap<QString, QString> theirs = texts(*m_theirs);
    const QMap<QString, QString> base = texts(m_base);
    m_reviewTable->setRowCount(0);
    for (const QString &key : fieldOrder()) {
        if (mine.value(key) == theirs.value(key))
            continue;
        const int row = m_reviewTable->rowCount();
        m_reviewTable->insertRow(row);
        auto *field = new QTableWidgetItem(fieldLabel(key));
        field->setData(Qt::UserRole, key);
        m_reviewTable->setItem(row, 0, field);
        auto *typed = new QTableWidgetItem(mine.value(key));
        if (mine.value(key) != base.value(key))
            typed->setToolTip(tr("You changed this field."));
        m_reviewTable->setItem(row, 1, typed);
        auto *stored = new QTableWidgetItem(theirs.value(key));
        if (theirs.value(key) != base.value(key))
            stored->setToolTip(tr("Changed by someone else."));
        m_reviewTable->setItem(row, 2, stored);
    }
    m_reviewTable->resizeRowsToContents();
    m_reviewTable->setMinimumHeight(qMin(240, m_reviewTable->horizontalHeader()->height() +
                                                  m_reviewTable->verticalHeader()->length() + 4));
    m_reviewTable->show();
}

void ConsultationEditor::keepMine()
{
    if (!m_theirs || m_theirs->isSigned())
        return;
    // Fields the person did not touch take the stored values (their change is kept); the fields
    // typed here stay as typed. The stored note becomes the base, so Save goes through.
    const QMap<QString, QString> mine = typedTexts();
    const QMap<QString, QString> base = texts(m_base);
    const QMap<QString, QString> theirs = texts(*m_theirs);
    const Consultation stored = *m_theirs;
    m_loading = true;
    for (const QString &key : fieldOrder()) {
        if (mine.value(key) != base.value(key) || key == kDiagnoses)
            continue;
        setText(key, theirs.value(key));
    }
    if (mine.value(kDiagnoses) == base.value(kDiagnoses)) {
        setDiagnoses(stored.diagnoses);
    } else {
        // Typed rows whose stored row is gone become new rows.
        for (DiagnosisRow &r : m_diagnoses) {
            bool live = false;
            for (const ConsultationDiagnosis &d : stored.diagnoses)
                live = live || (d.id == r.id && !d.meta.isDeleted());
            if (!live)
                r.id = RowId();
        }
    }
    m_loading = false;
    m_base = stored;
    hideBanner();
    applyMode();
    edited();
}

void ConsultationEditor::reloadTheirs()
{
    if (m_theirs)
        setConsultation(*m_theirs);
}

void ConsultationEditor::hideBanner()
{
    m_theirs.reset();
    m_banner->hide();
    m_reviewTable->hide();
    m_reviewTable->setRowCount(0);
}

} // namespace tmdash
