#include "storedspecs.h"

#include "policyfile.h"
#include "store/recordstore.h"

#include <QScopeGuard>
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

bool checkAfterIngest(RecordStore &store, const QStringList &touchedTaskIds,
                      const QList<PolicyDocument> &loadedDocuments, CheckCounts *counts,
                      QString *error)
{
    // Another writer's check (or its newer documents) waits for this one, or this one for it.
    if (!store.lockChecks()) {
        *error = store.errorString();
        return false;
    }
    const auto unlock = qScopeGuard([&store] { store.unlockChecks(); });
    QStringList ids = touchedTaskIds;
    // Runs an earlier ingest committed but was killed before checking.
    const QStringList unchecked = store.uncheckedTaskIds();
    ids.reserve(ids.size() + unchecked.size());
    ids += unchecked;
    // Sorted, the duplicates are neighbours: removeDuplicates() would hash every id again.
    const auto sortedUnique = [](QStringList &list) {
        list.sort();
        list.erase(std::unique(list.begin(), list.end()), list.end());
    };
    sortedUnique(ids);
    // The runs that name a document stored now, looked up in the sorted ids: a set of them
    // would hold another copy of every id (100,000 at demo scale 100).
    QStringList naming;
    for (const PolicyDocument &doc : loadedDocuments) {
        const bool isTemplate = doc.kind == PolicyDocument::Kind::Template;
        for (const QString &id : store.taskIdsUsing(doc.id, doc.version, isTemplate)) {
            if (!std::binary_search(ids.cbegin(), ids.cend(), id))
                naming << id;
        }
    }
    sortedUnique(naming);
    ids += naming;
    ConformanceChecker checker(store, storedSpecSources(store));
    const bool ok = checker.checkTasks(ids, error);
    if (counts)
        *counts = checker.counts();
    return ok;
}

} // namespace Tasktrail
