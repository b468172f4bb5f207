// The Transcript page: a task's conversation, a page at a time, with tool calls folded under
// their results, find, and the way between a shell call and its command's log.
#include "chaindetail.h"
#include "chainstrip.h"
#include "displaytext.h"
#include "guiwatchdog.h"
#include "ingestfixture.h"
#include "logpanel.h"
#include "logview.h"
#include "records/taskchain.h"
#include "searchresultsmodel.h"
#include "searchview.h"
#include "taskview.h"
#include "transcriptmodel.h"
#include "transcriptpanel.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTimeZone>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using Tasktrail::IngestFixture::Scene;
using TestSupport::GuiWatchdog;

namespace {

const QString claudeTask = u"0f3c2a9e-5d41-4b7a-9c1e-7a2b3c4d5e6f"_s;
const QString subAgent = claudeTask + u"/agent-a7f3"_s;

// The Claude Code fixture, ingested: 21 entries in two sessions (the main one and a
// sub-agent's sidechain), each shell call linked to its command.
void ingestClaudeSession(Scene &scene)
{
    QFile in(QStringLiteral(TASKTRAIL_TEST_DATA) + u"/transcripts/claude-code-session.jsonl"_s);
    QVERIFY(in.open(QIODevice::ReadOnly));
    scene.ingest({scene.write(u"session.jsonl"_s, in.readAll())});
}

// The entry of `role` that names command `seq`.
TranscriptPosition entryOfCommand(RecordStore &store, int seq, const QString &role)
{
    const std::optional<TaskChain> chain = store.taskChain(claudeTask);
    for (const TranscriptEntry &e : chain->transcript) {
        if (e.commandSeq == seq && e.role == role)
            return {e.sessionId, e.seq};
    }
    return {};
}

// A long conversation written through the store: a user turn, then `turns` rounds of an
// assistant message, a shell call and its result, in one session.
void writeLongTranscript(RecordStore &store, const QString &taskId, int turns)
{
    TaskRecord task;
    task.id = taskId;
    task.repo = u"acme/widget"_s;
    task.state = TaskState::Completed;
    QVERIFY(store.beginBatch());
    QVERIFY(store.writeTask(task));
    const QDateTime start(QDate(2026, 3, 1), QTime(8, 0), QTimeZone::utc());
    int seq = 0;
    const auto write = [&](const QString &role, const QString &tool, const QString &callId,
                           const QString &text) {
        TranscriptEntry e;
        e.sessionId = u"long-session"_s;
        e.taskId = taskId;
        e.seq = ++seq;
        e.role = role;
        e.tool = tool;
        e.callId = callId;
        e.at = start.addSecs(seq);
        e.text = text;
        QVERIFY(store.writeTranscriptEntry(e));
    };
    write(u"user"_s, {}, {}, u"Make the build faster."_s);
    for (int i = 1; i <= turns; ++i) {
        const QString call = u"call-%1"_s.arg(i);
        write(u"assistant"_s, {}, {}, u"Step %1: I will look at target %1."_s.arg(i));
        write(u"tool_call"_s, u"Bash"_s, call, u"make target-%1"_s.arg(i));
        write(u"tool_result"_s, u"Bash"_s, call,
              i == turns - 10 ? u"needle found in the output"_s : u"built target-%1"_s.arg(i));
    }
    QVERIFY(store.commitBatch());
}

// Loads every page the model asks for, synchronously, from the store.
void serveModel(TranscriptModel &model, RecordStore &store)
{
    QObject::connect(&model, &TranscriptModel::pageNeeded, &model, [&model, &store](int page) {
        model.setPage(page, store.transcriptRows(model.taskId(), model.pageStart(page),
                                                 TranscriptModel::pageSize));
    });
}

QString who(const QModelIndex &index)
{
    return index.siblingAtColumn(TranscriptModel::WhoColumn).data().toString();
}

struct Shown
{
    Scene scene;
    TaskView view;
    TranscriptPanel *panel() const { return view.detail()->transcriptPanel(); }
    TranscriptModel *model() const { return panel()->model(); }

    bool open(const QString &taskId)
    {
        const std::optional<TaskChain> chain = scene.store().taskChainOutline(taskId);
        if (!chain || !chain->transcript.isEmpty())
            return false;
        view.setStore(&scene.store());
        view.resize(1000, 700);
        view.show();
        view.showChain(*chain);
        view.showCard(ChainStrip::Card::Transcript);
        return true;
    }
};

} // namespace

