// The read side of SqliteStore: the chain of one task, campaigns, search and the runs table.
#include "sqliteevidence.h"
#include "sqliterecordfields.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include <QJsonDocument>
#include <QRegularExpression>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {

std::optional<RequestRecord> SqliteStore::request(const QString &id)
{
    if (id.isEmpty())
        return std::nullopt;
    auto &q = statement("SELECT text, requester, trigger_system, correlation_id, created_at "
                        "FROM request WHERE id = ?");
    q.bind(1, id);
    std::optional<RequestRecord> found;
    if (q.next())
        found = RequestRecord{id, q.text(0), q.text(1), q.text(2), q.text(3), q.dateTime(4)};
    q.reset();
    return found;
}

std::optional<TaskChain> SqliteStore::taskChain(const QString &taskId)
{
    static const QByteArray sql = SqliteFields::select(taskFields(), "FROM task WHERE id = ?1");
    auto &stmt = statement(sql.constData());
    stmt.bind(1, taskId);
    if (!stmt.next()) {
        stmt.reset();
        return std::nullopt;
    }
    TaskChain chain;
    TaskRecord &t = chain.task;
    SqliteFields::read(stmt, t, taskFields());
    stmt.reset();

    chain.request = request(t.requestId);
    if (!t.campaignId.isEmpty()) {
        auto &q = statement("SELECT request_id, title, template_id, template_version, policy_id, "
                            "policy_version, created_at FROM campaign WHERE id = ?");
        q.bind(1, t.campaignId);
        if (q.next())
            chain.campaign =
                CampaignRecord{t.campaignId, q.text(0), q.text(1),     q.text(2), q.text(3),
                               q.text(4),    q.text(5), q.dateTime(6), {}};
        q.reset();
        auto &d = statement("SELECT verdict, rule, reason, evidence, task_id, decided_at "
                            "FROM repo_decision WHERE campaign_id = ? AND repo = ?");
        d.bind(1, t.campaignId);
        d.bind(2, t.repo);
        if (d.next())
            chain.decision =
                RepoDecision{t.campaignId, t.repo,       repoVerdictFromString(d.text(0)),
                             d.text(1),    d.text(2),    d.text(3),
                             d.text(4),    d.dateTime(5)};
        d.reset();
        // A task that did not name its request inherits its campaign's.
        if (!chain.request && chain.campaign && !chain.campaign->requestId.isEmpty()) {
            t.requestId = chain.campaign->requestId;
            chain.request = request(t.requestId);
        }
    }
    if (!t.identityId.isEmpty()) {
        auto &q = statement("SELECT kind, principal, on_behalf_of, scopes, hashed_token, "
                            "token_id FROM identity WHERE id = ?");
        q.bind(1, t.identityId);
        if (q.next())
            chain.identity = IdentityRecord{t.identityId, identityKindFromString(q.text(0)),
                                            q.text(1),    q.text(2),
                                            q.list(3),    q.text(4),
                                            q.text(5)};
        q.reset();
    }
    if (!t.policyId.isEmpty()) {
        auto &q = statement("SELECT name, verdict, digest FROM policy WHERE id = ? AND version = "
                            "coalesce(?, '')");
        q.bind(1, t.policyId);
        q.bind(2, t.policyVersion);
        if (q.next())
            chain.policy =
                PolicyRecord{t.policyId, t.policyVersion, q.text(0), q.text(1), q.text(2)};
        else
            chain.policy = PolicyRecord{t.policyId, t.policyVersion, {}, {}, {}};
        q.reset();
    }
    if (!t.templateId.isEmpty()) {
        auto &q = statement("SELECT name, digest FROM task_template WHERE id = ? AND version = "
                            "coalesce(?, '')");
        q.bind(1, t.templateId);
        q.bind(2, t.templateVersion);
        chain.taskTemplate = TemplateRecord{t.templateId, t.templateVersion, {}, {}};
        if (q.next()) {
            chain.taskTemplate->name = q.text(0);
            chain.taskTemplate->digest = q.text(1);
        }
        q.reset();
    }
    loadTaskDetails(chain);
    loadPullRequest(chain);
    FindingFilter mine;
    mine.taskId = taskId;
    chain.findings = findings(mine);
    chain.checkedAt = checkedAt(taskId);
    chain.auditEvents = auditEvents(taskId);
    return chain;
}

