#include "providercodec.h"

namespace tmdash {

Row toRow(const Provider &p)
{
    Row r;
    putId(r, QStringLiteral("id"), p.id);
    putId(r, QStringLiteral("clinic_id"), p.clinic_id);
    putId(r, QStringLiteral("user_id"), p.user_id);
    putText(r, QStringLiteral("npi"), p.npi);
    putText(r, QStringLiteral("license_number"), p.license_number);
    putText(r, QStringLiteral("license_region"), p.license_region);
    putDate(r, QStringLiteral("license_expires"), p.license_expires);
    putText(r, QStringLiteral("specialty"), p.specialty);
    putText(r, QStringLiteral("credentials"), p.credentials);
    putInt(r, QStringLiteral("default_slot_minutes"), p.default_slot_minutes);
    putMeta(r, p.meta);
    return r;
}

Row toRow(const ProviderAvailability &a)
{
    Row r;
    putId(r, QStringLiteral("id"), a.id);
    putInt(r, QStringLiteral("weekday"), a.weekday);
    putTime(r, QStringLiteral("start_time"), a.start_time);
    putTime(r, QStringLiteral("end_time"), a.end_time);
    putText(r, QStringLiteral("room"), a.room);
    return r;
}

Row toRow(const ProviderTimeOff &t)
{
    Row r;
    putId(r, QStringLiteral("id"), t.id);
    putInstant(r, QStringLiteral("start_at"), t.start_at);
    putInstant(r, QStringLiteral("end_at"), t.end_at);
    putText(r, QStringLiteral("reason"), t.reason);
    return r;
}

Provider providerFromRow(const Row &r)
{
    Provider p;
    p.id = rowId<ProviderId>(r, u"id");
    p.clinic_id = rowId<ClinicId>(r, u"clinic_id");
    p.user_id = rowId<UserId>(r, u"user_id");
    p.npi = rowText(r, u"npi");
    p.license_number = rowText(r, u"license_number");
    p.license_region = rowText(r, u"license_region");
    p.license_expires = rowDate(r, u"license_expires").value_or(QDate());
    p.specialty = rowText(r, u"specialty");
    p.credentials = rowText(r, u"credentials");
    p.default_slot_minutes = rowInt(r, u"default_slot_minutes").value_or(15);
    p.meta = rowMeta(r);
    return p;
}

ProviderAvailability availabilityFromRow(const Row &r)
{
    ProviderAvailability a;
    a.id = rowId<RowId>(r, u"id");
    a.weekday = rowInt(r, u"weekday").value_or(0);
    a.start_time = rowTime(r, u"start_time").value_or(QTime());
    a.end_time = rowTime(r, u"end_time").value_or(QTime());
    a.room = rowText(r, u"room");
    a.meta = rowMeta(r);
    return a;
}

ProviderTimeOff timeOffFromRow(const Row &r)
{
    ProviderTimeOff t;
    t.id = rowId<RowId>(r, u"id");
    t.start_at = rowInstant(r, u"start_at").value_or(QDateTime());
    t.end_at = rowInstant(r, u"end_at").value_or(QDateTime());
    t.reason = rowText(r, u"reason");
    t.meta = rowMeta(r);
    return t;
}

} // namespace tmdash
