#include "patientcodec.h"

namespace tmdash {

Row toRow(const Patient &p)
{
    Row r = blankRow(u"patients"); // every column is written
    putId(r, QStringLiteral("id"), p.id);
    putId(r, QStringLiteral("clinic_id"), p.clinic_id);
    putText(r, QStringLiteral("mrn"), p.mrn);
    putText(r, QStringLiteral("given_name"), p.given_name);
    putText(r, QStringLiteral("middle_name"), p.middle_name);
    putText(r, QStringLiteral("family_name"), p.family_name);
    putDate(r, QStringLiteral("birth_date"), p.birth_date);
    putText(r, QStringLiteral("sex"), toString(p.sex));
    putText(r, QStringLiteral("phone"), p.phone);
    putText(r, QStringLiteral("email"), p.email);
    putText(r, QStringLiteral("address_line"), p.address_line);
    putText(r, QStringLiteral("city"), p.city);
    putText(r, QStringLiteral("region"), p.region);
    putText(r, QStringLiteral("postal_code"), p.postal_code);
    putText(r, QStringLiteral("country"), p.country);
    putText(r, QStringLiteral("preferred_language"), p.preferred_language);
    putText(r, QStringLiteral("user_id"), p.user_id ? p.user_id->value : QString());
    putText(r, QStringLiteral("notes"), p.notes);
    putMeta(r, p.meta);
    return r;
}

Row toRow(const PatientEmergencyContact &c)
{
    Row r;
    putId(r, QStringLiteral("id"), c.id);
    putText(r, QStringLiteral("name"), c.name);
    putText(r, QStringLiteral("relationship"), c.relationship);
    putText(r, QStringLiteral("phone"), c.phone);
    return r;
}

Row toRow(const PatientInsurance &i)
{
    Row r;
    putId(r, QStringLiteral("id"), i.id);
    putText(r, QStringLiteral("payer"), i.payer);
    putText(r, QStringLiteral("member_id"), i.member_id);
    putText(r, QStringLiteral("group_number"), i.group_number);
    putDate(r, QStringLiteral("valid_from"), i.valid_from);
    putDate(r, QStringLiteral("valid_to"), i.valid_to);
    putBool(r, QStringLiteral("is_primary"), i.is_primary);
    return r;
}

Row toRow(const PatientAllergy &a)
{
    Row r;
    putId(r, QStringLiteral("id"), a.id);
    putText(r, QStringLiteral("substance"), a.substance);
    putText(r, QStringLiteral("category"), toString(a.category));
    putText(r, QStringLiteral("criticality"), toString(a.criticality));
    putText(r, QStringLiteral("reaction"), a.reaction);
    putText(r, QStringLiteral("severity"), a.severity ? toString(*a.severity) : QString());
    putText(r, QStringLiteral("status"), toString(a.status));
    return r;
}

Row toRow(const PatientCondition &c)
{
    Row r;
    putId(r, QStringLiteral("id"), c.id);
    putText(r, QStringLiteral("icd10_code"), c.icd10_code);
    putText(r, QStringLiteral("description"), c.description);
    putDate(r, QStringLiteral("onset_date"), c.onset_date);
    putText(r, QStringLiteral("status"), toString(c.status));
    return r;
}

Patient patientFromRow(const Row &r)
{
    Patient p;
    p.id = rowId<PatientId>(r, u"id");
    p.clinic_id = rowId<ClinicId>(r, u"clinic_id");
    p.mrn = rowText(r, u"mrn");
    p.given_name = rowText(r, u"given_name");
    p.middle_name = rowText(r, u"middle_name");
    p.family_name = rowText(r, u"family_name");
    p.birth_date = rowDate(r, u"birth_date");
    p.sex = enumFromString<Sex>(rowText(r, u"sex")).value_or(Sex::Unknown);
    p.phone = rowText(r, u"phone");
    p.email = rowText(r, u"email");
    p.address_line = rowText(r, u"address_line");
    p.city = rowText(r, u"city");
    p.region = rowText(r, u"region");
    p.postal_code = rowText(r, u"postal_code");
    p.country = rowText(r, u"country");
    p.preferred_language = rowText(r, u"preferred_language");
    if (const QString user = rowText(r, u"user_id"); !user.isEmpty())
        p.user_id = UserId(user);
    p.notes = rowText(r, u"notes");
    p.meta = rowMeta(r);
    return p;
}

PatientEmergencyContact emergencyContactFromRow(const Row &r)
{
    return {rowId<RowId>(r, u"id"), rowText(r, u"name"), rowText(r, u"relationship"),
            rowText(r, u"phone"), rowMeta(r)};
}

PatientInsurance insuranceFromRow(const Row &r)
{
    return {rowId<RowId>(r, u"id"), rowText(r, u"payer"), rowText(r, u"member_id"),
            rowText(r, u"group_number"), rowDate(r, u"valid_from"), rowDate(r, u"valid_to"),
            rowBool(r, u"is_primary"), rowMeta(r)};
}

PatientAllergy allergyFromRow(const Row &r)
{
    PatientAllergy a;
    a.id = rowId<RowId>(r, u"id");
    a.substance = rowText(r, u"substance");
    a.category = enumFromString<AllergyCategory>(rowText(r, u"category")).value_or(AllergyCategory::Medication);
    a.criticality = enumFromString<AllergyCriticality>(rowText(r, u"criticality"))
                        .value_or(AllergyCriticality::UnableToAssess);
    a.reaction = rowText(r, u"reaction");
    a.severity = enumFromString<AllergySeverity>(rowText(r, u"severity"));
    a.status = enumFromString<AllergyStatus>(rowText(r, u"status")).value_or(AllergyStatus::Active);
    a.meta = rowMeta(r);
    return a;
}

PatientCondition conditionFromRow(const Row &r)
{
    return {rowId<RowId>(r, u"id"), rowText(r, u"icd10_code"), rowText(r, u"description"),
            rowDate(r, u"onset_date"),
            enumFromString<ConditionStatus>(rowText(r, u"status")).value_or(ConditionStatus::Active),
            rowMeta(r)};
}

} // namespace tmdash
