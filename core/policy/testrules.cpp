// Required tests: that they ran, that they passed before the PR, and that nothing was pushed
// while one was failing.
#include "records/templatespec.h"
#include "rulecontext.h"
#include "text/glob.h"

#include <QHash>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail::Rules {
namespace {

bool isFailure(const QString &outcome)
{
    return outcome.compare(u"failed", Qt::CaseInsensitive) == 0 ||
           outcome.compare(u"error", Qt::CaseInsensitive) == 0;
}

bool startsWithWords(const QString &line, QStringView words)
{
    return line.startsWith(words) && (line.size() == words.size() || line.at(words.size()) == u' ');
}

bool isPush(const CommandRecord &command)
{
    const QString line = commandLine(command);
    return startsWithWords(line, u"git push") || startsWithWords(line, u"gh pr create");
}

// Whether `a` ran before `b`: by seq when both have one, else by time; false when neither
// tells.
bool ranBefore(const CommandRecord &a, const CommandRecord &b)
{
    if (a.seq > 0 && b.seq > 0)
        return a.seq < b.seq;
    const QDateTime aAt = a.endedAt.isValid() ? a.endedAt : a.startedAt;
    const QDateTime bAt = b.startedAt.isValid() ? b.startedAt : b.endedAt;
    return aAt.isValid() && bAt.isValid() && aAt <= bAt;
}

// The tests of a run that required tests match, each with its results in the order their
// commands ran.
class RequiredResults
{
public:
    RequiredResults(const TaskChain &chain, const TemplateSpec &tmpl)
    {
        const QList<CommandRecord> commands = commandsOf(chain);
        for (const CommandRecord &c : commands)
            m_commands.insert(c.seq, c);
        for (const TestResult &r : chain.task.tests) {
            if (!matchesAny(tmpl.requiredTests, r.name))
                continue;
            if (!m_results.contains(r.name))
                m_names << r.name;
            auto &list = m_results[r.name];
            // Stable: results without a command keep their place before the placed ones.
            const auto at = std::upper_bound(list.begin(), list.end(), r,
                                             [](const TestResult &x, const TestResult &y) {
                                                 return x.commandSeq < y.commandSeq;
                                             });
            list.insert(at, r);
        }
    }

    const QStringList &names() const { return m_names; }
    const TestResult &latest(const QString &name) const { return m_results[name].constLast(); }

    // The command a result came from: the recorded one, or just its seq when the command
    // itself was never delivered.
    CommandRecord commandOf(const TestResult &r) const
    {
        CommandRecord stub;
        stub.seq = r.commandSeq;
        return m_commands.value(r.commandSeq, stub);
    }

    // The last result of `name` from a command that ran before `command`, if any.
    const TestResult *lastBefore(const QString &name, const CommandRecord &command) const
    {
        const QList<TestResult> &list = m_results[name];
        for (auto it = list.crbegin(); it != list.crend(); ++it) {
            if (it->commandSeq > 0 && ranBefore(commandOf(*it), command))
                return &*it;
        }
        return nullptr;
    }

private:
    QHash<int, CommandRecord> m_commands;
    QHash<QString, QList<TestResult>> m_results;
    QStringList m_names;
};

void checkFailingAtPullRequest(const TaskChain &chain, const RequiredResults &results,
                               FindingSink &sink)
{
    if (!chain.pullRequest)
        return;
    const PullRequestRecord &pr = *chain.pullRequest;
    for (const QString &name : results.names()) {
        const TestResult &last = results.latest(name);
        if (!isFailure(last.outcome))
            continue;
        const CommandRecord command = results.commandOf(last);
        const QDateTime ended = command.endedAt.isValid() ? command.endedAt : command.startedAt;
        // Without both times the PR's existence is all there is to go on.
        if (ended.isValid() && pr.createdAt.isValid() && pr.createdAt <= ended)
            continue;
        sink.add(u"required_test_failing",
                 u"Required test %1 was failing (%2) when pull request #%3 was opened."_s.arg(
                     name, last.outcome.toLower(), QString::number(pr.number)),
                 EvidenceKind::Test, name, last.commandSeq, ended);
    }
}

void checkPushes(const TaskChain &chain, const RequiredResults &results, FindingSink &sink)
{
    for (const CommandRecord &command : commandsOf(chain)) {
        if (!isPush(command))
            continue;
        QStringList failing;
        for (const QString &name : results.names()) {
            const TestResult *before = results.lastBefore(name, command);
            if (before && isFailure(before->outcome))
                failing << name;
        }
        if (failing.isEmpty())
            continue;
        const QString tests = failing.size() == 1
                                  ? u"required test %1 was"_s.arg(failing.constFirst())
                                  : u"required tests %1 were"_s.arg(failing.join(u", "_s));
        sink.add(u"pushed_after_failing_test",
                 u"Command %1 `%2` ran while %3 failing."_s.arg(QString::number(command.seq),
                                                                shortCommandLine(command), tests),
                 EvidenceKind::Command, shortCommandLine(command), command.seq, command.startedAt);
    }
}

} // namespace

void checkTests(const TaskChain &chain, const TemplateSpec &tmpl, FindingSink &sink)
{
    // A missing test matters for work that was delivered: a run that completed or opened a
    // pull request. A run still queued or running, or one that failed or was cancelled before
    // its tests, has not skipped them.
    const bool delivered =
        chain.task.state == TaskState::Completed || chain.pullRequest.has_value();
    for (const QString &pattern : delivered ? tmpl.requiredTests : QStringList()) {
        const bool ran =
            std::any_of(chain.task.tests.cbegin(), chain.task.tests.cend(),
                        [&pattern](const TestResult &r) { return globMatch(pattern, r.name); });
        if (!ran)
            sink.add(u"required_test_missing",
                     u"No test matching required test %1 of template %2 ran."_s.arg(
                         pattern, sink.templateRef().toString()),
                     EvidenceKind::Test, pattern);
    }
    const RequiredResults results(chain, tmpl);
    checkFailingAtPullRequest(chain, results, sink);
    checkPushes(chain, results, sink);
}

} // namespace Tasktrail::Rules
