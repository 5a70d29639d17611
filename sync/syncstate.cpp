#include "syncstate.h"

#include "clock.h"
#include "outbox.h"
#include "transaction.h"

#include <QSqlError>
#include <QSqlQuery>

namespace tmdash {

namespace {

const QString kCursorXid = QStringLiteral("pull_xid");
const QString kCursorId = QStringLiteral("pull_id");

Result<int> count(const Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return Error::storage(q.lastError().text());
    return q.value(0).toInt();
}

} // namespace

Result<SyncCursor> readCursor(const Database &local)
{
    auto xid = syncStateValue(local, kCursorXid);
    if (!xid)
        return xid.error();
    auto id = syncStateValue(local, kCursorId);
    if (!id)
        return id.error();
    return SyncCursor{xid->toULongLong(), id->toLongLong()};
}

Status writeCursor(const Database &local, quint64 xid, qint64 id)
{
    if (Status s = setSyncStateValue(local, kCursorXid, QString::number(xid)); !s)
        return s;
    return setSyncStateValue(local, kCursorId, QString::number(id));
}

Status recordOutcome(const Database &local, const Status &outcome, bool stalled)
{
    Transaction tx(local);
    if (!tx.started())
        return tx.started();
    if (outcome) {
        if (Status s = setSyncStateValue(local, QString::fromLatin1(kStateLastSuccess),
                                         formatInstant(nowUtc()));
            !s)
            return s;
    }
    if (Status s = setSyncStateValue(local, QString::fromLatin1(kStateLastError),
                                     outcome ? QString() : outcome.error().message);
        !s)
        return s;
    if (Status s = setSyncStateValue(local, QString::fromLatin1(kStateStalled),
                                     stalled ? QStringLiteral("1") : QString());
        !s)
        return s;
    return tx.commit();
}

Result<SyncStatus> readSyncStatus(const Database &local)
{
    SyncStatus status;
    auto pending = count(local, QStringLiteral("SELECT count(*) FROM outbox WHERE status = 'pending'"));
    auto rejected = count(local, QStringLiteral("SELECT count(*) FROM outbox WHERE status = 'rejected'"));
    auto conflicts = count(local, QStringLiteral("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL"));
    for (const auto *r : {&pending, &rejected, &conflicts})
        if (!*r)
            return r->error();
    status.pending = *pending;
    status.rejections = *rejected;
    status.openConflicts = *conflicts;
    QString values[5];
    const char *keys[5] = {kStateLastSuccess, kStateLastError, kStateStalled, kStateClinic, kStateMissing};
    for (int i = 0; i < 5; ++i) {
        auto v = syncStateValue(local, QString::fromLatin1(keys[i]));
        if (!v)
            return v.error();
        values[i] = *v;
    }
    status.lastSuccess = values[0].isEmpty() ? QDateTime() : QDateTime::fromString(values[0], Qt::ISODateWithMs);
    status.lastError = values[1];
    status.online = values[1].isEmpty() && !values[0].isEmpty();
    status.stalled = values[2] == QLatin1String("1");
    status.clinicId = values[3];
    status.missingOnCentral = values[4].isEmpty() ? QStringList() : values[4].split(QLatin1Char('\n'));
    return status;
}

} // namespace tmdash
