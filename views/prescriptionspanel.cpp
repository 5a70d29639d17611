#include "prescriptionspanel.h"

#include "permissions.h"
#include "prescriptionform.h"
#include "prescriptionstore.h"
#include "prescriptiontablemodel.h"
#include "providerstore.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace tmdash {

PrescriptionsPanel::PrescriptionsPanel(const Database &db, const Principal &who,
                                       const PatientId &patient, QWidget *parent)
    : QWidget(parent), m_db(db), m_who(who), m_patient(patient),
      m_active(new PrescriptionTableModel(this)), m_past(new PrescriptionTableModel(this)),
      m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("prescriptionsPanel"));
    const bool prescriber = principalMay(who, Action::WritePrescriptions);
    if (prescriber && who.isPerson() && principalMay(who, Action::ReadProviders)) {
        if (auto providers = ProviderStore(db, who).list())
            for (const Provider &p : std::as_const(*providers))
                if (p.user_id == who.user_id)
                    m_prescriber = p.id;
    }

    auto *bar = new QHBoxLayout;
    if (prescriber) {
        m_new = new QPushButton(tr("&New prescription…"), this);
        m_new->setObjectName(QStringLiteral("newPrescription"));
        if (!m_prescriber) {
            m_new->setEnabled(false);
            m_new->setToolTip(tr("Your account has no provider record, so it cannot "
                                 "prescribe."));
        }
        connect(m_new, &QPushButton::clicked, this, [this] { newPrescription(); });
        bar->addWidget(m_new);
        bar->addSpacing(16);
        const QList<std::pair<PrescriptionAction, const char *>> actions{
            {PrescriptionAction::Hold, "holdPrescription"},
            {PrescriptionAction::Resume, "resumePrescription"},
            {PrescriptionAction::Complete, "completePrescription"},
            {PrescriptionAction::Cancel, "cancelPrescription"},
            {PrescriptionAction::EnterInError, "errorPrescription"},
        };
        for (const auto &[action, name] : actions) {
            auto *button = new QPushButton(PrescriptionTableModel::actionName(action), this);
            button->setObjectName(QString::fromLatin1(name));
            const PrescriptionAction act = action;
            connect(button, &QPushButton::clicked, this, [this, act] { apply(act); });
            bar->addWidget(button);
            m_actions.insert(action, button);
        }
    }
    bar->addStretch(1);

    m_message->setObjectName(QStringLiteral("prescriptionsMessage"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #b00020"));
    m_message->hide();

    m_activeTable = makeTable(m_active, QStringLiteral("activePrescriptions"));
    m_pastTable = makeTable(m_past, QStringLiteral("pastPrescriptions"));

    const auto section = [this](const QString &title, QTableView *table) {
        auto *box = new QWidget(this);
        auto *caption = new QLabel(title, box);
        caption->setBuddy(table);
        QFont bold = caption->font();
        bold.setBold(true);
        caption->setFont(bold);
        auto *layout = new QVBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(caption);
        layout->addWidget(table, 1);
        return box;
    };
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(section(tr("&Active and on hold"), m_activeTable));
    split->addWidget(section(tr("Pa&st"), m_pastTable));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addWidget(split, 1);
    updateActions();
}

QTableView *PrescriptionsPanel::makeTable(PrescriptionTableModel *model, const QString &name)
{
    auto *table = new QTableView(this);
    table->setObjectName(name);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    connect(table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this, table] {
        if (table->selectionModel()->hasSelection()) {
            // One selection across both tables.
            m_selectedIn = table;
            QTableView *other = table == m_activeTable ? m_pastTable : m_activeTable;
            if (other)
                other->selectionModel()->clearSelection();
        } else if (m_selectedIn == table) {
            m_selectedIn = nullptr;
        }
        updateActions();
    });
    // A row that changes (a status from elsewhere) may change what is offered.
    connect(model, &QAbstractItemModel::dataChanged, this, &PrescriptionsPanel::updateActions);
    connect(model, &QAbstractItemModel::rowsInserted, table,
            [table] { table->resizeColumnsToContents(); });
    connect(model, &QAbstractItemModel::dataChanged, table,
            [table] { table->resizeColumnsToContents(); });
    return table;
}

void PrescriptionsPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_loaded)
        refresh();
}

