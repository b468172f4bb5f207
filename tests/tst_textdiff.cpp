#include "text/textdiff.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestTextDiff final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void diff_data();
    void diff();
};

void TestTextDiff::diff_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    QTest::addColumn<QString>("expected");

    QTest::newRow("equal") << u"a\nb\n"_s << u"a\nb\n"_s << QString();
    QTest::newRow("one line changed")
        << u"a\nb\nc\n"_s << u"a\nB\nc\n"_s << u"@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"_s;
    QTest::newRow("added at end") << u"a\n"_s << u"a\nb\n"_s << u"@@ -1 +1,2 @@\n a\n+b\n"_s;
    QTest::newRow("from empty") << QString() << u"x\n"_s << u"@@ -0,0 +1 @@\n+x\n"_s;
    QTest::newRow("to empty") << u"x\n"_s << QString() << u"@@ -1 +0,0 @@\n-x\n"_s;
    // Two changes far apart make two hunks with three lines of context each.
    const QString before = u"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n"_s;
    const QString after = u"1\nTWO\n3\n4\n5\n6\n7\n8\n9\n10\nELEVEN\n12\n"_s;
    QTest::newRow("two hunks") << before << after
                               << u"@@ -1,5 +1,5 @@\n 1\n-2\n+TWO\n 3\n 4\n 5\n"
                                  u"@@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+ELEVEN\n 12\n"_s;
    // Changes close together share a hunk.
    QTest::newRow("one hunk") << u"1\n2\n3\n4\n5\n"_s << u"1\nX\n3\n4\nY\n"_s
                              << u"@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n-5\n+Y\n"_s;
}

void TestTextDiff::diff()
{
    QFETCH(QString, before);
    QFETCH(QString, after);
    QFETCH(QString, expected);
    QCOMPARE(unifiedDiff(before, after), expected);
}

QTEST_APPLESS_MAIN(TestTextDiff)
#include "tst_textdiff.moc"
