#include "testsupport.h"
#include "vitalranges.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <limits>

using namespace tmdash;

namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

// The reference ranges this project ships, written out independently of the JSON so that an
// accidental edit of vital-ranges.json fails here. NaN: no such bound.
struct Expected
{
    const char *key;
    const char *loinc;
    const char *ucum;
    double rejectMin, rejectMax, criticalLow, criticalHigh, normalLow, normalHigh;
};

constexpr Expected kExpected[] = {
    {"systolic_mmhg", "8480-6", "mm[Hg]", 20, 300, 85, 180, 90, 120},
    {"diastolic_mmhg", "8462-4", "mm[Hg]", 10, 200, kNone, 120, 60, 80},
    {"heart_rate_bpm", "8867-4", "/min", 20, 300, 40, 130, 60, 100},
    {"respiratory_rate", "9279-1", "/min", 2, 100, 8, 26, 12, 20},
    {"temperature_c", "8310-5", "Cel", 25, 45, 35, 39, 36.1, 37.5},
    {"spo2_pct", "59408-5", "%", 50, 100, 90, kNone, 95, 100},
    {"height_cm", "8302-2", "cm", 10, 300, kNone, kNone, kNone, kNone},
    {"weight_kg", "29463-7", "kg", 0.2, 910, kNone, kNone, kNone, kNone},
    {"pain_score", "72514-3", "{score}", 0, 10, kNone, kNone, 0, 3},
    {"glucose_mg_dl", "2339-0", "mg/dL", 10, 3000, 54, 400, 70, 140},
    {"bmi", "39156-5", "kg/m2", kNone, kNone, 16, 39.9, 18.5, 24.9},
};

