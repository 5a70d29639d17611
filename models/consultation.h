#pragma once

#include "enumnames.h"
#include "ids.h"
#include "record.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace tmdash {

// A note is editable while draft; once signed it never changes (an addendum amends it).
enum class ConsultationStatus { Draft, Signed };

template <> struct EnumNames<ConsultationStatus>
{
    static constexpr std::array<std::pair<ConsultationStatus, const char *>, 2> names{{
        {ConsultationStatus::Draft, "draft"},
        {ConsultationStatus::Signed, "signed"},
    }};
};

// Owned-list row, stored in consultation_diagnoses.
struct ConsultationDiagnosis
{
    RowId id;
    QString icd10_code; // "E11.9"
    QString description;
    bool is_primary = false; // at most one live row per consultation
    RecordMeta meta;
};

struct Consultation
{
    ConsultationId id;
    ClinicId clinic_id;
    PatientId patient_id;
    ProviderId provider_id;
    std::optional<AppointmentId> appointment_id; // the visit, when there was one
    QDateTime started_at;                        // UTC
    QString chief_complaint;
    QString history;
    QString examination;
    QString assessment;
    QList<ConsultationDiagnosis> diagnoses;
    QString plan;
    // Either a date or a number of days after the consultation, never both.
    std::optional<QDate> follow_up_date;
    std::optional<int> follow_up_days;
    QString follow_up_instructions;
    ConsultationStatus status = ConsultationStatus::Draft;
    std::optional<QDateTime> signed_at; // set when signed
    std::optional<UserId> signed_by;    // set when signed
    // For an addendum: the signed consultation it amends.
    std::optional<ConsultationId> amends_id;
    RecordMeta meta;

    bool isSigned() const { return status == ConsultationStatus::Signed; }
    bool isAddendum() const { return amends_id.has_value(); }
    // The follow-up day: follow_up_date, or started_at's UTC date plus follow_up_days; nullopt
    // when neither is set (or started_at is invalid).
    std::optional<QDate> followUpDue() const;
    // The first live (not tombstoned) primary diagnosis, or nullptr.
    const ConsultationDiagnosis *primaryDiagnosis() const;
};

// The snake_case names of the fields whose values differ between two versions of a consultation,
// in declaration order. Bookkeeping (meta) is ignored except a tombstone (deleted_at), which
// counts as a change of the record ("deleted_at") or of "diagnoses". Diagnoses compare as a list
// of live rows (id, code, description, is_primary).
QStringList changedConsultationFields(const Consultation &before, const Consultation &after);

} // namespace tmdash
