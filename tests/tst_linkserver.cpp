// tasktrail:// links between instances: a first window serves links for its database, and the
// real `tasktrail` binary started with a link hands it over, exits 0, and the first window
// shows the task, campaign or finding.
#include "campaignview.h"
#include "linkserver.h"
#include "mainwindow.h"
#include "openwait.h"
#include "reportfixture.h"
#include "runsmodel.h"
#include "settings.h"
#include "store/recordstore.h"
#include "taskview.h"

#include <QLocalSocket>
#include <QProcess>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

struct Exit
{
    int code = -1;
    QString err;
};

} // namespace

class TestLinkServer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void socketNamePerDatabase();
    void nobodyListens();
    void secondInstanceOpensTheTask();
    void secondInstanceOpensTheCampaign();
    void secondInstanceOpensTheFinding();
    void unknownFindingIsSaid();
    void badLinkIsRefusedByTheSecond();
    void badLinkIsRefusedByTheFirst();
    void oneListenerPerDatabase();
    void socketLeftBehindIsReplaced();
    void firstStartServesLinks();

private:
    // Runs the real app with `args` offscreen, in the test's runtime and config directories,
    // while this test's event loop serves the link.
    Exit runApp(const QStringList &args, std::function<void(QProcess &)> whileRunning = {});
    QString selectedTask() const;
    std::unique_ptr<RecordStore> open(const QString &location) const
    {
        QString error;
        auto store = openStore(location, &error, StoreAccess::ReadOnly);
        if (!store)
            qWarning("%s", qPrintable(error));
        return store;
    }

    QTemporaryDir m_dir;
    QString m_db;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<LinkServer> m_links;
};

void TestLinkServer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Sockets and settings in directories of the test's own, for this process and the app.
    const QString runtime = m_dir.filePath(u"run"_s);
    QVERIFY(QDir().mkpath(runtime));
    QVERIFY(QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtime));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.filePath(u"config"_s)));
    const QString error = ReportTest::buildDemoStore(m_dir.path());
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_db = m_dir.filePath(u"demo.db"_s);
}

void TestLinkServer::init()
{
    m_window =
        std::make_unique<MainWindow>(std::make_unique<Settings>(m_dir.filePath(u"window.ini"_s)));
    m_links = std::make_unique<LinkServer>();
    m_links->serve(m_window.get());
    QVERIFY(openAndWait(*m_window, m_db));
    QVERIFY2(m_links->isListening(), qPrintable(m_links->errorString()));
    m_window->show();
}

void TestLinkServer::cleanup()
{
    m_links.reset();
    m_window.reset();
}

