#include "userstore.h"

#include "auditlog.h"
#include "authenticator.h"
#include "clinickey.h"
#include "clock.h"
#include "fieldrules.h"
#include "outbox.h"
#include "passwordhash.h"
#include "recoverycodes.h"
#include "totp.h"
#include "transaction.h"
#include "usercodec.h"
#include "uservalidator.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace tmdash {

namespace {

const QString kUsers = QStringLiteral("users");

Error duplicateEmail()
{
    return Error::invalid(QStringLiteral("email"), QStringLiteral("duplicate"),
                          QCoreApplication::translate(
                              "Validation", "Another user of this clinic already has this email "
                                            "address; each account needs its own."));
}

// The database's partial unique index backs up checkEmailFree (a concurrent writer); its
// violation gets the same message as the check.
Error mapWriteError(const Error &error)
{
    if (error.code == ErrorCode::Invalid && error.fields.size() == 1 &&
        error.fields.first().code == QLatin1String("duplicate") &&
        error.fields.first().field == QLatin1String("email"))
        return duplicateEmail();
    return error;
}

// Stored form of people-entered values: email without surrounding blanks, phone in E.164.
void normalise(User &u)
{
    u.email = u.email.trimmed();
    u.given_name = u.given_name.trimmed();
    u.family_name = u.family_name.trimmed();
    if (auto phone = normalizePhone(u.phone); phone)
        u.phone = *phone;
}

} // namespace

Result<User> UserStore::load(const Row &row) const
{
    User u = userFromRow(row);
    auto state = RecordTable(m_db, u"login_state")
                     .select(QStringLiteral("user_id = :id"), {{QStringLiteral("id"), u.id.value}});
    if (!state)
        return state.error();
    if (!state->isEmpty())
        applyLoginState(u, state->first());
    return u;
}

Status UserStore::checkEmailFree(const ClinicId &clinic, const QString &email,
                                 const UserId &self) const
{
    // lower() on both sides, as the unique index does, so the store and the database agree.
    QString where = QStringLiteral(
        "clinic_id = :clinic AND lower(email) = lower(:email) AND deleted_at IS NULL");
    QVariantMap binds{{QStringLiteral("clinic"), clinic.value}, {QStringLiteral("email"), email}};
    if (!self.isNull()) {
        where += QStringLiteral(" AND id <> :self");
        binds.insert(QStringLiteral("self"), self.value);
    }
    auto rows = RecordTable(m_db, kUsers).select(where, binds, {}, 1);
    if (!rows)
        return rows.error();
    if (!rows->isEmpty())
        return duplicateEmail();
    return {};
}

Result<User> UserStore::create(User u, const QString &password) const
{
    if (Status allowed = permit(Action::ManageUsers); !allowed)
        return allowed.error();
    auto clinic = clinicForNewRecord(u.clinic_id);
    if (!clinic)
        return clinic.error();
    u.clinic_id = *clinic;
    if (u.id.isNull())
        u.id = newId<UserId>();
    normalise(u);
    // Login bookkeeping is never part of a users row; a new account starts without any.
    u.failed_logins = 0;
    u.locked_until.reset();
    u.last_login_at.reset();
    u.password_hash.clear();
    FieldErrors errors = validateUser(u);
    errors << checkPassword(password, u.email);
    if (!errors.isEmpty())
        return Error::invalid(errors);
    // A taken email is the common refusal: say so before the slow hashing. The check is repeated
    // under the write lock below.
    if (Status s = checkEmailFree(u.clinic_id, u.email, {}); !s)
        return s.error();
    // Hashing is deliberately slow: do it before taking the write lock.
    auto hash = hashPassword(password);
    if (!hash)
        return hash.error();
    u.password_hash = *hash;

    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    if (Status s = checkEmailFree(u.clinic_id, u.email, {}); !s)
        return s.error();
    if (auto stored = writer().insert(*tableSpec(kUsers), toRow(u)); !stored)
        return mapWriteError(stored.error());
    if (Status s = tx.commit(); !s)
        return mapWriteError(s.error());
    return get(u.id);
}

Result<User> UserStore::get(const UserId &id) const
{
    // Every role reads its own account; other accounts need ReadUsers.
    if (!isSelf(id))
        if (Status allowed = permit(Action::ReadUsers); !allowed)
            return allowed.error();
    auto row = visibleRow(kUsers, id.value, QStringLiteral("user"));
    if (!row)
        return row.error();
    return load(*row);
}

