#include "consultationstore.h"
#include "patientstore.h"
#include "testsupport.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace tmdash;

// Text full of SQL, quoting and awkward Unicode goes through the stores and comes back byte for
// byte on both databases: every value is bound, never spliced into SQL (issue 5, section 4).

namespace {

// Single-line values (names allow no control characters), each at most 100 code points.
const QStringList &hostileNames()
{
    static const QStringList names = {
        QStringLiteral("'; DROP TABLE patients;--"),
        QStringLiteral("Robert'); DROP TABLE patients;--"),
        QStringLiteral(R"(Back\slash \\ \' \" \0 \n \x00 C:\Temp\)"),
        QStringLiteral("100% _off_ LIKE '%' ESCAPE '\\'"),
        QStringLiteral(R"(" OR "1"="1" -- ` $$ $1 :name ? %s {0})"),
        QStringLiteral("O'Brien-Ñúñez d’Artagnan"),
        QString::fromUtf8(
            "Emoji \xF0\x9F\x98\x80 \xF0\x9F\x91\xA9\xE2\x80\x8D\xE2\x9A\x95\xEF\xB8\x8F "
            "\xF0\x9F\x8F\xA5"),
        // Hebrew, Arabic, and a right-to-left override (a format character, not a control).
        QString::fromUtf8(
            "\xD7\xA2\xD7\x91\xD7\xA8\xD7\x99\xD7\xAA \xD8\xA7\xD9\x84\xD8\xB9\xD8\xB1\xD8"
            "\xA8\xD9\x8A\xD8\xA9 \xE2\x80\xAE"
            "abc"),
        // Combining marks, not normalised: e + U+0301, A + U+0308 U+0301 U+0323.
        QString::fromUtf8("Ze\xCC\x81 A\xCC\x88\xCC\x81\xCC\xA3 Zo\xC3\xAB"),
    };
    return names;
}

// A multi-line note: every hostile value, tabs and line breaks.
QString hostileNote()
{
    return QStringLiteral("Line one\twith a tab\nLine two\r\n\n\t\tindented\n") +
           hostileNames().join(QLatin1Char('\n')) + QStringLiteral("\nend;--");
}

// Exactly `codePoints` code points of hostile text (never splitting a surrogate pair).
QString longNote(qsizetype codePoints)
{
    const QString chunk = hostileNote() + QLatin1Char('\n');
    QString out;
    qsizetype count = 0;
    while (count < codePoints) {
        for (qsizetype i = 0; i < chunk.size() && count < codePoints; ++i) {
            out += chunk.at(i);
            if (chunk.at(i).isHighSurrogate() && i + 1 < chunk.size())
                out += chunk.at(++i);
            ++count;
        }
    }
    return out;
}

Patient hostilePatient(int i)
{
    const QStringList &names = hostileNames();
    Patient p;
    p.given_name = names.at(i % names.size());
    p.middle_name = names.at((i + 3) % names.size());
    p.family_name = names.at((i + 1) % names.size());
    p.birth_date = QDate(1970, 1, 1).addDays(i * 400);
    p.sex = Sex::Unknown;
    p.address_line = names.at((i + 2) % names.size());
    p.city = QStringLiteral("Città; DELETE FROM patients");
    p.notes = i == 0 ? longNote(10000) : hostileNote();
    PatientAllergy allergy;
    allergy.substance = names.at((i + 4) % names.size());
    allergy.reaction = names.at((i + 5) % names.size());
    allergy.category = AllergyCategory::Medication;
    allergy.criticality = AllergyCriticality::High;
    allergy.status = AllergyStatus::Active;
    p.allergies << allergy;
    return p;
}

// The stored text of one column read with plain SQL (not through the stores' codecs).
QByteArray storedUtf8(const Database &db, const QString &table, const QString &column,
                      const QString &id)
{
    QSqlQuery q(db.connection());
    q.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE id = :id").arg(column, table));
    q.bindValue(QStringLiteral(":id"), id);
    if (!q.exec() || !q.next())
        qFatal("reading %s.%s failed: %s", qPrintable(table), qPrintable(column),
               qPrintable(q.lastError().text()));
    return q.value(0).toString().toUtf8();
}

} // namespace

class TestHostileInput : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("hostileinput")};

private Q_SLOTS:
    void longNoteIsTenThousandCodePoints()
    {
        const QString note = longNote(10000);
        QCOMPARE(note.toUcs4().size(), 10000);
        QVERIFY(note.size() > 10000); // emoji are two UTF-16 units: the count is by code point
    }

    void patientsRoundTripByteForByte_data() { m_factory.addDialectRows(); }
    void patientsRoundTripByteForByte()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        const PatientStore store(db, Principal::owner());
        const int count = int(hostileNames().size());
        QList<Patient> created;
        for (int i = 0; i < count; ++i) {
            auto p = store.create(hostilePatient(i));
            QVERIFY2(p, qPrintable(QStringLiteral("patient %1: ").arg(i) + p.error().message));
            created << *p;
        }
        QCOMPARE(test::rowCount(db, QStringLiteral("patients")), qint64(count));
        QVERIFY(db.connection().tables().contains(QStringLiteral("patients")));
        for (int i = 0; i < count; ++i) {
            const Patient expected = hostilePatient(i);
            auto got = store.get(created.at(i).id);
            QVERIFY2(got, qPrintable(got.error().message));
            QCOMPARE(got->given_name.toUtf8(), expected.given_name.toUtf8());
            QCOMPARE(got->middle_name.toUtf8(), expected.middle_name.toUtf8());
            QCOMPARE(got->family_name.toUtf8(), expected.family_name.toUtf8());
            QCOMPARE(got->address_line.toUtf8(), expected.address_line.toUtf8());
            QCOMPARE(got->city.toUtf8(), expected.city.toUtf8());
            QCOMPARE(got->notes.toUtf8(), expected.notes.toUtf8());
            QCOMPARE(got->allergies.size(), 1);
            QCOMPARE(got->allergies.first().substance.toUtf8(),
                     expected.allergies.first().substance.toUtf8());
            QCOMPARE(got->allergies.first().reaction.toUtf8(),
                     expected.allergies.first().reaction.toUtf8());
            // And as the database holds it, read without the stores.
            const QString id = created.at(i).id.value;
            QCOMPARE(storedUtf8(db, QStringLiteral("patients"), QStringLiteral("family_name"), id),
                     expected.family_name.toUtf8());
            QCOMPARE(storedUtf8(db, QStringLiteral("patients"), QStringLiteral("notes"), id),
                     expected.notes.toUtf8());
        }
        // An update with hostile text round-trips too, and changes only that patient.
        Patient edited = created.at(1);
        edited.given_name = hostileNames().at(0);
        edited.notes = longNote(10000);
        auto updated = store.update(edited);
        QVERIFY2(updated, qPrintable(updated.error().message));
        auto reread = store.get(edited.id);
        QVERIFY(reread);
        QCOMPARE(reread->given_name.toUtf8(), hostileNames().at(0).toUtf8());
        QCOMPARE(reread->notes.toUtf8(), longNote(10000).toUtf8());
        QCOMPARE(test::rowCount(db, QStringLiteral("patients")), qint64(count));
        auto all = store.list();
        QVERIFY(all);
        QCOMPARE(all->size(), count);
    }

    void consultationNoteRoundTripsByteForByte_data() { m_factory.addDialectRows(); }
    void consultationNoteRoundTripsByteForByte()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        const ClinicId clinic = test::insertClinic(db);
        auto patient = PatientStore(db, Principal::owner()).create(hostilePatient(1));
        QVERIFY2(patient, qPrintable(patient.error().message));
        const test::TestProvider doctor = test::insertProvider(db, clinic);
        Consultation c;
        c.patient_id = patient->id;
        c.provider_id = doctor.provider;
        c.started_at = QDateTime::currentDateTimeUtc().addSecs(-600);
        c.chief_complaint = hostileNames().at(1);
        c.history = hostileNote();
        c.examination = hostileNames().join(QLatin1Char('\t'));
        c.assessment = hostileNames().at(7) + QLatin1Char('\n') + hostileNames().at(8);
        c.plan = longNote(10000);
        c.follow_up_instructions = hostileNames().at(3);
        c.diagnoses << ConsultationDiagnosis{
            RowId(), QStringLiteral("R05.9"), hostileNames().at(0), true, {}};
        const ConsultationStore store(db, doctor.principal);
        auto created = store.create(c);
        QVERIFY2(created, qPrintable(created.error().message));
        auto got = store.get(created->id);
        QVERIFY2(got, qPrintable(got.error().message));
        QCOMPARE(got->chief_complaint.toUtf8(), c.chief_complaint.toUtf8());
        QCOMPARE(got->history.toUtf8(), c.history.toUtf8());
        QCOMPARE(got->examination.toUtf8(), c.examination.toUtf8());
        QCOMPARE(got->assessment.toUtf8(), c.assessment.toUtf8());
        QCOMPARE(got->plan.toUtf8(), c.plan.toUtf8());
        QCOMPARE(got->plan.toUcs4().size(), 10000);
        QCOMPARE(got->follow_up_instructions.toUtf8(), c.follow_up_instructions.toUtf8());
        QCOMPARE(got->diagnoses.size(), 1);
        QCOMPARE(got->diagnoses.first().description.toUtf8(), hostileNames().at(0).toUtf8());
        QCOMPARE(storedUtf8(db, QStringLiteral("consultations"), QStringLiteral("plan"),
                            created->id.value),
                 c.plan.toUtf8());
        // Signed, it still reads back the same.
        auto signedNote = store.sign(created->id);
        QVERIFY2(signedNote, qPrintable(signedNote.error().message));
        QCOMPARE(signedNote->history.toUtf8(), c.history.toUtf8());
        QCOMPARE(test::rowCount(db, QStringLiteral("patients")), 1);
        QCOMPARE(test::rowCount(db, QStringLiteral("consultations")), 1);
    }

    // Every hostile name is found by a search for it, and nothing in it acts as SQL, a LIKE
    // wildcard or full-text query syntax.
    void searchFindsHostileNames_data() { m_factory.addDialectRows(); }
    void searchFindsHostileNames()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        const PatientStore store(db, Principal::owner());
        QList<Patient> created;
        for (int i = 0; i < int(hostileNames().size()); ++i) {
            auto p = store.create(hostilePatient(i));
            QVERIFY2(p, qPrintable(p.error().message));
            created << *p;
        }
        for (const Patient &p : std::as_const(created)) {
            for (const QString &query : {p.family_name, p.given_name}) {
                auto found = store.search(query);
                QVERIFY2(found, qPrintable(query + QStringLiteral(": ") + found.error().message));
                bool hit = false;
                for (const Patient &f : *found)
                    hit = hit || f.id == p.id;
                QVERIFY2(hit,
                         qPrintable(QStringLiteral("searching for %1 did not find it").arg(query)));
            }
        }
        QCOMPARE(test::rowCount(db, QStringLiteral("patients")), qint64(created.size()));
    }

    // '%' and '_' in a search are themselves, not wildcards.
    void searchWildcardsAreLiteral_data() { m_factory.addDialectRows(); }
    void searchWildcardsAreLiteral()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        test::insertClinic(db);
        const PatientStore store(db, Principal::owner());
        Patient literal = hostilePatient(0);
        literal.family_name = QStringLiteral("Pct%Under_Score");
        Patient other = hostilePatient(1);
        other.family_name = QStringLiteral("PctXUnderYScore");
        auto a = store.create(literal);
        auto b = store.create(other);
        QVERIFY(a && b);
        auto found = store.search(QStringLiteral("Pct%Under_Score"));
        QVERIFY2(found, qPrintable(found.error().message));
        QStringList ids;
        for (const Patient &f : *found)
            ids << f.id.value;
        QVERIFY2(ids.contains(a->id.value), "the literal name was not found");
        QVERIFY2(!ids.contains(b->id.value), "'%' or '_' matched other characters");
        auto everyone = store.search(QStringLiteral("%"));
        QVERIFY(everyone);
        QVERIFY2(everyone->size() < 2, "a lone '%' matched every patient");
    }
};

QTEST_GUILESS_MAIN(TestHostileInput)
#include "tst_hostileinput.moc"