Exit TestLinkServer::runApp(const QStringList &args, std::function<void(QProcess &)> whileRunning)
{
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(TASKTRAIL_GUI), args);
    if (!app.waitForStarted(10'000))
        return {-1, app.errorString()};
    if (whileRunning)
        whileRunning(app);
    // The event loop runs meanwhile: the first instance answers the second.
    if (!QTest::qWaitFor([&app] { return app.state() == QProcess::NotRunning; }, 60'000)) {
        app.kill();
        app.waitForFinished();
        return {-1, u"did not exit"_s};
    }
    return {app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -1,
            QString::fromUtf8(app.readAllStandardError())};
}

QString TestLinkServer::selectedTask() const
{
    const auto *table = m_window->findChild<QTableView *>(u"runsTable"_s);
    return table->selectionModel()->currentIndex().data(RunsModel::TaskIdRole).toString();
}

void TestLinkServer::socketNamePerDatabase()
{
    const QString a = LinkServer::socketName(m_db);
    QVERIFY(a.startsWith(QString::fromLocal8Bit(qgetenv("XDG_RUNTIME_DIR"))));
    QVERIFY(!a.contains(u"demo"_s)); // a hash, not the location
    QCOMPARE(LinkServer::socketName(m_dir.filePath(u"./demo.db"_s)), a);
    QVERIFY(LinkServer::socketName(m_dir.filePath(u"other.db"_s)) != a);
    QVERIFY(LinkServer::socketName(QString()) != a);
    const QString pg = LinkServer::socketName(u"postgresql://me:secret@db/tasktrail"_s);
    QVERIFY(!pg.contains(u"secret"_s));
    QVERIFY(pg != LinkServer::socketName(u"postgresql://me:secret@db/other"_s));
}

void TestLinkServer::nobodyListens()
{
    QString error = u"stale"_s;
    QVERIFY(!LinkServer::sendToRunning(m_dir.filePath(u"other.db"_s), u"tasktrail://task/x"_s, 2000,
                                       &error));
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestLinkServer::secondInstanceOpensTheTask()
{
    auto store = open(m_db);
    QVERIFY(store);
    // An old task: not on the table's first page, so the row must be looked for.
    const QList<TaskRow> tasks = store->tasks({}, 0, 100'000);
    QVERIFY(tasks.size() > 20);
    const QString id = tasks.constLast().id;
    QVERIFY(selectedTask() != id);
    const Exit exit = runApp({u"--db"_s, m_db, taskLinkUrl(id)});
    QCOMPARE(exit.code, 0);
    QVERIFY2(exit.err.isEmpty(), qPrintable(exit.err));
    QTRY_COMPARE_WITH_TIMEOUT(selectedTask(), id, 30'000);
    QTRY_COMPARE(m_window->taskView()->taskId(), id);
    // The Runs tab is the one shown.
    const auto *tabs = m_window->findChild<QTabWidget *>(u"viewTabs"_s);
    QVERIFY(tabs->currentWidget()->isAncestorOf(m_window->findChild<QTableView *>(u"runsTable"_s)));
}

void TestLinkServer::secondInstanceOpensTheCampaign()
{
    auto store = open(m_db);
    QVERIFY(store);
    const QStringList campaigns = store->campaignIds();
    QVERIFY(!campaigns.isEmpty());
    const QString id = campaigns.constLast();
    const Exit exit = runApp({u"--db"_s, m_db, toUrl({TasktrailLink::Kind::Campaign, id})});
    QCOMPARE(exit.code, 0);
    auto *view = m_window->findChild<CampaignView *>(u"campaignView"_s);
    QVERIFY(view);
    QTRY_COMPARE_WITH_TIMEOUT(view->currentCampaignId(), id, 30'000);
    QCOMPARE(m_window->findChild<QTabWidget *>(u"viewTabs"_s)->currentWidget(), view);
}

void TestLinkServer::secondInstanceOpensTheFinding()
{
    auto store = open(m_db);
    QVERIFY(store);
    const QList<Finding> findings = store->findings({});
    QVERIFY(!findings.isEmpty());
    const QList<StoredFinding> stored = store->storedFindings(findings.constLast().taskId);
    QVERIFY(!stored.isEmpty());
    const StoredFinding target = stored.constLast();
    const QString url = toUrl({TasktrailLink::Kind::Finding, QString::number(target.id)});
    const Exit exit = runApp({u"--db"_s, m_db, url});
    QCOMPARE(exit.code, 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->taskView()->taskId(), target.finding.taskId, 30'000);
    QTRY_COMPARE(selectedTask(), target.finding.taskId);
}

void TestLinkServer::unknownFindingIsSaid()
{
    const Exit exit = runApp({u"--db"_s, m_db, u"tasktrail://finding/987654321"_s});
    QCOMPARE(exit.code, 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->statusBar()->currentMessage(),
                              u"No finding 987654321 in this database."_s, 30'000);
}

void TestLinkServer::badLinkIsRefusedByTheSecond()
{
    const Exit exit = runApp({u"--db"_s, m_db, u"tasktrail://run/1"_s});
    QCOMPARE(exit.code, 2);
    QVERIFY2(exit.err.contains(u"not a Tasktrail link: unknown kind \"run\""_s),
             qPrintable(exit.err));
}

void TestLinkServer::badLinkIsRefusedByTheFirst()
{
    // A client other than tasktrail sends a bad line: the first says why and stays up.
    bool done = false;
    QString error;
    QLocalSocket socket;
    socket.connectToServer(LinkServer::socketName(m_db));
    QVERIFY(socket.waitForConnected(5000));
    socket.write("tasktrail://task/a/b\n");
    connect(&socket, &QLocalSocket::readyRead, this, [&] {
        if (socket.canReadLine()) {
            error = QString::fromUtf8(socket.readLine()).trimmed();
            done = true;
        }
    });
    QTRY_VERIFY(done);
    QVERIFY2(error.startsWith(u"error: not a Tasktrail link: the id holds a '/'"_s),
             qPrintable(error));
    QVERIFY(m_links->isListening());
}

void TestLinkServer::oneListenerPerDatabase()
{
    LinkServer second;
    QVERIFY(!second.listen(m_db));
    QCOMPARE(second.errorString(), u"another Tasktrail already takes links for this database"_s);
    QVERIFY(m_links->isListening()); // the first keeps its socket
    QVERIFY(second.listen(m_dir.filePath(u"other.db"_s)));
}

void TestLinkServer::socketLeftBehindIsReplaced()
{
    // A socket file nobody listens on (an instance that was killed) does not block the next.
    const QString other = m_dir.filePath(u"left-behind.db"_s);
    const QString name = LinkServer::socketName(other);
    QFile stale(name);
    QVERIFY(stale.open(QIODevice::WriteOnly)); // a file in the socket's place
    stale.close();
    LinkServer server;
    QVERIFY2(server.listen(other), qPrintable(server.errorString()));
    QLocalSocket client;
    client.connectToServer(name);
    QVERIFY2(client.waitForConnected(5000), qPrintable(client.errorString()));
}

void TestLinkServer::firstStartServesLinks()
{
    // No instance serves this database (only a socket file left behind): the app starts
    // itself there, and serves the links to its database.
    const QString copy = m_dir.filePath(u"copy.db"_s);
    QVERIFY(QFile::copy(m_db, copy));
    QFile stale(LinkServer::socketName(copy));
    QVERIFY(stale.open(QIODevice::WriteOnly));
    stale.close();
    auto store = open(copy);
    QVERIFY(store);
    const QString id = store->tasks({}, 0, 1).constFirst().id;
    QString handedOver;
    runApp({u"--db"_s, copy, taskLinkUrl(id)}, [&](QProcess &app) {
        QString error;
        const bool took = QTest::qWaitFor(
            [&] {
                return LinkServer::sendToRunning(copy, taskLinkUrl(id), 2000, &error) ||
                       !error.isEmpty();
            },
            30'000);
        handedOver = took ? u"ok"_s : error;
        app.terminate();
    });
    QCOMPARE(handedOver, u"ok"_s);
}

QTEST_MAIN(TestLinkServer)
#include "tst_linkserver.moc"
