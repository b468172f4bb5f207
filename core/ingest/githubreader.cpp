// GitHub REST JSON documents: agent tasks, pull requests, reviews, check runs and suites.
#include "fileingest.h"
#include "github/githubshapes.h"
#include "inputformat.h"
#include "overloaded.h"
#include "store/recordstore.h"
#include "text/sha256.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

PreparedGitHubItem prepareItem(GitHub::Item item, bool mayHaveSecrets)
{
    PreparedGitHubItem out;
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
    out.hash = Sha256::of(canonical);
    const auto convert = [&item, &out](auto toRecord, auto &record) {
        return toRecord(item, &record, &out.rejection);
    };
    bool converted = false;
    switch (item.kind) {
    case GitHub::ItemKind::AgentTask:
        converted = convert(GitHub::toTask, out.record.emplace<TaskRecord>());
        break;
    case GitHub::ItemKind::PullRequest:
        converted = convert(GitHub::toPullRequest, out.record.emplace<PullRequestRecord>());
        break;
    case GitHub::ItemKind::Review:
        converted = convert(GitHub::toReview, out.record.emplace<ReviewRecord>());
        break;
    case GitHub::ItemKind::CheckRun:
        converted = convert(GitHub::toCheckRun, out.record.emplace<CheckRunRecord>());
        break;
    case GitHub::ItemKind::CheckSuite:
        converted = convert(GitHub::toCheckSuite, out.record.emplace<CheckSuiteRecord>());
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
void touchItem(FileIngest &ingest, const PreparedGitHubItem &item)
{
    std::visit(
        Overloaded{
            [&](const TaskRecord &task) { ingest.touchTask(task.id); },
            [&](const PullRequestRecord &pr) { ingest.touchPullRequest(pr.repo, pr.number); },
            [&](const ReviewRecord &review) {
                ingest.touchPullRequest(review.repo, review.prNumber);
            },
            [&](const CheckRunRecord &check) { ingest.touchCheckRun(check.repo, check.headSha); },
            [](const CheckSuiteRecord &) {},
        },
        item.record);
}

// Stores one prepared item; false on a store error.
bool writeItem(FileIngest &ingest, const PreparedGitHubItem &item)
{
    RecordStore &store = ingest.store();
    return std::visit(
        Overloaded{
            [&](const TaskRecord &task) { return store.writeTask(task); },
            [&](const PullRequestRecord &pr) { return store.writePullRequest(pr); },
            [&](const ReviewRecord &review) { return store.writeReview(review); },
            [&](const CheckRunRecord &check) { return store.writeCheckRun(check); },
            [&](const CheckSuiteRecord &suite) { return store.writeCheckSuite(suite); },
        },
        item.record);
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

void prepareGitHubSplit(GitHubSplit &split)
{
    if (split.prepared)
        return;
    split.preparedItems.reserve(split.items.size());
    for (GitHub::Item &item : split.items)
        split.preparedItems << prepareItem(std::move(item), split.mayHaveSecrets);
    split.items = {};
    split.prepared = true;
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
    const qsizetype itemCount = split.prepared ? split.preparedItems.size() : split.items.size();
    const qint64 perItem = itemCount == 0 ? 0 : document.size() / itemCount;
    // Items are redacted, hashed and converted on a second thread while this one writes (or
    // were, before, by prepareGitHubSplit()). That thread owns them, and frees each once it is
    // written (PreparedQueue::take()).
    PreparedQueue<PreparedGitHubItem> queue(512, 8 * 1024 * 1024);
    queue.start([split = std::move(split),
                 perItem](const PreparedQueue<PreparedGitHubItem>::Push &push) mutable {
        qint64 position = 0;
        const auto give = [&](PreparedGitHubItem prepared) {
            position += perItem;
            prepared.position = position;
            return push(std::move(prepared), perItem);
        };
        if (split.prepared) {
            for (PreparedGitHubItem &item : split.preparedItems) {
                if (!give(std::move(item)))
                    break;
            }
        } else {
            for (GitHub::Item &item : split.items) {
                if (!give(prepareItem(std::move(item), split.mayHaveSecrets)))
                    break;
            }
        }
        split = {};
    });
    RecordStore &store = ingest.store();
    while (PreparedQueue<PreparedGitHubItem>::Taken item = queue.take()) {
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
