// GitHub REST JSON documents: agent tasks, pull requests, reviews, check runs and suites.
#include "fileingest.h"
#include "github/githubshapes.h"
#include "inputformat.h"
#include "store/recordstore.h"

#include <QCryptographicHash>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Tasktrail {

bool ingestGitHubDocument(FileIngest &ingest, const QByteArray &document)
{
    QList<GitHub::Item> items;
    QList<QPair<qint64, QString>> unrecognised;
    QString error;
    qint64 errorLine = 0;
    if (!GitHub::splitDocument(document, &items, &unrecognised, &error, &errorLine)) {
        ingest.reject(errorLine, error);
        return true;
    }
    // One object of no kind Tasktrail knows: the file is nothing it reads, and says what it reads.
    if (items.isEmpty() && unrecognised.size() == 1 &&
        QByteArrayView(document)
            .sliced(document.startsWith("\xEF\xBB\xBF") ? 3 : 0)
            .trimmed()
            .startsWith('{') &&
        unrecognised.constFirst().second.startsWith(u"not a GitHub"))
        unrecognised.first().second +=
            u", nor of any other kind Tasktrail reads. "_s % readableFormats();
    for (const auto &[line, reason] : std::as_const(unrecognised))
        ingest.reject(line, reason);
    if (!ingest.ensureBatch())
        return false;
    const bool mayHaveSecrets = Redactor::mayContainSecret(document.constData(), document.size());
    RecordStore &store = ingest.store();
    qint64 position = 0;
    const qint64 perItem = items.isEmpty() ? 0 : document.size() / items.size();
    for (GitHub::Item item : std::as_const(items)) {
        position += perItem;
        int redactions = 0;
        if (mayHaveSecrets) {
            QJsonValue value = item.object;
            redactions = ingest.redact(value, false);
            item.object = value.toObject();
        }
        // The kind is part of the identity: the same JSON as a review and as a PR is not
        // the same record.
        // The hints a webhook gave (repository, PR number) belong to it too.
        const QByteArray canonical = QByteArray::number(int(item.kind)) + ':' +
                                     item.repoHint.toUtf8() + '#' +
                                     QByteArray::number(item.prNumberHint) + ':' +
                                     QJsonDocument(item.object).toJson(QJsonDocument::Compact);
        const QByteArray hash = QCryptographicHash::hash(canonical, QCryptographicHash::Sha256);

        QString reason;
        bool converted = false;
        TaskRecord task;
        PullRequestRecord pr;
        ReviewRecord review;
        CheckRunRecord check;
        CheckSuiteRecord suite;
        switch (item.kind) {
        case GitHub::ItemKind::AgentTask:
            converted = GitHub::toTask(item, &task, &reason);
            break;
        case GitHub::ItemKind::PullRequest:
            converted = GitHub::toPullRequest(item, &pr, &reason);
            break;
        case GitHub::ItemKind::Review:
            converted = GitHub::toReview(item, &review, &reason);
            break;
        case GitHub::ItemKind::CheckRun:
            converted = GitHub::toCheckRun(item, &check, &reason);
            break;
        case GitHub::ItemKind::CheckSuite:
            converted = GitHub::toCheckSuite(item, &suite, &reason);
            break;
        }
        if (!converted) {
            ingest.reject(item.line, reason);
            continue;
        }
        bool isNew = false;
        if (!store.markRecordSeen(hash, &isNew))
            return ingest.fatal(u"line %1: cannot store the record"_s.arg(item.line));
        if (!isNew) {
            ++ingest.counts().duplicates;
            continue;
        }
        bool written = false;
        switch (item.kind) {
        case GitHub::ItemKind::AgentTask:
            written = store.writeTask(task);
            ingest.touchTask(task.id);
            break;
        case GitHub::ItemKind::PullRequest:
            written = store.writePullRequest(pr);
            ingest.touchPullRequest(pr.repo, pr.number);
            break;
        case GitHub::ItemKind::Review:
            written = store.writeReview(review);
            ingest.touchPullRequest(review.repo, review.prNumber);
            break;
        case GitHub::ItemKind::CheckRun:
            written = store.writeCheckRun(check);
            break;
        case GitHub::ItemKind::CheckSuite:
            written = store.writeCheckSuite(suite);
            break;
        }
        if (!written)
            return ingest.fatal(u"line %1: cannot store the record"_s.arg(item.line));
        ++ingest.counts().ingested;
        ingest.counts().redactions += redactions;
        if (!ingest.step(ingest.options().recordBatch, position))
            return false;
    }
    return true;
}

} // namespace Tasktrail
