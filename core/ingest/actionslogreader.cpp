// GitHub Actions job logs: the steps of one job become the commands of a task.
#include "actionslogreader.h"
#include "actionslog.h"
#include "fileingest.h"
#include "records/recordvalues.h"
#include "store/recordstore.h"
#include "text/linereader.h"
#include "text/logtext.h"

#include <QDateTime>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace Tasktrail {

JobLogWriter::JobLogWriter(FileIngest &ingest, const QString &taskId, int firstCommand,
                           const QString &prefix)
    : m_ingest(ingest)
    , m_taskId(taskId)
    , m_nextSeq(qMax(1, firstCommand))
    , m_prefix(prefix)
{}

bool JobLogWriter::writeTask()
{
    TaskRecord task;
    task.id = m_taskId;
    task.source = u"github-actions"_s; // kept when another source named the task first
    if (!m_ingest.store().writeTask(task))
        return m_ingest.fatal(u"cannot store the task"_s);
    m_ingest.touchTask(m_taskId);
    return true;
}

bool JobLogWriter::startStep(const QString &title, qint64 fileLine)
{
    if (!closeStep())
        return false;
    if (m_nextSeq > RecordValues::maxInt || m_nextSeq < 1) {
        m_ingest.reject(fileLine, u"too many steps: command numbers must be at most %1"_s.arg(
                                      RecordValues::maxInt));
        return true;
    }
    Step step;
    step.seq = m_nextSeq++;
    step.title = title;
    const std::optional<qint64> key = m_ingest.store().commandKey(m_taskId, step.seq);
    if (!key)
        return m_ingest.fatal(u"cannot create the command"_s);
    step.key = *key;
    m_step = step;
    return true;
}

bool JobLogWriter::addLine(QByteArray line, qsizetype fullLength, qint64 fileLine, bool split)
{
    if (m_firstLine && line.startsWith("\xEF\xBB\xBF"))
        line.remove(0, 3);
    m_firstLine = false;
    sanitizeLogLine(m_ingest, line, fullLength, fileLine);
    qsizetype prefix = 0;
    const qint64 at = LogText::parseTimestampPrefix(line.constData(), line.size(), &prefix);
    const QByteArrayView text = QByteArrayView(line).sliced(prefix);
    if (split) {
        if (const QString title = actionsStepTitle(text); !title.isEmpty()) {
            if (!startStep(title, fileLine))
                return false;
        } else if (!m_step && !startStep(u"Set up job"_s, fileLine)) {
            return false;
        }
    }
    if (!m_step)
        return true; // past the last command number: rejected at the step
    Step &step = *m_step;
    if (const int code = actionsExitCode(text); code >= 0)
        step.exitCode = code;
    if (at != 0) {
        step.firstMs = step.firstMs == 0 ? at : step.firstMs;
        step.lastMs = at;
    }
    if (step.lineNo >= maxLogLineNo) {
        m_ingest.reject(fileLine, u"more than %1 lines in one step"_s.arg(maxLogLineNo));
        return true;
    }
    LogLine out;
    out.lineNo = ++step.lineNo;
    out.timestampMs = at;
    out.text = line.mid(prefix); // the store redacts it and splits off its colours
    if (!m_ingest.appendLogLine(step.key, out, fileLine))
        return m_ingest.fatal(u"line %1: cannot store the log line"_s.arg(fileLine));
    return true;
}

bool JobLogWriter::closeStep()
{
    if (!m_step)
        return true;
    const Step step = *m_step;
    m_step.reset();
    CommandRecord command;
    command.taskId = m_taskId;
    command.seq = step.seq;
    command.argv = QStringList{m_prefix + step.title};
    // The runner reports a failed step's exit code; a step that ran to its end without one
    // succeeded.
    command.exitCode = step.exitCode ? step.exitCode : std::optional<int>(0);
    if (step.firstMs != 0) {
        command.startedAt = QDateTime::fromMSecsSinceEpoch(step.firstMs, QTimeZone::utc());
        command.endedAt = QDateTime::fromMSecsSinceEpoch(step.lastMs, QTimeZone::utc());
    }
    if (!m_ingest.store().writeCommand(command))
        return m_ingest.fatal(u"cannot store the command"_s);
    return true;
}

bool ingestActionsJobLog(FileIngest &ingest, LineReader &reader)
{
    const IngestOptions &options = ingest.options();
    if (options.taskId.isEmpty()) { // the Ingestor says so before reading
        ingest.reject(0, u"a GitHub Actions job log needs --task"_s);
        return true;
    }
    if (!ingest.ensureBatch())
        return false;
    JobLogWriter writer(ingest, options.taskId, options.commandSeq, options.commandPrefix);
    if (!writer.writeTask())
        return false;
    QByteArray line;
    qsizetype fullLength = 0;
    while (reader.next(line, &fullLength)) {
        if (!writer.addLine(line, fullLength, reader.lineNumber(), true))
            return false;
        if (!ingest.step(options.logBatchLines, reader.bytesConsumed()))
            return false;
    }
    return writer.closeStep();
}

} // namespace Tasktrail
