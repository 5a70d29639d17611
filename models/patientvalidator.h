#pragma once

#include "patient.h"
#include "result.h"

#include <QDate>
#include <QString>

namespace tmdash {

inline constexpr qsizetype kMaxPatientNotesLength = 10000;
inline constexpr qsizetype kMaxMrnLength = 20;

// Every failing field of `patient` as of `today` (the clinic's date). Owned-list rows are named
// by their index in the list, e.g. "allergies[2].substance"; tombstoned rows (meta.deleted_at)
// are skipped, since nobody can correct them. National phone numbers (no "+") are read in the
// country of `defaultCallingCode` (see normalizePhone).
//
// Codes: required, too_long, format, unknown, future, too_old, range, multiple_primary.
FieldErrors validatePatient(const Patient &patient, QDate today,
                            const QString &defaultCallingCode = QStringLiteral("1"));

// A medical record number as people type and the stores assign it: 1..20 ASCII letters, digits
// and '-'.
bool isMrn(QStringView mrn);

// A name reduced for comparison: case-folded, accents and other marks removed, and everything
// but letters and digits dropped ("O'Brien-Núñez " -> "obriennunez").
QString nameKey(const QString &name);

// True when `a` and `b` are probably the same person: the same given name, family name (both
// compared by nameKey, neither empty) and birth date; or the same phone number once normalised to
// E.164. Does not look at ids or tombstones: the caller decides which records to compare.
bool looksLikeDuplicate(const Patient &a, const Patient &b,
                        const QString &defaultCallingCode = QStringLiteral("1"));

} // namespace tmdash
