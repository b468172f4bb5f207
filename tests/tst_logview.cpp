#include "ansitext.h"
#include "guiwatchdog.h"
#include "highlight/highlightrules.h"
#include "highlight/loghighlighter.h"
#include "logpanel.h"
#include "logview.h"
#include "store/recordstore.h"

#include <QAction>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using TestSupport::GuiWatchdog;

Q_DECLARE_METATYPE(Tasktrail::AnsiSegment)
Q_DECLARE_METATYPE(Tasktrail::StyledSpan)
Q_DECLARE_METATYPE(Tasktrail::HighlightKind)

namespace {

constexpr qint64 bigLineCount = 1'000'000;
const QList<qint64> errorLines{1000, 500000, 750000, 999999};
const QList<qint64> needleLines{123456, 876543};
constexpr qint64 decoyLine = 200000; // "needleX7": a match only if '_' were a wildcard

QByteArray bigLineText(qint64 lineNo)
{
    switch (lineNo) {
    case 1000:
        return "ld: error: undefined reference to `main'";
    case 500000:
        return "npm ERR! code ELIFECYCLE";
    case 750000:
        return "Build FAILED in 3 projects";
    case 999999:
        return "fatal: not a git repository";
    case 123456:
    case 876543:
        return "found the Needle_7 here";
    case decoyLine:
        return "needleX7 is not the one";
    default:
        return "step " + QByteArray::number(lineNo) + " compiling module";
    }
}

// Runs a search of the view and waits for its answer.
template<typename Search> qint64 searched(LogView &view, Search search)
{
    QSignalSpy finished(&view, &LogView::searchFinished);
    search();
    if (finished.isEmpty() && !finished.wait(30000))
        return -2;
    return finished.constFirst().at(0).toLongLong();
}

qint64 findNext(LogView &view, const QString &text, bool backwards = false)
{
    return searched(view, [&] { view.findNext(text, backwards); });
}

qint64 nextError(LogView &view, bool backwards = false)
{
    return searched(view, [&] { view.nextError(backwards); });
}

} // namespace

class TestLogView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void openingReadsOneWindow();
    void scrollToLineShowsThatLine();
    void cacheStaysBounded();
    void findNextForwardAndBackward();
    void findEscapesWildcardsAndStaysInItsCommand();
    void nextErrorJumpsToErrorLines();
    void ansiLinesShowPlainText();
    void panelFindsAndJumps();
    void paintingShowsPlaceholdersUntilLinesArrive();
    void guiThreadNeverWaitsOnTheLog();
    void parseAnsi_data();
    void parseAnsi();
    void builtinSpans_data();
    void builtinSpans();
    void highlighterFormatsFollowPalette();
    void highlighterInstallsOnDocument();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<RecordStore> m_store;
    qint64 m_bigKey = 0;
    qint64 m_ansiKey = 0;
};

void TestLogView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    m_store = openStore(m_dir.filePath(u"logs.db"_s), &error);
    QVERIFY2(m_store, qPrintable(error));

    const auto big = m_store->commandKey(u"task-big"_s, 1);
    const auto ansi = m_store->commandKey(u"task-ansi"_s, 1);
    QVERIFY(big && ansi);
    m_bigKey = *big;
    m_ansiKey = *ansi;

    QElapsedTimer timer;
    timer.start();
    QVERIFY(m_store->beginBatch());
    bool inserted = false;
    for (qint64 lineNo = 1; lineNo <= bigLineCount; ++lineNo) {
        LogLine line;
        line.lineNo = lineNo;
        line.text = bigLineText(lineNo);
        QVERIFY(m_store->appendLogLine(m_bigKey, line, &inserted));
    }
    const QList<QPair<QByteArray, QByteArray>> ansiLines{
        {"\x1b[1;31merror\x1b[0m: boom", "error: boom"},
        {"\x1b[32mok\x1b[0m needle_7", "ok needle_7"},
        {"plain warning line", {}},
    };
    for (qsizetype i = 0; i < ansiLines.size(); ++i) {
        LogLine line;
        line.lineNo = i + 1;
        line.ansi = ansiLines.at(i).first;
        line.text =
            ansiLines.at(i).second.isNull() ? ansiLines.at(i).first : ansiLines.at(i).second;
        if (ansiLines.at(i).second.isNull())
            line.ansi.clear();
        QVERIFY(m_store->appendLogLine(m_ansiKey, line, &inserted));
    }
    QVERIFY2(m_store->commitBatch(), qPrintable(m_store->errorString()));
    qInfo("wrote %lld log lines in %lld ms", bigLineCount, timer.elapsed());
}

