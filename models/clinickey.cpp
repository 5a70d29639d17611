#include "clinickey.h"

#include <sodium.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryFile>

namespace tmdash {

namespace {

bool sodiumReady()
{
    static const bool ready = sodium_init() >= 0;
    return ready;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("ClinicKey", text);
}

constexpr qsizetype kKeyBytes = crypto_secretbox_KEYBYTES;
constexpr qsizetype kNonceBytes = crypto_secretbox_NONCEBYTES;
constexpr qsizetype kMacBytes = crypto_secretbox_MACBYTES;
constexpr QLatin1String kSealPrefix("sb1:");
constexpr qint64 kMaxKeyFileBytes = 1024;

// Wipes a buffer this file owns alone (a shared one would be copied first, leaving the original).
void wipe(QByteArray &bytes)
{
    if (!bytes.isEmpty())
        sodium_memzero(bytes.data(), size_t(bytes.size())); // data() detaches first
    bytes.clear();
}

Error integrity(const QString &message)
{
    return {ErrorCode::Integrity, message, {}};
}

Status checkClinic(const ClinicId &clinic)
{
    if (!isUuid(clinic.value))
        return Error::invalid(QStringLiteral("clinic_id"), QStringLiteral("format"),
                              tr("The clinic id \"%1\" is not a UUID.").arg(clinic.value));
    return {};
}

QString howToImport(const ClinicId &clinic)
{
    return tr("Export the key on a desktop already set up for this clinic "
              "(tmdashctl clinic key export %1) and import it here "
              "(tmdashctl clinic key import %1).")
        .arg(clinic.value);
}

// The key in a base64 text, or nullopt when it is not exactly a 32-byte key.
std::optional<QByteArray> decodeKey(QByteArrayView text)
{
    auto decoded = QByteArray::fromBase64Encoding(text.trimmed().toByteArray(),
                                                  QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    if (decoded.decoded.size() != kKeyBytes) {
        wipe(decoded.decoded);
        return std::nullopt;
    }
    return std::move(decoded.decoded);
}

// Makes the folder (owner-only) when needed and tightens an existing one.
Status prepareDirectory()
{
    const QString path = clinicKeyDirectory();
    const auto ownerOnly = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
    QDir dir(path);
    if (!dir.exists()) {
        const QFileInfo info(path);
        // mkdir with permissions creates the last level at 0700 straight away; the parents are
        // ordinary folders (e.g. ~/.config).
        if (!QDir().mkpath(info.absolutePath()) || !QDir().mkdir(path, ownerOnly)) {
            if (!dir.exists())
                return Error::storage(tr("Could not create the folder %1 for clinic keys.")
                                          .arg(QDir::toNativeSeparators(path)));
        }
    }
    if (!QFile::setPermissions(path, ownerOnly))
        return Error::storage(tr("Could not make the folder %1 readable by its owner only.")
                                  .arg(QDir::toNativeSeparators(path)));
    return {};
}

// Writes `key` as the clinic's key file, atomically and only if there is none yet: the text goes
// to an owner-only temporary file in the same folder, which is then renamed without replacing
// (renameat2 RENAME_NOREPLACE, or link+unlink). Returns false (and no error) when a key file
// appeared meanwhile, so that the caller can read that one instead.
Result<bool> writeNewKeyFile(const ClinicId &clinic, const QByteArray &key)
{
    if (Status s = prepareDirectory(); !s)
        return s.error();
    const QString path = clinicKeyPath(clinic);
    const QString nativePath = QDir::toNativeSeparators(path);
    QTemporaryFile file(path + QStringLiteral(".XXXXXX"));
    if (!file.open())
        return Error::storage(
            tr("Could not write the clinic key file %1: %2").arg(nativePath, file.errorString()));
    // Owner-only before a byte of the key is written (QTemporaryFile creates 0600, but say so).
    if (!file.setPermissions(QFile::ReadOwner | QFile::WriteOwner))
        return Error::storage(
            tr("Could not make the clinic key file %1 readable by its owner only.")
                .arg(nativePath));
    QByteArray text = key.toBase64();
    text.append('\n');
    const bool written = file.write(text) == text.size() && file.flush();
    wipe(text);
    if (!written)
        return Error::storage(
            tr("Could not write the clinic key file %1: %2").arg(nativePath, file.errorString()));
    file.setAutoRemove(false);
    const QString temporary = file.fileName();
    if (file.rename(path))
        return true;
    QFile::remove(temporary);
    if (QFileInfo::exists(path))
        return false;
    return Error::storage(
        tr("Could not write the clinic key file %1: %2").arg(nativePath, file.errorString()));
}

} // namespace

QString clinicKeyDirectory()
{
    const QString configured = qEnvironmentVariable("TMDASH_CONFIG_DIR");
    if (!configured.isEmpty())
        return QDir::cleanPath(configured);
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/tmdash");
}

QString clinicKeyPath(const ClinicId &clinic)
{
    return clinicKeyDirectory() + QStringLiteral("/clinic-") + clinic.value +
           QStringLiteral(".key");
}

Result<QByteArray> loadClinicKey(const ClinicId &clinic)
{
    if (Status s = checkClinic(clinic); !s)
        return s.error();
    const QString path = clinicKeyPath(clinic);
    const QString nativePath = QDir::toNativeSeparators(path);
    QFile file(path);
    if (!file.exists())
        return Error::storage(tr("This desktop has no key for clinic %1 (expected in %2). ")
                                  .arg(clinic.value, nativePath) +
                              howToImport(clinic));
    if (!file.open(QIODevice::ReadOnly))
        return Error::storage(
            tr("The clinic key file %1 cannot be read: %2. ").arg(nativePath, file.errorString()) +
            howToImport(clinic));
    QByteArray text = file.read(kMaxKeyFileBytes);
    auto key = decodeKey(text);
    wipe(text);
    if (!key)
        return Error::storage(
            tr("The clinic key file %1 does not hold a 32-byte key in base64. ").arg(nativePath) +
            howToImport(clinic));
    return std::move(*key);
}

Result<QByteArray> loadOrCreateClinicKey(const ClinicId &clinic)
{
    if (Status s = checkClinic(clinic); !s)
        return s.error();
    if (QFileInfo::exists(clinicKeyPath(clinic)))
        return loadClinicKey(clinic);
    if (!sodiumReady())
        return Error::storage(tr("libsodium could not be initialised."));
    QByteArray key(kKeyBytes, Qt::Uninitialized);
    crypto_secretbox_keygen(reinterpret_cast<unsigned char *>(key.data()));
    auto written = writeNewKeyFile(clinic, key);
    if (!written)
        return written.error();
    if (!*written) { // another process created it first: theirs is the key
        wipe(key);
        return loadClinicKey(clinic);
    }
    return key;
}

Result<QString> exportClinicKey(const ClinicId &clinic)
{
    auto key = loadClinicKey(clinic);
    if (!key)
        return key.error();
    QString text = QString::fromLatin1(key->toBase64());
    wipe(key.value());
    return text;
}

Status importClinicKey(const ClinicId &clinic, QStringView base64Key)
{
    if (Status s = checkClinic(clinic); !s)
        return s;
    QByteArray text = base64Key.toLatin1();
    auto key = decodeKey(text);
    wipe(text);
    if (!key)
        return Error::invalid(QStringLiteral("key"), QStringLiteral("format"),
                              tr("The key is not a clinic key: expected the 44-character base64 "
                                 "text of a 32-byte key, as printed by the export."));
    const auto compareWithExisting = [&]() -> Status {
        auto existing = loadClinicKey(clinic);
        if (!existing)
            return existing.error();
        const bool same = sodium_memcmp(existing->constData(), key->constData(), kKeyBytes) == 0;
        wipe(existing.value());
        wipe(*key);
        if (same)
            return {};
        return Error::invalid(
            QStringLiteral("key"), QStringLiteral("conflict"),
            tr("This desktop already holds a different key for clinic %1 (%2). Replacing it would "
               "make the TOTP secrets sealed under it unreadable; remove that file yourself if "
               "it is really wrong.")
                .arg(clinic.value, QDir::toNativeSeparators(clinicKeyPath(clinic))));
    };
    if (QFileInfo::exists(clinicKeyPath(clinic)))
        return compareWithExisting();
    if (!sodiumReady())
        return Error::storage(tr("libsodium could not be initialised."));
    auto written = writeNewKeyFile(clinic, *key);
    if (!written)
        return written.error();
    if (!*written)
        return compareWithExisting();
    wipe(*key);
    return {};
}

QString sealSecret(const QByteArray &key, const QByteArray &plain)
{
    if (key.size() != kKeyBytes || !sodiumReady())
        return {};
    QByteArray box(kNonceBytes + kMacBytes + plain.size(), Qt::Uninitialized);
    auto *nonce = reinterpret_cast<unsigned char *>(box.data());
    randombytes_buf(nonce, size_t(kNonceBytes));
    crypto_secretbox_easy(
        nonce + kNonceBytes, reinterpret_cast<const unsigned char *>(plain.constData()),
        quint64(plain.size()), nonce, reinterpret_cast<const unsigned char *>(key.constData()));
    return kSealPrefix + QString::fromLatin1(box.toBase64());
}

Result<QByteArray> openSecret(const QByteArray &key, QStringView sealed)
{
    if (key.size() != kKeyBytes || !sodiumReady())
        return integrity(tr("The clinic key is not a 32-byte key."));
    if (!sealed.startsWith(kSealPrefix))
        return integrity(tr("The sealed secret is not in the expected form (\"sb1:...\")."));
    const auto box = QByteArray::fromBase64Encoding(sealed.mid(kSealPrefix.size()).toLatin1(),
                                                    QByteArray::AbortOnBase64DecodingErrors);
    if (!box || box.decoded.size() < kNonceBytes + kMacBytes)
        return integrity(tr("The sealed secret is not in the expected form (\"sb1:...\")."));
    const auto *nonce = reinterpret_cast<const unsigned char *>(box.decoded.constData());
    QByteArray plain(box.decoded.size() - kNonceBytes - kMacBytes, Qt::Uninitialized);
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char *>(plain.data()),
                                   nonce + kNonceBytes, quint64(box.decoded.size() - kNonceBytes),
                                   nonce,
                                   reinterpret_cast<const unsigned char *>(key.constData())) != 0) {
        return integrity(tr("The sealed secret was altered or sealed under another clinic key."));
    }
    return plain;
}

} // namespace tmdash
