// Desktop benchmark: time from start to a usable patient list, and from a keystroke in the
// patient search to updated results, over a local database of N patients. Each figure comes with
// its baseline measured in the same run (a bare Qt window on the same database; the store's
// search alone). It prints figures and never fails on time.

#include "database.h"
#include "mainwindow.h"
#include "patientspage.h"
#include "patientstore.h"
#include "patienttablemodel.h"
#include "seeder.h"
#include "transaction.h"
#include "userstore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLineEdit>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>
#include <vector>

using namespace tmdash;

namespace {

constexpr int kSeedPatients = 200; // the demo clinic's own patients; the rest are added below
constexpr int kBatch = 1000;

const std::array kGiven = {"Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James",
                           "Mia", "Lucas", "Amelia", "Mateo", "Harper", "Levi", "Aria", "Ezra",
                           "Chloe", "Kai", "Nora", "Omar", "Priya", "Wei", "Fatima", "Diego"};
const std::array kFamily = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
                            "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez",
                            "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
                            "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
                            "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
                            "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
                            "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell"};

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int failed(const QString &what)
{
    std::fprintf(stderr, "bench: %s\n", qPrintable(what));
    return 1;
}

struct Percentiles
{
    double p50 = 0, p95 = 0, p99 = 0, max = 0;
};

Percentiles percentiles(std::vector<double> ms)
{
    Percentiles p;
    if (ms.empty())
        return p;
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, std::size_t(q * double(ms.size())))]; };
    p.p50 = at(0.50);
    p.p95 = at(0.95);
    p.p99 = at(0.99);
    p.max = ms.back();
    return p;
}

QString describe(const Percentiles &p)
{
    return QStringLiteral("p50 %1 ms  p95 %2 ms  p99 %3 ms  max %4 ms")
        .arg(p.p50, 0, 'f', 2)
        .arg(p.p95, 0, 'f', 2)
        .arg(p.p99, 0, 'f', 2)
        .arg(p.max, 0, 'f', 2);
}

// The demo clinic (users, providers, 200 patients with their records), then patients up to
// `patients`, written through PatientStore::create by the front desk, 1000 per transaction.
// Returns the front desk's email.
Result<QString> fillDatabase(const Database &db, int patients)
{
    SeedOptions seed;
    seed.patients = std::min(patients, kSeedPatients);
    auto summary = seedDemoData(db, seed);
    if (!summary)
        return summary.error();
    const auto desk = std::find_if(summary->users.cbegin(), summary->users.cend(),
                                   [](const SeedUser &u) { return u.role == Role::Staff; });
    if (desk == summary->users.cend())
        return Error::storage(QStringLiteral("the demo data has no front-desk user"));
    auto user = UserStore(db, Principal::owner()).get(desk->id);
    if (!user)
        return user.error();
    const PatientStore store(db, Principal::person(*user));
    std::mt19937_64 rng(20261127);
    const QDate today = QDate::currentDate();
    for (int done = seed.patients; done < patients;) {
        Transaction tx(db);
        if (!tx.started())
            return tx.started().error();
        for (const int end = std::min(patients, done + kBatch); done < end; ++done) {
            Patient p;
            p.given_name = QString::fromLatin1(kGiven[rng() % kGiven.size()]);
            p.family_name = QString::fromLatin1(kFamily[rng() % kFamily.size()]);
            p.sex = rng() % 2 ? Sex::Female : Sex::Male;
            p.birth_date = today.addDays(-qint64(365 + rng() % (90 * 365)));
            p.phone = QStringLiteral("+1 617 555 %1").arg(done % 10000, 4, 10, QLatin1Char('0'));
            if (auto created = store.create(p); !created)
                return created.error();
        }
        if (Status s = tx.commit(); !s)
            return s.error();
        std::fprintf(stderr, "bench: %d patients\n", done);
    }
    return desk->email;
}

Result<Principal> logIn(const Database &db, const QString &email)
{
    auto user = UserStore(db, Principal::owner()).findByEmail(email);
    if (!user)
        return user.error();
    return Principal::person(*user);
}

