#include "demo/demogenerator.h"
#include "demo/demooutput.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

constexpr double testScale = 0.05;

QStringList filesUnder(const QString &root)
{
    QStringList files;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << QDir(root).relativeFilePath(it.next());
    files.sort();
    return files;
}

QByteArray contents(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QList<QByteArray> lines(const QByteArray &text)
{
    QList<QByteArray> result = text.split('\n');
    if (!result.isEmpty() && result.last().isEmpty())
        result.removeLast();
    return result;
}

QJsonDocument parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("JSON error: %s", qPrintable(error.errorString()));
    return document;
}

// Every record line of records/*.jsonl, parsed.
QList<QJsonObject> records(const QString &root, const QString &kind = {})
{
    QList<QJsonObject> result;
    const QStringList names =
        QDir(root % u"/records"_s).entryList({u"*.jsonl"_s}, QDir::Files, QDir::Name);
    for (const QString &name : names) {
        for (const QByteArray &line : lines(contents(root % u"/records/"_s % name))) {
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            if (kind.isEmpty() || object.value("kind"_L1).toString() == kind)
                result << object;
        }
    }
    return result;
}

// The elements of every github/<stem>-*.json file, unwrapped from {"tasks"} or {"check_runs"}.
QJsonArray githubItems(const QString &root, const QString &stem)
{
    QJsonArray items;
    const QStringList names =
        QDir(root % u"/github"_s).entryList({stem % u"-*.json"_s}, QDir::Files, QDir::Name);
    for (const QString &name : names) {
        const QJsonDocument document = parse(contents(root % u"/github/"_s % name));
        QJsonArray array = document.array();
        if (document.isObject()) {
            const QJsonObject o = document.object();
            array = o.value(o.contains("tasks"_L1) ? "tasks"_L1 : "check_runs"_L1).toArray();
        }
        for (const QJsonValue &v : std::as_const(array))
            items.append(v);
    }
    return items;
}

QList<QByteArray> logLines(const QString &root)
{
    QList<QByteArray> result;
    const QStringList names =
        QDir(root % u"/logs"_s).entryList({u"*.log"_s}, QDir::Files, QDir::Name);
    for (const QString &name : names)
        result += lines(contents(root % u"/logs/"_s % name));
    return result;
}

} // namespace

class TestDemoGenerator final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sameSeedGivesIdenticalBytes();
    void otherSeedDiffers();
    void everyRecordLineIsAKnownKind();
    void showcaseCampaignSkipsThreeRepositories();
    void logFilesStartWithASectionHeader();
    void logsShowColoursWarningsAndSecrets();
    void summaryMatchesTheFiles();
    void githubFilesLinkToTasksAndPulls();
    void recordsHoldOnlyHashedTokens();
    void auditLogUsesTheIdentitiesTokenHashes();
    void rerunReplacesEarlierFiles();
    void rejectsBadOptions_data();
    void rejectsBadOptions();
    void chunkedFilesRollOverAtTheBound();

private:
    QTemporaryDir m_first;
    QTemporaryDir m_second;
    QTemporaryDir m_otherSeed;
    DemoSummary m_summary;
};

void TestDemoGenerator::initTestCase()
{
    QVERIFY(m_first.isValid() && m_second.isValid() && m_otherSeed.isValid());
    DemoGenerator generator;
    qint64 lastDone = 0;
    qint64 lastTotal = 0;
    generator.setProgressCallback([&](qint64 done, qint64 total) {
        QVERIFY(done > lastDone);
        lastDone = done;
        lastTotal = total;
    });
    QString error;
    QVERIFY2(generator.generate({m_first.path(), testScale}, &error), qPrintable(error));
    m_summary = generator.summary();
    QCOMPARE(lastDone, lastTotal);
    QCOMPARE(lastTotal, m_summary.tasks);
    QVERIFY2(DemoGenerator().generate({m_second.path(), testScale}, &error), qPrintable(error));
    QVERIFY2(DemoGenerator().generate({m_otherSeed.path(), testScale, 7}, &error),
             qPrintable(error));
}

