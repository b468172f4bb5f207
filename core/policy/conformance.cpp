#include "conformance.h"

#include "chainreadahead.h"
#include "rules.h"
#include "store/recordredaction.h"
#include "store/recordstore.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

QString cacheKey(const SpecRef &ref)
{
    return ref.id % QChar(0) % ref.version;
}

template<typename Spec>
const Spec *cached(QHash<QString, std::optional<Spec>> &cache, const SpecSource<Spec> &source,
                   const SpecRef &ref)
{
    if (ref.isEmpty())
        return nullptr;
    const QString key = cacheKey(ref);
    auto it = cache.find(key);
    if (it == cache.end())
        it = cache.insert(key, source ? source(ref.id, ref.version) : std::nullopt);
    return it->has_value() ? &**it : nullptr;
}

// Whether `findings` are what the store holds for the chain already: the same findings, as the
// store keeps them (redacted, most severe first, then in the order written). A task checked
// before whose check gives the same findings again is left as it is, rows and row ids included.
bool sameAsStored(const TaskChain &chain, const QList<Finding> &findings)
{
    if (!chain.checkedAt || chain.findings.size() != findings.size())
        return false;
    QList<Finding> given = findings;
    for (Finding &f : given)
        RecordRedaction::redact(f);
    std::stable_sort(given.begin(), given.end(),
                     [](const Finding &a, const Finding &b) { return a.severity > b.severity; });
    return given == chain.findings;
}

} // namespace

CheckCounts &CheckCounts::operator+=(const CheckCounts &other)
{
    tasks += other.tasks;
    findings += other.findings;
    for (auto it = other.bySeverity.cbegin(); it != other.bySeverity.cend(); ++it)
        bySeverity[it.key()] += it.value();
    return *this;
}

QString CheckCounts::toString() const
{
    QString text = u"checked %1 %2: %3 %4"_s.arg(tasks)
                       .arg(tasks == 1 ? u"task"_s : u"tasks"_s)
                       .arg(findings)
                       .arg(findings == 1 ? u"finding"_s : u"findings"_s);
    QStringList parts;
    for (auto it = bySeverity.cbegin(); it != bySeverity.cend(); ++it) {
        if (it.value() > 0)
            parts.prepend(u"%1 %2"_s.arg(it.value()).arg(Tasktrail::toString(it.key())));
    }
    if (!parts.isEmpty())
        text += u" ("_s % parts.join(u", "_s) % u')';
    return text;
}

ConformanceChecker::ConformanceChecker(RecordStore &store, SpecSource<TemplateSpec> templates,
                                       SpecSource<PolicySpec> policies)
    : m_store(store)
    , m_sources{std::move(templates), std::move(policies)}
{}

ConformanceChecker::ConformanceChecker(RecordStore &store, const SpecSources &sources)
    : ConformanceChecker(store, sources.templates, sources.policies)
{}

void ConformanceChecker::setChainReaders(std::function<std::unique_ptr<RecordStore>()> open,
                                         int readers)
{
    m_openReader = std::move(open);
    m_readers = qMax(0, readers);
}

void ConformanceChecker::clearCache()
{
    m_templates.clear();
    m_policies.clear();
}

const TemplateSpec *ConformanceChecker::templateSpec(const SpecRef &ref)
{
    return cached(m_templates, m_sources.templates, ref);
}

const PolicySpec *ConformanceChecker::policySpec(const SpecRef &ref)
{
    return cached(m_policies, m_sources.policies, ref);
}

QList<Finding> ConformanceChecker::check(const TaskChain &chain)
{
    return checkTask(chain, templateSpec(templateRef(chain)), policySpec(policyRef(chain)));
}

bool ConformanceChecker::checkBatch(ChainReadAhead &reads, qsizetype index, QString *error)
{
    if (!m_store.beginBatch()) {
        if (error)
            *error = m_store.errorString();
        return false;
    }
    CheckCounts batch;
    // One read of the whole batch: a fixed number of statements, not several per task, and
    // only what the rules read; read ahead on another connection, or here.
    const QStringList ids = reads.batchIds(index);
    ChainReadAhead::Chains chains = reads.take(index);
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const QString &id = ids.at(i);
        const std::optional<TaskChain> &chain = chains.at(i);
        if (!chain)
            continue;
        const QList<Finding> findings = check(*chain);
        if (!sameAsStored(*chain, findings) && !m_store.replaceFindings(id, findings)) {
            if (error)
                *error =
                    u"cannot store the findings of task %1: %2"_s.arg(id, m_store.errorString());
            m_store.rollbackBatch();
            return false;
        }
        ++batch.tasks;
        batch.findings += int(findings.size());
        for (const Finding &f : findings)
            ++batch.bySeverity[f.severity];
    }
    reads.release(std::move(chains));
    if (!m_store.commitBatch()) {
        if (error)
            *error = m_store.errorString();
        m_store.rollbackBatch();
        return false;
    }
    // Counted only once committed, so the counts say what the database holds.
    m_counts += batch;
    return true;
}

bool ConformanceChecker::checkTasks(const QStringList &ids, QString *error)
{
    m_counts = {};
    ChainReadAhead reads(m_store, ids, m_batchSize, m_openReader, m_readers);
    for (qsizetype index = 0; index < reads.batches(); ++index) {
        if (!checkBatch(reads, index, error))
            return false;
    }
    m_readBatches += reads.readByReaders();
    return true;
}

bool ConformanceChecker::checkPages(const std::function<QStringList(const QString &, int)> &page,
                                    QString *error)
{
    CheckCounts total;
    QString after;
    for (;;) {
        const QStringList ids = page(after, m_idPage);
        if (!checkTasks(ids, error))
            return false;
        total += m_counts;
        if (ids.size() < m_idPage)
            break;
        after = ids.last();
    }
    m_counts = total;
    return true;
}

bool ConformanceChecker::checkAll(QString *error)
{
    int offset = 0;
    return checkPages(
        [this, &offset](const QString &, int limit) {
            const QStringList ids = m_store.taskIds(offset, limit);
            offset += limit;
            return ids;
        },
        error);
}

bool ConformanceChecker::checkTasksUsing(PolicyDocument::Kind kind, const QString &id,
                                         const QString &version, QString *error)
{
    const bool isTemplate = kind == PolicyDocument::Kind::Template;
    return checkPages(
        [&](const QString &after, int limit) {
            return m_store.taskIdsUsing(id, version, isTemplate, after, limit);
        },
        error);
}

QString PolicyVerdict::text() const
{
    if (!checked)
        return u"not checked"_s;
    if (conforms())
        return u"conforms"_s;
    return u"%1 %2, worst: %3"_s.arg(findings)
        .arg(findings == 1 ? u"finding"_s : u"findings"_s)
        .arg(toString(worst.value_or(Severity::Info)));
}

PolicyVerdict PolicyVerdict::of(const QList<Finding> &findings)
{
    PolicyVerdict v;
    v.findings = int(findings.size());
    for (const Finding &f : findings) {
        if (!v.worst || f.severity > *v.worst)
            v.worst = f.severity;
    }
    return v;
}

PolicyVerdict PolicyVerdict::of(const TaskChain &chain)
{
    PolicyVerdict v = of(chain.findings);
    v.checked = chain.checkedAt.has_value();
    return v;
}

PolicyVerdict PolicyVerdict::of(RecordStore &store, const QString &taskId)
{
    return {store.findingCount(taskId), store.worstFinding(taskId),
            store.checkedAt(taskId).has_value()};
}

} // namespace Tasktrail
