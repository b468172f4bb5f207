#include "localresult.h"

#include "text/logtext.h"
#include "text/redactor.h"
#include "text/shellquote.h"

#include <QHash>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Tasktrail::LocalResult {
namespace {

QString baseName(const QString &program)
{
    return program.mid(program.lastIndexOf(u'/') + 1);
}

bool isPythonPytest(const QString &tool, const QStringList &argv)
{
    if (!tool.startsWith(u"python"_s))
        return false;
    const qsizetype m = argv.indexOf(u"-m"_s);
    return m > 0 && m + 1 < argv.size() && argv.at(m + 1) == u"pytest"_s;
}

} // namespace

QList<LogLine> logLines(const QByteArray &output, bool truncated)
{
    QList<QByteArray> raw = output.split('\n');
    if (!raw.isEmpty() && raw.constLast().isEmpty())
        raw.removeLast();
    if (truncated)
        raw.append(QByteArrayLiteral("[output truncated by the local runner]"));
    Redactor redactor;
    QList<LogLine> lines;
    lines.reserve(raw.size());
    for (const QByteArray &piece : std::as_const(raw)) {
        LogLine line;
        line.lineNo = lines.size() + 1;
        const QByteArray original =
            LogText::sanitizeUtf8(piece.endsWith('\r') ? piece.chopped(1) : piece);
        redactor.redactLogLine(original, &line.text, &line.ansi);
        lines.append(line);
    }
    return lines;
}

bool isTestCommand(const QStringList &argv)
{
    if (argv.isEmpty())
        return false;
    const QString tool = baseName(argv.constFirst());
    const QString first = argv.value(1);
    if (tool == u"npm"_s || tool == u"yarn"_s || tool == u"pnpm"_s)
        return first == u"test"_s || first == u"t"_s ||
               (first == u"run"_s && argv.value(2).startsWith(u"test"_s));
    if (tool == u"pytest"_s || tool == u"ctest"_s)
        return true;
    if (tool == u"go"_s || tool == u"cargo"_s)
        return first == u"test"_s;
    if (tool == u"make"_s)
        return argv.contains(u"test"_s) || argv.contains(u"check"_s);
    return isPythonPytest(tool, argv);
}

QList<TestResult> testResults(const QList<CommandRecord> &commands)
{
    QList<TestResult> tests;
    for (const CommandRecord &command : commands) {
        if (!isTestCommand(command.argv))
            continue;
        TestResult test;
        test.taskId = command.taskId;
        test.name = shellCommandLine(command.argv);
        test.commandSeq = command.seq;
        if (!command.exitCode)
            test.outcome = u"error"_s;
        else
            test.outcome = *command.exitCode == 0 ? u"passed"_s : u"failed"_s;
        if (command.startedAt.isValid() && command.endedAt.isValid())
            test.durationMs = command.startedAt.msecsTo(command.endedAt);
        tests.append(test);
    }
    return tests;
}

QList<FileChange> fileChanges(const QString &taskId, const QByteArray &numstat,
                              const QByteArray &nameStatus)
{
    // --name-status -z: "M\0path\0", "R100\0old\0new\0".
    QList<FileChange> changes;
    QHash<QString, qsizetype> byPath;
    const QList<QByteArray> fields = nameStatus.split('\0');
    for (qsizetype i = 0; i + 1 < fields.size();) {
        const QByteArray status = fields.at(i);
        if (status.isEmpty())
            break;
        const bool twoPaths = status.startsWith('R') || status.startsWith('C');
        const qsizetype pathIndex = twoPaths ? i + 2 : i + 1;
        if (pathIndex >= fields.size())
            break;
        FileChange change;
        change.taskId = taskId;
        change.path = QString::fromUtf8(fields.at(pathIndex));
        switch (status.at(0)) {
        case 'A':
        case 'C':
            change.change = u"added"_s;
            break;
        case 'D':
            change.change = u"deleted"_s;
            break;
        case 'R':
            change.change = u"renamed"_s;
            break;
        default:
            change.change = u"modified"_s;
        }
        byPath.insert(change.path, changes.size());
        changes.append(change);
        i = pathIndex + 1;
    }
    // --numstat -z: "add\tdel\tpath\0", or "add\tdel\t\0old\0new\0" for a rename; "-" for binary.
    const QList<QByteArray> stats = numstat.split('\0');
    for (qsizetype i = 0; i < stats.size(); ++i) {
        const QList<QByteArray> parts = stats.at(i).split('\t');
        if (parts.size() < 3)
            continue;
        QString path = QString::fromUtf8(parts.at(2));
        if (parts.at(2).isEmpty() && i + 2 < stats.size()) {
            path = QString::fromUtf8(stats.at(i + 2));
            i += 2;
        }
        const auto found = byPath.constFind(path);
        if (found == byPath.constEnd())
            continue;
        changes[*found].additions = parts.at(0).toInt();
        changes[*found].deletions = parts.at(1).toInt();
    }
    return changes;
}

bool isTransientPushFailure(const QByteArray &output)
{
    static const QRegularExpression transient(
        u"could not resolve host|connection (timed out|refused|reset)|operation timed out|"
        "remote end hung up unexpectedly|early eof|rpc failed|temporary failure|"
        "returned error: 5\\d\\d|http 5\\d\\d|service unavailable"_s,
        QRegularExpression::CaseInsensitiveOption);
    return transient.match(QString::fromUtf8(output)).hasMatch();
}

} // namespace Tasktrail::LocalResult
