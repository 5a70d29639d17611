#include "authenticator.h"

#include "auditlog.h"
#include "clinickey.h"
#include "clock.h"
#include "passwordhash.h"
#include "recordtable.h"
#include "recordwriter.h"
#include "recoverycodes.h"
#include "totp.h"
#include "transaction.h"
#include "usercodec.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

namespace tmdash {

namespace {

int positiveFromEnvironment(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value > 0 ? value : fallback;
}

// A hash to verify against when the email is unknown, so that an unknown email takes as long
// to refuse as a wrong password.
const QString &decoyHash()
{
    static const QString hash = [] {
        auto made = hashPassword(newUuidV7());
        return made ? *made : QString();
    }();
    return hash;
}

Error refused(const QString &detail = {})
{
    QString message = Authenticator::refusedMessage();
    if (!detail.isEmpty())
        message += u' ' + detail;
    return {ErrorCode::NotAuthenticated, message, {}};
}


// Whether a lockout is in force now: it has not run out, and no admin unlocked the account after
// it began (an unlock syncs from any desktop; the lockout itself is this desktop's).
bool lockedNow(const User &u, const QDateTime &now)
{
    if (!u.locked_until || *u.locked_until <= now)
        return false;
    return !(u.unlocked_at && u.locked_at && *u.unlocked_at >= *u.locked_at);
}

struct Found
{
    std::optional<User> user;
    bool ambiguous = false;
};

Result<Found> findUser(const Database &db, const QString &email, const ClinicId &clinic)
{
    QString where = QStringLiteral("lower(email) = lower(:email) AND deleted_at IS NULL");
    QVariantMap binds{{QStringLiteral("email"), email.trimmed()}};
    if (!clinic.isNull()) {
        where += QStringLiteral(" AND clinic_id = :clinic");
        binds.insert(QStringLiteral("clinic"), clinic.value);
    }
    auto rows = RecordTable(db, u"users").select(where, binds, QStringLiteral("id"), 2);
    if (!rows)
        return rows.error();
    Found found;
    if (rows->size() > 1) {
        found.ambiguous = true;
        return found;
    }
    if (rows->isEmpty())
        return found;
    User u = userFromRow(rows->first());
    auto state = RecordTable(db, u"login_state")
                     .select(QStringLiteral("user_id = :id"), {{QStringLiteral("id"), u.id.value}});
    if (!state)
        return state.error();
    if (!state->isEmpty())
        applyLoginState(u, state->first());
    found.user = u;
    return found;
}

bool looksLikeTotp(const QString &code)
{
    QString digits = code;
    digits.remove(QLatin1Char(' '));
    if (digits.size() != 6)
        return false;
    for (QChar c : std::as_const(digits))
        if (!c.isDigit())
            return false;
    return true;
}

} // namespace

LoginPolicy LoginPolicy::fromEnvironment()
{
    LoginPolicy p;
    p.max_failures = positiveFromEnvironment("TMDASH_LOCKOUT_ATTEMPTS", p.max_failures);
    p.lockout_minutes = positiveFromEnvironment("TMDASH_LOCKOUT_MINUTES", p.lockout_minutes);
    return p;
}

Authenticator::Authenticator(const Database &db, LoginPolicy policy) : m_db(db), m_policy(policy) {}

QString Authenticator::refusedMessage()
{
    return QCoreApplication::translate(
        "Login", "Login failed: the email, password or code is wrong, or the account is locked "
                 "or disabled. Repeated failures lock the account for a while.");
}

Status writeLoginState(const Database &db, const User &u)
{
    QSqlQuery q(db.connection());
    q.prepare(QStringLiteral(
        "INSERT INTO login_state (user_id, failed_logins, locked_until, last_login_at, locked_at, "
        "totp_last_step) VALUES (:user, :failed, :until, :last, :locked_at, :step) "
        "ON CONFLICT (user_id) DO UPDATE SET failed_logins = excluded.failed_logins, "
        "locked_until = excluded.locked_until, last_login_at = excluded.last_login_at, "
        "locked_at = excluded.locked_at, totp_last_step = excluded.totp_last_step"));
    const auto instant = [](const std::optional<QDateTime> &t) {
        return rowValueToDb(t ? QJsonValue(formatInstant(*t)) : QJsonValue(), ColumnType::Instant);
    };
    q.bindValue(QStringLiteral(":user"), rowValueToDb(u.id.value, ColumnType::Uuid));
    q.bindValue(QStringLiteral(":failed"), u.failed_logins);
    q.bindValue(QStringLiteral(":until"), instant(u.locked_until));
    q.bindValue(QStringLiteral(":last"), instant(u.last_login_at));
    q.bindValue(QStringLiteral(":locked_at"), instant(u.locked_at));
    q.bindValue(QStringLiteral(":step"), u.totp_last_step ? QVariant(*u.totp_last_step)
                                                          : QVariant(QMetaType::fromType<qint64>()));
    if (!q.exec())
        return Error::storage(QStringLiteral("cannot record the login: %1").arg(q.lastError().text()));
    return {};
}

Result<Principal> principalForUser(const Database &db, const User &user)
{
    PatientId own;
    if (user.role == Role::Patient) {
        auto rows = RecordTable(db, u"patients")
                        .select(QStringLiteral("user_id = :user AND clinic_id = :clinic AND deleted_at IS NULL"),
                                {{QStringLiteral("user"), user.id.value},
                                 {QStringLiteral("clinic"), user.clinic_id.value}},
                                QStringLiteral("id"), 1);
        if (!rows)
            return rows.error();
        if (!rows->isEmpty())
            own = PatientId(rows->first().value(u"id").toString());
    }
    return Principal::person(user, own);
}

Result<Principal> Authenticator::login(const LoginAttempt &attempt) const
{
    const QDateTime now = nowUtc();
    // The clinic only decides between accounts of the same email in several clinics.
    auto found = findUser(m_db, attempt.email, {});
    if (found && found->ambiguous && !attempt.clinic.isNull())
        found = findUser(m_db, attempt.email, attempt.clinic);
    if (!found)
        return found.error();
    if (found->ambiguous)
        return refused(QCoreApplication::translate(
            "Login", "This database holds several clinics: name the clinic (--clinic)."));
    if (!found->user) {
        verifyPassword(decoyHash(), attempt.password);
        // The attempt belongs to the clinic named, else to the only clinic this connection sees
        // (a desktop's, or a clinic role's on the central).
        ClinicId clinic = attempt.clinic;
        if (clinic.isNull()) {
            auto clinics = RecordTable(m_db, u"clinics").select(QStringLiteral("deleted_at IS NULL"), {}, QStringLiteral("id"), 2);
            if (clinics && clinics->size() == 1)
                clinic = ClinicId(clinics->first().value(u"id").toString());
        }
        AuditEvent event{QStringLiteral("login_failed"), QString(), QString(), clinic,
                         {{QStringLiteral("email"), attempt.email.trimmed()},
                          {QStringLiteral("reason"), QStringLiteral("unknown_email")}}};
        if (Status s = appendAudit(m_db, Principal::owner(), event); !s)
            return s.error();
        return refused();
    }

    User u = *found->user;
    const Principal who = Principal::person(u);
    const auto audit = [&](const QString &action, const QString &reason = {}) {
        QJsonObject fields;
        if (!reason.isEmpty())
            fields.insert(QStringLiteral("reason"), reason);
        return appendAudit(m_db, who, {action, QStringLiteral("users"), u.id.value, u.clinic_id, fields});
    };
    // One attempt is one transaction: its bookkeeping and its audit entry land together.
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    const auto refuse = [&](const QString &reason, bool counts) -> Result<Principal> {
        QString action = QStringLiteral("login_failed");
        if (counts) {
            ++u.failed_logins;
            if (u.failed_logins >= m_policy.max_failures) {
                u.failed_logins = 0;
                u.locked_at = now;
                u.locked_until = now.addSecs(qint64(m_policy.lockout_minutes) * 60);
                action = QStringLiteral("login_locked");
            }
            if (Status s = writeLoginState(m_db, u); !s)
                return s.error();
        }
        if (Status s = audit(action, reason); !s)
            return s.error();
        if (Status s = tx.commit(); !s)
            return s.error();
        return refused();
    };

    if (lockedNow(u, now)) {
        verifyPassword(decoyHash(), attempt.password);
        return refuse(QStringLiteral("locked"), false);
    }
    if (u.locked_until) {
        // A lockout that ran out or that an admin lifted starts a clean count.
        u.locked_until.reset();
        u.locked_at.reset();
        u.failed_logins = 0;
    }
    const bool passwordOk = verifyPassword(u.password_hash, attempt.password);
    if (u.status == UserStatus::Disabled)
        return refuse(QStringLiteral("disabled"), false);
    if (!passwordOk)
        return refuse(QStringLiteral("password"), true);

    if (u.totp_enabled) {
        const QString code = attempt.second_factor.trimmed();
        if (code.isEmpty()) {
            if (Status s = audit(QStringLiteral("login_failed"), QStringLiteral("totp_required")); !s)
                return s.error();
            if (Status s = tx.commit(); !s)
                return s.error();
            return Error{ErrorCode::NotAuthenticated,
                         QCoreApplication::translate("Login", "This account needs its TOTP code."),
                         {{QStringLiteral("totp"), QStringLiteral("required"),
                           QCoreApplication::translate("Login", "Enter the 6-digit code of your "
                                                                "authenticator app, or a recovery code.")}}};
        }
        if (looksLikeTotp(code)) {
            auto key = loadClinicKey(u.clinic_id);
            if (!key)
                return key.error();
            auto secret = openSecret(*key, u.totp_secret);
            if (!secret)
                return secret.error();
            const auto step = matchTotp(*secret, code, now.toSecsSinceEpoch(), u.totp_last_step);
            if (!step)
                return refuse(QStringLiteral("totp"), true);
            u.totp_last_step = *step;
        } else {
            const auto index = matchRecoveryCode(u.recovery_codes, code);
            if (!index)
                return refuse(QStringLiteral("recovery_code"), true);
            // Spending a recovery code changes the account, so it syncs: the code is then used
            // up on every desktop, not only on this one.
            auto current = RecordTable(m_db, u"users").get(u.id.value);
            if (!current)
                return current.error();
            QStringList remaining = u.recovery_codes;
            remaining.removeAt(*index);
            Row next = *current;
            next.insert(QStringLiteral("recovery_codes"),
                        remaining.isEmpty() ? QJsonValue() : QJsonValue(QJsonArray::fromStringList(remaining)));
            if (auto written = RecordWriter(m_db, who).update(*tableSpec(u"users"), *current, next); !written)
                return written.error();
            if (Status s = audit(QStringLiteral("recovery_code_used")); !s)
                return s.error();
        }
    }

    u.failed_logins = 0;
    u.locked_until.reset();
    u.locked_at.reset();
    u.last_login_at = now;
    if (Status s = writeLoginState(m_db, u); !s)
        return s.error();
    if (Status s = audit(QStringLiteral("login_succeeded")); !s)
        return s.error();
    auto principal = principalForUser(m_db, u);
    if (!principal)
        return principal.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return principal;
}

} // namespace tmdash
