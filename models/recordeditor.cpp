#include "recordeditor.h"

#include "appointmentcodec.h"
#include "appointmentstore.h"
#include "cliniccodec.h"
#include "clinicstore.h"
#include "clock.h"
#include "consultationcodec.h"
#include "consultationstore.h"
#include "patientcodec.h"
#include "patientstore.h"
#include "prescriptioncodec.h"
#include "prescriptionstore.h"
#include "providercodec.h"
#include "providerstore.h"
#include "transaction.h"
#include "usercodec.h"
#include "userstore.h"
#include "vitalscodec.h"
#include "vitalsstore.h"

#include <QCoreApplication>
#include <QTime>

#include <algorithm>

namespace tmdash {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Sync", text);
}

Error unsupported(const QString &message)
{
    return Error::invalid(QStringLiteral("entity"), QStringLiteral("unsupported"), message);
}

Error noRecord(QStringView table, const QString &id)
{
    return Error::notFound(QStringLiteral("no %1 record with id %2").arg(table, id));
}

template <class T> Status done(const Result<T> &result)
{
    if (result)
        return {};
    return result.error();
}

QString typeName(ColumnType type)
{
    switch (type) {
    case ColumnType::Uuid:
        return tr("a UUID string");
    case ColumnType::Text:
        return tr("a string");
    case ColumnType::Integer:
        return tr("a whole number");
    case ColumnType::Real:
        return tr("a number");
    case ColumnType::Bool:
        return tr("true or false");
    case ColumnType::Date:
        return tr("a date YYYY-MM-DD");
    case ColumnType::Instant:
        return tr("an ISO 8601 instant with Z or an offset");
    case ColumnType::Time:
        return tr("a time HH:MM");
    case ColumnType::Json:
        return tr("a JSON object or array");
    }
    return {};
}

enum class Purpose { Change, Create };

// The Row form of `fields` for `table`; the failing fields are appended to `errors`. A change
// never moves a record: its id, clinic and parent stay.
Row checkedValues(const TableSpec &table, const QJsonObject &fields, Purpose purpose,
                  FieldErrors &errors)
{
    Row out;
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        const QString &field = it.key();
        const ColumnSpec *column = table.column(field);
        if (!column) {
            errors << FieldError{field, QStringLiteral("unknown"),
                                 tr("'%1' is not a field of %2").arg(field, table.name)};
        } else if (isBookkeepingColumn(field) || field == u"deleted_at") {
            errors << FieldError{field, QStringLiteral("read_only"),
                                 tr("'%1' is set by the program and cannot be sent").arg(field)};
        } else if (purpose == Purpose::Change &&
                   (field == u"id" || field == u"clinic_id" ||
                    (!table.parentColumn.isEmpty() && field == table.parentColumn))) {
            errors << FieldError{field, QStringLiteral("immutable"),
                                 tr("'%1' of a stored record never changes").arg(field)};
        } else if (auto value = rowValueFromInput(it.value(), column->type)) {
            out.insert(field, *value);
        } else {
            errors << FieldError{field, QStringLiteral("type"),
                                 tr("expected %1").arg(typeName(column->type))};
        }
    }
    return out;
}

// Equal as stored: an empty text is stored as null (row.h).
bool sameValue(const QJsonValue &a, const QJsonValue &b)
{
    const auto blank = [](const QJsonValue &v) {
        return v.isNull() || v.isUndefined() || (v.isString() && v.toString().isEmpty());
    };
    return a == b || (blank(a) && blank(b));
}

// The fields of `wanted` that the record, once built from them (`held`: its Row form), does not
// hold as given: a name outside an enum, a derived or unstored column.
void checkHeld(const Row &wanted, const Row &held, FieldErrors &errors)
{
    for (auto it = wanted.constBegin(); it != wanted.constEnd(); ++it) {
        if (held.contains(it.key()) ? sameValue(it.value(), held.value(it.key()))
                                    : it.value().isNull())
            continue;
        errors << FieldError{it.key(), QStringLiteral("unknown"),
                             tr("'%1' cannot hold this value").arg(it.key())};
    }
}

Row overlaid(Row base, const Row &values)
{
    for (auto it = values.constBegin(); it != values.constEnd(); ++it)
        base.insert(it.key(), it.value());
    return base;
}

