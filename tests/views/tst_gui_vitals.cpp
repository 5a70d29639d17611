#include "clock.h"
#include "patientchart.h"
#include "patientstore.h"
#include "guisupport.h"
#include "testsupport.h"
#include "vitalranges.h"
#include "vitalsform.h"
#include "vitalsstore.h"
#include "vitalstablemodel.h"
#include "vitalstrendchart.h"

#include <QAbstractItemModelTester>
#include <QAreaSeries>
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPointer>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

using namespace tmdash;
using tmdash::test::chooseByKeyboard;
using tmdash::test::labelText;
using tmdash::test::showAndActivate;
using tmdash::test::typeInto;

// Vitals in the patient chart: the entry form (impossible values refused, abnormal ones flagged,
// other units converted), the vitals table and the trend chart with its normal range, driven
// through the real widgets.
class TestVitals : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("guivitals")};
    Database m_db;
    QString m_url;
    test::TestUser m_nurse;
    Patient m_patient;

    // Opens the entry form with the chart's "Record vitals" button.
    static VitalsForm *openForm(PatientChart &chart)
    {
        auto *button = chart.findChild<QPushButton *>(QStringLiteral("recordVitals"));
        if (!button)
            return nullptr;
        QTest::mouseClick(button, Qt::LeftButton);
        auto *form = chart.findChild<VitalsForm *>();
        if (form && !QTest::qWaitForWindowExposed(form))
            return nullptr;
        return form;
    }

    Vitals record(double daysAgo, std::optional<double> temperature,
                  std::optional<double> pulse = {})
    {
        Vitals v;
        v.patient_id = m_patient.id;
        v.recorded_at = nowUtc().addSecs(qint64(-daysAgo * 24 * 3600));
        v.temperature_c = temperature;
        v.heart_rate_bpm = pulse;
        auto stored = VitalsStore(m_db, m_nurse.principal).create(v);
        if (!stored)
            qFatal("cannot record vitals: %s", qPrintable(stored.error().message));
        return *stored;
    }

    QList<Vitals> stored() const
    {
        auto all = VitalsStore(m_db, m_nurse.principal).forPatient(m_patient.id);
        if (!all)
            qFatal("cannot read vitals: %s", qPrintable(all.error().message));
        return *all;
    }

