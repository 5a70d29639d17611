#include "user.h"

namespace tmdash {

QString User::displayName() const
{
    const QString given = given_name.trimmed();
    const QString family = family_name.trimmed();
    if (given.isEmpty() || family.isEmpty())
        return given.isEmpty() ? family : given;
    return given + u' ' + family;
}

} // namespace tmdash