void TestLogView::openingReadsOneWindow()
{
    LogView view;
    view.resize(800, 600);
    QElapsedTimer timer;
    timer.start();
    view.setLog(m_store.get(), m_bigKey, bigLineCount);
    view.viewport()->grab(); // paints the visible lines, asking for their window
    qInfo("opened and painted in %lld ms", timer.elapsed());

    QCOMPARE(view.firstVisibleLine(), 1);
    QTRY_COMPARE(view.cache().fetches(), 1);
    QCOMPARE(view.cache().linesFetched(), qint64(LogLineCache::windowSize));
    QCOMPARE(view.verticalScrollBar()->maximum(), int(bigLineCount - view.visibleLineCount()));
    QCOMPARE(view.lineText(2), u"step 2 compiling module"_s);
}

void TestLogView::scrollToLineShowsThatLine()
{
    LogView view;
    view.resize(800, 600);
    view.setLog(m_store.get(), m_bigKey, bigLineCount);
    QSignalSpy changed(&view, &LogView::currentLineChanged);
    view.scrollToLine(900000);
    view.viewport()->grab();

    QVERIFY(view.isLineVisible(900000));
    QVERIFY(view.firstVisibleLine() <= 900000);
    QVERIFY(view.firstVisibleLine() + view.visibleLineCount() > 900000);
    QCOMPARE(view.currentLine(), 900000);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toLongLong(), 900000);
    QTRY_COMPARE(view.lineText(900000), u"step 900000 compiling module"_s);
    QVERIFY(view.cache().linesFetched() <= 2 * LogLineCache::windowSize);

    view.scrollToLine(bigLineCount);
    view.viewport()->grab();
    QVERIFY(view.isLineVisible(bigLineCount));
    QCOMPARE(view.firstVisibleLine(), bigLineCount - view.visibleLineCount() + 1);
}

void TestLogView::cacheStaysBounded()
{
    LogView view;
    view.resize(800, 600);
    view.setLog(m_store.get(), m_bigKey, bigLineCount);
    for (qint64 lineNo = 1; lineNo <= bigLineCount; lineNo += 37'000) {
        view.scrollToLine(lineNo);
        view.viewport()->grab();
        QTRY_COMPARE(view.lineText(lineNo), QString::fromUtf8(bigLineText(lineNo)));
    }
    QVERIFY(view.cache().cachedLines() <=
            qsizetype(LogLineCache::maxWindows) * LogLineCache::windowSize);
    QVERIFY(view.cache().linesFetched() < 100 * LogLineCache::windowSize);
}

void TestLogView::findNextForwardAndBackward()
{
    LogView view;
    view.resize(800, 600);
    view.setLog(m_store.get(), m_bigKey, bigLineCount);

    QCOMPARE(findNext(view, u"needle_7"_s), needleLines.at(0));
    QVERIFY(view.isLineVisible(needleLines.at(0)));
    QCOMPARE(findNext(view, u"NEEDLE_7"_s), needleLines.at(1));
    QCOMPARE(findNext(view, u"needle_7"_s), -1);
    QCOMPARE(view.currentLine(), needleLines.at(1)); // a miss leaves the position alone
    QCOMPARE(findNext(view, u"needle_7"_s, true), needleLines.at(0));
    QCOMPARE(findNext(view, u"needle_7"_s, true), -1);

    view.scrollToLine(900000);
    QCOMPARE(findNext(view, u"step 900001 "_s), 900001);
    QCOMPARE(findNext(view, u"step 12 "_s, true), 12);
    QCOMPARE(findNext(view, QString()), -1);
    QVERIFY(view.cache().cachedLines() <=
            qsizetype(LogLineCache::maxWindows) * LogLineCache::windowSize);
}

