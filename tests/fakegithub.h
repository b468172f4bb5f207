#pragma once

// A scripted GitHub REST server on 127.0.0.1 for the launch tests: it records every request
// and answers from per-route queues of canned responses.

#include <QAbstractHttpServer>
#include <QHash>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

struct ReceivedRequest
{
    QByteArray method;
    QString path; // without the server's prefix
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

struct Canned
{
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    int delayMs = 0;
};

inline Canned json(int status, const QJsonValue &value,
                   QList<QPair<QByteArray, QByteArray>> headers = {})
{
    const QJsonDocument doc =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return Canned{status, doc.toJson(QJsonDocument::Compact), std::move(headers), 0};
}

inline Canned gitHubError(int status, const QString &message,
                          QList<QPair<QByteArray, QByteArray>> headers = {})
{
    return json(status,
                QJsonObject{{u"message"_s, message},
                            {u"documentation_url"_s, u"https://docs.github.com/rest"_s}},
                std::move(headers));
}

class FakeGitHub final : public QAbstractHttpServer
{
public:
    // prefix: "" for api.github.com, "/api/v3" for a GitHub Enterprise Server.
    explicit FakeGitHub(QString prefix = {})
        : m_prefix(std::move(prefix))
    {
        // bind() to a listening QTcpServer works from Qt 6.4 to 6.8 (listen() is gone in 6.8).
        auto *tcp = new QTcpServer(this);
        if (tcp->listen(QHostAddress::LocalHost, 0)) {
            bind(tcp);
            m_port = tcp->serverPort();
        }
    }

    QString baseUrl() const { return u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(m_prefix); }

    // Answers "METHOD path" (and "METHOD path?page=N" for page N) with the queued responses in
    // order; the last one is repeated.
    void on(const QByteArray &method, const QString &path, const Canned &answer)
    {
        m_script[QString::fromLatin1(method) % u' ' % path].append(answer);
    }

    // Replaces the queued answers of "METHOD path".
    void replace(const QByteArray &method, const QString &path, const QList<Canned> &answers)
    {
        m_script[QString::fromLatin1(method) % u' ' % path] = answers;
    }

    QList<ReceivedRequest> requests;
    int answered = 0; // answers whose time came: written, or dropped as the client had gone

    // Consulted before the script, in order: the first answer given wins (an ETag check, a
    // server that refuses what it must never receive).
    QList<std::function<std::optional<Canned>(const ReceivedRequest &)>> hooks;

    // Answers 304 to a GET of `path` (any page) whose If-None-Match is `etag`, and sends the
    // ETag with every 200 to it.
    void etag(const QString &path, const QByteArray &tag)
    {
        m_etags.insert(path, tag);
        hooks.append([this, path](const ReceivedRequest &r) -> std::optional<Canned> {
            if (r.path == path && r.headers.value("if-none-match") == m_etags.value(path))
                return Canned{304, {}, {{"ETag", m_etags.value(path)}}, 0};
            return std::nullopt;
        });
    }
    void changeEtag(const QString &path, const QByteArray &tag) { m_etags.insert(path, tag); }

    QList<ReceivedRequest> requestsTo(const QString &path) const
    {
        QList<ReceivedRequest> found;
        for (const ReceivedRequest &r : requests) {
            if (r.path == path)
                found.append(r);
        }
        return found;
    }

protected:
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    bool handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder) override
    {
        const Canned answer = answerFor(request);
        auto later = std::make_shared<QHttpServerResponder>(std::move(responder));
        if (answer.delayMs == 0) {
            write(*later, answer);
            ++answered;
            return true;
        }
        QTimer::singleShot(answer.delayMs, this, [this, later, answer] {
            write(*later, answer);
            ++answered;
        });
        return true;
    }

    void missingHandler(const QHttpServerRequest &, QHttpServerResponder &) override {}
#else
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        const Canned answer = answerFor(request);
        auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
        if (answer.delayMs == 0) {
            write(*responder, answer);
            ++answered;
            return true;
        }
        QTimer::singleShot(answer.delayMs, this,
                           [this, responder, answer, guard = QPointer<QTcpSocket>(socket)] {
                               if (guard && guard->state() == QAbstractSocket::ConnectedState)
                                   write(*responder, answer);
                               ++answered;
                           });
        return true;
    }

    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}
