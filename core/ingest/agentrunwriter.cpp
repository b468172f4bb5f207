#include "agentrunwriter.h"

#include "fileingest.h"
#include "records/recordvalues.h"
#include "store/recordstore.h"
#include "text/jsonfields.h"
#include "text/redactor.h"
#include "text/sha256.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Tasktrail {

AgentRunWriter::AgentRunWriter(FileIngest &ingest, const QString &agent)
    : m_ingest(ingest)
    , m_agent(agent)
{
    m_task.source = agent;
}

bool AgentRunWriter::startTask(const QString &taskId)
{
    m_task.id = taskId;
    m_ingest.touchTask(taskId);
    TaskRecord first;
    first.id = taskId;
    first.source = m_agent;
    const std::optional<bool> fresh = isNew("task-start");
    if (!fresh || (*fresh && !m_ingest.store().writeTask(first)))
        return m_ingest.fatal(u"cannot store the task"_s);
    return true;
}

SessionRecord &AgentRunWriter::session(const QString &sessionId)
{
    for (SessionRecord &s : m_task.sessions) {
        if (s.id == sessionId)
            return s;
    }
    m_task.sessions.append(SessionRecord{
        sessionId, m_task.id, int(m_task.sessions.size()) + 1, TaskState::Unknown, {}, {}, {}, {}});
    return m_task.sessions.last();
}

void AgentRunWriter::seen(const QDateTime &at)
{
    if (!at.isValid())
        return;
    if (!m_task.startedAt.isValid() || at < m_task.startedAt)
        m_task.startedAt = at;
    if (!m_task.completedAt.isValid() || at > m_task.completedAt)
        m_task.completedAt = at;
}

QString AgentRunWriter::entryText(const QString &text)
{
    if (text.size() <= maxEntryText)
        return text;
    return text.left(maxEntryText) % u"\n[... %1 more characters not kept in the transcript]"_s.arg(
                                         text.size() - maxEntryText);
}

bool AgentRunWriter::readObjects(FileIngest &ingest, JsonElements::Stream &stream,
                                 const QString &what, const ElementHandler &object,
                                 std::optional<JsonElements::Element> element)
{
    if (!element)
        element = stream.nextElement();
    for (; element; element = stream.nextElement()) {
        const JsonElements::Parsed parsed = JsonElements::parse(*element);
        if (!parsed.value) {
            ingest.reject(parsed.errorLine, parsed.error);
            continue;
        }
        if (!parsed.value->isObject()) {
            ingest.reject(element->line,
                          u"expected %1 object, found %2"_s.arg(what, jsonTypeName(*parsed.value)));
            continue;
        }
        if (!object(parsed.value->toObject(), element->line) ||
            !ingest.step(ingest.options().recordBatch, stream.position()))
            return false;
    }
    if (!stream.problem().isEmpty())
        ingest.reject(stream.problemLine(), stream.problem());
    return true;
}

int AgentRunWriter::lineCount(const QString &text)
{
    return text.isEmpty() ? 0 : int(text.count(u'\n')) + (text.endsWith(u'\n') ? 0 : 1);
}

std::optional<bool> AgentRunWriter::isNew(const QByteArray &content)
{
    const QByteArray identity = m_agent.toUtf8() + ':' + m_task.id.toUtf8() + '\0' + content;
    const QByteArray hash = Sha256::of(identity);
    bool fresh = false;
    if (!m_ingest.store().markRecordSeen(hash, &fresh))
        return std::nullopt;
    if (!fresh)
        ++m_ingest.counts().duplicates;
    return fresh;
}

bool AgentRunWriter::entry(TranscriptEntry e, qint64 lineNo)
{
    int &next = m_nextEntry[e.sessionId];
    if (next >= RecordValues::maxInt) {
        m_ingest.reject(lineNo, u"too many transcript entries in one session"_s);
        return true;
    }
    e.seq = ++next;
    e.taskId = m_task.id;
    e.text = entryText(e.text);
    const QByteArray content = "entry:" + e.sessionId.toUtf8() + '\0' + QByteArray::number(e.seq) +
                               '\0' + e.role.toUtf8() + '\0' + e.tool.toUtf8() + '\0' +
                               e.callId.toUtf8() + '\0' +
                               QByteArray::number(e.at.isValid() ? e.at.toMSecsSinceEpoch() : 0) +
                               '\0' + QByteArray::number(e.commandSeq) + (e.sidechain ? "s" : "-") +
                               (e.isError ? "e" : "-") + '\0' + e.text.toUtf8();
    const std::optional<bool> fresh = isNew(content);
    if (!fresh || (*fresh && !m_ingest.store().writeTranscriptEntry(e)))
        return m_ingest.fatal(u"line %1: cannot store the transcript entry"_s.arg(lineNo));
    if (*fresh)
        ++m_ingest.counts().ingested;
    return true;
}