void SqliteStore::loadTaskDetails(TaskChain &chain)
{
    TaskRecord &t = chain.task;
    auto &sessions = statement("SELECT id, attempt, state, model, error, started_at, "
                               "completed_at FROM task_session WHERE task_id = ? "
                               "ORDER BY attempt, started_at");
    sessions.bind(1, t.id);
    while (sessions.next())
        t.sessions << SessionRecord{sessions.text(0),       t.id,
                                    int(sessions.int64(1)), taskStateFromString(sessions.text(2)),
                                    sessions.text(3),       sessions.text(4),
                                    sessions.dateTime(5),   sessions.dateTime(6)};
    sessions.reset();

    auto &commands = statement("SELECT key, seq, argv, cwd, exit_code, started_at, ended_at "
                               "FROM command WHERE task_id = ? ORDER BY seq");
    auto &lines = statement("SELECT count(*) FROM log_line WHERE id >= ? AND id < ?");
    commands.bind(1, t.id);
    while (commands.next()) {
        TaskChain::Command c;
        c.key = commands.int64(0);
        c.record = CommandRecord{t.id,
                                 int(commands.int64(1)),
                                 commands.list(2),
                                 commands.text(3),
                                 commands.optionalInt(4),
                                 commands.dateTime(5),
                                 commands.dateTime(6)};
        lines.bind(1, c.key << lineBits);
        lines.bind(2, (c.key + 1) << lineBits);
        if (lines.next())
            c.logLines = lines.int64(0);
        lines.reset();
        t.commands << c.record;
        chain.commands << c;
    }
    commands.reset();

    auto &tests = statement("SELECT name, outcome, command_seq, duration_ms FROM test_result "
                            "WHERE task_id = ? ORDER BY name");
    tests.bind(1, t.id);
    while (tests.next()) {
        TestResult r{t.id, tests.text(0), tests.text(1), int(tests.int64(2)), std::nullopt};
        if (!tests.isNull(3))
            r.durationMs = tests.int64(3);
        t.tests << r;
    }
    tests.reset();

    auto &files = statement("SELECT path, change, additions, deletions FROM file_change "
                            "WHERE task_id = ? ORDER BY path");
    files.bind(1, t.id);
    while (files.next())
        t.filesChanged << FileChange{t.id, files.text(0), files.text(1), int(files.int64(2)),
                                     int(files.int64(3))};
    files.reset();

    auto &contacts = statement("SELECT host, tool, purpose, at FROM contact WHERE task_id = ? "
                               "ORDER BY at, host");
    contacts.bind(1, t.id);
    while (contacts.next())
        t.contacts << ExternalContact{t.id, contacts.text(0), contacts.text(1), contacts.text(2),
                                      contacts.dateTime(3)};
    contacts.reset();

    auto &failures = statement("SELECT seq, kind, message, retried, at FROM failure "
                               "WHERE task_id = ? ORDER BY seq");
    failures.bind(1, t.id);
    while (failures.next())
        t.failures << FailureRecord{t.id,
                                    int(failures.int64(0)),
                                    failures.text(1),
                                    failures.text(2),
                                    failures.int64(3) != 0,
                                    failures.dateTime(4)};
    failures.reset();

    auto &transcripts = statement("SELECT session_id, text FROM session_transcript "
                                  "WHERE task_id = ? ORDER BY session_id");
    transcripts.bind(1, t.id);
    while (transcripts.next())
        chain.transcripts << TranscriptRecord{transcripts.text(0), t.id, transcripts.text(1)};
    transcripts.reset();
    loadTranscript(chain);
}

