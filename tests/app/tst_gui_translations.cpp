#include "mainwindow.h"
#include "patientchart.h"
#include "patientspage.h"
#include "patientstore.h"
#include "seeder.h"
#include "testsupport.h"
#include "userstore.h"

#include <QAbstractButton>
#include <QAction>
#include <QDialogButtonBox>
#include <QFile>
#include <QMenu>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTabBar>
#include <QTest>
#include <QXmlStreamReader>

using namespace tmdash;

// The English translation file the build generates (lupdate over the sources), and that the
// words people see on the desktop's buttons, menus, actions and tabs all went through tr(): each
// of them is a source string of that file.
class TestTranslations : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("guitranslations")};
    QHash<QString, QSet<QString>> m_sources; // by context
    QSet<QString> m_all;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        const QString path = qEnvironmentVariable("TMDASH_TRANSLATION_SOURCE");
        QVERIFY2(!path.isEmpty(), "TMDASH_TRANSLATION_SOURCE is not set (see tests/CMakeLists.txt)");
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        QXmlStreamReader xml(&file);
        QString context;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == u"name")
                context = xml.readElementText();
            else if (xml.name() == u"source") {
                const QString source = xml.readElementText();
                m_sources[context].insert(source);
                m_all.insert(source);
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    }

    void everyScreenHasItsStrings()
    {
        // One context per class with tr(), each screen among them.
        for (const char *context : {"tmdash::MainWindow", "tmdash::LoginDialog", "tmdash::SetupDialog",
                                    "tmdash::PatientsPage", "tmdash::PatientForm", "tmdash::PatientChart",
                                    "tmdash::VitalsForm", "tmdash::SchedulePage", "tmdash::WaitingRoomPage",
                                    "tmdash::ConsultationEditor", "tmdash::PrescriptionForm",
                                    "tmdash::UsersPage", "tmdash::ClinicSettingsPage",
                                    "tmdash::ConflictsDialog"})
            QVERIFY2(!m_sources.value(QString::fromLatin1(context)).isEmpty(), context);
        QVERIFY(m_sources.value(QStringLiteral("tmdash::MainWindow")).contains(QStringLiteral("&Sync now")));
        QVERIFY(m_all.size() > 500);
    }

    void whatPeopleSeeWentThroughTr()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        SeedOptions options;
        options.patients = 3;
        auto seeded = seedDemoData(db, options);
        QVERIFY2(seeded, seeded ? "" : qPrintable(seeded.error().message));
        const auto admin = std::find_if(seeded->users.cbegin(), seeded->users.cend(),
                                        [](const SeedUser &u) { return u.role == Role::Admin; });
        const auto doctor = std::find_if(seeded->users.cbegin(), seeded->users.cend(),
                                         [](const SeedUser &u) { return u.role == Role::Provider; });
        QVERIFY(admin != seeded->users.cend() && doctor != seeded->users.cend());
        for (const SeedUser *person : {&*admin, &*doctor}) {
            auto user = UserStore(db, Principal::owner()).get(person->id);
            QVERIFY(user);
            MainWindow window(db, Principal::person(*user), person->email);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            auto patients = PatientStore(db, Principal::person(*user)).list(1, 0);
            QVERIFY(patients && !patients->isEmpty());
            QVERIFY(window.patientsPage()->openChart(patients->first().id));
            window.showConflicts();

            QStringList untranslated;
            auto check = [&](QString text) {
                text.remove(QLatin1Char('&'));
                if (text.isEmpty() || !text.contains(QRegularExpression(QStringLiteral("[A-Za-z]"))))
                    return;
                for (const QString &source : std::as_const(m_all)) {
                    QString plain = source;
                    plain.remove(QLatin1Char('&'));
                    // A source with placeholders ("Sign %1") matches its filled-in text.
                    QString pattern = QRegularExpression::escape(plain);
                    pattern.replace(QRegularExpression(QStringLiteral("%(?:L)?\\d")), QStringLiteral(".*"));
                    pattern.replace(QStringLiteral("%n"), QStringLiteral("\\d+"));
                    if (QRegularExpression(QStringLiteral("^") + pattern + QStringLiteral("$")).match(text).hasMatch())
                        return;
                }
                untranslated << text;
            };
            QList<QWidget *> tops{&window};
            tops += window.findChildren<QWidget *>();
            for (QWidget *w : std::as_const(tops)) {
                // A dialog's standard buttons (Close, Cancel) are Qt's, in Qt's translations.
                auto *box = qobject_cast<QDialogButtonBox *>(w ? w->parentWidget() : nullptr);
                if (auto *button = qobject_cast<QAbstractButton *>(w);
                    button && !(box && box->standardButton(button) != QDialogButtonBox::NoButton))
                    check(button->text());
                if (auto *menu = qobject_cast<QMenu *>(w))
                    check(menu->title());
                if (auto *bar = qobject_cast<QTabBar *>(w); bar && bar->parentWidget() == window.tabs())
                    for (int i = 0; i < bar->count(); ++i)
                        check(bar->tabText(i));
                for (QAction *action : w->actions())
                    check(action->text());
            }
            for (QAction *action : window.findChildren<QAction *>())
                check(action->text());
            untranslated.removeDuplicates();
            QVERIFY2(untranslated.isEmpty(),
                     qPrintable(person->email + QStringLiteral(" sees text outside tr(): ")
                                + untranslated.join(QStringLiteral(" | "))));
            window.close();
        }
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_gui_translations.moc"
