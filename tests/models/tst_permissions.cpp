#include "appointmentstore.h"
#include "chartstore.h"
#include "clinicstore.h"
#include "clock.h"
#include "consultationstore.h"
#include "consultationvalidator.h"
#include "patientstore.h"
#include "prescriptionstore.h"
#include "providerstore.h"
#include "testsupport.h"
#include "transaction.h"
#include "userstore.h"
#include "vitalsstore.h"

#include <QHash>
#include <QMap>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QTimeZone>

#include <functional>
#include <map>
#include <optional>
#include <vector>

using namespace tmdash;

// The role x operation matrix of DESIGN.md "Security" (issue 5, section 2), through the stores:
// every allowed call succeeds, every refused call is NotPermitted and writes nothing, and records
// outside the caller's scope (another clinic's for everyone; another patient's and draft notes
// for the patient role) are NotFound and never listed.
//
// The expected outcomes are written out here, not derived from roleMay(), so that a change of
// the matrix in permissions.cpp shows up as a failing row.

namespace {

const QStringList kRoles = {QStringLiteral("admin"), QStringLiteral("provider"),
                            QStringLiteral("staff"), QStringLiteral("patient")};
enum RoleIndex { AsAdmin, AsProvider, AsStaff, AsPatient };

// Monday 2 March 2026 (EST, UTC-5), when the fixture's appointments take place.
const QDate kMonday(2026, 3, 2);

QDateTime local(QDate day, int hour, int minute = 0)
{
    return QDateTime(day, QTime(hour, minute), QTimeZone("America/New_York")).toUTC();
}

QString describe(const Error &error)
{
    QStringList parts{error.message};
    for (const FieldError &e : error.fields)
        parts << e.field + QLatin1Char('/') + e.code + QStringLiteral(": ") + e.message;
    return parts.join(QStringLiteral("; "));
}

template <class T> T must(Result<T> r, const char *what)
{
    if (!r)
        qFatal("fixture: %s failed: %s", what, qPrintable(describe(r.error())));
    return std::move(r).value();
}

// One clinic with a user of every role (and a staff colleague to act on), a provider seeing
// patients Monday to Friday 09:00-17:00, three patients and their records:
// - own: the patient user's record, with a condition; a scheduled, a checked-in and an
//   in-progress appointment, vitals, a draft and a signed note, an active and an on-hold
//   prescription;
// - other: another patient with a condition, an appointment, vitals, a signed note and a
//   prescription;
// - plain: a patient without any problem list or records.
struct Side
{
    QString domain;
    ClinicId clinic;
    test::TestUser admin, provider, staff, patient, colleague;
    ProviderId providerId;
    PatientId own, other, plain;
    AppointmentId scheduled, checkedIn, inProgress, otherVisit;
    VitalsId vitals, otherVitals;
    ConsultationId draft, signedNote, otherNote;
    PrescriptionId active, onHold, otherRx;

    QString email(const QString &who) const { return who + QLatin1Char('@') + domain; }

