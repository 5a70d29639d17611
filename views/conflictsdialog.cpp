#include "conflictsdialog.h"

#include "conflictschangemodel.h"
#include "conflictsfieldmodel.h"
#include "conflictsmodel.h"
#include "conflictsrejectionmodel.h"
#include "patientstore.h"
#include "permissions.h"
#include "recordeditor.h"
#include "userstore.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <utility>

namespace tmdash {

namespace {

const QString kErrorStyle = QStringLiteral("color: #b00020");

enum Page { PlaceholderPage, ConflictPage, RejectionPage };

QTableView *makeList(const QString &name, QAbstractItemModel *model, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setObjectName(name);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setWordWrap(false);
    return table;
}

QTableView *makeEditable(const QString &name, QAbstractItemModel *model, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setObjectName(name);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectItems);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                           QAbstractItemView::AnyKeyPressed | QAbstractItemView::SelectedClicked);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setTabKeyNavigation(false);
    return table;
}

QLabel *makeMessage(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}

// A value typed into a cell whose editor is still open (an action taken with its shortcut) is
// committed first: the editor losing focus commits it.
void commitOpenEditor(QTableView *table)
{
    QWidget *focus = QApplication::focusWidget();
    if (focus && focus != table && table->isAncestorOf(focus)) {
        focus->clearFocus();
        table->setFocus(Qt::OtherFocusReason);
    }
}

// Shows `text` as an error (red) or as a plain note.
void say(QLabel *label, const QString &text, bool error)
{
    label->setStyleSheet(error ? kErrorStyle : QString());
    label->setText(text);
}

} // namespace

ConflictsDialog::ConflictsDialog(const Database &db, const Principal &who, QWidget *parent)
    : QDialog(parent), m_db(db), m_who(who), m_conflicts(new ConflictsModel(this)),
      m_fields(new ConflictsFieldModel(this)), m_rejections(new ConflictsRejectionModel(this)),
      m_change(new ConflictsChangeModel(this)), m_detail(new QStackedWidget(this))
{
    setObjectName(QStringLiteral("conflictsDialog"));
    setWindowTitle(tr("Sync conflicts and rejected changes"));

    auto *lists = new QWidget(this);
    m_conflictsList = makeList(QStringLiteral("conflictsList"), m_conflicts, lists);
    m_conflictsList->setColumnWidth(ConflictsModel::RecordColumn, 220);
    m_rejectionsList = makeList(QStringLiteral("rejectionsList"), m_rejections, lists);
    m_rejectionsList->setColumnWidth(ConflictsRejectionModel::RecordColumn, 200);
    m_rejectionsList->setColumnWidth(ConflictsRejectionModel::ChangeColumn, 110);
    m_listMessage = makeMessage(QStringLiteral("listMessage"), lists);
    auto *conflictsCaption = new QLabel(tr("Open &conflicts"), lists);
    conflictsCaption->setBuddy(m_conflictsList);
    auto *rejectionsCaption = new QLabel(tr("Re&jected changes"), lists);
    rejectionsCaption->setBuddy(m_rejectionsList);
    auto *listLayout = new QVBoxLayout(lists);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(conflictsCaption);
    listLayout->addWidget(m_conflictsList, 1);
    listLayout->addWidget(rejectionsCaption);
    listLayout->addWidget(m_rejectionsList, 1);
    listLayout->addWidget(m_listMessage);
    connect(m_conflictsList->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] {
                if (!m_selecting && m_conflictsList->selectionModel()->hasSelection())
                    m_rejectionsList->clearSelection();
                selectionChanged();
            });
    connect(m_rejectionsList->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] {
                if (!m_selecting && m_rejectionsList->selectionModel()->hasSelection())
                    m_conflictsList->clearSelection();
                selectionChanged();
            });

    auto *placeholder =
        new QLabel(tr("Choose a conflict or a rejected change on the left."), m_detail);
    placeholder->setObjectName(QStringLiteral("placeholder"));
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    m_detail->addWidget(placeholder);
    m_detail->addWidget(buildConflictPage());
    m_detail->addWidget(buildRejectionPage());

    auto *splitter = new QSplitter(this);
    splitter->addWidget(lists);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("close"));
    buttons->button(QDialogButtonBox::Close)->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
    resize(1150, 620);
}

