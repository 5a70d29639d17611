#include "appointmentrules.h"
#include "appointmentstore.h"
#include "clinicstore.h"
#include "clinicvalidator.h"
#include "clock.h"
#include "consultationstore.h"
#include "consultationvalidator.h"
#include "fieldrules.h"
#include "outbox.h"
#include "passwordhash.h"
#include "patientstore.h"
#include "patientvalidator.h"
#include "prescriptionstore.h"
#include "prescriptionvalidator.h"
#include "providerstore.h"
#include "providervalidator.h"
#include "testsupport.h"
#include "userstore.h"
#include "uservalidator.h"
#include "vitalranges.h"
#include "vitalsstore.h"
#include "vitalsvalidator.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace tmdash;

namespace {

// Columns that legitimately differ between two runs: write timestamps (signed_at is the moment
// the store signed the note), salted hashes and the central's version counter.
bool isVolatileColumn(const QString &column)
{
    return column == u"created_at" || column == u"updated_at" || column == u"version" ||
           column == u"password_hash" || column == u"signed_at";
}

// Every synced table's rows (tombstones included) by id, without the volatile columns.
QMap<QString, QJsonArray> dump(const Database &db)
{
    QMap<QString, QJsonArray> out;
    for (const TableSpec &spec : allTableSpecs()) {
        if (!spec.synced || spec.desktopOnly)
            continue;
        auto rows = RecordTable(db, spec).select(QStringLiteral("id IS NOT NULL"), {},
                                                 QStringLiteral("id"));
        if (!rows)
            qFatal("dumping %s failed: %s", qPrintable(spec.name.toString()),
                   qPrintable(rows.error().message));
        QJsonArray table;
        for (Row r : *rows) {
            for (const QString &key : r.keys())
                if (isVolatileColumn(key))
                    r.remove(key);
            table.append(r);
        }
        out.insert(spec.name.toString(), table);
    }
    return out;
}

// Empty when equal, else the first difference for the failure message.
QString firstDifference(const QMap<QString, QJsonArray> &a, const QMap<QString, QJsonArray> &b)
{
    if (a.keys() != b.keys())
        return QStringLiteral("different tables");
    for (auto it = a.cbegin(); it != a.cend(); ++it) {
        const QJsonArray &x = it.value();
        const QJsonArray &y = b.value(it.key());
        if (x.size() != y.size())
            return QStringLiteral("%1: %2 rows vs %3").arg(it.key()).arg(x.size()).arg(y.size());
        for (qsizetype i = 0; i < x.size(); ++i)
            if (x.at(i) != y.at(i))
                return QStringLiteral("%1 row %2:\n%3\nvs\n%4")
                    .arg(it.key())
                    .arg(i)
                    .arg(QString::fromUtf8(
                             QJsonDocument(x.at(i).toObject()).toJson(QJsonDocument::Compact)),
                         QString::fromUtf8(
                             QJsonDocument(y.at(i).toObject()).toJson(QJsonDocument::Compact)));
    }
    return {};
}

QString describe(const FieldErrors &errors)
{
    QStringList parts;
    for (const FieldError &e : errors)
        parts << e.field + QLatin1Char(' ') + e.code + QStringLiteral(": ") + e.message;
    return parts.join(QStringLiteral("; "));
}

} // namespace

