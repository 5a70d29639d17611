#include "faultpoint.h"

#include <QByteArray>
#include <QtGlobal>

#include <cstdlib>

namespace tmdash {

void syncFaultPoint(const char *name)
{
    static const QByteArray wanted = qgetenv("TMDASH_SYNC_FAULT");
    if (!wanted.isEmpty() && wanted == name)
        std::_Exit(70);
}

} // namespace tmdash