QByteArray builtInJson()
{
    QFile f(QStringLiteral(":/reference/vital-ranges.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// The built-in JSON with `edit` applied to row `index`.
template <class Edit> QByteArray editedJson(qsizetype index, Edit edit)
{
    QJsonObject root = QJsonDocument::fromJson(builtInJson()).object();
    QJsonArray rows = root.value(QStringLiteral("measurements")).toArray();
    QJsonObject row = rows.at(index).toObject();
    edit(row, rows);
    if (index < rows.size())
        rows[index] = row;
    root.insert(QStringLiteral("measurements"), rows);
    return QJsonDocument(root).toJson();
}


void compareBound(const std::optional<double> &actual, double expected, const char *what)
{
    if (std::isnan(expected))
        QVERIFY2(!actual, what);
    else {
        QVERIFY2(actual, what);
        QVERIFY2(*actual == expected, qPrintable(QStringLiteral("%1: %2 != %3")
                                                     .arg(QLatin1StringView(what))
                                                     .arg(*actual)
                                                     .arg(expected)));
    }
}

} // namespace

class TestVitalRanges : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void builtInTableParses()
    {
        const Result<QList<VitalRange>> r = parseVitalRanges(builtInJson());
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r->size(), measurementInfos().size());
        QCOMPARE(vitalRanges().size(), measurementInfos().size());
    }

    void everyRowNamesItsSource()
    {
        // Read the raw file, not the parsed table: a row the parser skipped must fail too.
        const QJsonArray rows = QJsonDocument::fromJson(builtInJson())
                                    .object()
                                    .value(QStringLiteral("measurements"))
                                    .toArray();
        QVERIFY(!rows.isEmpty());
        for (const QJsonValue &row : rows) {
            const QJsonObject o = row.toObject();
            const QString key = o.value(QStringLiteral("key")).toString();
            QVERIFY2(!o.value(QStringLiteral("source")).toString().trimmed().isEmpty(),
                     qPrintable(QStringLiteral("row %1 has no source").arg(key)));
        }
    }

    void table_data()
    {
        QTest::addColumn<int>("index");
        for (int i = 0; i < int(std::size(kExpected)); ++i)
            QTest::newRow(kExpected[i].key) << i;
    }
    void table()
    {
        QFETCH(int, index);
        const Expected &e = kExpected[index];
        const std::optional<Measurement> m = measurementFromKey(QString::fromLatin1(e.key));
        QVERIFY(m);
        const VitalRange &r = vitalRange(*m);
        QVERIFY(r.m == *m);
        QCOMPARE(r.key, QString::fromLatin1(e.key));
        QCOMPARE(r.loinc, QString::fromLatin1(e.loinc));
        QCOMPARE(r.ucum, QString::fromLatin1(e.ucum));
        QCOMPARE(r.displayName, measurementInfo(*m).displayName);
        QVERIFY(!r.source.isEmpty());
        compareBound(r.reject_min, e.rejectMin, "reject_min");
        compareBound(r.reject_max, e.rejectMax, "reject_max");
        compareBound(r.critical_low, e.criticalLow, "critical_low");
        compareBound(r.critical_high, e.criticalHigh, "critical_high");
        compareBound(r.normal_low, e.normalLow, "normal_low");
        compareBound(r.normal_high, e.normalHigh, "normal_high");
    }

    void flags_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("flag");
        const auto row = [](const char *key, double value, const char *flag) {
            QTest::addRow("%s %g", key, value)
                << QString::fromLatin1(key) << value << QString::fromLatin1(flag);
        };
        // Both sides of every threshold. Normal bounds are inclusive; critical is strictly beyond.
        row("systolic_mmhg", 84.9, "critical_low");
        row("systolic_mmhg", 85, "low");
        row("systolic_mmhg", 89.9, "low");
        row("systolic_mmhg", 90, "normal");
        row("systolic_mmhg", 120, "normal");
        row("systolic_mmhg", 120.1, "high");
        row("systolic_mmhg", 180, "high");
        row("systolic_mmhg", 180.1, "critical_high");

        row("diastolic_mmhg", 10, "low"); // no critical low
        row("diastolic_mmhg", 59.9, "low");
        row("diastolic_mmhg", 60, "normal");
        row("diastolic_mmhg", 80, "normal");
        row("diastolic_mmhg", 80.1, "high");
        row("diastolic_mmhg", 120, "high");
        row("diastolic_mmhg", 120.1, "critical_high");

        row("heart_rate_bpm", 39.9, "critical_low");
        row("heart_rate_bpm", 40, "low");
        row("heart_rate_bpm", 59.9, "low");
        row("heart_rate_bpm", 60, "normal");
        row("heart_rate_bpm", 100, "normal");
        row("heart_rate_bpm", 100.1, "high");
        row("heart_rate_bpm", 130, "high");
        row("heart_rate_bpm", 130.1, "critical_high");

        row("respiratory_rate", 7.9, "critical_low");
        row("respiratory_rate", 8, "low");
        row("respiratory_rate", 11.9, "low");
        row("respiratory_rate", 12, "normal");
        row("respiratory_rate", 20, "normal");
        row("respiratory_rate", 20.1, "high");
        row("respiratory_rate", 26, "high");
        row("respiratory_rate", 26.1, "critical_high");

        row("temperature_c", 34.9, "critical_low");
        row("temperature_c", 35, "low");
        row("temperature_c", 36.0, "low");
        row("temperature_c", 36.1, "normal");
        row("temperature_c", 37.5, "normal");
        row("temperature_c", 37.6, "high");
        row("temperature_c", 38.5, "high"); // 101.3 degF
        row("temperature_c", 39, "high");
        row("temperature_c", 39.1, "critical_high");

        row("spo2_pct", 89.9, "critical_low");
        row("spo2_pct", 90, "low");
        row("spo2_pct", 94.9, "low");
        row("spo2_pct", 95, "normal");
        row("spo2_pct", 100, "normal");

        row("height_cm", 10, "normal"); // height and weight are never flagged on their own
        row("height_cm", 300, "normal");
        row("weight_kg", 0.2, "normal");
        row("weight_kg", 910, "normal");

        row("pain_score", 0, "normal");
        row("pain_score", 3, "normal");
        row("pain_score", 4, "high");
        row("pain_score", 10, "high");

        row("glucose_mg_dl", 53.9, "critical_low");
        row("glucose_mg_dl", 54, "low");
        row("glucose_mg_dl", 69.9, "low");
        row("glucose_mg_dl", 70, "normal");
        row("glucose_mg_dl", 140, "normal");
        row("glucose_mg_dl", 140.1, "high");
        row("glucose_mg_dl", 400, "high");
        row("glucose_mg_dl", 400.1, "critical_high");

        row("bmi", 15.9, "critical_low");
        row("bmi", 16, "low");
        row("bmi", 18.4, "low");
        row("bmi", 18.5, "normal");
        row("bmi", 24.9, "normal");
        row("bmi", 25, "high");
        row("bmi", 39.9, "high");
        row("bmi", 40, "critical_high");
    }
    void flags()
    {
        QFETCH(QString, key);
        QFETCH(double, value);
        QFETCH(QString, flag);
        QCOMPARE(toString(flagFor(*measurementFromKey(key), value)), flag);
    }

    void accepts_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<double>("value");
        QTest::addColumn<bool>("accepted");
        for (const Expected &e : kExpected) {
            if (std::isnan(e.rejectMin))
                continue;
            const auto add = [&](double v, bool ok) {
                QTest::addRow("%s %g", e.key, v) << QString::fromLatin1(e.key) << v << ok;
            };
            add(e.rejectMin - 0.1, false);
            add(e.rejectMin, true);
            add(e.rejectMax, true);
            add(e.rejectMax + 0.1, false);
        }
        QTest::newRow("nan") << "heart_rate_bpm" << std::numeric_limits<double>::quiet_NaN()
                             << false;
        QTest::newRow("infinity") << "weight_kg" << std::numeric_limits<double>::infinity()
                                  << false;
    }
    void accepts()
    {
        QFETCH(QString, key);
        QFETCH(double, value);
        QFETCH(bool, accepted);
        QCOMPARE(vitalRange(*measurementFromKey(key)).accepts(value), accepted);
    }

    void flagsForRecord()
    {
        Vitals v;
        QVERIFY(flagsFor(v).isEmpty());

        v.heart_rate_bpm = 135.0;
        v.temperature_c = 36.6;
        v.height_cm = 175.0;
        QMap<QString, Flag> expected{{QStringLiteral("heart_rate_bpm"), Flag::CriticalHigh},
                                     {QStringLiteral("temperature_c"), Flag::Normal},
                                     {QStringLiteral("height_cm"), Flag::Normal}};
        QVERIFY(flagsFor(v) == expected); // no weight: no bmi

        v.weight_kg = 95.0; // bmi 31.0
        expected.insert(QStringLiteral("weight_kg"), Flag::Normal);
        expected.insert(QStringLiteral("bmi"), Flag::High);
        QVERIFY(flagsFor(v) == expected);
    }

    void flagNames()
    {
        QCOMPARE(
            enumNames<Flag>(),
            QStringList({QStringLiteral("normal"), QStringLiteral("low"), QStringLiteral("high"),
                         QStringLiteral("critical_low"), QStringLiteral("critical_high")}));
        QVERIFY(enumFromString<Flag>(u"critical_low") == Flag::CriticalLow);
    }

    // A broken table is refused, naming the row and field.
    void parserRefuses_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected"); // one "field:code" that must be among the errors

        QTest::newRow("blank source") << editedJson(2, [](QJsonObject &r, QJsonArray &) {
            r.insert(QStringLiteral("source"), QStringLiteral("  "));
        }) << "measurements[2].source:required";
        QTest::newRow("missing source") << editedJson(0, [](QJsonObject &r, QJsonArray &) {
            r.remove(QStringLiteral("source"));
        }) << "measurements[0].source:required";
        QTest::newRow("wrong loinc") << editedJson(2, [](QJsonObject &r, QJsonArray &) {
            r.insert(QStringLiteral("loinc"), QStringLiteral("8867-5"));
        }) << "measurements[2].loinc:inconsistent";
        QTest::newRow("wrong unit") << editedJson(4, [](QJsonObject &r, QJsonArray &) {
            r.insert(QStringLiteral("ucum"), QStringLiteral("[degF]"));
        }) << "measurements[4].ucum:inconsistent";
        QTest::newRow("unknown key") << editedJson(2, [](QJsonObject &r, QJsonArray &) {
            r.insert(QStringLiteral("key"), QStringLiteral("pulse"));
        }) << "measurements[2].key:unknown";
        QTest::newRow("missing row")
            << editedJson(99, [](QJsonObject &, QJsonArray &rows) { rows.removeAt(3); })
            << "measurements:required";
        QTest::newRow("duplicate row")
            << editedJson(99, [](QJsonObject &, QJsonArray &rows) { rows.append(rows.at(0)); })
            << "measurements[11].key:duplicate";
        QTest::newRow("normal above critical") << editedJson(2, [](QJsonObject &r, QJsonArray &) {
            r.insert(QStringLiteral("normal_high"), 150);
        }) << "measurements[2].critical_high:range";
        QTest::newRow("critical outside reject") << editedJson(2, [](QJsonObject &r, QJsonArray &) {
            r.insert(QStringLiteral("critical_low"), 10);
        }) << "measurements[2].critical_low:range";
        QTest::newRow("text bound") << editedJson(2, [](QJsonObject &r, QJsonArray &) {
            r.insert(QStringLiteral("normal_low"), QStringLiteral("60"));
        }) << "measurements[2].normal_low:format";
        QTest::newRow("entered without reject range") << editedJson(2, [](QJsonObject &r,
                                                                          QJsonArray &) {
            r.insert(QStringLiteral("reject_max"), QJsonValue::Null);
        }) << "measurements[2].reject_min:required";
        QTest::newRow("derived with reject range")
            << editedJson(10, [](QJsonObject &r,
                                 QJsonArray &) { r.insert(QStringLiteral("reject_min"), 5); })
            << "measurements[10].reject_min:inconsistent";
        QTest::newRow("no measurements array")
            << QByteArray("{\"rows\": []}") << "measurements:required";
        QTest::newRow("not json") << QByteArray("{") << ":format";
    }
    void parserRefuses()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const Result<QList<VitalRange>> r = parseVitalRanges(json);
        QVERIFY(!r.ok());
        QVERIFY(r.error().code == ErrorCode::Invalid);
        const QStringList got = test::fieldCodes(r.error());
        QVERIFY2(got.contains(expected), qPrintable(got.join(QStringLiteral(", "))));
    }
};

QTEST_GUILESS_MAIN(TestVitalRanges)
#include "tst_vitalranges.moc"
