#include "runcomparison.h"

#include "store/taskqueries.h"

#include <QFileInfo>
#include <QMap>
#include <QSet>

#include <algorithm>
#include <functional>
#include <vector>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

enum class Step : char
{
    Same,
    OnlyA,
    OnlyB,
};

struct Aligned
{
    Step step;
    qsizetype a; // -1 for OnlyB
    qsizetype b; // -1 for OnlyA
};

// The longest common subsequence of a[0..n) and b[0..m) under `equal`, as a walk over both:
// each element of a and of b appears once, in order. The common start and end are matched
// first, without a table; a middle larger than maxAlignCells is not aligned but listed as
// removed, then added (*approximate says so). Where two alignments are equally long, the one
// that lists A's element first is taken, as diff does.
QList<Aligned> align(qsizetype n, qsizetype m,
                     const std::function<bool(qsizetype, qsizetype)> &equal, bool *approximate)
{
    QList<Aligned> out;
    qsizetype head = 0;
    while (head < n && head < m && equal(head, head))
        ++head;
    qsizetype tail = 0;
    while (tail < n - head && tail < m - head && equal(n - 1 - tail, m - 1 - tail))
        ++tail;
    for (qsizetype k = 0; k < head; ++k)
        out.append({Step::Same, k, k});
    const qsizetype rows = n - head - tail;
    const qsizetype cols = m - head - tail;
    *approximate = qint64(rows) * qint64(cols) > RunComparison::maxAlignCells;
    if (*approximate) {
        for (qsizetype i = 0; i < rows; ++i)
            out.append({Step::OnlyA, head + i, -1});
        for (qsizetype j = 0; j < cols; ++j)
            out.append({Step::OnlyB, -1, head + j});
    } else {
        // lcs[i * width + j]: the longest common subsequence of the middles from i and j on.
        const qsizetype width = cols + 1;
        std::vector<int> lcs(size_t((rows + 1) * width), 0);
        const auto at = [&lcs, width](qsizetype i, qsizetype j) -> int & {
            return lcs[size_t(i * width + j)];
        };
        for (qsizetype i = rows - 1; i >= 0; --i) {
            for (qsizetype j = cols - 1; j >= 0; --j)
                at(i, j) = equal(head + i, head + j) ? at(i + 1, j + 1) + 1
                                                     : std::max(at(i + 1, j), at(i, j + 1));
        }
        qsizetype i = 0;
        qsizetype j = 0;
        while (i < rows || j < cols) {
            if (i < rows && j < cols && equal(head + i, head + j))
                out.append({Step::Same, head + i++, head + j++});
            else if (i < rows && (j == cols || at(i + 1, j) >= at(i, j + 1)))
                out.append({Step::OnlyA, head + i++, -1});
            else
                out.append({Step::OnlyB, -1, head + j++});
        }
    }
    for (qsizetype k = tail; k > 0; --k)
        out.append({Step::Same, n - k, m - k});
    return out;
}

RunComparison::Sets compareSets(const QStringList &a, const QStringList &b)
{
    const QSet<QString> inA(a.cbegin(), a.cend());
    const QSet<QString> inB(b.cbegin(), b.cend());
    RunComparison::Sets sets;
    for (const QString &value : inA)
        (inB.contains(value) ? sets.both : sets.onlyA) << value;
    for (const QString &value : inB) {
        if (!inA.contains(value))
            sets.onlyB << value;
    }
    sets.both.sort();
    sets.onlyA.sort();
    sets.onlyB.sort();
    return sets;
}

template<typename T, typename Key> QStringList valuesOf(const QList<T> &list, Key key)
{
    QStringList out;
    for (const T &item : list) {
        if (const QString value = key(item); !value.isEmpty())
            out << value;
    }
    return out;
}

QList<RunComparison::TestPair> pairTests(const QList<TestResult> &a, const QList<TestResult> &b)
{
    // A name run twice (a retry) keeps its last outcome: the one the run ended with.
    QMap<QString, RunComparison::TestPair> byName;
    for (const TestResult &t : a) {
        byName[t.name].name = t.name;
        byName[t.name].outcomeA = t.outcome;
    }
    for (const TestResult &t : b) {
        byName[t.name].name = t.name;
        byName[t.name].outcomeB = t.outcome;
    }
    return byName.values();
}