private Q_SLOTS:
    void init()
    {
        m_db = m_factory.create(SqlDialect::Sqlite);
        m_url = m_factory.lastUrl();
        m_nurse = test::insertUser(m_db, test::insertClinic(m_db), Role::Staff,
                                   QStringLiteral("nurse@north.example"));
        Patient p;
        p.given_name = QStringLiteral("Rosa");
        p.family_name = QStringLiteral("Marquez");
        p.birth_date = QDate(1958, 4, 2);
        auto created = PatientStore(m_db, m_nurse.principal).create(p);
        QVERIFY2(created, qPrintable(created.error().message));
        m_patient = *created;
    }

    void impossibleValueIsRefused()
    {
        PatientChart chart(m_db, m_nurse.principal, m_patient.id);
        QAbstractItemModelTester tester(chart.vitalsModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&chart, {1100, 800});
        QPointer<VitalsForm> form = openForm(chart);
        QVERIFY(form);
        auto *save = form->findChild<QPushButton *>(QStringLiteral("save"));
        QVERIFY(!save->isEnabled()); // nothing measured yet

        typeInto(form, "temperature_c", QStringLiteral("60"));
        QVERIFY(!save->isEnabled());
        QString message = form->messageFor(QStringLiteral("temperature_c"));
        QVERIFY2(message.contains(QStringLiteral("impossible")), qPrintable(message));
        QVERIFY(labelText(form, "temperature_cFlag").isEmpty()); // refused, not flagged

        typeInto(form, "temperature_c", QStringLiteral("thirty"));
        QVERIFY(!save->isEnabled());
        message = form->messageFor(QStringLiteral("temperature_c"));
        QVERIFY2(message.contains(QStringLiteral("not a number")), qPrintable(message));

        // Enter does not get around the disabled Save.
        QTest::keyClick(form->findChild<QLineEdit *>(QStringLiteral("temperature_c")),
                        Qt::Key_Return);
        QVERIFY(!form.isNull() && form->isVisible());
        QVERIFY(stored().isEmpty());

        // Systolic must exceed diastolic.
        typeInto(form, "temperature_c", QStringLiteral("36.9"));
        typeInto(form, "systolic_mmhg", QStringLiteral("70"));
        typeInto(form, "diastolic_mmhg", QStringLiteral("90"));
        QVERIFY(!save->isEnabled());
        QVERIFY(!form->messageFor(QStringLiteral("systolic_mmhg")).isEmpty());
        typeInto(form, "systolic_mmhg", QStringLiteral("118"));
        typeInto(form, "diastolic_mmhg", QStringLiteral("76"));
        QVERIFY(form->messageFor(QStringLiteral("temperature_c")).isEmpty());
        QCOMPARE(labelText(form, "temperature_cFlag"), QStringLiteral("Normal"));
        QVERIFY(save->isEnabled());
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_VERIFY(form.isNull());

        const QList<Vitals> all = stored();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first().temperature_c, std::optional<double>(36.9));
        QCOMPARE(chart.vitalsModel()->rowCount(), 1);
    }

    void abnormalValueIsFlagged()
    {
        PatientChart chart(m_db, m_nurse.principal, m_patient.id);
        QAbstractItemModelTester tester(chart.vitalsModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&chart, {1100, 800});
        QPointer<VitalsForm> form = openForm(chart);
        QVERIFY(form);
        typeInto(form, "heart_rate_bpm", QStringLiteral("122"));
        QCOMPARE(labelText(form, "heart_rate_bpmFlag"), QStringLiteral("High"));
        typeInto(form, "spo2_pct", QStringLiteral("86"));
        QCOMPARE(labelText(form, "spo2_pctFlag"),
                 vitalRange(Measurement::Spo2Pct).flag(86) == Flag::CriticalLow
                     ? QStringLiteral("Critically low")
                     : QStringLiteral("Low"));
        // Abnormal is possible: it may be saved.
        auto *save = form->findChild<QPushButton *>(QStringLiteral("save"));
        QVERIFY(save->isEnabled());
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_VERIFY(form.isNull());

        VitalsTableModel *model = chart.vitalsModel();
        QCOMPARE(model->rowCount(), 1);
        const QModelIndex pulse =
            model->index(0, VitalsTableModel::columnOf(Measurement::HeartRateBpm));
        QCOMPARE(pulse.data(VitalsTableModel::FlagRole).toInt(), int(Flag::High));
        QCOMPARE(pulse.data().toString(), QStringLiteral("122 H"));
        const QModelIndex temp =
            model->index(0, VitalsTableModel::columnOf(Measurement::TemperatureC));
        QVERIFY(!temp.data(VitalsTableModel::FlagRole).isValid()); // not measured

        auto *combo = chart.findChild<QComboBox *>(QStringLiteral("measurementCombo"));
        combo->setCurrentIndex(combo->findData(QStringLiteral("heart_rate_bpm")));
        QCOMPARE(chart.trendChart()->valueSeries()->count(), 1);
        QCOMPARE(chart.trendChart()->abnormalSeries()->count(), 1);
    }

    void fahrenheitPoundsAndInchesAreStoredInMetric()
    {
        PatientChart chart(m_db, m_nurse.principal, m_patient.id);
        QAbstractItemModelTester tester(chart.vitalsModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&chart, {1100, 800});
        QPointer<VitalsForm> form = openForm(chart);
        QVERIFY(form);
        chooseByKeyboard(form, "temperature_cUnit", QStringLiteral("[degF]"));
        typeInto(form, "temperature_c", QStringLiteral("104"));
        QCOMPARE(labelText(form, "temperature_cFlag"), QStringLiteral("Critically high")); // 40 °C
        typeInto(form, "temperature_c", QStringLiteral("130"));
        QVERIFY(form->messageFor(QStringLiteral("temperature_c"))
                    .contains(QStringLiteral("impossible")));
        typeInto(form, "temperature_c", QStringLiteral("98.6"));
        QCOMPARE(labelText(form, "temperature_cFlag"), QStringLiteral("Normal"));
        chooseByKeyboard(form, "weight_kgUnit", QStringLiteral("[lb_av]"));
        typeInto(form, "weight_kg", QStringLiteral("154"));
        chooseByKeyboard(form, "height_cmUnit", QStringLiteral("[in_i]"));
        typeInto(form, "height_cm", QStringLiteral("65"));
        QVERIFY2(labelText(form, "bmi").startsWith(QStringLiteral("25.6")),
                 qPrintable(labelText(form, "bmi")));
        QTest::mouseClick(form->findChild<QPushButton *>(QStringLiteral("save")), Qt::LeftButton);
        QTRY_VERIFY(form.isNull());

        const QList<Vitals> all = stored();
        QCOMPARE(all.size(), 1);
        QVERIFY2(qAbs(*all.first().temperature_c - 37.0) < 0.005,
                 qPrintable(QString::number(*all.first().temperature_c)));
        QVERIFY2(qAbs(*all.first().weight_kg - 69.85) < 0.005,
                 qPrintable(QString::number(*all.first().weight_kg)));
        QVERIFY2(qAbs(*all.first().height_cm - 165.1) < 0.005,
                 qPrintable(QString::number(*all.first().height_cm)));
        QCOMPARE(chart.vitalsModel()
                     ->index(0, VitalsTableModel::columnOf(Measurement::TemperatureC))
                     .data()
                     .toString(),
                 QStringLiteral("37.0"));
    }

    void trendChartShowsNormalRangeAndAbnormalPoints()
    {
        const QList<double> temperatures{36.8, 37.2, 38.4, 36.6, 39.6, 37.0};
        QList<Vitals> records;
        for (int i = 0; i < temperatures.size(); ++i)
            records << record(double(temperatures.size() - i) * 1.5, temperatures.at(i),
                              70 + 6 * i);

        PatientChart chart(m_db, m_nurse.principal, m_patient.id);
        QAbstractItemModelTester tester(chart.vitalsModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        showAndActivate(&chart, {1100, 800});
        chart.findChild<QTabWidget *>(QStringLiteral("chartTabs"))->setCurrentIndex(1);
        QCOMPARE(chart.vitalsModel()->rowCount(), temperatures.size());
        auto *combo = chart.findChild<QComboBox *>(QStringLiteral("measurementCombo"));
        combo->setCurrentIndex(combo->findData(QStringLiteral("temperature_c")));
        VitalsTrendChart *trend = chart.trendChart();
        QCOMPARE(trend->measurement(), Measurement::TemperatureC);
        QCOMPARE(trend->valueSeries()->count(), temperatures.size());
        QCOMPARE(trend->abnormalSeries()->count(), 2); // 38.4 high, 39.6 critically high
        QVERIFY(trend->normalRangeSeries()->isVisible());
        QCOMPARE(trend->normalRangeSeries()->lowerSeries()->at(0).y(),
                 *vitalRange(Measurement::TemperatureC).normal_low);
        QCOMPARE(trend->normalRangeSeries()->upperSeries()->at(0).y(),
                 *vitalRange(Measurement::TemperatureC).normal_high);

        // A record marked entered in error elsewhere: its row changes in place and it leaves the
        // trend.
        QSignalSpy resets(chart.vitalsModel(), &QAbstractItemModel::modelReset);
        QSignalSpy changed(chart.vitalsModel(), &QAbstractItemModel::dataChanged);
        auto other = Database::open(m_url, QStringLiteral("otherDesk"));
        QVERIFY(other);
        QVERIFY(VitalsStore(*other, m_nurse.principal).markInError(records.at(4).id));
        Vitals late;
        late.patient_id = m_patient.id;
        late.recorded_at = nowUtc().addSecs(-60);
        late.temperature_c = 37.9;
        QVERIFY(VitalsStore(*other, m_nurse.principal).create(late));
        other.value().close();
        chart.refresh();
        QCOMPARE(resets.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(chart.vitalsModel()->rowCount(), temperatures.size() + 1);
        QCOMPARE(chart.vitalsModel()->index(4, VitalsTableModel::statusColumn()).data().toString(),
                 QStringLiteral("Entered in error"));
        QCOMPARE(trend->valueSeries()->count(), temperatures.size()); // -1 in error, +1 new
        QCOMPARE(trend->abnormalSeries()->count(), 2);                // 38.4 and 37.9

        QCoreApplication::processEvents(); // the chart lays out its new title and legend
        QVERIFY(chart.grab().save(QStringLiteral("screenshot-patient-chart-vitals.png")));
        QVERIFY(QFileInfo(QStringLiteral("screenshot-patient-chart-vitals.png")).size() > 0);
    }
};

QTEST_MAIN(TestVitals)
#include "tst_gui_vitals.moc"
