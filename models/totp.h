#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <optional>

namespace tmdash {

// TOTP second factor (RFC 6238): HMAC-SHA1 over 30-second steps since the Unix epoch, the form
// every authenticator app understands, and RFC 4648 base32 for showing the secret to people.
// Pure functions: the caller keeps the secret (sealed, see clinickey.h) and the last used step.

inline constexpr int kTotpDigits = 6;
inline constexpr qint64 kTotpPeriodSeconds = 30;

// RFC 4648 base32, upper case, without '=' padding ("foobar" -> "MZXW6YTBOI").
QString base32Encode(const QByteArray &bytes);

// The bytes of a base32 text. Case-insensitive; spaces, '-' and trailing '=' are ignored, so a
// secret typed in groups decodes. nullopt on any other character, on '=' before the end, or on a
// length no encoding produces (1, 3 or 6 characters left over after the last full group of 8).
std::optional<QByteArray> base32Decode(QStringView text);

// A new random secret of 20 bytes (160 bits, the HMAC-SHA1 block RFC 4226 recommends).
QByteArray newTotpSecret();

// The step a Unix time falls in: floor(unixTime / 30), also for times before 1970.
qint64 totpStep(qint64 unixTime);

// The code for `secret` at `unixTime` (RFC 6238 with HMAC-SHA1), zero-padded to `digits`
// (1 to 9; values outside are clamped).
QString totpCode(const QByteArray &secret, qint64 unixTime, int digits = kTotpDigits);

// The step that `code` (6 digits) matches within +-window steps of unixTime and that is later
// than lastUsedStep, so that a code already used in its step, or an older one, is refused;
// nullopt otherwise. Whitespace in the code is ignored; a code of the wrong length or with
// non-digits never matches. Every candidate step is compared in constant time; when two steps
// match, the later one is returned so that the same code cannot be replayed for the other.
// The caller stores the returned step as the new lastUsedStep.
std::optional<qint64> matchTotp(const QByteArray &secret, QStringView code, qint64 unixTime,
                                std::optional<qint64> lastUsedStep, int window = 1);

// The provisioning URI authenticator apps read (usually from a QR code):
// otpauth://totp/TMDash:EMAIL?secret=BASE32&issuer=TMDash, label and values percent-encoded.
QString otpauthUri(const QString &email, const QByteArray &secret);

} // namespace tmdash
