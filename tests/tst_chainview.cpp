#include "chaindetail.h"
#include "chainpanel.h"
#include "chainstrip.h"
#include "commandsmodel.h"
#include "displaytext.h"
#include "prdetail.h"
#include "store/recordstore.h"
#include "timelinewidget.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using Card = ChainStrip::Card;

namespace {

const QString fullTask = u"task-full"_s;
const QString bareTask = u"task-bare"_s;
const QString hostileTask = u"task-hostile"_s;
const QString hostile = u"<script>alert(1)</script>"_s;
const QString hashedToken = u"n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="_s;
constexpr int failedSeq = 2;
constexpr qint64 failedLogLines = 5;

QDateTime at(int seconds)
{
    return QDateTime(QDate(2026, 3, 1), QTime(9, 0), QTimeZone::utc()).addSecs(seconds);
}

CommandRecord command(const QString &taskId, int seq, QStringList argv, int exitCode, int start,
                      int end)
{
    return {taskId, seq, std::move(argv), u"/src"_s, exitCode, at(start), at(end)};
}

// The task that has every link of the chain: 3 commands (the second fails), 5 tests (one
// fails), PR #42 merged with a review and three check runs (one fails).
bool writeFullTask(RecordStore &store)
{
    TaskRecord t;
    t.id = fullTask;
    t.repo = u"acme/web"_s;
    t.requestId = u"req-1"_s;
    t.identityId = u"identity-1"_s;
    t.policyId = u"default-policy"_s;
    t.policyVersion = u"3"_s;
    t.templateId = u"upgrade-deps"_s;
    t.templateVersion = u"2"_s;
    t.state = TaskState::Completed;
    t.prompt = u"Upgrade the logging library"_s;
    t.headRef = u"agent/logging"_s;
    t.headSha = u"abc123"_s;
    t.startedAt = at(0);
    t.completedAt = at(400);
    t.prNumber = 42;
    t.commands << command(t.id, 1, {u"npm"_s, u"ci"_s}, 0, 0, 60)
               << command(t.id, failedSeq, {u"npm"_s, u"test"_s}, 1, 60, 180)
               << command(t.id, 3, {u"npm"_s, u"test"_s, u"--only failed"_s}, 0, 200, 380);
    for (int i = 0; i < 5; ++i)
        t.tests << TestResult{t.id, u"test %1"_s.arg(i), i == 0 ? u"failed"_s : u"passed"_s, 2,
                              std::nullopt};

    PullRequestRecord pr;
    pr.repo = t.repo;
    pr.number = 42;
    pr.title = u"Bump the logging library"_s;
    pr.state = u"closed"_s;
    pr.headRef = t.headRef;
    pr.headSha = t.headSha;
    pr.baseRef = u"main"_s;
    pr.labels = {u"dependencies"_s};
    pr.requestedReviewers = {u"carol"_s};
    pr.mergedAt = at(3600);
    pr.mergedBy = u"carol"_s;

    bool ok = store.writeRequest({u"req-1"_s, u"Upgrade logging everywhere"_s, u"alice"_s,
                                  u"portal"_s, u"CHG-7"_s, at(-600)}) &&
              store.writeIdentity({u"identity-1"_s,
                                   IdentityKind::GitHubAppInstallationToken,
                                   u"agent-bot"_s,
                                   u"alice"_s,
                                   {u"contents:write"_s, u"pull_requests:write"_s},
                                   hashedToken,
                                   {}}) &&
              store.writePolicy({u"default-policy"_s, u"3"_s, u"Default"_s, u"allowed"_s, {}}) &&
              store.writeTemplate({u"upgrade-deps"_s, u"2"_s, u"Upgrade dependencies"_s, {}}) &&
              store.writeTask(t) && store.writePullRequest(pr) &&
              store.writeReview({1, pr.repo, 42, u"carol"_s, u"APPROVED"_s, t.headSha, at(3000)});
    const QStringList conclusions{u"success"_s, u"success"_s, u"failure"_s};
    for (int i = 0; ok && i < conclusions.size(); ++i)
        ok = store.writeCheckRun({10 + i, pr.repo, t.headSha, u"check %1"_s.arg(i), u"completed"_s,
                                  conclusions.at(i), u"github-actions"_s, 42, at(400), at(500)});
    const std::optional<qint64> key = store.commandKey(t.id, failedSeq);
    for (qint64 line = 1; ok && key && line <= failedLogLines; ++line) {
        bool inserted = false;
        ok = store.appendLogLine(*key, {line, 0, "FAIL something", {}}, &inserted);
    }
    return ok && key;
}

bool writeHostileTask(RecordStore &store)
{
    TaskRecord t;
    t.id = hostileTask;
    t.repo = u"acme/evil"_s;
    t.requestId = u"req-evil"_s;
    t.identityId = u"identity-evil"_s;
    t.prNumber = 7;
    t.commands << command(t.id, 1, {hostile}, 0, 0, 1);
    PullRequestRecord pr;
    pr.repo = t.repo;
    pr.number = 7;
    pr.title = hostile;
    pr.state = u"open"_s;
    return store.writeRequest({u"req-evil"_s, hostile, hostile, u"portal"_s, {}, at(0)}) &&
           store.writeIdentity(
               {u"identity-evil"_s, IdentityKind::ClassicPat, hostile, {}, {}, {}, {}}) &&
           store.writeTask(t) && store.writePullRequest(pr);
}

} // namespace

