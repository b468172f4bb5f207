#include "query/runsentence.h"

#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

using Change = std::function<void(TaskChain &)>;

TaskChain::Command command(int seq, std::optional<int> exitCode)
{
    TaskChain::Command c;
    c.record.seq = seq;
    c.record.argv = {u"make"_s};
    c.record.exitCode = exitCode;
    return c;
}

ReviewRecord review(const QString &state)
{
    ReviewRecord r;
    r.state = state;
    return r;
}

// The reviewer's example: every link present, nine commands, three hosts, a merged PR.
TaskChain fullChain()
{
    TaskChain c;
    c.task.id = u"68ac2be2"_s;
    c.task.repo = u"acme-data/audit-cli"_s;
    c.task.requestId = u"req-000001"_s;
    c.request = RequestRecord{u"req-000001"_s,       u"Bump deps"_s, u"mgarcia"_s,
                              u"migration-script"_s, u"MIG-33953"_s, {}};
    IdentityRecord identity;
    identity.id = u"id-1"_s;
    identity.kind = IdentityKind::GitHubAppUserToken;
    identity.principal = u"svc-migrations[bot]"_s;
    identity.onBehalfOf = u"mgarcia"_s;
    c.identity = identity;
    c.policy = PolicyRecord{u"deps-fanout"_s, u"5"_s, {}, u"allowed"_s, {}};
    c.taskTemplate = TemplateRecord{u"deps-bump"_s, u"3"_s, {}, {}};
    for (int i = 1; i <= 9; ++i)
        c.commands << command(i, 0);
    for (const QString &host :
         {u"github.com"_s, u"registry.npmjs.org"_s, u"pypi.org"_s, u"github.com"_s})
        c.task.contacts << ExternalContact{c.task.id, host, {}, {}, {}};
    PullRequestRecord pr;
    pr.repo = c.task.repo;
    pr.number = 257;
    pr.state = u"closed"_s;
    pr.mergedAt = QDateTime(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);
    c.pullRequest = pr;
    c.reviews = {review(u"APPROVED"_s), review(u"COMMENTED"_s)};
    return c;
}

const QString opening = u"The migration-script workflow started task 68ac2be2 for "
                        "acme-data/audit-cli from request req-000001 (MIG-33953, by mgarcia)"_s;
const QString identityText = u", using svc-migrations[bot] (GitHub App user token on behalf "
                             "of mgarcia)"_s;
const QString authorityText = u", under policy deps-fanout@5 and template deps-bump@3"_s;
const QString outcome = u"; it ran 9 commands (0 failed), contacted 3 hosts, and opened PR "
                        "#257, merged after 2 reviews"_s;

} // namespace

