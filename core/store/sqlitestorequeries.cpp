// The read side of SqliteStore: the chain of one task, campaigns, search and the runs table.
#include "searchtokens.h"
#include "sqliteevidence.h"
#include "sqliterecordfields.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include <QJsonDocument>
#include <QSet>

#include <sqlite3.h>

#include <optional>

using namespace Qt::StringLiterals;

namespace Tasktrail {

std::optional<RequestRecord> SqliteStore::request(const QString &id)
{
    if (id.isEmpty())
        return std::nullopt;
    static const QByteArray sql =
        SqliteFields::select(requestFields(), "FROM request WHERE id = ?");
    auto &q = statement(sql.constData());
    q.bind(1, id);
    std::optional<RequestRecord> found;
    if (q.next())
        SqliteFields::read(q, found.emplace(), requestFields());
    q.reset();
    return found;
}

std::optional<TaskChain> SqliteStore::taskChain(const QString &taskId)
{
    return readTaskChain(taskId, true);
}

std::optional<TaskChain> SqliteStore::taskChainOutline(const QString &taskId)
{
    return readTaskChain(taskId, false);
}

std::optional<TaskChain> SqliteStore::readTaskChain(const QString &taskId, bool transcriptEntries)
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
        static const QByteArray campaignSql =
            SqliteFields::select(campaignFields(), "FROM campaign WHERE id = ?");
        auto &q = statement(campaignSql.constData());
        q.bind(1, t.campaignId);
        if (q.next())
            SqliteFields::read(q, chain.campaign.emplace(), campaignFields());
        q.reset();
        static const QByteArray decisionSql = SqliteFields::select(
            decisionFields(), "FROM repo_decision WHERE campaign_id = ? AND repo = ?");
        auto &d = statement(decisionSql.constData());
        d.bind(1, t.campaignId);
        d.bind(2, t.repo);
        if (d.next())
            SqliteFields::read(d, chain.decision.emplace(), decisionFields());
        d.reset();
        // A task that did not name its request inherits its campaign's.
        if (!chain.request && chain.campaign && !chain.campaign->requestId.isEmpty()) {
            t.requestId = chain.campaign->requestId;
            chain.request = request(t.requestId);
        }
    }
    if (!t.identityId.isEmpty()) {
        static const QByteArray identitySql =
            SqliteFields::select(identityFields(), "FROM identity WHERE id = ?");
        auto &q = statement(identitySql.constData());
        q.bind(1, t.identityId);
        if (q.next())
            SqliteFields::read(q, chain.identity.emplace(), identityFields());
        q.reset();
    }
    if (!t.policyId.isEmpty()) {
        static const QByteArray policySql = SqliteFields::select(
            policyFields(), "FROM policy WHERE id = ? AND version = coalesce(?, '')");
        auto &q = statement(policySql.constData());
        q.bind(1, t.policyId);
        q.bind(2, t.policyVersion);
        chain.policy = PolicyRecord{t.policyId, t.policyVersion, {}, {}, {}};
        if (q.next())
            SqliteFields::read(q, *chain.policy, policyFields());
        q.reset();
    }
    if (!t.templateId.isEmpty()) {
        static const QByteArray templateSql = SqliteFields::select(
            templateFields(), "FROM task_template WHERE id = ? AND version = coalesce(?, '')");
        auto &q = statement(templateSql.constData());
        q.bind(1, t.templateId);
        q.bind(2, t.templateVersion);
        chain.taskTemplate = TemplateRecord{t.templateId, t.templateVersion, {}, {}};
        if (q.next())
            SqliteFields::read(q, *chain.taskTemplate, templateFields());
        q.reset();
    }
    loadTaskDetails(chain, transcriptEntries);
    loadTranscript(chain, transcriptEntries);
    loadPullRequest(chain);
    FindingFilter mine;
    mine.taskId = taskId;
    chain.findings = findings(mine);
    chain.checkedAt = checkedAt(taskId);
    chain.auditEvents = auditEvents(taskId);
    return chain;
}

