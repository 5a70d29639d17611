#include "patientvalidator.h"

#include "fieldrules.h"

#include <QCoreApplication>

namespace tmdash {

namespace {

// Longest values of the free-text fields: generous for real data, short enough that a slip of
// the clipboard is caught before it reaches a printed form.
constexpr qsizetype kMaxAddressLineLength = 200;
constexpr qsizetype kMaxPlaceLength = 100; // city, region
constexpr qsizetype kMaxPostalCodeLength = 20;
constexpr qsizetype kMaxRelationshipLength = 50;
constexpr qsizetype kMaxPayerLength = 200;
constexpr qsizetype kMaxInsuranceNumberLength = 50; // member_id, group_number
constexpr qsizetype kMaxSubstanceLength = 200;
constexpr qsizetype kMaxShortTextLength = 500; // reaction, condition description

QString text(const char *source)
{
    return QCoreApplication::translate("Validation", source);
}

QString rowField(const char *list, qsizetype index, const char *field)
{
    return QString::fromLatin1(list) + u'[' + QString::number(index) + u"]." +
           QString::fromLatin1(field);
}

QString isoDate(const QDate &date)
{
    return date.toString(Qt::ISODate);
}

void checkEmergencyContacts(FieldErrors &errors, const Patient &patient,
                            const QString &defaultCallingCode)
{
    for (qsizetype i = 0; i < patient.emergency_contacts.size(); ++i) {
        const PatientEmergencyContact &row = patient.emergency_contacts.at(i);
        if (row.meta.isDeleted())
            continue;
        checkPersonName(errors, rowField("emergency_contacts", i, "name"), row.name,
                        Presence::Required);
        checkText(errors, rowField("emergency_contacts", i, "relationship"), row.relationship,
                  Presence::Optional, kMaxRelationshipLength);
        checkPhone(errors, rowField("emergency_contacts", i, "phone"), row.phone,
                   Presence::Required, defaultCallingCode);
    }
}

void checkInsurance(FieldErrors &errors, const Patient &patient)
{
    bool primarySeen = false;
    for (qsizetype i = 0; i < patient.insurance.size(); ++i) {
        const PatientInsurance &row = patient.insurance.at(i);
        if (row.meta.isDeleted())
            continue;
        checkText(errors, rowField("insurance", i, "payer"), row.payer, Presence::Required,
                  kMaxPayerLength);
        checkText(errors, rowField("insurance", i, "member_id"), row.member_id, Presence::Required,
                  kMaxInsuranceNumberLength);
        checkText(errors, rowField("insurance", i, "group_number"), row.group_number,
                  Presence::Optional, kMaxInsuranceNumberLength);
        checkDate(errors, rowField("insurance", i, "valid_from"), row.valid_from,
                  Presence::Optional);
        checkDate(errors, rowField("insurance", i, "valid_to"), row.valid_to, Presence::Optional);
        if (row.valid_from && row.valid_to && row.valid_from->isValid() &&
            row.valid_to->isValid() && *row.valid_to < *row.valid_from)
            errors.append({rowField("insurance", i, "valid_to"), QStringLiteral("range"),
                           text("Coverage ends on %1, before it starts on %2; expected an end "
                                "date on or after the start date.")
                               .arg(isoDate(*row.valid_to), isoDate(*row.valid_from))});
        if (row.is_primary) {
            if (primarySeen)
                errors.append({rowField("insurance", i, "is_primary"),
                               QStringLiteral("multiple_primary"),
                               text("Another insurance is already marked primary; expected at "
                                    "most one primary insurance.")});
            primarySeen = true;
        }
    }
}

void checkAllergies(FieldErrors &errors, const Patient &patient)
{
    for (qsizetype i = 0; i < patient.allergies.size(); ++i) {
        const PatientAllergy &row = patient.allergies.at(i);
        if (row.meta.isDeleted())
            continue;
        checkText(errors, rowField("allergies", i, "substance"), row.substance, Presence::Required,
                  kMaxSubstanceLength);
        checkText(errors, rowField("allergies", i, "reaction"), row.reaction, Presence::Optional,
                  kMaxShortTextLength);
    }
}

void checkConditions(FieldErrors &errors, const Patient &patient, const QDate &today)
{
    for (qsizetype i = 0; i < patient.conditions.size(); ++i) {
        const PatientCondition &row = patient.conditions.at(i);
        if (row.meta.isDeleted())
            continue;
        checkIcd10Code(errors, rowField("conditions", i, "icd10_code"), row.icd10_code,
                       Presence::Optional);
        checkText(errors, rowField("conditions", i, "description"), row.description,
                  Presence::Required, kMaxShortTextLength);

        const QString onsetField = rowField("conditions", i, "onset_date");
        const qsizetype before = errors.size();
        checkDate(errors, onsetField, row.onset_date, Presence::Optional);
        if (errors.size() != before || !row.onset_date)
            continue;
        const QDate onset = *row.onset_date;
        if (onset > today)
            errors.append({onsetField, QStringLiteral("future"),
                           text("Onset date %1 is in the future; expected %2 or earlier.")
                               .arg(isoDate(onset), isoDate(today))});
        else if (patient.birth_date && patient.birth_date->isValid() && onset < *patient.birth_date)
            errors.append({onsetField, QStringLiteral("range"),
                           text("Onset date %1 is before the birth date %2; expected a date "
                                "from birth on.")
                               .arg(isoDate(onset), isoDate(*patient.birth_date))});
    }
}

} // namespace

bool isMrn(QStringView mrn)
{
    if (mrn.isEmpty() || mrn.size() > kMaxMrnLength)
        return false;
    for (QChar c : mrn) {
        const bool ok = (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') ||
                        (c >= u'0' && c <= u'9') || c == u'-';
        if (!ok)
            return false;
    }
    return true;
}

FieldErrors validatePatient(const Patient &patient, QDate today, const QString &defaultCallingCode)
{
    FieldErrors errors;

    if (!patient.mrn.isEmpty()) {
        if (patient.mrn.size() > kMaxMrnLength)
            errors.append({QStringLiteral("mrn"), QStringLiteral("too_long"),
                           text("A medical record number has at most %1 characters; got %2.")
                               .arg(kMaxMrnLength)
                               .arg(patient.mrn.size())});
        else if (!isMrn(patient.mrn))
            errors.append({QStringLiteral("mrn"), QStringLiteral("format"),
                           text("A medical record number may contain only letters, digits and "
                                "'-'.")});
    }

    checkPersonName(errors, QStringLiteral("given_name"), patient.given_name, Presence::Required);
    checkPersonName(errors, QStringLiteral("middle_name"), patient.middle_name, Presence::Optional);
    checkPersonName(errors, QStringLiteral("family_name"), patient.family_name, Presence::Required);
    checkBirthDate(errors, QStringLiteral("birth_date"), patient.birth_date, today,
                   Presence::Required);
    checkPhone(errors, QStringLiteral("phone"), patient.phone, Presence::Optional,
               defaultCallingCode);
    checkEmail(errors, QStringLiteral("email"), patient.email, Presence::Optional);
    checkText(errors, QStringLiteral("address_line"), patient.address_line, Presence::Optional,
              kMaxAddressLineLength);
    checkText(errors, QStringLiteral("city"), patient.city, Presence::Optional, kMaxPlaceLength);
    checkText(errors, QStringLiteral("region"), patient.region, Presence::Optional,
              kMaxPlaceLength);
    checkText(errors, QStringLiteral("postal_code"), patient.postal_code, Presence::Optional,
              kMaxPostalCodeLength);
    checkCountryCode(errors, QStringLiteral("country"), patient.country, Presence::Optional);
    checkLanguageTag(errors, QStringLiteral("preferred_language"), patient.preferred_language,
                     Presence::Optional);
    if (patient.user_id && !isUuid(patient.user_id->value))
        errors.append({QStringLiteral("user_id"), QStringLiteral("format"),
                       text("The portal account id is not a UUID; expected the id of an "
                            "existing user.")});
    checkText(errors, QStringLiteral("notes"), patient.notes, Presence::Optional,
              kMaxPatientNotesLength, TextShape::MultiLine);

    checkEmergencyContacts(errors, patient, defaultCallingCode);
    checkInsurance(errors, patient);
    checkAllergies(errors, patient);
    checkConditions(errors, patient, today);
    return errors;
}

QString nameKey(const QString &name)
{
    const QList<uint> codePoints =
        name.normalized(QString::NormalizationForm_KD).toCaseFolded().toUcs4();
    QString key;
    key.reserve(name.size());
    for (const uint codePoint : codePoints) {
        // Combining marks are not letters, so compatibility decomposition plus this filter
        // drops accents as well as spaces, hyphens and apostrophes.
        if (QChar::isLetterOrNumber(char32_t(codePoint)))
            key.append(QStringView(QChar::fromUcs4(char32_t(codePoint))));
    }
    return key;
}

bool looksLikeDuplicate(const Patient &a, const Patient &b, const QString &defaultCallingCode)
{
    const QString given = nameKey(a.given_name);
    const QString family = nameKey(a.family_name);
    if (!given.isEmpty() && !family.isEmpty() && given == nameKey(b.given_name) &&
        family == nameKey(b.family_name) && a.birth_date && b.birth_date &&
        a.birth_date->isValid() && *a.birth_date == *b.birth_date)
        return true;

    const std::optional<QString> phone = normalizePhone(a.phone, defaultCallingCode);
    return phone && phone == normalizePhone(b.phone, defaultCallingCode);
}

} // namespace tmdash
