#include "clock.h"
#include "consultationvalidator.h"

#include <QTest>

#include <functional>

using namespace tmdash;
using namespace Qt::StringLiterals;

namespace {

using ConsultationEdit = std::function<void(Consultation &)>;

QDateTime at(const char *instant)
{
    return *parseInstant(QString::fromLatin1(instant));
}

ConsultationDiagnosis diagnosis(const char *code, bool primary = false)
{
    ConsultationDiagnosis d;
    d.id = newId<RowId>();
    d.icd10_code = QString::fromLatin1(code);
    d.description = u"Test diagnosis"_s;
    d.is_primary = primary;
    return d;
}

Consultation draft()
{
    Consultation c;
    c.id = newId<ConsultationId>();
    c.clinic_id = newId<ClinicId>();
    c.patient_id = newId<PatientId>();
    c.provider_id = newId<ProviderId>();
    c.started_at = at("2026-03-02T09:00:00Z");
    c.chief_complaint = u"Cough for three days"_s;
    c.history = u"Dry cough, no fever."_s;
    c.examination = u"Chest clear."_s;
    c.assessment = u"Viral bronchitis."_s;
    c.diagnoses = {diagnosis("J20.9", true), diagnosis("R05")};
    c.plan = u"Fluids, review if worse."_s;
    c.follow_up_days = 7;
    return c;
}

Consultation signedNote()
{
    Consultation c = draft();
    c.status = ConsultationStatus::Signed;
    c.signed_at = at("2026-03-02T09:30:00Z");
    c.signed_by = newId<UserId>();
    return c;
}

QStringList fieldCodes(const FieldErrors &errors)
{
    QStringList out;
    for (const FieldError &e : errors)
        out << e.field + u':' + e.code;
    return out;
}

} // namespace

Q_DECLARE_METATYPE(ConsultationEdit)

class TestConsultationValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validNotesPass()
    {
        QCOMPARE(fieldCodes(validateConsultation(draft())), QStringList());
        QCOMPARE(fieldCodes(validateConsultation(signedNote())), QStringList());
    }

    void validate_data()
    {
        QTest::addColumn<bool>("isSigned");
        QTest::addColumn<ConsultationEdit>("edit");
        QTest::addColumn<QStringList>("expected"); // "field:code", empty = valid

        const auto row = [](const char *name, bool isSigned, ConsultationEdit edit,
                            QStringList expected) {
            QTest::newRow(name) << isSigned << edit << expected;
        };
        const QString text500(500, u'a');
        const QString text20000(20000, u'b');

        row("chief complaint empty", false, [](Consultation &c) { c.chief_complaint.clear(); },
            {u"chief_complaint:required"_s});
        row("chief complaint blank", false, [](Consultation &c) { c.chief_complaint = u"   "_s; },
            {u"chief_complaint:required"_s});
        row("chief complaint 500", false, [=](Consultation &c) { c.chief_complaint = text500; },
            {});
        row("chief complaint 501", false,
            [=](Consultation &c) { c.chief_complaint = text500 + u'a'; },
            {u"chief_complaint:too_long"_s});
        row("chief complaint with line break", false,
            [](Consultation &c) { c.chief_complaint = u"Cough\nfever"_s; },
            {u"chief_complaint:format"_s});
        row("history 20000", false, [=](Consultation &c) { c.history = text20000; }, {});
        row("history 20001", false, [=](Consultation &c) { c.history = text20000 + u'b'; },
            {u"history:too_long"_s});
        row("examination 20001", false, [=](Consultation &c) { c.examination = text20000 + u'b'; },
            {u"examination:too_long"_s});
        row("assessment 20001", false, [=](Consultation &c) { c.assessment = text20000 + u'b'; },
            {u"assessment:too_long"_s});
        row("plan 20001", false, [=](Consultation &c) { c.plan = text20000 + u'b'; },
            {u"plan:too_long"_s});
        row("follow-up instructions 20001", false,
            [=](Consultation &c) { c.follow_up_instructions = text20000 + u'b'; },
            {u"follow_up_instructions:too_long"_s});
        row("multi-line history", false,
            [](Consultation &c) { c.history = u"Line one\nLine two\n\tindented"_s; }, {});

        row("icd10 with subcode", false,
            [](Consultation &c) { c.diagnoses[1].icd10_code = u"S72.001A"_s; }, {});
        row("icd10 lower case", false,
            [](Consultation &c) { c.diagnoses[1].icd10_code = u"e11.9"_s; },
            {u"diagnoses[1].icd10_code:format"_s});
        row("icd10 trailing dot", false,
            [](Consultation &c) { c.diagnoses[0].icd10_code = u"J20."_s; },
            {u"diagnoses[0].icd10_code:format"_s});
        row("icd10 digit first", false,
            [](Consultation &c) { c.diagnoses[0].icd10_code = u"120"_s; },
            {u"diagnoses[0].icd10_code:format"_s});
        row("icd10 empty", false, [](Consultation &c) { c.diagnoses[1].icd10_code.clear(); },
            {u"diagnoses[1].icd10_code:required"_s});
        row("description 501", false,
            [](Consultation &c) { c.diagnoses[0].description = QString(501, u'd'); },
            {u"diagnoses[0].description:too_long"_s});
        row("two primaries", false, [](Consultation &c) { c.diagnoses[1].is_primary = true; },
            {u"diagnoses[1].is_primary:duplicate"_s});
        row("three primaries", false,
            [](Consultation &c) {
                c.diagnoses[1].is_primary = true;
                c.diagnoses << diagnosis("I10", true);
            },
            {u"diagnoses[1].is_primary:duplicate"_s, u"diagnoses[2].is_primary:duplicate"_s});
        row("no primary is fine", false, [](Consultation &c) { c.diagnoses[0].is_primary = false; },
            {});
        row("no diagnoses is fine", false, [](Consultation &c) { c.diagnoses.clear(); }, {});
        row("deleted second primary ignored", false,
            [](Consultation &c) {
                c.diagnoses[1].is_primary = true;
                c.diagnoses[1].meta.deleted_at = at("2026-03-02T09:10:00Z");
            },
            {});
        row("same code twice", false,
            [](Consultation &c) { c.diagnoses[1].icd10_code = u"J20.9"_s; },
            {u"diagnoses[1].icd10_code:duplicate"_s});

        row("follow-up date and days", false,
            [](Consultation &c) { c.follow_up_date = QDate(2026, 3, 9); },
            {u"follow_up_days:inconsistent"_s});
        row("follow-up date only", false,
            [](Consultation &c) {
                c.follow_up_days.reset();
                c.follow_up_date = QDate(2026, 3, 9);
            },
            {});
        row("follow-up date invalid", false,
            [](Consultation &c) {
                c.follow_up_days.reset();
                c.follow_up_date = QDate();
            },
            {u"follow_up_date:format"_s});
        row("no follow-up", false, [](Consultation &c) { c.follow_up_days.reset(); }, {});
        row("follow-up 0 days", false, [](Consultation &c) { c.follow_up_days = 0; },
            {u"follow_up_days:range"_s});
        row("follow-up 1 day", false, [](Consultation &c) { c.follow_up_days = 1; }, {});
        row("follow-up 365 days", false, [](Consultation &c) { c.follow_up_days = 365; }, {});
        row("follow-up 366 days", false, [](Consultation &c) { c.follow_up_days = 366; },
            {u"follow_up_days:range"_s});
        row("follow-up negative", false, [](Consultation &c) { c.follow_up_days = -3; },
            {u"follow_up_days:range"_s});

        row("no patient", false, [](Consultation &c) { c.patient_id = {}; },
            {u"patient_id:required"_s});
        row("no provider", false, [](Consultation &c) { c.provider_id = {}; },
            {u"provider_id:required"_s});
        row("no start", false, [](Consultation &c) { c.started_at = {}; },
            {u"started_at:required"_s});

        row("signed without time", true, [](Consultation &c) { c.signed_at.reset(); },
            {u"signed_at:required"_s});
        row("signed without signer", true, [](Consultation &c) { c.signed_by.reset(); },
            {u"signed_by:required"_s});
        row("signed before start", true,
            [](Consultation &c) { c.signed_at = at("2026-03-02T08:59:59Z"); },
            {u"signed_at:range"_s});
        row("signed at start", true,
            [](Consultation &c) { c.signed_at = at("2026-03-02T09:00:00Z"); }, {});
        row("draft with signature", false, [](Consultation &c) { c.signed_by = newId<UserId>(); },
            {u"signed_at:inconsistent"_s});
        row("amends itself", false, [](Consultation &c) { c.amends_id = c.id; },
            {u"amends_id:inconsistent"_s});
        row("amends another", false, [](Consultation &c) { c.amends_id = newId<ConsultationId>(); },
            {});
        row("everything wrong at once", false,
            [](Consultation &c) {
                c.chief_complaint.clear();
                c.diagnoses[0].icd10_code = u"bad"_s;
                c.follow_up_days = 400;
            },
            {u"chief_complaint:required"_s, u"diagnoses[0].icd10_code:format"_s,
             u"follow_up_days:range"_s});
    }
    void validate()
    {
        QFETCH(bool, isSigned);
        QFETCH(ConsultationEdit, edit);
        QFETCH(QStringList, expected);
        Consultation c = isSigned ? signedNote() : draft();
        edit(c);
        const FieldErrors errors = validateConsultation(c);
        QCOMPARE(fieldCodes(errors), expected);
        for (const FieldError &e : errors)
            QVERIFY2(!e.message.isEmpty(), qPrintable(e.field));
    }

    void edit_data()
    {
        QTest::addColumn<bool>("isSigned");
        QTest::addColumn<ConsultationEdit>("edit");
        QTest::addColumn<QStringList>("expected");

        const auto row = [](const char *name, bool isSigned, ConsultationEdit edit,
                            QStringList expected) {
            QTest::newRow(name) << isSigned << edit << expected;
        };
        const QStringList immutable{u"status:immutable"_s};

        row("signed unchanged", true, [](Consultation &) {}, {});
        row("signed bookkeeping only", true,
            [](Consultation &c) {
                c.meta.updated_at = at("2026-03-03T10:00:00Z");
                c.meta.version = 7;
                c.diagnoses[0].meta.version = 3;
            },
            {});
        row(
            "signed plan", true, [](Consultation &c) { c.plan += u" More."_s; }, immutable);
        row(
            "signed chief complaint", true, [](Consultation &c) { c.chief_complaint = u"Other"_s; },
            immutable);
        row(
            "signed diagnosis code", true,
            [](Consultation &c) { c.diagnoses[1].icd10_code = u"R06.2"_s; }, immutable);
        row(
            "signed diagnosis added", true,
            [](Consultation &c) { c.diagnoses << diagnosis("I10"); }, immutable);
        row(
            "signed diagnosis tombstoned", true,
            [](Consultation &c) { c.diagnoses[1].meta.deleted_at = at("2026-03-03T10:00:00Z"); },
            immutable);
        row(
            "signed follow-up", true, [](Consultation &c) { c.follow_up_days = 14; }, immutable);
        row(
            "signed back to draft", true,
            [](Consultation &c) {
                c.status = ConsultationStatus::Draft;
                c.signed_at.reset();
                c.signed_by.reset();
            },
            immutable);
        row(
            "signed re-signed", true,
            [](Consultation &c) { c.signed_at = at("2026-03-04T10:00:00Z"); }, immutable);
        row(
            "signed deleted", true,
            [](Consultation &c) { c.meta.deleted_at = at("2026-03-04T10:00:00Z"); }, immutable);

        row("draft plan", false, [](Consultation &c) { c.plan = u"Changed"_s; }, {});
        row("draft diagnoses", false, [](Consultation &c) { c.diagnoses.clear(); }, {});
        row("draft signed", false,
            [](Consultation &c) {
                c.status = ConsultationStatus::Signed;
                c.signed_at = at("2026-03-02T10:00:00Z");
                c.signed_by = newId<UserId>();
            },
            {});
        row("draft deleted", false,
            [](Consultation &c) { c.meta.deleted_at = at("2026-03-04T10:00:00Z"); }, {});
        row("draft other patient", false,
            [](Consultation &c) { c.patient_id = newId<PatientId>(); },
            {u"patient_id:immutable"_s});
        row("draft other clinic", false, [](Consultation &c) { c.clinic_id = newId<ClinicId>(); },
            {u"clinic_id:immutable"_s});
        row("draft other id", false, [](Consultation &c) { c.id = newId<ConsultationId>(); },
            {u"id:immutable"_s});
        row("draft amends other", false,
            [](Consultation &c) { c.amends_id = newId<ConsultationId>(); },
            {u"amends_id:immutable"_s});
    }
    void edit()
    {
        QFETCH(bool, isSigned);
        QFETCH(ConsultationEdit, edit);
        QFETCH(QStringList, expected);
        const Consultation before = isSigned ? signedNote() : draft();
        Consultation after = before;
        edit(after);
        const FieldErrors errors = checkConsultationEdit(before, after);
        QCOMPARE(fieldCodes(errors), expected);
        if (isSigned && !errors.isEmpty())
            QVERIFY2(errors.first().message.contains(u"addendum"_s),
                     qPrintable(errors.first().message));
    }

    void signedEditNamesTheChangedFields()
    {
        const Consultation before = signedNote();
        Consultation after = before;
        after.plan = u"Changed"_s;
        after.follow_up_days = 3;
        QCOMPARE(changedConsultationFields(before, after),
                 (QStringList{u"plan"_s, u"follow_up_days"_s}));
        const FieldErrors errors = checkConsultationEdit(before, after);
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors.first().message.contains(u"plan, follow_up_days"_s));
    }

    void addendumOfSignedNote()
    {
        const Consultation note = signedNote();
        const ProviderId author = newId<ProviderId>();
        const QDateTime now = at("2026-03-05T12:00:00Z");
        const Result<Consultation> made = makeAddendum(note, author, now);
        QVERIFY(made.ok());
        const Consultation &a = made.value();
        QVERIFY(!a.id.isNull());
        QVERIFY(a.id != note.id);
        QCOMPARE(a.amends_id, std::optional<ConsultationId>(note.id));
        QVERIFY(a.isAddendum());
        QCOMPARE(a.status, ConsultationStatus::Draft);
        QVERIFY(!a.signed_at && !a.signed_by);
        QCOMPARE(a.clinic_id, note.clinic_id);
        QCOMPARE(a.patient_id, note.patient_id);
        QCOMPARE(a.provider_id, author);
        QCOMPARE(a.started_at, now);
        QCOMPARE(a.chief_complaint, note.chief_complaint);
        QCOMPARE(a.plan, note.plan);
        QCOMPARE(a.diagnoses.size(), note.diagnoses.size());
        for (qsizetype i = 0; i < a.diagnoses.size(); ++i) {
            QVERIFY(a.diagnoses.at(i).id != note.diagnoses.at(i).id);
            QCOMPARE(a.diagnoses.at(i).icd10_code, note.diagnoses.at(i).icd10_code);
            QCOMPARE(a.diagnoses.at(i).is_primary, note.diagnoses.at(i).is_primary);
        }
        QCOMPARE(fieldCodes(validateConsultation(a)), QStringList());
        QCOMPARE(fieldCodes(checkAddendumTarget(a, note)), QStringList());
    }

    void addendumSkipsDeletedDiagnoses()
    {
        Consultation note = signedNote();
        note.diagnoses[1].meta.deleted_at = at("2026-03-02T09:20:00Z");
        const Result<Consultation> made =
            makeAddendum(note, note.provider_id, at("2026-03-05T12:00:00Z"));
        QVERIFY(made.ok());
        QCOMPARE(made->diagnoses.size(), 1);
    }

    void addendumOfDraftRefused()
    {
        const Result<Consultation> made =
            makeAddendum(draft(), newId<ProviderId>(), at("2026-03-05T12:00:00Z"));
        QVERIFY(!made.ok());
        QCOMPARE(made.error().code, ErrorCode::Invalid);
        QCOMPARE(fieldCodes(made.error().fields), QStringList{u"amends_id:transition"_s});
    }

    void addendumOfDeletedNoteRefused()
    {
        Consultation note = signedNote();
        note.meta.deleted_at = at("2026-03-04T10:00:00Z");
        const Result<Consultation> made =
            makeAddendum(note, newId<ProviderId>(), at("2026-03-05T12:00:00Z"));
        QVERIFY(!made.ok());
        QCOMPARE(fieldCodes(made.error().fields), QStringList{u"amends_id:unknown"_s});
    }

    void addendumTarget_data()
    {
        QTest::addColumn<ConsultationEdit>("editTarget");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("signed target") << ConsultationEdit([](Consultation &) {}) << QStringList();
        QTest::newRow("draft target") << ConsultationEdit([](Consultation &t) {
            t.status = ConsultationStatus::Draft;
            t.signed_at.reset();
            t.signed_by.reset();
        }) << QStringList{u"amends_id:transition"_s};
        QTest::newRow("deleted target") << ConsultationEdit([](Consultation &t) {
            t.meta.deleted_at = at("2026-03-04T10:00:00Z");
        }) << QStringList{u"amends_id:unknown"_s};
        QTest::newRow("other patient")
            << ConsultationEdit([](Consultation &t) { t.patient_id = newId<PatientId>(); })
            << QStringList{u"amends_id:inconsistent"_s};
        QTest::newRow("other note")
            << ConsultationEdit([](Consultation &t) { t.id = newId<ConsultationId>(); })
            << QStringList{u"amends_id:inconsistent"_s};
    }
    void addendumTarget()
    {
        QFETCH(ConsultationEdit, editTarget);
        QFETCH(QStringList, expected);
        Consultation target = signedNote();
        Consultation addendum = draft();
        addendum.clinic_id = target.clinic_id;
        addendum.patient_id = target.patient_id;
        addendum.amends_id = target.id;
        editTarget(target);
        QCOMPARE(fieldCodes(checkAddendumTarget(addendum, target)), expected);
    }

    void followUpDue()
    {
        Consultation c = draft();
        QCOMPARE(c.followUpDue(), std::optional<QDate>(QDate(2026, 3, 9)));
        c.follow_up_days.reset();
        QCOMPARE(c.followUpDue(), std::optional<QDate>());
        c.follow_up_date = QDate(2026, 4, 1);
        QCOMPARE(c.followUpDue(), std::optional<QDate>(QDate(2026, 4, 1)));
    }

    void primaryDiagnosis()
    {
        Consultation c = draft();
        QVERIFY(c.primaryDiagnosis());
        QCOMPARE(c.primaryDiagnosis()->icd10_code, u"J20.9"_s);
        c.diagnoses[0].meta.deleted_at = at("2026-03-02T09:10:00Z");
        QVERIFY(!c.primaryDiagnosis());
    }

    void statusNames()
    {
        QCOMPARE(enumNames<ConsultationStatus>(), (QStringList{u"draft"_s, u"signed"_s}));
    }
};

QTEST_GUILESS_MAIN(TestConsultationValidator)
#include "tst_consultationvalidator.moc"
