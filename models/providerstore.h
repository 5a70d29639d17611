#pragma once

#include "provider.h"
#include "storebase.h"

#include <QHash>
#include <QList>

namespace tmdash {

// Providers with their owned lists (weekly availability, time off). Every write validates with
// validateProvider as of today (UTC), checks inside its transaction that the provider's user
// exists in the same clinic ("user_id"/"not_found"), and on a desktop appends one outbox row per
// changed record; a failed write leaves nothing behind. One live provider per user and NPIs
// unique per clinic ("user_id"/"npi", "duplicate"), tombstones ignored. Reads need
// ReadProviders, writes ManageProviders (permissions.h), checked before anything else.
class ProviderStore : public StoreBase
{
public:
    using StoreBase::StoreBase;

    // Creates the provider and its lists; assigns the id when empty and the clinic (the
    // caller's).
    Result<Provider> create(Provider provider) const;
    // The provider with its live lists (availability by weekday and start, time off by start);
    // NotFound when absent, deleted or outside the caller's clinic.
    Result<Provider> get(const ProviderId &id) const;
    // Stores `edited` (a full provider as returned by get, with changes): only changed fields
    // and list rows are written; list rows missing from `edited` are tombstoned.
    Result<Provider> update(const Provider &edited) const;
    // Tombstones the provider and its lists.
    Status remove(const ProviderId &id) const;
    // The live providers the caller can see, with their lists, by their user's family and given
    // name.
    Result<QList<Provider>> list() const;
    // "Given Family" of each provider the caller can see, by provider id: what a schedule or a
    // provider list shows, for roles that may read providers but not user accounts.
    Result<QHash<QString, QString>> displayNames() const;

private:
    Result<Provider> load(const Row &row) const;
    Status writeLists(const Provider &provider, bool creating) const;
    Status checkUser(const Provider &provider) const;
};

} // namespace tmdash
