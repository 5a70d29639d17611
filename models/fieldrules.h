#pragma once

#include "result.h"

#include <QDate>
#include <QString>
#include <QStringView>

#include <optional>

// Field rules shared by every validator: pure checks of one value each. A `checkXxx` function
// appends zero or more FieldErrors for `field` (the caller's snake_case field name or row path,
// e.g. "emergency_contacts[1].phone") and never removes anything, so a validator calls them in a
// row and returns the list. An `isXxx` / `normalizeXxx` function is the same rule as a predicate,
// for callers that need the answer rather than an error.
//
// Codes used here (stable): required, too_long, format, unknown, checksum, future, too_old.

namespace tmdash {

// Whether an empty value is an error ("required") or simply absent. Text counts as empty when it
// is empty after trimming white space; an optional date when it has no value.
enum class Presence { Required, Optional };

// Single-line text refuses control characters and line breaks; multi-line text allows line
// breaks and tabs but no other control characters.
enum class TextShape { SingleLine, MultiLine };

inline constexpr qsizetype kMaxPersonNameLength = 100;
inline constexpr qsizetype kMaxEmailLength = 254; // RFC 5321 path limit less the angle brackets
inline constexpr int kMaxAgeYears = 130;

// Length as people and PostgreSQL count it: Unicode code points, not UTF-16 units (an emoji or
// a rare CJK character is one character, not two).
qsizetype codePointCount(QStringView text);

// --- Predicates and normalisers ------------------------------------------------------------------

// Address syntax a mail system accepts: ASCII dot-atom local part (1..64), '@', a domain of at
// least two dot-separated labels (letters, digits, inner hyphens, 1..63 each) whose last label is
// alphabetic or an IDNA "xn--" label; at most 254 characters; no surrounding white space.
// Quoted local parts and address literals are refused: no clinic needs them.
bool isEmail(QStringView value);

// The E.164 form ("+" then 8..15 digits, the first not 0) of a phone number typed in any common
// way: "+44 20 7946 0958", "0044 20 7946 0958", "(555) 123-4567", "555.123.4567",
// "020 7946 0958". Separators (white space, - . ( ) /) are dropped. A number without "+" or an
// international prefix ("00", or "011" in the +1 plan) is national, in the country of
// `defaultCountryCallingCode` (digits only, e.g. "1", "44"): in the +1 plan it must have 10
// digits (or 11 with the leading 1); elsewhere a single trunk "0" is dropped (kept for Italy,
// San Marino and the Vatican, where it belongs to the number). Letters (extensions, vanity
// numbers) and any other character make the input invalid: nullopt.
std::optional<QString>
normalizePhone(const QString &input,
               const QString &defaultCountryCallingCode = QStringLiteral("1"));

// An officially assigned ISO 3166-1 alpha-2 code, in capitals ("US", "DE"). User-assigned
// ("XK"), exceptionally reserved ("UK", "EU") and withdrawn codes are refused.
bool isCountryCode(QStringView value);
// Two capital ASCII letters, assigned or not.
bool isCountryCodeShape(QStringView value);

// A well-formed BCP 47 language tag of the common shape: language (2-3 letters), then optional
// script (4 letters), region (2 letters or 3 digits) and variants, separated by '-'. Case is not
// significant (RFC 5646 §2.1.1): "en", "es", "pt-BR", "zh-Hant", "es-419", "de-CH-1996".
// Extensions, private use ("x-...") and grandfathered tags are refused.
bool isLanguageTag(QStringView value);

// A US National Provider Identifier: 10 ASCII digits whose last is the Luhn check digit over
// "80840" followed by the first nine (CMS, "Requirements for NPI check digit").
bool isNpi(QStringView value);
// The check digit (0..9) for nine NPI digits, or -1 if `firstNine` is not nine ASCII digits.
int npiCheckDigit(QStringView firstNine);

// The shape of an ICD-10 (and ICD-10-CM) code: a capital letter, a digit, a digit or capital
// letter, then optionally '.' and 1..4 digits or capital letters: "I10", "E11.9", "S72.001A".
// Only the shape: whether the code exists in a code set is not checked.
bool isIcd10Code(QStringView value);

// --- Checks appending FieldErrors ----------------------------------------------------------------

// "required" when Required and empty; "too_long" when longer than maxLength code points;
// "format" for a control character (see TextShape).
void checkText(FieldErrors &errors, const QString &field, const QString &value, Presence presence,
               qsizetype maxLength, TextShape shape = TextShape::SingleLine);

// A person's name part: checkText with kMaxPersonNameLength, single line.
void checkPersonName(FieldErrors &errors, const QString &field, const QString &value,
                     Presence presence);

// "required", or "too_long" / "format" (see isEmail).
void checkEmail(FieldErrors &errors, const QString &field, const QString &value, Presence presence);

// "required", or "format" when normalizePhone fails.
void checkPhone(FieldErrors &errors, const QString &field, const QString &value, Presence presence,
                const QString &defaultCountryCallingCode = QStringLiteral("1"));

// "required", "format" (not two capital letters) or "unknown" (not an assigned code).
void checkCountryCode(FieldErrors &errors, const QString &field, const QString &value,
                      Presence presence);

// "required" or "format" (see isLanguageTag).
void checkLanguageTag(FieldErrors &errors, const QString &field, const QString &value,
                      Presence presence);

// "required", "format" (not 10 digits) or "checksum" (wrong check digit).
void checkNpi(FieldErrors &errors, const QString &field, const QString &value, Presence presence);

// "required" or "format" (see isIcd10Code).
void checkIcd10Code(FieldErrors &errors, const QString &field, const QString &value,
                    Presence presence);

// "required" (no value), "format" (an invalid QDate), "future" (after `today`) or "too_old"
// (before the same calendar day kMaxAgeYears years before `today`; that day itself is accepted).
void checkBirthDate(FieldErrors &errors, const QString &field, const std::optional<QDate> &value,
                    const QDate &today, Presence presence);

// "required" or "format" (an invalid QDate) for any other date.
void checkDate(FieldErrors &errors, const QString &field, const std::optional<QDate> &value,
               Presence presence);

} // namespace tmdash
