#include "verbhelpers.h"

#include "cliniccodec.h"
#include "usercodec.h"

namespace tmdash {

QJsonObject clinicJson(const Clinic &clinic)
{
    return toRow(clinic);
}

QJsonObject userJson(const User &user)
{
    Row row = toRow(user);
    row.remove(QStringLiteral("password_hash"));
    row.remove(QStringLiteral("totp_secret"));
    putInt(row, QStringLiteral("failed_logins"), user.failed_logins);
    putInstant(row, QStringLiteral("locked_until"), user.locked_until);
    putInstant(row, QStringLiteral("last_login_at"), user.last_login_at);
    return row;
}

int checkOptions(const CtlContext &ctx, const QStringList &withValue, const QStringList &flags)
{
    for (int i = 0; i < ctx.args.size(); ++i) {
        const QString &a = ctx.args.at(i);
        if (!a.startsWith(QLatin1String("--")))
            continue;
        const QString name = a.mid(2);
        if (withValue.contains(name)) {
            if (i + 1 >= ctx.args.size())
                return ctx.usage(QStringLiteral("%1 needs a value").arg(a));
            ++i;
        } else if (!flags.contains(name)) {
            return ctx.usage(QStringLiteral("unknown option %1").arg(a));
        }
    }
    return ExitOk;
}

} // namespace tmdash
