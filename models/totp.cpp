#include "totp.h"

#include <sodium.h>

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QUrl>

#include <algorithm>
#include <array>

namespace tmdash {

namespace {

bool sodiumReady()
{
    static const bool ready = sodium_init() >= 0;
    return ready;
}

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int base32Value(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'A' && u <= u'Z')
        return u - u'A';
    if (u >= u'a' && u <= u'z')
        return u - u'a';
    if (u >= u'2' && u <= u'7')
        return u - u'2' + 26;
    return -1;
}

// floor(a / b) for b > 0, where C++ division truncates towards zero.
qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

QString codeForStep(const QByteArray &secret, qint64 step, int digits)
{
    // RFC 4226: HMAC-SHA1 over the 8-byte big-endian counter, then dynamic truncation.
    std::array<char, 8> counter{};
    auto value = static_cast<quint64>(step);
    for (int i = 7; i >= 0; --i) {
        counter[size_t(i)] = char(value & 0xff);
        value >>= 8;
    }
    const QByteArray mac = QMessageAuthenticationCode::hash(
        QByteArray(counter.data(), qsizetype(counter.size())), secret, QCryptographicHash::Sha1);
    const int offset = mac.at(mac.size() - 1) & 0x0f;
    const quint32 binary = (quint32(quint8(mac.at(offset)) & 0x7f) << 24) |
                           (quint32(quint8(mac.at(offset + 1))) << 16) |
                           (quint32(quint8(mac.at(offset + 2))) << 8) |
                           quint32(quint8(mac.at(offset + 3)));
    quint32 modulus = 1;
    for (int i = 0; i < digits; ++i)
        modulus *= 10;
    return QString::number(binary % modulus).rightJustified(digits, u'0');
}

} // namespace

QString base32Encode(const QByteArray &bytes)
{
    QString out;
    out.reserve((bytes.size() * 8 + 4) / 5);
    quint32 buffer = 0;
    int bits = 0;
    for (const char byte : bytes) {
        buffer = (buffer << 8) | quint8(byte);
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out.append(QLatin1Char(kBase32Alphabet[(buffer >> bits) & 0x1f]));
        }
    }
    if (bits > 0)
        out.append(QLatin1Char(kBase32Alphabet[(buffer << (5 - bits)) & 0x1f]));
    return out;
}

std::optional<QByteArray> base32Decode(QStringView text)
{
    QByteArray out;
    quint32 buffer = 0;
    int bits = 0;
    qsizetype symbols = 0;
    bool padding = false;
    for (const QChar c : text) {
        if (c == u' ' || c == u'-')
            continue;
        if (c == u'=') {
            padding = true;
            continue;
        }
        const int value = base32Value(c);
        if (value < 0 || padding)
            return std::nullopt;
        buffer = (buffer << 5) | quint32(value);
        bits += 5;
        ++symbols;
        if (bits >= 8) {
            bits -= 8;
            out.append(char((buffer >> bits) & 0xff));
        }
    }
    switch (symbols % 8) {
    case 1:
    case 3:
    case 6:
        return std::nullopt;
    default:
        return out;
    }
}

QByteArray newTotpSecret()
{
    QByteArray secret(20, Qt::Uninitialized);
    if (!sodiumReady())
        qFatal("libsodium could not be initialised");
    randombytes_buf(secret.data(), size_t(secret.size()));
    return secret;
}

qint64 totpStep(qint64 unixTime)
{
    return floorDiv(unixTime, kTotpPeriodSeconds);
}

QString totpCode(const QByteArray &secret, qint64 unixTime, int digits)
{
    return codeForStep(secret, totpStep(unixTime), std::clamp(digits, 1, 9));
}

std::optional<qint64> matchTotp(const QByteArray &secret, QStringView code, qint64 unixTime,
                                std::optional<qint64> lastUsedStep, int window)
{
    if (!sodiumReady())
        return std::nullopt;
    QByteArray given;
    for (const QChar c : code) {
        if (c.isSpace())
            continue;
        if (c < u'0' || c > u'9')
            return std::nullopt;
        given.append(char(c.unicode()));
    }
    if (given.size() != kTotpDigits)
        return std::nullopt;
    const qint64 now = totpStep(unixTime);
    window = std::max(window, 0);
    std::optional<qint64> matched;
    for (qint64 step = now - window; step <= now + window; ++step) {
        if (lastUsedStep && step <= *lastUsedStep)
            continue;
        const QByteArray expected = codeForStep(secret, step, kTotpDigits).toLatin1();
        if (sodium_memcmp(expected.constData(), given.constData(), size_t(kTotpDigits)) == 0)
            matched = step;
    }
    return matched;
}

QString otpauthUri(const QString &email, const QByteArray &secret)
{
    // Key Uri Format: the label is "issuer:account"; the colon stays literal, the account is
    // percent-encoded (so '@' becomes %40 and '+' becomes %2B, which a query would read as space).
    const auto encode = [](const QString &s) {
        return QString::fromLatin1(QUrl::toPercentEncoding(s));
    };
    return QStringLiteral("otpauth://totp/") + encode(QStringLiteral("TMDash")) + u':' +
           encode(email) + QStringLiteral("?secret=") + encode(base32Encode(secret)) +
           QStringLiteral("&issuer=") + encode(QStringLiteral("TMDash"));
}

} // namespace tmdash
