#include "consultationspanel.h"

#include "consultationeditor.h"
#include "consultationtablemodel.h"
#include "permissions.h"
#include "providerstore.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace tmdash {

ConsultationsPanel::ConsultationsPanel(const Database &db, const Principal &who,
                                       const PatientId &patient, QWidget *parent)
    : QWidget(parent), m_db(db), m_who(who), m_patient(patient),
      m_model(new ConsultationTableModel(db, who, patient, this)), m_table(new QTableView(this)),
      m_editor(new ConsultationEditor(db, who, this)), m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("consultationsPanel"));
    // Whoever writes notes here does so as their provider record.
    if (who.isPerson() && principalMay(who, Action::WriteConsultations) &&
        principalMay(who, Action::ReadProviders)) {
        if (auto providers = ProviderStore(db, who).list())
            for (const Provider &p : std::as_const(*providers))
                if (p.user_id == who.user_id)
                    m_author = p.id;
    }
    m_editor->setAuthor(m_author);
    // Ctrl+S saves the open note from anywhere in the tab, the list included.
    if (QAction *save = m_editor->saveAction())
        addAction(save);

    auto *bar = new QHBoxLayout;
    if (principalMay(who, Action::WriteConsultations)) {
        m_new = new QPushButton(tr("&New consultation"), this);
        m_new->setObjectName(QStringLiteral("newConsultation"));
        if (!m_author) {
            m_new->setEnabled(false);
            m_new->setToolTip(tr("Your account has no provider record, so it cannot write "
                                 "consultation notes."));
        }
        connect(m_new, &QPushButton::clicked, this, [this] { newConsultation(); });
        bar->addWidget(m_new);
    }
    bar->addStretch(1);

    m_message->setObjectName(QStringLiteral("consultationsMessage"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #b00020"));
    m_message->hide();

    m_table->setObjectName(QStringLiteral("consultationsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ConsultationsPanel::selectionChanged);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, m_table, [this] { m_table->resizeColumnsToContents(); });
    connect(m_model, &QAbstractItemModel::dataChanged, m_table,
            [this] { m_table->resizeColumnsToContents(); });
    connect(m_model, &ConsultationTableModel::loadFailed, this, [this](const QString &message) {
        showMessage(tr("The consultations could not be read: %1").arg(message));
    });
    connect(m_editor, &ConsultationEditor::saved, this, &ConsultationsPanel::written);
    connect(m_editor, &ConsultationEditor::noteSigned, this, &ConsultationsPanel::written);
    connect(m_editor, &ConsultationEditor::addendumAdded, this, &ConsultationsPanel::written);
    connect(m_editor, &ConsultationEditor::editsChanged, this, [this](bool edits) {
        if (!edits)
            m_message->hide();
    });

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(bar);
    leftLayout->addWidget(m_message);
    leftLayout->addWidget(m_table, 1);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("consultationsSplitter"));
    split->addWidget(left);
    split->addWidget(m_editor);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);
}

void ConsultationsPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_model->canFetchMore({}))
        m_model->fetchMore({});
    if (!m_shown && !m_editor->hasNote() && m_model->rowCount() > 0)
        selectRow(0); // the latest note
    m_shown = true;
}

void ConsultationsPanel::showMessage(const QString &message)
{
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

void ConsultationsPanel::selectRow(int row)
{
    const QModelIndex index = m_model->index(row, 0);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

void ConsultationsPanel::selectionChanged()
{
    if (m_reselecting)
        return;
    const QModelIndex current = m_table->currentIndex();
    const ConsultationId id(current.data(ConsultationTableModel::ConsultationIdRole).toString());
    if (m_editor->hasNote() && id == m_editor->consultation().id)
        return;
    if (m_editor->hasEdits()) {
        // Keep the open note: what is typed there is not saved yet.
        m_reselecting = true;
        const int row = m_model->rowOf(m_editor->consultation().id);
        if (row >= 0)
            selectRow(row);
        else
            m_table->selectionModel()->clear();
        m_reselecting = false;
        showMessage(tr("The open note has unsaved changes: save it (Ctrl+S) or reload it before "
                       "opening another one."));
        return;
    }
    showMessage({});
    if (!current.isValid()) {
        m_editor->clear();
        return;
    }
    m_editor->setConsultation(m_model->consultationAt(current.row()));
}

bool ConsultationsPanel::openConsultation(const ConsultationId &id)
{
    if (m_model->canFetchMore({}))
        m_model->fetchMore({});
    const int row = m_model->rowOf(id);
    if (row < 0)
        return false;
    selectRow(row);
    return m_editor->consultation().id == id;
}

bool ConsultationsPanel::newConsultation()
{
    if (!m_new || !m_new->isEnabled())
        return false;
    if (m_editor->hasEdits()) {
        showMessage(tr("The open note has unsaved changes: save it (Ctrl+S) or reload it before "
                       "starting another one."));
        return false;
    }
    showMessage({});
    m_reselecting = true;
    m_table->selectionModel()->clear();
    m_reselecting = false;
    m_editor->startNew(m_patient);
    return true;
}

void ConsultationsPanel::written(const Consultation &consultation)
{
    m_model->refresh();
    m_reselecting = true;
    const int row = m_model->rowOf(consultation.id);
    if (row >= 0)
        selectRow(row);
    m_reselecting = false;
    // An addendum opens in the editor, to be completed and signed.
    if (consultation.id != m_editor->consultation().id)
        m_editor->setConsultation(consultation);
}

void ConsultationsPanel::refresh()
{
    if (!m_model->isLoaded())
        return; // read on first show
    m_model->refresh();
    if (!m_editor->hasNote() || m_editor->consultation().id.isNull())
        return;
    const ConsultationId open = m_editor->consultation().id;
    if (const Consultation *current = m_model->find(open)) {
        m_editor->recordChanged(*current);
        m_reselecting = true;
        selectRow(m_model->rowOf(open));
        m_reselecting = false;
    } else {
        m_editor->recordRemoved();
    }
}

} // namespace tmdash
