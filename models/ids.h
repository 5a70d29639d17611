#pragma once

#include <QHashFunctions>
#include <QString>

namespace tmdash {

// A record id: a UUID in its canonical lowercase text form. The tag keeps ids of different
// entities from being mixed up.
template<class Tag>
struct Id
{
    QString value;

    Id() = default;
    explicit Id(QString v) : value(std::move(v)) {}
    bool isNull() const { return value.isEmpty(); }
    friend bool operator==(const Id &, const Id &) = default;
    friend auto operator<=>(const Id &a, const Id &b) { return a.value.compare(b.value) <=> 0; }
};

template<class Tag>
size_t qHash(const Id<Tag> &id, size_t seed = 0) noexcept
{
    return qHash(id.value, seed);
}

using ClinicId = Id<struct ClinicTag>;
using UserId = Id<struct UserTag>;
using PatientId = Id<struct PatientTag>;
using ProviderId = Id<struct ProviderTag>;
using AppointmentId = Id<struct AppointmentTag>;
using VitalsId = Id<struct VitalsTag>;
using ConsultationId = Id<struct ConsultationTag>;
using PrescriptionId = Id<struct PrescriptionTag>;
using RowId = Id<struct RowTag>; // owned-list rows

// A new UUID version 7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Ids made on
// different desktops never collide and sort roughly by creation time.
QString newUuidV7();

// True for a UUID in canonical 8-4-4-4-12 hex form (any version).
bool isUuid(const QString &text);

template<class IdT>
IdT newId()
{
    return IdT(newUuidV7());
}

} // namespace tmdash
