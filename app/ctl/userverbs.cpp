#include "clinicstore.h"
#include "recordtable.h"
#include "userstore.h"
#include "uservalidator.h"
#include "verbsupport.h"
#include "verbs.h"

#include <QJsonArray>

namespace tmdash {

const char kUserHelp[] =
    "tmdashctl user add --email E --role R [--clinic ID] [--given-name G] [--family-name F]\n"
    "                   --password-stdin\n"
    "             | list | get ID|EMAIL | disable ID|EMAIL | unlock ID|EMAIL\n"
    "             | passwd [ID|EMAIL] --password-stdin\n"
    "             | totp enroll | totp confirm --code CODE | totp disable [ID|EMAIL]\n"
    "  add        creates an account, pending until its first login, with the password read from\n"
    "             the first line of stdin (at least 12 characters, not a common password, not\n"
    "             containing the email's name). Roles: admin, provider, staff, patient. Given and\n"
    "             family name are required by the account rules. Prints the stored user. An admin\n"
    "             adds users (--as); the database owner (no --as) may only add the first admin of\n"
    "             a clinic that has none.\n"
    "  list       the accounts you can see (a table; JSON with --json)\n"
    "  get        one account as JSON, by id or email\n"
    "  disable    switches the account off (admin); prints it as JSON\n"
    "  unlock     lifts a lockout after failed logins (admin); syncs to every desktop\n"
    "  passwd     sets a new password (first line of stdin): your own, or as an admin anyone's\n"
    "  totp enroll   makes a new TOTP secret for your account and prints it with its otpauth://\n"
    "                URI for an authenticator app; TOTP stays off until confirmed\n"
    "  totp confirm  switches TOTP on when --code matches, and prints 10 single-use recovery codes\n"
    "  totp disable  switches TOTP off: your own, or as an admin anyone's (a reset)\n"
    "  --clinic ID  the clinic, on a database that holds several; a person always works in their\n"
    "               own clinic.\n"
    "Every action except the owner's first admin acts as --as EMAIL, logged in with TMDASH_PASSWORD\n"
    "(and TMDASH_TOTP when TOTP is on) or a prompt. Password hashes, TOTP secrets and recovery\n"
    "code hashes are never printed.\n";

namespace {

const QStringList kOptions{QStringLiteral("email"), QStringLiteral("role"),
                           QStringLiteral("clinic"), QStringLiteral("given-name"),
                           QStringLiteral("family-name"), QStringLiteral("code")};

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
    const QString password = passwordFromStdin(ctx);

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

namespace {

// The owner may create the first admin of a clinic that has none; every other account is made
// by an admin (the store checks the role).
Result<Principal> principalForAdd(const CtlContext &ctx, const ClinicId &clinic)
{
    if (!ctx.asEmail.isEmpty())
        return ctx.person();
    QString where = QStringLiteral("role = 'admin' AND status <> 'disabled' AND deleted_at IS NULL");
    QVariantMap binds;
    if (!clinic.isNull()) {
        where += QStringLiteral(" AND clinic_id = :clinic");
        binds.insert(QStringLiteral("clinic"), clinic.value);
    }
    auto admins = RecordTable(ctx.db, u"users").select(where, binds, {}, 1);
    if (!admins)
        return admins.error();
    if (!admins->isEmpty())
        return Error::notPermitted(QStringLiteral(
            "this clinic has an admin already: add users as an admin (--as EMAIL)"));
    return Principal::owner();
}

int totpVerb(const CtlContext &ctx, const UserStore &store, const Principal &me, const QStringList &pos,
             const ClinicId &clinic)
{
    const QString step = pos.value(1);
    if (step == QLatin1String("enroll") || step == QLatin1String("confirm")) {
        if (pos.size() != 2)
            return ctx.usage(QStringLiteral("user totp %1 acts on your own account (--as)").arg(step));
        if (step == QLatin1String("enroll")) {
            auto enrolment = store.enrollTotp(me.user_id);
            if (!enrolment)
                return ctx.fail(enrolment.error());
            if (ctx.json) {
                ctx.printJson(QJsonObject{{QStringLiteral("secret"), enrolment->secret},
                                          {QStringLiteral("uri"), enrolment->uri}});
            } else {
                *ctx.out << "secret: " << enrolment->secret << '\n' << "uri:    " << enrolment->uri << '\n'
                         << "Add it to an authenticator app, then run `user totp confirm --code CODE`.\n";
            }
            return ExitOk;
        }
        const QString code = ctx.option(QStringLiteral("code"));
        if (code.isEmpty())
            return ctx.usage(QStringLiteral("user totp confirm needs --code CODE"));
        auto codes = store.confirmTotp(me.user_id, code);
        if (!codes)
            return ctx.fail(codes.error());
        if (ctx.json) {
            ctx.printJson(QJsonObject{{QStringLiteral("recovery_codes"), QJsonArray::fromStringList(*codes)}});
        } else {
            *ctx.out << "TOTP is on. Recovery codes (each works once; keep them somewhere safe, they are "
                        "not shown again):\n";
            for (const QString &c : std::as_const(*codes))
                *ctx.out << "  " << c << '\n';
        }
        return ExitOk;
    }
    if (step == QLatin1String("disable")) {
        if (pos.size() > 3)
            return ctx.usage(QStringLiteral("user totp disable [ID|EMAIL]"));
        auto user = pos.size() == 3 ? findUser(store, pos.at(2), clinic) : store.get(me.user_id);
        if (!user)
            return ctx.fail(user.error());
        user = store.disableTotp(user->id);
        if (!user)
            return ctx.fail(user.error());
        ctx.printJson(userJson(*user));
        return ExitOk;
    }
    return ctx.usage(QStringLiteral("user totp enroll | confirm --code CODE | disable [ID|EMAIL]"));
}

} // namespace

int runUserVerb(CtlContext &ctx)
{
    if (int code = checkOptions(ctx, kOptions, {QStringLiteral("password-stdin")}); code != ExitOk)
        return code;
    const QStringList pos = ctx.positional(kOptions);
    const QString action = pos.value(0);

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
        auto principal = principalForAdd(ctx, clinic);
        if (!principal)
            return ctx.fail(principal.error());
        return addUser(ctx, UserStore(ctx.db, *principal), *principal, clinic);
    }