// The values of `values` that differ from the stored `current`.
Row changedOnly(const Row &values, const Row &current)
{
    Row out;
    for (auto it = values.constBegin(); it != values.constEnd(); ++it)
        if (!sameValue(it.value(), current.value(it.key())))
            out.insert(it.key(), it.value());
    return out;
}

// One change to an owned list, carried out on the parent's value before the parent's store
// writes it.
struct ListChange
{
    enum class Kind { Edit, Add, Drop };
    Kind kind;
    QString id;
    Row values; // Edit: the changed fields; Add: the row without clinic_id and parent column
};

template <class T, class FromRow>
Status applyListChange(QList<T> &items, const ListChange &change, FromRow fromRow,
                       FieldErrors &errors)
{
    const auto found = std::find_if(items.begin(), items.end(),
                                    [&](const T &item) { return item.id.value == change.id; });
    switch (change.kind) {
    case ListChange::Kind::Edit: {
        if (found == items.end())
            return Error::notFound(tr("no list row with id %1").arg(change.id));
        T edited = fromRow(overlaid(toRow(*found), change.values));
        checkHeld(change.values, toRow(edited), errors);
        edited.meta = found->meta;
        *found = edited;
        return {};
    }
    case ListChange::Kind::Add: {
        if (found != items.end())
            return Error::invalid(QStringLiteral("id"), QStringLiteral("duplicate"),
                                  tr("The list already holds a row with id %1.").arg(change.id));
        const T added = fromRow(change.values);
        checkHeld(change.values, toRow(added), errors);
        items.append(added);
        return {};
    }
    case ListChange::Kind::Drop:
        if (found == items.end())
            return Error::notFound(tr("no list row with id %1").arg(change.id));
        items.erase(found);
        return {};
    }
    return {};
}

// An owned-list row changes as a change of its parent, written by the parent's store (its
// permission, validation and lists compared row by row).
Status changeChild(const Database &db, const Principal &actor, const TableSpec &table,
                   const QString &parentId, const ListChange &change)
{
    FieldErrors errors;
    if (table.parentTable == u"patients") {
        const PatientStore store(db, actor);
        auto parent = store.get(PatientId(parentId));
        if (!parent)
            return parent.error();
        Patient next = *parent;
        Status s;
        if (table.name == u"patient_emergency_contacts")
            s = applyListChange(next.emergency_contacts, change, emergencyContactFromRow, errors);
        else if (table.name == u"patient_insurance")
            s = applyListChange(next.insurance, change, insuranceFromRow, errors);
        else if (table.name == u"patient_allergies")
            s = applyListChange(next.allergies, change, allergyFromRow, errors);
        else
            s = applyListChange(next.conditions, change, conditionFromRow, errors);
        if (!s)
            return s;
        if (!errors.isEmpty())
            return Error::invalid(errors);
        return done(store.update(next));
    }
    if (table.parentTable == u"providers") {
        const ProviderStore store(db, actor);
        auto parent = store.get(ProviderId(parentId));
        if (!parent)
            return parent.error();
        Provider next = *parent;
        const Status s =
            table.name == u"provider_availability"
                ? applyListChange(next.availability, change, availabilityFromRow, errors)
                : applyListChange(next.time_off, change, timeOffFromRow, errors);
        if (!s)
            return s;
        if (!errors.isEmpty())
            return Error::invalid(errors);
        return done(store.update(next));
    }
    const ConsultationStore store(db, actor);
    auto parent = store.get(ConsultationId(parentId));
    if (!parent)
        return parent.error();
    Consultation next = *parent;
    if (Status s = applyListChange(next.diagnoses, change, diagnosisFromRow, errors); !s)
        return s;
    if (!errors.isEmpty())
        return Error::invalid(errors);
    return done(store.update(next));
}

Status setPatientFields(const Database &db, const Principal &actor, const QString &id,
                        const Row &values)
{
    const PatientStore store(db, actor);
    auto current = store.get(PatientId(id));
    if (!current)
        return current.error();
    Patient next = patientFromRow(overlaid(toRow(*current), values));
    FieldErrors errors;
    checkHeld(values, toRow(next), errors);
    if (!errors.isEmpty())
        return Error::invalid(errors);
    next.emergency_contacts = current->emergency_contacts;
    next.insurance = current->insurance;
    next.allergies = current->allergies;
    next.conditions = current->conditions;
    return done(store.update(next));
}

