#include "prescriptionvalidator.h"

#include <QTest>
#include <QtNumeric>

#include <functional>

using namespace tmdash;
using namespace Qt::StringLiterals;

namespace {

using RxEdit = std::function<void(Prescription &)>;
using AllergyEdit = std::function<void(PatientAllergy &)>;

// RxNorm codes of the formulary rows used here.
const QString kAmoxicillin = u"723"_s;
const QString kAcetaminophen = u"161"_s;
const QString kSimvastatin = u"36567"_s;
const QString kClarithromycin = u"21212"_s;
const QString kDiltiazem = u"3443"_s;
const QString kLevothyroxine = u"10582"_s;
const QString kSmxTmp = u"10831"_s;
const QString kNitroglycerin = u"4917"_s;
const QString kPotassium = u"8591"_s;

const PatientId kPatient = newId<PatientId>();

// Amoxicillin 500 mg, 1 capsule three times a day for 10 days, 30 capsules.
Prescription amoxicillin()
{
    Prescription rx;
    rx.id = newId<PrescriptionId>();
    rx.clinic_id = newId<ClinicId>();
    rx.patient_id = kPatient;
    rx.provider_id = newId<ProviderId>();
    rx.medication_code = kAmoxicillin;
    rx.medication_name = u"amoxicillin"_s;
    rx.strength = u"500 mg"_s;
    rx.form = u"capsule"_s;
    rx.dose_amount = 1;
    rx.dose_unit = u"capsule"_s;
    rx.route = u"oral"_s;
    rx.frequency = Frequency::Tid;
    rx.duration_days = 10;
    rx.quantity = 30;
    rx.refills = 0;
    rx.start_date = QDate(2026, 3, 2);
    return rx;
}

Prescription prescription(const QString &code, const char *name, double dose, const char *unit,
                          Frequency frequency)
{
    Prescription rx = amoxicillin();
    rx.medication_code = code;
    rx.medication_name = QString::fromLatin1(name);
    rx.strength.clear();
    rx.form.clear();
    rx.dose_amount = dose;
    rx.dose_unit = QString::fromLatin1(unit);
    rx.frequency = frequency;
    rx.duration_days = 30;
    rx.quantity.reset();
    return rx;
}

Prescription simvastatin()
{
    return prescription(kSimvastatin, "simvastatin", 20, "mg", Frequency::Qhs);
}

Prescription clarithromycin()
{
    Prescription rx = prescription(kClarithromycin, "clarithromycin", 500, "mg", Frequency::Bid);
    rx.start_date = QDate(2026, 2, 27);
    return rx;
}

PatientAllergy allergy(const char *substance,
                       AllergyCriticality criticality = AllergyCriticality::High)
{
    PatientAllergy a;
    a.id = newId<RowId>();
    a.substance = QString::fromUtf8(substance);
    a.category = AllergyCategory::Medication;
    a.criticality = criticality;
    a.reaction = u"hives"_s;
    a.status = AllergyStatus::Active;
    return a;
}

QStringList fieldCodes(const FieldErrors &errors)
{
    QStringList out;
    for (const FieldError &e : errors)
        out << e.field + u':' + e.code;
    return out;
}

QStringList alertKinds(const QList<PrescriptionAlert> &alerts)
{
    QStringList out;
    for (const PrescriptionAlert &a : alerts)
        out << a.kind + u':' + a.severity;
    return out;
}

} // namespace

Q_DECLARE_METATYPE(RxEdit)
Q_DECLARE_METATYPE(AllergyEdit)
Q_DECLARE_METATYPE(tmdash::PrescriptionStatus)
Q_DECLARE_METATYPE(tmdash::PrescriptionAction)

class TestPrescriptionValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validPrescriptionPasses()
    {
        QList<PrescriptionAlert> alerts;
        QCOMPARE(fieldCodes(validatePrescription(amoxicillin(), {}, {}, &alerts)), QStringList());
        QVERIFY(alerts.isEmpty());
    }

    void fields_data()
    {
        QTest::addColumn<RxEdit>("edit");
        QTest::addColumn<QStringList>("expected"); // "field:code", empty = valid
        const auto row = [](const char *name, RxEdit edit, QStringList expected) {
            QTest::newRow(name) << edit << expected;
        };

        row("refills -1", [](Prescription &rx) { rx.refills = -1; }, {u"refills:range"_s});
        row("refills 0", [](Prescription &rx) { rx.refills = 0; }, {});
        row("refills 11", [](Prescription &rx) { rx.refills = 11; }, {});
        row("refills 12", [](Prescription &rx) { rx.refills = 12; }, {u"refills:range"_s});

        row("dose 0", [](Prescription &rx) { rx.dose_amount = 0; }, {u"dose_amount:range"_s});
        row("dose negative", [](Prescription &rx) { rx.dose_amount = -1; },
            {u"dose_amount:range"_s});
        row("dose NaN", [](Prescription &rx) { rx.dose_amount = qQNaN(); },
            {u"dose_amount:range"_s});
        row("dose half", [](Prescription &rx) { rx.dose_amount = 0.5; }, {});
        row("dose unit missing", [](Prescription &rx) { rx.dose_unit.clear(); },
            {u"dose_unit:required"_s});

        row("quantity 0", [](Prescription &rx) { rx.quantity = 0; }, {u"quantity:range"_s});
        row("quantity absent", [](Prescription &rx) { rx.quantity.reset(); }, {});
        row("quantity 29 short of 10 days tid", [](Prescription &rx) { rx.quantity = 29; },
            {u"quantity:inconsistent"_s});
        row("quantity 30 exact", [](Prescription &rx) { rx.quantity = 30; }, {});
        row("quantity 31 more", [](Prescription &rx) { rx.quantity = 31; }, {});
        row("quantity two capsules bid 39",
            [](Prescription &rx) {
                rx.dose_amount = 2;
                rx.frequency = Frequency::Bid;
                rx.quantity = 39;
            },
            {u"quantity:inconsistent"_s});
        row("quantity two capsules bid 40",
            [](Prescription &rx) {
                rx.dose_amount = 2;
                rx.frequency = Frequency::Bid;
                rx.quantity = 40;
            },
            {});
        row("quantity short but as needed",
            [](Prescription &rx) {
                rx.as_needed = true;
                rx.quantity = 5;
            },
            {});
        row("quantity short but prn",
            [](Prescription &rx) {
                rx.frequency = Frequency::Prn;
                rx.quantity = 5;
            },
            {});
        row("quantity short in mg not counted",
            [](Prescription &rx) {
                rx.dose_amount = 500;
                rx.dose_unit = u"mg"_s;
                rx.quantity = 30;
            },
            {});
        row("quantity once covers a single dose",
            [](Prescription &rx) {
                rx.frequency = Frequency::Once;
                rx.dose_amount = 4;
                rx.duration_days = 1;
                rx.quantity = 4;
            },
            {});
        row("quantity once short",
            [](Prescription &rx) {
                rx.frequency = Frequency::Once;
                rx.dose_amount = 4;
                rx.duration_days = 1;
                rx.quantity = 3;
            },
            {u"quantity:inconsistent"_s});

        row("duration 0", [](Prescription &rx) { rx.duration_days = 0; },
            {u"duration_days:range"_s});
        row("duration 1", [](Prescription &rx) { rx.duration_days = 1; }, {});
        row("duration 365",
            [](Prescription &rx) {
                rx.duration_days = 365;
                rx.quantity = 1095;
            },
            {});
        row("duration 366",
            [](Prescription &rx) {
                rx.duration_days = 366;
                rx.quantity.reset();
            },
            {u"duration_days:range"_s});
        row("once lasting two days",
            [](Prescription &rx) {
                rx.frequency = Frequency::Once;
                rx.duration_days = 2;
            },
            {u"duration_days:inconsistent"_s});

        row("unknown code", [](Prescription &rx) { rx.medication_code = u"999999"_s; },
            {u"medication_code:unknown"_s});
        row("name given as code", [](Prescription &rx) { rx.medication_code = u"amoxicillin"_s; },
            {u"medication_code:unknown"_s});
        row("no code", [](Prescription &rx) { rx.medication_code.clear(); },
            {u"medication_code:required"_s});
        row("name of another drug", [](Prescription &rx) { rx.medication_name = u"ampicillin"_s; },
            {u"medication_name:inconsistent"_s});
        row("name in capitals", [](Prescription &rx) { rx.medication_name = u"Amoxicillin"_s; },
            {});
        row("no name", [](Prescription &rx) { rx.medication_name.clear(); }, {});
        row("form not offered", [](Prescription &rx) { rx.form = u"injection"_s; },
            {u"form:unknown"_s});
        row("no start date", [](Prescription &rx) { rx.start_date = {}; },
            {u"start_date:required"_s});
        row("no patient", [](Prescription &rx) { rx.patient_id = {}; }, {u"patient_id:required"_s});
        row("no provider", [](Prescription &rx) { rx.provider_id = {}; },
            {u"provider_id:required"_s});
        row("instructions 2000", [](Prescription &rx) { rx.instructions = QString(2000, u'i'); },
            {});
        row("instructions 2001", [](Prescription &rx) { rx.instructions = QString(2001, u'i'); },
            {u"instructions:too_long"_s});
    }
    void fields()
    {
        QFETCH(RxEdit, edit);
        QFETCH(QStringList, expected);
        Prescription rx = amoxicillin();
        edit(rx);
        const FieldErrors errors = validatePrescription(rx, {}, {});
        QCOMPARE(fieldCodes(errors), expected);
        for (const FieldError &e : errors)
            QVERIFY2(!e.message.isEmpty(), qPrintable(e.field));
    }

    void maxDailyDose_data()
    {
        QTest::addColumn<RxEdit>("edit");
        QTest::addColumn<bool>("refused");
        const auto acetaminophen = [](double dose, const char *unit, Frequency frequency) {
            return [=](Prescription &rx) {
                rx = prescription(kAcetaminophen, "acetaminophen", dose, unit, frequency);
            };
        };
        // Acetaminophen: at most 4000 mg a day.
        QTest::newRow("1000 mg qid = 4000 at limit")
            << RxEdit(acetaminophen(1000, "mg", Frequency::Qid)) << false;
        QTest::newRow("1001 mg qid above")
            << RxEdit(acetaminophen(1001, "mg", Frequency::Qid)) << true;
        QTest::newRow("1000 mg q6h = 4000")
            << RxEdit(acetaminophen(1000, "mg", Frequency::Q6h)) << false;
        QTest::newRow("1000 mg q4h = 6000")
            << RxEdit(acetaminophen(1000, "mg", Frequency::Q4h)) << true;
        QTest::newRow("650 mg prn counts 6 a day = 3900")
            << RxEdit(acetaminophen(650, "mg", Frequency::Prn)) << false;
        QTest::newRow("700 mg prn = 4200")
            << RxEdit(acetaminophen(700, "mg", Frequency::Prn)) << true;
        QTest::newRow("1 g qid in grams") << RxEdit(acetaminophen(1, "g", Frequency::Qid)) << false;
        QTest::newRow("1.1 g qid in grams")
            << RxEdit(acetaminophen(1.1, "g", Frequency::Qid)) << true;
        QTest::newRow("4000 mg once") << RxEdit([](Prescription &rx) {
            rx = prescription(kAcetaminophen, "acetaminophen", 4000, "mg", Frequency::Once);
            rx.duration_days = 1;
        }) << false;
        QTest::newRow("2 tablets of 500 mg qid = 4000") << RxEdit([](Prescription &rx) {
            rx = prescription(kAcetaminophen, "acetaminophen", 2, "tablet", Frequency::Qid);
            rx.strength = u"500 mg"_s;
        }) << false;
        QTest::newRow("2 tablets of 500 mg q4h = 6000") << RxEdit([](Prescription &rx) {
            rx = prescription(kAcetaminophen, "acetaminophen", 2, "tablet", Frequency::Q4h);
            rx.strength = u"500 mg"_s;
        }) << true;
        QTest::newRow("tablets without strength are not checked") << RxEdit([](Prescription &rx) {
            rx = prescription(kAcetaminophen, "acetaminophen", 20, "tablet", Frequency::Q4h);
        }) << false;
        QTest::newRow("mL is not related to mg")
            << RxEdit(acetaminophen(100, "mL", Frequency::Q4h)) << false;
        QTest::newRow("simvastatin 40 mg at limit") << RxEdit([](Prescription &rx) {
            rx = prescription(kSimvastatin, "simvastatin", 40, "mg", Frequency::Qhs);
        }) << false;
        QTest::newRow("simvastatin 80 mg restricted") << RxEdit([](Prescription &rx) {
            rx = prescription(kSimvastatin, "simvastatin", 80, "mg", Frequency::Qhs);
        }) << true;
        QTest::newRow("levothyroxine 0.3 mg = 300 mcg at limit") << RxEdit([](Prescription &rx) {
            rx = prescription(kLevothyroxine, "levothyroxine", 0.3, "mg", Frequency::Qd);
        }) << false;
        QTest::newRow("levothyroxine 350 mcg above") << RxEdit([](Prescription &rx) {
            rx = prescription(kLevothyroxine, "levothyroxine", 350, "mcg", Frequency::Qd);
        }) << true;
        QTest::newRow("potassium 50 mEq bid = 100 at limit") << RxEdit([](Prescription &rx) {
            rx = prescription(kPotassium, "potassium chloride", 50, "mEq", Frequency::Bid);
        }) << false;
        QTest::newRow("potassium 40 mEq tid = 120 above") << RxEdit([](Prescription &rx) {
            rx = prescription(kPotassium, "potassium chloride", 40, "meq", Frequency::Tid);
        }) << true;
        QTest::newRow("nitroglycerin has no maximum") << RxEdit([](Prescription &rx) {
            rx = prescription(kNitroglycerin, "nitroglycerin", 0.4, "mg", Frequency::Q4h);
        }) << false;
        QTest::newRow("above limit even with an override reason") << RxEdit([](Prescription &rx) {
            rx = prescription(kAcetaminophen, "acetaminophen", 2000, "mg", Frequency::Qid);
            rx.override_reason = u"Specialist advice"_s;
        }) << true;
    }
    void maxDailyDose()
    {
        QFETCH(RxEdit, edit);
        QFETCH(bool, refused);
        Prescription rx = amoxicillin();
        edit(rx);
        QList<PrescriptionAlert> alerts;
        const FieldErrors errors = validatePrescription(rx, {}, {}, &alerts);
        if (refused) {
            QCOMPARE(fieldCodes(errors), QStringList{u"dose_amount:max_daily_dose"_s});
            QCOMPARE(alertKinds(alerts), QStringList{u"max_daily_dose:high"_s});
            QVERIFY(alerts.first().message.contains(rx.medication_name));
        } else {
            QCOMPARE(fieldCodes(errors), QStringList());
            QVERIFY(alerts.isEmpty());
        }
    }

    void dailyDose()
    {
        const Medication *acetaminophen = findMedication(kAcetaminophen);
        QVERIFY(acetaminophen);
        Prescription rx =
            prescription(kAcetaminophen, "acetaminophen", 2, "tablets", Frequency::Tid);
        rx.strength = u"325 mg"_s;
        auto daily = tmdash::dailyDose(rx, *acetaminophen);
        QVERIFY(daily);
        QCOMPARE(daily->amount, 1950.0);
        QCOMPARE(daily->unit, u"mg"_s);
        rx.strength = u"800 mg/160 mg"_s; // a combination strength does not convert
        QVERIFY(!tmdash::dailyDose(rx, *acetaminophen));
        QVERIFY(!tmdash::dailyDose(rx, *findMedication(kSmxTmp))); // no maximum at all
    }

    void unitConversion_data()
    {
        QTest::addColumn<double>("amount");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<double>("expected"); // -1: not convertible
        QTest::newRow("g to mg") << 1.5 << "g"
                                 << "mg" << 1500.0;
        QTest::newRow("mg to mcg") << 0.3 << "mg"
                                   << "mcg" << 300.0;
        QTest::newRow("micro sign") << 300.0 << QString(u"\u00B5g"_s) << "mg" << 0.3;
        QTest::newRow("ug") << 300.0 << "ug"
                            << "mcg" << 300.0;
        QTest::newRow("same unit other case") << 40.0 << "MEQ"
                                              << "mEq" << 40.0;
        QTest::newRow("mg to mL") << 5.0 << "mg"
                                  << "mL" << -1.0;
        QTest::newRow("tablet to mg") << 1.0 << "tablet"
                                      << "mg" << -1.0;
        QTest::newRow("empty units") << 1.0 << ""
                                     << "" << -1.0;
    }
    void unitConversion()
    {
        QFETCH(double, amount);
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(double, expected);
        const std::optional<double> got = convertDoseAmount(amount, from, to);
        if (expected < 0) {
            QVERIFY(!got);
        } else {
            QVERIFY(got);
            QVERIFY(qFuzzyCompare(*got, expected));
        }
    }

    void countableUnits()
    {
        for (const char *unit :
             {"tablet", "Tablets", "tab", "capsule", "caps", "patch", "puffs", "suppository"})
            QVERIFY2(isCountableUnit(QString::fromLatin1(unit)), unit);
        for (const char *unit : {"mg", "mL", "g", "drop", ""})
            QVERIFY2(!isCountableUnit(QString::fromLatin1(unit)), unit);
    }

    void interactions_data()
    {
        QTest::addColumn<RxEdit>("editNew");
        QTest::addColumn<RxEdit>("editOther");
        QTest::addColumn<QStringList>("expectedErrors");
        QTest::addColumn<QStringList>("expectedAlerts");
        const RxEdit none = [](Prescription &) {};
        const QStringList refused{u"medication_code:interaction"_s};
        const QStringList alert{u"interaction:contraindicated"_s};

        QTest::newRow("refused without override") << none << none << refused << alert;
        QTest::newRow("accepted with override reason") << RxEdit([](Prescription &rx) {
            rx.override_reason = u"Clarithromycin stops in 2 days; statin resumes after."_s;
        }) << none << QStringList() << alert;
        QTest::newRow("blank override reason is none")
            << RxEdit([](Prescription &rx) { rx.override_reason = u"   "_s; }) << none << refused
            << alert;
        QTest::newRow("other on hold still counts")
            << none << RxEdit([](Prescription &o) { o.status = PrescriptionStatus::OnHold; })
            << refused << alert;
        QTest::newRow("other completed")
            << none << RxEdit([](Prescription &o) { o.status = PrescriptionStatus::Completed; })
            << QStringList() << QStringList();
        QTest::newRow("other cancelled")
            << none << RxEdit([](Prescription &o) { o.status = PrescriptionStatus::Cancelled; })
            << QStringList() << QStringList();
        QTest::newRow("other entered in error") << none << RxEdit([](Prescription &o) {
            o.status = PrescriptionStatus::EnteredInError;
        }) << QStringList() << QStringList();
        QTest::newRow("other tombstoned") << none << RxEdit([](Prescription &o) {
            o.meta.deleted_at = QDateTime::currentDateTimeUtc();
        }) << QStringList() << QStringList();
        QTest::newRow("new one not current is not checked")
            << RxEdit([](Prescription &rx) { rx.status = PrescriptionStatus::Completed; }) << none
            << QStringList() << QStringList();
        QTest::newRow("diltiazem is high, not contraindicated")
            << none << RxEdit([](Prescription &o) {
                   o = prescription(kDiltiazem, "diltiazem", 120, "mg", Frequency::Qd);
               })
            << refused << QStringList{u"interaction:high"_s};
        QTest::newRow("no interacting drug")
            << none << RxEdit([](Prescription &o) { o = amoxicillin(); }) << QStringList()
            << QStringList();
    }
    void interactions()
    {
        QFETCH(RxEdit, editNew);
        QFETCH(RxEdit, editOther);
        QFETCH(QStringList, expectedErrors);
        QFETCH(QStringList, expectedAlerts);
        Prescription rx = simvastatin();
        editNew(rx);
        Prescription other = clarithromycin();
        editOther(other);
        QList<PrescriptionAlert> alerts;
        const FieldErrors errors = validatePrescription(rx, {other}, {}, &alerts);
        QCOMPARE(fieldCodes(errors), expectedErrors);
        QCOMPARE(alertKinds(alerts), expectedAlerts);
        for (const PrescriptionAlert &a : alerts)
            QVERIFY2(a.message.contains(other.medication_name), qPrintable(a.message));
    }

    void interactionBothWaysAndEach()
    {
        // The table lists simvastatin first; prescribing the other drug finds it too.
        Prescription rx = clarithromycin();
        const FieldErrors reversed = validatePrescription(rx, {simvastatin()}, {});
        QCOMPARE(fieldCodes(reversed), QStringList{u"medication_code:interaction"_s});

        // One error per interacting current prescription.
        Prescription diltiazem = prescription(kDiltiazem, "diltiazem", 120, "mg", Frequency::Qd);
        QList<PrescriptionAlert> alerts;
        const FieldErrors two = validatePrescription(
            simvastatin(), {clarithromycin(), amoxicillin(), diltiazem}, {}, &alerts);
        QCOMPARE(fieldCodes(two),
                 (QStringList{u"medication_code:interaction"_s, u"medication_code:interaction"_s}));
        QCOMPARE(alerts.size(), 2);
    }

    void editingDoesNotInteractWithItself()
    {
        // The stored version of the prescription being edited is in the patient's list.
        Prescription stored = clarithromycin();
        Prescription edited = stored;
        edited.dose_amount = 250;
        QCOMPARE(fieldCodes(validatePrescription(edited, {stored}, {})), QStringList());
    }

    void allergies_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("substance");
        QTest::addColumn<RxEdit>("editNew");
        QTest::addColumn<AllergyEdit>("editAllergy");
        QTest::addColumn<QStringList>("expectedErrors");
        QTest::addColumn<QStringList>("expectedAlerts");
        const RxEdit none = [](Prescription &) {};
        const AllergyEdit same = [](PatientAllergy &) {};
        const QStringList refused{u"medication_code:allergy"_s};
        const QStringList alert{u"allergy:high"_s};

        QTest::newRow("by class, refused")
            << kAmoxicillin << "Penicillin" << none << same << refused << alert;
        QTest::newRow("accepted with override reason")
            << kAmoxicillin << "penicillin"
            << RxEdit([](Prescription &rx) { rx.override_reason = u"Tolerated in 2024"_s; }) << same
            << QStringList() << alert;
        QTest::newRow("by name, any case and spaces")
            << kAmoxicillin << "  AMOXICILLIN " << none << same << refused << alert;
        QTest::newRow("by allergy group")
            << kAmoxicillin << "beta-lactam" << none << same << refused << alert;
        QTest::newRow("sulfa on a combination")
            << kSmxTmp << "Sulfa" << none << same << refused << alert;
        QTest::newRow("one ingredient of a combination")
            << kSmxTmp << "trimethoprim" << none << same << refused << alert;
        QTest::newRow("criticality low reported as low")
            << kAmoxicillin << "penicillin" << none
            << AllergyEdit([](PatientAllergy &a) { a.criticality = AllergyCriticality::Low; })
            << refused << QStringList{u"allergy:low"_s};
        QTest::newRow("inactive allergy")
            << kAmoxicillin << "penicillin" << none
            << AllergyEdit([](PatientAllergy &a) { a.status = AllergyStatus::Inactive; })
            << QStringList() << QStringList();
        QTest::newRow("resolved allergy")
            << kAmoxicillin << "penicillin" << none
            << AllergyEdit([](PatientAllergy &a) { a.status = AllergyStatus::Resolved; })
            << QStringList() << QStringList();
        QTest::newRow("food allergy of the same name")
            << kAmoxicillin << "penicillin" << none
            << AllergyEdit([](PatientAllergy &a) { a.category = AllergyCategory::Food; })
            << QStringList() << QStringList();
        QTest::newRow("tombstoned allergy")
            << kAmoxicillin << "penicillin" << none << AllergyEdit([](PatientAllergy &a) {
                   a.meta.deleted_at = QDateTime::currentDateTimeUtc();
               })
            << QStringList() << QStringList();
        QTest::newRow("partial word does not match")
            << kAmoxicillin << "amox" << none << same << QStringList() << QStringList();
        QTest::newRow("other drug")
            << kSimvastatin << "penicillin" << none << same << QStringList() << QStringList();
    }
    void allergies()
    {
        QFETCH(QString, code);
        QFETCH(QString, substance);
        QFETCH(RxEdit, editNew);
        QFETCH(AllergyEdit, editAllergy);
        QFETCH(QStringList, expectedErrors);
        QFETCH(QStringList, expectedAlerts);

        Prescription rx = code == kAmoxicillin ? amoxicillin() : simvastatin();
        if (code == kSmxTmp)
            rx = prescription(kSmxTmp, "sulfamethoxazole / trimethoprim", 1, "tablet",
                              Frequency::Bid);
        editNew(rx);
        PatientAllergy a = allergy("placeholder");
        a.substance = substance;
        editAllergy(a);
        QList<PrescriptionAlert> alerts;
        const FieldErrors errors = validatePrescription(rx, {}, {a}, &alerts);
        QCOMPARE(fieldCodes(errors), expectedErrors);
        QCOMPARE(alertKinds(alerts), expectedAlerts);
        for (const PrescriptionAlert &alert : alerts)
            QVERIFY2(alert.message.contains(substance.trimmed()), qPrintable(alert.message));
    }

    void everythingAtOnce()
    {
        // Simvastatin 80 mg with clarithromycin and a statin allergy: every alert is reported,
        // and an override reason lifts the interaction and allergy but not the dose.
        Prescription rx = prescription(kSimvastatin, "simvastatin", 80, "mg", Frequency::Qhs);
        const QList<PatientAllergy> allergies{
            allergy("statin", AllergyCriticality::UnableToAssess)};
        QList<PrescriptionAlert> alerts;
        FieldErrors errors = validatePrescription(rx, {clarithromycin()}, allergies, &alerts);
        QCOMPARE(fieldCodes(errors),
                 (QStringList{u"dose_amount:max_daily_dose"_s, u"medication_code:interaction"_s,
                              u"medication_code:allergy"_s}));
        QCOMPARE(alertKinds(alerts),
                 (QStringList{u"max_daily_dose:high"_s, u"interaction:contraindicated"_s,
                              u"allergy:unable_to_assess"_s}));

        rx.override_reason = u"Discussed with cardiology"_s;
        alerts.clear();
        errors = validatePrescription(rx, {clarithromycin()}, allergies, &alerts);
        QCOMPARE(fieldCodes(errors), QStringList{u"dose_amount:max_daily_dose"_s});
        QCOMPARE(alerts.size(), 3);

        // Without an alerts list the errors are the same.
        QCOMPARE(fieldCodes(validatePrescription(rx, {clarithromycin()}, allergies)),
                 QStringList{u"dose_amount:max_daily_dose"_s});
    }

    void endDate_data()
    {
        QTest::addColumn<QDate>("start");
        QTest::addColumn<int>("days");  // 0: no duration
        QTest::addColumn<QDate>("end"); // invalid: none
        QTest::newRow("10 days") << QDate(2026, 3, 1) << 10 << QDate(2026, 3, 10);
        QTest::newRow("1 day is the start day") << QDate(2026, 3, 1) << 1 << QDate(2026, 3, 1);
        QTest::newRow("over a leap day") << QDate(2028, 2, 27) << 4 << QDate(2028, 3, 1);
        QTest::newRow("over new year") << QDate(2026, 12, 30) << 5 << QDate(2027, 1, 3);
        QTest::newRow("no duration") << QDate(2026, 3, 1) << 0 << QDate();
        QTest::newRow("no start") << QDate() << 10 << QDate();
    }
    void endDate()
    {
        QFETCH(QDate, start);
        QFETCH(int, days);
        QFETCH(QDate, end);
        Prescription rx = amoxicillin();
        rx.start_date = start;
        rx.duration_days = days > 0 ? std::optional<int>(days) : std::nullopt;
        const std::optional<QDate> got = rx.end_date();
        if (!end.isValid()) {
            QVERIFY(!got);
        } else {
            QVERIFY(got);
            QCOMPARE(*got, end);
        }
    }

    void dosesPerDay_data()
    {
        QTest::addColumn<QString>("frequency");
        QTest::addColumn<int>("doses");
        const std::pair<const char *, int> table[] = {
            {"once", 1}, {"qd", 1},  {"bid", 2},  {"tid", 3}, {"qid", 4}, {"q4h", 6},
            {"q6h", 4},  {"q8h", 3}, {"q12h", 2}, {"qhs", 1}, {"prn", 6},
        };
        for (const auto &[name, doses] : table)
            QTest::newRow(name) << QString::fromLatin1(name) << doses;
    }
    void dosesPerDay()
    {
        QFETCH(QString, frequency);
        QFETCH(int, doses);
        const std::optional<Frequency> f = enumFromString<Frequency>(frequency);
        QVERIFY(f);
        QCOMPARE(tmdash::dosesPerDay(*f), doses);
        QCOMPARE(toString(*f), frequency);
    }

    void enumNamesAreTheStoredOnes()
    {
        QCOMPARE(enumNames<PrescriptionStatus>(),
                 (QStringList{u"active"_s, u"on_hold"_s, u"completed"_s, u"cancelled"_s,
                              u"entered_in_error"_s}));
        QCOMPARE(enumNames<Frequency>().size(), 11);
    }

    // Every (status, action) pair: allowed ones lead to the action's status, the rest are
    // refused with field "status", code "transition".
    void transitions_data()
    {
        QTest::addColumn<PrescriptionStatus>("from");
        QTest::addColumn<PrescriptionAction>("action");
        QTest::addColumn<bool>("allowed");
        using S = PrescriptionStatus;
        using A = PrescriptionAction;
        const QList<std::pair<S, A>> allowed = {
            {S::Active, A::Hold},
            {S::OnHold, A::Resume},
            {S::Active, A::Complete},
            {S::OnHold, A::Complete},
            {S::Active, A::Cancel},
            {S::OnHold, A::Cancel},
            {S::Active, A::EnterInError},
            {S::OnHold, A::EnterInError},
            {S::Completed, A::EnterInError},
            {S::Cancelled, A::EnterInError},
        };
        for (const auto &[s, sName] : EnumNames<S>::names) {
            for (const auto &[a, aName] : EnumNames<A>::names) {
                QTest::addRow("%s --%s-->", sName, aName)
                    << s << a << allowed.contains(std::pair(s, a));
            }
        }
    }
    void transitions()
    {
        QFETCH(PrescriptionStatus, from);
        QFETCH(PrescriptionAction, action);
        QFETCH(bool, allowed);
        QCOMPARE(isTransitionAllowed(from, action), allowed);
        QCOMPARE(allowedActions(from).contains(action), allowed);
        const Result<PrescriptionStatus> result = applyPrescriptionTransition(from, action);
        QCOMPARE(result.ok(), allowed);
        if (allowed) {
            QCOMPARE(result.value(), targetStatus(action));
            QCOMPARE(actionBetween(from, targetStatus(action)), std::optional(action));
        } else {
            QCOMPARE(result.error().code, ErrorCode::Invalid);
            QCOMPARE(fieldCodes(result.error().fields), QStringList{u"status:transition"_s});
            QVERIFY(result.error().fields.first().message.contains(toString(from)));
        }
    }

    void targetStatuses()
    {
        QCOMPARE(targetStatus(PrescriptionAction::Hold), PrescriptionStatus::OnHold);
        QCOMPARE(targetStatus(PrescriptionAction::Resume), PrescriptionStatus::Active);
        QCOMPARE(targetStatus(PrescriptionAction::Complete), PrescriptionStatus::Completed);
        QCOMPARE(targetStatus(PrescriptionAction::Cancel), PrescriptionStatus::Cancelled);
        QCOMPARE(targetStatus(PrescriptionAction::EnterInError),
                 PrescriptionStatus::EnteredInError);
        QCOMPARE(actionBetween(PrescriptionStatus::Completed, PrescriptionStatus::Active),
                 std::optional<PrescriptionAction>());
        QVERIFY(allowedActions(PrescriptionStatus::EnteredInError).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPrescriptionValidator)
#include "tst_prescriptionvalidator.moc"
