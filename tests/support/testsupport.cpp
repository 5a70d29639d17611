#include "testsupport.h"

#include <QTest>

namespace tmdash::test {

namespace {
QString requireService(const char *variable)
{
    const QString url = qEnvironmentVariable(variable);
    if (url.isEmpty() && qEnvironmentVariableIsSet("CI"))
        qFatal("%s is not set but CI is: integration suites must not be skipped", variable);
    return url;
}
} // namespace

QString requirePostgresUrl()
{
    return requireService("TMDASH_TEST_PG");
}

QString requireRedisUrl()
{
    return requireService("TMDASH_TEST_REDIS");
}

QString sourcePath(const QString &relative)
{
    return qEnvironmentVariable("TMDASH_SOURCE_DIR") + QLatin1Char('/') + relative;
}

} // namespace tmdash::test