Status setProviderFields(const Database &db, const Principal &actor, const QString &id,
                         const Row &values)
{
    const ProviderStore store(db, actor);
    auto current = store.get(ProviderId(id));
    if (!current)
        return current.error();
    Provider next = providerFromRow(overlaid(toRow(*current), values));
    FieldErrors errors;
    checkHeld(values, toRow(next), errors);
    if (!errors.isEmpty())
        return Error::invalid(errors);
    next.availability = current->availability;
    next.time_off = current->time_off;
    return done(store.update(next));
}

Status setClinicFields(const Database &db, const Principal &actor, const QString &id,
                       const Row &values)
{
    const ClinicStore store(db, actor);
    auto current = store.get(ClinicId(id));
    if (!current)
        return current.error();
    const Clinic next = clinicFromRow(overlaid(toRow(*current), values));
    FieldErrors errors;
    checkHeld(values, toRow(next), errors);
    if (!errors.isEmpty())
        return Error::invalid(errors);
    return done(store.update(next));
}

// Users: profile fields through update; the status, the unlock and TOTP through their own
// actions; secrets are never copied from elsewhere.
Status setUserFields(const Database &db, const Principal &actor, const QString &id,
                     const Row &values)
{
    const UserStore store(db, actor);
    auto current = store.get(UserId(id));
    if (!current)
        return current.error();
    const Row stored = toRow(*current);
    const Row wanted = changedOnly(values, stored);
    const QStringList profileFields{QStringLiteral("email"), QStringLiteral("given_name"),
                                    QStringLiteral("family_name"), QStringLiteral("phone"),
                                    QStringLiteral("role")};
    const bool totpOff =
        wanted.contains(u"totp_enabled") && !wanted.value(u"totp_enabled").toBool();
    Row profile;
    bool disable = false;
    bool unlock = false;
    FieldErrors errors;
    for (auto it = wanted.constBegin(); it != wanted.constEnd(); ++it) {
        const QString &field = it.key();
        if (profileFields.contains(field)) {
            profile.insert(field, it.value());
        } else if (field == u"status" && it.value().toString() == toString(UserStatus::Disabled)) {
            disable = true;
        } else if (field == u"unlocked_at" && !it.value().isNull()) {
            unlock = true;
        } else if (field == u"totp_enabled" && totpOff) {
            continue;
        } else if ((field == u"totp_secret" || field == u"recovery_codes") && totpOff &&
                   it.value().isNull()) {
            continue; // part of switching TOTP off
        } else if (field == u"status") {
            errors << FieldError{
                field, QStringLiteral("read_only"),
                tr("An account's status changes by disabling it or by logging in.")};
        } else {
            errors << FieldError{field, QStringLiteral("read_only"),
                                 tr("'%1' is set by its owner (user passwd, user totp), never "
                                    "copied.")
                                     .arg(field)};
        }
    }
    User next = userFromRow(overlaid(stored, profile));
    checkHeld(profile, toRow(next), errors);
    if (!errors.isEmpty())
        return Error::invalid(errors);
    if (!profile.isEmpty())
        if (Status s = done(store.update(next)); !s)
            return s;
    if (disable)
        if (Status s = done(store.disable(UserId(id))); !s)
            return s;
    if (unlock)
        if (Status s = done(store.unlock(UserId(id))); !s)
            return s;
    if (totpOff)
        return done(store.disableTotp(UserId(id)));
    return {};
}

// The status a person asks for, taken out of `values`; Invalid {"status", "unknown"} for a name
// outside the machine, nullopt when none is asked for.
template <class StatusT> Result<std::optional<StatusT>> takeStatus(Row &values)
{
    if (!values.contains(u"status"))
        return std::optional<StatusT>();
    const QString name = rowText(values, u"status");
    values.remove(QStringLiteral("status"));
    auto status = enumFromString<StatusT>(name);
    if (!status)
        return Error::invalid(QStringLiteral("status"), QStringLiteral("unknown"),
                              tr("'%1' is not a status of this record").arg(name));
    return std::optional<StatusT>(*status);
}

Error noTransition(const QString &from, const QString &to)
{
    return Error::invalid(QStringLiteral("status"), QStringLiteral("transition"),
                          tr("No action leads from %1 to %2.").arg(from, to));
}