void SqliteStore::loadPullRequest(TaskChain &chain)
{
    const TaskRecord &t = chain.task;
    if (t.repo.isEmpty())
        return;
    // Order of preference: the number the task recorded, then its head ref, then its sha.
    auto &pr = statement(
        "SELECT repo, number, github_id, title, state, draft, author, head_ref, head_sha, "
        "base_ref, url, merge_commit_sha, merged_by, mergeable_state, labels, "
        "requested_reviewers, requested_teams, created_at, updated_at, closed_at, merged_at "
        "FROM pull_request WHERE repo = ?1 AND (number = ?2 OR (?2 IS NULL AND "
        "(head_ref = ?3 OR head_sha = ?4))) ORDER BY number DESC LIMIT 1");
    pr.bind(1, t.repo);
    pr.bind(2, t.prNumber);
    pr.bind(3, t.headRef);
    pr.bind(4, t.headSha);
    if (pr.next()) {
        PullRequestRecord p;
        p.repo = pr.text(0);
        p.number = int(pr.int64(1));
        p.githubId = pr.int64(2);
        p.title = pr.text(3);
        p.state = pr.text(4);
        p.draft = pr.int64(5) != 0;
        p.author = pr.text(6);
        p.headRef = pr.text(7);
        p.headSha = pr.text(8);
        p.baseRef = pr.text(9);
        p.url = pr.text(10);
        p.mergeCommitSha = pr.text(11);
        p.mergedBy = pr.text(12);
        p.mergeableState = pr.text(13);
        p.labels = pr.list(14);
        p.requestedReviewers = pr.list(15);
        p.requestedTeams = pr.list(16);
        p.createdAt = pr.dateTime(17);
        p.updatedAt = pr.dateTime(18);
        p.closedAt = pr.dateTime(19);
        p.mergedAt = pr.dateTime(20);
        chain.pullRequest = p;
    }
    pr.reset();
    if (!chain.pullRequest)
        return;
    const PullRequestRecord &p = *chain.pullRequest;
    auto &reviews = statement("SELECT id, reviewer, state, commit_id, submitted_at FROM review "
                              "WHERE repo = ? AND pr_number = ? ORDER BY submitted_at, id");
    reviews.bind(1, p.repo);
    reviews.bind(2, p.number);
    while (reviews.next())
        chain.reviews << ReviewRecord{reviews.int64(0),   p.repo,          p.number,
                                      reviews.text(1),    reviews.text(2), reviews.text(3),
                                      reviews.dateTime(4)};
    reviews.reset();
    auto &checks = statement(
        "SELECT id, head_sha, name, status, conclusion, app, pr_number, started_at, "
        "completed_at FROM check_run WHERE repo = ?1 AND (pr_number = ?2 OR head_sha = ?3) "
        "ORDER BY name, id");
    checks.bind(1, p.repo);
    checks.bind(2, p.number);
    checks.bind(3, p.headSha);
    while (checks.next())
        chain.checkRuns << CheckRunRecord{checks.int64(0),    p.repo,
                                          checks.text(1),     checks.text(2),
                                          checks.text(3),     checks.text(4),
                                          checks.text(5),     checks.optionalInt(6),
                                          checks.dateTime(7), checks.dateTime(8)};
    checks.reset();
    auto &suites = statement(
        "SELECT id, head_sha, head_branch, status, conclusion, app, pr_number, created_at, "
        "updated_at FROM check_suite WHERE repo = ?1 AND (pr_number = ?2 OR head_sha = ?3) "
        "ORDER BY app, id");
    suites.bind(1, p.repo);
    suites.bind(2, p.number);
    suites.bind(3, p.headSha);
    while (suites.next())
        chain.checkSuites << CheckSuiteRecord{suites.int64(0),    p.repo,
                                              suites.text(1),     suites.text(2),
                                              suites.text(3),     suites.text(4),
                                              suites.text(5),     suites.optionalInt(6),
                                              suites.dateTime(7), suites.dateTime(8)};
    suites.reset();
}