std::optional<int> AgentRunWriter::commandSeq(const QString &callId, qint64 lineNo)
{
    const std::optional<int> seq = m_ingest.store().commandSeqForCall(m_task.id, callId);
    if (!seq)
        m_ingest.fatal(u"line %1: cannot number the command"_s.arg(lineNo));
    return seq;
}

bool AgentRunWriter::command(const CommandRecord &given, const QString &output, qint64 lineNo)
{
    CommandRecord record = given;
    record.taskId = m_task.id;
    const std::optional<bool> fresh = isNew(
        "command:" + QByteArray::number(record.seq) + '\0' + record.argv.join(u'\0').toUtf8() +
        '\0' + record.cwd.toUtf8() + '\0' + QByteArray::number(record.exitCode.value_or(-1000)) +
        '\0' + QByteArray::number(record.startedAt.toMSecsSinceEpoch()) + '\0' +
        QByteArray::number(record.endedAt.toMSecsSinceEpoch()) + '\0' + output.toUtf8());
    if (!fresh)
        return m_ingest.fatal(u"line %1: cannot store the command"_s.arg(lineNo));
    recognizeTest(record, output);
    if (record.exitCode && *record.exitCode != 0)
        m_failures[record.seq] =
            FailureRecord{m_task.id,
                          record.seq,
                          u"command_failed"_s,
                          u"exit code %1: %2"_s.arg(*record.exitCode).arg(record.argv.join(u' ')),
                          false,
                          record.endedAt.isValid() ? record.endedAt : record.startedAt};
    if (!record.argv.isEmpty())
        networkCommand(record.argv.join(u' '), record.startedAt);
    if (!*fresh)
        return true;
    if (!m_ingest.store().writeCommand(record))
        return m_ingest.fatal(u"line %1: cannot store the command"_s.arg(lineNo));
    if (!writeOutput(m_ingest, m_task.id, record.seq, output, record.endedAt, lineNo))
        return false;
    ++m_ingest.counts().ingested;
    return true;
}