#endif

private:
    // Records the request and takes its scripted answer.
    Canned answerFor(const QHttpServerRequest &request)
    {
        ReceivedRequest r;
        r.method = methodName(request.method());
        r.path = request.url().path();
        if (!m_prefix.isEmpty() && r.path.startsWith(m_prefix))
            r.path = r.path.mid(m_prefix.size());
        else if (!m_prefix.isEmpty())
            r.path = u"(outside the prefix) "_s % r.path;
        r.query = request.query();
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
        for (const auto &[name, value] : request.headers().toListOfPairs())
#else
        for (const auto &[name, value] : request.headers())
#endif
            r.headers.insert(name.toLower(), value);
        r.body = request.body();
        requests.append(r);

        for (const auto &hook : std::as_const(hooks)) {
            if (const std::optional<Canned> answer = hook(r))
                return *answer;
        }
        const QString key = QString::fromLatin1(r.method) % u' ' % r.path;
        const QString page = r.query.queryItemValue(u"page"_s);
        QList<Canned> *queue = nullptr;
        if (!page.isEmpty() && m_script.contains(key % u"?page="_s % page))
            queue = &m_script[key % u"?page="_s % page];
        else if (m_script.contains(key))
            queue = &m_script[key];
        Canned answer = !queue              ? gitHubError(404, u"Not Found"_s)
                        : queue->size() > 1 ? queue->takeFirst()
                                            : queue->first();
        if (answer.status == 200 && m_etags.contains(r.path))
            answer.headers.append({"ETag", m_etags.value(r.path)});
        return answer;
    }

    static QByteArray methodName(QHttpServerRequest::Method method)
    {
        switch (method) {
        case QHttpServerRequest::Method::Get:
            return QByteArrayLiteral("GET");
        case QHttpServerRequest::Method::Post:
            return QByteArrayLiteral("POST");
        case QHttpServerRequest::Method::Delete:
            return QByteArrayLiteral("DELETE");
        case QHttpServerRequest::Method::Patch:
            return QByteArrayLiteral("PATCH");
        default:
            return QByteArrayLiteral("OTHER");
        }
    }

    static void write(QHttpServerResponder &responder, const Canned &answer)
    {
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
        QHttpHeaders headers;
        headers.append(QHttpHeaders::WellKnownHeader::ContentType,
                       "application/json; charset=utf-8");
        for (const auto &[name, value] : answer.headers)
            headers.append(name, value);
        responder.write(answer.body, headers,
                        static_cast<QHttpServerResponder::StatusCode>(answer.status));
#else
        responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(answer.status));
        responder.writeHeader(QByteArrayLiteral("Content-Type"),
                              QByteArrayLiteral("application/json; charset=utf-8"));
        responder.writeHeader(QByteArrayLiteral("Content-Length"),
                              QByteArray::number(answer.body.size()));
        for (const auto &[name, value] : answer.headers)
            responder.writeHeader(name, value);
        responder.writeBody(answer.body);
#endif
    }

    QString m_prefix;
    quint16 m_port = 0;
    QHash<QString, QList<Canned>> m_script;
    QHash<QString, QByteArray> m_etags;
};

// Runs a loopback server on a thread of its own, so that a GUI test's watchdog measures the view
// and not the server answering it. Script the server before, and read what it recorded after
// stop(): the server is handed back to the thread that built it, where it is destroyed.
class ServerThread final
{
public:
    explicit ServerThread(QObject *server)
        : m_server(server)
        , m_home(server->thread())
    {
        m_thread.setObjectName(u"loopback server"_s);
        server->moveToThread(&m_thread);
        m_thread.start();
    }
    ~ServerThread() { stop(); }
    ServerThread(const ServerThread &) = delete;
    ServerThread &operator=(const ServerThread &) = delete;

    void stop()
    {
        if (!m_thread.isRunning())
            return;
        QMetaObject::invokeMethod(
            m_server, [this] { m_server->moveToThread(m_home); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

private:
    QObject *m_server;
    QThread *m_home;
    QThread m_thread;
};
