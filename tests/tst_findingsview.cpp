// The security review in the desktop app: the Findings view and its filters, a finding
// opening its task at the evidence, the Policy page's findings and links, the Identity page's
// audit-log calls, and the library of template and policy versions. What the views read from
// the store (findings, their pages in every order, filter choices, the library) is read from
// SQLite and from PostgreSQL: rows "sqlite" and "postgresql" (backends.h).
#include "asyncquery.h"
#include "backends.h"
#include "chaindetail.h"
#include "findingsmodel.h"
#include "findingsview.h"
#include "guiwatchdog.h"
#include "largestore.h"
#include "logpanel.h"
#include "logview.h"
#include "mainwindow.h"
#include "openwait.h"
#include "policylibraryview.h"
#include "records/taskchain.h"
#include "settings.h"
#include "store/recordstore.h"
#include "taskview.h"
#include "triagedialog.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimeZone>
#include <QTimer>

#include <limits>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using TestSupport::GuiWatchdog;

namespace {

QDateTime day(int d)
{
    return QDateTime(QDate(2026, 4, d), QTime(10, 0), QTimeZone::utc());
}

TaskRecord task(const QString &id, const QString &repo, const QString &identity, int d)
{
    TaskRecord t;
    t.id = id;
    t.repo = repo;
    t.identityId = identity;
    t.templateId = u"deps-bump"_s;
    t.templateVersion = u"3"_s;
    t.policyId = u"agents"_s;
    t.policyVersion = u"7"_s;
    t.state = TaskState::Completed;
    t.startedAt = day(d);
    t.commands = {{id, 1, {u"curl"_s, u"https://paste.example.net"_s}, {}, 0, day(d), day(d)}};
    return t;
}

Finding finding(const QString &taskId, const QString &rule, Severity severity, EvidenceKind kind,
                const QString &ref = {}, int seq = 0)
{
    Finding f;
    f.taskId = taskId;
    f.rule = rule;
    f.severity = severity;
    f.message = u"%1 in %2"_s.arg(rule, taskId);
    f.evidenceKind = kind;
    f.evidenceRef = ref;
    f.commandSeq = seq;
    f.templateId = u"deps-bump"_s;
    f.templateVersion = u"3"_s;
    f.policyId = u"agents"_s;
    f.policyVersion = u"7"_s;
    return f;
}

PolicyDocument templateVersion(const QString &version, const QString &extraCommand)
{
    PolicyDocument doc;
    doc.kind = PolicyDocument::Kind::Template;
    doc.id = u"deps-bump"_s;
    doc.version = version;
    doc.name = u"Dependency bump"_s;
    doc.text = u"[template]\nid = \"deps-bump\"\nversion = \"%1\"\n\n[commands]\n"
               "allow = [\"npm ci\", \"%2\"]\n"_s.arg(version, extraCommand);
    doc.digest = QString::number(qHash(doc.text), 16);
    doc.sourcePath = u"templates/deps-bump-%1.toml"_s.arg(version);
    doc.loadedAt = day(version.toInt());
    return doc;
}

} // namespace

class TestFindingsView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void modelPassesTheTester_data() { Backends::addBackendRows(); }
    void modelPassesTheTester();
    void sortedPages_data();
    void sortedPages();
    void defaultOrderPagesAcrossTiesAndUntimedTasks_data();
    void defaultOrderPagesAcrossTiesAndUntimedTasks();
    void sortIsKeptAcrossFilterChanges_data() { Backends::addBackendRows(); }
    void sortIsKeptAcrossFilterChanges();
    void largeStoreNeverStallsTheGui();
    void filters_data();
    void filters();
    void filterCombosOfferWhatIsStored_data() { Backends::addBackendRows(); }
    void filterCombosOfferWhatIsStored();
    void activatingAFindingEmitsIt();
    void bulkTriageOfTheSelection_data() { Backends::addBackendRows(); }
    void bulkTriageOfTheSelection();
    void findingOpensItsEvidence_data();
    void findingOpensItsEvidence();
    void policyPageListsTheFindings();
    void identityPageListsAuditCalls();
    void policyLibraryShowsVersionsAndChanges_data() { Backends::addBackendRows(); }
    void policyLibraryShowsVersionsAndChanges();
    void policyLinkOpensTheLibrary();

private:
    std::unique_ptr<MainWindow> openWindow();
    // Asks for every page of the model's source until none is left; false on a timeout.
    static bool readAllPages(FindingsModel &model);
    QString largeStorePath();
    static bool writeReview(RecordStore &store);
    static void addFilterRows(const QString &backend);
    // The review data on the row's backend.
    RecordStore *store(const QString &backend)
    {
        return backend == u"postgresql" ? m_pgStore.get() : m_store.get();
    }

    QTemporaryDir m_dir;
    QString m_dbPath;
    std::unique_ptr<RecordStore> m_store;
    Backends::Fixture m_backends;
    std::unique_ptr<RecordStore> m_pgStore;
};

