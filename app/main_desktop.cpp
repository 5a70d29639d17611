#include "clock.h"
#include "database.h"
#include "desktoppresence.h"
#include "desktopsync.h"
#include "firstrun.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "outbox.h"
#include "userstore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QMessageBox>
#include <QTranslator>

#include <memory>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tmdash"));
    QApplication::setOrganizationName(QStringLiteral("TMDash"));
    // The strings in the person's language where a translation exists; English is the source.
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("tmdash"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("TMDash Clinic desktop"));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("db"), QStringLiteral("Local database URL (fallback TMDASH_DB)."), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("central"), QStringLiteral("Central PostgreSQL URL."), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("redis"), QStringLiteral("Redis URL."), QStringLiteral("URL")});
    parser.process(app);

    QString url = parser.value(QStringLiteral("db"));
    if (url.isEmpty())
        url = qEnvironmentVariable("TMDASH_DB");
    if (url.isEmpty()) {
        QMessageBox::critical(nullptr, QObject::tr("TMDash Clinic"),
                              QObject::tr("No database given: start with --db sqlite:PATH (or set TMDASH_DB)."));
        return 64;
    }
    auto db = tmdash::Database::open(url);
    // A new desktop database is made ready here (an older one too); a newer one is refused.
    tmdash::Status ready = db ? db->migrateToLatest() : tmdash::Status(db.error());
    if (ready)
        ready = db->requireCurrentSchema();
    if (!ready) {
        QMessageBox::critical(nullptr, QObject::tr("TMDash Clinic"),
                              QObject::tr("The database cannot be used: %1").arg(ready.error().message));
        return 5;
    }
    QString central = parser.value(QStringLiteral("central"));
    if (central.isEmpty())
        central = qEnvironmentVariable("TMDASH_CENTRAL");
    QString redis = parser.value(QStringLiteral("redis"));
    if (redis.isEmpty())
        redis = qEnvironmentVariable("TMDASH_REDIS");
    if (!tmdash::hasClinic(*db) && !tmdash::runFirstRun(*db, url, central, redis))
        return 0;

    tmdash::LoginDialog login(*db);
    if (login.exec() != QDialog::Accepted)
        return 0;
    tmdash::MainWindow window(*db, login.principal(), login.email());
    // Sync runs when a central is known (given, or remembered from the first run) and the
    // database is not demo data.
    if (central.isEmpty())
        central = tmdash::rememberedCentral(*db);
    auto demo = tmdash::syncStateValue(*db, QStringLiteral("demo"));
    std::unique_ptr<tmdash::DesktopSync> sync;
    if (!central.isEmpty() && !(demo && *demo == QLatin1String("1"))) {
        tmdash::SyncEngineSettings settings = tmdash::SyncEngineSettings::fromEnvironment(url);
        settings.sync.centralUrl = central;
        settings.sync.redisUrl = redis;
        sync = std::make_unique<tmdash::DesktopSync>(&window, settings);
    }
    // Presence: who else edits the record this person edits (through Redis, when configured).
    std::unique_ptr<tmdash::DesktopPresence> presence;
    if (!redis.isEmpty() && !(demo && *demo == QLatin1String("1"))) {
        tmdash::PresenceHolder me;
        me.user_id = login.principal().user_id;
        me.since = tmdash::nowUtc();
        if (auto device = tmdash::deviceId(*db))
            me.device_id = *device;
        if (auto user = tmdash::UserStore(*db, tmdash::Principal::owner()).get(me.user_id))
            me.display_name = user->displayName();
        presence = std::make_unique<tmdash::DesktopPresence>(&window, redis, login.principal().clinic_id, me);
    }
    window.show();
    const int code = app.exec();
    presence.reset(); // this person's marks are removed before the window goes
    sync.reset();     // the engine stops before the window goes
    return code;
}