std::optional<qint64> between(const QDateTime &from, const QDateTime &to)
{
    if (!from.isValid() || !to.isValid() || to < from)
        return std::nullopt;
    return from.msecsTo(to);
}

} // namespace

QStringList RunComparison::normalisedCommand(const CommandRecord &command, const TaskRecord &task)
{
    QStringList argv = command.argv;
    if (!argv.isEmpty() && argv.constFirst().contains(u'/'))
        argv.first() = QFileInfo(argv.constFirst()).fileName();
    const QString repoName = task.repo.section(u'/', 1);
    for (QString &arg : argv) {
        if (!task.id.isEmpty())
            arg.replace(task.id, u"<task>"_s);
        if (task.repo.contains(u'/') && !repoName.isEmpty()) {
            arg.replace(task.repo, u"<repo>"_s);
            if (arg == repoName)
                arg = u"<repo>"_s;
        }
    }
    return argv;
}

RunComparison::Links RunComparison::linksOf(const TaskChain &c)
{
    const auto versioned = [](const QString &id, const QString &version) {
        return id.isEmpty() || version.isEmpty() ? id : id % u'@' % version;
    };
    Links links;
    if (c.request) {
        QStringList about;
        for (const QString &part : {c.request->correlationId, c.request->requester}) {
            if (!part.isEmpty())
                about << part;
        }
        links.request =
            about.isEmpty() ? c.request->id : c.request->id % u" ("_s % about.join(u", "_s) % u')';
    } else {
        links.request = c.task.requestId;
    }
    if (c.identity) {
        const QString who =
            c.identity->principal.isEmpty() ? c.identity->id : c.identity->principal;
        links.identity = c.identity->kind == IdentityKind::Unknown
                             ? who
                             : who % u" ("_s % toString(c.identity->kind) % u')';
    } else {
        links.identity = c.task.identityId;
    }
    links.policy = c.policy ? versioned(c.policy->id, c.policy->version)
                            : versioned(c.task.policyId, c.task.policyVersion);
    links.taskTemplate = c.taskTemplate ? versioned(c.taskTemplate->id, c.taskTemplate->version)
                                        : versioned(c.task.templateId, c.task.templateVersion);
    if (c.pullRequest) {
        const PullRequestRecord &pr = *c.pullRequest;
        const QString state = pr.merged() ? u"merged"_s : pr.draft ? u"draft"_s : pr.state;
        links.pullRequest =
            u"#%1 %2, %3 review(s)"_s.arg(pr.number).arg(state).arg(c.reviews.size());
    } else if (c.task.prNumber) {
        links.pullRequest = u"#%1"_s.arg(*c.task.prNumber);
    }
    return links;
}

std::optional<qint64> RunComparison::durationMs(const TaskRecord &task)
{
    return between(task.startedAt, task.completedAt);
}

std::optional<qint64> RunComparison::durationMs(const CommandRecord &command)
{
    return between(command.startedAt, command.endedAt);
}

