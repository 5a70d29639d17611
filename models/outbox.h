#pragma once

#include "database.h"
#include "enumnames.h"
#include "result.h"
#include "row.h"

#include <QList>
#include <QSet>

namespace tmdash {

// The sync protocol version every outbox row carries; the central refuses versions outside its
// accepted range ("upgrade required").
inline constexpr int kSyncProtocolVersion = 1;

enum class OutboxOp { Insert, Update, Delete, State };

template<>
struct EnumNames<OutboxOp>
{
    static constexpr std::array<std::pair<OutboxOp, const char *>, 4> names{{
        {OutboxOp::Insert, "insert"},
        {OutboxOp::Update, "update"},
        {OutboxOp::Delete, "delete"},
        {OutboxOp::State, "state"},
    }};
};

// One pending local change (DESIGN.md, "Local writes"): for insert the full row, otherwise
// {field: {"old": .., "new": ..}} for the changed fields only.
struct OutboxEntry
{
    qint64 seq = 0;
    QString mutation_id;
    QString entity; // table name
    QString entity_id;
    OutboxOp op = OutboxOp::Insert;
    qint64 base_version = 0;
    QJsonObject changes;
    QString actor_id;
    QString device_id;
    int protocol = kSyncProtocolVersion;
    QString created_at;
    QString status = QStringLiteral("pending");
    QString error;
};

// Appends one outbox row; call inside the transaction of the change it records.
Status appendOutbox(const Database &db, OutboxEntry entry);

// Pending (or all) outbox rows in seq order.
Result<QList<OutboxEntry>> outboxEntries(const Database &db, bool pendingOnly = true, int limit = -1);

// Desktop-local settings kept in sync_state (never synced).
Result<QString> syncStateValue(const Database &db, const QString &key);
Status setSyncStateValue(const Database &db, const QString &key, const QString &value);

// This desktop's id, made on first use and kept in sync_state.
Result<QString> deviceId(const Database &db);

// The central's answer to a pushed mutation (the sync engine, in the transaction that applies it):
// acknowledged rows leave the outbox; a refused one stays as 'rejected' with the central's reason
// (the rejections list a person works through).
Status acknowledgeOutbox(const Database &db, const QString &mutationId);
Status rejectOutbox(const Database &db, const QString &mutationId, const QString &reason);
// Whether the record has local changes still to push, and every such record.
Result<bool> hasPendingOutbox(const Database &db, const QString &entityId);
Result<QSet<QString>> pendingOutboxRecords(const Database &db);

// Mutation ids whose rejection or conflicts a person has dealt with here (retried, discarded or
// resolved). The next push names them to the central (tmdash_push "resolved"), which then stops
// rejecting later mutations of the same record as dependent; once sent they are forgotten.
Status markMutationResolved(const Database &db, const QString &mutationId);
Result<QStringList> resolvedMutations(const Database &db);
Status forgetResolvedMutations(const Database &db, const QStringList &sent);

} // namespace tmdash
