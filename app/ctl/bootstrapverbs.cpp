#include "clinicstore.h"
#include "clinicvalidator.h"
#include "transaction.h"
#include "userstore.h"
#include "uservalidator.h"
#include "verbsupport.h"
#include "verbs.h"

namespace tmdash {

const char kBootstrapHelp[] =
    "tmdashctl bootstrap --clinic-name N --timezone TZ --admin-email E --password-stdin\n"
    "                    [--given-name G] [--family-name F]\n"
    "  Sets up a database without a clinic: creates the first clinic (time zone TZ, an IANA id\n"
    "  such as America/New_York; open Monday to Friday 08:00-17:00 local time, to be changed\n"
    "  with `clinic update`) and its first admin, active, with the password read from the first\n"
    "  line of stdin. The admin's name defaults to \"Clinic Administrator\". Both are written in\n"
    "  one transaction: a refusal leaves nothing behind. Run as the database's owner (no --as).\n"
    "  Prints the clinic and the admin; with --json {\"clinic\": {...}, \"admin\": {...}}.\n";

namespace {

const QStringList kOptions{QStringLiteral("clinic-name"), QStringLiteral("timezone"),
                           QStringLiteral("admin-email"), QStringLiteral("given-name"),
                           QStringLiteral("family-name")};

// Field errors of the stores under the names of this verb's options, so that a person sees
// which option to fix ("clinic_name", not the clinic's "name").
FieldErrors renamed(FieldErrors errors)
{
    for (FieldError &e : errors) {
        if (e.field == QLatin1String("name"))
            e.field = QStringLiteral("clinic_name");
        else if (e.field == QLatin1String("email"))
            e.field = QStringLiteral("admin_email");
    }
    return errors;
}

Error renamed(Error error)
{
    error.fields = renamed(error.fields);
    return error;
}

// Invalid (field "clinic") when the database already holds a clinic: bootstrap is for a new
// database only.
Status requireNoClinic(const ClinicStore &clinics)
{
    auto existing = clinics.list();
    if (!existing)
        return existing.error();
    if (existing->isEmpty())
        return {};
    return Error::invalid(
        QStringLiteral("clinic"), QStringLiteral("exists"),
        QStringLiteral("This database already has a clinic (%1); bootstrap only sets up a database "
                       "without one. Add users with `tmdashctl --as ADMIN user add`, further "
                       "clinics with `tmdashctl clinic add` on a central.")
            .arg(existing->first().name));
}

} // namespace

int runBootstrapVerb(CtlContext &ctx)
{
    if (int code = checkOptions(ctx, kOptions, {QStringLiteral("password-stdin")}); code != ExitOk)
        return code;
    if (!ctx.positional(kOptions).isEmpty())
        return ctx.usage(QStringLiteral("bootstrap takes options only (see bootstrap --help)"));
    if (!ctx.asEmail.isEmpty())
        return ctx.fail(Error::notPermitted(
            QStringLiteral("bootstrap runs as the database's owner: leave out --as")));
    if (!ctx.flag(QStringLiteral("password-stdin")))
        return ctx.usage(
            QStringLiteral("bootstrap needs --password-stdin (the admin's password on stdin)"));

    const Principal owner = Principal::owner();
    const ClinicStore clinics(ctx.db, owner);
    const UserStore users(ctx.db, owner);
    if (Status s = requireNoClinic(clinics); !s)
        return ctx.fail(s.error());

    const QString password = passwordFromStdin(ctx);

    Clinic clinic;
    clinic.id = newId<ClinicId>();
    clinic.name = ctx.option(QStringLiteral("clinic-name")).trimmed();
    clinic.timezone = ctx.option(QStringLiteral("timezone")).trimmed();
    clinic.setWeekdayHours(QTime(8, 0), QTime(17, 0));

    User admin;
    admin.clinic_id = clinic.id;
    admin.email = ctx.option(QStringLiteral("admin-email")).trimmed();
    admin.given_name = ctx.option(QStringLiteral("given-name")).trimmed();
    admin.family_name = ctx.option(QStringLiteral("family-name")).trimmed();
    if (admin.given_name.isEmpty() && admin.family_name.isEmpty()) {
        admin.given_name = QStringLiteral("Clinic");
        admin.family_name = QStringLiteral("Administrator");
    }
    admin.role = Role::Admin;
    admin.status = UserStatus::Active;

    // Every failing field of both records at once; the stores check again when writing.
    FieldErrors errors = validateClinic(clinic);
    errors << validateUser(admin) << checkPassword(password, admin.email);
    if (!errors.isEmpty())
        return ctx.fail(Error::invalid(renamed(errors)));

    // One outer transaction: the stores' own transactions become savepoints inside it, so the
    // clinic is not left behind when the admin cannot be written. The admin's password is hashed
    // under the write lock; that is a fraction of a second, once per database.
    Transaction tx(ctx.db);
    if (!tx.started())
        return ctx.fail(tx.started().error());
    if (Status s = requireNoClinic(clinics); !s)
        return ctx.fail(s.error());
    auto storedClinic = clinics.create(clinic);
    if (!storedClinic)
        return ctx.fail(renamed(storedClinic.error()));
    auto storedAdmin = users.create(admin, password);
    if (!storedAdmin)
        return ctx.fail(renamed(storedAdmin.error()));
    if (Status s = tx.commit(); !s)
        return ctx.fail(s.error());

    if (ctx.json) {
        ctx.printJson(QJsonObject{{QStringLiteral("clinic"), clinicJson(*storedClinic)},
                                  {QStringLiteral("admin"), userJson(*storedAdmin)}});
    } else {
        *ctx.out << "Created clinic " << storedClinic->name << " (" << storedClinic->id.value
                 << "), time zone " << storedClinic->timezone
                 << ", open Monday to Friday 08:00-17:00\n"
                 << "Created admin " << storedAdmin->email << " (" << storedAdmin->id.value
                 << ")\n";
    }
    return ExitOk;
}

} // namespace tmdash