void TestDemoGenerator::sameSeedGivesIdenticalBytes()
{
    const QStringList files = filesUnder(m_first.path());
    QCOMPARE(filesUnder(m_second.path()), files);
    QVERIFY(files.size() >= 10);
    QVERIFY(files.contains(u"audit/audit-log-0001.ndjson"_s));
    for (const QString &file : files) {
        const QByteArray a = contents(m_first.filePath(file));
        QVERIFY2(!a.isEmpty(), qPrintable(file));
        QVERIFY2(a == contents(m_second.filePath(file)), qPrintable(file));
    }
}

void TestDemoGenerator::otherSeedDiffers()
{
    const QString tasks = u"records/tasks-0001.jsonl"_s;
    QVERIFY(!contents(m_otherSeed.filePath(tasks)).isEmpty());
    QVERIFY(contents(m_first.filePath(tasks)) != contents(m_otherSeed.filePath(tasks)));
    QVERIFY(contents(m_first.filePath(u"logs/commands-0001.log"_s)) !=
            contents(m_otherSeed.filePath(u"logs/commands-0001.log"_s)));
}

void TestDemoGenerator::everyRecordLineIsAKnownKind()
{
    const QSet<QString> known{u"request"_s, u"campaign"_s,     u"decision"_s,    u"identity"_s,
                              u"policy"_s,  u"template"_s,     u"task"_s,        u"session"_s,
                              u"command"_s, u"test"_s,         u"file_change"_s, u"contact"_s,
                              u"failure"_s, u"pull_request"_s, u"review"_s,      u"check_run"_s,
                              u"log"_s};
    const QStringList files = QDir(m_first.filePath(u"records"_s)).entryList(QDir::Files);
    QVERIFY(!files.isEmpty());
    QSet<QString> seen;
    for (const QString &name : files) {
        QVERIFY2(name.endsWith(".jsonl"_L1), qPrintable(name));
        const QList<QByteArray> all = lines(contents(m_first.filePath(u"records/"_s % name)));
        for (qsizetype i = 0; i < all.size(); ++i) {
            const QString where = name % u':' % QString::number(i + 1);
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(all[i], &error);
            QVERIFY2(error.error == QJsonParseError::NoError && document.isObject(),
                     qPrintable(where));
            const QJsonObject o = document.object();
            QVERIFY2(o.value("tasktrail"_L1).toInt() == 1, qPrintable(where));
            const QString kind = o.value("kind"_L1).toString();
            QVERIFY2(known.contains(kind), qPrintable(where % u": "_s % kind));
            seen << kind;
        }
    }
    for (const QString &kind :
         {u"request"_s, u"campaign"_s, u"identity"_s, u"policy"_s, u"template"_s, u"task"_s})
        QVERIFY2(seen.contains(kind), qPrintable(kind));
}

void TestDemoGenerator::showcaseCampaignSkipsThreeRepositories()
{
    const QList<QJsonObject> campaigns = records(m_first.path(), u"campaign"_s);
    QVERIFY(!campaigns.isEmpty());
    const QJsonObject showcase = campaigns.first();
    QCOMPARE(showcase.value("id"_L1).toString(), m_summary.showcaseCampaignId);
    QCOMPARE(showcase.value("title"_L1).toString(), u"Bump lodash 4.17.20 -> 4.17.21"_s);
    const QJsonArray decisions = showcase.value("decisions"_L1).toArray();
    QCOMPARE(decisions.size(), 50);
    QMap<QString, QString> reasonByRule;
    QStringList skippedRepos;
    QSet<QString> taskIds;
    for (const QJsonValue &v : decisions) {
        const QJsonObject d = v.toObject();
        if (d.value("verdict"_L1).toString() == "skipped"_L1) {
            reasonByRule.insert(d.value("rule"_L1).toString(), d.value("reason"_L1).toString());
            skippedRepos << d.value("repo"_L1).toString();
            QVERIFY(!d.value("evidence"_L1).toString().isEmpty());
            QVERIFY(!d.contains("task_id"_L1));
        } else {
            QCOMPARE(d.value("verdict"_L1).toString(), u"eligible"_s);
            taskIds << d.value("task_id"_L1).toString();
        }
    }
    QCOMPARE(reasonByRule.size(), 3);
    QCOMPARE(reasonByRule.value(u"release_freeze"_s),
             u"release freeze until 2026-12-01 (payments-release-42)"_s);
    QCOMPARE(reasonByRule.value(u"archived"_s), u"repository is archived"_s);
    QCOMPARE(reasonByRule.value(u"not_eligible"_s), u"no package.json: template requires npm"_s);
    QCOMPARE(skippedRepos, m_summary.showcaseSkippedRepos);
    QCOMPARE(taskIds.size(), 47);
    QVERIFY(taskIds.contains(m_summary.showcaseTaskId));

    int tasksOfShowcase = 0;
    for (const QJsonObject &task : records(m_first.path(), u"task"_s)) {
        if (task.value("campaign_id"_L1).toString() == m_summary.showcaseCampaignId) {
            QVERIFY(taskIds.contains(task.value("id"_L1).toString()));
            ++tasksOfShowcase;
        }
    }
    QCOMPARE(tasksOfShowcase, 47);
}

