// The demo's output checked against the template and policy files it ships: every version a
// run names is on file, each violation the demo plants is found on its run, and most runs
// conform. Real files, a real SQLite database, the same ingest and check as the CLI.
#include "demo/demogenerator.h"
#include "demo/demoworld.h"
#include "ingest/ingestor.h"
#include "policy/conformance.h"
#include "policy/policyfile.h"
#include "policy/rules.h"
#include "policy/storedspecs.h"
#include "store/recordstore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

constexpr double demoScale = 0.2;
// Measured: 179 of the 200 runs at this scale have no finding (89.5%); other seeds give 89 to
// 92.5%. Most of the rest are runs that timed out, never reached their tests, or uploaded to
// the paste site.
constexpr double minConforming = 0.8;

const QString policySource = QStringLiteral(TASKTRAIL_SOURCE) + u"/resources/policies"_s;

QByteArray contents(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Relative path -> bytes of every *.toml below root.
QMap<QString, QByteArray> tomlFiles(const QString &root)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(root, {u"*.toml"_s}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files.insert(QDir(root).relativeFilePath(path), contents(path));
    }
    return files;
}

// A finding as a line to compare: what a check gives, without the row id and the triage.
QStringList findingLines(const QList<Finding> &findings)
{
    QStringList lines;
    for (const Finding &f : findings)
        lines << QStringList{f.taskId,
                             f.rule,
                             f.evidenceRef,
                             QString::number(f.commandSeq),
                             QString::number(f.lineNo),
                             f.message}
                     .join(u" | "_s);
    lines.sort();
    return lines;
}

QString hexSha256(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

} // namespace

class TestDemoFindings final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void shipsThePolicyFiles();
    void catalogDigestsAreTheFiles();
    void everyNamedVersionIsOnFile();
    void plantedViolationsAreFound_data();
    void plantedViolationsAreFound();
    void plantedRunsAreAdHocAndFinished();
    void eachBranchHasOneRunPerRepository();
    void mostRunsConform();
    void freezesMatchTheDemoCalendar();
    void sourcesOneAtATimeGiveTheSameFindings();

private:
    QList<Finding> findingsOf(const QString &taskId) const;

    QTemporaryDir m_dir;
    QString m_demo;
    DemoSummary m_summary;
    std::unique_ptr<RecordStore> m_store;
    QList<Finding> m_findings;
};

void TestDemoFindings::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_demo = m_dir.filePath(u"demo"_s);
    QString error;
    DemoGenerator generator;
    QVERIFY2(generator.generate({m_demo, demoScale}, &error), qPrintable(error));
    m_summary = generator.summary();

    m_store = openStore(m_dir.filePath(u"demo.db"_s), &error);
    QVERIFY2(m_store, qPrintable(error));
    Ingestor ingestor(*m_store);
    QVERIFY2(ingestor.ingest({m_demo}), qPrintable(ingestor.errorString()));
    QCOMPARE(ingestor.counts().rejected, 0);
    QCOMPARE(qint64(ingestor.newPolicyDocuments().size()), m_summary.policyFiles);
    CheckCounts counts;
    QVERIFY2(checkAfterIngest(*m_store, ingestor.touchedTaskIds(), ingestor.newPolicyDocuments(),
                              &counts, &error),
             qPrintable(error));
    QCOMPARE(qint64(counts.tasks), m_summary.tasks);
    FindingFilter all;
    all.limit = 1000000;
    m_findings = m_store->findings(all);
    QCOMPARE(m_findings.size(), counts.findings);
}

QList<Finding> TestDemoFindings::findingsOf(const QString &taskId) const
{
    QList<Finding> out;
    std::copy_if(m_findings.cbegin(), m_findings.cend(), std::back_inserter(out),
                 [&taskId](const Finding &f) { return f.taskId == taskId; });
    return out;
}

// Byte for byte the files of resources/policies, one for every version the demo names.
void TestDemoFindings::shipsThePolicyFiles()
{
    const QMap<QString, QByteArray> source = tomlFiles(policySource);
    const QMap<QString, QByteArray> written = tomlFiles(m_demo + u"/policies"_s);
    QCOMPARE(written.keys(), source.keys());
    QCOMPARE(written, source);
    QCOMPARE(qint64(written.size()), m_summary.policyFiles);
    QVERIFY(written.contains(u"templates/deps-bump-3.toml"_s));
    QVERIFY(written.contains(u"policies/fanout-standard-3.toml"_s));
}

