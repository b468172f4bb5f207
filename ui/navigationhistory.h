#pragma once

#include <QObject>
#include <QStringList>

namespace Tasktrail {

// Back and forward between the tasks the user looked at, as in a browser: visiting a task
// after going back drops the tasks that were ahead.
class NavigationHistory final : public QObject
{
    Q_OBJECT

public:
    // The oldest entries go past this many; nobody walks back through a thousand tasks.
    static constexpr int maxEntries = 500;

    explicit NavigationHistory(QObject *parent = nullptr);
    ~NavigationHistory() override;

    // Makes id the current entry. Visiting the current entry again changes nothing, so a
    // view that reports the task it was just sent to does not push it twice.
    void visit(const QString &id);
    // The entry moved to, or an empty string when there is none that way.
    QString back();
    QString forward();
    void clear();

    bool canGoBack() const { return m_current > 0; }
    bool canGoForward() const { return m_current + 1 < m_entries.size(); }
    // Empty before the first visit.
    QString current() const;
    const QStringList &entries() const { return m_entries; }

Q_SIGNALS:
    // After every change of the entries or of the current one.
    void changed();

private:
    QStringList m_entries;
    qsizetype m_current = -1;
};

} // namespace Tasktrail
