#pragma once

#include <QString>
#include <QStringList>

#include <array>
#include <optional>
#include <utility>

namespace tmdash {

// The one place each closed set's stored names live. An enum opts in by specialising
// EnumNames with `static constexpr std::array<std::pair<E, const char *>, N> names`.
template<class E>
struct EnumNames;

// The functions live in a nested namespace pulled in by a using-directive: unqualified calls in
// tmdash code find them, but argument-dependent lookup does not, so QTest's own toString() for
// QCOMPARE on enums stays unambiguous.
namespace enumnames {

template<class E>
QString toString(E value)
{
    for (const auto &[v, name] : EnumNames<E>::names)
        if (v == value)
            return QString::fromLatin1(name);
    return {};
}

template<class E>
std::optional<E> enumFromString(QStringView text)
{
    for (const auto &[v, name] : EnumNames<E>::names)
        if (text == QLatin1StringView(name))
            return v;
    return std::nullopt;
}

template<class E>
QStringList enumNames()
{
    QStringList out;
    for (const auto &[v, name] : EnumNames<E>::names)
        out << QString::fromLatin1(name);
    return out;
}

} // namespace enumnames

using namespace enumnames;

} // namespace tmdash