void TestDemoFindings::catalogDigestsAreTheFiles()
{
    QMap<QString, QString> fileDigests; // "template deps-bump@3" -> digest
    for (const PolicyDocument &d : m_store->policyDocuments(PolicyDocument::Kind::Template))
        fileDigests.insert(u"template "_s + d.id + u'@' + d.version, d.digest);
    for (const PolicyDocument &d : m_store->policyDocuments(PolicyDocument::Kind::Policy))
        fileDigests.insert(u"policy "_s + d.id + u'@' + d.version, d.digest);
    QCOMPARE(fileDigests.size(), int(m_summary.policyFiles));

    QMap<QString, QString> recordDigests;
    const QStringList catalogs =
        QDir(m_demo + u"/records"_s).entryList({u"catalog-*.jsonl"_s}, QDir::Files);
    for (const QString &name : catalogs) {
        const QList<QByteArray> lines = contents(m_demo + u"/records/"_s + name).split('\n');
        for (const QByteArray &line : lines) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            const QString kind = o.value("kind"_L1).toString();
            if (kind == "template"_L1 || kind == "policy"_L1)
                recordDigests.insert(kind + u' ' + o.value("id"_L1).toString() + u'@' +
                                         o.value("version"_L1).toString(),
                                     o.value("digest"_L1).toString());
        }
    }
    // Every version in the catalog has its file, and says so with the file's digest.
    QCOMPARE(recordDigests, fileDigests);
    const QString deps3 = hexSha256(contents(policySource + u"/templates/deps-bump-3.toml"_s));
    QCOMPARE(recordDigests.value(u"template deps-bump@3"_s), deps3);
}

void TestDemoFindings::everyNamedVersionIsOnFile()
{
    const QStringList ids = m_store->taskIds(0, 100000);
    QCOMPARE(qint64(ids.size()), m_summary.tasks);
    for (const QString &id : ids) {
        const std::optional<TaskChain> chain = m_store->taskChain(id);
        QVERIFY(chain);
        const SpecRef tmpl = templateRef(*chain);
        const SpecRef policy = policyRef(*chain);
        QVERIFY2(!tmpl.isEmpty() && !policy.isEmpty(), qPrintable(id));
        QVERIFY2(m_store->policyDocument(PolicyDocument::Kind::Template, tmpl.id, tmpl.version),
                 qPrintable(tmpl.toString()));
        QVERIFY2(m_store->policyDocument(PolicyDocument::Kind::Policy, policy.id, policy.version),
                 qPrintable(policy.toString()));
    }
    for (const Finding &f : std::as_const(m_findings)) {
        QVERIFY2(!f.rule.endsWith(u"_unknown"_s) && !f.rule.startsWith(u"task_without_"_s),
                 qPrintable(f.taskId + u": "_s + f.message));
        // Nobody launched a template their policy does not grant, with a token it refuses.
        for (const auto *rule :
             {"template_not_granted", "identity_kind_not_allowed", "scope_not_allowed",
              "principal_not_allowed", "requester_not_allowed"})
            QVERIFY2(f.rule != QLatin1String(rule), qPrintable(f.taskId + u": "_s + f.message));
    }
}

void TestDemoFindings::plantedViolationsAreFound_data()
{
    QTest::addColumn<QString>("taskId");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("ref"); // the finding's evidence ref; empty: any
    const DemoSummary &s = m_summary;
    QTest::newRow("paste upload: host")
        << s.pasteUploadTaskId << u"host_not_allowed"_s << u"paste.example.net"_s;
    QTest::newRow("paste upload: command")
        << s.pasteUploadTaskId << u"command_not_allowed"_s
        << u"curl -sS -F file=@test-output.txt https://paste.example.net/api/v1/paste"_s;
    QTest::newRow("release freeze")
        << s.frozenRunTaskId << u"launched_in_freeze"_s << u"payments-release-42"_s;
    QTest::newRow("push with a failing test")
        << s.failingPushTaskId << u"pushed_after_failing_test"_s << QString();
    QTest::newRow("pull request with a failing test")
        << s.failingPushTaskId << u"required_test_failing"_s << QString();
    QTest::newRow("self-approval") << s.selfApprovedTaskId << u"self_approved"_s << QString();
    QTest::newRow("self-merge") << s.selfApprovedTaskId << u"self_merged"_s << QString();
    QTest::newRow("call into another repository")
        << s.auditStrayTaskId << u"api_call_outside_repository"_s << QString();
}

