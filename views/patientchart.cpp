#include "patientchart.h"

#include "clock.h"
#include "consultationspanel.h"
#include "patientappointmentsmodel.h"
#include "patientform.h"
#include "patientstore.h"
#include "patienttablemodel.h"
#include "permissions.h"
#include "prescriptionspanel.h"
#include "vitalsform.h"
#include "vitalstablemodel.h"
#include "vitalstrendchart.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace tmdash {

PatientChart::PatientChart(const Database &db, const Principal &who, const PatientId &patient,
                           QWidget *parent)
    : QWidget(parent), m_db(db), m_who(who), m_patientId(patient), m_tabs(new QTabWidget(this)),
      m_heading(new QLabel(this)), m_loadMessage(new QLabel(this)),
      m_vitals(new VitalsTableModel(db, who, patient, this))
{
    setObjectName(QStringLiteral("patientChart"));
    m_heading->setObjectName(QStringLiteral("chartHeading"));
    QFont big = m_heading->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_heading->setFont(big);
    m_loadMessage->setObjectName(QStringLiteral("chartMessage"));
    m_loadMessage->setStyleSheet(QStringLiteral("color: #b00020"));
    m_loadMessage->setWordWrap(true);
    m_loadMessage->hide();
    m_tabs->setObjectName(QStringLiteral("chartTabs"));
    m_tabs->addTab(buildDemographics(), tr("&Demographics"));
    m_tabs->addTab(buildVitals(), tr("&Vitals"));
    if (principalMay(who, Action::ReadConsultations)) {
        m_consultations = new ConsultationsPanel(db, who, patient, this);
        m_tabs->addTab(m_consultations, tr("&Consultations"));
    }
    if (principalMay(who, Action::ReadPrescriptions)) {
        m_prescriptions = new PrescriptionsPanel(db, who, patient, this);
        m_tabs->addTab(m_prescriptions, tr("P&rescriptions"));
    }
    if (principalMay(who, Action::ReadAppointments))
        m_tabs->addTab(buildAppointments(), tr("&Appointments"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    m_presence = new QLabel(this);
    m_presence->setObjectName(QStringLiteral("presence"));
    m_presence->setWordWrap(true);
    m_presence->hide();
    layout->addWidget(m_presence);
    layout->addWidget(m_loadMessage);
    layout->addWidget(m_tabs, 1);

    connect(m_vitals, &VitalsTableModel::loadFailed, this, [this](const QString &message) {
        m_loadMessage->setText(tr("The vitals could not be read: %1").arg(message));
        m_loadMessage->show();
    });
    loadDemographics();
}

QWidget *PatientChart::buildDemographics()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout;
    const QList<std::pair<const char *, QString>> rows{
        {"mrn", tr("MRN")},
        {"given_name", tr("Given name")},
        {"middle_name", tr("Middle name")},
        {"family_name", tr("Family name")},
        {"birth_date", tr("Birth date")},
        {"sex", tr("Sex")},
        {"phone", tr("Phone")},
        {"email", tr("Email")},
        {"address_line", tr("Address")},
        {"city", tr("City")},
        {"region", tr("Region")},
        {"postal_code", tr("Postal code")},
        {"country", tr("Country")},
        {"preferred_language", tr("Language")},
    };
    for (const auto &[key, label] : rows) {
        auto *value = new QLabel(page);
        value->setObjectName(QString::fromLatin1(key) + QStringLiteral("Value"));
        value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        form->addRow(label + QLatin1Char(':'), value);
        m_values.insert(QString::fromLatin1(key), value);
    }
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(form);
    if (principalMay(m_who, Action::WritePatients)) {
        m_edit = new QPushButton(tr("&Edit…"), page);
        m_edit->setObjectName(QStringLiteral("editPatient"));
        connect(m_edit, &QPushButton::clicked, this, [this] { editPatient(); });
        auto *buttons = new QHBoxLayout;
        buttons->addWidget(m_edit);
        buttons->addStretch(1);
        layout->addLayout(buttons);
    }
    layout->addStretch(1);
    return page;
}

QWidget *PatientChart::buildVitals()
{
    auto *page = new QWidget(this);
    auto *bar = new QHBoxLayout;
    if (principalMay(m_who, Action::WriteVitals)) {
        m_record = new QPushButton(tr("&Record vitals…"), page);
        m_record->setObjectName(QStringLiteral("recordVitals"));
        connect(m_record, &QPushButton::clicked, this, [this] { recordVitals(); });
        bar->addWidget(m_record);
    }
    bar->addStretch(1);
    m_measurement = new QComboBox(page);
    m_measurement->setObjectName(QStringLiteral("measurementCombo"));
    for (const MeasurementInfo &info : measurementInfos())
        m_measurement->addItem(VitalsTableModel::measurementName(info.m), info.key);
    auto *trendLabel = new QLabel(tr("&Trend of:"), page);
    trendLabel->setBuddy(m_measurement);
    bar->addWidget(trendLabel);
    bar->addWidget(m_measurement);

    m_vitalsTable = new QTableView(page);
    m_vitalsTable->setObjectName(QStringLiteral("vitalsTable"));
    m_vitalsTable->setModel(m_vitals);
    m_vitalsTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_vitalsTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_vitalsTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_vitalsTable->verticalHeader()->hide();
    connect(m_vitals, &QAbstractItemModel::rowsInserted, m_vitalsTable, [this] {
        m_vitalsTable->resizeColumnsToContents();
        m_vitalsTable->scrollToBottom(); // the latest record
    });

    m_trend = new VitalsTrendChart(page);
    m_trend->setModel(m_vitals);
    m_trend->setMinimumHeight(260);
    connect(m_measurement, &QComboBox::currentIndexChanged, m_trend, [this] {
        if (auto m = measurementFromKey(m_measurement->currentData().toString()))
            m_trend->setMeasurement(*m);
    });

    auto *split = new QSplitter(Qt::Vertical, page);
    split->addWidget(m_vitalsTable);
    split->addWidget(m_trend);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    return page;
}

QWidget *PatientChart::buildAppointments()
{
    auto *page = new QWidget(this);
    m_appointments = new PatientAppointmentsModel(m_db, m_who, m_patientId, this);
    m_appointmentsTable = new QTableView(page);
    m_appointmentsTable->setObjectName(QStringLiteral("appointmentsTable"));
    m_appointmentsTable->setModel(m_appointments);
    m_appointmentsTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_appointmentsTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_appointmentsTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_appointmentsTable->verticalHeader()->hide();
    m_appointmentsTable->horizontalHeader()->setStretchLastSection(true);
    connect(m_appointments, &QAbstractItemModel::rowsInserted, m_appointmentsTable,
            [this] { m_appointmentsTable->resizeColumnsToContents(); });
    connect(m_appointments, &PatientAppointmentsModel::loadFailed, this,
            [this](const QString &message) {
                m_loadMessage->setText(tr("The appointments could not be read: %1").arg(message));
                m_loadMessage->show();
            });
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_appointmentsTable);
    return page;
}

