#include "providerstore.h"

#include "usercodec.h"

#include "clock.h"
#include "providercodec.h"
#include "providervalidator.h"
#include "transaction.h"

#include <QCoreApplication>

#include <algorithm>
#include <tuple>
#include <utility>

namespace tmdash {

namespace {

const QString kProviders = QStringLiteral("providers");
const QString kAvailability = QStringLiteral("provider_availability");
const QString kTimeOff = QStringLiteral("provider_time_off");

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

// The partial unique indexes back up what only the database can see race-free; their
// violations get messages a person understands.
Error mapWriteError(const Error &error)
{
    if (error.code != ErrorCode::Invalid || error.fields.size() != 1 ||
        error.fields.first().code != QLatin1String("duplicate"))
        return error;
    const QString field = error.fields.first().field;
    if (field == QLatin1String("user_id"))
        return Error::invalid(QStringLiteral("user_id"), QStringLiteral("duplicate"),
                              tr("This user already has a provider record."));
    if (field == QLatin1String("npi"))
        return Error::invalid(QStringLiteral("npi"), QStringLiteral("duplicate"),
                              tr("Another provider of this clinic already has this NPI."));
    return error;
}

void normalise(Provider &p)
{
    p.npi = p.npi.trimmed();
    p.license_number = p.license_number.trimmed();
    p.license_region = p.license_region.trimmed();
    p.specialty = p.specialty.trimmed();
    p.credentials = p.credentials.trimmed();
}

FieldErrors validate(const Provider &p)
{
    FieldErrors errors = validateProvider(p, todayUtc());
    if (p.user_id.isNull())
        errors << FieldError{QStringLiteral("user_id"), QStringLiteral("required"),
                             tr("Choose the user account this provider logs in with.")};
    return errors;
}

} // namespace

Status ProviderStore::checkUser(const Provider &p) const
{
    auto user = RecordTable(m_db, u"users").get(p.user_id.value);
    if (!user && user.error().code != ErrorCode::NotFound)
        return user.error();
    if (!user || !user->value(u"deleted_at").isNull() ||
        user->value(u"clinic_id").toString() != p.clinic_id.value)
        return Error::invalid(QStringLiteral("user_id"), QStringLiteral("not_found"),
                              tr("The provider's user account does not exist in this clinic."));
    return {};
}

Result<Provider> ProviderStore::load(const Row &row) const
{
    Provider p = providerFromRow(row);
    auto availability = childRows(m_db, kAvailability, p.id.value);
    if (!availability)
        return availability.error();
    auto timeOff = childRows(m_db, kTimeOff, p.id.value);
    if (!timeOff)
        return timeOff.error();
    for (const Row &r : *availability)
        p.availability << availabilityFromRow(r);
    for (const Row &r : *timeOff)
        p.time_off << timeOffFromRow(r);
    // Rows made in one write share created_at and their ids are random within a millisecond,
    // so order by what the rows mean instead.
    std::stable_sort(
        p.availability.begin(), p.availability.end(), [](const auto &a, const auto &b) {
            return std::tie(a.weekday, a.start_time) < std::tie(b.weekday, b.start_time);
        });
    std::stable_sort(p.time_off.begin(), p.time_off.end(),
                     [](const auto &a, const auto &b) { return a.start_at < b.start_at; });
    return p;
}

Status ProviderStore::writeLists(const Provider &p, bool creating) const
{
    const Row parent{{QStringLiteral("clinic_id"), p.clinic_id.value},
                     {QStringLiteral("provider_id"), p.id.value}};
    QList<Row> availability, timeOff;
    for (const ProviderAvailability &a : p.availability)
        availability << toRow(a);
    for (const ProviderTimeOff &t : p.time_off)
        timeOff << toRow(t);
    const RecordWriter w = writer();
    for (const auto &[table, next] :
         {std::pair{kAvailability, availability}, std::pair{kTimeOff, timeOff}}) {
        QList<Row> current;
        if (!creating) {
            auto stored = childRows(m_db, table, p.id.value);
            if (!stored)
                return stored.error();
            current = *stored;
        }
        if (Status s = w.syncChildren(*tableSpec(table), current, next, parent); !s)
            return s;
    }
    return {};
}

Result<Provider> ProviderStore::create(Provider p) const
{
    if (Status allowed = permit(Action::ManageProviders); !allowed)
        return allowed.error();
    auto clinic = clinicForNewRecord(p.clinic_id);
    if (!clinic)
        return clinic.error();
    p.clinic_id = *clinic;
    if (p.id.isNull())
        p.id = newId<ProviderId>();
    normalise(p);
    if (FieldErrors errors = validate(p); !errors.isEmpty())
        return Error::invalid(errors);

    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    if (Status s = checkUser(p); !s)
        return s.error();
    if (auto stored = writer().insert(*tableSpec(kProviders), toRow(p)); !stored)
        return mapWriteError(stored.error());
    if (Status s = writeLists(p, true); !s)
        return mapWriteError(s.error());
    if (Status s = tx.commit(); !s)
        return mapWriteError(s.error());
    return get(p.id);
}

Result<Provider> ProviderStore::get(const ProviderId &id) const
{
    if (Status allowed = permit(Action::ReadProviders); !allowed)
        return allowed.error();
    auto row = visibleRow(kProviders, id.value, QStringLiteral("provider"));
    if (!row)
        return row.error();
    return load(*row);
}

Result<Provider> ProviderStore::update(const Provider &edited) const
{
    if (Status allowed = permit(Action::ManageProviders); !allowed)
        return allowed.error();
    Provider p = edited;
    normalise(p);
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kProviders, p.id.value, QStringLiteral("provider"));
    if (!current)
        return current.error();
    p.clinic_id = ClinicId(current->value(u"clinic_id").toString());
    if (FieldErrors errors = validate(p); !errors.isEmpty())
        return Error::invalid(errors);
    if (p.user_id.value != current->value(u"user_id").toString())
        if (Status s = checkUser(p); !s)
            return s.error();
    Row next = toRow(p);
    next.remove(QStringLiteral("deleted_at"));
    if (auto stored = writer().update(*tableSpec(kProviders), *current, next); !stored)
        return mapWriteError(stored.error());
    if (Status s = writeLists(p, false); !s)
        return mapWriteError(s.error());
    if (Status s = tx.commit(); !s)
        return mapWriteError(s.error());
    return get(p.id);
}