bool AgentRunWriter::writeOutput(FileIngest &ingest, const QString &taskId, int seq,
                                 const QString &output, const QDateTime &at, qint64 lineNo)
{
    if (output.isEmpty())
        return true;
    const std::optional<qint64> key = ingest.store().commandKey(taskId, seq);
    if (!key)
        return ingest.fatal(u"line %1: cannot create the command"_s.arg(lineNo));
    QList<QByteArray> lines = output.toUtf8().split('\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    qint64 outputLine = 0;
    for (QByteArray &text : lines) {
        if (text.endsWith('\r'))
            text.chop(1);
        sanitizeLogLine(ingest, text, text.size(), lineNo);
        LogLine line;
        line.lineNo = ++outputLine;
        line.timestampMs = at.isValid() ? at.toMSecsSinceEpoch() : 0;
        line.text = text; // the store redacts it
        if (!ingest.appendLogLine(*key, line, lineNo, FileIngest::LineCount::InRecord))
            return ingest.fatal(u"line %1: cannot store the output"_s.arg(lineNo));
    }
    return true;
}

// A test run's outcome from its runner's summary line, for a command whose exit code the
// transcript does not give: "3 failed, 1 passed" (pytest), "Tests: 1 failed" (jest), "FAIL"
// (go test), "OK" or "FAILED (failures=1)" (unittest). Empty when the output does not say.
QString outcomeFromOutput(const QString &output)
{
    static const QRegularExpression failed(
        u"\\b[1-9]\\d* (failed|errors?)\\b|^FAILED\\b|^FAIL\\b|\\btest result: FAILED"_s,
        QRegularExpression::MultilineOption);
    static const QRegularExpression passed(
        u"\\b\\d+ passed\\b|^OK\\b|^ok\\s|\\btest result: ok|^PASS\\b"_s,
        QRegularExpression::MultilineOption);
    if (failed.match(output).hasMatch())
        return u"failed"_s;
    if (passed.match(output).hasMatch())
        return u"passed"_s;
    return {};
}

// Test runners by their command line; the outcome is the command's exit code, or when the
// transcript gives none, what the runner's summary says.
void AgentRunWriter::recognizeTest(const CommandRecord &record, const QString &output)
{
    static const QRegularExpression runner(
        u"(^|[\\s;&|(])(pytest|py\\.test|ctest|jest|vitest|mocha|rspec|phpunit|tox|"
        "(npm|yarn|pnpm|bun)( run)? test|(go|cargo|dotnet|deno|mix|swift) test|"
        "make (test|check)|python3? -m (pytest|unittest)|(mvn|gradle|\\./gradlew)\\b[^;&|]*"
        "\\btest)\\b"_s);
    const QString line = record.argv.join(u' ');
    const QString outcome = record.exitCode ? (*record.exitCode == 0 ? u"passed"_s : u"failed"_s)
                                            : outcomeFromOutput(output);
    if (outcome.isEmpty() || !runner.match(line).hasMatch())
        return;
    TestResult test;
    test.taskId = m_task.id;
    // The name is cut to 200 characters and its control characters written as \x escapes:
    // a secret cut or escaped there would pass the store's redaction, so the whole command line
    // is redacted first, as the store redacts a key (distinct lines keep distinct names).
    QString uncut = line;
    Redactor::redactKey(uncut);
    test.name = RecordValues::printable(uncut, 200);
    test.outcome = outcome;
    test.commandSeq = record.seq;
    if (record.startedAt.isValid() && record.endedAt.isValid())
        test.durationMs = record.startedAt.msecsTo(record.endedAt);
    m_tests[test.name] = test; // a test run again: its last outcome
}

void AgentRunWriter::fileChange(const QString &path, const QString &change, int additions,
                                int deletions)
{
    if (path.isEmpty())
        return;
    FileChange &f = m_files[path];
    f.taskId = m_task.id;
    f.path = path;
    if (f.change.isEmpty() || change == u"deleted" || change == u"renamed")
        f.change = change;
    f.additions += additions;
    f.deletions += deletions;
}

QString AgentRunWriter::relativePath(const QString &path, const QString &root)
{
    if (root.isEmpty() || root == u"/")
        return path;
    const QString prefix = root.endsWith(u'/') ? root : root % u'/';
    return path.startsWith(prefix) ? path.mid(prefix.size()) : path;
}

void AgentRunWriter::unifiedDiff(const QString &diff, const QString &root)
{
    QString path;
    QString change;
    int added = 0;
    int deleted = 0;
    bool inHunk = false;
    bool gitHeader = false; // the ---/+++ pair that follows belongs to this "diff --git"
    const auto flush = [&] {
        if (!path.isEmpty())
            fileChange(relativePath(path, root), change.isEmpty() ? u"modified"_s : change, added,
                       deleted);
        path.clear();
        change.clear();
        added = deleted = 0;
        inHunk = false;
    };
    // "a/src/x.py" or "/testbed/src/x.py"; /dev/null for a file added or deleted.
    const auto pathOf = [](const QString &text) {
        QString p = text.section(u'\t', 0, 0).trimmed();
        if (p.startsWith(u"a/") || p.startsWith(u"b/"))
            p = p.mid(2);
        return p == u"/dev/null" ? QString() : p;
    };
    const QStringList lines = diff.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        if (line.startsWith(u"diff --git ")) {
            flush();
            path = pathOf(line.section(u' ', 3));
            gitHeader = true;
        } else if (line.startsWith(u"--- ") && i + 1 < lines.size() &&
                   lines.at(i + 1).startsWith(u"+++ ")) {
            if (!gitHeader)
                flush(); // a plain diff's next file
            gitHeader = false;
            const QString from = pathOf(line.mid(4));
            const QString to = pathOf(lines.at(++i).mid(4));
            if (from.isEmpty())
                change = u"added"_s;
            else if (to.isEmpty())
                change = u"deleted"_s;
            if (change != u"renamed")
                path = to.isEmpty() ? from : to;
            inHunk = false;
        } else if (!inHunk && line.startsWith(u"new file mode")) {
            change = u"added"_s;
        } else if (!inHunk && line.startsWith(u"deleted file mode")) {
            change = u"deleted"_s;
        } else if (!inHunk && line.startsWith(u"rename to ")) {
            path = line.mid(10).trimmed();
            change = u"renamed"_s;
        } else if (line.startsWith(u"@@")) {
            inHunk = true;
        } else if (inHunk && line.startsWith(u'+')) {
            ++added;
        } else if (inHunk && line.startsWith(u'-')) {
            ++deleted;
        }
    }
    flush();
}

