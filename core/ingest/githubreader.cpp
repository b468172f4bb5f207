// GitHub REST JSON documents: agent tasks, pull requests, reviews, check runs and suites.
#include "fileingest.h"
#include "github/githubshapes.h"
#include "inputformat.h"
#include "store/recordstore.h"

#include <QCryptographicHash>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// One item redacted, hashed and converted, on the preparing thread; the record it became is
// the one its kind names.
struct PreparedItem
{
    GitHub::ItemKind kind = GitHub::ItemKind::PullRequest;
    qint64 line = 0;
    qint64 position = 0;
    int redactions = 0;
    QByteArray hash;
    QString rejection;
    TaskRecord task;
    PullRequestRecord pr;
    ReviewRecord review;
    CheckRunRecord check;
    CheckSuiteRecord suite;
};

PreparedItem prepareItem(GitHub::Item item, bool mayHaveSecrets)
{
    PreparedItem out;
    out.kind = item.kind;
    out.line = item.line;
    if (mayHaveSecrets) {
        QJsonValue value = item.object;
        out.redactions = FileIngest::redact(value, false);
        item.object = value.toObject();
    }
    // The kind is part of the identity: the same JSON as a review and as a PR is not the same
    // record. The hints a webhook gave (repository, PR number) belong to it too.
    const QByteArray canonical = QByteArray::number(int(item.kind)) + ':' + item.repoHint.toUtf8() +
                                 '#' + QByteArray::number(item.prNumberHint) + ':' +
                                 QJsonDocument(item.object).toJson(QJsonDocument::Compact);
    out.hash = QCryptographicHash::hash(canonical, QCryptographicHash::Sha256);
    bool converted = false;
    switch (item.kind) {
    case GitHub::ItemKind::AgentTask:
        converted = GitHub::toTask(item, &out.task, &out.rejection);
        break;
    case GitHub::ItemKind::PullRequest:
        converted = GitHub::toPullRequest(item, &out.pr, &out.rejection);
        break;
    case GitHub::ItemKind::Review:
        converted = GitHub::toReview(item, &out.review, &out.rejection);
        break;
    case GitHub::ItemKind::CheckRun:
        converted = GitHub::toCheckRun(item, &out.check, &out.rejection);
        break;
    case GitHub::ItemKind::CheckSuite:
        converted = GitHub::toCheckSuite(item, &out.suite, &out.rejection);
        break;
    }
    if (!converted && out.rejection.isEmpty())
        out.rejection = u"not a GitHub record of its kind"_s;
    if (converted)
        out.rejection.clear();
    return out;
}

// What linking after the run looks at for an item: also for one stored before, whose linking
// an earlier run may not have reached (killed between its last batch and the linking).
void touchItem(FileIngest &ingest, const PreparedItem &item)
{
    switch (item.kind) {
    case GitHub::ItemKind::AgentTask:
        ingest.touchTask(item.task.id);
        break;
    case GitHub::ItemKind::PullRequest:
        ingest.touchPullRequest(item.pr.repo, item.pr.number);
        break;
    case GitHub::ItemKind::Review:
        ingest.touchPullRequest(item.review.repo, item.review.prNumber);
        break;
    case GitHub::ItemKind::CheckRun:
        ingest.touchCheckRun(item.check.repo, item.check.headSha);
        break;
    case GitHub::ItemKind::CheckSuite:
        break;
    }
}

// Stores one prepared item; false on a store error.
bool writeItem(FileIngest &ingest, const PreparedItem &item)
{
    RecordStore &store = ingest.store();
    switch (item.kind) {
    case GitHub::ItemKind::AgentTask:
        return store.writeTask(item.task);
    case GitHub::ItemKind::PullRequest:
        return store.writePullRequest(item.pr);
    case GitHub::ItemKind::Review:
        return store.writeReview(item.review);
    case GitHub::ItemKind::CheckRun:
        return store.writeCheckRun(item.check);
    case GitHub::ItemKind::CheckSuite:
        return store.writeCheckSuite(item.suite);
    }
    return false;
}

} // namespace

GitHubSplit splitGitHubDocument(const QByteArray &document)
{
    GitHubSplit split;
    split.parsed = GitHub::splitDocument(document, &split.items, &split.unrecognised, &split.error,
                                         &split.errorLine);
    if (!split.parsed)
        return split;
    // One object of no kind Tasktrail knows: the file is nothing it reads, and says what it reads.
    if (split.items.isEmpty() && split.unrecognised.size() == 1 &&
        QByteArrayView(document)
            .sliced(document.startsWith("\xEF\xBB\xBF") ? 3 : 0)
            .trimmed()
            .startsWith('{') &&
        split.unrecognised.constFirst().second.startsWith(u"not a GitHub"))
        split.unrecognised.first().second +=
            u", nor of any other kind Tasktrail reads. "_s % readableFormats();
    split.mayHaveSecrets = Redactor::mayContainSecret(document.constData(), document.size());
    return split;
}

bool ingestGitHubDocument(FileIngest &ingest, const QByteArray &document)
{
    return ingestGitHubDocument(ingest, document, splitGitHubDocument(document));
}

bool ingestGitHubDocument(FileIngest &ingest, const QByteArray &document, GitHubSplit split)
{
    if (!split.parsed) {
        ingest.reject(split.errorLine, split.error);
        return true;
    }
    for (const auto &[line, reason] : std::as_const(split.unrecognised))
        ingest.reject(line, reason);
    if (!ingest.ensureBatch())
        return false;
    const qint64 perItem = split.items.isEmpty() ? 0 : document.size() / split.items.size();
    // Items are redacted, hashed and converted on a second thread while this one writes. That
    // thread owns them, and frees them there.
    PreparedQueue<PreparedItem> queue(512, 8 * 1024 * 1024);
    queue.start([items = std::move(split.items), mayHaveSecrets = split.mayHaveSecrets,
                 perItem](const PreparedQueue<PreparedItem>::Push &push) mutable {
        qint64 position = 0;
        for (GitHub::Item &item : items) {
            position += perItem;
            PreparedItem prepared = prepareItem(std::move(item), mayHaveSecrets);
            prepared.position = position;
            if (!push(std::move(prepared), perItem))
                break;
        }
        items.clear();
    });
    RecordStore &store = ingest.store();
    while (std::optional<PreparedItem> item = queue.pop()) {
        if (!item->rejection.isEmpty()) {
            ingest.reject(item->line, item->rejection);
            continue;
        }
        bool isNew = false;
        if (!store.markRecordSeen(item->hash, &isNew))
            return ingest.fatal(u"line %1: cannot store the record"_s.arg(item->line));
        touchItem(ingest, *item);
        if (!isNew) {
            ++ingest.counts().duplicates;
            continue;
        }
        if (!writeItem(ingest, *item))
            return ingest.fatal(u"line %1: cannot store the record"_s.arg(item->line));
        ++ingest.counts().ingested;
        ingest.counts().redactions += item->redactions;
        if (!ingest.step(ingest.options().recordBatch, item->position))
            return false;
    }
    return true;
}

} // namespace Tasktrail