QWidget *ConflictsDialog::buildConflictPage()
{
    auto *page = new QWidget(m_detail);
    m_recordTitle = new QLabel(page);
    m_recordTitle->setObjectName(QStringLiteral("recordTitle"));
    m_recordTitle->setTextFormat(Qt::PlainText);
    QFont bold = m_recordTitle->font();
    bold.setBold(true);
    m_recordTitle->setFont(bold);
    auto *explanation = new QLabel(
        tr("This desktop and the central changed these fields at the same time; the record now "
           "holds the central's values. Choose what to keep for all of them, or type the values "
           "to keep in the merged column (F2 or typing edits a cell)."),
        page);
    explanation->setWordWrap(true);
    m_fieldTable = makeEditable(QStringLiteral("conflictFields"), m_fields, page);
    m_fieldTable->setColumnWidth(ConflictsFieldModel::FieldColumn, 120);
    m_fieldTable->setColumnWidth(ConflictsFieldModel::LocalColumn, 170);
    m_fieldTable->setColumnWidth(ConflictsFieldModel::CentralColumn, 170);
    m_fieldTable->setColumnWidth(ConflictsFieldModel::MergedColumn, 170);
    m_conflictMessage = makeMessage(QStringLiteral("conflictMessage"), page);

    m_keepLocal = new QPushButton(tr("Keep &local"), page);
    m_keepLocal->setObjectName(QStringLiteral("keepLocal"));
    m_keepLocal->setToolTip(tr("Write this desktop's values again"));
    m_keepCentral = new QPushButton(tr("Keep c&entral"), page);
    m_keepCentral->setObjectName(QStringLiteral("keepCentral"));
    m_keepCentral->setToolTip(tr("Keep the central's values (nothing is written)"));
    m_keepMerged = new QPushButton(tr("Keep &merged"), page);
    m_keepMerged->setObjectName(QStringLiteral("keepMerged"));
    m_keepMerged->setToolTip(tr("Write the values of the merged column"));
    for (QPushButton *b : {m_keepLocal, m_keepCentral, m_keepMerged})
        b->setAutoDefault(false);
    connect(m_keepLocal, &QPushButton::clicked, this,
            [this] { resolveShown(ConflictResolution::Local); });
    connect(m_keepCentral, &QPushButton::clicked, this,
            [this] { resolveShown(ConflictResolution::Central); });
    connect(m_keepMerged, &QPushButton::clicked, this,
            [this] { resolveShown(ConflictResolution::Merged); });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_keepLocal);
    buttons->addWidget(m_keepCentral);
    buttons->addWidget(m_keepMerged);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_recordTitle);
    layout->addWidget(explanation);
    layout->addWidget(m_fieldTable, 1);
    layout->addWidget(m_conflictMessage);
    layout->addLayout(buttons);
    return page;
}

QWidget *ConflictsDialog::buildRejectionPage()
{
    auto *page = new QWidget(m_detail);
    m_rejectionTitle = new QLabel(page);
    m_rejectionTitle->setObjectName(QStringLiteral("rejectionTitle"));
    m_rejectionTitle->setTextFormat(Qt::PlainText);
    QFont bold = m_rejectionTitle->font();
    bold.setBold(true);
    m_rejectionTitle->setFont(bold);
    m_reason = makeMessage(QStringLiteral("rejectionReason"), page);
    m_reason->setStyleSheet(QStringLiteral("background: #fde7e9; padding: 6px"));
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *explanation = new QLabel(
        tr("The record is as the central holds it. Correct the values in the last column and "
           "send the change again, or discard it."),
        page);
    explanation->setWordWrap(true);
    m_changeTable = makeEditable(QStringLiteral("rejectionChange"), m_change, page);
    m_changeTable->setColumnWidth(ConflictsChangeModel::FieldColumn, 130);
    m_changeTable->setColumnWidth(ConflictsChangeModel::BeforeColumn, 150);
    m_changeTable->setColumnWidth(ConflictsChangeModel::RefusedColumn, 170);
    m_changeTable->setColumnWidth(ConflictsChangeModel::RetryColumn, 170);
    m_rejectionMessage = makeMessage(QStringLiteral("rejectionMessage"), page);

    m_retry = new QPushButton(tr("Fix and &retry"), page);
    m_retry->setObjectName(QStringLiteral("retry"));
    m_discard = new QPushButton(tr("&Discard…"), page);
    m_discard->setObjectName(QStringLiteral("discard"));
    for (QPushButton *b : {m_retry, m_discard})
        b->setAutoDefault(false);
    connect(m_retry, &QPushButton::clicked, this, &ConflictsDialog::retryShown);
    connect(m_discard, &QPushButton::clicked, this, &ConflictsDialog::discardShown);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_retry);
    buttons->addWidget(m_discard);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_rejectionTitle);
    layout->addWidget(m_reason);
    layout->addWidget(explanation);
    layout->addWidget(m_changeTable, 1);
    layout->addWidget(m_rejectionMessage);
    layout->addLayout(buttons);
    return page;
}