void AgentRunWriter::contact(const QString &host, const QString &tool, const QString &purpose,
                             const QDateTime &at)
{
    if (host.isEmpty())
        return;
    ExternalContact &c = m_contacts[{host, tool}];
    if (c.host.isEmpty())
        c = ExternalContact{m_task.id, host, tool, purpose, at};
}

void AgentRunWriter::networkCommand(const QString &commandLine, const QDateTime &at)
{
    static const QRegularExpression network(
        u"(^|[\\s;&|(])(curl|wget|http|https|nc|ssh|scp|rsync|gh|git (clone|fetch|pull|push|"
        "ls-remote)|(pip3?|npm|yarn|pnpm|cargo|go) (install|add|get))\\b"_s);
    static const QRegularExpression url(u"\\b(https?|ssh|git)://([^/\\s'\"@]+@)?([^/\\s'\":]+)"_s);
    const QRegularExpressionMatch tool = network.match(commandLine);
    if (!tool.hasMatch())
        return;
    const QString name = tool.captured(2).section(u' ', 0, 0);
    const QRegularExpressionMatch host = url.match(commandLine);
    if (host.hasMatch())
        contact(host.captured(3), name, u"network command"_s, at);
    else if (name == u"gh")
        contact(u"github.com"_s, name, u"network command"_s, at);
}

void AgentRunWriter::test(const TestResult &given)
{
    TestResult &t = m_tests[given.name];
    t = given;
    t.taskId = m_task.id;
}

void AgentRunWriter::failure(const FailureRecord &given)
{
    FailureRecord &f = m_failures[given.seq];
    f = given;
    f.taskId = m_task.id;
}

bool AgentRunWriter::finish()
{
    if (m_task.id.isEmpty())
        return true;
    const auto stamp = [](const QDateTime &t) {
        return QByteArray::number(t.isValid() ? t.toMSecsSinceEpoch() : 0);
    };
    QByteArray content = "task:" + m_task.repo.toUtf8() + '\0' + m_task.headRef.toUtf8() + '\0' +
                         m_task.headSha.toUtf8() + '\0' + toString(m_task.state).toUtf8() + '\0' +
                         m_task.stateReason.toUtf8() + '\0' + stamp(m_task.startedAt) +
                         stamp(m_task.completedAt) + m_task.knownGaps.join(u'\n').toUtf8() +
                         QJsonDocument(m_task.usage).toJson(QJsonDocument::Compact);
    for (const SessionRecord &s : std::as_const(m_task.sessions))
        content += '\0' + s.id.toUtf8() + '\0' + s.model.toUtf8() + stamp(s.startedAt) +
                   stamp(s.completedAt) + toString(s.state).toUtf8();
    const std::optional<bool> fresh = isNew(content);
    if (!fresh || (*fresh && !m_ingest.store().writeTask(m_task)))
        return m_ingest.fatal(u"cannot store the task"_s);
    if (*fresh)
        ++m_ingest.counts().ingested;
    const auto once = [this](const QByteArray &key, const auto &write) {
        const std::optional<bool> isFresh = isNew(key);
        if (!isFresh || (*isFresh && !write()))
            return m_ingest.fatal(u"cannot store the task's records"_s);
        if (*isFresh)
            ++m_ingest.counts().ingested;
        return true;
    };
    for (FileChange &f : m_files) {
        if (f.change.isEmpty()) // written, but never said whether it was new
            f.change = u"modified"_s;
        if (!once("file:" + f.path.toUtf8() + '\0' + f.change.toUtf8() + '\0' +
                      QByteArray::number(f.additions) + '/' + QByteArray::number(f.deletions),
                  [&] { return m_ingest.store().writeFileChange(f); }))
            return false;
    }
    for (const ExternalContact &c : std::as_const(m_contacts)) {
        if (!once("contact:" + c.host.toUtf8() + '\0' + c.tool.toUtf8() + '\0' +
                      c.purpose.toUtf8() + '\0' + stamp(c.at),
                  [&] { return m_ingest.store().writeContact(c); }))
            return false;
    }
    for (const TestResult &t : std::as_const(m_tests)) {
        if (!once("test:" + t.name.toUtf8() + '\0' + t.outcome.toUtf8() + '\0' +
                      QByteArray::number(t.commandSeq),
                  [&] { return m_ingest.store().writeTest(t); }))
            return false;
    }
    for (const FailureRecord &f : std::as_const(m_failures)) {
        if (!once("failure:" + QByteArray::number(f.seq) + '\0' + f.message.toUtf8(),
                  [&] { return m_ingest.store().writeFailure(f); }))
            return false;
    }
    return true;
}

} // namespace Tasktrail
