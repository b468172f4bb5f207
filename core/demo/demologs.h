#pragma once

#include "demooutput.h"
#include "demotask.h"

#include <QByteArray>

#include <algorithm>

// The text of command output: npm, jest, eslint, webpack and git, as a CI runner prints it,
// each line prefixed with an RFC 3339 timestamp.
namespace Tasktrail::Demo {

struct Num
{
    qint64 value;
};

class LogWriter final
{
public:
    LogWriter(QByteArray &out, Random &rng)
        : m_out(out)
        , m_rng(rng)
    {}

    void startSection(QByteArrayView taskId, int seq, qint64 startMs);

    template<typename... Parts> void line(const Parts &...parts)
    {
        if (m_budget == 0)
            return;
        --m_budget;
        appendTime(m_out, m_clock, true);
        m_out.append(' ');
        (put(parts), ...);
        m_out.append('\n');
        ++m_lines;
        m_clock += m_rng.between(0, 12);
    }

    // A command still running has printed only its first few lines; -1 lifts the limit.
    void limitLines(qint64 lines) { m_budget = lines; }
    void wait(qint64 minMs, qint64 maxMs) { m_clock += m_rng.between(minMs, maxMs); }
    void waitUntil(qint64 ms) { m_clock = std::max(m_clock, ms); }
    qint64 clock() const { return m_clock; }
    qint64 lines() const { return m_lines; }
    qint64 weight() const { return m_lines + m_headers; }
    Random &rng() { return m_rng; }

private:
    void put(QByteArrayView text) { m_out.append(text); }
    void put(Num n) { appendNumber(m_out, n.value); }
    void put(char c) { m_out.append(c); }

    QByteArray &m_out;
    Random &m_rng;
    qint64 m_clock = 0;
    qint64 m_lines = 0;
    qint64 m_headers = 0;
    qint64 m_budget = -1;
};

// What one command's output depends on.
struct StepContext
{
    const World &world;
    const TaskPlan &plan;
    const Repo &repo;
    const TaskRun &run;
    const RunCommand &command;
    const QList<RunTest> &tests; // for test runs: the results to print
    int secrets = 0;             // SecretKind bits to leak in this output
    int pullNumber = 0;          // for `gh pr create`
    qint64 deadlineMs = 0;       // for a timed-out command: when it was killed
};

void writeStepLog(LogWriter &log, const StepContext &context);

} // namespace Tasktrail::Demo