class TestChainView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cardsSummariseEachLink_data();
    void cardsSummariseEachLink();
    void policyCardShowsTheReview();
    void missingLinksReadNotRecorded();
    void clickingACardSwitchesTheDetailPage();
    void keyboardActivatesACard();
    void identityPageShowsOnlyTheHashedToken();
    void richTextIsEscaped();
    void panelLeadsWithTheSentence();
    void panelSentenceIsEscaped();
    void commandsModelExposesCommands();
    void commandsAreShownAsAShellReadsThem();
    void timelineClickSelectsTheCommandUnderIt();
    void failedCommandsAreDrawnInTheErrorColour();
    void activatingACommandAsksForItsLog();
    void prDetailListsReviewsChecksAndItsTask();

private:
    TaskChain chain(const QString &taskId);

    QTemporaryDir m_dir;
    std::unique_ptr<RecordStore> m_store;
};

void TestChainView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    m_store = openStore(m_dir.filePath(u"chain.db"_s), &error);
    QVERIFY2(m_store, qPrintable(error));
    QVERIFY(m_store->beginBatch());
    TaskRecord bare;
    bare.id = bareTask;
    bare.repo = u"acme/bare"_s;
    bare.state = TaskState::Queued;
    QVERIFY2(writeFullTask(*m_store) && writeHostileTask(*m_store) && m_store->writeTask(bare),
             qPrintable(m_store->errorString()));
    QVERIFY(m_store->commitBatch());
}

TaskChain TestChainView::chain(const QString &taskId)
{
    const std::optional<TaskChain> found = m_store->taskChain(taskId);
    if (!found)
        qFatal("task %s missing from the fixture", qPrintable(taskId));
    return *found;
}

void TestChainView::cardsSummariseEachLink_data()
{
    QTest::addColumn<Card>("card");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("request") << Card::Request
                             << QStringList{u"alice via portal"_s, u"Upgrade logging everywhere"_s};
    QTest::newRow("identity") << Card::Identity
                              << QStringList{u"agent-bot"_s, u"GitHub App installation token"_s,
                                             u"on behalf of alice"_s,
                                             u"scopes: contents:write, pull_requests:write"_s};
    QTest::newRow("policy") << Card::Policy
                            << QStringList{u"default-policy@3"_s, u"template upgrade-deps@2"_s,
                                           u"launch: allowed"_s, u"review: not checked"_s};
    QTest::newRow("commands") << Card::Commands
                              << QStringList{u"3 commands, 1 failed"_s,
                                             u"tests: 4 passed, 1 failed"_s};
    QTest::newRow("pull request") << Card::PullRequest
                                  << QStringList{u"#42 merged"_s, u"labels: dependencies"_s,
                                                 u"reviewers: carol"_s,
                                                 u"checks: 2 passed, 1 failed"_s};
}

