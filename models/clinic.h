#pragma once

#include "ids.h"
#include "record.h"

#include <QString>
#include <QTime>
#include <QTimeZone>

#include <array>
#include <optional>

namespace tmdash {

// One weekday's opening hours as local wall-clock times in the clinic's time zone. Both set:
// open from `open` (inclusive) to `close` (exclusive end of the last appointment). Neither set:
// closed all day. Exactly one set is invalid (validateClinic reports it) and is treated as closed.
struct DayHours
{
    std::optional<QTime> open;
    std::optional<QTime> close;

    static DayHours closed() { return {}; }
    static DayHours between(QTime openAt, QTime closeAt) { return {openAt, closeAt}; }

    bool isClosed() const { return !open || !close; }
    // True when the local interval [from, to] lies within the opening hours of this day.
    bool contains(QTime from, QTime to) const;
    friend bool operator==(const DayHours &, const DayHours &) = default;
};

struct Clinic
{
    ClinicId id;
    QString name;
    QString timezone; // IANA id, e.g. "America/New_York"
    QString phone;
    QString address_line;
    QString city;
    QString region;
    QString postal_code;
    QString country; // ISO 3166-1 alpha-2
    // Index = ISO weekday - 1 (0 = Monday ... 6 = Sunday); use hoursOn() to index by ISO weekday.
    std::array<DayHours, 7> business_hours;
    RecordMeta meta;

    // isoWeekday 1 = Monday ... 7 = Sunday (QDate::dayOfWeek()). Out of range: a closed day.
    const DayHours &hoursOn(int isoWeekday) const;
    void setHoursOn(int isoWeekday, DayHours hours);
    // The same hours on Monday..Friday (weekends closed) — a convenience for set-up and tests.
    void setWeekdayHours(QTime open, QTime close);

    // The clinic's zone; invalid when `timezone` is not a known IANA id.
    QTimeZone timeZone() const;
};

// The lowercase English weekday key used in field paths and JSON ("monday" ... "sunday") for an
// ISO weekday 1..7; empty for anything else.
QString weekdayKey(int isoWeekday);
// The inverse of weekdayKey: 1..7, or nullopt.
std::optional<int> weekdayFromKey(QStringView key);

} // namespace tmdash
