#include "appointmentcodec.h"
#include "appointmentstore.h"
#include "verbsupport.h"
#include "clock.h"
#include "verbs.h"

#include <QJsonArray>

namespace tmdash {

const char kAppointmentHelp[] =
    "tmdashctl appointment add | get ID | list | update ID | STATE-CHANGE ID\n"
    "  add          one JSON appointment on stdin (patient_id, provider_id, start_at,\n"
    "               duration_minutes, type, room, reason, notes); prints the stored appointment\n"
    "  get ID       prints the appointment\n"
    "  list         [--patient ID] [--provider ID] [--day YYYY-MM-DD] [--week] [--status S]\n"
    "               --patient: all of a patient's appointments; --provider with --day (default\n"
    "               today): that provider's day, with --week the ISO week containing the day;\n"
    "               neither: the clinic's day (--week: the clinic's week). --status keeps one\n"
    "               status (scheduled, confirmed, checked_in, in_progress, completed, cancelled,\n"
    "               no_show, entered_in_error). Days are days in the clinic's time zone.\n"
    "  update ID    JSON with the changed fields on stdin (start_at, duration_minutes, type,\n"
    "               provider_id, room, reason, notes): reschedules or edits a scheduled,\n"
    "               confirmed or checked-in appointment\n"
    "  confirm ID | check-in ID | start ID | complete ID | no-show ID | error ID\n"
    "  cancel ID --reason R\n"
    "               the state changes; status and cancel_reason change only through them\n"
    "Appointments are never deleted: retract one with cancel (with a reason) or error.\n";

namespace {

const QString kUsage = QStringLiteral(
    "appointment add | get ID | list [--patient ID] [--provider ID] [--day YYYY-MM-DD] [--week] "
    "[--status S] | update ID | confirm|check-in|start|complete|no-show|error ID | cancel ID "
    "--reason R");

InputRules appointmentRules()
{
    const QString verbs = QStringLiteral(
        "`tmdashctl appointment confirm|check-in|start|complete|no-show|cancel|error ID`");
    return {{tableSpec(u"appointments"), {}, {QStringLiteral("end_at")}},
            {{QStringLiteral("status"), verbs}, {QStringLiteral("cancel_reason"), verbs}},
            {{QStringLiteral("type"), enumNames<AppointmentType>()}}};
}

QJsonObject appointmentJson(const Appointment &a)
{
    Row row = toRow(a);
    putInstant(row, QStringLiteral("end_at"), a.end_at());
    return row;
}

// The command-line spelling of each state change: the action's name with "-" for "_".
std::optional<AppointmentAction> actionFor(const QString &word)
{
    for (const QString &name : enumNames<AppointmentAction>())
        if (QString(name).replace(QLatin1Char('_'), QLatin1Char('-')) == word)
            return enumFromString<AppointmentAction>(name);
    return std::nullopt;
}

void printAppointments(const CtlContext &ctx, const QList<Appointment> &list)
{
    if (ctx.json) {
        QJsonArray out;
        for (const Appointment &a : list)
            out.append(appointmentJson(a));
        ctx.printJson(out);
        return;
    }
    QList<QStringList> rows;
    for (const Appointment &a : list)
        rows << QStringList{formatInstant(a.start_at),
                            QString::number(a.duration_minutes),
                            toString(a.status),
                            toString(a.type),
                            a.room,
                            a.patient_id.value,
                            a.provider_id.value,
                            a.id.value};
    printTable(ctx,
               {QStringLiteral("START (UTC)"), QStringLiteral("MIN"), QStringLiteral("STATUS"),
                QStringLiteral("TYPE"), QStringLiteral("ROOM"), QStringLiteral("PATIENT"),
                QStringLiteral("PROVIDER"), QStringLiteral("ID")},
               rows);
}

int listAppointments(const CtlContext &ctx, const AppointmentStore &store)
{
    const QString patient = ctx.option(QStringLiteral("patient"));
    const QString provider = ctx.option(QStringLiteral("provider"));
    const QString dayText = ctx.option(QStringLiteral("day"));
    const QString status = ctx.option(QStringLiteral("status"));
    const bool week = ctx.flag(QStringLiteral("week"));
    if (!status.isEmpty() && !enumFromString<AppointmentStatus>(status))
        return ctx.usage(QStringLiteral("--status must be one of: %1")
                             .arg(enumNames<AppointmentStatus>().join(QStringLiteral(", "))));
    std::optional<QDate> day =
        dayText.isEmpty() ? std::optional<QDate>(todayUtc()) : parseDate(dayText);
    if (!day)
        return ctx.usage(QStringLiteral("--day must be a date YYYY-MM-DD, not '%1'").arg(dayText));
    for (const QString &id : {patient, provider})
        if (!id.isEmpty() && !isUuid(id))
            return ctx.fail(
                Error::notFound(QStringLiteral("no patient or provider with id %1").arg(id)));

    Result<QList<Appointment>> found = QList<Appointment>();
    if (!patient.isEmpty()) {
        found = store.forPatient(PatientId(patient.toLower()));
    } else if (!provider.isEmpty()) {
        found = week ? store.forProviderWeek(ProviderId(provider.toLower()), *day)
                     : store.forProviderDay(ProviderId(provider.toLower()), *day);
    } else if (week) {
        const QDate monday = day->addDays(1 - day->dayOfWeek());
        QList<Appointment> all;
        for (int i = 0; i < 7 && found; ++i) {
            found = store.forClinicDay(monday.addDays(i));
            if (found)
                all << *found;
        }
        if (found)
            found = all;
    } else {
        found = store.forClinicDay(*day);
    }
    if (!found)
        return ctx.fail(found.error());
    QList<Appointment> shown;
    for (const Appointment &a : *found) {
        if (!status.isEmpty() && toString(a.status) != status)
            continue;
        if (!patient.isEmpty() && !provider.isEmpty() && a.provider_id.value != provider.toLower())
            continue;
        shown << a;
    }
    printAppointments(ctx, shown);
    return ExitOk;
}

} // namespace

int runAppointmentVerb(CtlContext &ctx)
{
    const QStringList pos =
        ctx.positional({QStringLiteral("patient"), QStringLiteral("provider"),
                        QStringLiteral("day"), QStringLiteral("status"), QStringLiteral("reason")});
    const QString action = pos.value(0);
    if (action == QLatin1String("delete"))
        return ctx.usage(
            QStringLiteral("appointments are never deleted: retract one with "
                           "`appointment cancel ID --reason R` or `appointment error ID`"));
    auto principal = ctx.person();
    if (!principal)
        return ctx.fail(principal.error());
    const AppointmentStore store(ctx.db, *principal);

    if (action == QLatin1String("add")) {
        auto input = ctx.readJsonObject();
        if (!input)
            return ctx.fail(input.error());
        auto row = checkedRow(*input, appointmentRules());
        if (!row)
            return ctx.fail(row.error());
        auto created = store.create(appointmentFromRow(*row));
        if (!created)
            return ctx.fail(created.error());
        ctx.printJson(appointmentJson(*created));
        return ExitOk;
    }
    if (action == QLatin1String("list"))
        return listAppointments(ctx, store);

    const std::optional<AppointmentAction> stateChange = actionFor(action);
    if (action != QLatin1String("get") && action != QLatin1String("update") && !stateChange)
        return ctx.usage(kUsage);
    QString id;
    if (int code = idArgument(ctx, pos, QStringLiteral("appointment %1 ID").arg(action),
                              QStringLiteral("appointment"), &id))
        return code;
    auto current = store.get(AppointmentId(id));
    if (!current)
        return ctx.fail(current.error());
    if (action == QLatin1String("get")) {
        ctx.printJson(appointmentJson(*current));
        return ExitOk;
    }
    if (stateChange) {
        auto changed =
            store.transition(current->id, *stateChange, ctx.option(QStringLiteral("reason")));
        if (!changed)
            return ctx.fail(changed.error());
        ctx.printJson(appointmentJson(*changed));
        return ExitOk;
    }
    auto input = ctx.readJsonObject();
    if (!input)
        return ctx.fail(input.error());
    auto row = checkedRow(*input, appointmentRules());
    if (!row)
        return ctx.fail(row.error());
    if (row->contains(u"id") && row->value(u"id").toString() != id)
        return ctx.fail(Error::invalid(QStringLiteral("id"), QStringLiteral("immutable"),
                                       QStringLiteral("the id of an appointment cannot change")));
    auto updated = store.update(appointmentFromRow(mergedRow(toRow(*current), *row)));
    if (!updated)
        return ctx.fail(updated.error());
    ctx.printJson(appointmentJson(*updated));
    return ExitOk;
}

} // namespace tmdash
