// What a run did against what its template allows: commands, files, hosts and budgets.
#include "records/templatespec.h"
#include "rulecontext.h"
#include "text/glob.h"

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail::Rules {
namespace {

QString duration(qint64 ms)
{
    const qint64 minutes = ms / 60000;
    if (minutes >= 60)
        return u"%1 h %2 min"_s.arg(minutes / 60).arg(minutes % 60);
    if (minutes > 0)
        return u"%1 min %2 s"_s.arg(minutes).arg((ms / 1000) % 60);
    return u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', ms % 1000 ? 1 : 0);
}

} // namespace

// A command on the approval list is allowed once approved, so it is reported as needing
// approval rather than as not allowed. A placeholder command (logs arrived, the command
// record did not) has no argv and nothing to judge.
void checkCommands(const TaskChain &chain, const TemplateSpec &tmpl, FindingSink &sink)
{
    const QString templateName = sink.templateRef().toString();
    for (const CommandRecord &command : commandsOf(chain)) {
        if (command.argv.isEmpty())
            continue;
        const QString line = commandLine(command);
        const QString shown = shortCommandLine(command);
        const QDateTime at = command.startedAt;
        if (matchesAny(tmpl.approvalCommands, line))
            sink.add(u"command_needs_approval",
                     u"Command %1 `%2` needs a human's approval under template %3."_s.arg(
                         QString::number(command.seq), shown, templateName),
                     EvidenceKind::Command, shown, command.seq, at);
        else if (!matchesAny(tmpl.allowedCommands, line))
            sink.add(u"command_not_allowed",
                     u"Command %1 `%2` matches none of template %3's allowed commands."_s.arg(
                         QString::number(command.seq), shown, templateName),
                     EvidenceKind::Command, shown, command.seq, at);
    }
}

// Denied paths win over everything; a path on the approval list counts as allowed once
// approved, like an approval command.
void checkFiles(const TaskChain &chain, const TemplateSpec &tmpl, FindingSink &sink)
{
    const QString templateName = sink.templateRef().toString();
    for (const FileChange &file : chain.task.filesChanged) {
        if (matchesAny(tmpl.deniedFiles, file.path))
            sink.add(u"file_out_of_scope",
                     u"Changed file %1 is denied by template %2."_s.arg(file.path, templateName),
                     EvidenceKind::File, file.path);
        else if (matchesAny(tmpl.approvalFiles, file.path))
            sink.add(u"file_needs_approval",
                     u"Changed file %1 needs a human's approval under template %2."_s.arg(
                         file.path, templateName),
                     EvidenceKind::File, file.path);
        else if (!tmpl.allowedFiles.isEmpty() && !matchesAny(tmpl.allowedFiles, file.path))
            sink.add(u"file_out_of_scope",
                     u"Changed file %1 is outside template %2's allowed files."_s.arg(file.path,
                                                                                      templateName),
                     EvidenceKind::File, file.path);
    }
}

// One finding per host, at its first contact.
void checkHosts(const TaskChain &chain, const TemplateSpec &tmpl, FindingSink &sink)
{
    QSet<QString> reported;
    for (const ExternalContact &contact : chain.task.contacts) {
        if (matchesAny(tmpl.allowedHosts, contact.host) || reported.contains(contact.host))
            continue;
        reported.insert(contact.host);
        const QString by = contact.tool.isEmpty() ? QString() : u" (by %1)"_s.arg(contact.tool);
        sink.add(u"host_not_allowed",
                 u"Host %1%2 is not among template %3's allowed hosts."_s.arg(
                     contact.host, by, sink.templateRef().toString()),
                 EvidenceKind::Contact, contact.host, 0, contact.at);
    }
}

void checkBudgets(const TaskChain &chain, const TemplateSpec &tmpl, FindingSink &sink)
{
    const TaskRecord &task = chain.task;
    const QString templateName = sink.templateRef().toString();
    if (tmpl.maxRetries >= 0) {
        // A source that did not count retries still recorded which failures were retried.
        const int retries = task.retries.value_or(
            int(std::count_if(task.failures.cbegin(), task.failures.cend(),
                              [](const FailureRecord &f) { return f.retried; })));
        if (retries > tmpl.maxRetries)
            sink.add(u"retries_over_budget",
                     u"The task retried %1 times; template %2 allows %3."_s.arg(
                         QString::number(retries), templateName, QString::number(tmpl.maxRetries)),
                     EvidenceKind::Task, u"retries"_s);
    }
    if (tmpl.maxRuntimeMs >= 0 && task.startedAt.isValid() && task.completedAt.isValid()) {
        const qint64 ran = task.startedAt.msecsTo(task.completedAt);
        if (ran > tmpl.maxRuntimeMs)
            sink.add(u"runtime_over_budget",
                     u"The task ran for %1; template %2 allows %3."_s.arg(
                         duration(ran), templateName, duration(tmpl.maxRuntimeMs)),
                     EvidenceKind::Task, u"runtime"_s, 0, task.completedAt);
    }
    const auto files = int(task.filesChanged.size());
    if (tmpl.maxFilesChanged >= 0 && files > tmpl.maxFilesChanged)
        sink.add(u"files_over_budget",
                 u"The task changed %1 files; template %2 allows %3."_s.arg(
                     QString::number(files), templateName, QString::number(tmpl.maxFilesChanged)),
                 EvidenceKind::File);
    if (tmpl.maxLinesChanged >= 0) {
        qint64 lines = 0;
        for (const FileChange &f : task.filesChanged)
            lines += f.additions + f.deletions;
        if (lines > tmpl.maxLinesChanged)
            sink.add(
                u"lines_over_budget",
                u"The task changed %1 lines; template %2 allows %3."_s.arg(
                    QString::number(lines), templateName, QString::number(tmpl.maxLinesChanged)),
                EvidenceKind::File);
    }
}

} // namespace Tasktrail::Rules
