#pragma once

// An empty database (a SQLite file in a temporary directory, or one given), files written into
// the directory, and an ingest run with everything it reported: what the ingest tests share.
#include "ingest/ingestor.h"
#include "store/recordstore.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace Tasktrail::IngestFixture {

// One pull request of a REST list, indented as an element: number, title and head branch.
inline QByteArray pullRequest(int number, const char *title, const QByteArray &headRef = "b")
{
    return R"(  {"number": )" + QByteArray::number(number) + R"(, "title": ")" + title +
           R"(", "head": {"ref": ")" + headRef +
           R"("}, "base": {"ref": "main", "repo": {"full_name": "acme/web"}}})";
}

struct Run
{
    bool ok = false;
    QString error;
    IngestCounts counts;
    QList<IngestIssue> issues;

    QStringList describe() const
    {
        QStringList lines;
        for (const IngestIssue &issue : issues)
            lines << issue.toString();
        return lines;
    }
    // The one issue whose reason contains `text`, as "file:line: reason"; empty when none does.
    QString issueContaining(const QString &text) const
    {
        for (const IngestIssue &issue : issues) {
            if (issue.reason.contains(text))
                return issue.toString();
        }
        return {};
    }
};

class Scene
{
public:
    Scene()
        : Scene(QString())
    {}
    // The store at `location` (a SQLite file or a PostgreSQL URL) instead of a new file in
    // the scene's directory.
    explicit Scene(const QString &location)
    {
        if (!m_dir.isValid())
            qFatal("no temporary directory");
        m_dbPath = location.isEmpty() ? m_dir.filePath(QStringLiteral("tasktrail.db")) : location;
        QString error;
        m_store = openStore(m_dbPath, &error);
        if (!m_store)
            qFatal("cannot open the store: %s", qPrintable(error));
    }

    RecordStore &store() { return *m_store; }
    QString dbPath() const { return m_dbPath; }
    QString path(const QString &name) const { return m_dir.filePath(name); }

    QString write(const QString &name, const QByteArray &content) const
    {
        const QString file = path(name);
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly) || out.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(file));
        return file;
    }

    // `during` runs on each progress signal, on the ingest's own thread.
    Run ingest(const QStringList &paths, const IngestOptions &options = {},
               const std::function<void()> &during = {})
    {
        Ingestor ingestor(*m_store);
        ingestor.setOptions(options);
        QSignalSpy issues(&ingestor, &Ingestor::issueFound);
        if (during)
            QObject::connect(&ingestor, &Ingestor::progress, &ingestor, during);
        Run run;
        run.ok = ingestor.ingest(paths);
        run.error = ingestor.errorString();
        run.counts = ingestor.counts();
        for (const QList<QVariant> &args : std::as_const(issues))
            run.issues << args.constFirst().value<IngestIssue>();
        return run;
    }

    QByteArrayList lines(const QString &taskId, int seq)
    {
        QByteArrayList out;
        const auto key = m_store->commandKey(taskId, seq);
        if (key) {
            const QList<LogLine> stored = m_store->logLines(*key, 1, 100000);
            for (const LogLine &line : stored)
                out << line.text;
        }
        return out;
    }

private:
    QTemporaryDir m_dir;
    QString m_dbPath;
    std::unique_ptr<RecordStore> m_store;
};

} // namespace Tasktrail::IngestFixture