void TestChainView::cardsSummariseEachLink()
{
    QFETCH(Card, card);
    QFETCH(QStringList, expected);
    ChainStrip strip;
    strip.setChain(chain(fullTask));
    QVERIFY(strip.isRecorded(card));
    const QStringList lines = strip.cardText(card).split(u'\n');
    QCOMPARE(lines.first(), ChainStrip::cardTitle(card));
    for (const QString &line : expected)
        QVERIFY2(lines.contains(line), qPrintable(strip.cardText(card)));
    QVERIFY(!strip.cardText(card).contains(u"not recorded"_s));
}

void TestChainView::policyCardShowsTheReview()
{
    TaskChain checked = chain(fullTask);
    ChainStrip strip;
    checked.checkedAt = QDateTime::currentDateTimeUtc();
    strip.setChain(checked);
    QVERIFY(strip.cardText(Card::Policy).split(u'\n').contains(u"review: conforms"_s));

    Finding command;
    command.rule = u"command_not_allowed"_s;
    command.severity = Severity::High;
    Finding label;
    label.rule = u"pr_missing_label"_s;
    label.severity = Severity::Low;
    checked.findings = {label, command};
    strip.setChain(checked);
    QVERIFY2(
        strip.cardText(Card::Policy).split(u'\n').contains(u"review: 2 findings, worst: high"_s),
        qPrintable(strip.cardText(Card::Policy)));
}

void TestChainView::missingLinksReadNotRecorded()
{
    ChainStrip strip;
    ChainDetail detail;
    strip.setChain(chain(fullTask));
    strip.setChain(chain(bareTask)); // nothing of the previous task may linger
    detail.setChain(chain(bareTask));
    for (int i = 0; i < ChainStrip::cardCount; ++i) {
        const Card card = Card(i);
        QVERIFY(!strip.isRecorded(card));
        QCOMPARE(strip.cardText(card), ChainStrip::cardTitle(card) % u"\nnot recorded"_s);
    }
    for (Card card : {Card::Request, Card::Identity, Card::Policy})
        QVERIFY(detail.pageHtml(card).contains(u"Not recorded."_s));
    QVERIFY(detail.pageHtml(Card::PullRequest).contains(u"No pull request recorded."_s));
    QCOMPARE(detail.commandsModel()->rowCount(), 0);

    strip.clear();
    QCOMPARE(strip.cardText(Card::Commands), u"Commands\nnot recorded"_s);
}

void TestChainView::clickingACardSwitchesTheDetailPage()
{
    QWidget window;
    auto *strip = new ChainStrip(&window);
    auto *detail = new ChainDetail(&window);
    strip->move(0, 0);
    detail->move(0, strip->sizeHint().height());
    window.resize(1200, 800);
    strip->resize(1200, strip->sizeHint().height());
    connect(strip, &ChainStrip::cardActivated, detail, &ChainDetail::showCard);
    strip->setChain(chain(fullTask));
    detail->setChain(chain(fullTask));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QSignalSpy spy(strip, &ChainStrip::cardActivated);
    for (Card card : {Card::PullRequest, Card::Identity, Card::Commands, Card::Transcript}) {
        QWidget *button = strip->cardWidget(card);
        QTest::mouseClick(button, Qt::LeftButton, {}, button->rect().center());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.takeFirst().at(0).value<Card>(), card);
        QCOMPARE(strip->currentCard(), card);
        QCOMPARE(detail->currentCard(), card);
    }
    // One card checked at a time.
    int checked = 0;
    for (int i = 0; i < ChainStrip::cardCount; ++i)
        checked += qobject_cast<QAbstractButton *>(strip->cardWidget(Card(i)))->isChecked();
    QCOMPARE(checked, 1);
}

