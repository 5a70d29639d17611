#pragma once

#include "enumnames.h"
#include "ids.h"
#include "record.h"

#include <QDate>
#include <QList>
#include <QString>

#include <optional>

namespace tmdash {

enum class Sex { Female, Male, Other, Unknown };

template <> struct EnumNames<Sex>
{
    static constexpr std::array<std::pair<Sex, const char *>, 4> names{{
        {Sex::Female, "female"},
        {Sex::Male, "male"},
        {Sex::Other, "other"},
        {Sex::Unknown, "unknown"},
    }};
};

enum class AllergyCategory { Food, Medication, Environment, Biologic };

template <> struct EnumNames<AllergyCategory>
{
    static constexpr std::array<std::pair<AllergyCategory, const char *>, 4> names{{
        {AllergyCategory::Food, "food"},
        {AllergyCategory::Medication, "medication"},
        {AllergyCategory::Environment, "environment"},
        {AllergyCategory::Biologic, "biologic"},
    }};
};

enum class AllergyCriticality { Low, High, UnableToAssess };

template <> struct EnumNames<AllergyCriticality>
{
    static constexpr std::array<std::pair<AllergyCriticality, const char *>, 3> names{{
        {AllergyCriticality::Low, "low"},
        {AllergyCriticality::High, "high"},
        {AllergyCriticality::UnableToAssess, "unable_to_assess"},
    }};
};

enum class AllergySeverity { Mild, Moderate, Severe };

template <> struct EnumNames<AllergySeverity>
{
    static constexpr std::array<std::pair<AllergySeverity, const char *>, 3> names{{
        {AllergySeverity::Mild, "mild"},
        {AllergySeverity::Moderate, "moderate"},
        {AllergySeverity::Severe, "severe"},
    }};
};

enum class AllergyStatus { Active, Inactive, Resolved };

template <> struct EnumNames<AllergyStatus>
{
    static constexpr std::array<std::pair<AllergyStatus, const char *>, 3> names{{
        {AllergyStatus::Active, "active"},
        {AllergyStatus::Inactive, "inactive"},
        {AllergyStatus::Resolved, "resolved"},
    }};
};

enum class ConditionStatus { Active, Resolved, Inactive };

template <> struct EnumNames<ConditionStatus>
{
    static constexpr std::array<std::pair<ConditionStatus, const char *>, 3> names{{
        {ConditionStatus::Active, "active"},
        {ConditionStatus::Resolved, "resolved"},
        {ConditionStatus::Inactive, "inactive"},
    }};
};

// Owned-list rows: stored in patient_emergency_contacts, patient_insurance, patient_allergies
// and patient_conditions, each row with its own id and bookkeeping (DESIGN.md, "The data").

struct PatientEmergencyContact
{
    RowId id;
    QString name;
    QString relationship;
    QString phone;
    RecordMeta meta;
};

struct PatientInsurance
{
    RowId id;
    QString payer;
    QString member_id;
    QString group_number;
    std::optional<QDate> valid_from;
    std::optional<QDate> valid_to; // inclusive; absent = open-ended
    bool is_primary = false;
    RecordMeta meta;
};

struct PatientAllergy
{
    RowId id;
    QString substance;
    AllergyCategory category = AllergyCategory::Medication;
    // Unable to assess until someone judges the risk of a future reaction.
    AllergyCriticality criticality = AllergyCriticality::UnableToAssess;
    QString reaction;
    // Of the reaction seen; absent when no reaction is recorded (e.g. an allergy known from a
    // test).
    std::optional<AllergySeverity> severity;
    AllergyStatus status = AllergyStatus::Active;
    RecordMeta meta;
};

struct PatientCondition
{
    RowId id;
    QString icd10_code;
    QString description;
    std::optional<QDate> onset_date;
    ConditionStatus status = ConditionStatus::Active;
    RecordMeta meta;
};

struct Patient
{
    PatientId id;
    ClinicId clinic_id;
    QString mrn; // empty until the store assigns one
    QString given_name;
    QString middle_name;
    QString family_name;
    std::optional<QDate> birth_date;
    Sex sex = Sex::Unknown;
    QString phone; // E.164 once stored
    QString email;
    QString address_line;
    QString city;
    QString region;
    QString postal_code;
    QString country;               // ISO 3166-1 alpha-2
    QString preferred_language;    // BCP 47
    std::optional<UserId> user_id; // the patient's portal account
    QString notes;

    QList<PatientEmergencyContact> emergency_contacts;
    QList<PatientInsurance> insurance;
    QList<PatientAllergy> allergies;
    QList<PatientCondition> conditions;

    RecordMeta meta;

    // "Given Middle Family", skipping empty parts; for lists, titles and audit text.
    QString displayName() const;
    // Whole years of age on `day`, or nullopt without a birth date (or when `day` is before it).
    std::optional<int> ageOn(const QDate &day) const;
};

} // namespace tmdash