void TestLogView::findEscapesWildcardsAndStaysInItsCommand()
{
    QCOMPARE(m_store->findLogLine(m_bigKey, 1, u"needleX7"_s, false), decoyLine);
    QCOMPARE(m_store->findLogLine(m_bigKey, needleLines.at(0) + 1, u"needle_7"_s, false),
             needleLines.at(1));
    QCOMPARE(m_store->findLogLine(m_bigKey, 1, u"100%"_s, false), std::nullopt);
    // The small command's needle is not found from the big one, and the other way round.
    QCOMPARE(m_store->findLogLine(m_ansiKey, 1, u"needle_7"_s, false), 2);
    QCOMPARE(m_store->findLogLine(m_ansiKey, 3, u"needle_7"_s, false), std::nullopt);
    QCOMPARE(m_store->findLogLine(m_bigKey, bigLineCount, u"needle_7"_s, true), needleLines.at(1));
}

void TestLogView::nextErrorJumpsToErrorLines()
{
    LogView view;
    view.resize(800, 600);
    view.setLog(m_store.get(), m_bigKey, bigLineCount);
    for (qint64 expected : errorLines) {
        QCOMPARE(nextError(view), expected);
        QVERIFY(view.isLineVisible(expected));
        QCOMPARE(view.currentLine(), expected);
    }
    QCOMPARE(nextError(view), -1);
    QCOMPARE(nextError(view, true), errorLines.at(2));
    QCOMPARE(nextError(view, true), errorLines.at(1));
    for (qint64 lineNo : errorLines)
        QVERIFY2(isErrorLine(QString::fromUtf8(bigLineText(lineNo))),
                 bigLineText(lineNo).constData());
}

void TestLogView::ansiLinesShowPlainText()
{
    LogView view;
    view.resize(600, 200);
    view.setLog(m_store.get(), m_ansiKey, 3);
    view.viewport()->grab();
    QTRY_COMPARE(view.lineText(1), u"error: boom"_s);
    QCOMPARE(view.lineText(3), u"plain warning line"_s);
    QCOMPARE(view.lineText(4), QString());
    QCOMPARE(nextError(view), 1);
    QCOMPARE(view.verticalScrollBar()->maximum(), 0);
}

void TestLogView::panelFindsAndJumps()
{
    LogPanel panel;
    panel.resize(800, 600);
    panel.setLog(m_store.get(), m_bigKey, bigLineCount);
    panel.findEdit()->setText(u"needle_7"_s);
    QTest::keyClick(panel.findEdit(), Qt::Key_Return);
    QCOMPARE(panel.status(), u"Searching…"_s);
    QTRY_COMPARE(panel.logView()->currentLine(), needleLines.at(0));
    QCOMPARE(panel.status(), u"Line %1"_s.arg(needleLines.at(0)));
    panel.findNext();
    QTRY_COMPARE(panel.logView()->currentLine(), needleLines.at(1));
    panel.findNext();
    QTRY_COMPARE(panel.status(), u"Not found"_s);
    panel.findPrevious();
    QTRY_COMPARE(panel.logView()->currentLine(), needleLines.at(0));

    QCOMPARE(panel.nextErrorAction()->shortcut(), QKeySequence(Qt::Key_F8));
    QCOMPARE(panel.previousErrorAction()->shortcut(), QKeySequence(Qt::SHIFT | Qt::Key_F8));
    panel.nextErrorAction()->trigger(); // from line 123456
    QTRY_COMPARE(panel.logView()->currentLine(), errorLines.at(1));
    panel.previousErrorAction()->trigger();
    QTRY_COMPARE(panel.logView()->currentLine(), errorLines.at(0));
    panel.previousErrorAction()->trigger();
    QTRY_COMPARE(panel.status(), u"No earlier errors"_s);
    QCOMPARE(panel.logView()->currentLine(), errorLines.at(0));
}

void TestLogView::paintingShowsPlaceholdersUntilLinesArrive()
{
    LogView view;
    view.resize(800, 600);
    view.setLog(m_store.get(), m_bigKey, bigLineCount);
    view.scrollToLine(654321);
    QSignalSpy loaded(&view, &LogView::linesLoaded);
    // Painting never reads: the first frame has the line's number but not yet its text.
    view.viewport()->grab();
    QVERIFY(!view.isLineLoaded(654321));
    QCOMPARE(view.lineText(654321), QString());
    QCOMPARE(view.cache().fetches(), 0);
    // The window arrives from the query thread and the view repaints with it.
    QVERIFY(loaded.wait(30000));
    QVERIFY(view.isLineLoaded(654321));
    QCOMPARE(view.lineText(654321), u"step 654321 compiling module"_s);
    // One read brought every window on screen, and nothing else.
    const qint64 first = view.firstVisibleLine();
    const qint64 last = first + view.visibleLineCount();
    QCOMPARE(view.cache().fetches(),
             int(LogLineCache::windowOf(last) - LogLineCache::windowOf(first) + 1));
    QCOMPARE(loaded.size(), 1);
}

