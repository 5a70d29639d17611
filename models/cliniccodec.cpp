#include "cliniccodec.h"

namespace tmdash {

namespace {

const QString kOpen = QStringLiteral("open");
const QString kClose = QStringLiteral("close");

std::optional<QTime> timeFrom(const QJsonValue &value)
{
    const QTime t = QTime::fromString(value.toString(), QStringLiteral("HH:mm"));
    if (!t.isValid())
        return std::nullopt;
    return t;
}

} // namespace

QJsonObject businessHoursToJson(const std::array<DayHours, 7> &hours)
{
    QJsonObject out;
    for (int day = 1; day <= 7; ++day) {
        const DayHours &h = hours[std::size_t(day - 1)];
        if (h.isClosed() || !h.open->isValid() || !h.close->isValid())
            continue;
        out.insert(QString::number(day),
                   QJsonObject{{kOpen, h.open->toString(QStringLiteral("HH:mm"))},
                               {kClose, h.close->toString(QStringLiteral("HH:mm"))}});
    }
    return out;
}

std::array<DayHours, 7> businessHoursFromJson(const QJsonValue &value)
{
    std::array<DayHours, 7> hours{};
    const QJsonObject days = value.toObject();
    for (int day = 1; day <= 7; ++day) {
        const QJsonObject h = days.value(QString::number(day)).toObject();
        const auto open = timeFrom(h.value(kOpen));
        const auto close = timeFrom(h.value(kClose));
        if (open && close)
            hours[std::size_t(day - 1)] = DayHours::between(*open, *close);
    }
    return hours;
}

Row toRow(const Clinic &c)
{
    Row r;
    putId(r, QStringLiteral("id"), c.id);
    putId(r, QStringLiteral("clinic_id"), c.id);
    putText(r, QStringLiteral("name"), c.name);
    putText(r, QStringLiteral("timezone"), c.timezone);
    putText(r, QStringLiteral("phone"), c.phone);
    putText(r, QStringLiteral("address_line"), c.address_line);
    putText(r, QStringLiteral("city"), c.city);
    putText(r, QStringLiteral("region"), c.region);
    putText(r, QStringLiteral("postal_code"), c.postal_code);
    putText(r, QStringLiteral("country"), c.country);
    r.insert(QStringLiteral("business_hours"), businessHoursToJson(c.business_hours));
    putMeta(r, c.meta);
    return r;
}

Clinic clinicFromRow(const Row &r)
{
    Clinic c;
    c.id = rowId<ClinicId>(r, u"id");
    c.name = rowText(r, u"name");
    c.timezone = rowText(r, u"timezone");
    c.phone = rowText(r, u"phone");
    c.address_line = rowText(r, u"address_line");
    c.city = rowText(r, u"city");
    c.region = rowText(r, u"region");
    c.postal_code = rowText(r, u"postal_code");
    c.country = rowText(r, u"country");
    c.business_hours = businessHoursFromJson(r.value(u"business_hours"));
    c.meta = rowMeta(r);
    return c;
}

} // namespace tmdash