void PatientChart::loadDemographics()
{
    auto patient = PatientStore(m_db, m_who).get(m_patientId);
    if (!patient) {
        m_loadMessage->setText(
            tr("The patient could not be read: %1").arg(patient.error().message));
        m_loadMessage->show();
        if (m_edit)
            m_edit->setEnabled(false);
        return;
    }
    m_loadMessage->hide();
    m_patient = *patient;
    const Patient &p = m_patient;
    QString birth;
    if (p.birth_date) {
        birth = formatDate(*p.birth_date);
        if (const auto age = p.ageOn(todayUtc()))
            birth = tr("%1 (%n year(s))", "birth date and age", *age).arg(birth);
    }
    const QMap<QString, QString> values{
        {QStringLiteral("mrn"), p.mrn},
        {QStringLiteral("given_name"), p.given_name},
        {QStringLiteral("middle_name"), p.middle_name},
        {QStringLiteral("family_name"), p.family_name},
        {QStringLiteral("birth_date"), birth},
        {QStringLiteral("sex"), PatientTableModel::sexName(p.sex)},
        {QStringLiteral("phone"), p.phone},
        {QStringLiteral("email"), p.email},
        {QStringLiteral("address_line"), p.address_line},
        {QStringLiteral("city"), p.city},
        {QStringLiteral("region"), p.region},
        {QStringLiteral("postal_code"), p.postal_code},
        {QStringLiteral("country"), p.country},
        {QStringLiteral("preferred_language"), p.preferred_language},
    };
    for (auto it = values.constBegin(); it != values.constEnd(); ++it)
        m_values.value(it.key())->setText(it.value());
    m_heading->setText(tr("%1 — MRN %2").arg(p.displayName(), p.mrn));
    if (m_edit)
        m_edit->setEnabled(true);
    Q_EMIT titleChanged(p.displayName());
}