class TestCtlSeed : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("ctlseed")};
    // Three days back, so that "today" is the same for every run of this suite.
    const QDate m_today = todayUtc().addDays(-3);
    QString m_referenceUrl;
    Database m_reference;
    QMap<QString, QJsonArray> m_referenceDump;
    QJsonObject m_summary;

    test::CtlRun seed(const QString &url, const QString &seedValue, const QStringList &extra = {})
    {
        return test::runCtl(QStringList{QStringLiteral("--db"), url, QStringLiteral("--json"),
                                        QStringLiteral("seed"), QStringLiteral("--patients"),
                                        QStringLiteral("20"), QStringLiteral("--seed"), seedValue,
                                        QStringLiteral("--today"), formatDate(m_today)} +
                            extra);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_reference = m_factory.create(SqlDialect::Sqlite);
        m_referenceUrl = m_factory.lastUrl();
        const auto run = seed(m_referenceUrl, QStringLiteral("7"));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        m_summary = run.json().object();
        const QJsonObject &summary = m_summary;
        QCOMPARE(summary[u"patients"].toInt(), 20);
        QCOMPARE(summary[u"providers"].toInt(), 4);
        QVERIFY(summary[u"appointments"].toInt() > 20);
        QVERIFY(summary[u"vitals"].toInt() > 0);
        QVERIFY(summary[u"consultations"].toInt() > 0);
        QVERIFY(summary[u"prescriptions"].toInt() > 0);
        QCOMPARE(summary[u"today"].toString(), formatDate(m_today));
        QCOMPARE(summary[u"demo"].toBool(), true);
        m_referenceDump = dump(m_reference);
        QCOMPARE(m_referenceDump.value(QStringLiteral("patients")).size(), 20);
    }

    void seedJsonListsEveryRoleWithAWorkingPassword()
    {
        QSet<QString> roles;
        const UserStore users(m_reference, Principal::owner());
        for (const QJsonValue &v : m_summary[u"users"].toArray()) {
            const QString email = v[u"email"].toString();
            const QString password = v[u"password"].toString();
            roles.insert(v[u"role"].toString());
            QVERIFY2(checkPassword(password, email).isEmpty(), qPrintable(email));
            auto user = users.findByEmail(email);
            QVERIFY2(user, qPrintable(email));
            QCOMPARE(toString(user->role), v[u"role"].toString());
            QCOMPARE(user->status, UserStatus::Active);
            auto row = RecordTable(m_reference, u"users").get(user->id.value);
            QVERIFY(row);
            QVERIFY2(verifyPassword(row->value(u"password_hash").toString(), password),
                     qPrintable(email));
        }
        QCOMPARE(roles, (QSet<QString>{QStringLiteral("admin"), QStringLiteral("provider"),
                                       QStringLiteral("staff"), QStringLiteral("patient")}));
        QVERIFY(isUuid(m_summary[u"clinic_id"].toString()));
    }

    void sameSeedGivesSameRows()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        const auto run = seed(m_factory.lastUrl(), QStringLiteral("7"));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString diff = firstDifference(m_referenceDump, dump(db));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void postgresGivesTheSameRowsAsSqlite()
    {
        if (!m_factory.hasPostgres())
            QSKIP("TMDASH_TEST_PG not set");
        Database db = m_factory.create(SqlDialect::Postgres);
        const auto run = seed(m_factory.lastUrl(), QStringLiteral("7"));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.json()[u"demo"].toBool(), false);
        const QString diff = firstDifference(m_referenceDump, dump(db));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void differentSeedGivesDifferentRows()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        const auto run = seed(m_factory.lastUrl(), QStringLiteral("8"));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QMap<QString, QJsonArray> other = dump(db);
        QVERIFY(!firstDifference(m_referenceDump, other).isEmpty());
        QVERIFY(other.value(QStringLiteral("patients")) !=
                m_referenceDump.value(QStringLiteral("patients")));
        QVERIFY(other.value(QStringLiteral("clinics")).at(0)[u"id"] !=
                m_referenceDump.value(QStringLiteral("clinics")).at(0)[u"id"]);
    }

    void sqliteIsMarkedDemo()
    {
        auto demo = syncStateValue(m_reference, QStringLiteral("demo"));
        QVERIFY(demo);
        QCOMPARE(*demo, QStringLiteral("1"));
    }

    void secondSeedIsRefusedAndWritesNothing()
    {
        const qint64 patients = test::rowCount(m_reference, QStringLiteral("patients"));
        const qint64 outbox = test::rowCount(m_reference, QStringLiteral("outbox"));
        const auto run = seed(m_referenceUrl, QStringLiteral("9"));
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(test::fieldsOf(run), QStringList{QStringLiteral("database:not_empty")});
        QCOMPARE(test::rowCount(m_reference, QStringLiteral("patients")), patients);
        QCOMPARE(test::rowCount(m_reference, QStringLiteral("outbox")), outbox);
        QCOMPARE(test::rowCount(m_reference, QStringLiteral("clinics")), 1);
    }

    void badOptions_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QStringList>("fields");
        QTest::newRow("patients not a number")
            << QStringList{QStringLiteral("--patients"), QStringLiteral("many")} << 2
            << QStringList{QStringLiteral("patients:format")};
        QTest::newRow("no patients")
            << QStringList{QStringLiteral("--patients"), QStringLiteral("0")} << 2
            << QStringList{QStringLiteral("patients:range")};
        QTest::newRow("bad seed and date")
            << QStringList{QStringLiteral("--seed"), QStringLiteral("-1"),
                           QStringLiteral("--today"), QStringLiteral("5/3/2026")}
            << 2 << QStringList{QStringLiteral("seed:format"), QStringLiteral("today:format")};
        QTest::newRow("anchor in the future")
            << QStringList{QStringLiteral("--today"), formatDate(todayUtc().addDays(2))} << 2
            << QStringList{QStringLiteral("today:future")};
        QTest::newRow("anchor too old")
            << QStringList{QStringLiteral("--today"), formatDate(todayUtc().addDays(-400))} << 2
            << QStringList{QStringLiteral("today:range")};
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--clinics"), QStringLiteral("2")} << 64 << QStringList{};
        QTest::newRow("missing value")
            << QStringList{QStringLiteral("--seed")} << 64 << QStringList{};
        QTest::newRow("help") << QStringList{QStringLiteral("--help")} << 0 << QStringList{};
    }
    void badOptions()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QStringList, fields);
        Database db = m_factory.create(SqlDialect::Sqlite);
        const auto run = test::runCtl(
            QStringList{QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("seed")} +
            args);
        QCOMPARE(run.exitCode, exitCode);
        QCOMPARE(test::fieldsOf(run), fields);
        QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 0);
    }

    void asSomeoneIsUsage()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        const auto run =
            test::runCtl({QStringLiteral("--db"), m_factory.lastUrl(), QStringLiteral("--as"),
                          QStringLiteral("a@b.example"), QStringLiteral("seed")});
        QCOMPARE(run.exitCode, 64);
        QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 0);
    }

    // Every seeded record passes the validators the stores use, statuses fit their time, and the
    // data has the variety a demo needs.
    void seededRowsPassTheValidators()
    {
        const Database &db = m_reference;
        const Principal owner = Principal::owner();
        auto clinics = ClinicStore(db, owner).list();
        QVERIFY(clinics);
        QCOMPARE(clinics->size(), 1);
        const Clinic clinic = clinics->first();
        QCOMPARE(clinic.timezone, QStringLiteral("America/New_York"));
        QVERIFY2(validateClinic(clinic).isEmpty(), qPrintable(describe(validateClinic(clinic))));
        QVERIFY(!clinic.hoursOn(1).isClosed());

        auto users = UserStore(db, owner).list();
        QVERIFY(users);
        QCOMPARE(users->size(), 8);
        for (const User &u : *users)
            QVERIFY2(validateUser(u).isEmpty(), qPrintable(u.email + describe(validateUser(u))));

        auto providers = ProviderStore(db, owner).list();
        QVERIFY(providers);
        QCOMPARE(providers->size(), 4);
        QMap<QString, Provider> providerById;
        int timeOff = 0;
        for (const Provider &p : *providers) {
            const FieldErrors errors = validateProvider(p, todayUtc());
            QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
            QVERIFY(isNpi(p.npi));
            QVERIFY(!p.availability.isEmpty());
            timeOff += int(p.time_off.size());
            providerById.insert(p.id.value, p);
        }
        QVERIFY(timeOff > 0);

        auto patients = PatientStore(db, owner).list();
        QVERIFY(patients);
        QCOMPARE(patients->size(), 20);
        const QTimeZone zone = clinic.timeZone();
        int allergies = 0, conditions = 0, abnormal = 0, signedNotes = 0, diagnoses = 0;
        int past = 0, future = 0, vitalsCount = 0, prescriptions = 0;
        QList<Appointment> all;
        for (const Patient &listed : *patients) {
            auto p = PatientStore(db, owner).get(listed.id);
            QVERIFY(p);
            QVERIFY2(validatePatient(*p, todayUtc()).isEmpty(),
                     qPrintable(describe(validatePatient(*p, todayUtc()))));
            QVERIFY(p->mrn.startsWith(QStringLiteral("DEMO-")));
            allergies += int(p->allergies.size());
            conditions += int(p->conditions.size());

            auto vitals = VitalsStore(db, owner).forPatient(p->id);
            QVERIFY(vitals);
            for (const Vitals &v : *vitals) {
                const FieldErrors errors = validateVitals(v, nowUtc());
                QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
                for (Flag f : flagsFor(v))
                    abnormal += f != Flag::Normal ? 1 : 0;
                ++vitalsCount;
            }

            auto appointments = AppointmentStore(db, owner).forPatient(p->id);
            QVERIFY(appointments);
            for (const Appointment &a : *appointments) {
                all << a;
                const QDate localDay = a.start_at.toTimeZone(zone).date();
                if (localDay < m_today) {
                    ++past;
                    QVERIFY2(a.status == AppointmentStatus::Completed ||
                                 a.status == AppointmentStatus::NoShow ||
                                 a.status == AppointmentStatus::Cancelled,
                             qPrintable(toString(a.status)));
                } else {
                    ++future;
                    QVERIFY2(a.status == AppointmentStatus::Scheduled ||
                                 a.status == AppointmentStatus::Confirmed,
                             qPrintable(toString(a.status)));
                }
                QVERIFY(qAbs(localDay.daysTo(m_today)) <= 30);
            }

            auto notes = ConsultationStore(db, owner).forPatient(p->id);
            QVERIFY(notes);
            for (const Consultation &c : *notes) {
                const FieldErrors errors = validateConsultation(c);
                QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
                QVERIFY(c.primaryDiagnosis());
                signedNotes += c.isSigned() ? 1 : 0;
                diagnoses += int(c.diagnoses.size());
            }

            auto rx = PrescriptionStore(db, owner).forPatient(p->id);
            QVERIFY(rx);
            for (const QList<Prescription> *list : {&rx->active, &rx->past})
                for (const Prescription &r : *list) {
                    QList<PrescriptionAlert> alerts;
                    const FieldErrors errors =
                        validatePrescription(r, rx->active, p->allergies, &alerts);
                    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
                    if (r.isCurrent())
                        QVERIFY2(alerts.isEmpty(), qPrintable(r.medication_name));
                    ++prescriptions;
                }
        }
        QVERIFY(allergies + conditions > 0);
        QVERIFY(abnormal > 0);
        QVERIFY(signedNotes > 0);
        QVERIFY(diagnoses > 0);
        QVERIFY(past > 0);
        QVERIFY(future > 0);
        QVERIFY(vitalsCount > 0);
        QVERIFY(prescriptions > 0);

        // No conflicts: each appointment passes the scheduling rules against all the others
        // (cancelled and no-show ones occupy nothing, so they are checked as booked).
        for (const Appointment &a : all) {
            Appointment booked = a;
            booked.status = AppointmentStatus::Scheduled;
            const FieldErrors errors =
                validateAppointment(booked, clinic, providerById.value(a.provider_id.value), all);
            QVERIFY2(errors.isEmpty(), qPrintable(formatInstant(a.start_at) + describe(errors)));
        }
    }
};

QTEST_GUILESS_MAIN(TestCtlSeed)
#include "tst_ctlseed.moc"