class TestRunSentence : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sentence_data()
    {
        QTest::addColumn<Change>("change");
        QTest::addColumn<QString>("expected");

        QTest::newRow("every link") << Change([](TaskChain &) {})
                                    << opening + identityText + authorityText + outcome + u'.';
        QTest::newRow("no request")
            << Change([](TaskChain &c) {
                   c.request.reset();
                   c.task.requestId.clear();
               })
            << u"Task 68ac2be2 for acme-data/audit-cli was started"_s + identityText +
                   authorityText + outcome + u"; no request was recorded."_s;
        QTest::newRow("request named, not ingested")
            << Change([](TaskChain &c) { c.request.reset(); })
            << u"Task 68ac2be2 for acme-data/audit-cli was started from request req-000001 "
               "(nothing else about it was recorded)"_s +
                   identityText + authorityText + outcome + u'.';
        QTest::newRow("request without ticket or requester")
            << Change([](TaskChain &c) {
                   c.request->correlationId.clear();
                   c.request->requester.clear();
               })
            << u"The migration-script workflow started task 68ac2be2 for acme-data/audit-cli "
               "from request req-000001 (no ticket or requester was recorded)"_s +
                   identityText + authorityText + outcome + u'.';
        QTest::newRow("request without ticket")
            << Change([](TaskChain &c) { c.request->correlationId.clear(); })
            << u"The migration-script workflow started task 68ac2be2 for acme-data/audit-cli "
               "from request req-000001 (by mgarcia; no ticket was recorded)"_s +
                   identityText + authorityText + outcome + u'.';
        QTest::newRow("request without requester")
            << Change([](TaskChain &c) { c.request->requester.clear(); })
            << u"The migration-script workflow started task 68ac2be2 for acme-data/audit-cli "
               "from request req-000001 (MIG-33953; no requester was recorded)"_s +
                   identityText + authorityText + outcome + u'.';
        QTest::newRow("request without trigger system")
            << Change([](TaskChain &c) { c.request->triggerSystem.clear(); })
            << u"Task 68ac2be2 for acme-data/audit-cli was started from request req-000001 "
               "(MIG-33953, by mgarcia)"_s +
                   identityText + authorityText + outcome + u'.';
        QTest::newRow("trigger named a workflow")
            << Change([](TaskChain &c) { c.request->triggerSystem = u"release-workflow"_s; })
            << u"The release-workflow started task 68ac2be2 for acme-data/audit-cli from request "
               "req-000001 (MIG-33953, by mgarcia)"_s +
                   identityText + authorityText + outcome + u'.';
        QTest::newRow("no identity")
            << Change([](TaskChain &c) { c.identity.reset(); })
            << opening + authorityText + outcome + u"; no identity was recorded."_s;
        QTest::newRow("identity named, not ingested")
            << Change([](TaskChain &c) {
                   c.identity.reset();
                   c.task.identityId = u"id-1"_s;
               })
            << opening + u", using identity id-1 (nothing else about it was recorded)"_s +
                   authorityText + outcome + u'.';
        QTest::newRow("identity without on-behalf-of")
            << Change([](TaskChain &c) { c.identity->onBehalfOf.clear(); })
            << opening + u", using svc-migrations[bot] (GitHub App user token)"_s + authorityText +
                   outcome + u'.';
        QTest::newRow("identity of unknown kind") << Change([](TaskChain &c) {
            c.identity->kind = IdentityKind::Unknown;
            c.identity->onBehalfOf.clear();
        }) << opening + u", using svc-migrations[bot]"_s + authorityText + outcome + u'.';
        QTest::newRow("no policy") << Change([](TaskChain &c) { c.policy.reset(); })
                                   << opening + identityText + u", under template deps-bump@3"_s +
                                          outcome + u"; no policy was recorded."_s;
        QTest::newRow("policy named by the task only")
            << Change([](TaskChain &c) {
                   c.policy.reset();
                   c.task.policyId = u"deps-fanout"_s;
                   c.task.policyVersion = u"4"_s;
               })
            << opening + identityText + u", under policy deps-fanout@4 and template deps-bump@3"_s +
                   outcome + u'.';
        QTest::newRow("no template") << Change([](TaskChain &c) { c.taskTemplate.reset(); })
                                     << opening + identityText + u", under policy deps-fanout@5"_s +
                                            outcome + u"; no template was recorded."_s;
        QTest::newRow("nothing but the task")
            << Change([](TaskChain &c) {
                   c = TaskChain{};
                   c.task.id = u"T-1"_s;
                   c.task.repo = u"o/r"_s;
               })
            << u"Task T-1 for o/r was started; it ran no recorded commands, contacted no recorded "
               "hosts, and no pull request was opened; no request was recorded; no identity was "
               "recorded; no policy was recorded; no template was recorded."_s;
        QTest::newRow("no commands") << Change([](TaskChain &c) { c.commands.clear(); })
                                     << opening + identityText + authorityText +
                                            u"; it ran no recorded commands, contacted 3 hosts, "
                                            "and opened PR #257, merged after 2 reviews."_s;
        QTest::newRow("one command") << Change([](TaskChain &c) { c.commands.resize(1); })
                                     << opening + identityText + authorityText +
                                            u"; it ran 1 command (0 failed), contacted 3 hosts, "
                                            "and opened PR #257, merged after 2 reviews."_s;
        QTest::newRow("failed commands")
            << Change([](TaskChain &c) {
                   c.commands[2].record.exitCode = 1;
                   c.commands[5].record.exitCode = 127;
               })
            << opening + identityText + authorityText +
                   u"; it ran 9 commands (2 failed), contacted 3 hosts, and opened PR #257, "
                   "merged after 2 reviews."_s;
        QTest::newRow("commands without exit code")
            << Change([](TaskChain &c) {
                   c.commands[0].record.exitCode.reset();
                   c.commands[1].record.exitCode = 2;
               })
            << opening + identityText + authorityText +
                   u"; it ran 9 commands (1 failed, 1 without an exit code), contacted 3 hosts, "
                   "and opened PR #257, merged after 2 reviews."_s;
        QTest::newRow("no hosts") << Change([](TaskChain &c) { c.task.contacts.clear(); })
                                  << opening + identityText + authorityText +
                                         u"; it ran 9 commands (0 failed), contacted no recorded "
                                         "hosts, and opened PR #257, merged after 2 reviews."_s;
        QTest::newRow("one host") << Change([](TaskChain &c) { c.task.contacts.resize(1); })
                                  << opening + identityText + authorityText +
                                         u"; it ran 9 commands (0 failed), contacted 1 host, and "
                                         "opened PR #257, merged after 2 reviews."_s;
        QTest::newRow("no PR")
            << Change([](TaskChain &c) {
                   c.pullRequest.reset();
                   c.reviews.clear();
               })
            << opening + identityText + authorityText +
                   u"; it ran 9 commands (0 failed), contacted 3 hosts, and no pull request was "
                   "opened."_s;
        QTest::newRow("PR named, not ingested")
            << Change([](TaskChain &c) {
                   c.pullRequest.reset();
                   c.reviews.clear();
                   c.task.prNumber = 12;
               })
            << opening + identityText + authorityText +
                   u"; it ran 9 commands (0 failed), contacted 3 hosts, and opened PR #12 (its "
                   "state was not recorded)."_s;
        QTest::newRow("PR open, no reviews")
            << Change([](TaskChain &c) {
                   c.pullRequest->state = u"open"_s;
                   c.pullRequest->mergedAt = {};
                   c.reviews.clear();
               })
            << opening + identityText + authorityText +
                   u"; it ran 9 commands (0 failed), contacted 3 hosts, and opened PR #257, still "
                   "open with 0 reviews."_s;
        QTest::newRow("draft PR, a pending review")
            << Change([](TaskChain &c) {
                   c.pullRequest->state = u"open"_s;
                   c.pullRequest->draft = true;
                   c.pullRequest->mergedAt = {};
                   c.reviews = {review(u"PENDING"_s)};
               })
            << opening + identityText + authorityText +
                   u"; it ran 9 commands (0 failed), contacted 3 hosts, and opened draft PR #257, "
                   "still open with 0 reviews."_s;
        QTest::newRow("PR merged after 1 review")
            << Change([](TaskChain &c) { c.reviews.resize(1); })
            << opening + identityText + authorityText +
                   u"; it ran 9 commands (0 failed), contacted 3 hosts, and opened PR #257, merged "
                   "after 1 review."_s;
        QTest::newRow("PR closed unmerged")
            << Change([](TaskChain &c) {
                   c.pullRequest->mergedAt = {};
                   c.reviews = {review(u"CHANGES_REQUESTED"_s), review(u"CHANGES_REQUESTED"_s),
                                review(u"DISMISSED"_s)};
               })
            << opening + identityText + authorityText +
                   u"; it ran 9 commands (0 failed), contacted 3 hosts, and opened PR #257, closed "
                   "unmerged after 3 reviews."_s;
        QTest::newRow("secret in the request id is redacted")
            << Change([](TaskChain &c) { c.request->id = u"ghp_"_s + QString(36, u'a'); })
            << u"The migration-script workflow started task 68ac2be2 for acme-data/audit-cli "
               "from request [REDACTED:github-token] (MIG-33953, by mgarcia)"_s +
                   identityText + authorityText + outcome + u'.';
    }

    void sentence()
    {
        QFETCH(Change, change);
        QFETCH(QString, expected);
        TaskChain chain = fullChain();
        change(chain);
        QCOMPARE(RunSentence::of(chain), expected);
    }

    // Values are inserted once, so a % in one cannot pull in another.
    void placeholdersInValuesStayText()
    {
        TaskChain chain = fullChain();
        chain.task.repo = u"o/%2"_s;
        chain.request->triggerSystem = u"%1"_s;
        QVERIFY(RunSentence::of(chain).startsWith(
            u"The %1 workflow started task 68ac2be2 for o/%2 from"_s));
    }
};

QTEST_GUILESS_MAIN(TestRunSentence)
#include "tst_runsentence.moc"
