#include "patientvalidator.h"

#include <QTest>

#include <functional>

using namespace tmdash;
using namespace Qt::StringLiterals;

using Mutation = std::function<void(Patient &)>;
Q_DECLARE_METATYPE(Mutation)
Q_DECLARE_METATYPE(tmdash::Patient)

namespace {

const QDate kToday(2026, 3, 15);

RecordMeta liveMeta()
{
    RecordMeta meta;
    meta.created_at = QDateTime(QDate(2026, 1, 2), QTime(9, 0), Qt::UTC);
    meta.updated_at = meta.created_at;
    return meta;
}

RecordMeta deletedMeta()
{
    RecordMeta meta = liveMeta();
    meta.deleted_at = QDateTime(QDate(2026, 2, 1), QTime(9, 0), Qt::UTC);
    return meta;
}

// A patient with every field filled in and one valid row in each owned list.
Patient validPatient()
{
    Patient p;
    p.id = PatientId(u"01900000-0000-7000-8000-000000000101"_s);
    p.clinic_id = ClinicId(u"01900000-0000-7000-8000-000000000001"_s);
    p.mrn = u"D7-000123"_s;
    p.given_name = u"María"_s;
    p.middle_name = u"José"_s;
    p.family_name = u"Núñez-O'Brien"_s;
    p.birth_date = QDate(1980, 7, 4);
    p.sex = Sex::Female;
    p.phone = u"(555) 123-4567"_s;
    p.email = u"maria.nunez@example.com"_s;
    p.address_line = u"12 River Street, Apt 3"_s;
    p.city = u"Springfield"_s;
    p.region = u"NY"_s;
    p.postal_code = u"10001"_s;
    p.country = u"US"_s;
    p.preferred_language = u"es-419"_s;
    p.user_id = UserId(u"01900000-0000-7000-8000-000000000201"_s);
    p.notes = u"Prefers morning appointments.\nHard of hearing in the left ear."_s;

    PatientEmergencyContact contact;
    contact.id = RowId(u"01900000-0000-7000-8000-000000000301"_s);
    contact.name = u"Luis Núñez"_s;
    contact.relationship = u"spouse"_s;
    contact.phone = u"+44 20 7946 0958"_s;
    contact.meta = liveMeta();
    p.emergency_contacts = {contact};

    PatientInsurance insurance;
    insurance.id = RowId(u"01900000-0000-7000-8000-000000000401"_s);
    insurance.payer = u"Acme Health"_s;
    insurance.member_id = u"XJH123456789"_s;
    insurance.group_number = u"G-100"_s;
    insurance.valid_from = QDate(2026, 1, 1);
    insurance.valid_to = QDate(2026, 12, 31);
    insurance.is_primary = true;
    insurance.meta = liveMeta();
    p.insurance = {insurance};

    PatientAllergy allergy;
    allergy.id = RowId(u"01900000-0000-7000-8000-000000000501"_s);
    allergy.substance = u"Penicillin"_s;
    allergy.category = AllergyCategory::Medication;
    allergy.criticality = AllergyCriticality::High;
    allergy.reaction = u"Hives"_s;
    allergy.severity = AllergySeverity::Moderate;
    allergy.status = AllergyStatus::Active;
    allergy.meta = liveMeta();
    p.allergies = {allergy};

    PatientCondition condition;
    condition.id = RowId(u"01900000-0000-7000-8000-000000000601"_s);
    condition.icd10_code = u"E11.9"_s;
    condition.description = u"Type 2 diabetes mellitus without complications"_s;
    condition.onset_date = QDate(2015, 5, 1);
    condition.status = ConditionStatus::Active;
    condition.meta = liveMeta();
    p.conditions = {condition};

    p.meta = liveMeta();
    return p;
}

QStringList summary(const FieldErrors &errors)
{
    QStringList out;
    for (const FieldError &e : errors) {
        out << QString(e.field + u':' + e.code);
        if (e.message.trimmed().isEmpty())
            out << u"<no message for %1>"_s.arg(e.field);
    }
    out.sort();
    return out;
}

QString repeated(QChar c, qsizetype times)
{
    return QString(times, c);
}

Patient withPhone(const QString &phone)
{
    Patient p;
    p.phone = phone;
    return p;
}

Patient person(const QString &given, const QString &family, std::optional<QDate> birth)
{
    Patient p;
    p.given_name = given;
    p.family_name = family;
    p.birth_date = birth;
    return p;
}

} // namespace

class TestPatientValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validPatientHasNoErrors()
    {
        const FieldErrors errors = validatePatient(validPatient(), kToday);
        QCOMPARE(summary(errors), QStringList());
    }
    void emptyPatientNamesEveryRequiredField()
    {
        const FieldErrors errors = validatePatient(Patient(), kToday);
        QCOMPARE(summary(errors), (QStringList{u"birth_date:required"_s, u"family_name:required"_s,
                                               u"given_name:required"_s}));
    }

    void validate_data()
    {
        QTest::addColumn<Mutation>("mutate");
        QTest::addColumn<QStringList>("expected");
        const QStringList ok;
        const auto row = [](const char *name, QStringList expected, Mutation m) {
            QTest::newRow(name) << m << expected;
        };

        // Names.
        row("given empty", {u"given_name:required"_s}, [](Patient &p) { p.given_name.clear(); });
        row("given blank", {u"given_name:required"_s}, [](Patient &p) { p.given_name = u"  "_s; });
        row("given 100", ok, [](Patient &p) { p.given_name = repeated(u'a', 100); });
        row("given 101", {u"given_name:too_long"_s},
            [](Patient &p) { p.given_name = repeated(u'a', 101); });
        row("given newline", {u"given_name:format"_s},
            [](Patient &p) { p.given_name = u"Ann\nMarie"_s; });
        row("family empty", {u"family_name:required"_s}, [](Patient &p) { p.family_name.clear(); });
        row("family 100", ok, [](Patient &p) { p.family_name = repeated(u'z', 100); });
        row("family 101", {u"family_name:too_long"_s},
            [](Patient &p) { p.family_name = repeated(u'z', 101); });
        row("middle empty", ok, [](Patient &p) { p.middle_name.clear(); });
        row("middle 101", {u"middle_name:too_long"_s},
            [](Patient &p) { p.middle_name = repeated(u'm', 101); });

        // Birth date.
        row("birth absent", {u"birth_date:required"_s}, [](Patient &p) { p.birth_date.reset(); });
        row("birth invalid", {u"birth_date:format"_s}, [](Patient &p) { p.birth_date = QDate(); });
        row("birth today", ok, [](Patient &p) {
            p.birth_date = kToday;
            p.conditions[0].onset_date = kToday;
        });
        row("birth tomorrow", {u"birth_date:future"_s}, [](Patient &p) {
            p.birth_date = kToday.addDays(1);
            p.conditions[0].onset_date.reset();
        });
        row("birth 130 years", ok, [](Patient &p) { p.birth_date = kToday.addYears(-130); });
        row("birth 130 years and a day", {u"birth_date:too_old"_s},
            [](Patient &p) { p.birth_date = kToday.addYears(-130).addDays(-1); });

        // Contact details.
        row("phone empty", ok, [](Patient &p) { p.phone.clear(); });
        row("phone dots", ok, [](Patient &p) { p.phone = u"555.123.4567"_s; });
        row("phone 00", ok, [](Patient &p) { p.phone = u"00 44 20 7946 0958"_s; });
        row("phone letters", {u"phone:format"_s}, [](Patient &p) { p.phone = u"555-CALL"_s; });
        row("phone short", {u"phone:format"_s}, [](Patient &p) { p.phone = u"123"_s; });
        row("email empty", ok, [](Patient &p) { p.email.clear(); });
        row("email bad", {u"email:format"_s}, [](Patient &p) { p.email = u"maria@example"_s; });
        row("country empty", ok, [](Patient &p) { p.country.clear(); });
        row("country lower", {u"country:format"_s}, [](Patient &p) { p.country = u"us"_s; });
        row("country unassigned", {u"country:unknown"_s}, [](Patient &p) { p.country = u"XK"_s; });
        row("language empty", ok, [](Patient &p) { p.preferred_language.clear(); });
        row("language zh-Hant", ok, [](Patient &p) { p.preferred_language = u"zh-Hant"_s; });
        row("language underscore", {u"preferred_language:format"_s},
            [](Patient &p) { p.preferred_language = u"pt_BR"_s; });
        row("address 200", ok, [](Patient &p) { p.address_line = repeated(u'x', 200); });
        row("address 201", {u"address_line:too_long"_s},
            [](Patient &p) { p.address_line = repeated(u'x', 201); });
        row("city 101", {u"city:too_long"_s}, [](Patient &p) { p.city = repeated(u'x', 101); });
        row("region 101", {u"region:too_long"_s},
            [](Patient &p) { p.region = repeated(u'x', 101); });
        row("postal 20", ok, [](Patient &p) { p.postal_code = repeated(u'9', 20); });
        row("postal 21", {u"postal_code:too_long"_s},
            [](Patient &p) { p.postal_code = repeated(u'9', 21); });

        // Notes, MRN, account.
        row("notes 10000", ok, [](Patient &p) { p.notes = repeated(u'n', 10000); });
        row("notes 10001", {u"notes:too_long"_s},
            [](Patient &p) { p.notes = repeated(u'n', 10001); });
        row("notes control", {u"notes:format"_s}, [](Patient &p) { p.notes = u"bell\u0007"_s; });
        row("mrn empty", ok, [](Patient &p) { p.mrn.clear(); });
        row("mrn 20", ok, [](Patient &p) { p.mrn = repeated(u'7', 20); });
        row("mrn 21", {u"mrn:too_long"_s}, [](Patient &p) { p.mrn = repeated(u'7', 21); });
        row("mrn space", {u"mrn:format"_s}, [](Patient &p) { p.mrn = u"MRN 1"_s; });
        row("mrn underscore", {u"mrn:format"_s}, [](Patient &p) { p.mrn = u"MRN_1"_s; });
        row("mrn accented", {u"mrn:format"_s}, [](Patient &p) { p.mrn = u"MRNé1"_s; });
        row("no account", ok, [](Patient &p) { p.user_id.reset(); });
        row("account not uuid", {u"user_id:format"_s},
            [](Patient &p) { p.user_id = UserId(u"42"_s); });

        // Emergency contacts.
        row("contact name empty", {u"emergency_contacts[0].name:required"_s},
            [](Patient &p) { p.emergency_contacts[0].name.clear(); });
        row("contact name 101", {u"emergency_contacts[0].name:too_long"_s},
            [](Patient &p) { p.emergency_contacts[0].name = repeated(u'c', 101); });
        row("contact phone empty", {u"emergency_contacts[0].phone:required"_s},
            [](Patient &p) { p.emergency_contacts[0].phone.clear(); });
        row("contact phone bad", {u"emergency_contacts[0].phone:format"_s},
            [](Patient &p) { p.emergency_contacts[0].phone = u"call me"_s; });
        row("contact relationship 51", {u"emergency_contacts[0].relationship:too_long"_s},
            [](Patient &p) { p.emergency_contacts[0].relationship = repeated(u'r', 51); });
        row("second contact indexed", {u"emergency_contacts[1].phone:required"_s}, [](Patient &p) {
            PatientEmergencyContact c;
            c.name = u"Ana"_s;
            p.emergency_contacts.append(c);
        });
        row("deleted contact skipped", ok, [](Patient &p) {
            PatientEmergencyContact c;
            c.meta = deletedMeta();
            p.emergency_contacts.prepend(c);
        });

        // Insurance.
        row("payer empty", {u"insurance[0].payer:required"_s},
            [](Patient &p) { p.insurance[0].payer.clear(); });
        row("member id empty", {u"insurance[0].member_id:required"_s},
            [](Patient &p) { p.insurance[0].member_id.clear(); });
        row("group optional", ok, [](Patient &p) { p.insurance[0].group_number.clear(); });
        row("open-ended", ok, [](Patient &p) { p.insurance[0].valid_to.reset(); });
        row("no dates", ok, [](Patient &p) {
            p.insurance[0].valid_from.reset();
            p.insurance[0].valid_to.reset();
        });
        row("valid one day", ok,
            [](Patient &p) { p.insurance[0].valid_to = p.insurance[0].valid_from; });
        row("valid_to before valid_from", {u"insurance[0].valid_to:range"_s},
            [](Patient &p) { p.insurance[0].valid_to = p.insurance[0].valid_from->addDays(-1); });
        row("second not primary", ok, [](Patient &p) {
            PatientInsurance i = p.insurance[0];
            i.is_primary = false;
            p.insurance.append(i);
        });
        row("two primary",
            {u"insurance[1].is_primary:multiple_primary"_s,
             u"insurance[2].is_primary:multiple_primary"_s},
            [](Patient &p) {
                p.insurance.append(p.insurance[0]);
                p.insurance.append(p.insurance[0]);
            });
        row("two primary one deleted", ok, [](Patient &p) {
            PatientInsurance old = p.insurance[0];
            old.meta = deletedMeta();
            p.insurance.prepend(old);
        });

        // Allergies.
        row("substance empty", {u"allergies[0].substance:required"_s},
            [](Patient &p) { p.allergies[0].substance.clear(); });
        row("substance 201", {u"allergies[0].substance:too_long"_s},
            [](Patient &p) { p.allergies[0].substance = repeated(u's', 201); });
        row("reaction and severity optional", ok, [](Patient &p) {
            p.allergies[0].reaction.clear();
            p.allergies[0].severity.reset();
        });
        row("third allergy indexed", {u"allergies[2].substance:required"_s}, [](Patient &p) {
            p.allergies.append(p.allergies[0]);
            p.allergies.append(PatientAllergy());
        });
        row("deleted allergy skipped", ok, [](Patient &p) {
            PatientAllergy a;
            a.meta = deletedMeta();
            p.allergies.append(a);
        });

        // Conditions.
        row("icd I10", ok, [](Patient &p) { p.conditions[0].icd10_code = u"I10"_s; });
        row("icd S72.001A", ok, [](Patient &p) { p.conditions[0].icd10_code = u"S72.001A"_s; });
        row("icd absent", ok, [](Patient &p) { p.conditions[0].icd10_code.clear(); });
        row("icd lower", {u"conditions[0].icd10_code:format"_s},
            [](Patient &p) { p.conditions[0].icd10_code = u"e11.9"_s; });
        row("icd no dot", {u"conditions[0].icd10_code:format"_s},
            [](Patient &p) { p.conditions[0].icd10_code = u"E119"_s; });
        row("icd too long", {u"conditions[0].icd10_code:format"_s},
            [](Patient &p) { p.conditions[0].icd10_code = u"S72.001AB"_s; });
        row("description empty", {u"conditions[0].description:required"_s},
            [](Patient &p) { p.conditions[0].description.clear(); });
        row("onset today", ok, [](Patient &p) { p.conditions[0].onset_date = kToday; });
        row("onset tomorrow", {u"conditions[0].onset_date:future"_s},
            [](Patient &p) { p.conditions[0].onset_date = kToday.addDays(1); });
        row("onset at birth", ok, [](Patient &p) { p.conditions[0].onset_date = p.birth_date; });
        row("onset before birth", {u"conditions[0].onset_date:range"_s},
            [](Patient &p) { p.conditions[0].onset_date = p.birth_date->addDays(-1); });

        // Several at once: every failing field is reported.
        row("several",
            {u"conditions[0].description:required"_s, u"email:format"_s, u"given_name:required"_s,
             u"insurance[0].payer:required"_s},
            [](Patient &p) {
                p.given_name.clear();
                p.email = u"x"_s;
                p.insurance[0].payer.clear();
                p.conditions[0].description.clear();
            });
    }
    void validate()
    {
        QFETCH(Mutation, mutate);
        QFETCH(QStringList, expected);
        Patient p = validPatient();
        mutate(p);
        expected.sort();
        QCOMPARE(summary(validatePatient(p, kToday)), expected);
    }

    void defaultCallingCodeReadsNationalNumbers()
    {
        Patient p = validPatient();
        p.phone = u"020 7946 0958"_s;
        QCOMPARE(summary(validatePatient(p, kToday)), QStringList{u"phone:format"_s});
        QCOMPARE(summary(validatePatient(p, kToday, u"44"_s)), QStringList());
    }

    void isMrn_data()
    {
        QTest::addColumn<QString>("mrn");
        QTest::addColumn<bool>("valid");
        QTest::newRow("digits") << u"000123"_s << true;
        QTest::newRow("prefixed") << u"D7-000123"_s << true;
        QTest::newRow("one") << u"1"_s << true;
        QTest::newRow("20") << QString(20, u'A') << true;
        QTest::newRow("21") << QString(21, u'A') << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("slash") << u"A/1"_s << false;
    }
    void isMrn()
    {
        QFETCH(QString, mrn);
        QFETCH(bool, valid);
        QCOMPARE(tmdash::isMrn(mrn), valid);
    }

    void nameKey_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("key");
        QTest::newRow("plain") << u"Smith"_s << u"smith"_s;
        QTest::newRow("spaces") << u"  Mary  Ann "_s << u"maryann"_s;
        QTest::newRow("accents and punctuation") << u"O'Brien-Núñez"_s << u"obriennunez"_s;
        QTest::newRow("fullwidth") << u"Ｊｏｈｎ"_s << u"john"_s;
        QTest::newRow("non-latin kept") << u"Дмитрий"_s << u"дмитрии"_s;
        QTest::newRow("astral letter kept") << u"\U00020000"_s << u"\U00020000"_s;
        QTest::newRow("only punctuation") << u"-'"_s << u""_s;
    }
    void nameKey()
    {
        QFETCH(QString, name);
        QFETCH(QString, key);
        QCOMPARE(tmdash::nameKey(name), key);
    }

    void looksLikeDuplicate_data()
    {
        QTest::addColumn<Patient>("a");
        QTest::addColumn<Patient>("b");
        QTest::addColumn<bool>("duplicate");
        const QDate born(1980, 7, 4);
        QTest::newRow("same name and birth")
            << person(u"Maria"_s, u"Nunez"_s, born) << person(u"Maria"_s, u"Nunez"_s, born) << true;
        QTest::newRow("case, accents, punctuation")
            << person(u"María"_s, u"Núñez-O'Brien"_s, born)
            << person(u" MARIA "_s, u"nunez obrien"_s, born) << true;
        QTest::newRow("birth differs") << person(u"Maria"_s, u"Nunez"_s, born)
                                       << person(u"Maria"_s, u"Nunez"_s, born.addDays(1)) << false;
        QTest::newRow("birth missing") << person(u"Maria"_s, u"Nunez"_s, std::nullopt)
                                       << person(u"Maria"_s, u"Nunez"_s, std::nullopt) << false;
        QTest::newRow("given differs") << person(u"Maria"_s, u"Nunez"_s, born)
                                       << person(u"Mario"_s, u"Nunez"_s, born) << false;
        QTest::newRow("names empty")
            << person(QString(), QString(), born) << person(u"-"_s, QString(), born) << false;
        QTest::newRow("same phone other formats")
            << withPhone(u"(555) 123-4567"_s) << withPhone(u"+1 555 123 4567"_s) << true;
        QTest::newRow("different phone")
            << withPhone(u"(555) 123-4567"_s) << withPhone(u"(555) 123-4568"_s) << false;
        QTest::newRow("both phones empty") << withPhone(QString()) << withPhone(QString()) << false;
        QTest::newRow("both phones invalid")
            << withPhone(u"call me"_s) << withPhone(u"call me"_s) << false;
    }
    void looksLikeDuplicate()
    {
        QFETCH(Patient, a);
        QFETCH(Patient, b);
        QFETCH(bool, duplicate);
        QCOMPARE(tmdash::looksLikeDuplicate(a, b), duplicate);
        QCOMPARE(tmdash::looksLikeDuplicate(b, a), duplicate);
    }
};

QTEST_GUILESS_MAIN(TestPatientValidator)
#include "tst_patientvalidator.moc"