RunComparison RunComparison::of(const TaskChain &a, const TaskChain &b)
{
    RunComparison c;
    c.a = a;
    c.b = b;
    QList<QStringList> linesA;
    QList<QStringList> linesB;
    for (const TaskChain::Command &command : a.commands)
        linesA << normalisedCommand(command.record, a.task);
    for (const TaskChain::Command &command : b.commands)
        linesB << normalisedCommand(command.record, b.task);
    const QList<Aligned> steps = align(
        linesA.size(), linesB.size(),
        [&linesA, &linesB](qsizetype i, qsizetype j) { return linesA.at(i) == linesB.at(j); },
        &c.commandsApproximate);
    for (const Aligned &s : steps) {
        AlignedCommand row{Match::Same, s.a, s.b};
        if (s.step == Step::OnlyA) {
            row.match = Match::OnlyA;
        } else if (s.step == Step::OnlyB) {
            row.match = Match::OnlyB;
        } else {
            const auto &exitA = a.commands.at(row.a).record.exitCode;
            const auto &exitB = b.commands.at(row.b).record.exitCode;
            if (!exitA || !exitB || *exitA != *exitB)
                row.match = Match::ExitDiffers;
        }
        c.commands << row;
    }
    const auto path = [](const FileChange &f) { return f.path; };
    const auto host = [](const ExternalContact &h) { return h.host; };
    const auto rule = [](const Finding &f) { return f.rule; };
    c.files = compareSets(valuesOf(a.task.filesChanged, path), valuesOf(b.task.filesChanged, path));
    c.hosts = compareSets(valuesOf(a.task.contacts, host), valuesOf(b.task.contacts, host));
    c.findingRules = compareSets(valuesOf(a.findings, rule), valuesOf(b.findings, rule));
    c.tests = pairTests(a.task.tests, b.task.tests);
    return c;
}

QString toString(RunComparison::Match match)
{
    switch (match) {
    case RunComparison::Match::Same:
        return u"same"_s;
    case RunComparison::Match::OnlyA:
        return u"only_a"_s;
    case RunComparison::Match::OnlyB:
        return u"only_b"_s;
    case RunComparison::Match::ExitDiffers:
        return u"exit_differs"_s;
    }
    return {};
}

LogDiff LogDiff::ofLines(const QStringList &a, const QStringList &b)
{
    LogDiff diff;
    diff.linesA = a.size();
    diff.linesB = b.size();
    const QList<Aligned> steps = align(
        a.size(), b.size(), [&a, &b](qsizetype i, qsizetype j) { return a.at(i) == b.at(j); },
        &diff.approximate);
    for (const Aligned &s : steps) {
        switch (s.step) {
        case Step::Same:
            diff.lines.append({Op::Same, s.a + 1, s.b + 1, a.at(s.a)});
            break;
        case Step::OnlyA:
            diff.lines.append({Op::OnlyA, s.a + 1, 0, a.at(s.a)});
            break;
        case Step::OnlyB:
            diff.lines.append({Op::OnlyB, 0, s.b + 1, b.at(s.b)});
            break;
        }
    }
    return diff;
}

namespace {

// Up to `limit` lines of a command's log, a page at a time.
QStringList readLines(TaskQueries &store, const TaskChain::Command *command, int limit)
{
    QStringList out;
    if (!command)
        return out;
    constexpr int page = 500;
    qint64 from = 1;
    while (out.size() < limit) {
        const QList<LogLine> lines =
            store.logLines(command->key, from, int(std::min<qsizetype>(page, limit - out.size())));
        for (const LogLine &line : lines)
            out << QString::fromUtf8(line.text);
        if (lines.isEmpty())
            break;
        from = lines.constLast().lineNo + 1;
    }
    return out;
}

} // namespace

LogDiff LogDiff::of(TaskQueries &store, const TaskChain::Command *a, const TaskChain::Command *b,
                    int lineLimit)
{
    const QStringList linesA = readLines(store, a, lineLimit);
    const QStringList linesB = readLines(store, b, lineLimit);
    LogDiff diff = ofLines(linesA, linesB);
    diff.linesA = a ? std::max<qint64>(a->logLines, linesA.size()) : 0;
    diff.linesB = b ? std::max<qint64>(b->logLines, linesB.size()) : 0;
    diff.truncated = diff.linesA > linesA.size() || diff.linesB > linesB.size();
    return diff;
}

bool LogDiff::changed() const
{
    return std::any_of(lines.cbegin(), lines.cend(),
                       [](const Line &line) { return line.op != Op::Same; });
}

QString toString(LogDiff::Op op)
{
    switch (op) {
    case LogDiff::Op::Same:
        return u"same"_s;
    case LogDiff::Op::OnlyA:
        return u"only_a"_s;
    case LogDiff::Op::OnlyB:
        return u"only_b"_s;
    }
    return {};
}

} // namespace Tasktrail