void ConflictsDialog::showEvent(QShowEvent *event)
{
    if (!m_loaded)
        refresh();
    QDialog::showEvent(event);
}

int ConflictsDialog::openConflictCount() const
{
    return m_conflicts->conflictCount();
}

int ConflictsDialog::rejectionCount() const
{
    return m_rejections->rowCount();
}

QString ConflictsDialog::refusalFor(const QString &entity) const
{
    const std::optional<Action> action = RecordEditor::writeAction(entity);
    if (!action)
        return tr("Records of this kind are not changed here.");
    if (!principalMay(m_who, *action))
        return tr("Your role may not %1: someone who may has to decide.").arg(describe(*action));
    return {};
}

QString ConflictsDialog::recordLabel(const QString &entity, const QString &entityId,
                                     const QJsonObject &row) const
{
    const QString kind = ConflictsFieldModel::entityName(entity);
    if (entity == QLatin1String("patients")) {
        if (auto p = PatientStore(m_db, m_who).get(PatientId(entityId)))
            return tr("%1 %2 (MRN %3)").arg(kind, p->displayName(), p->mrn);
    } else if (entity == QLatin1String("users")) {
        if (auto u = UserStore(m_db, m_who).get(UserId(entityId)))
            return tr("%1 %2 (%3)").arg(kind, u->displayName(), u->email);
    }
    // A record not stored here (a refused new record): what its row says.
    const QString given = row.value(u"given_name").toString();
    const QString family = row.value(u"family_name").toString();
    if (!given.isEmpty() || !family.isEmpty())
        return tr("%1 %2").arg(kind, QStringList{given, family}.join(QLatin1Char(' ')).trimmed());
    if (const QString start = row.value(u"start_at").toString(); !start.isEmpty()) {
        const QDateTime at = QDateTime::fromString(start, Qt::ISODateWithMs);
        if (at.isValid())
            return tr("%1 %2").arg(kind,
                                   at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    }
    return tr("%1 %2…").arg(kind, entityId.left(8));
}

void ConflictsDialog::refresh()
{
    m_loaded = true;
    const SyncResolutionStore store(m_db, m_who);
    QStringList failures;
    if (auto conflicts = store.conflicts()) {
        QList<ConflictsModel::Record> records = ConflictsModel::group(*conflicts);
        for (ConflictsModel::Record &r : records)
            r.label = recordLabel(r.entity, r.entityId, {});
        m_conflicts->setRecords(records);
    } else {
        failures << conflicts.error().message;
    }
    if (auto rejections = store.rejections()) {
        QList<ConflictsRejectionModel::Rejection> shown;
        for (const OutboxEntry &e : std::as_const(*rejections))
            shown << ConflictsRejectionModel::Rejection{
                e, recordLabel(e.entity, e.entity_id,
                               e.op == OutboxOp::Insert ? e.changes : QJsonObject())};
        m_rejections->setRejections(shown);
    } else {
        failures << rejections.error().message;
    }
    failures.removeDuplicates();
    if (!failures.isEmpty())
        say(m_listMessage, tr("Could not read the lists: %1").arg(failures.join(QLatin1Char(' '))),
            true);
    else if (m_conflicts->rowCount() == 0 && m_rejections->rowCount() == 0)
        say(m_listMessage, tr("Nothing to settle: no open conflicts and no refused changes."),
            false);
    else
        m_listMessage->clear();
    updateConflictPage();
    updateRejectionPage();
}

void ConflictsDialog::selectionChanged()
{
    if (m_selecting)
        return;
    const QModelIndexList conflict = m_conflictsList->selectionModel()->selectedRows();
    const QModelIndexList rejection = m_rejectionsList->selectionModel()->selectedRows();
    if (conflict.size() == 1)
        showRecord(conflict.first().data(ConflictsModel::RecordKeyRole).toString());
    else if (rejection.size() == 1)
        showRejection(rejection.first().data(ConflictsRejectionModel::MutationIdRole).toString());
}

void ConflictsDialog::showRecord(const QString &recordKey)
{
    const bool another = recordKey != m_shownRecord;
    m_shownRecord = recordKey;
    m_shownRejection.clear();
    if (another)
        m_conflictMessage->clear();
    const int row = m_conflicts->rowOf(recordKey);
    if (row >= 0) {
        m_selecting = true;
        m_rejectionsList->clearSelection();
        m_conflictsList->selectRow(row);
        m_selecting = false;
    }
    updateConflictPage();
}

void ConflictsDialog::showRejection(const QString &mutationId)
{
    const bool another = mutationId != m_shownRejection;
    m_shownRejection = mutationId;
    m_shownRecord.clear();
    if (another)
        m_rejectionMessage->clear();
    const int row = m_rejections->rowOf(mutationId);
    if (row >= 0) {
        m_selecting = true;
        m_conflictsList->clearSelection();
        m_rejectionsList->selectRow(row);
        m_selecting = false;
    }
    updateRejectionPage();
}

void ConflictsDialog::updateConflictPage()
{
    if (m_shownRecord.isEmpty())
        return;
    const int row = m_conflicts->rowOf(m_shownRecord);
    if (row < 0) {
        // Every field of the record is settled (here, or by a sync meanwhile).
        m_fields->setConflicts({}, {}, {});
        m_detail->setCurrentIndex(PlaceholderPage);
        return;
    }
    const ConflictsModel::Record &record = m_conflicts->recordAt(row);
    m_fields->setConflicts(record.entity, record.entityId, record.conflicts);
    m_recordTitle->setText(record.label);
    const QString refusal = refusalFor(record.entity);
    for (QPushButton *b : {m_keepLocal, m_keepCentral, m_keepMerged}) {
        b->setEnabled(refusal.isEmpty());
    }
    m_fieldTable->setEditTriggers(refusal.isEmpty() ? QAbstractItemView::DoubleClicked |
                                                          QAbstractItemView::EditKeyPressed |
                                                          QAbstractItemView::AnyKeyPressed |
                                                          QAbstractItemView::SelectedClicked
                                                    : QAbstractItemView::NoEditTriggers);
    if (!refusal.isEmpty())
        say(m_conflictMessage, refusal, false);
    m_detail->setCurrentIndex(ConflictPage);
}

void ConflictsDialog::updateRejectionPage()
{
    if (m_shownRejection.isEmpty())
        return;
    const int row = m_rejections->rowOf(m_shownRejection);
    if (row < 0) {
        m_change->setRejection({});
        m_detail->setCurrentIndex(PlaceholderPage);
        return;
    }
    const ConflictsRejectionModel::Rejection &r = m_rejections->rejectionAt(row);
    m_change->setRejection(r.entry);
    m_rejectionTitle->setText(
        tr("%1 — %2").arg(r.label, ConflictsRejectionModel::opName(r.entry.op)));
    m_reason->setText(tr("The central refused this change: %1").arg(r.entry.error));
    const QString refusal = refusalFor(r.entry.entity);
    m_retry->setEnabled(refusal.isEmpty());
    m_discard->setEnabled(refusal.isEmpty());
    m_changeTable->setEditTriggers(refusal.isEmpty() ? QAbstractItemView::DoubleClicked |
                                                           QAbstractItemView::EditKeyPressed |
                                                           QAbstractItemView::AnyKeyPressed |
                                                           QAbstractItemView::SelectedClicked
                                                     : QAbstractItemView::NoEditTriggers);
    if (!refusal.isEmpty())
        say(m_rejectionMessage, refusal, false);
    m_detail->setCurrentIndex(RejectionPage);
}

void ConflictsDialog::resolveShown(ConflictResolution keep)
{
    if (m_shownRecord.isEmpty() || m_fields->rowCount() == 0 || !m_keepLocal->isEnabled())
        return;
    commitOpenEditor(m_fieldTable);
    struct Choice
    {
        QString id;
        QJsonValue merged;
    };
    QList<Choice> choices;
    for (int row = 0; row < m_fields->rowCount(); ++row)
        choices << Choice{m_fields->conflictAt(row).id, m_fields->mergedValue(row)};

    const SyncResolutionStore store(m_db, m_who);
    QStringList general;
    int done = 0;
    int refused = 0;
    for (int row = 0; row < choices.size(); ++row) {
        const Choice &choice = choices.at(row);
        auto result = store.resolve(
            choice.id, keep,
            keep == ConflictResolution::Merged ? std::optional(choice.merged) : std::nullopt);
        if (result) {
            ++done;
            m_fields->setProblem(row, {});
            continue;
        }
        ++refused;
        const Error &error = result.error();
        if (error.code == ErrorCode::Invalid && !error.fields.isEmpty()) {
            QStringList messages;
            for (const FieldError &e : error.fields)
                messages << e.message;
            messages.removeDuplicates();
            m_fields->setProblem(row, messages.join(QLatin1Char(' ')));
        } else {
            general << error.message;
        }
    }
    general.removeDuplicates();
    if (refused > 0)
        say(m_conflictMessage,
            general.isEmpty() ? tr("%n field(s) not settled: see the marked rows.", "", refused)
                              : tr("Not settled: %1").arg(general.join(QLatin1Char(' '))),
            true);
    else
        say(m_conflictMessage, tr("Settled; the change is sent with the next sync."), false);
    refresh();
    if (done > 0)
        Q_EMIT resolved();
}

void ConflictsDialog::retryShown()
{
    if (m_shownRejection.isEmpty() || !m_retry->isEnabled())
        return;
    commitOpenEditor(m_changeTable);
    auto result = SyncResolutionStore(m_db, m_who).retry(m_shownRejection, m_change->edits());
    if (!result) {
        const Error &error = result.error();
        QStringList unplaced = m_change->setErrors(error.fields);
        if (error.fields.isEmpty())
            unplaced.prepend(error.message);
        say(m_rejectionMessage,
            unplaced.isEmpty() ? tr("Not sent: correct the marked fields.")
                               : tr("Not sent: %1").arg(unplaced.join(QLatin1Char(' '))),
            true);
        return;
    }
    say(m_rejectionMessage, tr("The change goes to the central with the next sync."), false);
    refresh();
    Q_EMIT resolved();
}

void ConflictsDialog::discardShown()
{
    if (m_shownRejection.isEmpty() || !m_discard->isEnabled())
        return;
    const QString mutation = m_shownRejection;
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Discard the refused change"),
        tr("Discard this change for good? The record stays as the central holds it."),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("confirmDiscard"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    QPushButton *confirm = box->addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    confirm->setObjectName(QStringLiteral("confirm"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancel"));
    box->setDefaultButton(cancel);
    connect(box, &QMessageBox::finished, this, [this, box, confirm, mutation] {
        if (box->clickedButton() != confirm)
            return;
        if (Status s = SyncResolutionStore(m_db, m_who).discard(mutation); !s) {
            say(m_rejectionMessage, tr("Not discarded: %1").arg(s.error().message), true);
            return;
        }
        say(m_listMessage, tr("The refused change was discarded."), false);
        refresh();
        Q_EMIT resolved();
    });
    box->open();
}

} // namespace tmdash
