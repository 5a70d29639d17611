#include "provideravailabilityeditor.h"

#include "clock.h"
#include "provideravailabilitymodel.h"
#include "providerstore.h"
#include "providertimeoffmodel.h"
#include "providervalidator.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QTableView>
#include <QVBoxLayout>

namespace tmdash {

namespace {

const QString kErrorStyle = QStringLiteral("color: #b00020");

bool isListField(const QString &field)
{
    return field.startsWith(QLatin1String("availability[")) ||
           field.startsWith(QLatin1String("time_off["));
}

QTableView *makeTable(const QString &name, QAbstractItemModel *model, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setObjectName(name);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectItems);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                           QAbstractItemView::AnyKeyPressed);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setTabKeyNavigation(false); // Tab leaves the table, arrows move between cells
    return table;
}

} // namespace

ProviderAvailabilityEditor::ProviderAvailabilityEditor(const Database &db, const Principal &who,
                                                       const Provider &provider,
                                                       const QTimeZone &clinicZone, QWidget *parent)
    : QWidget(parent), m_db(db), m_who(who), m_provider(provider),
      m_availability(new ProviderAvailabilityModel(this)),
      m_timeOff(new ProviderTimeOffModel(clinicZone, this)), m_message(new QLabel(this)),
      m_save(new QPushButton(tr("Sa&ve availability and time off"), this))
{
    setObjectName(QStringLiteral("providerAvailabilityEditor"));
    m_availability->setWindows(provider.availability);
    m_timeOff->setTimeOff(provider.time_off);

    m_availabilityTable = makeTable(QStringLiteral("availabilityTable"), m_availability, this);
    m_availabilityTable->setColumnWidth(ProviderAvailabilityModel::WeekdayColumn, 120);
    m_availabilityTable->setColumnWidth(ProviderAvailabilityModel::StartColumn, 70);
    m_availabilityTable->setColumnWidth(ProviderAvailabilityModel::EndColumn, 70);
    m_availabilityTable->setColumnWidth(ProviderAvailabilityModel::RoomColumn, 90);
    m_timeOffTable = makeTable(QStringLiteral("timeOffTable"), m_timeOff, this);
    m_timeOffTable->setColumnWidth(ProviderTimeOffModel::StartColumn, 130);
    m_timeOffTable->setColumnWidth(ProviderTimeOffModel::EndColumn, 130);
    m_timeOffTable->setColumnWidth(ProviderTimeOffModel::ReasonColumn, 160);

    const auto listBox = [this](const QString &title, QTableView *table, const char *addName,
                                const QString &addText, const char *removeName,
                                const QString &removeText) {
        auto *box = new QGroupBox(title, this);
        auto *add = new QPushButton(addText, box);
        add->setObjectName(QString::fromLatin1(addName));
        auto *remove = new QPushButton(removeText, box);
        remove->setObjectName(QString::fromLatin1(removeName));
        remove->setEnabled(false);
        connect(table->selectionModel(), &QItemSelectionModel::currentChanged, remove,
                [remove](const QModelIndex &current) { remove->setEnabled(current.isValid()); });
        auto *buttons = new QHBoxLayout;
        buttons->addWidget(add);
        buttons->addWidget(remove);
        buttons->addStretch(1);
        auto *layout = new QVBoxLayout(box);
        layout->addWidget(table, 1);
        layout->addLayout(buttons);
        return std::pair{box, std::pair{add, remove}};
    };
    const auto [weekly, weeklyButtons] =
        listBox(tr("Weekly availability (clinic time)"), m_availabilityTable, "addAvailability",
                tr("Add &window"), "removeAvailability", tr("Remove w&indow"));
    const auto [absences, absenceButtons] =
        listBox(tr("Time off (clinic time)"), m_timeOffTable, "addTimeOff", tr("Add time o&ff"),
                "removeTimeOff", tr("Remove ti&me off"));

    // A new row is ready to be typed over: its first cell current, the table focused.
    const auto startEditing = [](QTableView *table, int row) {
        const QModelIndex first = table->model()->index(row, 0);
        table->setCurrentIndex(first);
        table->scrollTo(first);
        table->setFocus(Qt::OtherFocusReason);
    };
    connect(weeklyButtons.first, &QPushButton::clicked, this, [this, startEditing] {
        startEditing(m_availabilityTable, m_availability->addWindow());
    });
    connect(weeklyButtons.second, &QPushButton::clicked, this,
            [this] { m_availability->removeWindow(m_availabilityTable->currentIndex().row()); });
    connect(absenceButtons.first, &QPushButton::clicked, this,
            [this, startEditing] { startEditing(m_timeOffTable, m_timeOff->addTimeOff()); });
    connect(absenceButtons.second, &QPushButton::clicked, this,
            [this] { m_timeOff->removeTimeOff(m_timeOffTable->currentIndex().row()); });

    const auto onEdited = [this] {
        m_modified = true;
        m_storeErrors.clear();
        m_failure.clear();
        revalidate();
    };
    connect(m_availability, &ProviderAvailabilityModel::edited, this, onEdited);
    connect(m_timeOff, &ProviderTimeOffModel::edited, this, onEdited);

    m_message->setObjectName(QStringLiteral("providerMessage"));
    m_message->setWordWrap(true);
    m_save->setObjectName(QStringLiteral("saveProvider"));
    connect(m_save, &QPushButton::clicked, this, &ProviderAvailabilityEditor::save);

    auto *saveRow = new QHBoxLayout;
    saveRow->addWidget(m_message, 1);
    saveRow->addWidget(m_save, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(weekly, 1);
    layout->addWidget(absences, 1);
    layout->addLayout(saveRow);
    revalidate();
}

Provider ProviderAvailabilityEditor::collect(FieldErrors &errors) const
{
    Provider p = m_provider;
    p.availability = m_availability->windows(errors);
    p.time_off = m_timeOff->timeOff(errors);
    return p;
}

void ProviderAvailabilityEditor::showErrors(const FieldErrors &errors)
{
    m_availability->setErrors(errors);
    m_timeOff->setErrors(errors);
    QStringList others;
    if (!m_failure.isEmpty())
        others << m_failure;
    for (const FieldError &e : errors)
        if (!isListField(e.field))
            others << e.message;
    others.removeDuplicates();
    m_message->setStyleSheet(others.isEmpty() ? QString() : kErrorStyle);
    m_message->setText(others.join(QLatin1Char('\n')));
}

void ProviderAvailabilityEditor::revalidate()
{
    FieldErrors errors;
    const Provider p = collect(errors);
    // What could not be read is said once, in its own words, not again as "required".
    QSet<QString> unreadable;
    for (const FieldError &e : std::as_const(errors))
        unreadable.insert(e.field);
    for (const FieldError &e : validateProvider(p, todayUtc()))
        if (!unreadable.contains(e.field))
            errors << e;
    m_save->setEnabled(errors.isEmpty());
    for (const FieldError &e : std::as_const(m_storeErrors))
        errors << e;
    showErrors(errors);
}

bool ProviderAvailabilityEditor::save()
{
    FieldErrors errors;
    const Provider edited = collect(errors);
    if (!errors.isEmpty() || !validateProvider(edited, todayUtc()).isEmpty())
        return false; // Save is disabled then
    auto stored = ProviderStore(m_db, m_who).update(edited);
    if (!stored) {
        m_storeErrors = stored.error().fields;
        m_failure = stored.error().fields.isEmpty()
                        ? tr("Not saved: %1").arg(stored.error().message)
                        : tr("Not saved: see the marked rows.");
        revalidate();
        return false;
    }
    m_provider = *stored;
    m_modified = false;
    m_storeErrors.clear();
    m_failure.clear();
    // The rows stay where they are (ids were made when they were added), showing what was stored.
    m_availability->markSaved(m_provider.availability);
    m_timeOff->markSaved(m_provider.time_off);
    revalidate();
    m_message->setStyleSheet(QString());
    m_message->setText(tr("Saved."));
    Q_EMIT saved(m_provider);
    return true;
}

} // namespace tmdash
