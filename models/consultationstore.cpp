#include "consultationstore.h"

#include "clock.h"
#include "consultationcodec.h"
#include "consultationvalidator.h"
#include "outbox.h"
#include "transaction.h"

#include <QCoreApplication>
#include <QHash>

#include <algorithm>

namespace tmdash {

namespace {

const QString kConsultations = QStringLiteral("consultations");
const QString kDiagnoses = QStringLiteral("consultation_diagnoses");

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

QList<Row> diagnosisRows(const Consultation &c)
{
    QList<Row> rows;
    for (const ConsultationDiagnosis &d : c.diagnoses)
        if (!d.meta.isDeleted())
            rows << toRow(d);
    return rows;
}

Row parentColumns(const Consultation &c)
{
    return {{QStringLiteral("clinic_id"), c.clinic_id.value},
            {QStringLiteral("consultation_id"), c.id.value}};
}

// The consultation row to write: bookkeeping is the writer's.
Row noteRow(const Consultation &c)
{
    Row r = toRow(c);
    r.remove(QStringLiteral("deleted_at"));
    return r;
}

// The primary diagnosis first, then the order they were added in (rows have no position
// column, and ids made in the same millisecond do not sort by creation).
void sortDiagnoses(QList<ConsultationDiagnosis> &diagnoses)
{
    std::stable_sort(diagnoses.begin(), diagnoses.end(),
                     [](const ConsultationDiagnosis &a, const ConsultationDiagnosis &b) {
                         return a.is_primary && !b.is_primary;
                     });
}

Error signedNoteError(const Consultation &stored)
{
    const QString when = stored.signed_at ? formatInstant(*stored.signed_at) : QString();
    return Error::invalid(QStringLiteral("status"), QStringLiteral("immutable"),
                          tr("This note was signed at %1 and can no longer change. Add an "
                             "addendum to correct or extend it.")
                              .arg(when));
}

} // namespace

Result<Consultation> ConsultationStore::load(const Row &row) const
{
    Consultation c = consultationFromRow(row);
    auto diagnoses = childRows(m_db, kDiagnoses, c.id.value);
    if (!diagnoses)
        return diagnoses.error();
    for (const Row &r : *diagnoses)
        c.diagnoses << diagnosisFromRow(r);
    sortDiagnoses(c.diagnoses);
    return c;
}

Result<Consultation> ConsultationStore::insertDraft(Consultation c) const
{
    c.status = ConsultationStatus::Draft;
    c.signed_at.reset();
    c.signed_by.reset();
    c.meta = {};
    if (FieldErrors errors = validateConsultation(c); !errors.isEmpty())
        return Error::invalid(errors);
    if (Status s = requireReference(u"patients", c.patient_id.value, QStringLiteral("patient_id")); !s)
        return s.error();
    const RecordWriter w = writer();
    if (auto stored = w.insert(*tableSpec(kConsultations), noteRow(c)); !stored)
        return stored.error();
    if (Status s = w.syncChildren(*tableSpec(kDiagnoses), {}, diagnosisRows(c), parentColumns(c));
        !s)
        return s.error();
    return c;
}

Result<Consultation> ConsultationStore::create(Consultation c) const
{
    if (Status allowed = permit(Action::WriteConsultations); !allowed)
        return allowed.error();
    auto clinic = clinicForNewRecord(c.clinic_id);
    if (!clinic)
        return clinic.error();
    c.clinic_id = *clinic;
    if (c.id.isNull())
        c.id = newId<ConsultationId>();
    if (c.amends_id)
        return Error::invalid(QStringLiteral("amends_id"), QStringLiteral("inconsistent"),
                              tr("An addendum is written as an addendum of the signed note."));
    c.status = ConsultationStatus::Draft;
    c.signed_at.reset();
    c.signed_by.reset();
    if (FieldErrors errors = validateConsultation(c); !errors.isEmpty())
        return Error::invalid(errors);

    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    if (auto stored = insertDraft(c); !stored)
        return stored.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(c.id);
}

Result<Consultation> ConsultationStore::get(const ConsultationId &id) const
{
    if (Status allowed = permit(Action::ReadConsultations); !allowed)
        return allowed.error();
    auto row = visibleRow(kConsultations, id.value, QStringLiteral("consultation"));
    if (!row)
        return row.error();
    return load(*row);
}

Result<Consultation> ConsultationStore::update(const Consultation &edited) const
{
    if (Status allowed = permit(Action::WriteConsultations); !allowed)
        return allowed.error();
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kConsultations, edited.id.value, QStringLiteral("consultation"));
    if (!current)
        return current.error();
    auto before = load(*current);
    if (!before)
        return before.error();
    Consultation after = edited;
    // Bookkeeping is the store's; a caller cannot tombstone through update().
    after.meta = before->meta;
    if (FieldErrors errors = checkConsultationEdit(*before, after); !errors.isEmpty())
        return Error::invalid(errors);
    if (after.status != before->status || after.signed_at != before->signed_at ||
        after.signed_by != before->signed_by)
        return Error::invalid(QStringLiteral("status"), QStringLiteral("transition"),
                              tr("A note is signed with the sign action, not by editing it."));
    if (FieldErrors errors = validateConsultation(after); !errors.isEmpty())
        return Error::invalid(errors);

