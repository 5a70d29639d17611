#include "clock.h"

#include <atomic>

#include <QRegularExpression>
#include <QTimeZone>

namespace tmdash {

namespace {

std::atomic<qint64> &clockOffset()
{
    static std::atomic<qint64> offset{qEnvironmentVariableIntValue("TMDASH_CLOCK_OFFSET_SECONDS")};
    return offset;
}

} // namespace

QDateTime nowUtc()
{
    return QDateTime::currentDateTimeUtc().addSecs(clockOffset().load(std::memory_order_relaxed));
}

void setClockOffsetSeconds(qint64 seconds)
{
    clockOffset().store(seconds, std::memory_order_relaxed);
}

QDate todayUtc()
{
    return nowUtc().date();
}

QString formatInstant(const QDateTime &instant)
{
    // Written by hand: every record write stamps a few instants, and QDateTime::toString with a
    // format parses that format each time.
    if (!instant.isValid())
        return QString();
    const QDateTime utc = instant.toUTC();
    const QDate date = utc.date();
    const QTime time = utc.time();
    if (date.year() < 0 || date.year() > 9999)
        return utc.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    char text[24];
    auto put = [&text](int at, int value, int digits) {
        for (int i = digits - 1; i >= 0; --i, value /= 10)
            text[at + i] = char('0' + value % 10);
    };
    put(0, date.year(), 4);
    text[4] = '-';
    put(5, date.month(), 2);
    text[7] = '-';
    put(8, date.day(), 2);
    text[10] = 'T';
    put(11, time.hour(), 2);
    text[13] = ':';
    put(14, time.minute(), 2);
    text[16] = ':';
    put(17, time.second(), 2);
    text[19] = '.';
    put(20, time.msec(), 3);
    text[23] = 'Z';
    return QString::fromLatin1(text, 24);
}

namespace {

// The canonical form "YYYY-MM-DDTHH:MM:SS.sssZ" (what every stored instant is), read without
// the general pattern below: each row read back parses a few of them.
std::optional<QDateTime> parseCanonicalInstant(QStringView text)
{
    static constexpr char kShape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (text.size() != 24)
        return std::nullopt;
    for (int i = 0; i < 24; ++i) {
        const char16_t c = text[i].unicode();
        if (kShape[i] == 'd' ? (c < u'0' || c > u'9') : c != char16_t(kShape[i]))
            return std::nullopt;
    }
    auto number = [&text](int at, int digits) {
        int value = 0;
        for (int i = 0; i < digits; ++i)
            value = value * 10 + (text[at + i].unicode() - u'0');
        return value;
    };
    const QDate date(number(0, 4), number(5, 2), number(8, 2));
    const QTime time(number(11, 2), number(14, 2), number(17, 2), number(20, 3));
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    return QDateTime(date, time, Qt::UTC);
}

} // namespace

std::optional<QDateTime> parseInstant(const QString &text)
{
    if (auto canonical = parseCanonicalInstant(text))
        return canonical;
    static const QRegularExpression re(QStringLiteral(
        R"(^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})$)"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    int msec = 0;
    if (!m.captured(7).isEmpty())
        msec = QString(m.captured(7) + QStringLiteral("00")).left(3).toInt();
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt(), msec);
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    QString zone = m.captured(8);
    int offsetSeconds = 0;
    if (zone.compare(QStringLiteral("Z"), Qt::CaseInsensitive) != 0) {
        zone.remove(QLatin1Char(':'));
        const int sign = zone.startsWith(QLatin1Char('-')) ? -1 : 1;
        const int hours = zone.mid(1, 2).toInt();
        const int minutes = zone.mid(3, 2).toInt();
        if (hours > 18 || minutes > 59)
            return std::nullopt;
        offsetSeconds = sign * (hours * 3600 + minutes * 60);
    }
    return QDateTime(date, time, Qt::OffsetFromUTC, offsetSeconds).toUTC();
}

QString formatDate(const QDate &date)
{
    return date.toString(QStringLiteral("yyyy-MM-dd"));
}

std::optional<QDate> parseDate(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(R"(^\d{4}-\d{2}-\d{2}$)"));
    if (!re.match(text).hasMatch())
        return std::nullopt;
    const QDate d = QDate::fromString(text, QStringLiteral("yyyy-MM-dd"));
    if (!d.isValid())
        return std::nullopt;
    return d;
}

} // namespace tmdash