// Child process: open the database and the main window as `email` (the login itself, an
// Argon2id check by design, is left out) and print "ready" once the patient list shows rows.
// `bare` opens the database and an empty window instead: the floor of any Qt start.
int measureStart(const QString &url, const QString &email, bool bare)
{
    auto db = Database::open(url);
    if (!db)
        return failed(db.error().message);
    if (Status s = db->requireCurrentSchema(); !s)
        return failed(s.error().message);
    if (bare) {
        QWidget window;
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            return failed(QStringLiteral("the window was not shown"));
        out() << "ready" << Qt::endl;
        return 0;
    }
    auto who = logIn(*db, email);
    if (!who)
        return failed(who.error().message);
    MainWindow window(*db, *who, email);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return failed(QStringLiteral("the window was not shown"));
    PatientTableModel *model = window.patientsPage()->patientModel();
    if (!QTest::qWaitFor([&] { return model->rowCount() > 0; }, 60000))
        return failed(QStringLiteral("the patient list stayed empty"));
    QCoreApplication::processEvents(); // the rows painted
    out() << "ready" << Qt::endl;
    return 0;
}

// Starts this program in the given child mode and returns the milliseconds until it printed
// "ready".
Result<double> timeStart(const QStringList &arguments)
{
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer timer;
    timer.start();
    child.start(QCoreApplication::applicationFilePath(), arguments);
    while (child.state() != QProcess::NotRunning || child.bytesAvailable() > 0) {
        if (child.canReadLine() && child.readLine().trimmed() == "ready") {
            const double ms = double(timer.nsecsElapsed()) / 1e6;
            child.waitForFinished(30000);
            return ms;
        }
        child.waitForReadyRead(100);
    }
    return Error::storage(QStringLiteral("the measured start failed (exit %1)").arg(child.exitCode()));
}

