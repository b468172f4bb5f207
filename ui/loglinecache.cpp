#include "loglinecache.h"

#include "store/taskqueries.h"

#include <algorithm>

namespace Tasktrail {

void LogLineCache::reset(qint64 commandKey)
{
    m_commandKey = commandKey;
    m_windows.clear();
    m_clock = 0;
    m_linesFetched = 0;
    m_fetches = 0;
}

QList<qint64> LogLineCache::missingWindows(qint64 first, qint64 last) const
{
    QList<qint64> missing;
    if (first < 1 || last < first)
        return missing;
    for (qint64 index = windowOf(first); index <= windowOf(last); ++index) {
        if (!hasWindow(index))
            missing.push_back(index);
    }
    return missing;
}

bool LogLineCache::hasWindow(qint64 index) const
{
    return std::any_of(m_windows.begin(), m_windows.end(),
                       [index](const Window &w) { return w.index == index; });
}

QList<LogLine> LogLineCache::fetchWindow(TaskQueries &store, qint64 commandKey, qint64 index)
{
    return store.logLines(commandKey, index * windowSize + 1, windowSize);
}

void LogLineCache::insertWindow(qint64 index, const QList<LogLine> &fetched)
{
    if (Window *existing = findWindow(index))
        m_windows.erase(m_windows.begin() + (existing - m_windows.data()));
    if (m_windows.size() >= std::size_t(maxWindows)) {
        const auto oldest = std::min_element(
            m_windows.begin(), m_windows.end(),
            [](const Window &a, const Window &b) { return a.lastUse < b.lastUse; });
        m_windows.erase(oldest);
    }
    Window w;
    w.index = index;
    w.lastUse = ++m_clock;
    w.lines.resize(std::size_t(windowSize));
    const qint64 first = index * windowSize + 1;
    ++m_fetches;
    m_linesFetched += fetched.size();
    // Numbering may have gaps, so a fetch can reach past the window; those lines are dropped.
    for (const LogLine &l : fetched) {
        if (l.lineNo >= first && l.lineNo < first + windowSize)
            w.lines[std::size_t(l.lineNo - first)] = l;
    }
    m_windows.push_back(std::move(w));
}

const LogLine *LogLineCache::line(qint64 lineNo)
{
    if (lineNo < 1)
        return nullptr;
    const qint64 index = windowOf(lineNo);
    Window *w = findWindow(index);
    if (!w)
        return nullptr;
    w->lastUse = ++m_clock;
    const LogLine &l = w->lines[std::size_t(lineNo - 1 - index * windowSize)];
    return l.lineNo == lineNo ? &l : nullptr;
}

qsizetype LogLineCache::cachedLines() const
{
    qsizetype n = 0;
    for (const Window &w : m_windows)
        n += qsizetype(w.lines.size());
    return n;
}

LogLineCache::Window *LogLineCache::findWindow(qint64 index)
{
    for (Window &w : m_windows) {
        if (w.index == index)
            return &w;
    }
    return nullptr;
}

} // namespace Tasktrail