QList<LogLine> SqliteStore::logLines(qint64 commandKey, qint64 fromLine, int count)
{
    QList<LogLine> out;
    const std::optional<qint64> first = logLineId(commandKey, std::max<qint64>(fromLine, 1));
    if (!first)
        return out;
    auto &stmt = statement("SELECT id, ts, text, ansi FROM log_line WHERE id >= ? AND id < ? "
                           "ORDER BY id LIMIT ?");
    stmt.bind(1, *first);
    stmt.bind(2, (commandKey + 1) << lineBits);
    stmt.bind(3, count);
    while (stmt.next()) {
        LogLine line;
        line.lineNo = stmt.int64(0) & ((qint64(1) << lineBits) - 1);
        line.timestampMs = stmt.isNull(1) ? 0 : stmt.int64(1);
        line.text = stmt.bytes(2);
        line.ansi = stmt.bytes(3);
        out << line;
    }
    stmt.reset();
    return out;
}

QString SqliteStore::ftsQuery(const QString &userText)
{
    // Each word becomes a quoted FTS5 string, so nothing a person types is read as syntax.
    static const QRegularExpression words(u"[\\p{L}\\p{N}_]+"_s);
    QStringList terms;
    auto it = words.globalMatch(userText);
    while (it.hasNext())
        terms << u'"' % it.next().captured(0) % u'"';
    return terms.join(u' ');
}

QList<SearchHit> SqliteStore::search(const QString &query, int limit)
{
    const QString match = ftsQuery(query);
    if (match.isEmpty() || limit <= 0)
        return {};
    QList<SearchHit> hits = searchRecords(match, limit);
    hits += searchLogs(match, limit - int(hits.size()));
    return hits;
}

QList<SearchHit> SqliteStore::searchRecords(const QString &match, int limit)
{
    QList<SearchHit> hits;
    auto &stmt = statement("SELECT r.kind, r.ref, r.task_id, r.text FROM record_fts f "
                           "JOIN record_text r ON r.id = f.rowid WHERE record_fts MATCH ? "
                           "ORDER BY f.rowid DESC LIMIT ?");
    stmt.bind(1, match);
    stmt.bind(2, limit);
    while (stmt.next()) {
        SearchHit hit;
        hit.kind = SearchHit::Kind::Record;
        hit.recordKind = stmt.text(0);
        hit.taskId = stmt.text(2);
        if (hit.taskId.isEmpty() && hit.recordKind == u"task")
            hit.taskId = stmt.text(1);
        hit.text = hit.recordKind % u' ' % stmt.text(1) % u": "_s % stmt.text(3);
        hits << hit;
    }
    stmt.reset();
    return hits;
}

QList<SearchHit> SqliteStore::searchLogs(const QString &match, int limit)
{
    QList<SearchHit> hits;
    if (limit <= 0)
        return hits;
    // Newest first by rowid: FTS5 walks its doclist backwards and stops after `limit` rows,
    // so the first page costs the same for ten hits or ten million.
    auto &stmt = statement("SELECT rowid FROM log_fts WHERE log_fts MATCH ? "
                           "ORDER BY rowid DESC LIMIT ?");
    stmt.bind(1, match);
    stmt.bind(2, limit);
    QList<qint64> ids;
    while (stmt.next())
        ids << stmt.int64(0);
    stmt.reset();
    auto &line = statement("SELECT l.text, c.task_id, c.seq FROM log_line l JOIN command c "
                           "ON c.key = ?2 WHERE l.id = ?1");
    for (const qint64 id : ids) {
        line.bind(1, id);
        line.bind(2, id >> lineBits);
        if (line.next()) {
            SearchHit hit;
            hit.kind = SearchHit::Kind::LogLine;
            hit.text = line.text(0);
            hit.taskId = line.text(1);
            hit.commandSeq = int(line.int64(2));
            hit.lineNo = id & ((qint64(1) << lineBits) - 1);
            hits << hit;
        }
        line.reset();
    }
    return hits;
}