    // Every record id of this side, for the scope checks.
    QStringList allIds() const
    {
        return {clinic.value,     admin.id.value,     provider.id.value, staff.id.value,
                patient.id.value, colleague.id.value, providerId.value,  own.value,
                other.value,      plain.value,        scheduled.value,   checkedIn.value,
                inProgress.value, otherVisit.value,   vitals.value,      otherVitals.value,
                draft.value,      signedNote.value,   otherNote.value,   active.value,
                onHold.value,     otherRx.value};
    }
};

Patient patientNamed(const ClinicId &clinic, const QString &given)
{
    Patient p;
    p.clinic_id = clinic;
    p.given_name = given;
    p.family_name = QStringLiteral("Harper");
    p.birth_date = QDate(1980, 5, 5);
    p.sex = Sex::Female;
    p.phone = QStringLiteral("+12025550143");
    return p;
}

PatientCondition condition(const char *code, const char *description)
{
    PatientCondition c;
    c.icd10_code = QString::fromLatin1(code);
    c.description = QString::fromLatin1(description);
    c.onset_date = QDate(2020, 1, 1);
    c.status = ConditionStatus::Active;
    return c;
}

Provider providerFor(const ClinicId &clinic, const UserId &user, const QString &npi)
{
    Provider p;
    p.clinic_id = clinic;
    p.user_id = user;
    p.npi = npi;
    p.license_number = QStringLiteral("MD-123456");
    p.license_region = QStringLiteral("NY");
    p.license_expires = todayUtc().addYears(1);
    p.specialty = QStringLiteral("Family Medicine");
    p.credentials = QStringLiteral("MD");
    p.default_slot_minutes = 30;
    for (int weekday = 1; weekday <= 5; ++weekday) {
        ProviderAvailability w;
        w.weekday = weekday;
        w.start_time = QTime(9, 0);
        w.end_time = QTime(17, 0);
        p.availability << w;
    }
    return p;
}

Appointment booking(const Side &s, const PatientId &patient, const QDateTime &start)
{
    Appointment a;
    a.clinic_id = s.clinic;
    a.patient_id = patient;
    a.provider_id = s.providerId;
    a.start_at = start;
    a.duration_minutes = 30;
    a.type = AppointmentType::FollowUp;
    a.reason = QStringLiteral("Check-up");
    return a;
}

Vitals reading(const Side &s, const PatientId &patient)
{
    Vitals v;
    v.clinic_id = s.clinic;
    v.patient_id = patient;
    v.recorded_at = nowUtc().addSecs(-3600);
    v.systolic_mmhg = 122;
    v.diastolic_mmhg = 78;
    v.heart_rate_bpm = 72;
    v.temperature_c = 36.8;
    return v;
}

Consultation note(const Side &s, const PatientId &patient)
{
    Consultation c;
    c.clinic_id = s.clinic;
    c.patient_id = patient;
    c.provider_id = s.providerId;
    c.started_at = nowUtc().addSecs(-1800);
    c.chief_complaint = QStringLiteral("Cough for two weeks");
    c.assessment = QStringLiteral("Likely post-viral cough.");
    c.plan = QStringLiteral("Fluids; return if worse.");
    c.diagnoses << ConsultationDiagnosis{
        RowId(), QStringLiteral("R05.9"), QStringLiteral("Cough, unspecified"), true, {}};
    return c;
}

Prescription rx(const Side &s, const PatientId &patient, const char *code, double dose,
                Frequency frequency)
{
    Prescription p;
    p.clinic_id = s.clinic;
    p.patient_id = patient;
    p.provider_id = s.providerId;
    p.medication_code = QString::fromLatin1(code);
    p.strength = QStringLiteral("%1 mg").arg(dose);
    p.form = QStringLiteral("tablet");
    p.dose_amount = dose;
    p.dose_unit = QStringLiteral("mg");
    p.route = QStringLiteral("oral");
    p.frequency = frequency;
    p.duration_days = 10;
    p.start_date = todayUtc();
    return p;
}

const char *const kAcetaminophen = "161";
const char *const kAmoxicillin = "723";
const char *const kSimvastatin = "36567";

Side buildSide(const Database &db, const QString &name, const QString &domain, const QString &npi)
{
    Side s;
    s.domain = domain;
    s.clinic = test::insertClinic(db, name);
    s.admin = test::insertUser(db, s.clinic, Role::Admin, s.email(QStringLiteral("admin")));
    s.provider =
        test::insertUser(db, s.clinic, Role::Provider, s.email(QStringLiteral("provider")));
    s.staff = test::insertUser(db, s.clinic, Role::Staff, s.email(QStringLiteral("staff")));
    s.colleague = test::insertUser(db, s.clinic, Role::Staff, s.email(QStringLiteral("colleague")));
    s.own = newId<PatientId>();
    s.patient =
        test::insertUser(db, s.clinic, Role::Patient, s.email(QStringLiteral("patient")), s.own);

    const Principal owner = Principal::owner();
    s.providerId =
        must(ProviderStore(db, owner).create(providerFor(s.clinic, s.provider.id, npi)), "provider")
            .id;

    const PatientStore patients(db, owner);
    Patient own = patientNamed(s.clinic, QStringLiteral("Olive"));
    own.id = s.own;
    own.user_id = s.patient.id;
    own.conditions << condition("I10", "Essential (primary) hypertension");
    must(patients.create(own), "own patient");
    Patient other = patientNamed(s.clinic, QStringLiteral("Iris"));
    other.conditions << condition("E11.9", "Type 2 diabetes mellitus without complications");
    s.other = must(patients.create(other), "other patient").id;
    s.plain = must(patients.create(patientNamed(s.clinic, QStringLiteral("Ruth"))), "plain").id;

    const AppointmentStore desk(db, s.staff.principal);
    s.scheduled = must(desk.create(booking(s, s.own, local(kMonday, 9))), "scheduled").id;
    s.checkedIn = must(desk.create(booking(s, s.own, local(kMonday, 10))), "checked in").id;
    must(desk.checkIn(s.checkedIn), "check in");
    s.inProgress = must(desk.create(booking(s, s.own, local(kMonday, 11))), "in progress").id;
    must(desk.checkIn(s.inProgress), "check in");
    must(desk.start(s.inProgress), "start");
    s.otherVisit = must(desk.create(booking(s, s.other, local(kMonday, 13))), "other visit").id;

    const VitalsStore vitals(db, s.staff.principal);
    s.vitals = must(vitals.create(reading(s, s.own)), "vitals").id;
    s.otherVitals = must(vitals.create(reading(s, s.other)), "other vitals").id;

    const ConsultationStore notes(db, s.provider.principal);
    s.draft = must(notes.create(note(s, s.own)), "draft").id;
    s.signedNote = must(notes.create(note(s, s.own)), "signed note").id;
    must(notes.sign(s.signedNote), "sign");
    s.otherNote = must(notes.create(note(s, s.other)), "other note").id;
    must(notes.sign(s.otherNote), "sign other");

    const PrescriptionStore prescriptions(db, s.provider.principal);
    s.active =
        must(prescriptions.create(rx(s, s.own, kAcetaminophen, 500, Frequency::Qid)), "active").id;
    s.onHold =
        must(prescriptions.create(rx(s, s.own, kAmoxicillin, 500, Frequency::Tid)), "on hold").id;
    must(prescriptions.hold(s.onHold), "hold");
    s.otherRx =
        must(prescriptions.create(rx(s, s.other, kAcetaminophen, 500, Frequency::Qid)), "other rx")
            .id;
    return s;
}

// Both clinics in one database, and what each role must never see.
struct World
{
    Database db;
    Side home;
    Side away;
    QString countSql;
    QMap<QString, qint64> baseline;

    Principal principal(int role) const
    {
        switch (role) {
        case AsAdmin:
            return home.admin.principal;
        case AsProvider:
            return home.provider.principal;
        case AsStaff:
            return home.staff.principal;
        default:
            return home.patient.principal;
        }
    }

