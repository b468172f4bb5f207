#pragma once

#include "records/finding.h"
#include "records/templatespec.h"

#include <QHash>
#include <QMap>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace Tasktrail {

class ChainReadAhead;
class RecordStore;
struct SpecRef;
struct TaskChain;

// Where the checker gets a template or policy version from: nullopt when that version is
// not on file. Injected, so the checker does not know whether the specs come from files, the
// database or a test.
template<typename Spec>
using SpecSource = std::function<std::optional<Spec>(const QString &id, const QString &version)>;

struct SpecSources
{
    SpecSource<TemplateSpec> templates;
    SpecSource<PolicySpec> policies;
};

// What one run of the checker did.
struct CheckCounts
{
    int tasks = 0;    // tasks checked (ids without a task are not counted)
    int findings = 0; // findings stored for them
    QMap<Severity, int> bySeverity;

    // "checked 12 tasks: 5 findings (2 high, 3 medium)"
    QString toString() const;
    // Adds the counts of another call (a page of a longer check).
    CheckCounts &operator+=(const CheckCounts &other);
};

// Checks runs against the template and policy versions they name and stores the findings,
// replacing what an earlier check of the same task stored. Each batch of tasks is one
// transaction. Specs are fetched once per id@version for the checker's lifetime (see
// clearCache()).
class ConformanceChecker final
{
public:
    ConformanceChecker(RecordStore &store, SpecSource<TemplateSpec> templates,
                       SpecSource<PolicySpec> policies);
    ConformanceChecker(RecordStore &store, const SpecSources &sources);

    // Tasks checked in one batch, their chains read at once (default defaultBatchSize).
    static constexpr int defaultBatchSize = 500;
    static constexpr int defaultIdPage = 50000;
    void setBatchSize(int tasks) { m_batchSize = qMax(1, tasks); }
    // The task ids a check reads at a time (default 50,000), then checks in batches: a page
    // of ids is a few megabytes, and few pages keep checkAll()'s OFFSET walks short.
    void setIdPage(int ids) { m_idPage = qMax(1, ids); }

    // Reads the chains of later batches on up to `readers` connections of their own while this
    // one checks and stores (chainreadahead.h); without, or when `open` gives none, the store
    // reads each batch itself. readBatches() counts the batches the readers read.
    void setChainReaders(std::function<std::unique_ptr<RecordStore>()> open, int readers);
    qsizetype readBatches() const { return m_readBatches; }

    // Each returns false with *error on a store error; the batch in progress is rolled
    // back, earlier batches stay. counts() tells what the call checked.
    bool checkTasks(const QStringList &ids, QString *error);
    bool checkAll(QString *error);
    // The ids page(after, limit) gives, up to `limit` at a time in id order after `after`
    // (the last id of the page before; empty for the first), until a page of fewer.
    bool checkPages(const std::function<QStringList(const QString &, int)> &page, QString *error);
    // The tasks launched under a template or policy: every version of it when `version` is
    // empty. For re-checking after that document changed.
    bool checkTasksUsing(PolicyDocument::Kind kind, const QString &id, const QString &version,
                         QString *error);

    CheckCounts counts() const { return m_counts; }

    // One chain's findings, with the cached specs; stores nothing.
    QList<Finding> check(const TaskChain &chain);
    void clearCache();

private:
    bool checkBatch(ChainReadAhead &reads, qsizetype index, QString *error);
    const TemplateSpec *templateSpec(const SpecRef &ref);
    const PolicySpec *policySpec(const SpecRef &ref);

    RecordStore &m_store;
    SpecSources m_sources;
    int m_batchSize = defaultBatchSize;
    int m_idPage = defaultIdPage;
    CheckCounts m_counts;
    std::function<std::unique_ptr<RecordStore>()> m_openReader;
    int m_readers = 0;
    qsizetype m_readBatches = 0;
    QHash<QString, std::optional<TemplateSpec>> m_templates;
    QHash<QString, std::optional<PolicySpec>> m_policies;
};

// What the chain's Policy card says about a task's findings: "conforms", or
// "3 findings, worst: high".
struct PolicyVerdict
{
    int findings = 0;
    std::optional<Severity> worst;
    bool checked = true; // false: the run was never checked, so no findings means nothing

    bool conforms() const { return checked && findings == 0; }
    QString text() const;

    static PolicyVerdict of(const QList<Finding> &findings);
    static PolicyVerdict of(const TaskChain &chain);
    // From the stored findings, without loading them.
    static PolicyVerdict of(RecordStore &store, const QString &taskId);
};

} // namespace Tasktrail