// Append-only records: a changed recorded value is refused.
FieldErrors immutableFields(const Row &changed)
{
    FieldErrors errors;
    for (auto it = changed.constBegin(); it != changed.constEnd(); ++it)
        errors << FieldError{it.key(), QStringLiteral("immutable"),
                             tr("This record is append-only: '%1' never changes; record a new "
                                "one instead.")
                                 .arg(it.key())};
    return errors;
}

Status setAppointmentFields(const Database &db, const Principal &actor, const QString &id,
                            const Row &values)
{
    const AppointmentStore store(db, actor);
    auto current = store.get(AppointmentId(id));
    if (!current)
        return current.error();
    Row rest = values;
    auto target = takeStatus<AppointmentStatus>(rest);
    if (!target)
        return target.error();
    QString reason;
    const bool transition = target->has_value() && **target != current->status;
    if (transition) {
        reason = rowText(rest, u"cancel_reason");
        rest.remove(QStringLiteral("cancel_reason"));
    }
    rest = changedOnly(rest, toRow(*current));
    if (!rest.isEmpty()) {
        const Appointment next = appointmentFromRow(overlaid(toRow(*current), rest));
        FieldErrors errors;
        checkHeld(rest, toRow(next), errors);
        if (!errors.isEmpty())
            return Error::invalid(errors);
        if (Status s = done(store.update(next)); !s)
            return s;
    }
    if (!transition)
        return {};
    const auto action = actionBetween(current->status, **target);
    if (!action)
        return noTransition(toString(current->status), toString(**target));
    return done(store.transition(AppointmentId(id), *action, reason));
}

Status setPrescriptionFields(const Database &db, const Principal &actor, const QString &id,
                             const Row &values)
{
    const PrescriptionStore store(db, actor);
    auto current = store.get(PrescriptionId(id));
    if (!current)
        return current.error();
    Row rest = values;
    auto target = takeStatus<PrescriptionStatus>(rest);
    if (!target)
        return target.error();
    if (FieldErrors errors = immutableFields(changedOnly(rest, toRow(*current))); !errors.isEmpty())
        return Error::invalid(errors);
    if (!target->has_value() || **target == current->status)
        return {};
    const auto action = actionBetween(current->status, **target);
    if (!action)
        return noTransition(toString(current->status), toString(**target));
    return done(store.transition(PrescriptionId(id), *action));
}

Status setVitalsFields(const Database &db, const Principal &actor, const QString &id,
                       const Row &values)
{
    const VitalsStore store(db, actor);
    auto current = store.get(VitalsId(id));
    if (!current)
        return current.error();
    Row rest = values;
    auto target = takeStatus<VitalsStatus>(rest);
    if (!target)
        return target.error();
    if (FieldErrors errors = immutableFields(changedOnly(rest, toRow(*current))); !errors.isEmpty())
        return Error::invalid(errors);
    if (!target->has_value() || **target == current->status)
        return {};
    if (**target != VitalsStatus::EnteredInError)
        return noTransition(toString(current->status), toString(**target));
    return done(store.markInError(VitalsId(id)));
}

Status setConsultationFields(const Database &db, const Principal &actor, const QString &id,
                             const Row &values)
{
    const ConsultationStore store(db, actor);
    auto current = store.get(ConsultationId(id));
    if (!current)
        return current.error();
    Row rest = values;
    auto target = takeStatus<ConsultationStatus>(rest);
    if (!target)
        return target.error();
    const bool sign = target->has_value() && **target != current->status;
    if (sign) {
        if (**target != ConsultationStatus::Signed)
            return Error::invalid(QStringLiteral("status"), QStringLiteral("transition"),
                                  tr("A signed note stays signed; write an addendum."));
        // Signing sets them: now, by the person signing.
        rest.remove(QStringLiteral("signed_at"));
        rest.remove(QStringLiteral("signed_by"));
    }
    rest = changedOnly(rest, toRow(*current));
    FieldErrors errors;
    for (const QString &field : {QStringLiteral("signed_at"), QStringLiteral("signed_by")})
        if (rest.contains(field))
            errors << FieldError{field, QStringLiteral("read_only"),
                                 tr("'%1' is set by signing the note.").arg(field)};
    if (!errors.isEmpty())
        return Error::invalid(errors);
    if (!rest.isEmpty()) {
        Consultation next = consultationFromRow(overlaid(toRow(*current), rest));
        checkHeld(rest, toRow(next), errors);
        if (!errors.isEmpty())
            return Error::invalid(errors);
        next.diagnoses = current->diagnoses;
        if (Status s = done(store.update(next)); !s)
            return s;
    }
    if (sign)
        return done(store.sign(ConsultationId(id)));
    return {};
}