Result<User> UserStore::findByEmail(const QString &email, const ClinicId &clinic) const
{
    if (!principalMay(m_actor, Action::ReadUsers)) {
        // Without ReadUsers a person finds only themselves; asking for anyone else is refused
        // whether that email exists or not.
        auto self = get(m_actor.user_id);
        if (!self)
            return self.error();
        if (self->email.compare(email.trimmed(), Qt::CaseInsensitive) != 0)
            return permit(Action::ReadUsers).error();
        return self;
    }
    ClinicId scope = m_actor.isPerson() ? m_actor.clinic_id : clinic;
    if (scope.isNull()) {
        auto only = clinicForNewRecord({});
        if (!only)
            return only.error();
        scope = *only;
    }
    const QString notFound = QStringLiteral("no user with email %1").arg(email.trimmed());
    auto rows = RecordTable(m_db, kUsers)
                    .select(QStringLiteral("clinic_id = :clinic AND lower(email) = lower(:email) "
                                           "AND deleted_at IS NULL"),
                            {{QStringLiteral("clinic"), scope.value},
                             {QStringLiteral("email"), email.trimmed()}},
                            {}, 1);
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return Error::notFound(notFound);
    return load(rows->first());
}

Result<User> UserStore::update(const User &edited) const
{
    if (Status allowed = permit(Action::ManageUsers); !allowed)
        return allowed.error();
    User u = edited;
    normalise(u);
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kUsers, u.id.value, QStringLiteral("user"));
    if (!current)
        return current.error();
    const User stored = userFromRow(*current);
    u.clinic_id = stored.clinic_id;
    u.password_hash = stored.password_hash;
    u.status = stored.status;
    u.totp_secret = stored.totp_secret;
    u.totp_enabled = stored.totp_enabled;
    u.recovery_codes = stored.recovery_codes;
    u.unlocked_at = stored.unlocked_at;
    if (FieldErrors errors = validateUser(u); !errors.isEmpty())
        return Error::invalid(errors);
    if (u.email.compare(stored.email, Qt::CaseInsensitive) != 0)
        if (Status s = checkEmailFree(u.clinic_id, u.email, u.id); !s)
            return s.error();
    Row next = toRow(u);
    next.remove(QStringLiteral("deleted_at"));
    if (auto written = writer().update(*tableSpec(kUsers), *current, next); !written)
        return mapWriteError(written.error());
    if (Status s = tx.commit(); !s)
        return mapWriteError(s.error());
    return get(u.id);
}

Result<QList<User>> UserStore::list(int limit, int offset) const
{
    if (Status allowed = permit(Action::ReadUsers); !allowed)
        return allowed.error();
    QString where = QStringLiteral("deleted_at IS NULL");
    QVariantMap binds;
    restrictToScope(kUsers, where, binds);
    QString order = QStringLiteral("lower(family_name), lower(given_name), lower(email), id");
    auto rows = RecordTable(m_db, kUsers).select(where, binds, order, limit, offset);
    if (!rows)
        return rows.error();
    QList<User> out;
    for (const Row &r : *rows) {
        auto u = load(r);
        if (!u)
            return u.error();
        out << *u;
    }
    return out;
}

Result<User> UserStore::disable(const UserId &id) const
{
    if (Status allowed = permit(Action::ManageUsers); !allowed)
        return allowed.error();
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kUsers, id.value, QStringLiteral("user"));
    if (!current)
        return current.error();
    Row next = *current;
    next.insert(QStringLiteral("status"), toString(UserStatus::Disabled));
    if (auto written = writer().update(*tableSpec(kUsers), *current, next, OutboxOp::State);
        !written)
        return written.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(id);
}

Status UserStore::setPassword(const UserId &id, const QString &password) const
{
    // Every role changes its own password; other accounts' need ManageUsers.
    if (!isSelf(id))
        if (Status allowed = permit(Action::ManageUsers); !allowed)
            return allowed;
    // Read outside the write transaction first: the email is needed for the check, and hashing
    // is slow. The row is read again under the lock before writing.
    auto user = get(id);
    if (!user)
        return user.error();
    if (FieldErrors errors = checkPassword(password, user->email); !errors.isEmpty())
        return Error::invalid(errors);
    auto hash = hashPassword(password);
    if (!hash)
        return hash.error();

    Transaction tx(m_db);
    if (!tx.started())
        return tx.started();
    auto current = visibleRow(kUsers, id.value, QStringLiteral("user"));
    if (!current)
        return current.error();
    if (const QString email = current->value(u"email").toString(); email != user->email)
        if (FieldErrors errors = checkPassword(password, email); !errors.isEmpty())
            return Error::invalid(errors);
    Row next = *current;
    next.insert(QStringLiteral("password_hash"), *hash);
    if (auto written = writer().update(*tableSpec(kUsers), *current, next); !written)
        return written.error();
    return tx.commit();
}

