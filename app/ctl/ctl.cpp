#include "ctl.h"

#include <QTextStream>

namespace tmdash {

namespace {

void printUsage(QTextStream &out)
{
    out << "Usage: tmdashctl [--db URL] [--as EMAIL] [--json] VERB ...\n\n"
           "Verbs:\n";
}

} // namespace

int runCtl(const QStringList &args, QTextStream &, QTextStream &out, QTextStream &err)
{
    if (args.isEmpty()) {
        printUsage(err);
        return ExitUsage;
    }
    if (args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")) {
        printUsage(out);
        return ExitOk;
    }
    err << "tmdashctl: unknown verb '" << args.first() << "'\n";
    return ExitUsage;
}

} // namespace tmdash
