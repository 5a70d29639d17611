#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tmdash"));
    QApplication::setOrganizationName(QStringLiteral("TMDash"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("TMDash Clinic desktop"));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("db"), QStringLiteral("Local database URL."), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("central"), QStringLiteral("Central PostgreSQL URL."), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("redis"), QStringLiteral("Redis URL."), QStringLiteral("URL")});
    parser.process(app);

    tmdash::MainWindow window;
    window.show();
    return app.exec();
}
