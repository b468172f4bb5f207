#pragma once

#include "records/logline.h"

#include <QList>

#include <vector>

namespace Tasktrail {

class RecordStore;

// The lines of one command's log that a view has looked at recently: fixed windows of lines
// fetched from the store on demand, the least recently used dropped first. Memory stays
// bounded however long the log is.
class LogLineCache final
{
public:
    static constexpr int windowSize = 512;
    static constexpr int maxWindows = 8;

    void reset(RecordStore *store, qint64 commandKey);

    // The line with this number (from 1), fetching its window when needed; nullptr when the
    // store has no such line. The pointer is valid until the next call.
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

    Window &window(qint64 index);

    RecordStore *m_store = nullptr;
    qint64 m_commandKey = 0;
    std::vector<Window> m_windows;
    quint64 m_clock = 0;
    qint64 m_linesFetched = 0;
    int m_fetches = 0;
};

} // namespace Tasktrail