    const RecordWriter w = writer();
    if (auto stored = w.update(*tableSpec(kConsultations), *current, noteRow(after)); !stored)
        return stored.error();
    auto storedDiagnoses = childRows(m_db, kDiagnoses, after.id.value);
    if (!storedDiagnoses)
        return storedDiagnoses.error();
    if (Status s = w.syncChildren(*tableSpec(kDiagnoses), *storedDiagnoses, diagnosisRows(after),
                                  parentColumns(after));
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(after.id);
}

Status ConsultationStore::remove(const ConsultationId &id) const
{
    if (Status allowed = permit(Action::WriteConsultations); !allowed)
        return allowed;
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started();
    auto current = visibleRow(kConsultations, id.value, QStringLiteral("consultation"));
    if (!current)
        return current.error();
    const Consultation stored = consultationFromRow(*current);
    if (stored.isSigned())
        return signedNoteError(stored);
    const RecordWriter w = writer();
    auto diagnoses = childRows(m_db, kDiagnoses, id.value);
    if (!diagnoses)
        return diagnoses.error();
    for (const Row &r : *diagnoses)
        if (auto s = w.tombstone(*tableSpec(kDiagnoses), r); !s)
            return s.error();
    if (auto s = w.tombstone(*tableSpec(kConsultations), *current); !s)
        return s.error();
    return tx.commit();
}

Result<Consultation> ConsultationStore::sign(const ConsultationId &id) const
{
    if (Status allowed = permit(Action::SignConsultations); !allowed)
        return allowed.error();
    if (m_actor.user_id.isNull())
        return Error::invalid(QStringLiteral("signed_by"), QStringLiteral("required"),
                              tr("Only a person with a user account can sign a note."));
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kConsultations, id.value, QStringLiteral("consultation"));
    if (!current)
        return current.error();
    auto before = load(*current);
    if (!before)
        return before.error();
    if (before->isSigned())
        return Error::invalid(QStringLiteral("status"), QStringLiteral("transition"),
                              tr("This note is already signed."));
    Consultation after = *before;
    after.status = ConsultationStatus::Signed;
    after.signed_at = nowUtc();
    after.signed_by = m_actor.user_id;
    if (FieldErrors errors = validateConsultation(after); !errors.isEmpty())
        return Error::invalid(errors);
    if (auto stored =
            writer().update(*tableSpec(kConsultations), *current, noteRow(after), OutboxOp::State);
        !stored)
        return stored.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(id);
}

Result<Consultation> ConsultationStore::addendum(const ConsultationId &signedId,
                                                 Consultation content) const
{
    if (Status allowed = permit(Action::WriteConsultations); !allowed)
        return allowed.error();
    if (content.id.isNull() || content.id == signedId)
        content.id = newId<ConsultationId>();
    content.amends_id = signedId;
    for (ConsultationDiagnosis &d : content.diagnoses)
        d.id = RowId();

    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto targetRow = visibleRow(kConsultations, signedId.value, QStringLiteral("consultation"));
    if (!targetRow) {
        if (targetRow.error().code != ErrorCode::NotFound)
            return targetRow.error();
        return Error::invalid(QStringLiteral("amends_id"), QStringLiteral("unknown"),
                              tr("The note to amend is not on record."));
    }
    const Consultation target = consultationFromRow(*targetRow);
    if (content.clinic_id.isNull())
        content.clinic_id = target.clinic_id;
    if (content.patient_id.isNull())
        content.patient_id = target.patient_id;
    if (!content.appointment_id)
        content.appointment_id = target.appointment_id;
    if (FieldErrors errors = checkAddendumTarget(content, target); !errors.isEmpty())
        return Error::invalid(errors);
    if (auto stored = insertDraft(content); !stored)
        return stored.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(content.id);
}

Result<QList<Consultation>> ConsultationStore::forPatient(const PatientId &patientId) const
{
    if (Status allowed = permit(Action::ReadConsultations); !allowed)
        return allowed.error();
    QString where = QStringLiteral("patient_id = :patient AND deleted_at IS NULL");
    QVariantMap binds{{QStringLiteral("patient"), patientId.value}};
    restrictToScope(kConsultations, where, binds);
    auto rows =
        RecordTable(m_db, kConsultations).select(where, binds, QStringLiteral("started_at, id"));
    if (!rows)
        return rows.error();
    // All diagnoses of the patient's notes in one query (consultations by patient, diagnoses by
    // parent: both indexed) rather than one query per note.
    auto diagnoses =
        RecordTable(m_db, kDiagnoses)
            .select(QStringLiteral("deleted_at IS NULL AND consultation_id IN (SELECT id FROM "
                                   "consultations WHERE patient_id = :patient)"),
                    {{QStringLiteral("patient"), patientId.value}},
                    QStringLiteral("created_at, id"));
    if (!diagnoses)
        return diagnoses.error();
    QHash<QString, QList<ConsultationDiagnosis>> byNote;
    for (const Row &r : *diagnoses)
        byNote[r.value(u"consultation_id").toString()] << diagnosisFromRow(r);
    QList<Consultation> out;
    out.reserve(rows->size());
    for (const Row &r : *rows) {
        Consultation c = consultationFromRow(r);
        c.diagnoses = byNote.value(c.id.value);
        sortDiagnoses(c.diagnoses);
        out << c;
    }
    return out;
}

} // namespace tmdash
