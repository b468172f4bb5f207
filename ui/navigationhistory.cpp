#include "navigationhistory.h"

namespace Tasktrail {

NavigationHistory::NavigationHistory(QObject *parent)
    : QObject(parent)
{}

NavigationHistory::~NavigationHistory() = default;

void NavigationHistory::visit(const QString &id)
{
    if (id.isEmpty() || id == current())
        return;
    m_entries.resize(m_current + 1);
    m_entries.append(id);
    if (m_entries.size() > maxEntries)
        m_entries.removeFirst();
    m_current = m_entries.size() - 1;
    Q_EMIT changed();
}

QString NavigationHistory::back()
{
    if (!canGoBack())
        return {};
    --m_current;
    Q_EMIT changed();
    return current();
}

QString NavigationHistory::forward()
{
    if (!canGoForward())
        return {};
    ++m_current;
    Q_EMIT changed();
    return current();
}

void NavigationHistory::clear()
{
    if (m_entries.isEmpty())
        return;
    m_entries.clear();
    m_current = -1;
    Q_EMIT changed();
}

QString NavigationHistory::current() const
{
    return m_current >= 0 ? m_entries.at(m_current) : QString();
}

} // namespace Tasktrail
