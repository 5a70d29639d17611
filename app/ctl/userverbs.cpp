#include "clinicstore.h"
#include "userstore.h"
#include "uservalidator.h"
#include "verbsupport.h"
#include "verbs.h"

#include <QJsonArray>

namespace tmdash {

const char kUserHelp[] =
    "tmdashctl user add --email E --role R [--clinic ID] [--given-name G] [--family-name F]\n"
    "                   --password-stdin\n"
    "             | list | get ID|EMAIL | disable ID|EMAIL   [--clinic ID]\n"
    "  add        creates an account, pending until its first login, with the password read from\n"
    "             the first line of stdin (at least 12 characters, not a common password, not\n"
    "             containing the email's name). Roles: admin, provider, staff, patient. Given and\n"
    "             family name are required by the account rules. Prints the stored user.\n"
    "  list       the accounts you can see (a table; JSON with --json)\n"
    "  get        one account as JSON, by id or email\n"
    "  disable    switches the account off; prints it as JSON\n"
    "  --clinic ID  the clinic, on a database that holds several (as the owner, without --as);\n"
    "               a person always works in their own clinic.\n"
    "Password hashes and TOTP secrets are never printed.\n";

namespace {

const QStringList kOptions{QStringLiteral("email"), QStringLiteral("role"),
                           QStringLiteral("clinic"), QStringLiteral("given-name"),
                           QStringLiteral("family-name")};

QString roleNames()
{
    QStringList names;
    for (const auto &entry : EnumNames<Role>::names)
        names << QString::fromLatin1(entry.second);
    return names.join(QStringLiteral(", "));
}

// The user named by an id or an email; NotFound for anything else.
Result<User> findUser(const UserStore &store, const QString &key, const ClinicId &clinic)
{
    if (isUuid(key))
        return store.get(UserId(key.toLower()));
    if (key.contains(QLatin1Char('@')))
        return store.findByEmail(key, clinic);
    return Error::notFound(QStringLiteral("no user with id or email %1").arg(key));
}

void printUsers(const CtlContext &ctx, const QList<User> &users)
{
    if (ctx.json) {
        QJsonArray out;
        for (const User &u : users)
            out.append(userJson(u));
        ctx.printJson(out);
        return;
    }
    for (const User &u : users)
        *ctx.out << u.email.leftJustified(32) << ' ' << toString(u.role).leftJustified(9) << ' '
                 << toString(u.status).leftJustified(9) << ' ' << u.displayName().leftJustified(28)
                 << ' ' << u.id.value << '\n';
}

int addUser(const CtlContext &ctx, const UserStore &store, const Principal &principal,
            const ClinicId &clinic)
{
    if (!ctx.flag(QStringLiteral("password-stdin")))
        return ctx.usage(QStringLiteral("user add needs --password-stdin (the password on stdin)"));
    QString password = ctx.in->readLine();
    if (password.endsWith(QLatin1Char('\r')))
        password.chop(1);

    User u;
    u.clinic_id = clinic;
    u.email = ctx.option(QStringLiteral("email")).trimmed();
    u.given_name = ctx.option(QStringLiteral("given-name")).trimmed();
    u.family_name = ctx.option(QStringLiteral("family-name")).trimmed();
    u.status = UserStatus::Pending;

    // What only the command line can get wrong (role, clinic) is reported together with the
    // account rules, so that one run lists every failing field.
    FieldErrors errors;
    const QString roleText = ctx.option(QStringLiteral("role")).trimmed();
    if (const auto role = enumFromString<Role>(roleText))
        u.role = *role;
    else
        errors << FieldError{
            QStringLiteral("role"),
            roleText.isEmpty() ? QStringLiteral("required") : QStringLiteral("unknown"),
            QStringLiteral("Give the role with --role: one of %1.").arg(roleNames())};
    if (!clinic.isNull()) {
        auto found = ClinicStore(ctx.db, principal).get(clinic);
        if (!found && found.error().code != ErrorCode::NotFound)
            return ctx.fail(found.error());
        if (!found)
            errors << FieldError{
                QStringLiteral("clinic_id"), QStringLiteral("not_found"),
                QStringLiteral("There is no clinic with id %1.").arg(clinic.value)};
    }
    if (!errors.isEmpty()) {
        errors << validateUser(u) << checkPassword(password, u.email);
        return ctx.fail(Error::invalid(errors));
    }
    auto created = store.create(u, password);
    if (!created)
        return ctx.fail(created.error());
    ctx.printJson(userJson(*created));
    return ExitOk;
}

} // namespace

int runUserVerb(CtlContext &ctx)
{
    if (int code = checkOptions(ctx, kOptions, {QStringLiteral("password-stdin")}); code != ExitOk)
        return code;
    const QStringList pos = ctx.positional(kOptions);
    const QString action = pos.value(0);
    auto principal = ctx.principal();
    if (!principal)
        return ctx.fail(principal.error());
    const UserStore store(ctx.db, *principal);

    ClinicId clinic;
    if (const QString given = ctx.option(QStringLiteral("clinic")); !given.isEmpty()) {
        if (!isUuid(given))
            return ctx.fail(Error::invalid(QStringLiteral("clinic_id"), QStringLiteral("format"),
                                           QStringLiteral("--clinic takes a clinic id (a UUID).")));
        clinic = ClinicId(given.toLower());
    }

    if (action == QLatin1String("add")) {
        if (pos.size() != 1)
            return ctx.usage(QStringLiteral("user add takes options only (see user --help)"));
        return addUser(ctx, store, *principal, clinic);
    }
    if (action == QLatin1String("get") || action == QLatin1String("disable")) {
        if (pos.size() != 2)
            return ctx.usage(QStringLiteral("user %1 ID|EMAIL").arg(action));
        auto user = findUser(store, pos.at(1), clinic);
        if (!user)
            return ctx.fail(user.error());
        if (action == QLatin1String("disable")) {
            user = store.disable(user->id);
            if (!user)
                return ctx.fail(user.error());
        }
        ctx.printJson(userJson(*user));
        return ExitOk;
    }
    if (action == QLatin1String("list")) {
        if (pos.size() != 1)
            return ctx.usage(QStringLiteral("user list takes no arguments"));
        auto users = store.list();
        if (!users)
            return ctx.fail(users.error());
        // --clinic narrows the owner's view of a central to one clinic.
        QList<User> shown;
        for (const User &u : *users)
            if (clinic.isNull() || u.clinic_id == clinic)
                shown << u;
        printUsers(ctx, shown);
        return ExitOk;
    }
    return ctx.usage(QStringLiteral("user add | list | get ID|EMAIL | disable ID|EMAIL"));
}

} // namespace tmdash
