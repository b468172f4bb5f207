#include "compareverb.h"

#include "cliverb.h"
#include "query/comparisonjson.h"
#include "query/runcomparison.h"
#include "query/runsentence.h"
#include "records/recordvalues.h"
#include "text/shellquote.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Tasktrail::Cli {
namespace {

QString orDash(const QString &s)
{
    return s.isEmpty() ? u"-"_s : s;
}

QString duration(std::optional<qint64> ms)
{
    if (!ms)
        return u"-"_s;
    const qint64 s = *ms / 1000;
    return s >= 60 ? u"%1m %2s"_s.arg(s / 60).arg(s % 60, 2, 10, QChar(u'0')) : u"%1s"_s.arg(s);
}

QString sideBySide(const QString &label, const QString &a, const QString &b)
{
    return u"  "_s % label.leftJustified(14) % u' ' % orDash(a).leftJustified(40) % u' ' %
           orDash(b) % u'\n';
}

QString commandCount(const TaskChain &c)
{
    int failed = 0;
    for (const TaskChain::Command &command : c.commands) {
        if (command.record.exitCode && *command.record.exitCode != 0)
            ++failed;
    }
    return u"%1 (%2 failed)"_s.arg(c.commands.size()).arg(failed);
}

QString chains(const RunComparison &c)
{
    const RunComparison::Links a = RunComparison::linksOf(c.a);
    const RunComparison::Links b = RunComparison::linksOf(c.b);
    QString out = u"A: "_s % RunSentence::of(c.a) % u"\nB: "_s % RunSentence::of(c.b) % u"\n\n"_s;
    out += sideBySide(QString(), u"A"_s, u"B"_s);
    out += sideBySide(u"task"_s, c.a.task.id, c.b.task.id);
    out += sideBySide(u"repo"_s, c.a.task.repo, c.b.task.repo);
    out += sideBySide(u"state"_s, toString(c.a.task.state), toString(c.b.task.state));
    out += sideBySide(u"request"_s, a.request, b.request);
    out += sideBySide(u"identity"_s, a.identity, b.identity);
    out += sideBySide(u"policy"_s, a.policy, b.policy);
    out += sideBySide(u"template"_s, a.taskTemplate, b.taskTemplate);
    out += sideBySide(u"pull request"_s, a.pullRequest, b.pullRequest);
    out += sideBySide(u"duration"_s, duration(RunComparison::durationMs(c.a.task)),
                      duration(RunComparison::durationMs(c.b.task)));
    out += sideBySide(u"commands"_s, commandCount(c.a), commandCount(c.b));
    out += sideBySide(u"findings"_s, QString::number(c.a.findings.size()),
                      QString::number(c.b.findings.size()));
    return out;
}

QString matchText(RunComparison::Match match)
{
    switch (match) {
    case RunComparison::Match::Same:
        return u"same"_s;
    case RunComparison::Match::OnlyA:
        return u"only in A"_s;
    case RunComparison::Match::OnlyB:
        return u"only in B"_s;
    case RunComparison::Match::ExitDiffers:
        return u"exit differs"_s;
    }
    return {};
}

// "3:1": command 3, exit code 1 ("3:?" unknown); "-" for no command.
QString seqExit(const TaskChain &c, qsizetype index)
{
    if (index < 0)
        return u"-"_s;
    const CommandRecord &r = c.commands.at(index).record;
    return u"%1:%2"_s.arg(r.seq).arg(r.exitCode ? QString::number(*r.exitCode) : u"?"_s);
}

QString commands(const RunComparison &c)
{
    QString out = u"\nCommands (%1 rows; A and B give command:exit)\n"_s.arg(c.commands.size());
    out += u"  %1  %2  %3 %4 %5\n"_s.arg(u"row"_s, 4)
               .arg(u"match"_s.leftJustified(12), u"A"_s.leftJustified(7), u"B"_s.leftJustified(7),
                    u"command"_s);
    int row = 0;
    for (const RunComparison::AlignedCommand &r : c.commands) {
        const CommandRecord &shown =
            r.a >= 0 ? c.a.commands.at(r.a).record : c.b.commands.at(r.b).record;
        out += u"  %1  %2  %3 %4 %5\n"_s.arg(++row, 4).arg(
            matchText(r.match).leftJustified(12), seqExit(c.a, r.a).leftJustified(7),
            seqExit(c.b, r.b).leftJustified(7),
            shown.argv.isEmpty() ? u"(unknown)"_s : shellCommandLine(shown.argv));
    }
    if (c.commandsApproximate)
        out += u"  (too many commands to align in full: the differing middle is listed as only "
               "in A, then only in B)\n"_s;
    return out;
}

QString sets(const QString &title, const RunComparison::Sets &s)
{
    QString out = u'\n' % title % u'\n';
    out += u"  both       "_s % orDash(s.both.join(u", "_s)) % u'\n';
    out += u"  only in A  "_s % orDash(s.onlyA.join(u", "_s)) % u'\n';
    out += u"  only in B  "_s % orDash(s.onlyB.join(u", "_s)) % u'\n';
    return out;
}

QString testsAndFindings(const RunComparison &c)
{
    QString out = u"\nTests (%1)\n"_s.arg(c.tests.size());
    for (const RunComparison::TestPair &t : c.tests)
        out += u"  %1 %2 %3\n"_s.arg(orDash(t.outcomeA).leftJustified(9),
                                     orDash(t.outcomeB).leftJustified(9), t.name);
    out += sets(u"Finding rules"_s, c.findingRules);
    for (const auto &[label, chain] : {std::pair{u"A"_s, &c.a}, std::pair{u"B"_s, &c.b}}) {
        out += u"\nFindings of %1 (%2)%3\n"_s.arg(label)
                   .arg(chain->findings.size())
                   .arg(chain->checkedAt ? QString() : u", never checked"_s);
        for (const Finding &f : chain->findings)
            out += u"  %1 %2 %3\n"_s.arg(toString(f.severity).leftJustified(8),
                                         f.rule.leftJustified(28), f.message);
    }
    return out;
}

// The diff in hunks of three lines of context, as diff -u prints them.
QString logDiffText(int row, const LogDiff &diff)
{
    QString out = u"\nLog diff of row %1 (A %2 lines, B %3 lines)\n"_s.arg(row)
                      .arg(diff.linesA)
                      .arg(diff.linesB);
    if (diff.truncated)
        out += u"  (only the first %1 lines of each log were compared)\n"_s.arg(
            LogDiff::defaultLineLimit);
    if (diff.approximate)
        out += u"  (too many differing lines to align in full)\n"_s;
    if (!diff.changed())
        return out + u"  (the logs are the same)\n"_s;
    constexpr qsizetype context = 3;
    const QList<LogDiff::Line> &lines = diff.lines;
    qsizetype last = -1; // the last line printed
    for (qsizetype k = 0; k < lines.size(); ++k) {
        if (lines.at(k).op == LogDiff::Op::Same)
            continue;
        const qsizetype from = std::max(last + 1, k - context);
        // The hunk's first line in each log: the first line of that log the hunk shows.
        qint64 firstA = 0;
        qint64 firstB = 0;
        for (qsizetype i = from; i < lines.size() && (!firstA || !firstB); ++i) {
            firstA = firstA ? firstA : lines.at(i).lineA;
            firstB = firstB ? firstB : lines.at(i).lineB;
        }
        out += u"@@ A line %1, B line %2 @@\n"_s.arg(firstA).arg(firstB);
        qsizetype to = k;
        // Up to the last change followed by no more than 2 * context unchanged lines.
        for (qsizetype scan = k; scan < lines.size() && scan - to <= 2 * context; ++scan) {
            if (lines.at(scan).op != LogDiff::Op::Same)
                to = scan;
        }
        const qsizetype end = std::min(lines.size() - 1, to + context);
        for (qsizetype i = from; i <= end; ++i) {
            const LogDiff::Line &l = lines.at(i);
            const QChar mark = l.op == LogDiff::Op::Same    ? u' '
                               : l.op == LogDiff::Op::OnlyA ? u'-'
                                                            : u'+';
            out += mark % l.text % u'\n';
        }
        last = end;
        k = end;
    }
    return out;
}

} // namespace

