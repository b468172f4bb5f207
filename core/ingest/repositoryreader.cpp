// GitHub's repository listings (GET /orgs/{org}/repos, /user/repos): the known-repositories
// catalogue that launching checks template eligibility against.
#include "fileingest.h"
#include "github/githubshapes.h"
#include "store/recordstore.h"
#include "text/jsonfields.h"

#include <QCryptographicHash>
#include <QJsonArray>
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

bool looksLikeRepositoryList(const QByteArray &document)
{
    const QJsonDocument doc = QJsonDocument::fromJson(document);
    if (!doc.isArray() || doc.array().isEmpty())
        return false;
    return isRepository(doc.array().first().toObject());
}

bool ingestRepositoryList(FileIngest &ingest, const QByteArray &document)
{
    const QJsonArray repos = QJsonDocument::fromJson(document).array();
    const QList<qint64> lines = GitHub::elementLines(document, {});
    if (!ingest.ensureBatch())
        return false;
    RecordStore &store = ingest.store();
    const qint64 perRepo = repos.isEmpty() ? 0 : document.size() / repos.size();
    for (qsizetype i = 0; i < repos.size(); ++i) {
        const qint64 line = lines.value(i, 1);
        const QJsonObject object = repos.at(i).toObject();
        if (!isRepository(object)) {
            ingest.reject(line, u"not a GitHub repository object (full_name, default_branch, "
                                "archived)"_s);
            continue;
        }
        JsonFields f(object);
        KnownRepository repo;
        repo.name = f.string("full_name"_L1, JsonFields::Required);
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
        const QByteArray hash = QCryptographicHash::hash(
            QByteArray("repository:" + QJsonDocument(object).toJson(QJsonDocument::Compact)),
            QCryptographicHash::Sha256);
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
        if (!ingest.step(ingest.options().recordBatch, perRepo * (i + 1)))
            return false;
    }
    return true;
}

} // namespace Tasktrail
