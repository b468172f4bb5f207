#include "loglinecache.h"

#include "store/recordstore.h"

#include <algorithm>

namespace Tasktrail {

void LogLineCache::reset(RecordStore *store, qint64 commandKey)
{
    m_store = store;
    m_commandKey = commandKey;
    m_windows.clear();
    m_clock = 0;
    m_linesFetched = 0;
    m_fetches = 0;
}

const LogLine *LogLineCache::line(qint64 lineNo)
{
    if (!m_store || lineNo < 1)
        return nullptr;
    const qint64 index = (lineNo - 1) / windowSize;
    const Window &w = window(index);
    const LogLine &l = w.lines[std::size_t(lineNo - 1 - index * windowSize)];
    return l.lineNo == lineNo ? &l : nullptr;
}

qsizetype LogLineCache::cachedLines() const
{
    qsizetype n = 0;
    for (const Window &w : m_windows)
        n += qsizetype(w.lines.size());
    return n;
}

LogLineCache::Window &LogLineCache::window(qint64 index)
{
    ++m_clock;
    for (Window &w : m_windows) {
        if (w.index == index) {
            w.lastUse = m_clock;
            return w;
        }
    }
    if (m_windows.size() >= std::size_t(maxWindows)) {
        const auto oldest = std::min_element(
            m_windows.begin(), m_windows.end(),
            [](const Window &a, const Window &b) { return a.lastUse < b.lastUse; });
        m_windows.erase(oldest);
    }

    Window w;
    w.index = index;
    w.lastUse = m_clock;
    w.lines.resize(std::size_t(windowSize));
    const qint64 first = index * windowSize + 1;
    const QList<LogLine> fetched = m_store->logLines(m_commandKey, first, windowSize);
    ++m_fetches;
    m_linesFetched += fetched.size();
    // Numbering may have gaps, so a fetch can reach past the window; those lines are dropped.
    for (const LogLine &l : fetched) {
        if (l.lineNo >= first && l.lineNo < first + windowSize)
            w.lines[std::size_t(l.lineNo - first)] = l;
    }
    m_windows.push_back(std::move(w));
    return m_windows.back();
}

} // namespace Tasktrail