int runCompare(const QStringList &args)
{
    VerbParser v(u"compare"_s,
                 u"Two runs side by side: their chains, their commands aligned (same, only in "
                 "one, exit code differs), files changed, hosts contacted, tests and findings."_s,
                 true);
    v.parser().addPositionalArgument(u"task-a"_s, u"The first task id."_s, u"TASK_A"_s);
    v.parser().addPositionalArgument(u"task-b"_s, u"The second task id."_s, u"TASK_B"_s);
    v.addOption(
        {u"command"_s, u"Also the diff of the logs of row N of the aligned commands."_s, u"N"_s});
    int code = Ok;
    auto store = v.parseAndOpen(args, 2, 2, &code, StoreAccess::ReadOnly);
    if (!store)
        return code;
    std::optional<int> row;
    if (v.parser().isSet(u"command"_s)) {
        row = v.intOption(u"command"_s, 1, RecordValues::maxInt);
        if (!row)
            return Fatal;
    }
    const QStringList ids = v.parser().positionalArguments();
    std::optional<TaskChain> read[2];
    for (int i = 0; i < 2; ++i) {
        read[i] = store->taskChainOutline(ids.at(i));
        if (!read[i])
            return fail(u"no task '%1' in %2"_s.arg(ids.at(i), store->location()));
    }
    const RunComparison c = RunComparison::of(*read[0], *read[1]);
    std::optional<LogDiff> diff;
    if (row) {
        if (*row > c.commands.size())
            return fail(
                u"--command %1: the comparison has %2 rows"_s.arg(*row).arg(c.commands.size()));
        const RunComparison::AlignedCommand &r = c.commands.at(*row - 1);
        diff = LogDiff::of(*store, r.a >= 0 ? &c.a.commands.at(r.a) : nullptr,
                           r.b >= 0 ? &c.b.commands.at(r.b) : nullptr);
    }
    if (v.json()) {
        QJsonObject out = RecordJson::comparison(c);
        if (diff)
            out.insert(u"log_diff"_s, RecordJson::logDiff(*row, *diff));
        printJson(out);
        return Ok;
    }
    QString out = chains(c) % commands(c) % sets(u"Files changed"_s, c.files) %
                  sets(u"Hosts contacted"_s, c.hosts) % testsAndFindings(c);
    if (diff)
        out += logDiffText(*row, *diff);
    print(out);
    return Ok;
}

} // namespace Tasktrail::Cli
