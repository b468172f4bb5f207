#include "appicon.h"
#include "linkserver.h"
#include "mainwindow.h"
#include "settings.h"
#include "store/pgconnection.h"
#include "store/recordstore.h"
#include "text/tasktraillink.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

// The database a start opens: --db, else the last one when it is still there.
QString databaseToOpen(const QCommandLineParser &parser, const QCommandLineOption &dbOption,
                       const Tasktrail::Settings &settings)
{
    if (parser.isSet(dbOption))
        return parser.value(dbOption);
    const QString last = settings.lastDatabase.value();
    if (!last.isEmpty() && (Tasktrail::isPostgresLocation(last) || QFileInfo(last).isFile()))
        return last;
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    Tasktrail::configureStoresForProcess();
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"Tasktrail"_s);
    QApplication::setApplicationVersion(QStringLiteral(TASKTRAIL_VERSION));
    QApplication::setOrganizationName(u"Tasktrail"_s);
    // The desktop file's name (Wayland's app id) and the icon it names, also compiled in.
    QGuiApplication::setDesktopFileName(u"io.tasktrail.Tasktrail"_s);
    QApplication::setWindowIcon(Tasktrail::applicationIcon());

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
    parser.addPositionalArgument(
        u"link"_s,
        QCoreApplication::translate("main",
                                    "Open a tasktrail://task/ID, tasktrail://campaign/ID or "
                                    "tasktrail://finding/ID link; a Tasktrail already running "
                                    "on the database opens it instead."),
        u"[link]"_s);
    parser.process(app);

    std::optional<Tasktrail::TasktrailLink> link;
    if (const QStringList args = parser.positionalArguments(); !args.isEmpty()) {
        QString error;
        link =
            args.size() == 1 ? Tasktrail::parseTasktrailLink(args.first(), &error) : std::nullopt;
        if (!link) {
            std::fprintf(stderr, "tasktrail: %s\n",
                         qUtf8Printable(args.size() == 1 ? error : u"one link at most"_s));
            return 2;
        }
    }

    const QString database = databaseToOpen(parser, dbOption, Tasktrail::Settings());
    if (link) {
        QString error;
        if (Tasktrail::LinkServer::sendToRunning(database, Tasktrail::toUrl(*link), 5000, &error))
            return 0;
        if (!error.isEmpty()) {
            std::fprintf(stderr, "tasktrail: %s\n", qUtf8Printable(error));
            return 1;
        }
    }
    Tasktrail::MainWindow window;
    // Links to the window's database open in it from now on.
    Tasktrail::LinkServer links;
    links.serve(&window);
    // The link or task asked for is shown once the database is open (or could not be).
    const QString task = parser.value(taskOption);
    const auto showAsked = [&window, link, task] {
        if (link)
            window.openLink(*link);
        else if (!task.isEmpty())
            window.selectTask(task);
    };
    const auto listenAnyway = [&links, database] {
        if (!links.listen(database))
            qWarning("%s", qUtf8Printable(links.errorString()));
    };
    // Problems opening the database show in the window's status bar, where the user can act.
    if (database.isEmpty()) {
        listenAnyway();
        showAsked();
    } else {
        window.openDatabase(database, [listenAnyway, showAsked](bool opened) {
            if (!opened)
                listenAnyway();
            showAsked();
        });
    }
    window.show();
    return QApplication::exec();
}