void TestDemoFindings::plantedViolationsAreFound()
{
    QFETCH(QString, taskId);
    QFETCH(QString, rule);
    QFETCH(QString, ref);
    QVERIFY2(!taskId.isEmpty(), "the demo planted nothing of this kind");
    const QList<Finding> found = findingsOf(taskId);
    const bool hit = std::any_of(found.cbegin(), found.cend(), [&](const Finding &f) {
        return f.rule == rule && (ref.isEmpty() || f.evidenceRef == ref);
    });
    QStringList rules;
    for (const Finding &f : found)
        rules << f.rule + u' ' + f.evidenceRef;
    QVERIFY2(hit, qPrintable(taskId + u": "_s + rules.join(u", "_s)));

    // Whom the planted runs involve, as the findings name them.
    if (rule == u"self_approved"_s) {
        const std::optional<TaskChain> chain = m_store->taskChain(taskId);
        QVERIFY(chain && chain->request && chain->pullRequest);
        QCOMPARE(chain->pullRequest->mergedBy, chain->request->requester);
    }
    if (rule == u"launched_in_freeze"_s) // where the showcase campaign did not go for it
        QVERIFY(m_summary.showcaseSkippedRepos.contains(m_store->taskChain(taskId)->task.repo));
}

// Planted outside any campaign, so the showcase stays as it is, and run to the end.
void TestDemoFindings::plantedRunsAreAdHocAndFinished()
{
    const QStringList planted{m_summary.pasteUploadTaskId, m_summary.frozenRunTaskId,
                              m_summary.failingPushTaskId, m_summary.selfApprovedTaskId};
    QCOMPARE(QSet<QString>(planted.cbegin(), planted.cend()).size(), 4);
    for (const QString &id : planted) {
        const std::optional<TaskChain> chain = m_store->taskChain(id);
        QVERIFY2(chain, qPrintable(id));
        QVERIFY(chain->task.campaignId.isEmpty());
        QVERIFY(chain->task.state == TaskState::Completed);
        QVERIFY(chain->pullRequest);
    }
}

// A pull request is linked to the runs of its repository and head branch, so two runs on one
// branch would share one, with the other's reviews and tests.
void TestDemoFindings::eachBranchHasOneRunPerRepository()
{
    QSet<QString> branches;
    for (const QString &id : m_store->taskIds(0, 100000)) {
        const TaskRecord task = m_store->taskChain(id)->task;
        const QString key = task.repo + u' ' + task.headRef;
        QVERIFY2(!branches.contains(key), qPrintable(key));
        branches.insert(key);
    }
    QCOMPARE(qint64(branches.size()), m_summary.tasks);
}

void TestDemoFindings::mostRunsConform()
{
    QSet<QString> withFindings;
    for (const Finding &f : std::as_const(m_findings))
        withFindings.insert(f.taskId);
    const double conforming = double(m_summary.tasks - withFindings.size()) / m_summary.tasks;
    qInfo("%lld of %lld runs conform (%.1f%%), %lld findings",
          m_summary.tasks - withFindings.size(), m_summary.tasks, 100 * conforming,
          qint64(m_findings.size()));
    QVERIFY2(conforming >= minConforming, qPrintable(QString::number(conforming)));
    // Apart from the planted ones, no one approves or merges the work they asked for.
    for (const Finding &f : std::as_const(m_findings)) {
        if (f.rule == u"self_approved"_s || f.rule == u"self_merged"_s)
            QCOMPARE(f.taskId, m_summary.selfApprovedTaskId);
    }
}

