#include "mainwindow.h"
#include "settings.h"
#include "store/pgconnection.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"Tasktrail"_s);
    QApplication::setApplicationVersion(QStringLiteral(TASKTRAIL_VERSION));
    QApplication::setOrganizationName(u"Tasktrail"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Records, launches and explains coding-agent tasks"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dbOption(
        u"db"_s, QCoreApplication::translate("main", "Open the database <file>."),
        QCoreApplication::translate("main", "file"));
    const QCommandLineOption taskOption(
        u"task"_s, QCoreApplication::translate("main", "Select the task <id>."),
        QCoreApplication::translate("main", "id"));
    parser.addOption(dbOption);
    parser.addOption(taskOption);
    parser.process(app);

    Tasktrail::MainWindow window;
    // Problems opening the database show in the window's status bar, where the user can act.
    if (parser.isSet(dbOption)) {
        window.openDatabase(parser.value(dbOption));
    } else if (const QString last = window.settings().lastDatabase.value();
               !last.isEmpty() &&
               (Tasktrail::isPostgresLocation(last) || QFileInfo(last).isFile())) {
        window.openDatabase(last);
    }
    if (parser.isSet(taskOption))
        window.selectTask(parser.value(taskOption));
    window.show();
    return QApplication::exec();
}