void TestChainView::keyboardActivatesACard()
{
    ChainStrip strip;
    strip.show();
    QVERIFY(QTest::qWaitForWindowExposed(&strip));
    QSignalSpy spy(&strip, &ChainStrip::cardActivated);
    QWidget *policy = strip.cardWidget(Card::Policy);
    // Tab focus follows the platform's tab-focus behaviour; clicking always focuses.
    QVERIFY(policy->focusPolicy() & Qt::ClickFocus);
    QTest::keyClick(policy, Qt::Key_Return);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).value<Card>(), Card::Policy);
    QTest::keyClick(policy, Qt::Key_Space);
    QCOMPARE(spy.count(), 2);
    QCOMPARE(strip.currentCard(), Card::Policy);
}

void TestChainView::identityPageShowsOnlyTheHashedToken()
{
    ChainDetail detail;
    detail.setChain(chain(fullTask));
    const QString html = detail.pageHtml(Card::Identity);
    QVERIFY(html.contains(hashedToken.toHtmlEscaped()));
    QVERIFY(html.contains(u"agent-bot"_s));
    QVERIFY(html.contains(u"GitHub App installation token"_s));
    QVERIFY(detail.pageHtml(Card::Policy).contains(u"default-policy@3"_s));
    QVERIFY(detail.pageHtml(Card::Policy).contains(u"upgrade-deps@2"_s));
    QVERIFY(detail.pageHtml(Card::Request).contains(u"CHG-7"_s));
}

void TestChainView::richTextIsEscaped()
{
    ChainDetail detail;
    detail.setChain(chain(hostileTask));
    const QString escaped = hostile.toHtmlEscaped();
    for (Card card : {Card::Request, Card::Identity, Card::PullRequest}) {
        const QString html = detail.pageHtml(card);
        QVERIFY2(!html.contains(u"<script>"_s), qPrintable(html));
        QVERIFY2(html.contains(escaped), qPrintable(html));
    }
    QVERIFY(!detail.prDetail()->taskLink()->text().contains(u"<script>"_s));
    // Plain-text surfaces keep the text as it was recorded.
    ChainStrip strip;
    strip.setChain(chain(hostileTask));
    QVERIFY(strip.cardText(Card::Identity).contains(hostile));
    QCOMPARE(detail.commandsModel()->index(0, CommandsModel::CommandColumn).data().toString(),
             hostile);
}

void TestChainView::panelLeadsWithTheSentence()
{
    QVERIFY(ChainPanel::chainHtml(chain(fullTask))
                .startsWith(u"<p>The portal workflow started task task-full for acme/web from "
                            "request req-1 (CHG-7, by alice), using agent-bot (GitHub App "
                            "installation token on behalf of alice), under policy "
                            "default-policy@3 and template upgrade-deps@2; it ran 3 commands (1 "
                            "failed), contacted no recorded hosts, and opened PR #42, merged "
                            "after 1 review.</p>"_s));
}

// The hostile task's requester and principal are markup: the sentence carries both.
void TestChainView::panelSentenceIsEscaped()
{
    const QString html = ChainPanel::chainHtml(chain(hostileTask));
    const QString first = html.section(u"</p>"_s, 0, 0);
    QVERIFY2(first.contains(u"(by "_s % hostile.toHtmlEscaped()) &&
                 first.contains(u"using "_s % hostile.toHtmlEscaped()),
             qPrintable(first));
    QVERIFY2(!html.contains(u"<script"_s), qPrintable(html));
}

