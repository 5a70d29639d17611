#include "passwordhash.h"

#include <sodium.h>

#include <QByteArray>

namespace tmdash {

namespace {

// sodium_init() is thread-safe and idempotent, but a function-local static makes the "once"
// explicit and cheap.
bool sodiumReady()
{
    static const bool ready = sodium_init() >= 0;
    return ready;
}

constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

} // namespace

Result<QString> hashPassword(const QString &password)
{
    if (!sodiumReady())
        return Error::storage(QStringLiteral("libsodium could not be initialised"));
    const QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, utf8.constData(), static_cast<unsigned long long>(utf8.size()),
                              kOpsLimit, kMemLimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return Error::storage(QStringLiteral("hashing the password failed (out of memory)"));
    return QString::fromLatin1(out);
}

bool verifyPassword(const QString &hash, const QString &password)
{
    if (hash.isEmpty() || !sodiumReady())
        return false;
    const QByteArray h = hash.toLatin1();
    if (h.size() >= crypto_pwhash_STRBYTES)
        return false;
    const QByteArray utf8 = password.toUtf8();
    return crypto_pwhash_str_verify(h.constData(), utf8.constData(),
                                    static_cast<unsigned long long>(utf8.size())) == 0;
}

bool passwordNeedsRehash(const QString &hash)
{
    if (!sodiumReady() || !hash.startsWith(QLatin1String("$argon2id$")))
        return true;
    const QByteArray h = hash.toLatin1();
    return crypto_pwhash_str_needs_rehash(h.constData(), kOpsLimit, kMemLimit) != 0;
}

} // namespace tmdash
