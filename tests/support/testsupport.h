#pragma once

#include <QString>

namespace tmdash::test {

// The test PostgreSQL URL (TMDASH_TEST_PG). When it is missing the suite fails under CI
// (a skipped integration suite must never look green) and skips elsewhere.
// Returns an empty string when the caller should QSKIP.
QString requirePostgresUrl();
QString requireRedisUrl();

// Path of a file under the source tree (TMDASH_SOURCE_DIR).
QString sourcePath(const QString &relative);

} // namespace tmdash::test