void TestDemoGenerator::logFilesStartWithASectionHeader()
{
    const QStringList names = QDir(m_first.filePath(u"logs"_s)).entryList(QDir::Files);
    QVERIFY(!names.isEmpty());
    for (const QString &name : names) {
        const QByteArray text = contents(m_first.filePath(u"logs/"_s % name));
        QVERIFY2(text.startsWith("##[tasktrail] task="), qPrintable(name));
        QVERIFY(text.endsWith('\n'));
    }
    const QList<QByteArray> all = logLines(m_first.path());
    for (const QByteArray &line : all) {
        if (line.startsWith("##[tasktrail] "))
            QVERIFY2(line.contains(" command="), line.constData());
        else // 2026-03-01T12:00:00.123Z text
            QVERIFY2(line.size() > 25 && line.at(10) == 'T' && line.at(23) == 'Z' &&
                         line.at(24) == ' ',
                     line.constData());
    }
}

void TestDemoGenerator::logsShowColoursWarningsAndSecrets()
{
    const QList<QByteArray> all = logLines(m_first.path());
    qint64 output = 0, warnings = 0, colours = 0, errors = 0;
    for (const QByteArray &line : all) {
        if (line.startsWith("##[tasktrail]"))
            continue;
        ++output;
        warnings += line.contains("warning") ? 1 : 0;
        colours += line.contains("\x1b[") ? 1 : 0;
        errors += line.contains("error") ? 1 : 0;
    }
    const double share = double(warnings) / double(output);
    QVERIFY2(share > 0.12 && share < 0.3, qPrintable(QString::number(share)));
    QVERIFY(colours > 0);
    QVERIFY(errors > 0);
    const QByteArray text = contents(m_first.filePath(u"logs/commands-0001.log"_s));
    QVERIFY(text.contains("Authorization: Bearer ghp_"));
    QVERIFY(text.contains("AWS_ACCESS_KEY_ID=AKIA"));
    QVERIFY(text.contains("-----BEGIN RSA PRIVATE KEY-----"));
    QVERIFY(text.contains("-----END RSA PRIVATE KEY-----"));
}

