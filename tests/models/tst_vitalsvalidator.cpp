#include "vitalsvalidator.h"

#include "clock.h"

#include <QTest>

#include <limits>

using namespace tmdash;

namespace {

const QDateTime kNow = *parseInstant(QStringLiteral("2026-03-04T10:00:00Z"));

// A record that passes: the patient, a time just before now, one measurement.
Vitals validVitals()
{
    Vitals v;
    v.id = VitalsId(QStringLiteral("01890a5d-ac96-774b-bcce-b302099a8057"));
    v.patient_id = PatientId(QStringLiteral("01890a5d-ac96-774b-bcce-b302099a8058"));
    v.recorded_at = kNow.addSecs(-60);
    v.heart_rate_bpm = 72.0;
    return v;
}

// Only the named measurement set, so no other rule interferes.
Vitals withOnly(const QString &key, double value)
{
    Vitals v = validVitals();
    v.heart_rate_bpm.reset();
    v.setValue(*measurementFromKey(key), value);
    return v;
}

QStringList fieldCodes(const FieldErrors &errors)
{
    QStringList out;
    for (const FieldError &e : errors)
        out << e.field + QLatin1Char(':') + e.code;
    return out;
}

} // namespace

class TestVitalsValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validRecordPasses()
    {
        QCOMPARE(fieldCodes(validateVitals(validVitals(), kNow)), QStringList());
    }

    // The accepted range of every entered measurement, written out here (not read from the JSON)
    // so a wrong edit of vital-ranges.json fails: both sides of both bounds.
    void rejectRanges_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<double>("value");
        QTest::addColumn<bool>("impossible");
        const auto bounds = [](const char *key, double min, double max, double step) {
            const QString k = QString::fromLatin1(key);
            QTest::addRow("%s %g", key, min - step) << k << min - step << true;
            QTest::addRow("%s %g", key, min) << k << min << false;
            QTest::addRow("%s %g", key, max) << k << max << false;
            QTest::addRow("%s %g", key, max + step) << k << max + step << true;
        };
        bounds("systolic_mmhg", 20, 300, 0.1);
        bounds("diastolic_mmhg", 10, 200, 0.1);
        bounds("heart_rate_bpm", 20, 300, 0.1);
        bounds("respiratory_rate", 2, 100, 0.1);
        bounds("temperature_c", 25, 45, 0.1);
        bounds("spo2_pct", 50, 100, 0.1);
        bounds("height_cm", 10, 300, 0.1);
        bounds("weight_kg", 0.2, 910, 0.1);
        bounds("pain_score", 0, 10, 1);
        bounds("glucose_mg_dl", 10, 3000, 0.1);

        // The examples of issue 2.
        QTest::newRow("heart rate 0") << "heart_rate_bpm" << 0.0 << true;
        QTest::newRow("heart rate 400") << "heart_rate_bpm" << 400.0 << true;
        QTest::newRow("temperature 60") << "temperature_c" << 60.0 << true;
        QTest::newRow("spo2 101") << "spo2_pct" << 101.0 << true;
        // Heaviest recorded person (~610 kg) must be recordable.
        QTest::newRow("weight 610") << "weight_kg" << 610.0 << false;
        QTest::newRow("height 272") << "height_cm" << 272.0 << false;
        // Abnormal but possible: accepted (and flagged elsewhere).
        QTest::newRow("heart rate 35") << "heart_rate_bpm" << 35.0 << false;
        QTest::newRow("temperature 41") << "temperature_c" << 41.0 << false;
        QTest::newRow("spo2 82") << "spo2_pct" << 82.0 << false;
        QTest::newRow("negative weight") << "weight_kg" << -70.0 << true;
        QTest::newRow("nan") << "temperature_c" << std::numeric_limits<double>::quiet_NaN() << true;
        QTest::newRow("infinity") << "glucose_mg_dl" << std::numeric_limits<double>::infinity()
                                  << true;
    }
    void rejectRanges()
    {
        QFETCH(QString, key);
        QFETCH(double, value);
        QFETCH(bool, impossible);
        const FieldErrors errors = validateVitals(withOnly(key, value), kNow);
        QCOMPARE(fieldCodes(errors),
                 impossible ? QStringList{key + QStringLiteral(":impossible")} : QStringList());
    }

    void impossibleMessageNamesValueUnitAndRange_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("heart rate") << "heart_rate_bpm" << 400.0
                                    << "Heart rate 400 /min is impossible; expected 20-300 /min.";
        QTest::newRow("temperature") << "temperature_c" << 60.0
                                     << "Body temperature 60 \u00B0C is impossible; expected 25-45 "
                                        "\u00B0C.";
        QTest::newRow("pain, no unit")
            << "pain_score" << 11.0 << "Pain score 11 is impossible; expected 0-10.";
    }
    void impossibleMessageNamesValueUnitAndRange()
    {
        QFETCH(QString, key);
        QFETCH(double, value);
        QFETCH(QString, message);
        const FieldErrors errors = validateVitals(withOnly(key, value), kNow);
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.at(0).message, message);
    }

    void bloodPressureConsistency_data()
    {
        QTest::addColumn<double>("systolic");
        QTest::addColumn<double>("diastolic");
        QTest::addColumn<QStringList>("expected");
        const QStringList inconsistent{QStringLiteral("systolic_mmhg:inconsistent")};
        QTest::newRow("120/80") << 120.0 << 80.0 << QStringList();
        QTest::newRow("81/80 just above") << 81.0 << 80.0 << QStringList();
        QTest::newRow("80/80 equal") << 80.0 << 80.0 << inconsistent;
        QTest::newRow("80/120 systolic below diastolic") << 80.0 << 120.0 << inconsistent;
        // An impossible value is reported as such, not also as inconsistent.
        QTest::newRow("impossible diastolic")
            << 120.0 << 250.0 << QStringList{QStringLiteral("diastolic_mmhg:impossible")};
    }
    void bloodPressureConsistency()
    {
        QFETCH(double, systolic);
        QFETCH(double, diastolic);
        QFETCH(QStringList, expected);
        Vitals v = validVitals();
        v.systolic_mmhg = systolic;
        v.diastolic_mmhg = diastolic;
        QCOMPARE(fieldCodes(validateVitals(v, kNow)), expected);
    }

    void onePressureAloneIsFine()
    {
        Vitals v = validVitals();
        v.diastolic_mmhg = 120.0;
        QCOMPARE(fieldCodes(validateVitals(v, kNow)), QStringList());
    }

    void painScore_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("0") << 0.0 << QStringList();
        QTest::newRow("7") << 7.0 << QStringList();
        QTest::newRow("10") << 10.0 << QStringList();
        QTest::newRow("2.5 not whole") << 2.5 << QStringList{QStringLiteral("pain_score:format")};
        QTest::newRow("9.9 not whole") << 9.9 << QStringList{QStringLiteral("pain_score:format")};
        QTest::newRow("10.5 impossible only")
            << 10.5 << QStringList{QStringLiteral("pain_score:impossible")};
        QTest::newRow("-1") << -1.0 << QStringList{QStringLiteral("pain_score:impossible")};
    }
    void painScore()
    {
        QFETCH(double, value);
        QFETCH(QStringList, expected);
        QCOMPARE(fieldCodes(validateVitals(withOnly(QStringLiteral("pain_score"), value), kNow)),
                 expected);
    }

    void recordedAt_data()
    {
        QTest::addColumn<QDateTime>("recordedAt");
        QTest::addColumn<QStringList>("expected");
        const QStringList future{QStringLiteral("recorded_at:future")};
        QTest::newRow("now") << kNow << QStringList();
        QTest::newRow("a year ago") << kNow.addYears(-1) << QStringList();
        QTest::newRow("4:59 ahead") << kNow.addSecs(299) << QStringList();
        QTest::newRow("5:00 ahead, skew tolerated") << kNow.addSecs(300) << QStringList();
        QTest::newRow("5:00.001 ahead") << kNow.addMSecs(300001) << future;
        QTest::newRow("an hour ahead") << kNow.addSecs(3600) << future;
        QTest::newRow("missing") << QDateTime()
                                 << QStringList{QStringLiteral("recorded_at:required")};
    }
    void recordedAt()
    {
        QFETCH(QDateTime, recordedAt);
        QFETCH(QStringList, expected);
        Vitals v = validVitals();
        v.recorded_at = recordedAt;
        QCOMPARE(fieldCodes(validateVitals(v, kNow)), expected);
    }

    void recordedAtInAnotherZoneComparesAsInstant()
    {
        Vitals v = validVitals();
        // 12:04 at +02:00 is 10:04 UTC: 4 minutes ahead, accepted.
        v.recorded_at = QDateTime(QDate(2026, 3, 4), QTime(12, 4), Qt::OffsetFromUTC, 7200);
        QCOMPARE(fieldCodes(validateVitals(v, kNow)), QStringList());
        v.recorded_at = v.recorded_at.addSecs(120);
        QCOMPARE(fieldCodes(validateVitals(v, kNow)),
                 QStringList{QStringLiteral("recorded_at:future")});
    }

    void requiresAMeasurement()
    {
        Vitals v = validVitals();
        v.heart_rate_bpm.reset();
        QCOMPARE(fieldCodes(validateVitals(v, kNow)),
                 QStringList{QStringLiteral("measurements:required")});
        v.pain_score = 0.0; // a zero is a measurement
        QCOMPARE(fieldCodes(validateVitals(v, kNow)), QStringList());
    }

    void requiresPatient()
    {
        Vitals v = validVitals();
        v.patient_id = PatientId();
        QCOMPARE(fieldCodes(validateVitals(v, kNow)),
                 QStringList{QStringLiteral("patient_id:required")});
    }

    void correctionCannotReplaceItself()
    {
        Vitals v = validVitals();
        v.replaces_id = VitalsId(QStringLiteral("01890a5d-ac96-774b-bcce-b302099a8059"));
        QCOMPARE(fieldCodes(validateVitals(v, kNow)), QStringList());
        v.replaces_id = v.id;
        QCOMPARE(fieldCodes(validateVitals(v, kNow)),
                 QStringList{QStringLiteral("replaces_id:inconsistent")});
    }

    void reportsEveryFailingField()
    {
        Vitals v;
        v.recorded_at = kNow.addDays(1);
        v.heart_rate_bpm = 400.0;
        v.temperature_c = 60.0;
        v.spo2_pct = 101.0;
        v.systolic_mmhg = 90.0;
        v.diastolic_mmhg = 100.0;
        v.pain_score = 3.5;
        QCOMPARE(fieldCodes(validateVitals(v, kNow)),
                 (QStringList{
                     QStringLiteral("patient_id:required"), QStringLiteral("recorded_at:future"),
                     QStringLiteral("heart_rate_bpm:impossible"),
                     QStringLiteral("temperature_c:impossible"),
                     QStringLiteral("spo2_pct:impossible"), QStringLiteral("pain_score:format"),
                     QStringLiteral("systolic_mmhg:inconsistent")}));
    }
};

QTEST_GUILESS_MAIN(TestVitalsValidator)
#include "tst_vitalsvalidator.moc"
