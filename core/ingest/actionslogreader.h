#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace Tasktrail {

class FileIngest;

// Writes the steps of GitHub Actions job logs as commands of one task, numbered from
// `firstCommand` on, each named `prefix` + the step's title. A flat job log is split at its
// "##[group]Run" lines (what comes before the first is "Set up job"); a step's own file (in a
// run's log archive) is one step. Each line keeps its own time; a step's start and end are
// its first and last line's.
class JobLogWriter final
{
public:
    JobLogWriter(FileIngest &ingest, const QString &taskId, int firstCommand,
                 const QString &prefix);

    bool writeTask();
    bool startStep(const QString &title, qint64 fileLine);
    // `split`: a new step starts at each group line.
    bool addLine(QByteArray line, qsizetype fullLength, qint64 fileLine, bool split);
    bool closeStep();
    void restartLines() { m_firstLine = true; }
    int nextCommand() const { return int(qMin<qint64>(m_nextSeq, 0x7fffffff)); }

private:
    struct Step
    {
        int seq = 0;
        QString title;
        qint64 key = 0;
        qint64 lineNo = 0;
        qint64 firstMs = 0;
        qint64 lastMs = 0;
        std::optional<int> exitCode;
    };
    FileIngest &m_ingest;
    QString m_taskId;
    qint64 m_nextSeq = 1;
    QString m_prefix;
    std::optional<Step> m_step;
    bool m_firstLine = true;
};

} // namespace Tasktrail