void TestDemoGenerator::summaryMatchesTheFiles()
{
    const QList<QJsonObject> tasks = records(m_first.path(), u"task"_s);
    QCOMPARE(qint64(tasks.size()), m_summary.tasks);
    QVERIFY(m_summary.tasks >= 50);
    QCOMPARE(qint64(records(m_first.path(), u"campaign"_s).size()), m_summary.campaigns);

    qint64 skipped = 0;
    for (const QJsonObject &c : records(m_first.path(), u"campaign"_s)) {
        for (const QJsonValue &d : c.value("decisions"_L1).toArray())
            skipped += d.toObject().value("verdict"_L1).toString() == "skipped"_L1 ? 1 : 0;
    }
    QCOMPARE(skipped, m_summary.skippedRepos);

    QSet<QString> commandKeys;
    QSet<QString> taskIds;
    for (const QJsonObject &t : tasks) {
        const QString id = t.value("id"_L1).toString();
        taskIds << id;
        for (const QJsonValue &c : t.value("commands"_L1).toArray())
            commandKeys << id % u'/' % QString::number(c.toObject().value("seq"_L1).toInt());
    }
    QCOMPARE(qint64(taskIds.size()), m_summary.tasks);
    QCOMPARE(qint64(commandKeys.size()), m_summary.commands);

    // Every command has exactly one log section, and nothing else does.
    qint64 output = 0;
    QSet<QString> sections;
    for (const QByteArray &line : logLines(m_first.path())) {
        if (!line.startsWith("##[tasktrail] ")) {
            ++output;
            continue;
        }
        const QList<QByteArray> parts = line.split(' ');
        const QString key =
            QString::fromUtf8(parts.at(1).mid(5)) % u'/' % QString::fromUtf8(parts.at(2).mid(8));
        QVERIFY2(!sections.contains(key), qPrintable(key));
        sections << key;
    }
    QCOMPARE(sections, commandKeys);
    QCOMPARE(output, m_summary.logLines);

    QCOMPARE(qint64(githubItems(m_first.path(), u"pulls"_s).size()), m_summary.pullRequests);
    QVERIFY(m_summary.pullRequests > 0);
    QCOMPARE(qint64(filesUnder(m_first.path()).size()), m_summary.files);
    QCOMPARE(qint64(filesUnder(m_first.filePath(u"policies"_s)).size()), m_summary.policyFiles);
    QVERIFY(m_summary.policyFiles >= 16);
}

void TestDemoGenerator::githubFilesLinkToTasksAndPulls()
{
    QMap<qint64, QString> pullRepoById;
    QSet<QString> pullKeys;
    for (const QJsonValue &v : githubItems(m_first.path(), u"pulls"_s)) {
        const QJsonObject pr = v.toObject();
        const QString repo = pr.value("base"_L1)
                                 .toObject()
                                 .value("repo"_L1)
                                 .toObject()
                                 .value("full_name"_L1)
                                 .toString();
        QVERIFY(pr.value("html_url"_L1).toString().startsWith(u"https://github.com/"_s % repo));
        QVERIFY(pr.contains("merged_at"_L1));
        pullRepoById.insert(pr.value("id"_L1).toInteger(), repo);
        pullKeys << repo % u'#' % QString::number(pr.value("number"_L1).toInt());
    }

    const QJsonArray agentTasks = githubItems(m_first.path(), u"agent-tasks"_s);
    QVERIFY(!agentTasks.isEmpty());
    int linked = 0;
    for (const QJsonValue &v : agentTasks) {
        const QJsonObject task = v.toObject();
        const QString url = task.value("url"_L1).toString();
        QVERIFY2(url.startsWith("https://api.github.com/agents/repos/"_L1), qPrintable(url));
        const QString repo = url.section(u'/', 5, 6);
        QVERIFY(task.value("sessions"_L1).isArray());
        for (const QJsonValue &a : task.value("artifacts"_L1).toArray()) {
            const QJsonObject artifact = a.toObject();
            if (artifact.value("type"_L1).toString() != "pull"_L1)
                continue;
            const qint64 id = artifact.value("data"_L1).toObject().value("id"_L1).toInteger();
            QCOMPARE(pullRepoById.value(id), repo);
            ++linked;
        }
    }
    QVERIFY(linked > 0);

    for (const QJsonObject &t : records(m_first.path(), u"task"_s)) {
        if (t.contains("pr_number"_L1))
            QVERIFY(pullKeys.contains(t.value("repo"_L1).toString() % u'#' %
                                      QString::number(t.value("pr_number"_L1).toInt())));
    }
    for (const QJsonValue &v : githubItems(m_first.path(), u"reviews"_s)) {
        const QString pull = v.toObject().value("pull_request_url"_L1).toString();
        QVERIFY(pull.startsWith("https://api.github.com/repos/"_L1));
        QVERIFY(pullKeys.contains(pull.section(u'/', 4, 5) % u'#' % pull.section(u'/', 7, 7)));
    }
    const QJsonArray checks = githubItems(m_first.path(), u"check-runs"_s);
    QVERIFY(!checks.isEmpty());
    for (const QJsonValue &v : checks) {
        const QJsonObject run = v.toObject();
        QVERIFY(run.value("url"_L1).toString().contains("/check-runs/"_L1));
        QCOMPARE(run.value("app"_L1).toObject().value("slug"_L1).toString(), u"github-actions"_s);
    }
}

