#include "storedspecs.h"

#include "policyfile.h"
#include "store/recordstore.h"

#include <QScopeGuard>
#include <QThread>

#include <algorithm>

namespace Tasktrail {
namespace {

template<typename Spec, typename Parse>
SpecSource<Spec> storedSource(RecordStore &store, PolicyDocument::Kind kind, Parse parse)
{
    return [&store, kind, parse](const QString &id, const QString &version) -> std::optional<Spec> {
        const std::optional<PolicyDocument> doc = store.policyDocument(kind, id, version);
        if (!doc)
            return std::nullopt;
        QList<PolicyFileError> errors;
        return parse(doc->sourcePath, doc->text.toUtf8(), &errors);
    };
}

} // namespace

SpecSources storedSpecSources(RecordStore &store)
{
    return {storedSource<TemplateSpec>(store, PolicyDocument::Kind::Template, parseTemplate),
            storedSource<PolicySpec>(store, PolicyDocument::Kind::Policy, parsePolicy)};
}

void readChainsAhead(ConformanceChecker &checker, const RecordStore &store)
{
    // One reader alone is slower than none: the checking thread waits for it, and it reads on
    // a second connection what the first would have read.
    const int cores = QThread::idealThreadCount();
    if (cores < 2)
        return;
    checker.setChainReaders([&store] { return openReader(store, nullptr); }, std::min(cores, 3));
}

bool checkAfterIngest(RecordStore &store, RunKeys &runTasks,
                      const QList<PolicyDocument> &loadedDocuments, CheckCounts *counts,
                      QString *error)
{
    // Another writer's check (or its newer documents) waits for this one, or this one for it.
    if (!store.lockChecks()) {
        *error = store.errorString();
        return false;
    }
    const auto unlock = qScopeGuard([&store] { store.unlockChecks(); });
    // Runs an earlier ingest committed but was killed before checking (in a new database,
    // every run it wrote), and the runs that name a document stored now, each read a page at
    // a time. The keys are a set: a run named twice is checked once.
    constexpr int idPage = 50000; // as many as the checker reads at a time
    const auto addPages = [&runTasks](const auto &page) {
        for (QString after;;) {
            const QStringList ids = page(after);
            runTasks.addTasks(ids);
            if (ids.size() < idPage)
                return;
            after = ids.last();
        }
    };
    addPages([&store](const QString &after) { return store.uncheckedTaskIds(after, idPage); });
    for (const PolicyDocument &doc : loadedDocuments) {
        const bool isTemplate = doc.kind == PolicyDocument::Kind::Template;
        addPages([&](const QString &after) {
            return store.taskIdsUsing(doc.id, doc.version, isTemplate, after, idPage);
        });
    }
    ConformanceChecker checker(store, storedSpecSources(store));
    readChainsAhead(checker, store);
    RunKeys::TaskWalk walk;
    if (!checker.checkPages(
            [&runTasks, &walk](const QString &, int limit) {
                return runTasks.nextTasks(walk, limit);
            },
            error))
        return false;
    // A walk that stopped on an error gave a short page: the check ended early.
    if (!runTasks.ok()) {
        *error = runTasks.errorString();
        return false;
    }
    if (counts)
        *counts = checker.counts();
    return true;
}

bool checkAfterIngest(RecordStore &store, const QStringList &touchedTaskIds,
                      const QList<PolicyDocument> &loadedDocuments, CheckCounts *counts,
                      QString *error)
{
    RunKeys keys;
    keys.addTasks(touchedTaskIds);
    return checkAfterIngest(store, keys, loadedDocuments, counts, error);
}

} // namespace Tasktrail