void SqliteStore::loadTaskDetails(TaskChain &chain, bool sessionTexts)
{
    TaskRecord &t = chain.task;
    static const QByteArray sessionSql = SqliteFields::select(
        sessionFields(), "FROM task_session WHERE task_id = ? ORDER BY attempt, started_at");
    auto &sessions = statement(sessionSql.constData());
    sessions.bind(1, t.id);
    while (sessions.next())
        SqliteFields::read(sessions, t.sessions.emplace_back(), sessionFields());
    sessions.reset();

    static const QByteArray commandSql =
        SqliteFields::select(commandFields(), ", key FROM command WHERE task_id = ? ORDER BY seq");
    const int keyColumn = int(commandFields().size());
    auto &commands = statement(commandSql.constData());
    auto &lines = statement("SELECT count(*) FROM log_line WHERE id >= ? AND id < ?");
    commands.bind(1, t.id);
    while (commands.next()) {
        TaskChain::Command c;
        c.key = commands.int64(keyColumn);
        SqliteFields::read(commands, c.record, commandFields());
        lines.bind(1, c.key << lineBits);
        lines.bind(2, (c.key + 1) << lineBits);
        if (lines.next())
            c.logLines = lines.int64(0);
        lines.reset();
        t.commands << c.record;
        chain.commands << c;
    }
    commands.reset();

    static const QByteArray testSql =
        SqliteFields::select(testFields(), "FROM test_result WHERE task_id = ? ORDER BY name");
    auto &tests = statement(testSql.constData());
    tests.bind(1, t.id);
    while (tests.next())
        SqliteFields::read(tests, t.tests.emplace_back(), testFields());
    tests.reset();

    static const QByteArray fileSql = SqliteFields::select(
        fileChangeFields(), "FROM file_change WHERE task_id = ? ORDER BY path");
    auto &files = statement(fileSql.constData());
    files.bind(1, t.id);
    while (files.next())
        SqliteFields::read(files, t.filesChanged.emplace_back(), fileChangeFields());
    files.reset();

    static const QByteArray contactSql =
        SqliteFields::select(contactFields(), "FROM contact WHERE task_id = ? ORDER BY at, host");
    auto &contacts = statement(contactSql.constData());
    contacts.bind(1, t.id);
    while (contacts.next())
        SqliteFields::read(contacts, t.contacts.emplace_back(), contactFields());
    contacts.reset();

    static const QByteArray failureSql =
        SqliteFields::select(failureFields(), "FROM failure WHERE task_id = ? ORDER BY seq");
    auto &failures = statement(failureSql.constData());
    failures.bind(1, t.id);
    while (failures.next())
        SqliteFields::read(failures, t.failures.emplace_back(), failureFields());
    failures.reset();

    if (!sessionTexts)
        return;
    auto &transcripts = statement("SELECT session_id, text FROM session_transcript "
                                  "WHERE task_id = ? ORDER BY session_id");
    transcripts.bind(1, t.id);
    while (transcripts.next())
        chain.transcripts << TranscriptRecord{transcripts.text(0), t.id, transcripts.text(1)};
    transcripts.reset();
}