void TestLogView::guiThreadNeverWaitsOnTheLog()
{
    LogPanel panel;
    panel.resize(800, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    LogView *view = panel.logView();

    // The watchdog must be able to see what a synchronous search on this log costs, or it
    // could not tell the asynchronous one apart.
    {
        GuiWatchdog watchdog;
        watchdog.arm();
        watchdog.setStep(u"a search for a missing word on the GUI thread"_s);
        QVERIFY(!m_store->findLogLine(m_bigKey, 1, u"no such word"_s, false));
        watchdog.disarm();
        QVERIFY2(watchdog.stalled(), qPrintable(watchdog.report()));
    }

    GuiWatchdog watchdog;
    watchdog.arm();
    watchdog.setStep(u"opening a log of a million lines"_s);
    panel.setLog(m_store.get(), m_bigKey, bigLineCount);
    QTRY_VERIFY(view->isLineLoaded(1));
    watchdog.setStep(u"scrolling deep into it"_s);
    for (qint64 lineNo : {250000, 500000, 999000}) {
        view->scrollToLine(lineNo);
        QTRY_COMPARE(view->lineText(lineNo), QString::fromUtf8(bigLineText(lineNo)));
    }
    watchdog.setStep(u"finding a missing word"_s);
    panel.findEdit()->setText(u"no such word"_s);
    panel.findNext();
    QTRY_COMPARE_WITH_TIMEOUT(panel.status(), u"Not found"_s, 30000);
    watchdog.setStep(u"jumping between errors"_s);
    view->scrollToLine(1);
    panel.nextError();
    QTRY_COMPARE(view->currentLine(), errorLines.at(0));
    panel.nextError();
    QTRY_COMPARE(view->currentLine(), errorLines.at(1));
    QTRY_VERIFY(view->isLineLoaded(errorLines.at(1)));
    watchdog.setStep(u"a search superseded by another"_s);
    panel.findEdit()->setText(u"no such word"_s);
    panel.findPrevious();
    panel.findEdit()->setText(u"needle_7"_s);
    panel.findPrevious();
    QTRY_COMPARE_WITH_TIMEOUT(view->currentLine(), needleLines.at(0), 30000);
    watchdog.disarm();
    QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));
}

void TestLogView::parseAnsi_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<AnsiSegment>>("expected");

    QTest::newRow("plain") << QByteArray("hello")
                           << QList<AnsiSegment>{{u"hello"_s, -1, -1, false}};
    QTest::newRow("red then reset")
        << QByteArray("\x1b[31mred\x1b[0m plain")
        << QList<AnsiSegment>{{u"red"_s, 1, -1, false}, {u" plain"_s, -1, -1, false}};
    QTest::newRow("bold bright green on blue")
        << QByteArray("\x1b[1;92;44mgo\x1b[m") << QList<AnsiSegment>{{u"go"_s, 10, 4, true}};
    QTest::newRow("bold off keeps colour")
        << QByteArray("\x1b[1;33mA\x1b[22mB\x1b[39mC")
        << QList<AnsiSegment>{
               {u"A"_s, 3, -1, true}, {u"B"_s, 3, -1, false}, {u"C"_s, -1, -1, false}};
    QTest::newRow("256 colours") << QByteArray("\x1b[38;5;9mx\x1b[38;5;200my")
                                 << QList<AnsiSegment>{{u"x"_s, 9, -1, false},
                                                       {u"y"_s, -1, -1, false}};
    QTest::newRow("truecolor consumed")
        << QByteArray("\x1b[38;2;1;2;3;1mz") << QList<AnsiSegment>{{u"z"_s, -1, -1, true}};
    QTest::newRow("cursor codes dropped") << QByteArray("\x1b[2K\x1b[1Gprogress")
                                          << QList<AnsiSegment>{{u"progress"_s, -1, -1, false}};
    QTest::newRow("utf8 kept") << QByteArray("\x1b[35m\xc3\xa9t\xc3\xa9")
                               << QList<AnsiSegment>{{u"\u00e9t\u00e9"_s, 5, -1, false}};
    QTest::newRow("truncated escape")
        << QByteArray("a\x1b[3") << QList<AnsiSegment>{{u"a"_s, -1, -1, false}};
}

