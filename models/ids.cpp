#include "ids.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <array>

namespace tmdash {

QString newUuidV7()
{
    const quint64 ms = quint64(QDateTime::currentMSecsSinceEpoch());
    std::array<quint8, 16> b{};
    for (int i = 0; i < 6; ++i)
        b[size_t(i)] = quint8(ms >> (40 - 8 * i));
    std::array<quint32, 3> random{};
    QRandomGenerator::system()->fillRange(random.data(), random.size());
    for (size_t i = 6; i < 16; ++i)
        b[i] = quint8(random[(i - 6) / 4] >> (8 * ((i - 6) % 4)));
    b[6] = quint8(0x70 | (b[6] & 0x0f)); // version 7
    b[8] = quint8(0x80 | (b[8] & 0x3f)); // RFC 4122 variant
    static const char hex[] = "0123456789abcdef";
    QString out;
    out.reserve(36);
    for (size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out += QLatin1Char('-');
        out += QLatin1Char(hex[b[i] >> 4]);
        out += QLatin1Char(hex[b[i] & 0x0f]);
    }
    return out;
}

bool isUuid(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    return re.match(text).hasMatch();
}

} // namespace tmdash