void SqliteStore::loadPullRequest(TaskChain &chain)
{
    const TaskRecord &t = chain.task;
    if (t.repo.isEmpty())
        return;
    // Order of preference: the number the task recorded, then its head ref, then its sha.
    static const QByteArray prSql = SqliteFields::select(
        pullRequestFields(),
        "FROM pull_request WHERE repo = ?1 AND (number = ?2 OR (?2 IS NULL AND "
        "(head_ref = ?3 OR head_sha = ?4))) ORDER BY number DESC LIMIT 1");
    auto &pr = statement(prSql.constData());
    pr.bind(1, t.repo);
    pr.bind(2, t.prNumber);
    pr.bind(3, t.headRef);
    pr.bind(4, t.headSha);
    if (pr.next())
        SqliteFields::read(pr, chain.pullRequest.emplace(), pullRequestFields());
    pr.reset();
    if (!chain.pullRequest)
        return;
    const PullRequestRecord &p = *chain.pullRequest;
    static const QByteArray reviewSql = SqliteFields::select(
        reviewFields(), "FROM review WHERE repo = ? AND pr_number = ? ORDER BY submitted_at, id");
    auto &reviews = statement(reviewSql.constData());
    reviews.bind(1, p.repo);
    reviews.bind(2, p.number);
    while (reviews.next())
        SqliteFields::read(reviews, chain.reviews.emplace_back(), reviewFields());
    reviews.reset();
    static const QByteArray checkSql = SqliteFields::select(
        checkRunFields(), "FROM check_run WHERE id IN (" +
                              SqliteFields::checksOfPullRequest("check_run", "?1", "?2", "?3") +
                              ") ORDER BY name, id");
    auto &checks = statement(checkSql.constData());
    checks.bind(1, p.repo);
    checks.bind(2, p.number);
    checks.bind(3, p.headSha);
    while (checks.next())
        SqliteFields::read(checks, chain.checkRuns.emplace_back(), checkRunFields());
    checks.reset();
    static const QByteArray suiteSql = SqliteFields::select(
        checkSuiteFields(), "FROM check_suite WHERE id IN (" +
                                SqliteFields::checksOfPullRequest("check_suite", "?1", "?2", "?3") +
                                ") ORDER BY app, id");
    auto &suites = statement(suiteSql.constData());
    suites.bind(1, p.repo);
    suites.bind(2, p.number);
    suites.bind(3, p.headSha);
    while (suites.next())
        SqliteFields::read(suites, chain.checkSuites.emplace_back(), checkSuiteFields());
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
    // Each word becomes a quoted FTS5 string (`*` after it for a prefix), the words of a
    // phrase joined by `+` (FTS5's phrase concatenation: adjacent, in order), the terms by a
    // space (all must occur). A word holds letters, digits and `_` only, so nothing a person
    // types is read as FTS5 syntax.
    QStringList terms;
    for (const SearchTerm &term : searchTerms(userText)) {
        QStringList words;
        for (const SearchWord &word : term.words)
            words << QString(u'"' % word.text % (word.prefix ? u"\" *"_s : u"\""_s));
        terms << words.join(u" + "_s);
    }
    return terms.join(u' ');
}

QList<SearchHit> SqliteStore::search(const QString &query, int limit)
{
    const QString match = ftsQuery(query);
    if (match.isEmpty() || limit <= 0)
        return {};
    QList<SearchHit> hits = searchRecords(match, limit);
    hits += searchLogs(searchTerms(query), match, limit - int(hits.size()));
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
        hit.recordRef = stmt.text(1);
        hit.text = hit.recordKind % u' ' % hit.recordRef % u": "_s % stmt.text(3);
        hits << hit;
    }
    stmt.reset();
    // A session's text is kept whole (kind "transcript") and entry by entry: a sentence found
    // in an entry is shown there, where it opens, and not a second time in the whole.
    QSet<QString> sessionsWithEntryHits;
    for (const SearchHit &hit : std::as_const(hits)) {
        if (hit.recordKind == u"transcript_entry")
            sessionsWithEntryHits.insert(hit.recordRef.left(hit.recordRef.lastIndexOf(u'#')));
    }
    hits.removeIf([&sessionsWithEntryHits](const SearchHit &hit) {
        return hit.recordKind == u"transcript" && sessionsWithEntryHits.contains(hit.recordRef);
    });
    return hits;
}

QByteArray SqliteStore::ftsDetail(const char *table)
{
    return fts5Detail(m_db, table);
}