void TestLogView::parseAnsi()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<AnsiSegment>, expected);
    const QList<AnsiSegment> actual = Tasktrail::parseAnsi(input);
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        QCOMPARE(actual.at(i).text, expected.at(i).text);
        QCOMPARE(actual.at(i).foreground, expected.at(i).foreground);
        QCOMPARE(actual.at(i).background, expected.at(i).background);
        QCOMPARE(actual.at(i).bold, expected.at(i).bold);
    }
    QCOMPARE(ansiColor(1), QColor(0xcd, 0x00, 0x00));
    QCOMPARE(ansiColor(15), QColor(Qt::white));
    QVERIFY(!ansiColor(16).isValid());
}

void TestLogView::builtinSpans_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<HighlightKind>("kind");
    QTest::addColumn<QList<StyledSpan>>("expected");
    using S = HighlightStyle;
    const auto log = HighlightKind::CommandLog;
    const auto diff = HighlightKind::UnifiedDiff;
    const auto json = HighlightKind::Json;

    QTest::newRow("log error") << u"error: x"_s << log << QList<StyledSpan>{{0, 8, S::Error}};
    QTest::newRow("log failed any case")
        << u"Tests FAILED"_s << log << QList<StyledSpan>{{0, 12, S::Error}};
    QTest::newRow("log npm ERR!") << u"npm ERR! x"_s << log << QList<StyledSpan>{{0, 10, S::Error}};
    QTest::newRow("log warning") << u"warning: unused"_s << log
                                 << QList<StyledSpan>{{0, 15, S::Warning}};
    QTest::newRow("log prompt") << u"$ make -j8"_s << log << QList<StyledSpan>{{0, 10, S::Prompt}};
    QTest::newRow("log timestamp then error")
        << u"2024-05-01T10:00:00Z fatal: gone"_s << log
        << QList<StyledSpan>{{0, 20, S::Timestamp}, {21, 11, S::Error}};
    QTest::newRow("log bracketed time")
        << u"[12:00:01] building"_s << log << QList<StyledSpan>{{0, 10, S::Timestamp}};
    QTest::newRow("log plain") << u"compiling foo.c"_s << log << QList<StyledSpan>{};
    QTest::newRow("diff header") << u"+++ b/file.c"_s << diff
                                 << QList<StyledSpan>{{0, 12, S::DiffHeader}};
    QTest::newRow("diff old header")
        << u"--- a/file.c"_s << diff << QList<StyledSpan>{{0, 12, S::DiffHeader}};
    QTest::newRow("diff hunk") << u"@@ -1,2 +1,3 @@"_s << diff
                               << QList<StyledSpan>{{0, 15, S::DiffHunk}};
    QTest::newRow("diff added") << u"+int x;"_s << diff << QList<StyledSpan>{{0, 7, S::DiffAdded}};
    QTest::newRow("diff removed") << u"-int y;"_s << diff
                                  << QList<StyledSpan>{{0, 7, S::DiffRemoved}};
    QTest::newRow("diff context") << u" int z;"_s << diff << QList<StyledSpan>{};
    QTest::newRow("json tokens") << uR"({"a": "b\"c", "n": -1.5e3, "t": true, "z": null})"_s << json
                                 << QList<StyledSpan>{{1, 3, S::JsonKey},  {6, 6, S::JsonString},
                                                      {14, 3, S::JsonKey}, {19, 6, S::JsonNumber},
                                                      {27, 3, S::JsonKey}, {32, 4, S::JsonLiteral},
                                                      {38, 3, S::JsonKey}, {43, 4, S::JsonLiteral}};

    const auto toml = HighlightKind::Toml;
    QTest::newRow("toml comment") << u"  # approved by security"_s << toml
                                  << QList<StyledSpan>{{2, 22, S::Comment}};
    QTest::newRow("toml table") << u"[[freeze]] # payments"_s << toml
                                << QList<StyledSpan>{{0, 10, S::Section}, {11, 10, S::Comment}};
    QTest::newRow("toml string value")
        << u"id = \"deps-bump\""_s << toml
        << QList<StyledSpan>{{0, 2, S::JsonKey}, {5, 11, S::JsonString}};
    QTest::newRow("toml number and comment")
        << u"max_retries = 2 # then stop"_s << toml
        << QList<StyledSpan>{{0, 11, S::JsonKey}, {14, 1, S::JsonNumber}, {16, 11, S::Comment}};
    QTest::newRow("toml date and bool")
        << u"from = 2026-11-10T00:00:00Z"_s << toml
        << QList<StyledSpan>{{0, 4, S::JsonKey}, {7, 20, S::JsonNumber}};
    QTest::newRow("toml literal string with hash")
        << u"allow = ['a#b', \"c\"]"_s << toml
        << QList<StyledSpan>{{0, 5, S::JsonKey}, {9, 5, S::JsonString}, {16, 3, S::JsonString}};
    QTest::newRow("toml array continuation")
        << u"  \"npm test\","_s << toml << QList<StyledSpan>{{2, 10, S::JsonString}};
    QTest::newRow("toml bool") << u"forks = false"_s << toml
                               << QList<StyledSpan>{{0, 5, S::JsonKey}, {8, 5, S::JsonLiteral}};
}