// Three tasks and their findings, and two versions of a template, in one batch.
bool TestFindingsView::writeReview(RecordStore &store)
{
    bool changed = false;
    return store.beginBatch() && store.writeTask(task(u"T-1"_s, u"acme/web"_s, u"I-bot"_s, 1)) &&
           store.writeTask(task(u"T-2"_s, u"acme/api"_s, u"I-dev"_s, 2)) &&
           store.writeTask(task(u"T-3"_s, u"acme/web"_s, u"I-bot"_s, 3)) &&
           store.replaceFindings(
               u"T-1"_s, {finding(u"T-1"_s, u"command_not_allowed"_s, Severity::High,
                                  EvidenceKind::Command, u"curl https://paste.example.net"_s, 1),
                          finding(u"T-1"_s, u"pr_missing_label"_s, Severity::Low,
                                  EvidenceKind::PullRequest, u"security"_s)}) &&
           store.replaceFindings(
               u"T-2"_s, {finding(u"T-2"_s, u"host_not_allowed"_s, Severity::High,
                                  EvidenceKind::Contact, u"paste.example.net"_s),
                          finding(u"T-2"_s, u"api_call_outside_repository"_s, Severity::Critical,
                                  EvidenceKind::AuditEvent, u"AE-9"_s)}) &&
           store.replaceFindings(u"T-3"_s,
                                 {finding(u"T-3"_s, u"file_out_of_scope"_s, Severity::Medium,
                                          EvidenceKind::File, u".github/workflows/ci.yml"_s)}) &&
           store.writePolicyDocument(templateVersion(u"2"_s, u"npm test"_s), &changed) &&
           store.writePolicyDocument(templateVersion(u"3"_s, u"npm run lint"_s), &changed) &&
           store.commitBatch();
}

void TestFindingsView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_dbPath = m_dir.filePath(u"review.db"_s);
    QString error;
    QVERIFY2(m_backends.start(&error), qPrintable(error));
    m_store = openStore(m_dbPath, &error);
    QVERIFY2(m_store, qPrintable(error));
    QVERIFY2(writeReview(*m_store), qPrintable(m_store->errorString()));
    m_pgStore = openStore(m_backends.fresh(u"postgresql"_s), &error);
    QVERIFY2(m_pgStore, qPrintable(error));
    QVERIFY2(writeReview(*m_pgStore), qPrintable(m_pgStore->errorString()));
}

std::unique_ptr<MainWindow> TestFindingsView::openWindow()
{
    auto window =
        std::make_unique<MainWindow>(std::make_unique<Settings>(m_dir.filePath(u"settings.ini"_s)));
    window->resize(1200, 800);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()) || !openAndWait(*window, m_dbPath))
        return {};
    return window;
}

void TestFindingsView::modelPassesTheTester()
{
    QFETCH(QString, backend);
    FindingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFindings(store(backend)->findings({}));
    QCOMPARE(model.rowCount(), 5);
    // Most severe first within a task; the newest task first.
    QCOMPARE(model.index(0, FindingsModel::TaskColumn).data().toString(), u"T-3"_s);
    QCOMPARE(model.index(1, FindingsModel::SeverityColumn).data().toString(), u"Critical"_s);
    QCOMPARE(model.index(1, FindingsModel::EvidenceColumn).data().toString(),
             u"audit event AE-9"_s);
    QCOMPARE(model.index(3, FindingsModel::EvidenceColumn).data().toString(), u"command 1"_s);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

// Every sortable column both ways and the default order, read two findings a page: each page
// goes on from the key of the one before, so a tie broken unstably would repeat or lose one.
void TestFindingsView::sortedPages_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<int>("section");
    QTest::addColumn<bool>("descending");
    for (const char *backend : {"sqlite", "postgresql"}) {
        const QString b = QString::fromLatin1(backend);
        QTest::addRow("%s: default", backend) << b << -1 << false;
        for (const auto &[name, section] : {std::pair{"severity", FindingsModel::SeverityColumn},
                                            std::pair{"rule", FindingsModel::RuleColumn},
                                            std::pair{"task", FindingsModel::TaskColumn}})
            for (const bool descending : {false, true})
                QTest::addRow("%s: %s %s", backend, name, descending ? "desc" : "asc")
                    << b << int(section) << descending;
    }
}

bool TestFindingsView::readAllPages(FindingsModel &model)
{
    while (model.hasMore()) {
        model.loadMore();
        if (!QTest::qWaitFor([&model] { return !model.isLoading(); }))
            return false;
    }
    return true;
}

