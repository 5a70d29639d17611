#include "ctl.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tmdashctl"));
    QTextStream in(stdin);
    QTextStream out(stdout);
    QTextStream err(stderr);
    const int code = tmdash::runCtl(app.arguments().mid(1), in, out, err);
    out.flush();
    err.flush();
    return code;
}
