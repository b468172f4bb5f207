#include "comparisonjson.h"

#include "findingjson.h"
#include "runsentence.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace Tasktrail::RecordJson {
namespace {

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

template<typename T> QJsonValue numberOrNull(const std::optional<T> &value)
{
    return value ? QJsonValue(double(*value)) : QJsonValue();
}

QJsonObject side(const TaskChain &c)
{
    const RunComparison::Links links = RunComparison::linksOf(c);
    int failed = 0;
    for (const TaskChain::Command &command : c.commands) {
        if (command.record.exitCode && *command.record.exitCode != 0)
            ++failed;
    }
    QJsonObject out;
    out.insert(u"task"_s, c.task.id);
    out.insert(u"repo"_s, textOrNull(c.task.repo));
    out.insert(u"state"_s, toString(c.task.state));
    out.insert(u"sentence"_s, RunSentence::of(c));
    out.insert(u"request"_s, textOrNull(links.request));
    out.insert(u"identity"_s, textOrNull(links.identity));
    out.insert(u"policy"_s, textOrNull(links.policy));
    out.insert(u"template"_s, textOrNull(links.taskTemplate));
    out.insert(u"pull_request"_s, textOrNull(links.pullRequest));
    out.insert(u"duration_ms"_s, numberOrNull(RunComparison::durationMs(c.task)));
    out.insert(u"commands"_s, double(c.commands.size()));
    out.insert(u"failed_commands"_s, failed);
    out.insert(u"checked"_s, c.checkedAt.has_value());
    out.insert(u"findings"_s, findings(c.findings));
    return out;
}

QJsonValue command(const TaskChain &c, qsizetype index)
{
    if (index < 0)
        return QJsonValue();
    const TaskChain::Command &command = c.commands.at(index);
    QJsonObject out;
    out.insert(u"seq"_s, command.record.seq);
    out.insert(u"argv"_s, QJsonArray::fromStringList(command.record.argv));
    out.insert(u"exit_code"_s, numberOrNull(command.record.exitCode));
    out.insert(u"duration_ms"_s, numberOrNull(RunComparison::durationMs(command.record)));
    out.insert(u"log_lines"_s, double(command.logLines));
    return out;
}

QJsonObject sets(const RunComparison::Sets &s)
{
    return {{u"both"_s, QJsonArray::fromStringList(s.both)},
            {u"only_a"_s, QJsonArray::fromStringList(s.onlyA)},
            {u"only_b"_s, QJsonArray::fromStringList(s.onlyB)}};
}

} // namespace

QJsonObject comparison(const RunComparison &c)
{
    QJsonArray rows;
    int number = 0;
    for (const RunComparison::AlignedCommand &row : c.commands) {
        rows << QJsonObject{{u"row"_s, ++number},
                            {u"match"_s, toString(row.match)},
                            {u"a"_s, command(c.a, row.a)},
                            {u"b"_s, command(c.b, row.b)}};
    }
    QJsonArray tests;
    for (const RunComparison::TestPair &t : c.tests)
        tests << QJsonObject{{u"name"_s, t.name},
                             {u"a"_s, textOrNull(t.outcomeA)},
                             {u"b"_s, textOrNull(t.outcomeB)}};
    return {{u"a"_s, side(c.a)},
            {u"b"_s, side(c.b)},
            {u"commands"_s, rows},
            {u"commands_approximate"_s, c.commandsApproximate},
            {u"files"_s, sets(c.files)},
            {u"hosts"_s, sets(c.hosts)},
            {u"finding_rules"_s, sets(c.findingRules)},
            {u"tests"_s, tests}};
}

QJsonObject logDiff(int row, const LogDiff &diff)
{
    QJsonArray lines;
    const auto lineNo = [](qint64 n) { return n > 0 ? QJsonValue(double(n)) : QJsonValue(); };
    for (const LogDiff::Line &line : diff.lines)
        lines << QJsonObject{{u"op"_s, toString(line.op)},
                             {u"line_a"_s, lineNo(line.lineA)},
                             {u"line_b"_s, lineNo(line.lineB)},
                             {u"text"_s, line.text}};
    return {{u"row"_s, row},
            {u"lines"_s, lines},
            {u"lines_a"_s, double(diff.linesA)},
            {u"lines_b"_s, double(diff.linesB)},
            {u"truncated"_s, diff.truncated},
            {u"approximate"_s, diff.approximate}};
}

} // namespace Tasktrail::RecordJson