void TestFindingsView::sortedPages()
{
    QFETCH(QString, backend);
    QFETCH(int, section);
    QFETCH(bool, descending);
    AsyncQuery queries;
    queries.setDatabase(store(backend)->location());
    FindingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQueries(&queries, 0);
    model.setPageSize(2);
    model.sort(section, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    FindingFilter all;
    all.limit = -1;
    model.setSource(all);
    // Read on the query thread: nothing is there until the page arrives.
    QVERIFY(model.isLoading());
    QCOMPARE(model.rowCount(), 0);
    QTRY_COMPARE(model.rowCount(), 2);
    QVERIFY(readAllPages(model));
    const QList<Finding> expected = store(backend)->findings(all);
    QCOMPARE(model.rowCount(), expected.size());
    if (section < 0) {
        QCOMPARE(model.findings(), expected); // the order the LIMIT query has
        return;
    }
    QList<Finding> rows = model.findings();
    const auto value = [section](const Finding &f) -> QVariant {
        return section == FindingsModel::SeverityColumn ? QVariant(int(f.severity))
               : section == FindingsModel::RuleColumn   ? QVariant(f.rule)
                                                        : QVariant(f.taskId);
    };
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QVariant a = value(rows.at(i - 1));
        const QVariant b = value(rows.at(i));
        const bool ordered =
            a.typeId() == QMetaType::Int
                ? (descending ? a.toInt() >= b.toInt() : a.toInt() <= b.toInt())
                : (descending ? a.toString() >= b.toString() : a.toString() <= b.toString());
        QVERIFY2(ordered, qPrintable(u"row %1"_s.arg(i)));
    }
    // The same findings, each once.
    const auto byText = [](const Finding &a, const Finding &b) {
        return std::tie(a.taskId, a.rule, a.message) < std::tie(b.taskId, b.rule, b.message);
    };
    QList<Finding> sortedExpected = expected;
    std::sort(rows.begin(), rows.end(), byText);
    std::sort(sortedExpected.begin(), sortedExpected.end(), byText);
    QCOMPARE(rows, sortedExpected);
}

void TestFindingsView::filters_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<FindingFilter>("filter");
    QTest::addColumn<QStringList>("rules");
    for (const char *backend : {"sqlite", "postgresql"})
        addFilterRows(QString::fromLatin1(backend));
}

void TestFindingsView::addFilterRows(const QString &backend)
{
    const auto newRow = [&backend](const char *name) -> QTestData & {
        return QTest::addRow("%s: %s", qPrintable(backend), name) << backend;
    };

    FindingFilter high;
    high.minSeverity = Severity::High;
    newRow("high and above") << high
                             << QStringList{u"api_call_outside_repository"_s, u"host_not_allowed"_s,
                                            u"command_not_allowed"_s};
    FindingFilter rule;
    rule.rule = u"pr_missing_label"_s;
    newRow("rule") << rule << QStringList{u"pr_missing_label"_s};
    FindingFilter repo;
    repo.repo = u"acme/api"_s;
    newRow("repository") << repo
                         << QStringList{u"api_call_outside_repository"_s, u"host_not_allowed"_s};
    FindingFilter identity;
    identity.identityId = u"I-bot"_s;
    newRow("identity") << identity
                       << QStringList{u"file_out_of_scope"_s, u"command_not_allowed"_s,
                                      u"pr_missing_label"_s};
    FindingFilter time;
    time.from = day(2);
    time.until = day(3);
    newRow("time") << time << QStringList{u"api_call_outside_repository"_s, u"host_not_allowed"_s};
    FindingFilter policy;
    policy.policyId = u"other"_s;
    newRow("policy") << policy << QStringList{};
}

void TestFindingsView::filters()
{
    QFETCH(QString, backend);
    QFETCH(FindingFilter, filter);
    QFETCH(QStringList, rules);
    FindingsView view;
    view.setStore(store(backend));
    view.setFilter(filter);
    QTRY_VERIFY(!view.isLoading());
    QStringList shown;
    for (const Finding &f : view.model()->findings())
        shown << f.rule;
    QCOMPARE(shown, rules);
    QCOMPARE(view.statusText(), rules.isEmpty()     ? u"No findings."_s
                                : rules.size() == 1 ? u"1 finding."_s
                                                    : u"%1 findings."_s.arg(rules.size()));
    // The filter reads back as set.
    QCOMPARE(view.filter().rule, filter.rule);
    QCOMPARE(view.filter().minSeverity, filter.minSeverity);
}

