#pragma once

#include "enumnames.h"
#include "outbox.h"
#include "storebase.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>

#include <optional>

namespace tmdash {

// How a person settles a conflict: the central's value stays (it is already the record's), this
// desktop's value is written again, or a value of their own.
enum class ConflictResolution { Local, Central, Merged };

template <> struct EnumNames<ConflictResolution>
{
    static constexpr std::array<std::pair<ConflictResolution, const char *>, 3> names{{
        {ConflictResolution::Local, "local"},
        {ConflictResolution::Central, "central"},
        {ConflictResolution::Merged, "merged"},
    }};
};

// One field of a pushed change that the central did not take because its value had changed
// there meanwhile (DESIGN.md, "Sync"): a row of the desktop's `conflicts` table, filled by the
// sync engine. The record already holds central_value.
struct SyncConflict
{
    QString id;     // the central's conflict id
    QString entity; // table name
    QString entity_id;
    QString field;
    QJsonValue local_value;   // what this desktop wanted
    QJsonValue central_value; // what the central kept
    QString mutation_id;      // the pushed mutation
    QDateTime detected_at;
    std::optional<QDateTime> resolved_at;
    std::optional<ConflictResolution> resolution;

    bool isOpen() const { return !resolved_at.has_value(); }
};

// Records a conflict the central reported (the sync engine, in the transaction that applies the
// push's answer; detected now). Recording the same id again does nothing.
Status recordConflict(const Database &db, const SyncConflict &conflict);

enum class ConflictFilter { Open, All };

// What a person does about the sync engine's conflicts and rejections (a rejection: an outbox row
// with status `rejected` and the central's reason in `error`, holding the refused change). Every
// write goes through the record's own store (recordeditor.h), so it is validated, audited and
// pushed as a new mutation like any edit, and runs in one transaction with its bookkeeping here
// (the resolution mark, removing the rejected row, markMutationResolved and an audit entry of its
// own): a refused write leaves everything as it was.
//
// Who: the patient role never (NotPermitted); listing shows what the caller's role may read
// (RecordEditor::readAction); resolving, retrying and discarding need the role's write action for
// the record's table (RecordEditor::writeAction), checked before anything about the record; a
// record outside the caller's clinic behaves as absent (NotFound). A central (PostgreSQL) keeps
// no conflicts or rejections of its own: the lists are empty there.
class SyncResolutionStore : public StoreBase
{
public:
    using StoreBase::StoreBase;

    // The conflicts the caller may see, oldest first; with ConflictFilter::All the resolved ones
    // too.
    Result<QList<SyncConflict>> conflicts(ConflictFilter filter = ConflictFilter::Open) const;

    // Settles an open conflict. Central: only marks it. Local: writes local_value through the
    // store. Merged: writes `merged` (a value for the conflict's field; Invalid {"value",
    // "required"} without one). A value the store refuses is Invalid with its field errors and
    // the conflict stays open; an already resolved conflict is Invalid {"id", "resolved"}. Once
    // every conflict of the pushed mutation is resolved, the mutation is marked resolved
    // (markMutationResolved). Returns the resolved conflict.
    Result<SyncConflict> resolve(const QString &conflictId, ConflictResolution keep,
                                 const std::optional<QJsonValue> &merged = std::nullopt) const;

    // The refused changes the caller may see, in outbox order.
    Result<QList<OutboxEntry>> rejections() const;

    // Applies the refused change again as a new mutation, with `edits` ({field: value}) over it:
    // an insert creates the record again (same id, the row with the edits), an update or a state
    // change sets the fields' new values with the edits (a state change through the record's
    // transition), a delete retracts the record (no edits allowed). Then removes the rejected row
    // and marks the mutation resolved. Invalid with field errors (nothing changed) when the store
    // refuses it.
    Status retry(const QString &mutationId, const QJsonObject &edits = {}) const;

    // Drops the refused change: removes the rejected row and marks the mutation resolved; the
    // record stays as the central has it. Audited ("rejection_discarded").
    Status discard(const QString &mutationId) const;

private:
    Status permitHandling() const;
    Result<SyncConflict> loadConflict(const QString &id) const;
    Result<OutboxEntry> loadRejection(const QString &mutationId) const;
    // Whether the record is in the caller's scope: the stored row (tombstones included), else
    // `absentRow` (a refused insert's row); a record stored nowhere is this desktop's clinic's.
    Result<bool> recordInScope(const QString &entity, const QString &entityId,
                               const Row &absentRow = {}) const;
    // NotPermitted unless the caller may change records of `entity`; NotFound when the record
    // is outside their scope.
    Status permitChange(const QString &entity, const QString &entityId, const Row &absentRow,
                        const QString &what) const;
    Status audit(const QString &action, const QString &entity, const QString &entityId,
                 const QJsonObject &fields) const;
};

} // namespace tmdash