void PatientChart::refresh()
{
    recordsChanged({});
}

void PatientChart::recordsChanged(const QStringList &ids)
{
    // A patient has tens of records of each kind: re-reading them all is cheaper than working
    // out which of `ids` are this patient's, and every model updates its rows in place.
    Q_UNUSED(ids)
    loadDemographics();
    if (m_editForm)
        m_editForm->recordChanged(m_patient);
    m_vitals->refresh();
    if (m_consultations)
        m_consultations->refresh();
    if (m_prescriptions && m_prescriptions->isLoaded())
        m_prescriptions->refresh();
    if (m_appointments)
        m_appointments->refresh();
}

void PatientChart::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // The trend needs the records even while the table is not on screen.
    if (m_vitals->canFetchMore({}))
        m_vitals->fetchMore({});
    if (m_appointments && m_appointments->canFetchMore({}))
        m_appointments->fetchMore({});
}

PatientChart::~PatientChart()
{
    if (m_editForm) // closed with the chart: the other desktops stop seeing this person
        Q_EMIT editingStopped(m_patientId.value);
}

void PatientChart::showOtherEditors(const QString &recordId, const QStringList &names)
{
    if (recordId != m_patientId.value)
        return;
    m_presence->setText(tr("Also editing this patient now: %1").arg(names.join(QStringLiteral(", "))));
    m_presence->setVisible(!names.isEmpty());
    if (m_editForm)
        m_editForm->showOtherEditors(names);
}

PatientForm *PatientChart::editForm() const
{
    return m_editForm;
}

PatientForm *PatientChart::editPatient()
{
    if (!m_edit || m_patient.id.isNull())
        return nullptr;
    if (m_editForm) {
        m_editForm->raise();
        m_editForm->activateWindow();
        return m_editForm;
    }
    auto *form = new PatientForm(m_db, m_who, this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    form->setPatient(m_patient);
    m_editForm = form;
    connect(form, &PatientForm::saved, this, [this](const Patient &saved) {
        loadDemographics();
        Q_EMIT patientSaved(saved.id);
    });
    connect(form, &QDialog::finished, this, [this] {
        m_editForm = nullptr; // closed (deleted later): the next Edit opens a new form
        Q_EMIT editingStopped(m_patientId.value);
        showOtherEditors(m_patientId.value, {});
    });
    form->open();
    Q_EMIT editingStarted(m_patientId.value);
    return form;
}

VitalsForm *PatientChart::recordVitals()
{
    if (!m_record)
        return nullptr;
    auto *form = new VitalsForm(m_db, m_who, m_patientId, this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    connect(form, &VitalsForm::saved, m_vitals, &VitalsTableModel::refresh);
    form->open();
    return form;
}

} // namespace tmdash