// The commands table, its tooltip and the chain summary show the arguments quoted, so a
// message of several words reads as one argument.
void TestChainView::commandsAreShownAsAShellReadsThem()
{
    TaskChain chain;
    chain.task.id = u"task-quoted"_s;
    TaskChain::Command commit;
    commit.record =
        command(chain.task.id, 1,
                {u"git"_s, u"commit"_s, u"-m"_s, u"Bump lodash 4.17.20 -> 4.17.21"_s}, 0, 0, 1);
    chain.commands << commit;
    const QString line = u"git commit -m \"Bump lodash 4.17.20 -> 4.17.21\""_s;
    CommandsModel model;
    model.setCommands(chain.commands);
    const QModelIndex cell = model.index(0, CommandsModel::CommandColumn);
    QCOMPARE(cell.data().toString(), line);
    QVERIFY(cell.data(Qt::ToolTipRole).toString().startsWith(line + u'\n'));
    ChainPanel panel;
    panel.showChain(chain);
    QVERIFY2(panel.plainText().contains(line), qPrintable(panel.plainText()));
}

void TestChainView::commandsModelExposesCommands()
{
    const TaskChain full = chain(fullTask);
    CommandsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCommands(full.commands);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(CommandsModel::ColumnCount));

    const int row = model.rowOfSeq(failedSeq);
    QCOMPARE(row, 1);
    const auto cell = [&](int column, int role = Qt::DisplayRole) {
        return model.index(row, column).data(role);
    };
    QCOMPARE(cell(CommandsModel::SeqColumn).toInt(), failedSeq);
    QCOMPARE(cell(CommandsModel::CommandColumn).toString(), u"npm test"_s);
    QCOMPARE(cell(CommandsModel::ExitCodeColumn).toInt(), 1);
    QCOMPARE(cell(CommandsModel::DurationColumn).toString(), DisplayText::duration(120'000));
    QCOMPARE(cell(CommandsModel::LogLinesColumn).toLongLong(), failedLogLines);
    QCOMPARE(cell(CommandsModel::CommandColumn, CommandsModel::CommandKeyRole).toLongLong(),
             *m_store->commandKey(fullTask, failedSeq));
    QCOMPARE(cell(CommandsModel::LogLinesColumn, CommandsModel::SeqRole).toInt(), failedSeq);
    QCOMPARE(cell(0, CommandsModel::ExitCodeRole).toInt(), 1);
    QCOMPARE(cell(0, CommandsModel::FailedRole).toBool(), true);
    QCOMPARE(cell(0, CommandsModel::DurationMsRole).toLongLong(), 120'000);
    QCOMPARE(cell(0, CommandsModel::LogLinesRole).toLongLong(), failedLogLines);
    QCOMPARE(cell(0, CommandsModel::StartedAtRole).toDateTime(), at(60));
    QCOMPARE(model.index(0, 0).data(CommandsModel::FailedRole).toBool(), false);
    // Arguments with spaces read quoted, the way a shell would need them.
    QCOMPARE(model.index(2, CommandsModel::CommandColumn).data().toString(),
             u"npm test \"--only failed\""_s);
    QCOMPARE(model.headerData(CommandsModel::ExitCodeColumn, Qt::Horizontal).toString(),
             u"Exit code"_s);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestChainView::timelineClickSelectsTheCommandUnderIt()
{
    const TaskChain full = chain(fullTask);
    TimelineWidget timeline;
    timeline.resize(800, 300);
    timeline.setCommands(full.commands);
    timeline.show();
    QVERIFY(QTest::qWaitForWindowExposed(&timeline));
    QSignalSpy spy(&timeline, &TimelineWidget::commandSelected);

    // Bars follow the clock: the 120 s command is twice as wide as the 60 s one and starts
    // where the first ends.
    const QRect first = timeline.barRect(1);
    const QRect second = timeline.barRect(failedSeq);
    QVERIFY(!first.isEmpty());
    QVERIFY(qAbs(second.width() - 2 * first.width()) <= 2);
    QVERIFY(qAbs(second.left() - first.right()) <= 2);
    QVERIFY(second.top() > first.top());

    for (int seq : {failedSeq, 3, 1}) {
        QTest::mouseClick(&timeline, Qt::LeftButton, {}, timeline.barRect(seq).center());
        QCOMPARE(spy.count(), 1);
        const QList<QVariant> args = spy.takeFirst();
        QCOMPARE(args.at(0).toLongLong(), *m_store->commandKey(fullTask, seq));
        QCOMPARE(args.at(1).toInt(), seq);
        QCOMPARE(timeline.selectedSeq(), seq);
    }
    timeline.setSelectedSeq(failedSeq);
    QCOMPARE(spy.count(), 0);
    QCOMPARE(timeline.selectedSeq(), failedSeq);
}

void TestChainView::failedCommandsAreDrawnInTheErrorColour()
{
    TimelineWidget timeline;
    timeline.resize(800, 300);
    timeline.setCommands(chain(fullTask).commands);
    const QImage image = timeline.grab().toImage();
    const QColor error = TimelineWidget::errorColor(timeline.palette());
    const qreal ratio = image.devicePixelRatio(); // grab() is in device pixels
    const auto pixel = [&](int seq) {
        return image.pixelColor((QPointF(timeline.barRect(seq).center()) * ratio).toPoint());
    };
    QCOMPARE(pixel(failedSeq), error);
    QVERIFY(pixel(1) != error);
}

void TestChainView::activatingACommandAsksForItsLog()
{
    ChainDetail detail;
    detail.resize(900, 700);
    detail.setChain(chain(fullTask));
    detail.showCard(Card::Commands);
    detail.show();
    QVERIFY(QTest::qWaitForWindowExposed(&detail));
    QSignalSpy spy(&detail, &ChainDetail::commandActivated);
    const qint64 key = *m_store->commandKey(fullTask, failedSeq);

    // Selecting on the timeline selects the row; the table's selection moves the timeline.
    TimelineWidget *timeline = detail.timeline();
    QTest::mouseClick(timeline, Qt::LeftButton, {}, timeline->barRect(failedSeq).center());
    QCOMPARE(detail.commandsView()->currentIndex().row(), 1);
    QCOMPARE(spy.count(), 0);
    detail.commandsView()->setCurrentIndex(detail.commandsModel()->index(2, 0));
    QCOMPARE(timeline->selectedSeq(), 3);

    QTest::mouseDClick(timeline, Qt::LeftButton, {}, timeline->barRect(failedSeq).center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toLongLong(), key);
    QCOMPARE(spy.at(0).at(1).toInt(), failedSeq);
    QCOMPARE(spy.at(0).at(2).toLongLong(), failedLogLines);

    Q_EMIT detail.commandsView()->activated(detail.commandsModel()->index(0, 1));
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(1).toInt(), 1);
    QCOMPARE(spy.at(1).at(2).toLongLong(), 0);
}

void TestChainView::prDetailListsReviewsChecksAndItsTask()
{
    PrDetail pr;
    pr.setChain(chain(fullTask));
    QVERIFY(pr.metadataHtml().contains(u"Bump the logging library"_s));
    QVERIFY(pr.metadataHtml().contains(u"dependencies"_s));
    QCOMPARE(pr.reviewsModel()->rowCount(), 1);
    QCOMPARE(pr.reviewsModel()->index(0, PrDetail::ReviewerColumn).data().toString(), u"carol"_s);
    QCOMPARE(pr.reviewsModel()->index(0, PrDetail::ReviewStateColumn).data().toString(),
             u"APPROVED"_s);
    QCOMPARE(pr.checkRunsModel()->rowCount(), 3);
    QCOMPARE(pr.checkRunsModel()->index(2, PrDetail::CheckResultColumn).data().toString(),
             u"failure"_s);

    QSignalSpy spy(&pr, &PrDetail::taskRequested);
    Q_EMIT pr.taskLink()->linkActivated(u"task"_s);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), fullTask);

    pr.setChain(chain(bareTask));
    QCOMPARE(pr.reviewsModel()->rowCount(), 0);
    QCOMPARE(pr.checkRunsModel()->rowCount(), 0);
}

QTEST_MAIN(TestChainView)
#include "tst_chainview.moc"
