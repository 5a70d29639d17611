#include "userstore.h"

#include "fieldrules.h"
#include "outbox.h"
#include "passwordhash.h"
#include "transaction.h"
#include "usercodec.h"
#include "uservalidator.h"

#include <QCoreApplication>

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
    auto row = visibleRow(kUsers, id.value, QStringLiteral("user"));
    if (!row)
        return row.error();
    return load(*row);
}

Result<User> UserStore::findByEmail(const QString &email, const ClinicId &clinic) const
{
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
    QString where = QStringLiteral("deleted_at IS NULL");
    QVariantMap binds;
    if (m_actor.isPerson()) {
        where += QStringLiteral(" AND clinic_id = :clinic");
        binds.insert(QStringLiteral("clinic"), m_actor.clinic_id.value);
    }
    QString order = QStringLiteral("lower(family_name), lower(given_name), lower(email), id");
    if (offset > 0)
        order += QStringLiteral(" OFFSET %1").arg(offset);
    auto rows = RecordTable(m_db, kUsers).select(where, binds, order, limit);
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

} // namespace tmdash
