#pragma once

#include <QStringList>

class QTextStream;

namespace tmdash {

// Exit codes of tmdashctl (DESIGN.md, "Interfaces people use").
enum ExitCode : int {
    ExitOk = 0,
    ExitInvalid = 2,
    ExitNotFound = 3,
    ExitNotPermitted = 4,
    ExitUnavailable = 5,
    ExitIncompatible = 6,
    ExitIntegrity = 7,
    ExitUsage = 64,
};

// Runs one tmdashctl command line (without the program name) and returns its exit code.
int runCtl(const QStringList &args, QTextStream &in, QTextStream &out, QTextStream &err);

} // namespace tmdash
