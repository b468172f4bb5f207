#include "linkserver.h"

#include "mainwindow.h"
#include "store/pgconnection.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>
#include <QTimer>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// A link is one short line; anything longer is not one.
constexpr qint64 maxLineBytes = 4096;
constexpr int replyTimeoutMs = 5000;

QString canonicalLocation(const QString &database)
{
    if (database.isEmpty() || isPostgresLocation(database))
        return database;
    const QFileInfo info(database);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? info.absoluteFilePath() : canonical;
}

void reply(QLocalSocket *socket, const QString &text)
{
    socket->write(text.toUtf8() + '\n');
    socket->disconnectFromServer();
}

} // namespace

LinkServer::LinkServer(QObject *parent)
    : QObject(parent)
{}

LinkServer::~LinkServer() = default;

QString LinkServer::socketName(const QString &database)
{
    const QByteArray hash =
        QCryptographicHash::hash(canonicalLocation(database).toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(24);
    // The runtime directory is the user's own (mode 0700); without one the socket goes to
    // the temporary directory, where the user id keeps two users' sockets apart.
    const QString name = u"tasktrail-%1-%2"_s.arg(getuid()).arg(QString::fromLatin1(hash));
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    return dir.isEmpty() ? name : QDir(dir).filePath(name);
}

bool LinkServer::sendToRunning(const QString &database, const QString &url, int timeoutMs,
                               QString *error)
{
    error->clear();
    QLocalSocket socket;
    socket.connectToServer(socketName(database));
    if (!socket.waitForConnected(timeoutMs))
        return false; // nobody listens (or a socket left behind by an ended instance)
    socket.write(url.toUtf8() + '\n');
    if (!socket.waitForBytesWritten(timeoutMs)) {
        *error = u"the running Tasktrail did not take the link: "_s % socket.errorString();
        return false;
    }
    while (!socket.canReadLine() && socket.bytesAvailable() < maxLineBytes) {
        if (!socket.waitForReadyRead(timeoutMs)) {
            *error = u"the running Tasktrail did not answer: "_s % socket.errorString();
            return false;
        }
    }
    const QString answer = QString::fromUtf8(socket.readLine(maxLineBytes)).trimmed();
    if (answer == u"ok")
        return true;
    *error = answer.startsWith(u"error: ")
                 ? answer.mid(7)
                 : u"the running Tasktrail answered \"%1\""_s.arg(answer.left(80));
    return false;
}

bool LinkServer::isListening() const
{
    return m_server && m_server->isListening();
}

bool LinkServer::listen(const QString &database)
{
    const QString name = socketName(database);
    if (m_server && m_server->fullServerName() == name && m_server->isListening())
        return true;
    delete m_server;
    m_server = nullptr;
    // A socket another live instance listens on is left alone. One nobody answers on was left
    // by an instance that ended without removing it, and is replaced (listen() with socket
    // options renames its socket into place, so it would replace a live one just the same).
    QLocalSocket probe;
    probe.connectToServer(name);
    if (probe.waitForConnected(1000)) {
        m_error = u"another Tasktrail already takes links for this database"_s;
        return false;
    }
    QLocalServer::removeServer(name);
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(m_server, &QLocalServer::newConnection, this, &LinkServer::onNewConnection);
    if (m_server->listen(name))
        return true;
    m_error =
        u"cannot listen for tasktrail:// links on %1: %2"_s.arg(name, m_server->errorString());
    return false;
}

void LinkServer::serve(MainWindow *window)
{
    const auto listenTo = [this](const QString &location) {
        if (!listen(location))
            qWarning("%s", qUtf8Printable(m_error));
    };
    connect(window, &MainWindow::databaseOpened, this, listenTo);
    connect(this, &LinkServer::linkReceived, window, [window](const TasktrailLink &link) {
        window->openLink(link);
        window->setWindowState((window->windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
        window->show();
        window->raise();
        window->activateWindow();
    });
}

void LinkServer::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        // A client that never sends its line is dropped rather than kept open.
        QTimer::singleShot(replyTimeoutMs, socket, [socket] { socket->abort(); });
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > maxLineBytes)
                    reply(socket, u"error: the link is longer than %1 bytes"_s.arg(maxLineBytes));
                return;
            }
            const QString url = QString::fromUtf8(socket->readLine(maxLineBytes)).trimmed();
            QString why;
            const std::optional<TasktrailLink> link = parseTasktrailLink(url, &why);
            if (!link) {
                reply(socket, u"error: "_s % why);
                return;
            }
            reply(socket, u"ok"_s);
            Q_EMIT linkReceived(*link);
        });
    }
}

} // namespace Tasktrail
