#pragma once

#include "fileingest.h"
#include "inputfile.h"
#include "inputformat.h"

#include <QByteArray>
#include <QString>

#include <future>
#include <memory>

namespace Tasktrail {

struct PrefetchedDocument
{
    QString path;
    std::unique_ptr<InputFile> input; // null: openError says why
    QString openError;
    QByteArray headHash; // hex SHA-256 of input->head()
    InputDetection detected;
    // A GitHub JSON document (no repository list), read whole and split; otherwise the
    // input is only opened and the ingest reads it as usual.
    bool read = false;
    QByteArray document;
    QString readError; // the document could not be read whole
    QByteArray sha;    // hex SHA-256 of the document
    bool splitDone = false;
    GitHubSplit split;
};

// The next input of an ingest, opened and, when it is a GitHub JSON document, read, hashed,
// taken apart and converted to records (prepareGitHubSplit) on a thread of its own while the
// input before it is written. Taking a GitHub document apart (parsing it whole) is a third of
// the writing thread's time otherwise; held as records rather than JSON objects, the page
// waiting takes a fraction of the memory.
//
// Nothing is reported, counted or stored here: the ingest takes the result when it reaches the
// file and reports everything in file order, exactly as when it opens the file itself.
class DocumentPrefetch final
{
public:
    // headSize: what InputFile::open reads first.
    explicit DocumentPrefetch(qsizetype headSize);
    ~DocumentPrefetch(); // waits for the thread

    DocumentPrefetch(const DocumentPrefetch &) = delete;
    DocumentPrefetch &operator=(const DocumentPrefetch &) = delete;

    // Starts on `path` (a regular file; not "-"), dropping a result nobody took. A document is
    // read ahead only if it has at most `maxDocument` bytes: what the caller can hold beside
    // the one it writes.
    void start(const QString &path, qint64 maxDocument);
    // What was prefetched of `path`, waiting for it; nullptr when `path` was not started.
    std::unique_ptr<PrefetchedDocument> take(const QString &path);

private:
    std::unique_ptr<PrefetchedDocument> prefetch(const QString &path, qint64 maxDocument) const;

    qsizetype m_headSize;
    QString m_path;
    std::future<std::unique_ptr<PrefetchedDocument>> m_pending;
};

} // namespace Tasktrail
