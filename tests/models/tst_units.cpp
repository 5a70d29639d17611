#include "units.h"

#include <QTest>

#include <cmath>

using namespace tmdash;

class TestUnits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void converts_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("unit");
        QTest::addColumn<double>("expected");
        QTest::addColumn<double>("tolerance");

        QTest::newRow("101.3 degF -> 38.5 Cel")
            << "temperature_c" << 101.3 << "[degF]" << 38.5 << 0.05;
        QTest::newRow("98.6 degF -> 37 Cel") << "temperature_c" << 98.6 << "[degF]" << 37.0 << 1e-9;
        QTest::newRow("32 degF -> 0 Cel") << "temperature_c" << 32.0 << "[degF]" << 0.0 << 1e-9;
        QTest::newRow("212 degF -> 100 Cel")
            << "temperature_c" << 212.0 << "[degF]" << 100.0 << 1e-9;
        QTest::newRow("-40 degF -> -40 Cel")
            << "temperature_c" << -40.0 << "[degF]" << -40.0 << 1e-9;
        QTest::newRow("Cel identity") << "temperature_c" << 36.6 << "Cel" << 36.6 << 0.0;

        QTest::newRow("154 lb -> 69.85 kg") << "weight_kg" << 154.0 << "[lb_av]" << 69.85 << 0.005;
        QTest::newRow("1 lb exact") << "weight_kg" << 1.0 << "[lb_av]" << 0.45359237 << 1e-12;
        QTest::newRow("3500 g -> 3.5 kg") << "weight_kg" << 3500.0 << "g" << 3.5 << 1e-9;
        QTest::newRow("kg identity") << "weight_kg" << 70.2 << "kg" << 70.2 << 0.0;

        QTest::newRow("70 in -> 177.8 cm") << "height_cm" << 70.0 << "[in_i]" << 177.8 << 1e-9;
        QTest::newRow("1.75 m -> 175 cm") << "height_cm" << 1.75 << "m" << 175.0 << 1e-9;
        QTest::newRow("cm identity") << "height_cm" << 162.5 << "cm" << 162.5 << 0.0;

        QTest::newRow("5.5 mmol/L -> 99.09 mg/dL")
            << "glucose_mg_dl" << 5.5 << "mmol/L" << 99.088 << 1e-9;
        QTest::newRow("mg/dL identity") << "glucose_mg_dl" << 99.0 << "mg/dL" << 99.0 << 0.0;

        QTest::newRow("systolic mm[Hg]") << "systolic_mmhg" << 120.0 << "mm[Hg]" << 120.0 << 0.0;
        QTest::newRow("diastolic mm[Hg]") << "diastolic_mmhg" << 80.0 << "mm[Hg]" << 80.0 << 0.0;
        QTest::newRow("heart rate /min") << "heart_rate_bpm" << 72.0 << "/min" << 72.0 << 0.0;
        QTest::newRow("heart rate {beats}/min")
            << "heart_rate_bpm" << 72.0 << "{beats}/min" << 72.0 << 0.0;
        QTest::newRow("resp rate /min") << "respiratory_rate" << 16.0 << "/min" << 16.0 << 0.0;
        QTest::newRow("resp rate {breaths}/min")
            << "respiratory_rate" << 16.0 << "{breaths}/min" << 16.0 << 0.0;
        QTest::newRow("spo2 %") << "spo2_pct" << 97.0 << "%" << 97.0 << 0.0;
        QTest::newRow("pain {score}") << "pain_score" << 4.0 << "{score}" << 4.0 << 0.0;
        QTest::newRow("bmi kg/m2") << "bmi" << 22.9 << "kg/m2" << 22.9 << 0.0;
    }
    void converts()
    {
        QFETCH(QString, key);
        QFETCH(double, value);
        QFETCH(QString, unit);
        QFETCH(double, expected);
        QFETCH(double, tolerance);
        const Result<double> r = convertToStoredUnit(*measurementFromKey(key), value, unit);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QVERIFY2(std::abs(*r - expected) <= tolerance,
                 qPrintable(QStringLiteral("%1 != %2").arg(*r, 0, 'g', 17).arg(expected)));
    }

    void refusesUnit_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("unit");
        QTest::newRow("pounds for temperature") << "temperature_c"
                                                << "[lb_av]";
        QTest::newRow("Celsius for weight") << "weight_kg"
                                            << "Cel";
        QTest::newRow("inches for weight") << "weight_kg"
                                           << "[in_i]";
        QTest::newRow("kg for height") << "height_cm"
                                       << "kg";
        QTest::newRow("degF for heart rate") << "heart_rate_bpm"
                                             << "[degF]";
        QTest::newRow("mmol/L for systolic") << "systolic_mmhg"
                                             << "mmol/L";
        QTest::newRow("percent for pain") << "pain_score"
                                          << "%";
        QTest::newRow("mg/dL for spo2") << "spo2_pct"
                                        << "mg/dL";
        QTest::newRow("empty unit") << "temperature_c"
                                    << "";
        QTest::newRow("not UCUM: F") << "temperature_c"
                                     << "F";
        QTest::newRow("not UCUM: lb") << "weight_kg"
                                      << "lb";
        QTest::newRow("not UCUM: mmHg") << "systolic_mmhg"
                                        << "mmHg";
        QTest::newRow("UCUM is case-sensitive: CEL") << "temperature_c"
                                                     << "CEL";
        QTest::newRow("UCUM is case-sensitive: mg/dl") << "glucose_mg_dl"
                                                       << "mg/dl";
        QTest::newRow("surrounding space") << "height_cm"
                                           << " cm";
    }
    void refusesUnit()
    {
        QFETCH(QString, key);
        QFETCH(QString, unit);
        const Result<double> r = convertToStoredUnit(*measurementFromKey(key), 1.0, unit);
        QVERIFY(!r.ok());
        QVERIFY(r.error().code == ErrorCode::Invalid);
        QCOMPARE(r.error().fields.size(), 1);
        QCOMPARE(r.error().fields.at(0).field, key);
        QCOMPARE(r.error().fields.at(0).code, QStringLiteral("unit"));
        // The message tells a person what would have worked.
        QVERIFY(r.error().fields.at(0).message.contains(
            measurementInfo(*measurementFromKey(key)).ucum));
    }

    void storedUnitIsAlwaysAcceptedFirst()
    {
        for (const MeasurementInfo &info : measurementInfos()) {
            const QStringList units = acceptedUnits(info.m);
            QVERIFY(!units.isEmpty());
            QCOMPARE(units.first(), info.ucum);
            for (const QString &unit : units)
                QVERIFY2(convertToStoredUnit(info.m, 1.0, unit).ok(), qPrintable(unit));
        }
    }

    void displayUnits()
    {
        QCOMPARE(displayUnit(Measurement::TemperatureC), QStringLiteral("\u00B0C"));
        QCOMPARE(displayUnit(Measurement::SystolicMmHg), QStringLiteral("mmHg"));
        QCOMPARE(displayUnit(Measurement::HeartRateBpm), QStringLiteral("/min"));
        QCOMPARE(displayUnit(Measurement::PainScore), QString());
    }
};

QTEST_GUILESS_MAIN(TestUnits)
#include "tst_units.moc"