// Keystroke to updated results: for each search, the box is cleared, all but the last letter of
// a 2-4 letter name prefix typed, and the last keystroke timed until the table answered. The
// store's own search for the same text is the baseline.
int measureSearch(const Database &db, const QString &email, int keystrokes)
{
    auto who = logIn(db, email);
    if (!who)
        return failed(who.error().message);
    MainWindow window(db, *who, email);
    window.show();
    if (!QTest::qWaitForWindowActive(&window))
        return failed(QStringLiteral("the window was not activated"));
    PatientsPage *page = window.patientsPage();
    PatientTableModel *model = page->patientModel();
    auto *search = page->findChild<QLineEdit *>(QStringLiteral("patientSearch"));
    if (!search)
        return failed(QStringLiteral("no patient search box"));
    bool answered = false;
    QObject::connect(model, &PatientTableModel::searchAnswered, model, [&answered] { answered = true; });
    const PatientStore store(db, *who);
    std::mt19937_64 rng(7);
    std::vector<double> ui;
    std::vector<double> raw;
    double matches = 0;
    for (int i = 0; i < keystrokes; ++i) {
        const QString name = QString::fromLatin1(rng() % 2 ? kFamily[rng() % kFamily.size()]
                                                           : kGiven[rng() % kGiven.size()]);
        const QString prefix = name.left(2 + int(rng() % 3)).toLower();
        search->clear();
        search->setFocus();
        QTest::keyClicks(search, prefix.chopped(1));
        QTest::qWait(PatientsPage::kSearchDelayMs * 2); // the earlier letters' search is done
        answered = false;
        QElapsedTimer timer;
        timer.start();
        QTest::keyClick(search, prefix.back().toLatin1());
        if (!QTest::qWaitFor([&] { return answered; }, 10000))
            return failed(QStringLiteral("no answer for \"%1\"").arg(prefix));
        QCoreApplication::processEvents(); // the rows painted
        ui.push_back(double(timer.nsecsElapsed()) / 1e6);
        matches += model->rowCount();

        timer.restart();
        auto found = store.search(prefix, PatientTableModel::kSearchLimit);
        raw.push_back(double(timer.nsecsElapsed()) / 1e6);
        if (!found)
            return failed(found.error().message);
    }
    const Percentiles u = percentiles(ui);
    const Percentiles r = percentiles(raw);
    out() << QStringLiteral("Keystroke to updated results (%1 searches, 2-4 letter name prefixes, %2 rows shown on average):")
                 .arg(keystrokes)
                 .arg(matches / std::max(1, keystrokes), 0, 'f', 1)
          << Qt::endl
          << "  table answered      " << describe(u) << Qt::endl
          << QStringLiteral("    of which the typing pause before a search runs: %1 ms")
                 .arg(PatientsPage::kSearchDelayMs)
          << Qt::endl
          << "  PatientStore::search alone (baseline) " << describe(r) << Qt::endl
          << QStringLiteral("  table minus pause / store search (p50): %1x; goal: under 50 ms from keystroke to results")
                 .arg((u.p50 - PatientsPage::kSearchDelayMs) / std::max(r.p50, 0.001), 0, 'f', 2)
          << Qt::endl;
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // never the person's own window settings
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Desktop benchmark: start to a usable patient list, and keystroke to search results, "
        "over a local database of N patients. Prints figures; never fails on time."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("patients"), QStringLiteral("Patients in the database (default 100000)."), QStringLiteral("N"), QStringLiteral("100000")});
    parser.addOption({QStringLiteral("starts"), QStringLiteral("Measured starts (default 5)."), QStringLiteral("N"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("keystrokes"), QStringLiteral("Measured searches (default 200)."), QStringLiteral("N"), QStringLiteral("200")});
    parser.addOption({QStringLiteral("db"), QStringLiteral("Use (and keep) this SQLite file; filled when it does not exist."), QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("measure-start"), QStringLiteral("(internal) one measured start."), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("email"), QStringLiteral("(internal) the user of a measured start."), QStringLiteral("EMAIL")});
    parser.addOption({QStringLiteral("bare"), QStringLiteral("(internal) a bare window instead of the main window.")});
    parser.process(app);

    if (parser.isSet(QStringLiteral("measure-start")))
        return measureStart(parser.value(QStringLiteral("measure-start")),
                            parser.value(QStringLiteral("email")), parser.isSet(QStringLiteral("bare")));

    bool ok = false;
    const int patients = parser.value(QStringLiteral("patients")).toInt(&ok);
    if (!ok || patients < 1)
        return failed(QStringLiteral("--patients must be a positive number"));
    const int starts = std::max(1, parser.value(QStringLiteral("starts")).toInt());
    const int keystrokes = std::max(1, parser.value(QStringLiteral("keystrokes")).toInt());

    QTemporaryDir dir;
    QString path = parser.value(QStringLiteral("db"));
    if (path.isEmpty())
        path = dir.filePath(QStringLiteral("desktop.sqlite"));
    const bool fill = !QFileInfo::exists(path);
    const QString url = QStringLiteral("sqlite:") + path;
    auto db = Database::open(url);
    if (!db)
        return failed(db.error().message);
    if (Status s = db->migrateToLatest(); !s)
        return failed(s.error().message);
    QString email;
    if (fill) {
        QElapsedTimer timer;
        timer.start();
        auto desk = fillDatabase(*db, patients);
        if (!desk)
            return failed(desk.error().message);
        email = *desk;
        std::fprintf(stderr, "bench: filled in %.1f s\n", double(timer.elapsed()) / 1000.0);
    } else {
        auto users = UserStore(*db, Principal::owner()).list();
        if (!users)
            return failed(users.error().message);
        const auto desk = std::find_if(users->cbegin(), users->cend(),
                                       [](const User &u) { return u.role == Role::Staff; });
        if (desk == users->cend())
            return failed(QStringLiteral("%1 has no front-desk user").arg(path));
        email = desk->email;
    }
    auto count = PatientStore(*db, Principal::owner()).list(-1, 0);
    if (!count)
        return failed(count.error().message);

    out() << QStringLiteral("Desktop benchmark: %1 patients in %2").arg(count->size()).arg(path)
          << Qt::endl;
    std::vector<double> full;
    std::vector<double> bare;
    for (int i = 0; i < starts; ++i) {
        auto b = timeStart({QStringLiteral("--measure-start"), url, QStringLiteral("--bare")});
        auto f = timeStart({QStringLiteral("--measure-start"), url, QStringLiteral("--email"), email});
        if (!b || !f)
            return failed(!b ? b.error().message : f.error().message);
        bare.push_back(*b);
        full.push_back(*f);
    }
    const Percentiles f = percentiles(full);
    const Percentiles b = percentiles(bare);
    out() << QStringLiteral("Start to a usable patient list (%1 starts, a new process each; login left out):").arg(starts)
          << Qt::endl
          << "  main window, patient list shown   " << describe(f) << Qt::endl
          << "  bare Qt window on the same file   " << describe(b) << Qt::endl
          << QStringLiteral("  main window / bare (p50): %1x; goal: under 1500 ms")
                 .arg(f.p50 / std::max(b.p50, 0.001), 0, 'f', 2)
          << Qt::endl;
    return measureSearch(*db, email, keystrokes);
}
