#pragma once

#include <QDate>
#include <QDateTime>
#include <QString>

#include <optional>

namespace tmdash {

// The current instant in UTC, shifted by TMDASH_CLOCK_OFFSET_SECONDS when set (for clock-skew
// tests: a desktop whose clock is off must still behave).
QDateTime nowUtc();
QDate todayUtc();
// Replaces the offset of nowUtc() in this process (tests that move time forward).
void setClockOffsetSeconds(qint64 seconds);

// The one stored form of an instant: UTC, milliseconds, "YYYY-MM-DDTHH:MM:SS.sssZ", so that text
// order is time order.
QString formatInstant(const QDateTime &instant);

// Any ISO 8601 instant with `Z` or an offset, with or without a fraction; nullopt otherwise
// (an instant without a zone is ambiguous and refused).
std::optional<QDateTime> parseInstant(const QString &text);

// "YYYY-MM-DD" (strict).
QString formatDate(const QDate &date);
std::optional<QDate> parseDate(const QString &text);

} // namespace tmdash