void TestLogView::builtinSpans()
{
    QFETCH(QString, line);
    QFETCH(HighlightKind, kind);
    QFETCH(QList<StyledSpan>, expected);
    const QList<StyledSpan> actual = Tasktrail::builtinSpans(line, kind);
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        QCOMPARE(actual.at(i).start, expected.at(i).start);
        QCOMPARE(actual.at(i).length, expected.at(i).length);
        QCOMPARE(int(actual.at(i).style), int(expected.at(i).style));
    }
}

void TestLogView::highlighterFormatsFollowPalette()
{
    QPalette light;
    light.setColor(QPalette::Base, Qt::white);
    light.setColor(QPalette::Text, Qt::black);
    QPalette dark;
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));

    LogHighlighter highlighter(light);
    const QColor lightError = highlighter.format(HighlightStyle::Error).foreground().color();
    const auto ranges =
        highlighter.formatLine(u"ld: error: undefined"_s, HighlightKind::CommandLog);
    QCOMPARE(ranges.size(), 1);
    QCOMPARE(ranges.at(0).start, 0);
    QCOMPARE(ranges.at(0).length, 20);
    QCOMPARE(ranges.at(0).format, highlighter.format(HighlightStyle::Error));
    QCOMPARE(highlighter.format(HighlightStyle::Prompt).fontWeight(), int(QFont::Bold));
    QVERIFY(lightError.lightness() < 128); // dark text on a light background

    highlighter.setPalette(dark);
    const QColor darkError = highlighter.format(HighlightStyle::Error).foreground().color();
    QVERIFY(darkError.lightness() > 128);
    QVERIFY(darkError.red() > darkError.green());
    // Timestamps are dimmed towards the background: between text and base.
    const int dim = highlighter.format(HighlightStyle::Timestamp).foreground().color().lightness();
    QVERIFY(dim < 0xee && dim > 0x1e);

    if (!LogHighlighter::hasKSyntaxHighlighting()) {
        const auto diff = highlighter.formatLine(u"+added"_s, HighlightKind::UnifiedDiff);
        QCOMPARE(diff.size(), 1);
        QCOMPARE(diff.at(0).format, highlighter.format(HighlightStyle::DiffAdded));
    }
}

void TestLogView::highlighterInstallsOnDocument()
{
    QPalette light;
    light.setColor(QPalette::Base, Qt::white);
    LogHighlighter highlighter(light);
    QTextDocument document;
    document.setPlainText(u"ok\nerror: boom\n"_s);
    highlighter.highlight(&document, HighlightKind::CommandLog);
    // QSyntaxHighlighter highlights from the event loop once it is attached.
    const QTextBlock block = document.findBlockByNumber(1);
    QTRY_COMPARE(block.layout()->formats().size(), 1);
    const auto formats = block.layout()->formats();
    QCOMPARE(formats.at(0).format.foreground(),
             highlighter.format(HighlightStyle::Error).foreground());
    QVERIFY(document.findBlockByNumber(0).layout()->formats().isEmpty());
}

QTEST_MAIN(TestLogView)
#include "tst_logview.moc"
