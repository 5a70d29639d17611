#include "syncindicator.h"

#include <QCoreApplication>

namespace tmdash {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("SyncIndicator", text, nullptr, n);
}

} // namespace

QString SyncIndicator::text() const
{
    if (!configured)
        return tr("Offline desktop (no central server configured)");
    QStringList parts;
    parts << (syncing ? tr("Syncing...") : online ? tr("Online") : tr("Offline"));
    if (pending > 0)
        parts << tr("%n change(s) to send", pending);
    parts << (lastSuccess.isValid()
                  ? tr("last sync %1").arg(lastSuccess.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")))
                  : tr("never synced"));
    if (openConflicts > 0)
        parts << tr("%n conflict(s) to review", openConflicts);
    if (rejections > 0)
        parts << tr("%n refused change(s)", rejections);
    if (stalled)
        parts << tr("waiting for the central");
    if (redisConfigured)
        parts << (redisOnline ? tr("live updates on") : tr("live updates off (polling)"));
    if (!online && !lastError.isEmpty())
        parts << lastError;
    return parts.join(QStringLiteral(" · "));
}

} // namespace tmdash
