#include "formulary.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <functional>

using namespace tmdash;
using namespace Qt::StringLiterals;

namespace {

QJsonArray rows(const QString &resource, const char *key)
{
    QFile file(resource);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(QLatin1StringView(key)).toArray();
}

QJsonArray medicationRows()
{
    return rows(QStringLiteral(":/reference/formulary.json"), "medications");
}

QJsonArray interactionRows()
{
    return rows(QStringLiteral(":/reference/interactions.json"), "interactions");
}

QJsonObject medication(const char *code, const char *name)
{
    return QJsonObject{
        {QStringLiteral("code"), QLatin1StringView(code)},
        {QStringLiteral("name"), QLatin1StringView(name)},
        {QStringLiteral("class"), QStringLiteral("test class")},
        {QStringLiteral("forms"), QJsonArray{QStringLiteral("tablet")}},
        {QStringLiteral("max_daily_dose"),
         QJsonObject{{QStringLiteral("amount"), 100},
                     {QStringLiteral("unit"), QStringLiteral("mg")}}},
        {QStringLiteral("source"), QStringLiteral("test fixture")},
    };
}

QJsonObject interaction(const char *codeA, const char *nameA, const char *codeB, const char *nameB)
{
    const auto drug = [](const char *code, const char *name) {
        return QJsonObject{{QStringLiteral("code"), QLatin1StringView(code)},
                           {QStringLiteral("name"), QLatin1StringView(name)}};
    };
    return QJsonObject{
        {QStringLiteral("drug_a"), drug(codeA, nameA)},
        {QStringLiteral("drug_b"), drug(codeB, nameB)},
        {QStringLiteral("severity"), QStringLiteral("high")},
        {QStringLiteral("text"), QStringLiteral("Something bad happens.")},
        {QStringLiteral("source"), QStringLiteral("test fixture")},
    };
}

// A small valid pair of tables, for breaking one thing at a time.
struct Fixture
{
    QJsonArray medications{medication("1", "alpha"), medication("2", "beta"),
                           medication("3", "gamma")};
    QJsonArray interactions{interaction("1", "alpha", "2", "beta")};

    QByteArray formularyJson() const
    {
        return QJsonDocument(QJsonObject{{QStringLiteral("medications"), medications}}).toJson();
    }
    QByteArray interactionsJson() const
    {
        return QJsonDocument(QJsonObject{{QStringLiteral("interactions"), interactions}}).toJson();
    }
};

using FixtureEdit = std::function<void(Fixture &)>;

// Sets `key` of row `index` of `array` to `value` (JSON arrays hold values, not references).
void setField(QJsonArray &array, qsizetype index, const char *key, const QJsonValue &value)
{
    QJsonObject row = array.at(index).toObject();
    if (value.isUndefined())
        row.remove(QLatin1StringView(key));
    else
        row.insert(QLatin1StringView(key), value);
    array.replace(index, row);
}

QStringList fieldCodes(const FieldErrors &errors)
{
    QStringList out;
    for (const FieldError &e : errors)
        out << e.field + u':' + e.code;
    return out;
}

} // namespace

Q_DECLARE_METATYPE(FixtureEdit)

