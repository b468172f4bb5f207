#include "findingsverify.h"

#include "conformance.h"
#include "store/recordstore.h"
#include "storedspecs.h"

#include <QMultiHash>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Pages of task ids, and chains read at once, as ConformanceChecker::checkAll() reads them.
constexpr int idPage = ConformanceChecker::defaultIdPage;
constexpr int chainBatch = ConformanceChecker::defaultBatchSize;

// What names one finding of a task: its rule and where its evidence is. Two findings with the
// same key are the same finding; what else differs between them was edited.
QString keyOf(const Finding &f)
{
    return f.rule % QChar(0) % toString(f.evidenceKind) % QChar(0) % f.evidenceRef % QChar(0) %
           QString::number(f.commandSeq) % QChar(0) % QString::number(f.lineNo);
}

// "high host_not_allowed (contact paste.example.net)"
QString describe(const Finding &f)
{
    QString where = toString(f.evidenceKind);
    if (!f.evidenceRef.isEmpty())
        where += u' ' % f.evidenceRef;
    if (f.commandSeq > 0)
        where += u" command "_s % QString::number(f.commandSeq);
    if (f.lineNo > 0)
        where += u" line "_s % QString::number(f.lineNo);
    return toString(f.severity) % u' ' % f.rule % u" ("_s % where % u')';
}

// The fields of two findings with the same key that differ, as "severity: stored low, a check
// gives high".
QStringList differences(const Finding &stored, const Finding &fresh)
{
    QStringList out;
    const auto compare = [&out](const char *field, const QString &a, const QString &b) {
        if (a != b)
            out << u"%1: stored '%2', a check gives '%3'"_s.arg(QLatin1StringView(field), a, b);
    };
    compare("severity", toString(stored.severity), toString(fresh.severity));
    compare("message", stored.message, fresh.message);
    compare("time", stored.at.toString(Qt::ISODateWithMs), fresh.at.toString(Qt::ISODateWithMs));
    compare("template", stored.templateId % u'@' % stored.templateVersion,
            fresh.templateId % u'@' % fresh.templateVersion);
    compare("policy", stored.policyId % u'@' % stored.policyVersion,
            fresh.policyId % u'@' % fresh.policyVersion);
    return out;
}

void compareTask(const QString &taskId, const QList<StoredFinding> &stored,
                 const QList<Finding> &fresh, QList<EvidenceProblem> &problems)
{
    QMultiHash<QString, const Finding *> expected;
    for (const Finding &f : fresh)
        expected.insert(keyOf(f), &f);
    const auto problem = [&](const QString &text) {
        problems << EvidenceProblem{0, u"finding"_s, taskId, text};
    };
    for (const StoredFinding &s : stored) {
        const auto it = expected.find(keyOf(s.finding));
        const QString row = u"row %1, "_s.arg(s.id) % describe(s.finding) % u": "_s;
        if (it == expected.end()) {
            problem(row % u"stored, but a check of the run does not give it"_s);
            continue;
        }
        const QStringList changed = differences(s.finding, **it);
        if (!changed.isEmpty())
            problem(row % u"edited after the check: "_s % changed.join(u"; "_s));
        expected.erase(it);
    }
    for (const Finding &f : fresh) {
        if (expected.contains(keyOf(f), &f))
            problem(describe(f) % u": missing: a check of the run gives it (deleted after the "
                                  "check, or the check is out of date)"_s);
    }
}

} // namespace

void verifyFindings(RecordStore &store, EvidenceReport &report)
{
    ConformanceChecker checker(store, storedSpecSources(store));
    qint64 checked = 0;
    qint64 findings = 0;
    for (int offset = 0;; offset += idPage) {
        const QStringList ids = store.taskIds(offset, idPage);
        // Each what taskChainOutline() gives, read with a fixed number of statements per batch
        // instead of several per task.
        QList<std::optional<TaskChain>> chains;
        for (qsizetype i = 0; i < ids.size(); ++i) {
            if (i % chainBatch == 0)
                chains = store.taskChainOutlines(ids.mid(i, chainBatch));
            const QString &id = ids.at(i);
            const std::optional<TaskChain> &chain = chains.at(i % chainBatch);
            if (!chain)
                continue;
            const QList<Finding> fresh = checker.check(*chain);
            if (!chain->checkedAt) {
                if (!fresh.isEmpty())
                    report.problems << EvidenceProblem{
                        0, u"task"_s, id,
                        u"never checked, but a check gives %1 findings, the worst %2 "
                        "(its findings deleted with its check?); tasktrail-cli check --task %3 "
                        "stores them"_s.arg(fresh.size())
                            .arg(toString(PolicyVerdict::of(fresh).worst.value_or(Severity::Info)))
                            .arg(id)};
                continue;
            }
            ++checked;
            const QList<StoredFinding> stored = store.storedFindings(id);
            findings += stored.size();
            compareTask(id, stored, fresh, report.problems);
        }
        if (ids.size() < idPage)
            break;
    }
    report.covered << EvidenceCoverage{
        u"findings"_s, findings,
        u"the %1 checked tasks checked again against the template and policy versions on "
        "file, and compared"_s.arg(checked)};
}

} // namespace Tasktrail