// The record built from `values` must hold them all (checkHeld); Invalid otherwise.
template <class T> Result<T> built(const Row &values, T (*fromRow)(const Row &))
{
    T value = fromRow(values);
    FieldErrors errors;
    checkHeld(values, toRow(value), errors);
    if (!errors.isEmpty())
        return Error::invalid(errors);
    return value;
}

Status createRecord(const Database &db, const Principal &actor, QStringView table,
                    const Row &values)
{
    if (table == u"patients") {
        auto p = built(values, patientFromRow);
        return p ? done(PatientStore(db, actor).create(*p)) : Status(p.error());
    }
    if (table == u"providers") {
        auto p = built(values, providerFromRow);
        return p ? done(ProviderStore(db, actor).create(*p)) : Status(p.error());
    }
    if (table == u"appointments") {
        auto a = built(values, appointmentFromRow);
        return a ? done(AppointmentStore(db, actor).create(*a)) : Status(a.error());
    }
    if (table == u"vitals") {
        auto v = built(values, vitalsFromRow);
        if (!v)
            return v.error();
        const VitalsStore store(db, actor);
        if (v->replaces_id.isNull())
            return done(store.create(*v));
        return done(store.correct(v->replaces_id, *v));
    }
    if (table == u"consultations") {
        auto c = built(values, consultationFromRow);
        if (!c)
            return c.error();
        const ConsultationStore store(db, actor);
        if (!c->amends_id)
            return done(store.create(*c));
        return done(store.addendum(*c->amends_id, *c));
    }
    if (table == u"prescriptions") {
        auto rx = built(values, prescriptionFromRow);
        return rx ? done(PrescriptionStore(db, actor).create(*rx)) : Status(rx.error());
    }
    if (table == u"users")
        return unsupported(tr("An account is created with a password: add it again with "
                              "tmdashctl user add."));
    return unsupported(tr("Clinics are created by the database's owner (tmdashctl clinic add)."));
}

} // namespace

std::optional<Action> RecordEditor::readAction(QStringView table)
{
    if (table == u"clinics")
        return Action::ReadClinic;
    if (table == u"users")
        return Action::ReadUsers;
    if (table == u"patients" || table == u"patient_emergency_contacts" ||
        table == u"patient_insurance" || table == u"patient_allergies" ||
        table == u"patient_conditions")
        return Action::ReadPatients;
    if (table == u"providers" || table == u"provider_availability" || table == u"provider_time_off")
        return Action::ReadProviders;
    if (table == u"appointments")
        return Action::ReadAppointments;
    if (table == u"vitals")
        return Action::ReadVitals;
    if (table == u"consultations" || table == u"consultation_diagnoses")
        return Action::ReadConsultations;
    if (table == u"prescriptions")
        return Action::ReadPrescriptions;
    return std::nullopt;
}

std::optional<Action> RecordEditor::writeAction(QStringView table)
{
    if (table == u"clinics")
        return Action::ManageClinic;
    if (table == u"users")
        return Action::ManageUsers;
    if (table == u"patient_conditions")
        return Action::WriteProblemList;
    if (table == u"patients" || table == u"patient_emergency_contacts" ||
        table == u"patient_insurance" || table == u"patient_allergies")
        return Action::WritePatients;
    if (table == u"providers" || table == u"provider_availability" || table == u"provider_time_off")
        return Action::ManageProviders;
    if (table == u"appointments")
        return Action::WriteAppointments;
    if (table == u"vitals")
        return Action::WriteVitals;
    if (table == u"consultations" || table == u"consultation_diagnoses")
        return Action::WriteConsultations;
    if (table == u"prescriptions")
        return Action::WritePrescriptions;
    return std::nullopt;
}