class TestFormulary : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Read from the raw files, not from the parser, so a row the parser dropped cannot hide.
    void everyMedicationRowNamesItsSource()
    {
        const QJsonArray meds = medicationRows();
        QVERIFY(meds.size() >= 40);
        for (qsizetype i = 0; i < meds.size(); ++i) {
            const QJsonObject row = meds.at(i).toObject();
            QVERIFY2(!row.value(QLatin1StringView("source")).toString().trimmed().isEmpty(),
                     qPrintable(QStringLiteral("formulary.json medications[%1] (%2) has no source")
                                    .arg(i)
                                    .arg(row.value(QLatin1StringView("name")).toString())));
        }
    }

    void everyInteractionRowNamesItsSource()
    {
        const QJsonArray ins = interactionRows();
        QVERIFY(ins.size() >= 30);
        for (qsizetype i = 0; i < ins.size(); ++i)
            QVERIFY2(
                !ins.at(i)
                     .toObject()
                     .value(QLatin1StringView("source"))
                     .toString()
                     .trimmed()
                     .isEmpty(),
                qPrintable(
                    QStringLiteral("interactions.json interactions[%1] has no source").arg(i)));
    }

    void everyInteractionDrugIsInTheFormulary()
    {
        const QJsonArray ins = interactionRows();
        for (qsizetype i = 0; i < ins.size(); ++i) {
            for (const char *side : {"drug_a", "drug_b"}) {
                const QJsonObject drug =
                    ins.at(i).toObject().value(QLatin1StringView(side)).toObject();
                const QString code = drug.value(QLatin1StringView("code")).toString();
                const QString name = drug.value(QLatin1StringView("name")).toString();
                const Medication *m = tmdash::findMedication(code);
                QVERIFY2(
                    m && m->code == code,
                    qPrintable(QStringLiteral("interactions[%1].%2: code %3 not in the formulary")
                                   .arg(i)
                                   .arg(QLatin1StringView(side), code)));
                QCOMPARE(m->name, name);
            }
            const QString severity =
                ins.at(i).toObject().value(QLatin1StringView("severity")).toString();
            QVERIFY2(enumFromString<InteractionSeverity>(severity).has_value(),
                     qPrintable(severity));
        }
    }

    // After the raw-file checks: a broken built-in table stops the program (qFatal).
    void builtInTablesLoad()
    {
        QVERIFY(formulary().medications.size() >= 40);
        QVERIFY(formulary().interactions.size() >= 30);
    }

    void everyMedicationIsWellFormed()
    {
        QSet<QString> codes;
        for (const Medication &m : formulary().medications) {
            QVERIFY2(!codes.contains(m.code), qPrintable(m.code));
            codes.insert(m.code);
            QVERIFY(!m.name.isEmpty());
            QCOMPARE(m.name, m.name.toLower());
            QVERIFY(!m.drug_class.isEmpty());
            QVERIFY(!m.forms.isEmpty());
            if (m.max_daily_dose) {
                QVERIFY(m.max_daily_dose->amount > 0);
                QVERIFY(!m.max_daily_dose->unit.isEmpty());
            } else {
                // An absent maximum must say why.
                QVERIFY2(!m.note.isEmpty(), qPrintable(m.name));
            }
        }
    }

    void maxDailyDose_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<double>("amount");
        QTest::addColumn<QString>("unit");
        QTest::newRow("acetaminophen") << "acetaminophen" << 4000.0 << "mg";
        QTest::newRow("ibuprofen") << "ibuprofen" << 3200.0 << "mg";
        QTest::newRow("metformin") << "metformin" << 2550.0 << "mg";
        QTest::newRow("lisinopril") << "lisinopril" << 80.0 << "mg";
        QTest::newRow("atorvastatin") << "atorvastatin" << 80.0 << "mg";
        QTest::newRow("simvastatin 80 restricted") << "simvastatin" << 40.0 << "mg";
        QTest::newRow("warfarin ceiling") << "warfarin" << 20.0 << "mg";
        QTest::newRow("methadone ceiling") << "methadone" << 200.0 << "mg";
        QTest::newRow("levothyroxine in mcg") << "levothyroxine" << 300.0 << "mcg";
        QTest::newRow("potassium in mEq") << "potassium chloride" << 100.0 << "mEq";
    }
    void maxDailyDose()
    {
        QFETCH(QString, name);
        QFETCH(double, amount);
        QFETCH(QString, unit);
        const Medication *m = tmdash::findMedication(name);
        QVERIFY(m);
        QVERIFY(m->max_daily_dose);
        QCOMPARE(m->max_daily_dose->amount, amount);
        QCOMPARE(m->max_daily_dose->unit, unit);
    }

    void findMedication_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("code"); // empty: not found
        QTest::newRow("by code") << "36567"
                                 << "36567";
        QTest::newRow("by name") << "simvastatin"
                                 << "36567";
        QTest::newRow("name ignores case and spaces") << "  SimvaStatin "
                                                      << "36567";
        QTest::newRow("combination name") << "sulfamethoxazole / trimethoprim"
                                          << "10831";
        QTest::newRow("code with spaces") << " 21212 "
                                          << "21212";
        QTest::newRow("unknown code") << "999999999"
                                      << "";
        QTest::newRow("unknown name") << "unobtainium"
                                      << "";
        QTest::newRow("partial name") << "simva"
                                      << "";
        QTest::newRow("empty") << ""
                               << "";
    }
    void findMedication()
    {
        QFETCH(QString, query);
        QFETCH(QString, code);
        const Medication *m = tmdash::findMedication(query);
        if (code.isEmpty()) {
            QVERIFY(!m);
        } else {
            QVERIFY(m);
            QCOMPARE(m->code, code);
        }
    }

    void interactionsBetween_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QStringList>("others");
        QTest::addColumn<QStringList>("expected"); // other codes, in order
        // simvastatin 36567, clarithromycin 21212, diltiazem 3443, amoxicillin 723.
        QTest::newRow("pair as listed")
            << "36567" << QStringList{u"21212"_s} << QStringList{u"21212"_s};
        QTest::newRow("pair reversed")
            << "21212" << QStringList{u"36567"_s} << QStringList{u"36567"_s};
        QTest::newRow("none") << "36567" << QStringList{u"723"_s} << QStringList{};
        QTest::newRow("two in order of others")
            << "36567" << QStringList{u"3443"_s, u"723"_s, u"21212"_s}
            << QStringList{u"3443"_s, u"21212"_s};
        QTest::newRow("duplicates reported once")
            << "36567" << QStringList{u"21212"_s, u"21212"_s} << QStringList{u"21212"_s};
        QTest::newRow("self ignored") << "36567" << QStringList{u"36567"_s} << QStringList{};
        QTest::newRow("unknown code") << "1" << QStringList{u"21212"_s} << QStringList{};
        QTest::newRow("no others") << "36567" << QStringList{} << QStringList{};
    }
    void interactionsBetween()
    {
        QFETCH(QString, code);
        QFETCH(QStringList, others);
        QFETCH(QStringList, expected);
        QStringList got;
        for (const Interaction &in : tmdash::interactionsBetween(code, others)) {
            QVERIFY(in.involves(code));
            got << in.otherCode(code);
        }
        QCOMPARE(got, expected);
    }

    void interactionCarriesSeverityAndText()
    {
        const QList<Interaction> found =
            tmdash::interactionsBetween(QStringLiteral("136411"), {QStringLiteral("4917")});
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().severity, InteractionSeverity::Contraindicated);
        QCOMPARE(found.first().otherName(QStringLiteral("136411")),
                 QStringLiteral("nitroglycerin"));
        QVERIFY(found.first().text.contains(QStringLiteral("hypotension")));
    }

    void parseFixture()
    {
        const Fixture f;
        const Result<Formulary> parsed = parseFormulary(f.formularyJson(), f.interactionsJson());
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(parsed->medications.size(), 3);
        QCOMPARE(parsed->interactions.size(), 1);
        QCOMPARE(parsed->medications.at(0).drug_class, QStringLiteral("test class"));
        QCOMPARE(parsed->medications.at(0).max_daily_dose->amount, 100.0);
    }

    void parseRefuses_data()
    {
        QTest::addColumn<FixtureEdit>("edit");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("medication without source") << FixtureEdit([](Fixture &f) {
            setField(f.medications, 1, "source", QJsonValue(QJsonValue::Undefined));
        }) << QStringList{u"medications[1].source:required"_s};
        QTest::newRow("medication with blank source") << FixtureEdit([](Fixture &f) {
            setField(f.medications, 0, "source", QStringLiteral("   "));
        }) << QStringList{u"medications[0].source:required"_s};
        QTest::newRow("interaction without source")
            << FixtureEdit([](Fixture &f) { setField(f.interactions, 0, "source", QString()); })
            << QStringList{u"interactions[0].source:required"_s};
        QTest::newRow("interaction with unknown drug") << FixtureEdit([](Fixture &f) {
            f.interactions.append(interaction("1", "alpha", "9", "nothing"));
        }) << QStringList{u"interactions[1].drug_b.code:unknown"_s};
        QTest::newRow("interaction naming a drug by name instead of code")
            << FixtureEdit([](Fixture &f) {
                   f.interactions.append(interaction("alpha", "alpha", "3", "gamma"));
               })
            << QStringList{u"interactions[1].drug_a.code:unknown"_s};
        QTest::newRow("interaction name differs from formulary") << FixtureEdit([](Fixture &f) {
            f.interactions.append(interaction("1", "alpha", "3", "delta"));
        }) << QStringList{u"interactions[1].drug_b.name:inconsistent"_s};
        QTest::newRow("same pair reversed") << FixtureEdit([](Fixture &f) {
            f.interactions.append(interaction("2", "beta", "1", "alpha"));
        }) << QStringList{u"interactions[1].drug_b.code:duplicate"_s};
        QTest::newRow("drug with itself") << FixtureEdit([](Fixture &f) {
            f.interactions.append(interaction("3", "gamma", "3", "gamma"));
        }) << QStringList{u"interactions[1].drug_b.code:inconsistent"_s};
        QTest::newRow("moderate severity") << FixtureEdit([](Fixture &f) {
            setField(f.interactions, 0, "severity", QStringLiteral("moderate"));
        }) << QStringList{u"interactions[0].severity:unknown"_s};
        QTest::newRow("duplicate code")
            << FixtureEdit([](Fixture &f) { f.medications.append(medication("2", "delta")); })
            << QStringList{u"medications[3].code:duplicate"_s};
        QTest::newRow("duplicate name")
            << FixtureEdit([](Fixture &f) { f.medications.append(medication("4", "Beta")); })
            << QStringList{u"medications[3].name:duplicate"_s};
        QTest::newRow("code not numeric")
            << FixtureEdit([](Fixture &f) { f.medications.append(medication("RX4", "delta")); })
            << QStringList{u"medications[3].code:format"_s};
        QTest::newRow("no forms") << FixtureEdit([](Fixture &f) {
            setField(f.medications, 2, "forms", QJsonArray());
        }) << QStringList{u"medications[2].forms:required"_s};
        QTest::newRow("max dose zero") << FixtureEdit([](Fixture &f) {
            setField(f.medications, 0, "max_daily_dose",
                     QJsonObject{{QStringLiteral("amount"), 0},
                                 {QStringLiteral("unit"), QStringLiteral("mg")}});
        }) << QStringList{u"medications[0].max_daily_dose:format"_s};
        QTest::newRow("max dose missing unit") << FixtureEdit([](Fixture &f) {
            setField(f.medications, 0, "max_daily_dose",
                     QJsonObject{{QStringLiteral("amount"), 5}});
        }) << QStringList{u"medications[0].max_daily_dose:format"_s};
        QTest::newRow("max dose key absent") << FixtureEdit([](Fixture &f) {
            setField(f.medications, 0, "max_daily_dose", QJsonValue(QJsonValue::Undefined));
        }) << QStringList{u"medications[0].max_daily_dose:required"_s};
        QTest::newRow("max dose null is fine") << FixtureEdit([](Fixture &f) {
            setField(f.medications, 0, "max_daily_dose", QJsonValue(QJsonValue::Null));
        }) << QStringList{};
    }
    void parseRefuses()
    {
        QFETCH(FixtureEdit, edit);
        QFETCH(QStringList, expected);
        Fixture f;
        edit(f);
        const Result<Formulary> parsed = parseFormulary(f.formularyJson(), f.interactionsJson());
        if (expected.isEmpty()) {
            QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
            return;
        }
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, ErrorCode::Invalid);
        QCOMPARE(fieldCodes(parsed.error().fields), expected);
    }

    void parseRefusesBrokenDocuments()
    {
        const Fixture f;
        Result<Formulary> parsed = parseFormulary("{not json", f.interactionsJson());
        QVERIFY(!parsed.ok());
        QCOMPARE(fieldCodes(parsed.error().fields), QStringList{u"medications:format"_s});
        parsed = parseFormulary(f.formularyJson(), "{\"rows\": []}");
        QVERIFY(!parsed.ok());
        QCOMPARE(fieldCodes(parsed.error().fields), QStringList{u"interactions:required"_s});
    }
};

QTEST_GUILESS_MAIN(TestFormulary)
#include "tst_formulary.moc"