std::optional<CampaignSummary> SqliteStore::campaign(const QString &campaignId)
{
    auto &c = statement("SELECT request_id, title, template_id, template_version, policy_id, "
                        "policy_version, created_at FROM campaign WHERE id = ?");
    c.bind(1, campaignId);
    if (!c.next()) {
        c.reset();
        return std::nullopt;
    }
    CampaignSummary s;
    s.campaign = CampaignRecord{campaignId, c.text(0), c.text(1),     c.text(2), c.text(3),
                                c.text(4),  c.text(5), c.dateTime(6), {}};
    c.reset();
    s.request = request(s.campaign.requestId);
    // Each decision with the task the campaign started for that repository, if any.
    auto &d = statement(
        "SELECT d.repo, d.verdict, d.rule, d.reason, d.evidence, d.decided_at, t.id, t.state, "
        "t.pr_number, p.merged_at IS NOT NULL, coalesce(t.retries, 0) FROM repo_decision d "
        "LEFT JOIN task t ON t.id = coalesce(d.task_id, (SELECT t2.id FROM task t2 WHERE "
        "t2.campaign_id = d.campaign_id AND t2.repo = d.repo LIMIT 1)) "
        "LEFT JOIN pull_request p ON p.repo = t.repo AND p.number = t.pr_number "
        "WHERE d.campaign_id = ? ORDER BY d.verdict DESC, d.rule, d.repo");
    d.bind(1, campaignId);
    while (d.next()) {
        CampaignSummary::RepoOutcome o;
        o.decision = RepoDecision{campaignId, d.text(0),    repoVerdictFromString(d.text(1)),
                                  d.text(2),  d.text(3),    d.text(4),
                                  d.text(6),  d.dateTime(5)};
        o.taskId = d.text(6);
        o.state = o.decision.verdict == RepoVerdict::Skipped ? TaskState::Skipped
                                                             : taskStateFromString(d.text(7));
        o.prNumber = d.optionalInt(8);
        o.prMerged = d.int64(9) != 0;
        o.retries = int(d.int64(10));
        s.campaign.decisions << o.decision;
        s.repos << o;
        ++s.targeted;
        if (o.decision.verdict == RepoVerdict::Skipped)
            ++s.skipped;
        if (o.prNumber)
            ++s.prsOpened;
        if (o.prMerged)
            ++s.prsMerged;
        if (o.state == TaskState::Failed || o.state == TaskState::TimedOut)
            ++s.failed;
        if (o.retries > 0)
            ++s.retried;
    }
    d.reset();
    return s;
}

QStringList SqliteStore::campaignIds()
{
    QStringList ids;
    auto &stmt = statement("SELECT id FROM campaign ORDER BY created_at, id");
    while (stmt.next())
        ids << stmt.text(0);
    stmt.reset();
    return ids;
}

StoreStats SqliteStore::stats()
{
    StoreStats s;
    s.requests = count("SELECT count(*) FROM request");
    s.campaigns = count("SELECT count(*) FROM campaign");
    s.tasks = count("SELECT count(*) FROM task");
    s.identities = count("SELECT count(*) FROM identity");
    s.commands = count("SELECT count(*) FROM command");
    s.logLines = count("SELECT count(*) FROM log_line");
    s.pullRequests = count("SELECT count(*) FROM pull_request");
    s.mergedPullRequests = count("SELECT count(*) FROM pull_request WHERE merged_at IS NOT NULL");
    s.reviews = count("SELECT count(*) FROM review");
    s.checkRuns = count("SELECT count(*) FROM check_run");
    s.skippedRepos = count("SELECT count(*) FROM repo_decision WHERE verdict = 'skipped'");
    s.ingestedFiles = count("SELECT count(*) FROM ingested_file");
    s.redactions = count("SELECT coalesce(sum(redactions), 0) FROM ingested_file");
    auto &states = statement("SELECT coalesce(state, 'unknown'), count(*) FROM task GROUP BY 1");
    while (states.next())
        s.tasksByState.insert(states.text(0), states.int64(1));
    states.reset();
    auto &rules = statement("SELECT coalesce(rule, 'unspecified'), count(*) FROM repo_decision "
                            "WHERE verdict = 'skipped' GROUP BY 1");
    while (rules.next())
        s.skipsByRule.insert(rules.text(0), rules.int64(1));
    rules.reset();
    s.evidenceHead = m_evidence->head(&s.evidenceEntries);
    return s;
}

} // namespace Tasktrail
