// Back and forward between visited tasks, with a browser's rules.
#include "navigationhistory.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestNavigationHistory final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyHistory();
    void visitMakesCurrent();
    void backAndForward();
    void visitAfterBackDropsForward();
    void revisitingCurrentIsNoChange();
    void emptyIdIgnored();
    void oldestEntriesDropPastLimit();
    void clear();
};

void TestNavigationHistory::emptyHistory()
{
    NavigationHistory history;
    QVERIFY(!history.canGoBack());
    QVERIFY(!history.canGoForward());
    QCOMPARE(history.current(), QString());
    QSignalSpy changed(&history, &NavigationHistory::changed);
    QCOMPARE(history.back(), QString());
    QCOMPARE(history.forward(), QString());
    QCOMPARE(changed.size(), 0);
}

void TestNavigationHistory::visitMakesCurrent()
{
    NavigationHistory history;
    QSignalSpy changed(&history, &NavigationHistory::changed);
    history.visit(u"T-1"_s);
    QCOMPARE(history.current(), u"T-1"_s);
    QVERIFY(!history.canGoBack()); // nothing before the first task
    QVERIFY(!history.canGoForward());
    history.visit(u"T-2"_s);
    QCOMPARE(history.current(), u"T-2"_s);
    QVERIFY(history.canGoBack());
    QCOMPARE(changed.size(), 2);
}

void TestNavigationHistory::backAndForward()
{
    NavigationHistory history;
    history.visit(u"T-1"_s);
    history.visit(u"T-2"_s);
    history.visit(u"T-3"_s);
    QSignalSpy changed(&history, &NavigationHistory::changed);

    QCOMPARE(history.back(), u"T-2"_s);
    QCOMPARE(history.back(), u"T-1"_s);
    QVERIFY(!history.canGoBack());
    QCOMPARE(history.back(), QString()); // at the start: stays
    QCOMPARE(history.current(), u"T-1"_s);
    QVERIFY(history.canGoForward());
    QCOMPARE(history.forward(), u"T-2"_s);
    QCOMPARE(history.forward(), u"T-3"_s);
    QVERIFY(!history.canGoForward());
    QCOMPARE(history.forward(), QString());
    QCOMPARE(history.current(), u"T-3"_s);
    QCOMPARE(changed.size(), 4); // the moves that happened, not the refused ones
}

void TestNavigationHistory::visitAfterBackDropsForward()
{
    NavigationHistory history;
    history.visit(u"T-1"_s);
    history.visit(u"T-2"_s);
    history.visit(u"T-3"_s);
    history.back();
    history.back();
    history.visit(u"T-9"_s);
    QCOMPARE(history.entries(), (QStringList{u"T-1"_s, u"T-9"_s}));
    QCOMPARE(history.current(), u"T-9"_s);
    QVERIFY(!history.canGoForward());
    QCOMPARE(history.back(), u"T-1"_s);
}

void TestNavigationHistory::revisitingCurrentIsNoChange()
{
    NavigationHistory history;
    history.visit(u"T-1"_s);
    history.visit(u"T-2"_s);
    history.back();
    QSignalSpy changed(&history, &NavigationHistory::changed);
    // The view reports the task it was just sent back to: forward history survives.
    history.visit(u"T-1"_s);
    QCOMPARE(changed.size(), 0);
    QVERIFY(history.canGoForward());
    QCOMPARE(history.entries(), (QStringList{u"T-1"_s, u"T-2"_s}));
    // The same task again later is a new entry.
    history.forward();
    history.visit(u"T-1"_s);
    QCOMPARE(history.entries(), (QStringList{u"T-1"_s, u"T-2"_s, u"T-1"_s}));
}

void TestNavigationHistory::emptyIdIgnored()
{
    NavigationHistory history;
    QSignalSpy changed(&history, &NavigationHistory::changed);
    history.visit(QString());
    QVERIFY(history.entries().isEmpty());
    QCOMPARE(changed.size(), 0);
}

void TestNavigationHistory::oldestEntriesDropPastLimit()
{
    NavigationHistory history;
    const int total = NavigationHistory::maxEntries + 5;
    for (int i = 1; i <= total; ++i)
        history.visit(u"T-%1"_s.arg(i));
    QCOMPARE(history.entries().size(), NavigationHistory::maxEntries);
    QCOMPARE(history.entries().constFirst(), u"T-6"_s);
    QCOMPARE(history.current(), u"T-%1"_s.arg(total));
    QCOMPARE(history.back(), u"T-%1"_s.arg(total - 1));
}

void TestNavigationHistory::clear()
{
    NavigationHistory history;
    history.visit(u"T-1"_s);
    history.visit(u"T-2"_s);
    QSignalSpy changed(&history, &NavigationHistory::changed);
    history.clear();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(history.current(), QString());
    QVERIFY(!history.canGoBack());
    QVERIFY(!history.canGoForward());
    history.clear();
    QCOMPARE(changed.size(), 1);
}

QTEST_GUILESS_MAIN(TestNavigationHistory)
#include "tst_navigationhistory.moc"
