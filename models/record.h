#pragma once

#include "ids.h"

#include <QDateTime>

#include <optional>

namespace tmdash {

// The bookkeeping every synced row carries (DESIGN.md, "Synced row columns"). Read-only for
// people: the stores fill it, and `version` is only ever set by the central.
struct RecordMeta
{
    QDateTime created_at;
    UserId created_by;
    QDateTime updated_at;
    UserId updated_by;
    qint64 version = 0;
    std::optional<QDateTime> deleted_at;

    bool isDeleted() const { return deleted_at.has_value(); }
};

} // namespace tmdash
