#pragma once

#include "records/logline.h"

#include <QList>

#include <vector>

namespace Tasktrail {

class TaskQueries;

// The lines of one command's log that a view has looked at recently: fixed windows of lines,
// the least recently used dropped first. Memory stays bounded however long the log is. The
// cache never reads the database itself: the view fetches missing windows on its query
// thread (fetchWindow) and hands them in (insertWindow), so painting never waits on a query.
class LogLineCache final
{
public:
    static constexpr int windowSize = 512;
    static constexpr int maxWindows = 8;

    void reset(qint64 commandKey);
    qint64 commandKey() const { return m_commandKey; }

    static qint64 windowOf(qint64 lineNo) { return lineNo >= 1 ? (lineNo - 1) / windowSize : 0; }
    // The windows holding lines first..last that are not in the cache.
    QList<qint64> missingWindows(qint64 first, qint64 last) const;
    bool hasWindow(qint64 index) const;

    // Reads window `index` of a command's log (on the query thread).
    static QList<LogLine> fetchWindow(TaskQueries &store, qint64 commandKey, qint64 index);
    // Keeps what fetchWindow read for window `index`, dropping the least recently used
    // window when the cache is full.
    void insertWindow(qint64 index, const QList<LogLine> &fetched);

    // The line with this number (from 1) when its window is cached; nullptr when the window
    // is not (yet) loaded or the log has no such line. Valid until the next insertWindow().
    const LogLine *line(qint64 lineNo);

    qsizetype cachedLines() const;
    qint64 linesFetched() const { return m_linesFetched; }
    int fetches() const { return m_fetches; }

private:
    struct Window
    {
        qint64 index = 0;
        quint64 lastUse = 0;
        std::vector<LogLine> lines; // slot i holds line index*windowSize+i+1; lineNo 0 = absent
    };

    Window *findWindow(qint64 index);

    qint64 m_commandKey = 0;
    std::vector<Window> m_windows;
    quint64 m_clock = 0;
    qint64 m_linesFetched = 0;
    int m_fetches = 0;
};

} // namespace Tasktrail