    // Out of scope: the other clinic for everyone; for the patient role also every record of
    // another patient, draft notes, and every account and provider but their own account.
    QSet<QString> hidden(int role) const
    {
        QStringList ids = away.allIds();
        if (role == AsPatient)
            ids << home.other.value << home.plain.value << home.otherVisit.value
                << home.otherVitals.value << home.otherNote.value << home.otherRx.value
                << home.draft.value << home.admin.id.value << home.provider.id.value
                << home.staff.id.value << home.colleague.id.value << home.providerId.value;
        return QSet<QString>(ids.cbegin(), ids.cend());
    }
};

// Rows of every table (the outbox, login bookkeeping and the search index included; the audit
// log left out: reads and refusals may be audited).
QMap<QString, qint64> countRows(const World &w)
{
    QSqlQuery q(w.db.connection());
    if (!q.exec(w.countSql))
        qFatal("counting rows failed: %s", qPrintable(q.lastError().text()));
    QMap<QString, qint64> out;
    while (q.next())
        out.insert(q.value(0).toString(), q.value(1).toLongLong());
    return out;
}

QString countQuery(const Database &db)
{
    QSqlQuery q(db.connection());
    const QString tables =
        db.isSqlite() ? QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                       "name NOT LIKE 'sqlite_%' ORDER BY name")
                      : QStringLiteral("SELECT tablename FROM pg_tables WHERE schemaname = "
                                       "current_schema() ORDER BY tablename");
    if (!q.exec(tables))
        qFatal("listing tables failed: %s", qPrintable(q.lastError().text()));
    QStringList parts;
    while (q.next()) {
        const QString name = q.value(0).toString();
        if (name == QLatin1String("audit_log"))
            continue;
        parts << QStringLiteral("SELECT CAST('%1' AS TEXT), count(*) FROM \"%1\"").arg(name);
    }
    if (!parts.contains(
            QStringLiteral("SELECT CAST('outbox' AS TEXT), count(*) FROM \"outbox\"")) &&
        db.isSqlite())
        qFatal("the desktop database has no outbox table");
    return parts.join(QStringLiteral(" UNION ALL "));
}

// What an operation returned: its status and the ids of the records it handed out.
struct Outcome
{
    Status status;
    QStringList seen;
};

template <class T> Outcome one(const Result<T> &r)
{
    if (!r)
        return {r.error(), {}};
    return {{}, {r->id.value}};
}

template <class T> Outcome many(const Result<QList<T>> &r)
{
    if (!r)
        return {r.error(), {}};
    QStringList ids;
    for (const T &x : *r)
        ids << x.id.value;
    return {{}, ids};
}

// The tables whose row counts differ, for a failure message.
QString countDiff(const QMap<QString, qint64> &before, const QMap<QString, qint64> &after)
{
    QStringList out;
    for (auto it = after.cbegin(); it != after.cend(); ++it)
        if (before.value(it.key(), -1) != it.value())
            out << QStringLiteral("%1: %2 -> %3")
                       .arg(it.key())
                       .arg(before.value(it.key(), -1))
                       .arg(it.value());
    for (auto it = before.cbegin(); it != before.cend(); ++it)
        if (!after.contains(it.key()))
            out << it.key() + QStringLiteral(" gone");
    return out.join(QStringLiteral(", "));
}

Outcome done(const Status &s)
{
    return {s, {}};
}

template <class T> QStringList idsOf(const QList<T> &list)
{
    QStringList ids;
    for (const T &x : list)
        ids << x.id.value;
    return ids;
}

Outcome prescriptionsOutcome(const Result<PatientPrescriptions> &r)
{
    if (!r)
        return {r.error(), {}};
    return {{}, idsOf(r->active) + idsOf(r->past)};
}

Outcome chartOutcome(const Result<PatientChart> &r)
{
    if (!r)
        return {r.error(), {}};
    return {{},
            QStringList{r->patient.id.value} + idsOf(r->vitals) + idsOf(r->consultations) +
                idsOf(r->active_prescriptions) + idsOf(r->past_prescriptions) +
                idsOf(r->appointments)};
}

using Run = std::function<Outcome(const World &, const Principal &)>;
using Ids = std::function<QStringList(const World &)>;

struct Op
{
    const char *name;
    // The outcome for admin, provider, staff and patient: 'o' succeeds, 'r' NotPermitted,
    // 'a' NotFound (absent: out of scope).
    const char *expect;
    bool writes; // run inside a transaction that is rolled back, so the next row starts afresh
    Run run;
    Ids mustSee = {}; // ids an allowed call returns (when the role may see them)
};

// Stored records, read as the owner, for callers that edit them.
Patient ownerPatient(const World &w, const PatientId &id)
{
    return must(PatientStore(w.db, Principal::owner()).get(id), "owner read");
}