    auto principal = ctx.person();
    if (!principal)
        return ctx.fail(principal.error());
    const UserStore store(ctx.db, *principal);

    if (action == QLatin1String("totp"))
        return totpVerb(ctx, store, *principal, pos, clinic);
    if (action == QLatin1String("passwd")) {
        if (pos.size() > 2 || !ctx.flag(QStringLiteral("password-stdin")))
            return ctx.usage(QStringLiteral("user passwd [ID|EMAIL] --password-stdin"));
        auto user = pos.size() == 2 ? findUser(store, pos.at(1), clinic) : store.get(principal->user_id);
        if (!user)
            return ctx.fail(user.error());
        if (Status s = store.setPassword(user->id, passwordFromStdin(ctx)); !s)
            return ctx.fail(s.error());
        *ctx.err << "password changed for " << user->email << '\n';
        return ExitOk;
    }
    if (action == QLatin1String("get") || action == QLatin1String("disable")
        || action == QLatin1String("unlock")) {
        if (pos.size() != 2)
            return ctx.usage(QStringLiteral("user %1 ID|EMAIL").arg(action));
        auto user = findUser(store, pos.at(1), clinic);
        if (!user)
            return ctx.fail(user.error());
        if (action == QLatin1String("disable"))
            user = store.disable(user->id);
        else if (action == QLatin1String("unlock"))
            user = store.unlock(user->id);
        if (!user)
            return ctx.fail(user.error());
        ctx.printJson(userJson(*user));
        return ExitOk;
    }
    if (action == QLatin1String("list")) {
        if (pos.size() != 1)
            return ctx.usage(QStringLiteral("user list takes no arguments"));
        auto users = store.list();
        if (!users)
            return ctx.fail(users.error());
        printUsers(ctx, *users);
        return ExitOk;
    }
    return ctx.usage(QStringLiteral(
        "user add | list | get ID|EMAIL | disable ID|EMAIL | unlock ID|EMAIL | passwd [ID|EMAIL] | totp ..."));
}

} // namespace tmdash