void PrescriptionsPanel::showMessage(const QString &message)
{
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

void PrescriptionsPanel::refresh()
{
    auto all = PrescriptionStore(m_db, m_who).forPatient(m_patient);
    if (!all) {
        showMessage(tr("The prescriptions could not be read: %1").arg(all.error().message));
        return;
    }
    m_loaded = true;
    // Keep the selection on the same prescription when it moves between the tables.
    const std::optional<Prescription> before = selected();
    m_active->setPrescriptions(all->active);
    m_past->setPrescriptions(all->past);
    if (before) {
        const int activeRow = m_active->rowOf(before->id);
        const int pastRow = m_past->rowOf(before->id);
        QTableView *table = activeRow >= 0 ? m_activeTable : pastRow >= 0 ? m_pastTable : nullptr;
        if (table && table != m_selectedIn) {
            const QModelIndex index =
                table->model()->index(activeRow >= 0 ? activeRow : pastRow, 0);
            table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                QItemSelectionModel::Rows);
        }
    }
    updateActions();
}

std::optional<Prescription> PrescriptionsPanel::selected() const
{
    if (!m_selectedIn)
        return std::nullopt;
    const QModelIndexList rows = m_selectedIn->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    auto *model = static_cast<PrescriptionTableModel *>(m_selectedIn->model());
    return model->prescriptionAt(rows.first().row());
}

void PrescriptionsPanel::updateActions()
{
    const std::optional<Prescription> rx = selected();
    const QList<PrescriptionAction> allowed =
        rx ? allowedActions(rx->status) : QList<PrescriptionAction>{};
    for (auto it = m_actions.constBegin(); it != m_actions.constEnd(); ++it) {
        // Offered where the state machine allows it from the selected status.
        it.value()->setVisible(allowed.contains(it.key()));
        it.value()->setEnabled(allowed.contains(it.key()));
    }
}

PrescriptionForm *PrescriptionsPanel::newPrescription()
{
    if (!m_new || !m_new->isEnabled() || !m_prescriber)
        return nullptr;
    auto *form = new PrescriptionForm(m_db, m_who, m_patient, *m_prescriber, this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    connect(form, &PrescriptionForm::saved, this, [this](const Prescription &rx) {
        refresh();
        const int row = m_active->rowOf(rx.id);
        if (row >= 0)
            m_activeTable->selectRow(row);
    });
    form->open();
    return form;
}

bool PrescriptionsPanel::apply(PrescriptionAction action)
{
    QPushButton *button = m_actions.value(action);
    const std::optional<Prescription> rx = selected();
    if (!button || !button->isEnabled() || !rx)
        return false;
    if (action != PrescriptionAction::Cancel && action != PrescriptionAction::EnterInError)
        return run(rx->id, action);
    // Final steps are confirmed first.
    const QString name = PrescriptionTableModel::medicationText(*rx);
    const QString question =
        action == PrescriptionAction::Cancel
            ? tr("Cancel the prescription of %1? It cannot be resumed afterwards.").arg(name)
            : tr("Mark the prescription of %1 as entered in error? It stays on record, struck "
                 "through, and cannot be changed afterwards.")
                  .arg(name);
    auto *box = new QMessageBox(QMessageBox::Question, tr("Prescription"), question,
                                QMessageBox::Yes | QMessageBox::No, this);
    box->setObjectName(QStringLiteral("confirmPrescriptionAction"));
    box->setDefaultButton(QMessageBox::No);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const PrescriptionId id = rx->id;
    connect(box, &QMessageBox::finished, this, [this, box, id, action] {
        if (box->standardButton(box->clickedButton()) == QMessageBox::Yes)
            run(id, action);
    });
    box->open();
    return true;
}

bool PrescriptionsPanel::run(const PrescriptionId &id, PrescriptionAction action)
{
    auto changed = PrescriptionStore(m_db, m_who).transition(id, action);
    if (!changed) {
        QStringList lines{changed.error().message};
        for (const FieldError &e : changed.error().fields)
            lines << e.message;
        lines.removeDuplicates();
        showMessage(tr("Not changed: %1").arg(lines.join(QLatin1Char(' '))));
        refresh();
        return false;
    }
    showMessage({});
    refresh();
    return true;
}

} // namespace tmdash
