#include "vitals.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace tmdash;

namespace {

std::optional<double> opt(double v)
{
    return std::isnan(v) ? std::nullopt : std::optional<double>(v);
}

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

} // namespace

class TestVitals : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bmi_data()
    {
        QTest::addColumn<double>("heightCm"); // NaN: absent
        QTest::addColumn<double>("weightKg");
        QTest::addColumn<double>("expected"); // NaN: no bmi
        QTest::newRow("70 kg 175 cm") << 175.0 << 70.0 << 22.9;
        QTest::newRow("80 kg 180 cm = 24.69") << 180.0 << 80.0 << 24.7;
        QTest::newRow("exact 25.0") << 200.0 << 100.0 << 25.0;
        QTest::newRow("one decimal down 24.94") << 170.0 << 72.08 << 24.9;
        QTest::newRow("100 kg 150 cm = 44.44") << 150.0 << 100.0 << 44.4;
        QTest::newRow("no height") << kNone << 70.0 << kNone;
        QTest::newRow("no weight") << 175.0 << kNone << kNone;
        QTest::newRow("neither") << kNone << kNone << kNone;
        QTest::newRow("zero height") << 0.0 << 70.0 << kNone;
        QTest::newRow("negative height") << -170.0 << 70.0 << kNone;
        QTest::newRow("zero weight") << 170.0 << 0.0 << kNone;
    }
    void bmi()
    {
        QFETCH(double, heightCm);
        QFETCH(double, weightKg);
        QFETCH(double, expected);
        Vitals v;
        v.height_cm = opt(heightCm);
        v.weight_kg = opt(weightKg);
        const std::optional<double> bmi = v.bmi();
        if (std::isnan(expected)) {
            QVERIFY(!bmi);
            QVERIFY(!v.value(Measurement::Bmi));
        } else {
            QVERIFY(bmi);
            QCOMPARE(*bmi, expected);
            QCOMPARE(*v.value(Measurement::Bmi), expected);
        }
    }

    void metadata_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("loinc");
        QTest::addColumn<QString>("ucum");
        // The codes issue 2 names, and the units FHIR's vital-signs profile uses.
        QTest::newRow("systolic") << "systolic_mmhg"
                                  << "8480-6"
                                  << "mm[Hg]";
        QTest::newRow("diastolic") << "diastolic_mmhg"
                                   << "8462-4"
                                   << "mm[Hg]";
        QTest::newRow("heart rate") << "heart_rate_bpm"
                                    << "8867-4"
                                    << "/min";
        QTest::newRow("respiratory rate") << "respiratory_rate"
                                          << "9279-1"
                                          << "/min";
        QTest::newRow("temperature") << "temperature_c"
                                     << "8310-5"
                                     << "Cel";
        QTest::newRow("spo2") << "spo2_pct"
                              << "59408-5"
                              << "%";
        QTest::newRow("height") << "height_cm"
                                << "8302-2"
                                << "cm";
        QTest::newRow("weight") << "weight_kg"
                                << "29463-7"
                                << "kg";
        QTest::newRow("pain") << "pain_score"
                              << "72514-3"
                              << "{score}";
        QTest::newRow("glucose") << "glucose_mg_dl"
                                 << "2339-0"
                                 << "mg/dL";
        QTest::newRow("bmi") << "bmi"
                             << "39156-5"
                             << "kg/m2";
    }
    void metadata()
    {
        QFETCH(QString, key);
        QFETCH(QString, loinc);
        QFETCH(QString, ucum);
        const std::optional<Measurement> m = measurementFromKey(key);
        QVERIFY(m);
        const MeasurementInfo &info = measurementInfo(*m);
        QVERIFY(info.m == *m);
        QCOMPARE(info.key, key);
        QCOMPARE(toString(*m), key);
        QCOMPARE(info.loinc, loinc);
        QCOMPARE(info.ucum, ucum);
        QVERIFY(!info.displayName.isEmpty());
        QCOMPARE(isDerived(*m), key == QStringLiteral("bmi"));
    }

    void everyMeasurementHasMetadataInEnumOrder()
    {
        const QList<MeasurementInfo> &infos = measurementInfos();
        QCOMPARE(infos.size(), 11);
        for (qsizetype i = 0; i < infos.size(); ++i)
            QCOMPARE(static_cast<qsizetype>(infos.at(i).m), i);
        QCOMPARE(enteredMeasurements().size(), 10);
        QVERIFY(!enteredMeasurements().contains(Measurement::Bmi));
    }

    void unknownKey_data()
    {
        QTest::addColumn<QString>("key");
        QTest::newRow("empty") << "";
        QTest::newRow("camel case") << "heartRateBpm";
        QTest::newRow("upper case") << "HEART_RATE_BPM";
        QTest::newRow("loinc instead of key") << "8867-4";
        QTest::newRow("near miss") << "heart_rate";
    }
    void unknownKey()
    {
        QFETCH(QString, key);
        QVERIFY(!measurementFromKey(key));
    }

    void valueAccessorsReachTheNamedMember()
    {
        Vitals v;
        double next = 1;
        for (const Measurement m : enteredMeasurements()) {
            QVERIFY(!v.value(m));
            v.setValue(m, next);
            QCOMPARE(*v.value(m), next);
            next += 1;
        }
        // The members are the snake_case fields: a wrong switch case shows up here.
        QCOMPARE(*v.systolic_mmhg, 1.0);
        QCOMPARE(*v.diastolic_mmhg, 2.0);
        QCOMPARE(*v.heart_rate_bpm, 3.0);
        QCOMPARE(*v.respiratory_rate, 4.0);
        QCOMPARE(*v.temperature_c, 5.0);
        QCOMPARE(*v.spo2_pct, 6.0);
        QCOMPARE(*v.height_cm, 7.0);
        QCOMPARE(*v.weight_kg, 8.0);
        QCOMPARE(*v.pain_score, 9.0);
        QCOMPARE(*v.glucose_mg_dl, 10.0);

        v.setValue(Measurement::HeartRateBpm, std::nullopt);
        QVERIFY(!v.heart_rate_bpm);
    }

    void bmiCannotBeSet()
    {
        Vitals v;
        v.setValue(Measurement::Bmi, 22.0);
        QVERIFY(!v.value(Measurement::Bmi));
        QVERIFY(!v.hasAnyMeasurement());
    }

    void hasAnyMeasurement()
    {
        Vitals v;
        QVERIFY(!v.hasAnyMeasurement());
        v.pain_score = 0.0; // zero is a measurement, not absence
        QVERIFY(v.hasAnyMeasurement());
    }

    void defaults()
    {
        const Vitals v;
        QVERIFY(v.status == VitalsStatus::Final);
        QVERIFY(v.appointment_id.isNull());
        QVERIFY(v.replaces_id.isNull());
    }

    void statusNames()
    {
        QCOMPARE(toString(VitalsStatus::Final), QStringLiteral("final"));
        QCOMPARE(toString(VitalsStatus::EnteredInError), QStringLiteral("entered_in_error"));
        QVERIFY(enumFromString<VitalsStatus>(u"entered_in_error") == VitalsStatus::EnteredInError);
        QVERIFY(!enumFromString<VitalsStatus>(u"amended"));
    }
};

QTEST_GUILESS_MAIN(TestVitals)
#include "tst_vitals.moc"