QList<SearchHit> SqliteStore::searchLogs(const QList<SearchTerm> &terms, const QString &match,
                                         int limit)
{
    QList<SearchHit> hits;
    if (limit <= 0)
        return hits;
    if (m_logFtsDetail.isEmpty())
        m_logFtsDetail = ftsDetail("log_fts");
    // An index without positions (every file made now) finds the rows that hold each token;
    // its phrases are then checked on the text (TokenSearch). One made before finds phrases
    // itself, with `match`.
    std::optional<TokenSearch> tokenSearch;
    if (m_logFtsDetail != "full") {
        if (!m_searchTokens)
            m_searchTokens = std::make_unique<SearchTokens>();
        if (!m_searchTokens->isValid()) {
            m_error = m_searchTokens->errorString();
            return hits;
        }
        tokenSearch.emplace(terms, *m_searchTokens);
    }
    const QString query = tokenSearch ? tokenSearch->ftsQuery(m_db, "log_fts") : match;
    if (query.isEmpty())
        return hits;
    const bool checkText = tokenSearch && tokenSearch->checksText();
    // Newest first by rowid: FTS5 walks its doclist backwards and stops after `limit` rows,
    // so the first page costs the same for ten hits or ten million. Lines whose text is
    // checked are read until `limit` of them hold the phrases (LIMIT -1: no limit); a read
    // on the query thread is cut short by AsyncQuery's interrupt.
    auto &stmt = statement("SELECT f.rowid, l.text, c.task_id, c.seq FROM log_fts f "
                           "JOIN log_line l ON l.id = f.rowid JOIN command c "
                           "ON c.key = f.rowid >> ?3 WHERE log_fts MATCH ?1 "
                           "ORDER BY f.rowid DESC LIMIT ?2");
    stmt.bind(1, query);
    stmt.bind(2, checkText ? -1 : limit);
    stmt.bind(3, lineBits);
    while (hits.size() < limit && stmt.next()) {
        if (checkText && !tokenSearch->matches(stmt.view(1)))
            continue;
        const qint64 id = stmt.int64(0);
        SearchHit hit;
        hit.kind = SearchHit::Kind::LogLine;
        hit.text = stmt.text(1);
        hit.taskId = stmt.text(2);
        hit.commandSeq = int(stmt.int64(3));
        hit.lineNo = id & ((qint64(1) << lineBits) - 1);
        hits << hit;
    }
    stmt.reset();
    return hits;
}

std::optional<CampaignSummary> SqliteStore::campaign(const QString &campaignId)
{
    static const QByteArray campaignSql =
        SqliteFields::select(campaignFields(), "FROM campaign WHERE id = ?");
    auto &c = statement(campaignSql.constData());
    c.bind(1, campaignId);
    if (!c.next()) {
        c.reset();
        return std::nullopt;
    }
    CampaignSummary s;
    SqliteFields::read(c, s.campaign, campaignFields());
    c.reset();
    s.request = request(s.campaign.requestId);
    // Each decision with the task the campaign started for that repository, if any.
    static const QByteArray decisionSql = SqliteFields::select(
        decisionFields(),
        ", t.id, t.state, t.pr_number, p.merged_at IS NOT NULL, coalesce(t.retries, 0) "
        "FROM repo_decision d "
        "LEFT JOIN task t ON t.id = coalesce(d.task_id, (SELECT t2.id FROM task t2 WHERE "
        "t2.campaign_id = d.campaign_id AND t2.repo = d.repo LIMIT 1)) "
        "LEFT JOIN pull_request p ON p.repo = t.repo AND p.number = t.pr_number "
        "WHERE d.campaign_id = ? ORDER BY d.verdict DESC, d.rule, d.repo",
        "d");
    const int task = int(decisionFields().size());
    auto &d = statement(decisionSql.constData());
    d.bind(1, campaignId);
    while (d.next()) {
        CampaignSummary::RepoOutcome o;
        SqliteFields::read(d, o.decision, decisionFields());
        // The task the campaign started here, also where the decision did not name it.
        o.decision.taskId = d.text(task);
        o.taskId = o.decision.taskId;
        o.state = o.decision.verdict == RepoVerdict::Skipped
                      ? TaskState::Skipped
                      : taskStateFromString(d.text(task + 1));
        o.prNumber = d.optionalInt(task + 2);
        o.prMerged = d.int64(task + 3) != 0;
        o.retries = int(d.int64(task + 4));
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