Result<User> UserStore::unlock(const UserId &id) const
{
    if (Status s = permit(Action::ManageUsers); !s)
        return s.error();
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kUsers, id.value, QStringLiteral("user"));
    if (!current)
        return current.error();
    // The lockout ends here; the last login and the last accepted TOTP step stay.
    auto loaded = load(*current);
    if (!loaded)
        return loaded.error();
    User user = *loaded;
    user.failed_logins = 0;
    user.locked_until.reset();
    user.locked_at.reset();
    if (Status s = writeLoginState(m_db, user); !s)
        return s.error();
    Row next = *current;
    next.insert(QStringLiteral("unlocked_at"), formatInstant(nowUtc()));
    if (auto written = writer().update(*tableSpec(kUsers), *current, next, OutboxOp::State); !written)
        return written.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(id);
}

namespace {

Error notOwnAccount()
{
    return Error::notPermitted(QCoreApplication::translate(
        "Login", "Only the account's owner can set up TOTP for it."));
}

} // namespace

Result<UserStore::TotpEnrollment> UserStore::enrollTotp(const UserId &id) const
{
    if (m_actor.isPerson() && m_actor.user_id != id)
        return notOwnAccount();
    auto current = visibleRow(kUsers, id.value, QStringLiteral("user"));
    if (!current)
        return current.error();
    const User u = userFromRow(*current);
    if (u.totp_enabled)
        return Error::invalid(QStringLiteral("totp"), QStringLiteral("already_enabled"),
                              QCoreApplication::translate(
                                  "Login", "TOTP is already on for this account; disable it first "
                                           "to enrol a new device."));
    auto key = loadOrCreateClinicKey(u.clinic_id);
    if (!key)
        return key.error();
    const QByteArray secret = newTotpSecret();
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    Row next = *current;
    next.insert(QStringLiteral("totp_secret"), sealSecret(*key, secret));
    next.insert(QStringLiteral("recovery_codes"), QJsonValue());
    if (auto written = writer().update(*tableSpec(kUsers), *current, next); !written)
        return written.error();
    if (Status s = appendAudit(m_db, m_actor, {QStringLiteral("totp_enrolled"), kUsers, id.value, u.clinic_id, {}}); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return TotpEnrollment{base32Encode(secret), otpauthUri(u.email, secret)};
}

Result<QStringList> UserStore::confirmTotp(const UserId &id, const QString &code) const
{
    if (m_actor.isPerson() && m_actor.user_id != id)
        return notOwnAccount();
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kUsers, id.value, QStringLiteral("user"));
    if (!current)
        return current.error();
    auto u = load(*current);
    if (!u)
        return u.error();
    if (u->totp_enabled || u->totp_secret.isEmpty())
        return Error::invalid(QStringLiteral("totp"), u->totp_enabled ? QStringLiteral("already_enabled")
                                                                      : QStringLiteral("not_enrolled"),
                              QCoreApplication::translate(
                                  "Login", "There is no TOTP enrolment waiting for confirmation; "
                                           "run the enrolment first."));
    auto key = loadClinicKey(u->clinic_id);
    if (!key)
        return key.error();
    auto secret = openSecret(*key, u->totp_secret);
    if (!secret)
        return secret.error();
    const auto step = matchTotp(*secret, code, nowUtc().toSecsSinceEpoch(), u->totp_last_step);
    if (!step)
        return Error::invalid(QStringLiteral("code"), QStringLiteral("mismatch"),
                              QCoreApplication::translate(
                                  "Login", "The code does not match: enter the current 6-digit code "
                                           "of the authenticator app (check its clock)."));
    const RecoveryCodes codes = newRecoveryCodes();
    Row next = *current;
    next.insert(QStringLiteral("totp_enabled"), true);
    next.insert(QStringLiteral("recovery_codes"), QJsonArray::fromStringList(codes.hashes));
    if (auto written = writer().update(*tableSpec(kUsers), *current, next, OutboxOp::State); !written)
        return written.error();
    // The confirming code is spent: it cannot also log in.
    User spent = *u;
    spent.totp_last_step = *step;
    if (Status s = writeLoginState(m_db, spent); !s)
        return s.error();
    if (Status s = appendAudit(m_db, m_actor, {QStringLiteral("totp_enabled"), kUsers, id.value, u->clinic_id, {}}); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return codes.codes;
}

Result<User> UserStore::disableTotp(const UserId &id) const
{
    if (m_actor.isPerson() && m_actor.user_id != id)
        if (Status s = permit(Action::ManageUsers); !s)
            return s.error();
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kUsers, id.value, QStringLiteral("user"));
    if (!current)
        return current.error();
    Row next = *current;
    next.insert(QStringLiteral("totp_enabled"), false);
    next.insert(QStringLiteral("totp_secret"), QJsonValue());
    next.insert(QStringLiteral("recovery_codes"), QJsonValue());
    if (auto written = writer().update(*tableSpec(kUsers), *current, next, OutboxOp::State); !written)
        return written.error();
    if (Status s = appendAudit(m_db, m_actor, {QStringLiteral("totp_disabled"), kUsers, id.value,
                                                ClinicId(current->value(u"clinic_id").toString()), {}});
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(id);
}

} // namespace tmdash