const std::vector<Op> &ops()
{
    static const std::vector<Op> all = {
        // Clinic settings.
        {"clinic/get", "oooo", false,
         [](auto &w, auto &p) { return one(ClinicStore(w.db, p).get(w.home.clinic)); },
         [](auto &w) { return QStringList{w.home.clinic.value}; }},
        {"clinic/get_other_clinic", "aaaa", false,
         [](auto &w, auto &p) { return one(ClinicStore(w.db, p).get(w.away.clinic)); }},
        {"clinic/list", "oooo", false,
         [](auto &w, auto &p) { return many(ClinicStore(w.db, p).list()); },
         [](auto &w) { return QStringList{w.home.clinic.value}; }},
        {"clinic/update", "orrr", true,
         [](auto &w, auto &p) {
             Clinic c = must(ClinicStore(w.db, Principal::owner()).get(w.home.clinic), "clinic");
             c.name = QStringLiteral("Renamed Clinic");
             return one(ClinicStore(w.db, p).update(c));
         }},
        {"clinic/update_other_clinic", "arrr", true,
         [](auto &w, auto &p) {
             Clinic c = must(ClinicStore(w.db, Principal::owner()).get(w.away.clinic), "clinic");
             c.name = QStringLiteral("Taken Over");
             return one(ClinicStore(w.db, p).update(c));
         }},
        {"clinic/create", "rrrr", true,
         [](auto &w, auto &p) {
             Clinic c;
             c.name = QStringLiteral("Third Clinic");
             c.timezone = QStringLiteral("America/New_York");
             return one(ClinicStore(w.db, p).create(c));
         }},

        // User accounts: every role reads its own and changes its own password.
        {"user/create", "orrr", true,
         [](auto &w, auto &p) {
             User u;
             u.email = w.home.email(QStringLiteral("new.nurse"));
             u.given_name = QStringLiteral("Nia");
             u.family_name = QStringLiteral("Nurse");
             u.role = Role::Staff;
             u.status = UserStatus::Active;
             return one(UserStore(w.db, p).create(u, QString::fromLatin1(test::kTestPassword)));
         }},
        {"user/get_self", "oooo", false,
         [](auto &w, auto &p) { return one(UserStore(w.db, p).get(p.user_id)); }},
        {"user/get_other", "orrr", false,
         [](auto &w, auto &p) {
             return one(UserStore(w.db, p).get(w.home.colleague.id));
         },
         [](auto &w) { return QStringList{w.home.colleague.id.value}; }},
        {"user/get_other_clinic", "arrr", false,
         [](auto &w, auto &p) {
             return one(UserStore(w.db, p).get(w.away.colleague.id));
         }},
        {"user/list", "orrr", false,
         [](auto &w, auto &p) { return many(UserStore(w.db, p).list()); },
         [](auto &w) {
             return QStringList{w.home.admin.id.value, w.home.colleague.id.value,
                                w.home.patient.id.value};
         }},
        {"user/find_self", "oooo", false,
         [](auto &w, auto &p) {
             auto self = must(UserStore(w.db, Principal::owner()).get(p.user_id), "self");
             return one(UserStore(w.db, p).findByEmail(self.email.toUpper()));
         }},
        {"user/find_other", "orrr", false,
         [](auto &w, auto &p) {
             return one(UserStore(w.db, p).findByEmail(w.home.email(QStringLiteral("colleague"))));
         },
         [](auto &w) { return QStringList{w.home.colleague.id.value}; }},
        {"user/find_other_clinic", "arrr", false,
         [](auto &w, auto &p) {
             return one(UserStore(w.db, p).findByEmail(w.away.email(QStringLiteral("colleague")),
                                                       w.away.clinic));
         }},
        {"user/update", "orrr", true,
         [](auto &w, auto &p) {
             User u = must(UserStore(w.db, Principal::owner()).get(w.home.colleague.id), "user");
             u.given_name = QStringLiteral("Renamed");
             return one(UserStore(w.db, p).update(u));
         }},
        {"user/update_other_clinic", "arrr", true,
         [](auto &w, auto &p) {
             User u = must(UserStore(w.db, Principal::owner()).get(w.away.colleague.id), "user");
             u.given_name = QStringLiteral("Renamed");
             return one(UserStore(w.db, p).update(u));
         }},
        {"user/disable", "orrr", true,
         [](auto &w, auto &p) {
             return one(UserStore(w.db, p).disable(w.home.colleague.id));
         }},
        {"user/password_self", "oooo", true,
         [](auto &w, auto &p) {
             return done(UserStore(w.db, p).setPassword(p.user_id,
                                                        QStringLiteral("amber-quarry-sonnet-77")));
         }},
        {"user/password_other", "orrr", true,
         [](auto &w, auto &p) {
             return done(UserStore(w.db, p).setPassword(w.home.colleague.id,
                                                        QStringLiteral("amber-quarry-sonnet-77")));
         }},

        // Providers.
        {"provider/create", "orrr", true,
         [](auto &w, auto &p) {
             return one(ProviderStore(w.db, p).create(
                 providerFor(w.home.clinic, w.home.colleague.id, QStringLiteral("1679576722"))));
         }},
        {"provider/get", "ooor", false,
         [](auto &w, auto &p) {
             return one(ProviderStore(w.db, p).get(w.home.providerId));
         }},
        {"provider/get_other_clinic", "aaar", false,
         [](auto &w, auto &p) {
             return one(ProviderStore(w.db, p).get(w.away.providerId));
         }},
        {"provider/list", "ooor", false,
         [](auto &w, auto &p) { return many(ProviderStore(w.db, p).list()); },
         [](auto &w) { return QStringList{w.home.providerId.value}; }},
        {"provider/update", "orrr", true,
         [](auto &w, auto &p) {
             Provider v = must(ProviderStore(w.db, Principal::owner()).get(w.home.providerId), "p");
             v.specialty = QStringLiteral("Internal Medicine");
             return one(ProviderStore(w.db, p).update(v));
         }},
        {"provider/update_other_clinic", "arrr", true,
         [](auto &w, auto &p) {
             Provider v = must(ProviderStore(w.db, Principal::owner()).get(w.away.providerId), "p");
             v.specialty = QStringLiteral("Internal Medicine");
             return one(ProviderStore(w.db, p).update(v));
         }},
        {"provider/delete", "orrr", true,
         [](auto &w, auto &p) {
             return done(ProviderStore(w.db, p).remove(w.home.providerId));
         }},

        // Patients: staff write everything but the problem list.
        {"patient/create", "roor", true,
         [](auto &w, auto &p) {
             return one(PatientStore(w.db, p).create(patientNamed({}, QStringLiteral("Nell"))));
         }},
        {"patient/create_with_conditions", "rorr", true,
         [](auto &w, auto &p) {
             Patient n = patientNamed({}, QStringLiteral("Nell"));
             n.conditions << condition("J45.909", "Unspecified asthma, uncomplicated");
             return one(PatientStore(w.db, p).create(n));
         }},
        {"patient/get_own", "oooo", false,
         [](auto &w, auto &p) { return one(PatientStore(w.db, p).get(w.home.own)); }},
        {"patient/get_other", "oooa", false,
         [](auto &w, auto &p) { return one(PatientStore(w.db, p).get(w.home.other)); }},
        {"patient/get_other_clinic", "aaaa", false,
         [](auto &w, auto &p) { return one(PatientStore(w.db, p).get(w.away.own)); }},
        {"patient/list", "oooo", false,
         [](auto &w, auto &p) { return many(PatientStore(w.db, p).list()); },
         [](auto &w) {
             return QStringList{w.home.own.value, w.home.other.value, w.home.plain.value};
         }},
        {"patient/search", "oooo", false,
         [](auto &w, auto &p) {
             return many(PatientStore(w.db, p).search(QStringLiteral("harp")));
         },
         [](auto &w) {
             return QStringList{w.home.own.value, w.home.other.value, w.home.plain.value};
         }},
        {"patient/duplicates", "oooo", false,
         [](auto &w, auto &p) {
             Patient candidate = patientNamed({}, QStringLiteral("Olive"));
             candidate.id = newId<PatientId>();
             return many(PatientStore(w.db, p).possibleDuplicates(candidate));
         },
         [](auto &w) {
             return QStringList{w.home.own.value, w.home.other.value, w.home.plain.value};
         }},
        {"patient/update", "roor", true,
         [](auto &w, auto &p) {
             Patient e = ownerPatient(w, w.home.own);
             e.city = QStringLiteral("Springfield");
             PatientAllergy latex;
             latex.substance = QStringLiteral("Latex");
             latex.category = AllergyCategory::Environment;
             e.allergies << latex;
             return one(PatientStore(w.db, p).update(e));
         }},
        {"patient/update_conditions", "rorr", true,
         [](auto &w, auto &p) {
             // Together with a change staff may make: the whole update is refused.
             Patient e = ownerPatient(w, w.home.own);
             e.city = QStringLiteral("Springfield");
             e.conditions << condition("J45.909", "Unspecified asthma, uncomplicated");
             return one(PatientStore(w.db, p).update(e));
         }},
        {"patient/resolve_condition", "rorr", true,
         [](auto &w, auto &p) {
             Patient e = ownerPatient(w, w.home.own);
             e.conditions.first().status = ConditionStatus::Resolved;
             return one(PatientStore(w.db, p).update(e));
         }},
        {"patient/remove_condition", "rorr", true,
         [](auto &w, auto &p) {
             Patient e = ownerPatient(w, w.home.own);
             e.conditions.clear();
             return one(PatientStore(w.db, p).update(e));
         }},
        {"patient/update_other_clinic", "raar", true,
         [](auto &w, auto &p) {
             Patient e = ownerPatient(w, w.away.plain);
             e.city = QStringLiteral("Springfield");
             return one(PatientStore(w.db, p).update(e));
         }},
        {"patient/delete", "roor", true,
         [](auto &w, auto &p) { return done(PatientStore(w.db, p).remove(w.home.plain)); }},
        {"patient/delete_with_conditions", "rorr", true,
         [](auto &w, auto &p) { return done(PatientStore(w.db, p).remove(w.home.other)); }},
        {"patient/delete_other_clinic", "raar", true,
         [](auto &w, auto &p) { return done(PatientStore(w.db, p).remove(w.away.plain)); }},

        // Appointments: the booking and every state change.
        {"appointment/book", "roor", true,
         [](auto &w, auto &p) {
             Appointment a = booking(w.home, w.home.own, local(kMonday.addDays(1), 9));
             a.clinic_id = {};
             return one(AppointmentStore(w.db, p).create(a));
         }},
        {"appointment/get_own", "oooo", false,
         [](auto &w, auto &p) {
             return one(AppointmentStore(w.db, p).get(w.home.scheduled));
         }},
        {"appointment/get_other", "oooa", false,
         [](auto &w, auto &p) {
             return one(AppointmentStore(w.db, p).get(w.home.otherVisit));
         }},
        {"appointment/get_other_clinic", "aaaa", false,
         [](auto &w, auto &p) {
             return one(AppointmentStore(w.db, p).get(w.away.scheduled));
         }},
        {"appointment/update", "roor", true,
         [](auto &w, auto &p) {
             const AppointmentStore owners(w.db, Principal::owner());
             Appointment a = must(owners.get(w.home.scheduled), "appointment");
             a.reason = QStringLiteral("Blood pressure review");
             return one(AppointmentStore(w.db, p).update(a));
         }},
        {"appointment/reschedule", "roor", true,
         [](auto &w, auto &p) {
             const AppointmentStore store(w.db, p);
             return one(store.reschedule(w.home.scheduled, local(kMonday, 14), 30));
         }},
        {"appointment/confirm", "roor", true,
         [](auto &w, auto &p) { return one(AppointmentStore(w.db, p).confirm(w.home.scheduled)); }},
        {"appointment/check_in", "roor", true,
         [](auto &w, auto &p) { return one(AppointmentStore(w.db, p).checkIn(w.home.scheduled)); }},
        {"appointment/start", "roor", true,
         [](auto &w, auto &p) { return one(AppointmentStore(w.db, p).start(w.home.checkedIn)); }},
        {"appointment/complete", "roor", true,
         [](auto &w, auto &p) {
             const AppointmentStore store(w.db, p);
             return one(store.complete(w.home.inProgress));
         }},
        {"appointment/no_show", "roor", true,
         [](auto &w, auto &p) { return one(AppointmentStore(w.db, p).noShow(w.home.scheduled)); }},
        {"appointment/cancel", "roor", true,
         [](auto &w, auto &p) {
             return one(AppointmentStore(w.db, p).cancel(w.home.scheduled, QStringLiteral("Snow")));
         }},
        {"appointment/enter_in_error", "roor", true,
         [](auto &w, auto &p) {
             return one(AppointmentStore(w.db, p).enterInError(w.home.scheduled));
         }},
        {"appointment/cancel_other_clinic", "raar", true,
         [](auto &w, auto &p) {
             return one(AppointmentStore(w.db, p).cancel(w.away.scheduled, QStringLiteral("Snow")));
         }},
        {"appointment/provider_day", "oooo", false,
         [](auto &w, auto &p) {
             return many(AppointmentStore(w.db, p).forProviderDay(w.home.providerId, kMonday));
         },
         [](auto &w) {
             return QStringList{w.home.scheduled.value, w.home.checkedIn.value,
                                w.home.inProgress.value, w.home.otherVisit.value};
         }},
        {"appointment/provider_week", "oooo", false,
         [](auto &w, auto &p) {
             const AppointmentStore store(w.db, p);
             return many(store.forProviderWeek(w.home.providerId, kMonday.addDays(3)));
         },
         [](auto &w) {
             return QStringList{w.home.scheduled.value, w.home.otherVisit.value};
         }},
        {"appointment/provider_day_other_clinic", "aaaa", false,
         [](auto &w, auto &p) {
             return many(AppointmentStore(w.db, p).forProviderDay(w.away.providerId, kMonday));
         }},
        {"appointment/clinic_day", "oooo", false,
         [](auto &w, auto &p) {
             return many(AppointmentStore(w.db, p).forClinicDay(kMonday));
         },
         [](auto &w) {
             return QStringList{w.home.scheduled.value, w.home.otherVisit.value};
         }},
        {"appointment/clinic_day_other_clinic", "aaaa", false,
         [](auto &w, auto &p) {
             return many(AppointmentStore(w.db, p).forClinicDay(kMonday, w.away.clinic));
         }},
        {"appointment/for_patient_own", "oooo", false,
         [](auto &w, auto &p) {
             return many(AppointmentStore(w.db, p).forPatient(w.home.own));
         },
         [](auto &w) { return QStringList{w.home.scheduled.value}; }},
        {"appointment/for_patient_other", "oooa", false,
         [](auto &w, auto &p) {
             return many(AppointmentStore(w.db, p).forPatient(w.home.other));
         },
         [](auto &w) { return QStringList{w.home.otherVisit.value}; }},
        {"appointment/for_patient_other_clinic", "aaaa", false,
         [](auto &w, auto &p) {
             return many(AppointmentStore(w.db, p).forPatient(w.away.own));
         }},
        {"appointment/free_slots", "oooo", false,
         [](auto &w, auto &p) {
             auto slots = AppointmentStore(w.db, p).freeSlots(w.home.providerId, kMonday);
             if (!slots)
                 return done(slots.error());
             // 09:00-17:00 in 30-minute slots, less the four booked: the same for every role.
             if (slots->size() != 12 || slots->contains(local(kMonday, 13)))
                 return done(Error::storage(QStringLiteral("unexpected free slots")));
             return done({});
         }},

        // Vitals.
        {"vitals/record", "roor", true,
         [](auto &w, auto &p) {
             Vitals v = reading(w.home, w.home.own);
             v.clinic_id = {};
             return one(VitalsStore(w.db, p).create(v));
         }},
        {"vitals/get_own", "oooo", false,
         [](auto &w, auto &p) { return one(VitalsStore(w.db, p).get(w.home.vitals)); }},
        {"vitals/get_other", "oooa", false,
         [](auto &w, auto &p) { return one(VitalsStore(w.db, p).get(w.home.otherVitals)); }},
        {"vitals/get_other_clinic", "aaaa", false,
         [](auto &w, auto &p) { return one(VitalsStore(w.db, p).get(w.away.vitals)); }},
        {"vitals/list_own", "oooo", false,
         [](auto &w, auto &p) { return many(VitalsStore(w.db, p).forPatient(w.home.own)); },
         [](auto &w) { return QStringList{w.home.vitals.value}; }},
        {"vitals/list_other", "oooo", false,
         [](auto &w, auto &p) { return many(VitalsStore(w.db, p).forPatient(w.home.other)); },
         [](auto &w) { return QStringList{w.home.otherVitals.value}; }},
        {"vitals/list_other_clinic", "oooo", false,
         [](auto &w, auto &p) { return many(VitalsStore(w.db, p).forPatient(w.away.own)); }},
        {"vitals/correct", "roor", true,
         [](auto &w, auto &p) {
             Vitals v = reading(w.home, w.home.own);
             v.clinic_id = {};
             v.heart_rate_bpm = 68;
             return one(VitalsStore(w.db, p).correct(w.home.vitals, v));
         }},
        {"vitals/mark_in_error", "roor", true,
         [](auto &w, auto &p) {
             return one(VitalsStore(w.db, p).markInError(w.home.vitals));
         }},
        {"vitals/mark_in_error_other_clinic", "raar", true,
         [](auto &w, auto &p) {
             return one(VitalsStore(w.db, p).markInError(w.away.vitals));
         }},

        // Consultation notes: only providers write and sign; patients read signed notes.
        {"consultation/draft", "rorr", true,
         [](auto &w, auto &p) {
             Consultation c = note(w.home, w.home.own);
             c.clinic_id = {};
             return one(ConsultationStore(w.db, p).create(c));
         }},
        {"consultation/update", "rorr", true,
         [](auto &w, auto &p) {
             const ConsultationStore owners(w.db, Principal::owner());
             Consultation c = must(owners.get(w.home.draft), "note");
             c.plan = QStringLiteral("Rest.");
             return one(ConsultationStore(w.db, p).update(c));
         }},
        {"consultation/sign", "rorr", true,
         [](auto &w, auto &p) { return one(ConsultationStore(w.db, p).sign(w.home.draft)); }},
        {"consultation/addendum", "rorr", true,
         [](auto &w, auto &p) {
             const Consultation target =
                 must(ConsultationStore(w.db, Principal::owner()).get(w.home.signedNote), "note");
             auto content = must(makeAddendum(target, w.home.providerId, nowUtc()), "addendum");
             content.plan = QStringLiteral("Add a chest X-ray.");
             return one(ConsultationStore(w.db, p).addendum(w.home.signedNote, content));
         }},
        {"consultation/delete", "rorr", true,
         [](auto &w, auto &p) { return done(ConsultationStore(w.db, p).remove(w.home.draft)); }},
        {"consultation/sign_other_clinic", "rarr", true,
         [](auto &w, auto &p) { return one(ConsultationStore(w.db, p).sign(w.away.draft)); }},
        {"consultation/get_signed", "oooo", false,
         [](auto &w, auto &p) { return one(ConsultationStore(w.db, p).get(w.home.signedNote)); }},
        {"consultation/get_draft", "oooa", false,
         [](auto &w, auto &p) { return one(ConsultationStore(w.db, p).get(w.home.draft)); }},
        {"consultation/get_other", "oooa", false,
         [](auto &w, auto &p) { return one(ConsultationStore(w.db, p).get(w.home.otherNote)); }},
        {"consultation/get_other_clinic", "aaaa", false,
         [](auto &w, auto &p) { return one(ConsultationStore(w.db, p).get(w.away.signedNote)); }},
        {"consultation/list_own", "oooo", false,
         [](auto &w, auto &p) { return many(ConsultationStore(w.db, p).forPatient(w.home.own)); },
         [](auto &w) { return QStringList{w.home.signedNote.value, w.home.draft.value}; }},
        {"consultation/list_other", "oooo", false,
         [](auto &w, auto &p) { return many(ConsultationStore(w.db, p).forPatient(w.home.other)); },
         [](auto &w) { return QStringList{w.home.otherNote.value}; }},
        {"consultation/list_other_clinic", "oooo", false,
         [](auto &w, auto &p) { return many(ConsultationStore(w.db, p).forPatient(w.away.own)); }},

        // Prescriptions: only providers prescribe and change them.
        {"prescription/prescribe", "rorr", true,
         [](auto &w, auto &p) {
             Prescription r = rx(w.home, w.home.plain, kSimvastatin, 20, Frequency::Qhs);
             r.clinic_id = {};
             return one(PrescriptionStore(w.db, p).create(r));
         }},
        {"prescription/alerts", "rorr", false,
         [](auto &w, auto &p) {
             auto alerts = PrescriptionStore(w.db, p).alertsFor(
                 rx(w.home, w.home.own, kSimvastatin, 20, Frequency::Qhs));
             return done(alerts ? Status() : Status(alerts.error()));
         }},
        {"prescription/hold", "rorr", true,
         [](auto &w, auto &p) { return one(PrescriptionStore(w.db, p).hold(w.home.active)); }},
        {"prescription/resume", "rorr", true,
         [](auto &w, auto &p) { return one(PrescriptionStore(w.db, p).resume(w.home.onHold)); }},
        {"prescription/stop", "rorr", true,
         [](auto &w, auto &p) { return one(PrescriptionStore(w.db, p).complete(w.home.active)); }},
        {"prescription/cancel", "rorr", true,
         [](auto &w, auto &p) { return one(PrescriptionStore(w.db, p).cancel(w.home.active)); }},
        {"prescription/enter_in_error", "rorr", true,
         [](auto &w, auto &p) {
             return one(PrescriptionStore(w.db, p).enterInError(w.home.active));
         }},
        {"prescription/hold_other_clinic", "rarr", true,
         [](auto &w, auto &p) { return one(PrescriptionStore(w.db, p).hold(w.away.active)); }},
        {"prescription/get_own", "oooo", false,
         [](auto &w, auto &p) { return one(PrescriptionStore(w.db, p).get(w.home.active)); }},
        {"prescription/get_other", "oooa", false,
         [](auto &w, auto &p) { return one(PrescriptionStore(w.db, p).get(w.home.otherRx)); }},
        {"prescription/get_other_clinic", "aaaa", false,
         [](auto &w, auto &p) { return one(PrescriptionStore(w.db, p).get(w.away.active)); }},
        {"prescription/list_own", "oooo", false,
         [](auto &w, auto &p) {
             return prescriptionsOutcome(PrescriptionStore(w.db, p).forPatient(w.home.own));
         },
         [](auto &w) { return QStringList{w.home.active.value, w.home.onHold.value}; }},
        {"prescription/list_other", "oooo", false,
         [](auto &w, auto &p) {
             return prescriptionsOutcome(PrescriptionStore(w.db, p).forPatient(w.home.other));
         },
         [](auto &w) { return QStringList{w.home.otherRx.value}; }},
        {"prescription/list_other_clinic", "oooo", false,
         [](auto &w, auto &p) {
             return prescriptionsOutcome(PrescriptionStore(w.db, p).forPatient(w.away.own));
         }},

        // The chart: everything of one patient the caller may see.
        {"chart/own", "oooo", false,
         [](auto &w, auto &p) { return chartOutcome(ChartStore(w.db, p).load(w.home.own)); },
         [](auto &w) {
             return QStringList{w.home.own.value,        w.home.vitals.value,
                                w.home.signedNote.value, w.home.draft.value,
                                w.home.active.value,     w.home.onHold.value,
                                w.home.scheduled.value,  w.home.inProgress.value};
         }},
        {"chart/other", "oooa", false,
         [](auto &w, auto &p) { return chartOutcome(ChartStore(w.db, p).load(w.home.other)); },
         [](auto &w) {
             return QStringList{w.home.other.value, w.home.otherVitals.value,
                                w.home.otherNote.value, w.home.otherRx.value,
                                w.home.otherVisit.value};
         }},
        {"chart/other_clinic", "aaaa", false,
         [](auto &w, auto &p) { return chartOutcome(ChartStore(w.db, p).load(w.away.own)); }},
    };
    return all;
}

} // namespace