Status RecordEditor::setFields(QStringView table, const QString &id,
                               const QJsonObject &fields) const
{
    const TableSpec *spec = tableSpec(table);
    const auto action = writeAction(table);
    if (!spec || !action)
        return unsupported(tr("'%1' holds no records people change").arg(table));
    if (Status allowed = permit(*action); !allowed)
        return allowed;
    FieldErrors errors;
    const Row values = checkedValues(*spec, fields, Purpose::Change, errors);
    if (!errors.isEmpty())
        return Error::invalid(errors);
    if (!isUuid(id))
        return noRecord(table, id);

    Transaction tx(m_db);
    if (!tx.started())
        return tx.started();
    Status written;
    if (!spec->parentTable.isEmpty()) {
        auto stored = RecordTable(m_db, *spec).get(id);
        if (!stored)
            return stored.error().code == ErrorCode::NotFound ? noRecord(table, id)
                                                              : stored.error();
        written = changeChild(m_db, m_actor, *spec, rowText(*stored, spec->parentColumn),
                              {ListChange::Kind::Edit, id, values});
    } else if (table == u"patients") {
        written = setPatientFields(m_db, m_actor, id, values);
    } else if (table == u"providers") {
        written = setProviderFields(m_db, m_actor, id, values);
    } else if (table == u"clinics") {
        written = setClinicFields(m_db, m_actor, id, values);
    } else if (table == u"users") {
        written = setUserFields(m_db, m_actor, id, values);
    } else if (table == u"appointments") {
        written = setAppointmentFields(m_db, m_actor, id, values);
    } else if (table == u"prescriptions") {
        written = setPrescriptionFields(m_db, m_actor, id, values);
    } else if (table == u"vitals") {
        written = setVitalsFields(m_db, m_actor, id, values);
    } else {
        written = setConsultationFields(m_db, m_actor, id, values);
    }
    if (!written)
        return written;
    return tx.commit();
}

Status RecordEditor::create(QStringView table, const QJsonObject &row) const
{
    const TableSpec *spec = tableSpec(table);
    const auto action = writeAction(table);
    if (!spec || !action)
        return unsupported(tr("'%1' holds no records people create").arg(table));
    if (Status allowed = permit(*action); !allowed)
        return allowed;
    FieldErrors errors;
    Row values = checkedValues(*spec, row, Purpose::Create, errors);
    const QString id = rowText(values, u"id");
    if (!isUuid(id) && !row.contains(u"id"))
        errors << FieldError{QStringLiteral("id"), QStringLiteral("required"),
                             tr("The record to create needs its id.")};
    QString parentId;
    if (!spec->parentTable.isEmpty()) {
        parentId = rowText(values, spec->parentColumn);
        if (parentId.isEmpty() && !row.contains(spec->parentColumn))
            errors << FieldError{spec->parentColumn.toString(), QStringLiteral("required"),
                                 tr("A list row names its parent record.")};
        // The parent's store sets both.
        values.remove(QStringLiteral("clinic_id"));
        values.remove(spec->parentColumn.toString());
    }
    if (!errors.isEmpty())
        return Error::invalid(errors);

    Transaction tx(m_db);
    if (!tx.started())
        return tx.started();
    const Status written =
        spec->parentTable.isEmpty()
            ? createRecord(m_db, m_actor, table, values)
            : changeChild(m_db, m_actor, *spec, parentId, {ListChange::Kind::Add, id, values});
    if (!written)
        return written;
    return tx.commit();
}

Status RecordEditor::remove(QStringView table, const QString &id) const
{
    const TableSpec *spec = tableSpec(table);
    const auto action = writeAction(table);
    if (!spec || !action)
        return unsupported(tr("'%1' holds no records people retract").arg(table));
    if (Status allowed = permit(*action); !allowed)
        return allowed;
    if (!isUuid(id))
        return noRecord(table, id);

    Transaction tx(m_db);
    if (!tx.started())
        return tx.started();
    Status written;
    if (!spec->parentTable.isEmpty()) {
        auto stored = RecordTable(m_db, *spec).get(id);
        if (!stored)
            return stored.error().code == ErrorCode::NotFound ? noRecord(table, id)
                                                              : stored.error();
        written = changeChild(m_db, m_actor, *spec, rowText(*stored, spec->parentColumn),
                              {ListChange::Kind::Drop, id, {}});
    } else if (table == u"patients") {
        written = PatientStore(m_db, m_actor).remove(PatientId(id));
    } else if (table == u"providers") {
        written = ProviderStore(m_db, m_actor).remove(ProviderId(id));
    } else if (table == u"consultations") {
        written = ConsultationStore(m_db, m_actor).remove(ConsultationId(id));
    } else {
        written = unsupported(tr("%1 are never deleted: they are retracted by their status "
                                 "(cancel, entered in error, disable).")
                                  .arg(table));
    }
    if (!written)
        return written;
    return tx.commit();
}

} // namespace tmdash
