#include "usercodec.h"

#include <QJsonArray>

namespace tmdash {

Row toRow(const User &u)
{
    Row r;
    putId(r, QStringLiteral("id"), u.id);
    putId(r, QStringLiteral("clinic_id"), u.clinic_id);
    putText(r, QStringLiteral("email"), u.email);
    putText(r, QStringLiteral("given_name"), u.given_name);
    putText(r, QStringLiteral("family_name"), u.family_name);
    putText(r, QStringLiteral("phone"), u.phone);
    putText(r, QStringLiteral("role"), toString(u.role));
    putText(r, QStringLiteral("status"), toString(u.status));
    putText(r, QStringLiteral("password_hash"), u.password_hash);
    putText(r, QStringLiteral("totp_secret"), u.totp_secret);
    putBool(r, QStringLiteral("totp_enabled"), u.totp_enabled);
    if (u.recovery_codes.isEmpty())
        r.insert(QStringLiteral("recovery_codes"), QJsonValue::Null);
    else
        r.insert(QStringLiteral("recovery_codes"), QJsonArray::fromStringList(u.recovery_codes));
    putInstant(r, QStringLiteral("unlocked_at"), u.unlocked_at);
    putMeta(r, u.meta);
    return r;
}

User userFromRow(const Row &r)
{
    User u;
    u.id = rowId<UserId>(r, u"id");
    u.clinic_id = rowId<ClinicId>(r, u"clinic_id");
    u.email = rowText(r, u"email");
    u.given_name = rowText(r, u"given_name");
    u.family_name = rowText(r, u"family_name");
    u.phone = rowText(r, u"phone");
    u.role = enumFromString<Role>(rowText(r, u"role")).value_or(Role::Staff);
    // An unreadable status fails closed: such an account cannot log in.
    u.status = enumFromString<UserStatus>(rowText(r, u"status")).value_or(UserStatus::Disabled);
    u.password_hash = rowText(r, u"password_hash");
    u.totp_secret = rowText(r, u"totp_secret");
    u.totp_enabled = rowBool(r, u"totp_enabled");
    const QJsonArray codes = r.value(u"recovery_codes").toArray();
    for (const QJsonValue &code : codes)
        u.recovery_codes.append(code.toString());
    u.unlocked_at = rowInstant(r, u"unlocked_at");
    u.meta = rowMeta(r);
    return u;
}

void applyLoginState(User &u, const Row &r)
{
    u.failed_logins = rowInt(r, u"failed_logins").value_or(0);
    u.locked_until = rowInstant(r, u"locked_until");
    u.locked_at = rowInstant(r, u"locked_at");
    u.last_login_at = rowInstant(r, u"last_login_at");
    const QJsonValue step = r.value(u"totp_last_step");
    u.totp_last_step = step.isDouble() ? std::optional<qint64>(qint64(step.toDouble())) : std::nullopt;
}

} // namespace tmdash