class TestPermissions : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("permissions")};
    std::map<SqlDialect, World> m_worlds;

    void build(SqlDialect dialect)
    {
        World w;
        w.db = m_factory.create(dialect);
        w.home = buildSide(w.db, QStringLiteral("North Clinic"), QStringLiteral("north.example"),
                           QStringLiteral("1234567893"));
        w.away = buildSide(w.db, QStringLiteral("South Clinic"), QStringLiteral("south.example"),
                           QStringLiteral("1245319599"));
        w.countSql = countQuery(w.db);
        w.baseline = countRows(w);
        m_worlds.emplace(dialect, std::move(w));
    }

private Q_SLOTS:
    void initTestCase()
    {
        build(SqlDialect::Sqlite);
        if (m_factory.hasPostgres())
            build(SqlDialect::Postgres);
    }

    // Each role's own principal sees its own clinic; the patient's names their record.
    void fixtureIsWhatTheMatrixAssumes()
    {
        for (const auto &[dialect, w] : m_worlds) {
            QCOMPARE(w.principal(AsPatient).patient_id, w.home.own);
            QCOMPARE(w.principal(AsPatient).role, Role::Patient);
            QCOMPARE(w.principal(AsStaff).clinic_id, w.home.clinic);
            QVERIFY(!w.hidden(AsAdmin).contains(w.home.other.value));
            QVERIFY(w.hidden(AsPatient).contains(w.home.other.value));
            QVERIFY(w.baseline.value(QStringLiteral("patients")) == 6);
            if (dialect == SqlDialect::Sqlite)
                QVERIFY(w.baseline.value(QStringLiteral("outbox")) > 0);
        }
    }

    void matrix_data()
    {
        QTest::addColumn<SqlDialect>("dialect");
        QTest::addColumn<int>("role");
        QTest::addColumn<int>("op");
        for (const auto &[dialect, w] : m_worlds) {
            Q_UNUSED(w)
            const char *name = dialect == SqlDialect::Sqlite ? "sqlite" : "postgres";
            for (int role = 0; role < kRoles.size(); ++role)
                for (int i = 0; i < int(ops().size()); ++i)
                    QTest::addRow("%s/%s/%s", name, qPrintable(kRoles[role]), ops()[size_t(i)].name)
                        << dialect << role << i;
        }
    }

    void matrix()
    {
        QFETCH(SqlDialect, dialect);
        QFETCH(int, role);
        QFETCH(int, op);
        const World &w = m_worlds.at(dialect);
        const Op &o = ops()[size_t(op)];
        const char expect = o.expect[role];
        const Principal who = w.principal(role);

        const auto before = countRows(w);
        // Every earlier row left the fixture as it was.
        QVERIFY2(before == w.baseline, qPrintable(countDiff(w.baseline, before)));
        Outcome out;
        QMap<QString, qint64> after;
        {
            // Allowed writes are rolled back so that every row starts from the same fixture; the
            // rows are counted inside the transaction, where the call's writes are visible.
            std::optional<Transaction> undo;
            if (o.writes) {
                undo.emplace(w.db);
                QVERIFY(undo->started());
            }
            out = o.run(w, who);
            after = countRows(w);
        }

        switch (expect) {
        case 'o': {
            QVERIFY2(out.status, qPrintable(describe(out.status.error())));
            const QSet<QString> hidden = w.hidden(role);
            for (const QString &id : out.seen)
                QVERIFY2(!hidden.contains(id), qPrintable(QStringLiteral("out of scope: ") + id));
            if (o.mustSee)
                for (const QString &id : o.mustSee(w))
                    if (!hidden.contains(id))
                        QVERIFY2(out.seen.contains(id),
                                 qPrintable(QStringLiteral("missing: ") + id));
            if (!o.writes)
                QVERIFY2(after == before, qPrintable(countDiff(before, after)));
            break;
        }
        case 'r':
            QVERIFY2(!out.status, "allowed, expected NotPermitted");
            QVERIFY2(out.status.error().code == ErrorCode::NotPermitted,
                     qPrintable(describe(out.status.error())));
            QVERIFY2(after == before, qPrintable(countDiff(before, after)));
            break;
        case 'a':
            QVERIFY2(!out.status, "found, expected NotFound");
            QVERIFY2(out.status.error().code == ErrorCode::NotFound,
                     qPrintable(describe(out.status.error())));
            QVERIFY2(after == before, qPrintable(countDiff(before, after)));
            break;
        default:
            QFAIL("bad expectation");
        }
    }

    // Lists and searches of a role are filtered in the database, not after loading: with the
    // patient role, a search for everyone's family name returns exactly the caller's record.
    void patientSeesOnlyTheirOwnRecord_data()
    {
        QTest::addColumn<SqlDialect>("dialect");
        for (const auto &[dialect, w] : m_worlds) {
            Q_UNUSED(w)
            QTest::newRow(dialect == SqlDialect::Sqlite ? "sqlite" : "postgres") << dialect;
        }
    }
    void patientSeesOnlyTheirOwnRecord()
    {
        QFETCH(SqlDialect, dialect);
        const World &w = m_worlds.at(dialect);
        const Principal me = w.principal(AsPatient);
        auto found = PatientStore(w.db, me).search(QStringLiteral("Harper"), 1);
        QVERIFY(found);
        QCOMPARE(idsOf(*found), QStringList{w.home.own.value});
        auto listed = PatientStore(w.db, me).list(1);
        QVERIFY(listed);
        QCOMPARE(idsOf(*listed), QStringList{w.home.own.value});
        auto notes = ConsultationStore(w.db, me).forPatient(w.home.own);
        QVERIFY(notes);
        QCOMPARE(idsOf(*notes), QStringList{w.home.signedNote.value});
        auto day = AppointmentStore(w.db, me).forClinicDay(kMonday);
        QVERIFY(day);
        QCOMPARE(idsOf(*day), (QStringList{w.home.scheduled.value, w.home.checkedIn.value,
                                           w.home.inProgress.value}));

        // A patient login without a linked record sees no patient at all.
        Principal unlinked = me;
        unlinked.patient_id = {};
        QCOMPARE(PatientStore(w.db, unlinked).list()->size(), 0);
        QCOMPARE(PatientStore(w.db, unlinked).get(w.home.own).error().code, ErrorCode::NotFound);
        QCOMPARE(VitalsStore(w.db, unlinked).forPatient(w.home.own)->size(), 0);
        QVERIFY(UserStore(w.db, unlinked).get(unlinked.user_id));
    }
};

QTEST_GUILESS_MAIN(TestPermissions)
#include "tst_permissions.moc"