void TestDemoGenerator::recordsHoldOnlyHashedTokens()
{
    for (const QString &file : filesUnder(m_first.path())) {
        if (file.startsWith("logs/"_L1))
            continue;
        const QByteArray text = contents(m_first.filePath(file));
        QVERIFY2(!text.contains("ghp_") && !text.contains("github_pat_") &&
                     !text.contains("gho_") && !text.contains("ghu_"),
                 qPrintable(file));
    }
    const QList<QJsonObject> identities = records(m_first.path(), u"identity"_s);
    QVERIFY(identities.size() > 5);
    QSet<QString> kinds;
    for (const QJsonObject &identity : identities) {
        QVERIFY(!identity.contains("token"_L1));
        const QString kind = identity.value("identity_kind"_L1).toString();
        kinds << kind;
        if (kind == "local_user"_L1)
            continue;
        const QByteArray hashed = identity.value("hashed_token"_L1).toString().toLatin1();
        QCOMPARE(QByteArray::fromBase64(hashed).size(), 32);
    }
    for (const QString &kind : {u"fine_grained_pat"_s, u"github_app_user_token"_s,
                                u"oauth_app_token"_s, u"classic_pat"_s, u"local_user"_s})
        QVERIFY2(kinds.contains(kind), qPrintable(kind));
}

void TestDemoGenerator::auditLogUsesTheIdentitiesTokenHashes()
{
    // The token hash an identity record carries, by GitHub token id.
    QMap<QString, QString> hashByTokenId;
    QSet<QString> identityHashes;
    for (const QJsonObject &identity : records(m_first.path(), u"identity"_s)) {
        const QString hash = identity.value("hashed_token"_L1).toString();
        if (hash.isEmpty())
            continue;
        hashByTokenId.insert(identity.value("token_id"_L1).toString(), hash);
        identityHashes << hash;
    }
    const QStringList names =
        QDir(m_first.filePath(u"audit"_s)).entryList({u"audit-log-*.ndjson"_s}, QDir::Files);
    QVERIFY(!names.isEmpty());
    QSet<QString> ids;
    QSet<QString> actions;
    qint64 events = 0, byIdentity = 0, ownCredential = 0, stray = 0;
    for (const QString &name : names) {
        const QList<QByteArray> all = lines(contents(m_first.filePath(u"audit/"_s % name)));
        for (qsizetype i = 0; i < all.size(); ++i) {
            const QString where = name % u':' % QString::number(i + 1);
            const QJsonObject e = QJsonDocument::fromJson(all[i]).object();
            QVERIFY2(e.value("@timestamp"_L1).isDouble() && e.value("created_at"_L1).isDouble() &&
                         e.value("action"_L1).isString() && e.value("actor"_L1).isString(),
                     qPrintable(where));
            const QString id = e.value("_document_id"_L1).toString();
            QVERIFY2(!id.isEmpty() && !ids.contains(id), qPrintable(where));
            ids << id;
            actions << e.value("action"_L1).toString();
            const QString hash = e.value("hashed_token"_L1).toString();
            if (e.contains("token_id"_L1)) {
                const QString tokenId = QString::number(e.value("token_id"_L1).toInteger());
                QVERIFY2(hashByTokenId.value(tokenId) == hash, qPrintable(where));
                ++byIdentity;
            } else if (!hash.isEmpty()) {
                // A developer's own credential: no identity record knows it.
                QCOMPARE(QByteArray::fromBase64(hash.toLatin1()).size(), 32);
                QVERIFY2(!identityHashes.contains(hash), qPrintable(where));
                ++ownCredential;
            }
            const QString repo =
                e.value(e.contains("repo"_L1) ? "repo"_L1 : "repository"_L1).toString();
            QVERIFY2(repo.count(u'/') == 1, qPrintable(where));
            stray += repo == m_summary.auditStrayRepo &&
                     e.value("action"_L1).toString() == "repo.download_zip"_L1;
            ++events;
        }
    }
    QCOMPARE(events, m_summary.auditEvents);
    QVERIFY(byIdentity > m_summary.tasks);
    QVERIFY(ownCredential > 0);
    QVERIFY(stray > 0);
    for (const QString &action :
         {u"git.clone"_s, u"git.push"_s, u"api.request"_s, u"pull_request.create"_s,
          u"pull_request_review.submit"_s, u"pull_request.merge"_s, u"repo.download_zip"_s})
        QVERIFY2(actions.contains(action), qPrintable(action));
}

