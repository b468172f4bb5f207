#include "documentprefetch.h"

#include "text/sha256.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

DocumentPrefetch::DocumentPrefetch(qsizetype headSize)
    : m_headSize(headSize)
{}

DocumentPrefetch::~DocumentPrefetch()
{
    if (m_pending.valid())
        m_pending.wait();
}

void DocumentPrefetch::start(const QString &path, qint64 maxDocument)
{
    if (m_pending.valid())
        m_pending.wait(); // a result nobody took: the ingest went elsewhere (a cancel, an error)
    m_path = path;
    m_pending = std::async(std::launch::async,
                           [this, path, maxDocument] { return prefetch(path, maxDocument); });
}

std::unique_ptr<PrefetchedDocument> DocumentPrefetch::take(const QString &path)
{
    if (!m_pending.valid() || path != m_path)
        return nullptr;
    m_path.clear();
    return m_pending.get();
}

std::unique_ptr<PrefetchedDocument> DocumentPrefetch::prefetch(const QString &path,
                                                               qint64 maxDocument) const
{
    auto out = std::make_unique<PrefetchedDocument>();
    out->path = path;
    // Made on this thread, read and freed on the ingest's after take(): a QFile holds no timer
    // or notifier, so no event loop owns it, and the future's get() orders the two threads.
    out->input = InputFile::open(path, m_headSize, &out->openError);
    if (!out->input)
        return out;
    const QByteArray &head = out->input->head();
    out->headHash = Sha256::of(head).toHex();
    out->detected = detectInputFormat(head, out->input->name(), head.size() < m_headSize);
    // Only a regular file of a known size small enough to hold beside the one being written.
    if (out->detected.format != InputFormat::GitHubJson || !out->input->canRewind() ||
        out->input->size() > maxDocument)
        return out;
    out->read = true;
    if (!out->input->readAll(maxDocument, &out->document, &out->readError))
        return out;
    out->sha = Sha256::of(out->document).toHex();
    if (!looksLikeRepositoryList(out->document)) {
        // Converted here too: a page held as records, not as JSON objects, while the page
        // before is written.
        out->split = splitGitHubDocument(out->document);
        prepareGitHubSplit(out->split);
        out->splitDone = true;
    }
    return out;
}

} // namespace Tasktrail