Status ProviderStore::remove(const ProviderId &id) const
{
    if (Status allowed = permit(Action::ManageProviders); !allowed)
        return allowed;
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started();
    auto current = visibleRow(kProviders, id.value, QStringLiteral("provider"));
    if (!current)
        return current.error();
    const RecordWriter w = writer();
    for (const QString &table : {kAvailability, kTimeOff}) {
        auto rows = childRows(m_db, table, id.value);
        if (!rows)
            return rows.error();
        for (const Row &r : *rows)
            if (auto s = w.tombstone(*tableSpec(table), r); !s)
                return s.error();
    }
    if (auto s = w.tombstone(*tableSpec(kProviders), *current); !s)
        return s.error();
    return tx.commit();
}

Result<QList<Provider>> ProviderStore::list() const
{
    if (Status allowed = permit(Action::ReadProviders); !allowed)
        return allowed.error();
    QString where = QStringLiteral("deleted_at IS NULL");
    QVariantMap binds;
    restrictToScope(kProviders, where, binds);
    const QString order = QStringLiteral(
        "(SELECT lower(u.family_name) FROM users u WHERE u.id = providers.user_id), "
        "(SELECT lower(u.given_name) FROM users u WHERE u.id = providers.user_id), id");
    auto rows = RecordTable(m_db, kProviders).select(where, binds, order);
    if (!rows)
        return rows.error();
    QList<Provider> out;
    for (const Row &r : *rows) {
        auto p = load(r);
        if (!p)
            return p.error();
        out << *p;
    }
    return out;
}

Result<QHash<QString, QString>> ProviderStore::displayNames() const
{
    if (Status allowed = permit(Action::ReadProviders); !allowed)
        return allowed.error();
    QString where = QStringLiteral("deleted_at IS NULL");
    QVariantMap binds;
    restrictToScope(kProviders, where, binds);
    auto providers = RecordTable(m_db, kProviders).select(where, binds, QStringLiteral("id"));
    if (!providers)
        return providers.error();
    QHash<QString, QString> out;
    for (const Row &p : *providers) {
        auto user = RecordTable(m_db, u"users").get(p.value(u"user_id").toString());
        if (!user && user.error().code != ErrorCode::NotFound)
            return user.error();
        if (user)
            out.insert(p.value(u"id").toString(), userFromRow(*user).displayName());
    }
    return out;
}

} // namespace tmdash
