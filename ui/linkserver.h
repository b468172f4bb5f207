#pragma once

#include "text/tasktraillink.h"

#include <QObject>
#include <QString>

class QLocalServer;

namespace Tasktrail {

class MainWindow;

// One running Tasktrail per user and database for tasktrail:// links: the first instance
// listens on a local socket named after its database, and a second one started with a link
// hands the link over and ends, so the link opens in the window already on screen.
//
// The exchange is one line each way: the link (UTF-8), then "ok" or "error: <why>".
class LinkServer final : public QObject
{
    Q_OBJECT

public:
    explicit LinkServer(QObject *parent = nullptr);
    ~LinkServer() override;

    // The socket for `database` (a file path or a PostgreSQL location; empty for none): in
    // the user's runtime directory, named by a hash of the location, which may hold a
    // password and so never appears in the name itself.
    static QString socketName(const QString &database);

    // Hands `url` to the instance listening for `database`. True when it took the link;
    // false when no instance listens (`error` empty) or it refused the link or did not
    // answer within `timeoutMs` (`error` says which). Blocks: for a start-up before any window.
    static bool sendToRunning(const QString &database, const QString &url, int timeoutMs,
                              QString *error);

    // Listens for links to `database`, in place of the database listened for before. A
    // socket left by an instance that ended without removing it is replaced; one that
    // another live instance listens on is left alone and false returned with errorString().
    bool listen(const QString &database);
    QString errorString() const { return m_error; }
    bool isListening() const;

    // Serves `window`: listens for each database it opens from now on, and opens each link
    // received in it, brought to the front. A failure to listen is logged: the window works
    // without links.
    void serve(MainWindow *window);

Q_SIGNALS:
    void linkReceived(const Tasktrail::TasktrailLink &link);

private:
    void onNewConnection();

    QLocalServer *m_server = nullptr;
    QString m_error;
};

} // namespace Tasktrail
