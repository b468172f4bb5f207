// The demo's audit log end to end: generated, ingested, linked to the runs that made the calls,
// and listed by `tasktrail-cli show`.
#include "auditscene.h"
#include "demo/demogenerator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>

using namespace AuditTest;

class TestAuditDemo final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void demoEventsLinkToTheirTasks();
    void showListsTheAuditEvents();

private:
    QTemporaryDir m_demoDir;
    DemoSummary m_demo;
    QString m_demoDb;
};

// The demo data, generated and ingested once for every test below.
void TestAuditDemo::initTestCase()
{
    QVERIFY(m_demoDir.isValid());
    QString error;
    DemoGenerator generator;
    QVERIFY2(generator.generate({m_demoDir.filePath(u"demo"_s), 0.05}, &error), qPrintable(error));
    m_demo = generator.summary();
    QVERIFY(!m_demo.auditStrayTaskId.isEmpty());
    m_demoDb = m_demoDir.filePath(u"demo.db"_s);
    auto store = openStore(m_demoDb, &error);
    QVERIFY2(store, qPrintable(error));
    const IngestRun run = ingest(*store, {m_demoDir.filePath(u"demo"_s)});
    QVERIFY(run.ok);
    QCOMPARE(run.counts.rejected, 0);
    QVERIFY(run.formats.contains(u"github-audit-ndjson"_s));
}

void TestAuditDemo::demoEventsLinkToTheirTasks()
{
    QString error;
    auto store = openStore(m_demoDb, &error);
    QVERIFY2(store, qPrintable(error));

    // Every task's links: inside its window, and a token match is the identity's token.
    qint64 linked = 0;
    QSet<QString> linkedTokens;
    const QList<TaskRow> rows = store->tasks({}, 0, 100000);
    QCOMPARE(qint64(rows.size()), m_demo.tasks);
    for (const TaskRow &row : rows) {
        const std::optional<TaskChain> chain = store->taskChain(row.id);
        QVERIFY(chain);
        const TaskRecord &t = chain->task;
        const QDateTime from = (t.startedAt.isValid() ? t.startedAt : t.createdAt).addSecs(-120);
        const QDateTime until =
            (t.completedAt.isValid() ? t.completedAt : from.addSecs(120 + 6 * 3600)).addSecs(600);
        for (const AuditLink &l : chain->auditEvents) {
            QVERIFY2(l.event.at >= from && l.event.at <= until, qPrintable(l.event.id));
            QCOMPARE(l.match, u"hashed_token"_s);
            QCOMPARE(l.event.hashedToken, chain->identity->hashedToken);
            linkedTokens << l.event.hashedToken;
            ++linked;
        }
    }
    QVERIFY(linked > m_demo.tasks);

    // The showcase run: its identity's calls in its own repository, from clone to pull request.
    const TaskChain showcase = *store->taskChain(m_demo.showcaseTaskId);
    QStringList actions;
    for (const AuditLink &l : showcase.auditEvents) {
        QCOMPARE(l.event.repo, showcase.task.repo);
        actions << l.event.action;
    }
    for (const QString &action :
         {u"git.clone"_s, u"git.push"_s, u"api.request"_s, u"pull_request.create"_s})
        QVERIFY2(actions.contains(action), qPrintable(actions.join(u", "_s)));

    // The run that reached into another repository shows that call.
    bool stray = false;
    for (const AuditLink &l : store->auditEvents(m_demo.auditStrayTaskId))
        stray |= l.event.repo == m_demo.auditStrayRepo && l.event.action == u"repo.download_zip"_s;
    QVERIFY(stray);

    // People's reviews and merges link to no run; neither do the tokens' calls before the
    // first task, though the same tokens have runs.
    const QList<AuditEvent> unlinked = store->unlinkedAuditEvents(100000);
    QCOMPARE(qint64(unlinked.size()) + linked, m_demo.auditEvents);
    bool reviews = false;
    bool sameTokenOutside = false;
    for (const AuditEvent &e : unlinked) {
        reviews |= e.action == u"pull_request_review.submit"_s;
        sameTokenOutside |= linkedTokens.contains(e.hashedToken);
    }
    QVERIFY(reviews);
    QVERIFY(sameTokenOutside);
}

void TestAuditDemo::showListsTheAuditEvents()
{
    QProcess cli;
    cli.start(QStringLiteral(TASKTRAIL_CLI),
              {u"show"_s, u"--db"_s, m_demoDb, m_demo.auditStrayTaskId});
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 0);
    const QString text = QString::fromUtf8(cli.readAllStandardOutput());
    QVERIFY2(text.contains(u"\nAudit events ("_s), qPrintable(text));
    QVERIFY(text.contains(u"repo.download_zip"_s));
    QVERIFY(text.contains(u"GET /repos/:owner/:repo/zipball/:ref"_s));
    QVERIFY(text.contains(u"in "_s % m_demo.auditStrayRepo % u", not this task's repository"_s));
    QVERIFY(text.contains(u"hashed_token"_s));

    cli.start(QStringLiteral(TASKTRAIL_CLI),
              {u"show"_s, u"--db"_s, m_demoDb, m_demo.auditStrayTaskId, u"--format"_s, u"json"_s});
    QVERIFY(cli.waitForFinished(60000));
    const QJsonArray events = QJsonDocument::fromJson(cli.readAllStandardOutput())
                                  .object()
                                  .value("audit_events"_L1)
                                  .toArray();
    QVERIFY(!events.isEmpty());
    QString previous;
    int elsewhere = 0;
    for (const QJsonValue &v : events) {
        const QJsonObject e = v.toObject();
        QVERIFY(e.value("at"_L1).toString() >= previous); // in time order
        previous = e.value("at"_L1).toString();
        QCOMPARE(e.value("match"_L1).toString(), u"hashed_token"_s);
        if (e.value("other_repo"_L1).toBool()) {
            QCOMPARE(e.value("repo"_L1).toString(), m_demo.auditStrayRepo);
            ++elsewhere;
        }
    }
    QCOMPARE(elsewhere, 2); // the zipball request and the download it recorded
}

QTEST_GUILESS_MAIN(TestAuditDemo)
#include "tst_auditdemo.moc"