void TestDemoGenerator::rerunReplacesEarlierFiles()
{
    QTemporaryDir dir;
    QFile keep(dir.filePath(u"notes.txt"_s));
    QVERIFY(keep.open(QIODevice::WriteOnly));
    keep.close();
    QVERIFY(QDir(dir.path()).mkpath(u"records"_s));
    QFile stale(dir.filePath(u"records/tasks-0099.jsonl"_s));
    QVERIFY(stale.open(QIODevice::WriteOnly));
    stale.close();
    QVERIFY(QDir(dir.path()).mkpath(u"audit"_s));
    QFile staleAudit(dir.filePath(u"audit/audit-log-0099.ndjson"_s));
    QVERIFY(staleAudit.open(QIODevice::WriteOnly));
    staleAudit.close();
    QString error;
    QVERIFY2(DemoGenerator().generate({dir.path(), testScale}, &error), qPrintable(error));
    QVERIFY(!QFile::exists(stale.fileName()));
    QVERIFY(!QFile::exists(staleAudit.fileName()));
    QVERIFY(QFile::exists(keep.fileName()));
    QCOMPARE(contents(dir.filePath(u"records/tasks-0001.jsonl"_s)),
             contents(m_first.filePath(u"records/tasks-0001.jsonl"_s)));
}

void TestDemoGenerator::rejectsBadOptions_data()
{
    QTest::addColumn<bool>("withDir");
    QTest::addColumn<double>("scale");
    QTest::newRow("no directory") << false << 1.0;
    QTest::newRow("zero scale") << true << 0.0;
    QTest::newRow("negative scale") << true << -2.0;
}

void TestDemoGenerator::rejectsBadOptions()
{
    QFETCH(bool, withDir);
    QFETCH(double, scale);
    QTemporaryDir dir;
    QString error;
    QVERIFY(!DemoGenerator().generate({withDir ? dir.path() : QString(), scale}, &error));
    QVERIFY(!error.isEmpty());
}

void TestDemoGenerator::chunkedFilesRollOverAtTheBound()
{
    QTemporaryDir dir;
    Demo::ChunkedFiles files(dir.path(), u"check-runs"_s, u".json"_s,
                             Demo::ChunkedFiles::checkRunList(), 3);
    for (int i = 0; i < 7; ++i) {
        files.beginItem().append("{\"id\":" + QByteArray::number(i) + '}');
        files.endItem();
    }
    QVERIFY(files.finish());
    QCOMPARE(files.fileCount(), 3);
    const QJsonObject first = parse(contents(dir.filePath(u"check-runs-0001.json"_s))).object();
    QCOMPARE(first.value("total_count"_L1).toInt(), 3);
    QCOMPARE(first.value("check_runs"_L1).toArray().size(), 3);
    const QJsonObject last = parse(contents(dir.filePath(u"check-runs-0003.json"_s))).object();
    QCOMPARE(last.value("check_runs"_L1).toArray().at(0).toObject().value("id"_L1).toInt(), 6);
}

QTEST_GUILESS_MAIN(TestDemoGenerator)
#include "tst_demogenerator.moc"