void TestFindingsView::filterCombosOfferWhatIsStored()
{
    QFETCH(QString, backend);
    FindingsView view;
    view.setStore(store(backend));
    auto *rules = view.findChild<QComboBox *>(u"ruleFilter"_s);
    QTRY_VERIFY(!view.isLoading());
    QCOMPARE(rules->count(), 6); // "any" and five rules
    QCOMPARE(rules->itemText(1), u"api_call_outside_repository"_s);
    auto *identities = view.findChild<QComboBox *>(u"identityFilter"_s);
    QCOMPARE(identities->count(), 3);
    // Choosing in a combo filters at once.
    identities->setCurrentIndex(identities->findText(u"I-dev"_s));
    QTRY_VERIFY(!view.isLoading());
    QCOMPARE(view.model()->rowCount(), 2);
    auto *severity = view.findChild<QComboBox *>(u"severityFilter"_s);
    severity->setCurrentIndex(severity->findData(int(Severity::Critical)));
    QTRY_VERIFY(!view.isLoading());
    QCOMPARE(view.model()->rowCount(), 1);
    view.setStore(nullptr);
    QCOMPARE(view.model()->rowCount(), 0);
    QCOMPARE(view.statusText(), u"No database is open."_s);
}

void TestFindingsView::activatingAFindingEmitsIt()
{
    FindingsView view;
    view.setStore(m_store.get());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(!view.isLoading());
    QSignalSpy activated(&view, &FindingsView::findingActivated);
    QTableView *table = view.table();
    table->setFocus();
    table->setCurrentIndex(view.model()->index(3, 0));
    QTest::keyClick(table, Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    const auto f = activated.constFirst().constFirst().value<Finding>();
    QCOMPARE(f.rule, u"command_not_allowed"_s);
    QCOMPARE(f.commandSeq, 1);
}

// Two rows selected, triaged through the dialog: written off the GUI thread, each with its
// state shown in the State column after the findings are read again, and the state filter
// shows exactly them.
void TestFindingsView::bulkTriageOfTheSelection()
{
    QFETCH(QString, backend);
    QString error;
    auto fresh = openStore(m_backends.fresh(backend), &error);
    QVERIFY2(fresh && writeReview(*fresh), qPrintable(error));
    FindingsView view;
    QAbstractItemModelTester tester(view.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.setStore(fresh.get());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(!view.isLoading());
    QCOMPARE(view.model()->rowCount(), 5);
    auto *button = view.findChild<QPushButton *>(u"triageButton"_s);
    QVERIFY(button);
    QVERIFY(!button->isEnabled()); // nothing selected
    for (int row = 0; row < 5; ++row)
        QCOMPARE(view.model()->index(row, FindingsModel::StateColumn).data().toString(), u"new"_s);

    // Rows 1 and 3: the audit event of T-2 and the command of T-1.
    QTableView *table = view.table();
    const auto select = [table](int row) {
        table->selectionModel()->select(table->model()->index(row, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    };
    select(1);
    select(3);
    QVERIFY(button->isEnabled());
    const QList<qint64> ids = view.selectedFindingIds();
    QCOMPARE(ids.size(), 2);
    QSignalSpy triaged(&view, &FindingsView::triaged);
    bool answered = false;
    QTimer::singleShot(0, &view, [&answered] {
        auto *dialog = qobject_cast<TriageDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        dialog->setState(TriageState::FalsePositive);
        dialog->setNote(u"paste host is the team's mirror"_s);
        answered = true;
        dialog->accept();
    });
    button->click();
    QVERIFY(answered);
    QTRY_COMPARE(triaged.size(), 1);
    QCOMPARE(triaged.constFirst().constFirst().toString(), QString());
    QTRY_VERIFY(!view.isLoading());
    QCOMPARE(view.model()->rowCount(), 5);
    int falsePositives = 0;
    for (int row = 0; row < 5; ++row) {
        const Finding &f = view.model()->finding(row);
        const QString shown =
            view.model()->index(row, FindingsModel::StateColumn).data().toString();
        if (ids.contains(f.id)) {
            ++falsePositives;
            QCOMPARE(shown, u"false positive"_s);
            QCOMPARE(f.triage.note, u"paste host is the team's mirror"_s);
            QVERIFY(view.model()
                        ->index(row, FindingsModel::StateColumn)
                        .data(Qt::ToolTipRole)
                        .toString()
                        .contains(u"paste host is the team's mirror"_s));
        } else {
            QCOMPARE(shown, u"new"_s);
        }
    }
    QCOMPARE(falsePositives, 2);
    QCOMPARE(fresh->triageHistory(ids.constFirst()).size(), 1);
    QVERIFY(fresh->latestEvidence(u"triage"_s, u"1"_s));

    auto *stateFilter = view.findChild<QComboBox *>(u"triageStateFilter"_s);
    QVERIFY(stateFilter);
    stateFilter->setCurrentIndex(stateFilter->findData(int(TriageState::FalsePositive)));
    QVERIFY(view.filter().triageState == TriageState::FalsePositive);
    QTRY_VERIFY(!view.isLoading());
    QCOMPARE(view.model()->rowCount(), 2);
    stateFilter->setCurrentIndex(stateFilter->findData(int(TriageState::New)));
    QTRY_VERIFY(!view.isLoading());
    QCOMPARE(view.model()->rowCount(), 3);
}

void TestFindingsView::findingOpensItsEvidence_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<QString>("task");
    QTest::addColumn<ChainStrip::Card>("card");
    QTest::addColumn<int>("logSeq");
    // Rows as modelPassesTheTester lists them.
    QTest::newRow("file") << 0 << u"T-3"_s << ChainStrip::Card::Policy << 1;
    QTest::newRow("audit event") << 1 << u"T-2"_s << ChainStrip::Card::Identity << 1;
    QTest::newRow("contact") << 2 << u"T-2"_s << ChainStrip::Card::Policy << 1;
    QTest::newRow("command") << 3 << u"T-1"_s << ChainStrip::Card::Commands << 1;
    QTest::newRow("pull request") << 4 << u"T-1"_s << ChainStrip::Card::PullRequest << 1;
}

void TestFindingsView::findingOpensItsEvidence()
{
    QFETCH(int, row);
    QFETCH(QString, task);
    QFETCH(ChainStrip::Card, card);
    QFETCH(int, logSeq);
    const auto window = openWindow();
    QVERIFY(window);
    auto *tabs = window->findChild<QTabWidget *>(u"viewTabs"_s);
    auto *view = window->findChild<FindingsView *>();
    tabs->setCurrentWidget(view);
    QTRY_VERIFY(!view->isLoading() && view->model()->rowCount() > row);
    QTableView *table = view->table();
    table->setFocus();
    table->setCurrentIndex(view->model()->index(row, 0));
    QTest::keyClick(table, Qt::Key_Return);
    QCOMPARE(tabs->currentIndex(), 1); // Runs, after the Overview
    QTRY_VERIFY(!window->isLoadingChain());
    QCOMPARE(window->taskView()->taskId(), task);
    QCOMPARE(window->taskView()->detail()->currentCard(), card);
    QCOMPARE(window->taskView()->logSeq(), logSeq);
}

void TestFindingsView::policyPageListsTheFindings()
{
    const std::optional<TaskChain> chain = m_store->taskChain(u"T-1"_s);
    QVERIFY(chain);
    QCOMPARE(chain->findings.size(), 2);
    QVERIFY(chain->checkedAt);
    ChainDetail detail;
    detail.setChain(*chain);
    QCOMPARE(detail.findingsModel()->rowCount(), 2);
    QAbstractItemModelTester tester(detail.findingsModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString html = detail.pageHtml(ChainStrip::Card::Policy);
    QVERIFY2(html.contains(u"2 findings, worst: high"_s), qPrintable(html));
    QVERIFY(html.contains(ChainDetail::templateLink()));
    QVERIFY(html.contains(u"Hosts contacted"_s));
    QSignalSpy activated(&detail, &ChainDetail::findingActivated);
    detail.showCard(ChainStrip::Card::Policy);
    detail.show();
    QVERIFY(QTest::qWaitForWindowExposed(&detail));
    QTableView *table = detail.findingsView();
    table->setFocus();
    table->setCurrentIndex(detail.findingsModel()->index(0, 0));
    QTest::keyClick(table, Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    detail.clear();
    QCOMPARE(detail.findingsModel()->rowCount(), 0);
}

void TestFindingsView::identityPageListsAuditCalls()
{
    TaskChain chain;
    chain.task.id = u"T-9"_s;
    chain.task.repo = u"acme/web"_s;
    AuditEvent here;
    here.id = u"AE-1"_s;
    here.action = u"git.push"_s;
    here.actor = u"agent-bot"_s;
    here.repo = u"acme/web"_s;
    AuditEvent elsewhere = here;
    elsewhere.id = u"AE-2"_s;
    elsewhere.action = u"api.request"_s;
    elsewhere.actor = u"<b>mallory</b>"_s;
    elsewhere.repo = u"globex/payroll"_s;
    elsewhere.requestMethod = u"GET"_s;
    elsewhere.requestRoute = u"/repos/:owner/:repo/zipball"_s;
    chain.auditEvents = {{here, u"hashed_token"_s}, {elsewhere, u"actor_repo"_s}};
    const QString html = ChainDetail::identityHtml(chain);
    QVERIFY(html.contains(u"git.push"_s));
    QVERIFY(html.contains(u"GET /repos/:owner/:repo/zipball"_s));
    QVERIFY(html.contains(u"globex/payroll (not this task&#x27;s repository)"_s) ||
            html.contains(u"globex/payroll (not this task's repository)"_s));
    QVERIFY(!html.contains(u"acme/web (not this"_s));
    QVERIFY(html.contains(u"&lt;b&gt;mallory&lt;/b&gt;"_s));
    QVERIFY(!html.contains(u"<b>mallory"_s));
    chain.auditEvents.clear();
    QVERIFY(ChainDetail::identityHtml(chain).contains(u"No audit-log event"_s));
}

void TestFindingsView::policyLibraryShowsVersionsAndChanges()
{
    QFETCH(QString, backend);
    PolicyLibraryView view;
    QAbstractItemModelTester tester(view.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.setStore(store(backend));
    QTRY_VERIFY(!view.isLoading());
    const QModelIndex templates = view.model()->index(0, 0);
    QCOMPARE(templates.data().toString(), u"Templates"_s);
    const QModelIndex id = view.model()->index(0, 0, templates);
    QCOMPARE(id.data().toString(), u"deps-bump (Dependency bump)"_s);
    QCOMPARE(view.model()->rowCount(id), 2);
    QCOMPARE(view.model()->rowCount(view.model()->index(1, 0)), 0); // no policies stored

    // Without a version: the newest.
    QVERIFY(view.showDocument(PolicyDocument::Kind::Template, u"deps-bump"_s));
    QVERIFY(view.text().contains(u"version = \"3\""_s));
    QVERIFY(view.header().startsWith(u"deps-bump@3"_s));
    QVERIFY2(view.changes().contains(u"-version = \"2\""_s), qPrintable(view.changes()));
    QVERIFY(view.changes().contains(u"+version = \"3\""_s));
    QVERIFY(view.changes().contains(u"+allow = [\"npm ci\", \"npm run lint\"]"_s));

    QVERIFY(view.showDocument(PolicyDocument::Kind::Template, u"deps-bump"_s, u"2"_s));
    QVERIFY(view.text().contains(u"\"npm test\""_s));
    QCOMPARE(view.changes(), u"This is the first version on file."_s);
    QVERIFY(!view.showDocument(PolicyDocument::Kind::Template, u"deps-bump"_s, u"9"_s));
    QVERIFY(!view.showDocument(PolicyDocument::Kind::Policy, u"deps-bump"_s));
}

void TestFindingsView::policyLinkOpensTheLibrary()
{
    const auto window = openWindow();
    QVERIFY(window);
    window->selectTask(u"T-1"_s);
    QTRY_COMPARE(window->taskView()->taskId(), u"T-1"_s);
    window->taskView()->showCard(ChainStrip::Card::Policy);
    QTextBrowser *page = nullptr;
    for (QTextBrowser *browser : window->taskView()->detail()->findChildren<QTextBrowser *>()) {
        if (browser->toHtml().contains(u"Template text and history"_s))
            page = browser;
    }
    QVERIFY(page);
    Q_EMIT page->anchorClicked(QUrl(ChainDetail::templateLink()));
    auto *tabs = window->findChild<QTabWidget *>(u"viewTabs"_s);
    auto *library = window->findChild<PolicyLibraryView *>();
    QCOMPARE(tabs->currentWidget(), library);
    QTRY_VERIFY(library->header().startsWith(u"deps-bump@3"_s));
    // A link that names nothing the page knows does nothing.
    tabs->setCurrentIndex(0);
    Q_EMIT page->anchorClicked(QUrl(u"https://example.com"_s));
    QCOMPARE(tabs->currentIndex(), 0);
}

// The default order (newest task first, then most severe, then by id) read one, two and three
// findings a page: across tasks that share a time, tasks without one and findings of equal
// severity, each page goes on from the key of the one before and matches the LIMIT query.
void TestFindingsView::defaultOrderPagesAcrossTiesAndUntimedTasks_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<int>("pageSize");
    QTest::addColumn<bool>("highOnly");
    for (const char *backend : {"sqlite", "postgresql"})
        for (const int size : {1, 2, 3})
            for (const bool high : {false, true})
                QTest::addRow("%s: %d a page%s", backend, size, high ? ", high and above" : "")
                    << QString::fromLatin1(backend) << size << high;
}

void TestFindingsView::defaultOrderPagesAcrossTiesAndUntimedTasks()
{
    QFETCH(QString, backend);
    QFETCH(int, pageSize);
    QFETCH(bool, highOnly);
    const QString path = m_backends.fresh(backend);
    {
        QString error;
        std::unique_ptr<RecordStore> store = openStore(path, &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(store->beginBatch());
        for (const auto &[id, d] :
             {std::pair{u"T-a"_s, 5}, std::pair{u"T-b"_s, 5}, std::pair{u"T-c"_s, 4},
              std::pair{u"T-d"_s, 0}, std::pair{u"T-e"_s, 0}, std::pair{u"T-f"_s, 6}}) {
            TaskRecord t = task(id, u"acme/web"_s, u"I-bot"_s, std::max(d, 1));
            if (d == 0)
                t.startedAt = {}; // neither started nor created: last in the default order
            QVERIFY(store->writeTask(t));
            QList<Finding> findings;
            for (const Severity s :
                 {Severity::High, Severity::Low, Severity::High, Severity::Critical})
                findings << finding(id, u"rule_%1"_s.arg(int(s)), s, EvidenceKind::Task);
            QVERIFY(store->replaceFindings(id, findings));
        }
        QVERIFY(store->commitBatch());
    }
    QString error;
    std::unique_ptr<RecordStore> store = openStore(path, &error, StoreAccess::ReadOnly);
    QVERIFY2(store, qPrintable(error));
    FindingFilter filter;
    filter.limit = -1;
    if (highOnly)
        filter.minSeverity = Severity::High;
    const QList<Finding> expected = store->findings(filter);
    QCOMPARE(expected.size(), highOnly ? 18 : 24);

    AsyncQuery queries;
    queries.setDatabase(path);
    FindingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQueries(&queries, 0);
    model.setPageSize(pageSize);
    model.setSource(filter);
    QTRY_VERIFY(!model.isLoading());
    QVERIFY(readAllPages(model));
    QCOMPARE(model.findings(), expected);
}

// The order chosen by a header click stays when the filter changes.
void TestFindingsView::sortIsKeptAcrossFilterChanges()
{
    QFETCH(QString, backend);
    FindingsView view;
    view.setStore(store(backend));
    QTRY_VERIFY(!view.isLoading());
    QHeaderView *header = view.table()->horizontalHeader();
    header->setSortIndicator(FindingsModel::RuleColumn, Qt::DescendingOrder);
    const FindingSort byRule{FindingSortColumn::Rule, true};
    QCOMPARE(view.model()->findingSort(), byRule);
    QTRY_VERIFY(!view.isLoading());
    FindingFilter identity;
    identity.identityId = u"I-bot"_s;
    view.setFilter(identity);
    QTRY_VERIFY(!view.isLoading());
    QCOMPARE(view.model()->findingSort(), byRule);
    QCOMPARE(header->sortIndicatorSection(), int(FindingsModel::RuleColumn));
    QStringList rules;
    for (const Finding &f : view.model()->findings())
        rules << f.rule;
    QCOMPARE(rules, (QStringList{u"pr_missing_label"_s, u"file_out_of_scope"_s,
                                 u"command_not_allowed"_s}));
}

QString TestFindingsView::largeStorePath()
{
    const QString path = m_dir.filePath(u"large.db"_s);
    if (QFile::exists(path))
        return path;
    bool ok = false;
    int tasks = qEnvironmentVariableIntValue("TASKTRAIL_LARGE_TASKS", &ok);
    if (!ok || tasks <= 0)
        tasks = 200'000;
    QString error;
    std::unique_ptr<RecordStore> large = openStore(path, &error);
    if (!large || !LargeStore::write(*large, tasks))
        return {};
    // Half the tasks have a finding, one in six a second one.
    constexpr int batch = 50'000;
    for (int first = 0; first < tasks; first += batch) {
        if (!large->beginBatch())
            return {};
        for (int i = first; i < std::min(first + batch, tasks); i += 2) {
            const QString id = LargeStore::taskId(i);
            QList<Finding> findings{
                finding(id, u"rule_%1"_s.arg(i % 7), Severity(i % 5), EvidenceKind::Task)};
            if (i % 6 == 0)
                findings << finding(id, u"rule_%1"_s.arg(i % 3), Severity((i + 2) % 5),
                                    EvidenceKind::Task);
            if (!large->replaceFindings(id, findings))
                return {};
        }
        if (!large->commitBatch())
            return {};
    }
    return path;
}

// A person paging, sorting, filtering and selecting in the findings of a large database, the
// GUI thread watched throughout. Every page is asked for and arrives later (never read while
// the GUI waits), and any page, at any depth and in every order, arrives within the limit.
void TestFindingsView::largeStoreNeverStallsTheGui()
{
    QElapsedTimer written;
    written.start();
    const QString path = largeStorePath();
    QVERIFY(!path.isEmpty());
    qInfo("large store ready in %lld ms", written.elapsed());
    QString error;
    std::unique_ptr<RecordStore> store = openStore(path, &error, StoreAccess::ReadOnly);
    QVERIFY2(store, qPrintable(error));

    FindingsView view;
    QAbstractItemModelTester tester(view.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.resize(1000, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    GuiWatchdog watchdog;
    watchdog.arm();
    watchdog.setStep(u"open"_s);
    view.setStore(store.get());
    QTRY_VERIFY_WITH_TIMEOUT(!view.isLoading() && view.model()->rowCount() > 0, 30'000);

    QScrollBar *bar = view.table()->verticalScrollBar();
    FindingsModel *model = view.model();
    // Each scroll to the end asks for the next page; the rows are not there until it arrives.
    // What is checked is that the GUI thread never waits; a page may take long on a busy
    // machine, so the waits for it are generous. Empty when every page came.
    constexpr int pageWaitMs = 60'000;
    const auto scrollPages = [&](int pages) -> QString {
        for (int page = 0; page < pages && model->hasMore(); ++page) {
            // Rows below the view, and no page on its way (the view asks for one by itself
            // when it is at the end as a page's rows are laid out).
            if (!QTest::qWaitFor(
                    [&] { return bar->maximum() > bar->value() && !model->isLoading(); },
                    pageWaitMs))
                return u"page %1: no rows to scroll (%2 rows, scroll bar %3 of %4, loading %5, "
                       "table %6 px high)"_s.arg(page)
                           .arg(model->rowCount())
                           .arg(bar->value())
                           .arg(bar->maximum())
                           .arg(model->isLoading())
                           .arg(view.table()->viewport()->height());
            const int before = model->rowCount();
            bar->setValue(bar->maximum());
            if (!model->isLoading() || model->rowCount() != before)
                return u"page %1: read on the GUI thread, or not asked for"_s.arg(page);
            if (!QTest::qWaitFor([&] { return model->rowCount() > before; }, pageWaitMs))
                return u"page %1: did not arrive (%2 rows)"_s.arg(page).arg(before);
        }
        return {};
    };
    for (const int section : {-1, int(FindingsModel::SeverityColumn),
                              int(FindingsModel::RuleColumn), int(FindingsModel::TaskColumn)}) {
        watchdog.setStep(u"sort by column %1 and scroll"_s.arg(section));
        if (section >= 0)
            view.table()->horizontalHeader()->setSortIndicator(section, Qt::DescendingOrder);
        else
            view.setFindingSort({});
        QVERIFY(model->isLoading());
        QCOMPARE(model->rowCount(), 0);
        const QString scrolled = scrollPages(10);
        QVERIFY2(scrolled.isEmpty(), qPrintable(scrolled));
    }

    watchdog.setStep(u"filter by severity and rule"_s);
    view.setFindingSort({});
    auto *severity = view.findChild<QComboBox *>(u"severityFilter"_s);
    severity->setCurrentIndex(severity->findData(int(Severity::High)));
    QVERIFY(model->isLoading());
    QTRY_VERIFY_WITH_TIMEOUT(!view.isLoading(), 30'000);
    auto *rule = view.findChild<QComboBox *>(u"ruleFilter"_s);
    rule->setCurrentIndex(rule->findText(u"rule_3"_s));
    QTRY_VERIFY_WITH_TIMEOUT(!view.isLoading() && model->rowCount() > 0, 30'000);
    const QString scrolled = scrollPages(5);
    QVERIFY2(scrolled.isEmpty(), qPrintable(scrolled));
    for (const Finding &f : model->findings())
        QVERIFY(f.rule == u"rule_3"_s && f.severity >= Severity::High);

    watchdog.setStep(u"select and activate"_s);
    QSignalSpy activated(&view, &FindingsView::findingActivated);
    view.table()->setFocus();
    view.table()->setCurrentIndex(model->index(model->rowCount() - 1, 0));
    QTest::keyClick(view.table(), Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    watchdog.disarm();
    QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));

    // Deep pages, read on this thread to time them: the page after a finding of the oldest
    // tasks, the last one in the default order, in every order.
    const int tasks = int(store->taskCount({}));
    QList<StoredFinding> deep = store->storedFindings(LargeStore::taskId(2));
    QVERIFY(!deep.isEmpty());
    const TaskRecord oldTask = LargeStore::task(2);
    FindingKey key{deep.constFirst().id, oldTask.startedAt.toMSecsSinceEpoch(), oldTask.id,
                   int(deep.constFirst().finding.severity), deep.constFirst().finding.rule};
    FindingFilter pageFilter;
    pageFilter.limit = FindingsModel::defaultPageSize;
    for (const FindingSortColumn column : {FindingSortColumn::Default, FindingSortColumn::Severity,
                                           FindingSortColumn::Rule, FindingSortColumn::Task}) {
        for (const bool descending : {false, true}) {
            qint64 best = std::numeric_limits<qint64>::max();
            for (int attempt = 0; attempt < 3; ++attempt) {
                QElapsedTimer timer;
                timer.start();
                const QList<KeyedFinding> page =
                    store->findingPage(pageFilter, {column, descending}, key);
                best = std::min(best, timer.elapsed());
                QVERIFY(column != FindingSortColumn::Default || !page.isEmpty());
            }
            QVERIFY2(best < GuiWatchdog::workLimitMs,
                     qPrintable(u"a deep page sorted by %1 took %2 ms (%3 tasks)"_s.arg(int(column))
                                    .arg(best)
                                    .arg(tasks)));
        }
    }
}

QTEST_MAIN(TestFindingsView)
#include "tst_findingsview.moc"