// The templates' [[freeze]] windows are the demo's release calendar: the same windows, and
// exactly the repositories the campaigns skip for them (docs/policy-files.md, demoworld.cpp).
void TestDemoFindings::freezesMatchTheDemoCalendar()
{
    Demo::World world;
    QString error;
    QVERIFY2(Demo::planWorld({m_demo, demoScale}, &world, &error), qPrintable(error));
    int windows = 0;
    for (const PolicyDocument &d : m_store->policyDocuments(PolicyDocument::Kind::Template)) {
        QList<PolicyFileError> errors;
        const std::optional<TemplateSpec> spec =
            parseTemplate(d.sourcePath, d.text.toUtf8(), &errors);
        QVERIFY(spec);
        for (const FreezeWindow &w : spec->freezes) {
            const auto f =
                std::find_if(world.freezes.cbegin(), world.freezes.cend(),
                             [&w](const Demo::Freeze &c) { return c.name == w.name.toUtf8(); });
            QVERIFY2(f != world.freezes.cend(), qPrintable(w.name));
            QCOMPARE(w.from.toMSecsSinceEpoch(), f->fromMs);
            QCOMPARE(w.until.toMSecsSinceEpoch(), f->untilMs);
            const int index = int(f - world.freezes.cbegin());
            QStringList frozen;
            for (const Demo::Repo &r : std::as_const(world.repos)) {
                if (r.freeze == index)
                    frozen << QString::fromUtf8(r.fullName);
            }
            frozen.sort();
            QStringList listed = w.repositories;
            listed.sort();
            QCOMPARE(listed, frozen);
            ++windows;
        }
    }
    QVERIFY(windows >= 3);
}

// The sources as they come in practice, one ingest each: the records with the policies, then
// the GitHub pages, the audit log and the logs. Each ingest checks the runs it changed, the
// audit log's the runs it linked events in another repository to, so the findings end up those
// of the ingest of everything at once; loading the same policies again checks no run.
void TestDemoFindings::sourcesOneAtATimeGiveTheSameFindings()
{
    QString error;
    const std::unique_ptr<RecordStore> store = openStore(m_dir.filePath(u"apart.db"_s), &error);
    QVERIFY2(store, qPrintable(error));
    const auto ingestAndCheck = [&](const QString &dir, CheckCounts *counts) {
        Ingestor ingestor(*store);
        if (!ingestor.ingest({m_demo + u'/' + dir})) {
            error = ingestor.errorString();
            return false;
        }
        return checkAfterIngest(*store, ingestor.touchedTaskIds(), ingestor.newPolicyDocuments(),
                                counts, &error);
    };
    const auto strayFound = [&] {
        const QList<Finding> found = store->findingsOfTasks({m_summary.auditStrayTaskId});
        return std::any_of(found.cbegin(), found.cend(), [](const Finding &f) {
            return f.rule == u"api_call_outside_repository"_s;
        });
    };
    CheckCounts counts;
    QVERIFY2(ingestAndCheck(u"policies"_s, &counts), qPrintable(error));
    QCOMPARE(counts.tasks, 0);
    QVERIFY2(ingestAndCheck(u"records"_s, &counts), qPrintable(error));
    QCOMPARE(qint64(counts.tasks), m_summary.tasks);
    QVERIFY2(ingestAndCheck(u"github"_s, &counts), qPrintable(error));
    QVERIFY(!strayFound());

    QVERIFY2(ingestAndCheck(u"audit"_s, &counts), qPrintable(error));
    // The runs checked again are those linked to an event in another repository than their
    // own, the only events a rule reads: most runs' links are to their own repository.
    int linkedRuns = 0;
    int linkedElsewhere = 0;
    for (const QString &id : store->taskIds(0, 100000)) {
        const std::optional<TaskChain> chain = store->taskChainOutline(id);
        QVERIFY(chain);
        const QString &repo = chain->task.repo;
        linkedRuns += chain->auditEvents.isEmpty() ? 0 : 1;
        linkedElsewhere += std::any_of(chain->auditEvents.cbegin(), chain->auditEvents.cend(),
                                       [&repo](const AuditLink &l) {
                                           return !repo.isEmpty() && !l.event.repo.isEmpty() &&
                                                  l.event.repo.compare(repo, Qt::CaseInsensitive);
                                       });
    }
    QVERIFY(linkedElsewhere > 0);
    QVERIFY(linkedRuns > linkedElsewhere);
    QCOMPARE(counts.tasks, linkedElsewhere);
    QVERIFY(strayFound());

    QVERIFY2(ingestAndCheck(u"logs"_s, &counts), qPrintable(error));
    QVERIFY2(ingestAndCheck(u"policies"_s, &counts), qPrintable(error));
    QCOMPARE(counts.tasks, 0);

    FindingFilter all;
    all.limit = 1000000;
    QCOMPARE(findingLines(store->findings(all)), findingLines(m_findings));
}

QTEST_GUILESS_MAIN(TestDemoFindings)
#include "tst_demofindings.moc"
