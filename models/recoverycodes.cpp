#include "recoverycodes.h"

#include <sodium.h>

#include <QByteArray>

namespace tmdash {

namespace {

bool sodiumReady()
{
    static const bool ready = sodium_init() >= 0;
    return ready;
}

// Crockford base32: 32 symbols (5 bits each) without the look-alikes i, l, o and u.
constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
constexpr int kSymbols = 12; // 60 bits
constexpr int kGroup = 4;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = crypto_generichash_BYTES; // 32
constexpr QLatin1String kPrefix("b2$");

static_assert(kSaltBytes >= crypto_generichash_KEYBYTES_MIN);

// The canonical 12 symbols of a code as typed, or empty when it is not a code.
QByteArray normalise(QStringView code)
{
    QByteArray out;
    for (const QChar c : code) {
        if (c.isSpace() || c == u'-')
            continue;
        char16_t u = c.toLower().unicode();
        if (u == u'i' || u == u'l')
            u = u'1';
        else if (u == u'o')
            u = u'0';
        const bool known = (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'z' && u != u'u');
        if (!known || out.size() == kSymbols)
            return {};
        out.append(char(u));
    }
    return out.size() == kSymbols ? out : QByteArray();
}

QByteArray digest(const QByteArray &normalised, const QByteArray &salt)
{
    QByteArray out(qsizetype(kHashBytes), Qt::Uninitialized);
    crypto_generichash(reinterpret_cast<unsigned char *>(out.data()), kHashBytes,
                       reinterpret_cast<const unsigned char *>(normalised.constData()),
                       quint64(normalised.size()),
                       reinterpret_cast<const unsigned char *>(salt.constData()), kSaltBytes);
    return out;
}

QString hashNormalised(const QByteArray &normalised)
{
    QByteArray salt(qsizetype(kSaltBytes), Qt::Uninitialized);
    randombytes_buf(salt.data(), kSaltBytes);
    return kPrefix + QString::fromLatin1(salt.toBase64()) + u'$' +
           QString::fromLatin1(digest(normalised, salt).toBase64());
}

QString newCode()
{
    QString code;
    for (int i = 0; i < kSymbols; ++i) {
        if (i > 0 && i % kGroup == 0)
            code.append(u'-');
        code.append(QLatin1Char(kAlphabet[randombytes_uniform(32)]));
    }
    return code;
}

} // namespace

RecoveryCodes newRecoveryCodes(int count)
{
    RecoveryCodes out;
    if (!sodiumReady())
        qFatal("libsodium could not be initialised");
    while (out.codes.size() < count) {
        const QString code = newCode();
        if (out.codes.contains(code)) // 2^-60 per pair, but "distinct" is the promise
            continue;
        out.codes.append(code);
        out.hashes.append(hashNormalised(normalise(code)));
    }
    return out;
}

QString hashRecoveryCode(QStringView code)
{
    const QByteArray normalised = normalise(code);
    if (normalised.isEmpty() || !sodiumReady())
        return {};
    return hashNormalised(normalised);
}

std::optional<int> matchRecoveryCode(const QStringList &hashes, QStringView code)
{
    const QByteArray normalised = normalise(code);
    if (normalised.isEmpty() || !sodiumReady())
        return std::nullopt;
    std::optional<int> matched;
    for (int i = 0; i < hashes.size(); ++i) {
        const QString &stored = hashes.at(i);
        if (!stored.startsWith(kPrefix))
            continue;
        const QStringView rest = QStringView(stored).mid(kPrefix.size());
        const qsizetype dollar = rest.indexOf(u'$');
        if (dollar < 0)
            continue;
        const auto salt = QByteArray::fromBase64Encoding(rest.left(dollar).toLatin1(),
                                                         QByteArray::AbortOnBase64DecodingErrors);
        const auto hash = QByteArray::fromBase64Encoding(rest.mid(dollar + 1).toLatin1(),
                                                         QByteArray::AbortOnBase64DecodingErrors);
        if (!salt || !hash || salt.decoded.size() != qsizetype(kSaltBytes) ||
            hash.decoded.size() != qsizetype(kHashBytes))
            continue;
        const QByteArray computed = digest(normalised, salt.decoded);
        if (sodium_memcmp(computed.constData(), hash.decoded.constData(), kHashBytes) == 0 &&
            !matched)
            matched = i;
    }
    return matched;
}

} // namespace tmdash
