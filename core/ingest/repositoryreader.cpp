// GitHub's repository listings (GET /orgs/{org}/repos, /user/repos): the known-repositories
// catalogue that launching checks template eligibility against.
#include "fileingest.h"
#include "store/recordstore.h"
#include "text/jsonelements.h"
#include "text/jsonfields.h"
#include "text/sha256.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

bool isRepository(const QJsonObject &o)
{
    return o.value("full_name"_L1).isString() && o.contains("default_branch"_L1) &&
           o.contains("archived"_L1) && !o.contains("number"_L1);
}

} // namespace

// Decided by the first element, so that a list with a malformed element later is still one.
bool looksLikeRepositoryList(const QByteArray &document)
{
    const qsizetype open = JsonElements::rootArray(document);
    if (open < 0)
        return false;
    const JsonElements::Scan scan = JsonElements::scanArray(document, open);
    if (scan.elements.isEmpty())
        return false;
    const JsonElements::Parsed first = JsonElements::parse(scan.elements.constFirst());
    return first.value && isRepository(first.value->toObject());
}

bool ingestRepositoryList(FileIngest &ingest, const QByteArray &document)
{
    const JsonElements::Scan scan =
        JsonElements::scanArray(document, JsonElements::rootArray(document));
    if (!ingest.ensureBatch())
        return false;
    RecordStore &store = ingest.store();
    for (const JsonElements::Element &element : scan.elements) {
        const JsonElements::Parsed parsed = JsonElements::parse(element);
        if (!parsed.value) {
            ingest.reject(parsed.errorLine, parsed.error);
            continue;
        }
        const qint64 line = element.line;
        const QJsonObject object = parsed.value->toObject();
        if (!isRepository(object)) {
            ingest.reject(line, u"not a GitHub repository object (full_name, default_branch, "
                                "archived)"_s);
            continue;
        }
        JsonFields f(object);
        KnownRepository repo;
        repo.name = f.repository("full_name"_L1);
        repo.archived = f.boolean("archived"_L1).value_or(false);
        repo.fork = f.boolean("fork"_L1).value_or(false);
        repo.topics = f.strings("topics"_L1);
        repo.language = f.string("language"_L1);
        repo.defaultBranch = f.string("default_branch"_L1);
        repo.updatedAt = f.time("updated_at"_L1);
        if (!f.ok()) {
            ingest.reject(line, f.error());
            continue;
        }
        const QByteArray hash = Sha256::of(
            QByteArray("repository:" + QJsonDocument(object).toJson(QJsonDocument::Compact)));
        bool isNew = false;
        if (!store.markRecordSeen(hash, &isNew))
            return ingest.fatal(u"line %1: cannot store the repository"_s.arg(line));
        if (!isNew) {
            ++ingest.counts().duplicates;
            continue;
        }
        if (!store.writeRepository(repo))
            return ingest.fatal(u"line %1: cannot store the repository"_s.arg(line));
        ++ingest.counts().ingested;
        const qint64 position =
            element.bytes.constData() + element.bytes.size() - document.constData();
        if (!ingest.step(ingest.options().recordBatch, position))
            return false;
    }
    if (!scan.problem.isEmpty())
        ingest.reject(scan.problemLine, scan.problem);
    return true;
}

} // namespace Tasktrail
