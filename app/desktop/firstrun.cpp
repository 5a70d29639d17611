#include "firstrun.h"

#include "firstsync.h"
#include "outbox.h"
#include "seeder.h"
#include "setupdialog.h"

#include <QSqlQuery>
#include <QTimer>
#include <QUrl>

namespace tmdash {

namespace {

const QString kCentralKey = QStringLiteral("central_url");

} // namespace

bool hasClinic(const Database &db)
{
    QSqlQuery q(db.connection());
    return q.exec(QStringLiteral("SELECT 1 FROM clinics LIMIT 1")) && q.next();
}

QString rememberedCentral(const Database &db)
{
    auto url = syncStateValue(db, kCentralKey);
    return url ? *url : QString();
}

bool runFirstRun(const Database &db, const QString &localUrl, const QString &centralUrl,
                 const QString &redisUrl)
{
    SetupDialog dialog(centralUrl);
    FirstSync sync;
    QObject::connect(&dialog, &SetupDialog::setUpRequested, &sync,
                     [&](const QString &central, const QString &clinic) {
                         SyncOptions options = SyncOptions::fromEnvironment();
                         options.centralUrl = central;
                         options.clinic = clinic;
                         options.redisUrl = redisUrl;
                         sync.start(localUrl, options);
                     });
    QObject::connect(&sync, &FirstSync::progress, &dialog, &SetupDialog::showProgress);
    QObject::connect(&sync, &FirstSync::finished, &dialog, [&](bool ok, const QString &message) {
        if (ok) {
            QUrl remembered(dialog.centralUrl());
            remembered.setPassword(QString());
            const Status stored = setSyncStateValue(db, kCentralKey, remembered.toString());
            Q_UNUSED(stored) // only a convenience for the next start
        }
        dialog.finishWork(ok, message);
    });
    QObject::connect(&dialog, &SetupDialog::cancelRequested, &sync, &FirstSync::cancel);
    QObject::connect(&dialog, &SetupDialog::demoRequested, &dialog, [&] {
        // Seeding takes a moment; let the dialog show its message first.
        QTimer::singleShot(0, &dialog, [&] {
            auto seeded = seedDemoData(db, SeedOptions{});
            dialog.finishWork(bool(seeded), seeded ? QString() : seeded.error().message);
        });
    });
    if (dialog.exec() != QDialog::Accepted)
        return false;
    return hasClinic(db);
}

} // namespace tmdash
