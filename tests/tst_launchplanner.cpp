// The launch flow up to the queue: every dry-run rule, parameters, the policy grant, what a
// submit records, and idempotency, also across connections.
#include "launchfixture.h"
#include "sqlscalar.h"

#include "github/tokensource.h"

#include <QFile>

#include <sqlite3.h>

#include <thread>

using namespace Qt::StringLiterals;
using namespace Tasktrail::SqlScalar;
using namespace Tasktrail;
using namespace LaunchFixture;

namespace {

const QByteArray secretToken = "ghu_S3cretLaunchToken0123456789abcdefXYZ";

class FixedTokens final : public TokenSource
{
public:
    std::optional<QByteArray> token(const QString &, QString *) override { return secretToken; }
};

} // namespace

class TestLaunchPlanner : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<RecordStore> m_store;

    QString dbPath() const { return m_dir.filePath(u"launch.db"_s); }

    LaunchPlanner planner(const QDateTime &at = noon())
    {
        LaunchPlanner p(*m_store);
        p.setClock([at] { return at; });
        return p;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QFile::remove(dbPath());
        m_store = open(m_dir);
        QVERIFY(m_store);
        QVERIFY(loadScene(*m_store));
    }
    void cleanup()
    {
        m_store.reset();
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
            QFile::remove(dbPath() + suffix);
    }

    void rules_data()
    {
        QTest::addColumn<QString>("repo");
        QTest::addColumn<QDateTime>("at");
        QTest::addColumn<bool>("eligible");
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("reason");
        const QDateTime frozen(QDate(2026, 11, 15), QTime(9, 0), Qt::UTC);
        QTest::newRow("eligible") << u"acme-web/cart"_s << noon() << true << QString() << QString();
        QTest::newRow("archived") << u"acme-web/old-site"_s << noon() << false << u"archived"_s
                                  << u"repository is archived"_s;
        QTest::newRow("fork") << u"acme-web/forked-ui"_s << noon() << false << u"not_eligible"_s
                              << u"fork"_s;
        QTest::newRow("excluded") << u"acme-web/legacy-shop"_s << noon() << false
                                  << u"not_eligible"_s << u"excluded by the template"_s;
        QTest::newRow("not included") << u"other/tool"_s << noon() << false << u"not_eligible"_s
                                      << u"not in the template's repositories"_s;
        QTest::newRow("language") << u"acme-api/gateway"_s << noon() << false << u"not_eligible"_s
                                  << u"language Go"_s;
        QTest::newRow("topic") << u"acme-api/search"_s << noon() << false << u"not_eligible"_s
                               << u"no topic of npm"_s;
        QTest::newRow("required file")
            << u"acme-web/docs"_s << noon() << false << u"not_eligible"_s << u"no package.json"_s;
        QTest::newRow("unknown repository") << u"acme-web/nowhere"_s << noon() << false
                                            << u"not_eligible"_s << u"not a known repository"_s;
        QTest::newRow("release freeze")
            << u"acme-payments/ledger"_s << frozen << false << u"release_freeze"_s
            << u"release freeze until 2026-12-01 (payments-release-42)"_s;
        QTest::newRow("freeze over")
            << u"acme-payments/ledger"_s << QDateTime(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC)
            << true << QString() << QString();
    }
    void rules()
    {
        QFETCH(QString, repo);
        QFETCH(QDateTime, at);
        QFETCH(bool, eligible);
        QFETCH(QString, rule);
        QFETCH(QString, reason);
        const LaunchPlan plan = planner(at).plan(request({repo}));
        QVERIFY2(plan.ok(), qPrintable(plan.errors.join(u'\n')));
        QCOMPARE(plan.repos.size(), 1);
        const RepoDecision &d = plan.repos.first().decision;
        QCOMPARE(d.verdict == RepoVerdict::Eligible, eligible);
        QCOMPARE(d.rule, rule);
        QVERIFY2(d.reason.contains(reason), qPrintable(d.reason));
        QVERIFY(!d.evidence.isEmpty());
        QVERIFY(!plan.repos.first().waiting);
    }

    void blastRadius()
    {
        Budgets b;
        b.version = u"4"_s;
        b.maxRepositories = 2;
        QVERIFY(loadTemplate(*m_store, b));
        LaunchRequest r = request({u"acme-web/checkout"_s, u"acme-web/cart"_s,
                                   u"acme-web/old-site"_s, u"acme-payments/ledger"_s});
        r.templateRef = u"deps-bump"_s; // the newest version: 4
        const LaunchPlan plan = planner().plan(r);
        QVERIFY(plan.ok());
        QCOMPARE(plan.templ.version, u"4"_s);
        // A stable order: by name; a skipped repository does not use the cap.
        QCOMPARE(toString(find(plan, u"acme-payments/ledger"_s)->decision.verdict),
                 toString(RepoVerdict::Eligible));
        QCOMPARE(toString(find(plan, u"acme-web/cart"_s)->decision.verdict),
                 toString(RepoVerdict::Eligible));
        QCOMPARE(find(plan, u"acme-web/old-site"_s)->decision.rule, u"archived"_s);
        const RepoDecision &capped = find(plan, u"acme-web/checkout"_s)->decision;
        QCOMPARE(toString(capped.verdict), toString(RepoVerdict::Skipped));
        QCOMPARE(capped.rule, u"blast_radius"_s);
        QCOMPARE(capped.reason, u"campaign cap of 2 repositories reached"_s);
    }

    void reviewerCapacityWaits()
    {
        Budgets b;
        b.version = u"4"_s;
        b.reviewsPerDay = 1;
        QVERIFY(loadTemplate(*m_store, b));
        LaunchRequest r = request({u"acme-web/cart"_s, u"acme-web/checkout"_s});
        r.templateRef = u"deps-bump@4"_s;
        LaunchPlanner p = planner();
        const LaunchPlan plan = p.plan(r);
        const RepoPlan *first = find(plan, u"acme-web/cart"_s);
        const RepoPlan *second = find(plan, u"acme-web/checkout"_s);
        QVERIFY(!first->waiting);
        QCOMPARE(toString(first->decision.verdict), toString(RepoVerdict::Eligible));
        QVERIFY(second->waiting);
        QCOMPARE(toString(second->decision.verdict),
                 toString(RepoVerdict::Eligible)); // waits, is not skipped
        QCOMPARE(second->decision.rule, u"budget_exhausted"_s);
        QVERIFY(second->decision.reason.contains(u"acme/platform"_s));
        QCOMPARE(second->startAt, QDateTime(QDate(2026, 10, 6), QTime(0, 0), Qt::UTC));

        // The submitted entries use the capacity: the next request waits everywhere.
        const LaunchSubmission s = p.submit(r);
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
        QCOMPARE(toString(m_store->queueEntry(s.taskIds.at(1))->state),
                 toString(QueueState::Waiting));
        LaunchRequest other = request({u"acme-web/cart"_s});
        other.templateRef = u"deps-bump@4"_s;
        other.parameters[u"version"_s] = u"5.0.0"_s;
        QVERIFY(p.plan(other).repos.first().waiting);
    }

    void parameters()
    {
        const LaunchPlan filled = planner().plan(request({u"acme-web/cart"_s}));
        QCOMPARE(filled.prompt, u"Bump lodash to 4.17.21 in {repo}."_s);

        LaunchRequest missing = request({u"acme-web/cart"_s});
        missing.parameters.remove(u"version"_s);
        const LaunchPlan m = planner().plan(missing);
        QVERIFY(!m.ok());
        QVERIFY2(m.errors.join(u' ').contains(u"parameter 'version' is missing"_s),
                 qPrintable(m.errors.join(u' ')));

        LaunchRequest unknown = request({u"acme-web/cart"_s});
        unknown.parameters[u"colour"_s] = u"blue"_s;
        const LaunchPlan u = planner().plan(unknown);
        QVERIFY(!u.ok());
        QVERIFY(u.errors.join(u' ').contains(u"unknown parameter 'colour'"_s));

        LaunchRequest noTemplate = request({u"acme-web/cart"_s});
        noTemplate.templateRef = u"deps-bump@9"_s;
        QVERIFY(planner().plan(noTemplate).errors.join(u' ').contains(u"not loaded"_s));
    }

    void policyDenied()
    {
        LaunchRequest r = request({u"acme-web/cart"_s, u"acme-web/checkout"_s});
        r.requester = u"eve"_s;
        r.identity.kind = IdentityKind::ClassicPat;
        const LaunchPlan plan = planner().plan(r);
        QVERIFY(plan.ok());
        QCOMPARE(plan.eligibleCount(), 0);
        for (const RepoPlan &rp : plan.repos) {
            QCOMPARE(rp.decision.rule, u"policy_denied"_s);
            QVERIFY2(rp.decision.reason.contains(u"Requester eve is not allowed"_s),
                     qPrintable(rp.decision.reason));
            QVERIFY(rp.decision.reason.contains(u"Token kind classic_pat"_s));
        }
        // A stored identity supplies what the request leaves out.
        IdentityRecord stored{u"svc-stored"_s,
                              IdentityKind::GitHubAppUserToken,
                              u"svc[bot]"_s,
                              {},
                              {u"contents:write"_s},
                              {},
                              {}};
        QVERIFY(m_store->writeIdentity(stored));
        LaunchRequest byId = request({u"acme-web/cart"_s});
        byId.identity = IdentityRecord{};
        byId.identity.id = u"svc-stored"_s;
        const LaunchPlan allowed = planner().plan(byId);
        QCOMPARE(toString(allowed.identity.kind), toString(IdentityKind::GitHubAppUserToken));
        QCOMPARE(allowed.eligibleCount(), 1);
    }

    void repositoryQuery()
    {
        LaunchRequest r = request({});
        r.repositoryQuery = u"acme-web/*"_s;
        const LaunchPlan plan = planner().plan(r);
        QVERIFY(plan.ok());
        QStringList names;
        for (const RepoPlan &rp : plan.repos)
            names << rp.decision.repo;
        QCOMPARE(names, (QStringList{u"acme-web/cart"_s, u"acme-web/checkout"_s, u"acme-web/docs"_s,
                                     u"acme-web/forked-ui"_s, u"acme-web/legacy-shop"_s,
                                     u"acme-web/old-site"_s}));
        QCOMPARE(plan.eligibleCount(), 2);
        r.repositoryQuery = u"nobody/*"_s;
        QVERIFY(planner().plan(r).errors.join(u' ').contains(u"no known repository matches"_s));
    }

    void submitRecordsTheLaunch()
    {
        FixedTokens tokens;
        LaunchPlanner p = planner();
        p.setTokenSource(&tokens);
        LaunchRequest r =
            request({u"acme-web/cart"_s, u"acme-web/checkout"_s, u"acme-web/old-site"_s});
        r.idempotencyKey = u"portal-4711"_s;
        const LaunchSubmission s = p.submit(r);
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
        QVERIFY(!s.existing);
        QCOMPARE(s.taskIds.size(), 2);

        const auto campaign = m_store->campaign(s.campaignId);
        QVERIFY(campaign);
        QCOMPARE(campaign->campaign.templateId, u"deps-bump"_s);
        QCOMPARE(campaign->campaign.templateVersion, u"3"_s);
        QCOMPARE(campaign->campaign.policyVersion, u"5"_s);
        QCOMPARE(campaign->campaign.decisions.size(), 3);

        const auto chain = m_store->taskChain(s.taskIds.first());
        QVERIFY(chain);
        QCOMPARE(toString(chain->task.state), toString(TaskState::Queued));
        QCOMPARE(chain->task.prompt, u"Bump lodash to 4.17.21 in acme-web/cart."_s);
        QCOMPARE(chain->task.source, u"test"_s);
        QVERIFY(chain->request);
        QCOMPARE(chain->request->requester, u"mgarcia"_s);
        QCOMPARE(chain->request->triggerSystem, u"portal"_s);
        QCOMPARE(chain->request->correlationId, u"portal-4711"_s);
        QVERIFY(chain->decision);
        QCOMPARE(chain->decision->taskId, s.taskIds.first());
        QVERIFY(chain->identity);
        QCOMPARE(toString(chain->identity->kind), toString(IdentityKind::GitHubAppUserToken));
        QCOMPARE(chain->identity->principal, u"svc-deps[bot]"_s);
        QCOMPARE(chain->identity->onBehalfOf, u"mgarcia"_s);
        QCOMPARE(chain->identity->hashedToken,
                 QString::fromLatin1(
                     QCryptographicHash::hash(secretToken, QCryptographicHash::Sha256).toBase64()));

        const auto entry = m_store->queueEntry(s.taskIds.first());
        QVERIFY(entry);
        QCOMPARE(toString(entry->state), toString(QueueState::Queued));
        QCOMPARE(entry->campaignId, s.campaignId);
        QCOMPARE(m_store->launchEvents(s.taskIds.first()).size(), 1);
        QVERIFY(m_store->verifyEvidence({}).intact());

        m_store.reset();
        for (const QString &suffix : {u""_s, u"-wal"_s}) {
            QFile f(dbPath() + suffix);
            if (f.open(QIODevice::ReadOnly))
                QVERIFY2(!f.readAll().contains(secretToken), "the token reached the database");
        }
        m_store = open(m_dir);
    }

    void idempotentSubmit()
    {
        LaunchRequest r = request({u"acme-web/cart"_s, u"acme-web/checkout"_s});
        r.idempotencyKey = u"release-77"_s;
        const LaunchSubmission first = planner().submit(r);
        QVERIFY(first.error.isEmpty());
        const LaunchSubmission again = planner().submit(r);
        QVERIFY(again.error.isEmpty());
        QVERIFY(again.existing);
        QCOMPARE(again.campaignId, first.campaignId);
        QVERIFY(again.taskIds.isEmpty());
        QCOMPARE(m_store->queueEntries({}, true).size(), 2);
        QCOMPARE(m_store->campaignIds().size(), 1);

        // The dry run says so, for the key and for the same request under another key.
        const LaunchPlan keyed = planner().plan(r);
        QCOMPARE(keyed.existingCampaign.value_or(QString()), first.campaignId);
        QCOMPARE(keyed.repos.first().decision.rule, u"duplicate"_s);
        r.idempotencyKey = u"release-78"_s;
        const LaunchPlan same = planner().plan(r);
        QVERIFY(!same.existingCampaign);
        QCOMPARE(find(same, u"acme-web/cart"_s)->decision.rule, u"duplicate"_s);
        QVERIFY(find(same, u"acme-web/cart"_s)->decision.reason.contains(u"already queued"_s));
    }

    void concurrentSubmitsStartOnce()
    {
        m_store.reset(); // each thread has its own connection
        const QString path = dbPath();
        std::atomic_int fresh{0}, existing{0}, failed{0};
        QStringList campaigns[2];
        const auto submit = [&](int i) {
            QString error;
            auto store = openStore(path, &error);
            if (!store) {
                ++failed;
                return;
            }
            LaunchPlanner p(*store);
            p.setClock([] { return noon(); });
            LaunchRequest r = request({u"acme-web/cart"_s, u"acme-web/checkout"_s});
            r.idempotencyKey = u"same-key"_s;
            const LaunchSubmission s = p.submit(r);
            if (!s.error.isEmpty())
                ++failed;
            else if (s.existing)
                ++existing;
            else
                ++fresh;
            campaigns[i] << s.campaignId;
        };
        std::thread a(submit, 0), b(submit, 1);
        a.join();
        b.join();
        QCOMPARE(failed.load(), 0);
        QCOMPARE(fresh.load(), 1);
        QCOMPARE(existing.load(), 1);
        QCOMPARE(campaigns[0], campaigns[1]);
        QCOMPARE(scalar(path, "SELECT count(*) FROM campaign"), 1);
        QCOMPARE(scalar(path, "SELECT count(*) FROM launch_queue"), 2);
        QCOMPARE(scalar(path, "SELECT count(*) FROM launch_submission"), 1);
        m_store = open(m_dir);
    }
};

QTEST_GUILESS_MAIN(TestLaunchPlanner)
#include "tst_launchplanner.moc"