class TestTranscriptView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The store's rows: every entry once, each call under its result, in order.
    void rowsFoldCallsUnderResults()
    {
        Scene scene;
        ingestClaudeSession(scene);
        const std::optional<TaskChain> chain = scene.store().taskChain(claudeTask);
        QVERIFY(chain);
        QCOMPARE(chain->transcript.size(), 21);
        QCOMPARE(chain->transcriptEntries, 21);

        const TranscriptOutline outline = scene.store().transcriptOutline(claudeTask, 4);
        QCOMPARE(outline.sessions, (QStringList{claudeTask, subAgent}));
        QList<TranscriptRow> rows;
        for (const TranscriptPosition &anchor : outline.anchors)
            rows += scene.store().transcriptRows(claudeTask, anchor, 4);
        QCOMPARE(rows.size(), outline.rows);
        QList<TranscriptPosition> seen;
        for (const TranscriptRow &row : std::as_const(rows)) {
            QVERIFY2(row.entry.role != u"tool_call" || !row.call, "a call holds no call");
            seen << row.position();
            if (row.call) {
                QCOMPARE(row.entry.role, u"tool_result"_s);
                QCOMPARE(row.call->callId, row.entry.callId);
                seen << TranscriptPosition{row.call->sessionId, row.call->seq};
            }
        }
        // Every entry shows exactly once, as a row or under one.
        QCOMPARE(seen.size(), 21);
        for (const TranscriptEntry &e : chain->transcript)
            QVERIFY(seen.contains(TranscriptPosition{e.sessionId, e.seq}));
        // The shell call's row is its result's.
        const std::optional<TranscriptPosition> call =
            scene.store().transcriptCallOfCommand(claudeTask, 1);
        QVERIFY(call);
        QCOMPARE(*call, (TranscriptPosition{claudeTask, 3}));
        QCOMPARE(scene.store().transcriptRowOf(claudeTask, *call),
                 scene.store().transcriptRowOf(claudeTask, {claudeTask, 4}));
        QCOMPARE(scene.store().transcriptRowOf(claudeTask, {claudeTask, 999}), -1);
    }

    void modelPassesTester()
    {
        Scene scene;
        // Five pages: the tester checks every notification, which costs a second per page.
        writeLongTranscript(scene.store(), u"T-long"_s, 450);
        TranscriptModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        serveModel(model, scene.store());
        model.setOutline(u"T-long"_s,
                         scene.store().transcriptOutline(u"T-long"_s, TranscriptModel::pageSize));
        QCOMPARE(model.rowCount(), 1 + 2 * 450);
        // Reading every row loads every page, each inserting the calls under its results.
        for (int row = 0; row < model.rowCount(); row += TranscriptModel::pageSize / 2) {
            const QModelIndex index = model.index(row, TranscriptModel::TextColumn);
            index.data();
            QTRY_VERIFY(index.data(TranscriptModel::IsLoadedRole).toBool());
        }
        const QModelIndex result = model.index(2, 0);
        QTRY_VERIFY(result.data(TranscriptModel::IsLoadedRole).toBool());
        QCOMPARE(who(result), u"Tool result · Bash"_s);
        QCOMPARE(model.rowCount(result), 1);
        QCOMPARE(who(model.index(0, 0, result)), u"Tool call · Bash"_s);
        QCOMPARE(model.index(0, TranscriptModel::TextColumn, result).data().toString(),
                 u"make target-1"_s);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void pageShowsConversationFolded()
    {
        Shown shown;
        ingestClaudeSession(shown.scene);
        QVERIFY(shown.open(claudeTask));
        QCOMPARE(shown.view.strip()->cardText(ChainStrip::Card::Transcript),
                 u"Transcript\n21 entries"_s);
        TranscriptModel *model = shown.model();
        QTRY_VERIFY(model->rowCount() > 0);
        QTRY_VERIFY(
            model->index(model->rowCount() - 1, 0).data(TranscriptModel::IsLoadedRole).toBool());
        int calls = 0;
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex index = model->index(row, 0);
            QVERIFY2(index.data(TranscriptModel::RoleNameRole) != u"tool_call"_s ||
                         model->rowCount(index) == 0,
                     qPrintable(who(index)));
            if (model->rowCount(index) == 1) {
                ++calls;
                QCOMPARE(index.data(TranscriptModel::RoleNameRole).toString(), u"tool_result"_s);
                QCOMPARE(model->index(0, 0, index).data(TranscriptModel::RoleNameRole).toString(),
                         u"tool_call"_s);
            }
        }
        QCOMPARE(model->rowCount() + calls, 21);
        // Two sessions: the session column says whose entry a row is.
        QVERIFY(!shown.panel()->view()->isColumnHidden(TranscriptModel::SessionColumn));
        const QModelIndex first = model->index(0, 0);
        QCOMPARE(who(first), u"User"_s);
        QCOMPARE(
            first.siblingAtColumn(TranscriptModel::TimeColumn).data().toString(),
            DisplayText::timestamp(QDateTime(QDate(2026, 1, 5), QTime(9, 0), QTimeZone::utc())));
        const QModelIndex last = model->index(model->rowCount() - 1, 0);
        QCOMPARE(last.data(TranscriptModel::SessionIdRole).toString(), subAgent);
        QVERIFY(who(last).startsWith(u"Sub-agent · "_s));
    }

    // A shell call opens its command's log at its first line; the log goes back to the call.
    void jumpToCommandLogAndBack()
    {
        Shown shown;
        ingestClaudeSession(shown.scene);
        QVERIFY(shown.open(claudeTask));
        TranscriptPanel *panel = shown.panel();
        QSignalSpy shownEntries(panel, &TranscriptPanel::entryShown);
        const TranscriptPosition npmTest = entryOfCommand(shown.scene.store(), 1, u"tool_call"_s);
        const TranscriptPosition npmResult =
            entryOfCommand(shown.scene.store(), 1, u"tool_result"_s);
        const TranscriptPosition subFailure =
            entryOfCommand(shown.scene.store(), 2, u"tool_result"_s);
        QCOMPARE(subFailure.sessionId, subAgent);
        panel->showEntry(npmResult);
        QTRY_COMPARE(shownEntries.size(), 1);
        QCOMPARE(panel->currentPosition(), npmResult);
        QVERIFY(panel->commandLogButton()->isEnabled());
        QVERIFY(panel->entryText()->toPlainText().contains(u"npm test"_s));

        // The sub-agent's failed shell call became command 2.
        panel->showEntry(subFailure);
        QTRY_COMPARE(shownEntries.size(), 2);
        QCOMPARE(panel->currentCommandSeq(), 2);
        QTest::mouseClick(panel->commandLogButton(), Qt::LeftButton);
        QCOMPARE(shown.view.strip()->currentCard(), ChainStrip::Card::Commands);
        QCOMPARE(shown.view.logSeq(), 2);
        QTRY_COMPARE(shown.view.logPanel()->logView()->currentLine(), 1);

        QVERIFY(shown.view.logToTranscriptButton()->isEnabled());
        // Back from command 1's log: the call itself, folded under its result and shown.
        QVERIFY(shown.view.openLog(1));
        QTest::mouseClick(shown.view.logToTranscriptButton(), Qt::LeftButton);
        QCOMPARE(shown.view.strip()->currentCard(), ChainStrip::Card::Transcript);
        QTRY_COMPARE(shownEntries.size(), 3);
        QCOMPARE(panel->currentPosition(), npmTest);
        const QModelIndex current = panel->view()->currentIndex();
        QVERIFY(current.parent().isValid());
        QVERIFY(panel->view()->isExpanded(current.parent()));
        QCOMPARE(current.parent().data(TranscriptModel::SeqRole).toInt(), npmResult.seq);
    }

    void findMovesBetweenHits()
    {
        Shown shown;
        ingestClaudeSession(shown.scene);
        QVERIFY(shown.open(claudeTask));
        TranscriptPanel *panel = shown.panel();
        QTRY_VERIFY(shown.model()->rowCount() > 0);
        QSignalSpy finished(panel, &TranscriptPanel::searchFinished);
        // Where the fixture names npm (the shell calls and what they printed), in row order.
        const QList<TranscriptEntry> all = shown.scene.store().taskChain(claudeTask)->transcript;
        QVERIFY(!all.isEmpty());
        QList<TranscriptPosition> expected;
        for (const TranscriptEntry &e : all) {
            if (!e.text.contains(u"NPM"_s, Qt::CaseInsensitive))
                continue;
            // A call is found on its result's row.
            TranscriptPosition row{e.sessionId, e.seq};
            if (e.role == u"tool_call") {
                for (const TranscriptEntry &r : all) {
                    if (r.role == u"tool_result" && r.callId == e.callId &&
                        r.sessionId == e.sessionId) {
                        row = {r.sessionId, r.seq};
                        break;
                    }
                }
            }
            if (!expected.contains(row))
                expected << row;
        }
        QVERIFY2(expected.size() >= 2, "the fixture names npm more than once");

        panel->findEdit()->setText(u"NPM"_s); // ASCII case is ignored
        for (qsizetype i = 0; i < expected.size(); ++i) {
            QTest::keyClick(panel->findEdit(), Qt::Key_Return);
            QTRY_COMPARE(finished.size(), int(i) + 1);
            QVERIFY(finished.last().at(0).toBool());
            QCOMPARE(panel->currentPosition(), expected.at(i));
        }
        panel->findNext();
        QTRY_COMPARE(finished.size(), int(expected.size()) + 1);
        QVERIFY(!finished.last().at(0).toBool());
        QCOMPARE(panel->status(), u"Not found"_s);
        QCOMPARE(panel->currentPosition(), expected.constLast());
        panel->findPrevious();
        QTRY_COMPARE(finished.size(), int(expected.size()) + 2);
        QCOMPARE(panel->currentPosition(), expected.at(expected.size() - 2));
    }

    // Tens of thousands of entries: opening, scrolling and finding never stall the GUI thread.
    void largeTranscriptScrollsWithoutStall()
    {
        Shown shown;
        const int turns = 20000;
        writeLongTranscript(shown.scene.store(), u"T-large"_s, turns);
        GuiWatchdog watchdog;
        watchdog.arm();
        watchdog.setStep(u"opening"_s);
        QVERIFY(shown.open(u"T-large"_s));
        TranscriptModel *model = shown.model();
        QTRY_COMPARE(model->rowCount(), 1 + 2 * turns);
        QTreeView *tree = shown.panel()->view();
        QScrollBar *bar = tree->verticalScrollBar();
        watchdog.setStep(u"scrolling"_s);
        for (const double at : {0.5, 1.0, 0.1, 0.75, 0.3, 0.9}) {
            bar->setValue(int(bar->maximum() * at));
            const QModelIndex top = tree->indexAt(QPoint(4, 4));
            QVERIFY(top.isValid());
            QTRY_VERIFY(top.data(TranscriptModel::IsLoadedRole).toBool());
        }
        watchdog.setStep(u"finding near the end"_s);
        QSignalSpy finished(shown.panel(), &TranscriptPanel::searchFinished);
        shown.panel()->findEdit()->setText(u"needle"_s);
        tree->setCurrentIndex(model->index(0, 0));
        shown.panel()->findNext();
        QTRY_COMPARE(finished.size(), 1);
        watchdog.disarm();
        QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));
        QVERIFY(finished.at(0).at(0).toBool());
        QCOMPARE(tree->currentIndex().data(TranscriptModel::EntryTextRole).toString(),
                 u"needle found in the output"_s);
        // The model keeps a bounded number of pages, however far the reader scrolled.
        int loaded = 0;
        for (int page = 0; page * TranscriptModel::pageSize < model->rowCount(); ++page)
            loaded += model->isPageLoaded(page) ? 1 : 0;
        QVERIFY(loaded <= TranscriptModel::maxPages);
    }

    // A sentence of a conversation is one search hit, and it opens the page at its entry.
    void searchHitOpensEntry()
    {
        Shown shown;
        ingestClaudeSession(shown.scene);
        SearchView search;
        search.setDatabasePath(shown.scene.dbPath());
        QSignalSpy finished(&search, &SearchView::searchFinished);
        search.search(u"run the tests first"_s);
        QTRY_COMPARE(finished.size(), 1);
        SearchResultsModel *results = search.resultsModel();
        QCOMPARE(results->hitCount(), 1);
        const QModelIndex hit = results->index(0, 0, results->index(0, 0));
        QCOMPARE(hit.data(SearchResultsModel::RecordKindRole).toString(), u"transcript_entry"_s);
        search.resize(900, 600);
        search.show();
        QVERIFY(QTest::qWaitForWindowExposed(&search));
        auto *tree = search.findChild<QTreeView *>(u"searchResults"_s);
        tree->scrollTo(hit);
        QSignalSpy activated(&search, &SearchView::transcriptHitActivated);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(hit).center());
        QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(hit).center());
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), claudeTask);
        const auto position = activated.at(0).at(1).value<TranscriptPosition>();
        QCOMPARE(position, (TranscriptPosition{claudeTask, 2}));

        QVERIFY(shown.open(claudeTask));
        shown.view.showCard(ChainStrip::Card::Request);
        QSignalSpy shownEntries(shown.panel(), &TranscriptPanel::entryShown);
        shown.view.openTranscript(position);
        QCOMPARE(shown.view.strip()->currentCard(), ChainStrip::Card::Transcript);
        QTRY_COMPARE(shownEntries.size(), 1);
        QCOMPARE(shown.panel()->currentPosition(), position);
        QVERIFY(shown.panel()->entryText()->toPlainText().contains(u"run the tests first"_s));
    }
};

QTEST_MAIN(TestTranscriptView)
#include "tst_transcriptview.moc"
