// Campaigns and the store's counts on PostgreSQL, as sqlitestorequeries.cpp and
// sqlitecampaignquery.cpp give them on SQLite. ORDER BY names NULLS FIRST where a column may be
// NULL: SQLite sorts NULL before every value, PostgreSQL after.
#include "pgevidence.h"
#include "pgstore.h"
#include "pgtaskfilter.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

std::optional<CampaignSummary> PgStore::campaign(const QString &campaignId)
{
    static const QByteArray campaignSql =
        PgFields::select(campaignFields(), "FROM campaign WHERE id = $1");
    const PgResult c = m_db.query(campaignSql.constData(), PgParams().add(campaignId));
    if (!c.ok() || c.rows() == 0) {
        if (!c.ok())
            fail(u"campaign could not be read"_s);
        return std::nullopt;
    }
    CampaignSummary s;
    PgFields::read(c, 0, s.campaign, campaignFields());
    s.request = requestById(s.campaign.requestId);
    // Each decision with the task the campaign started for that repository, if any; of several,
    // the first stored (SQLite's lowest rowid).
    static const QByteArray decisionSql = PgFields::select(
        decisionFields(),
        ", t.id, t.state, t.pr_number, p.merged_at IS NOT NULL, coalesce(t.retries, 0) "
        "FROM repo_decision d "
        "LEFT JOIN task t ON t.id = coalesce(d.task_id, (SELECT t2.id FROM task t2 WHERE "
        "t2.campaign_id = d.campaign_id AND t2.repo = d.repo ORDER BY t2.key LIMIT 1)) "
        "LEFT JOIN pull_request p ON p.repo = t.repo AND p.number = t.pr_number "
        "WHERE d.campaign_id = $1 ORDER BY d.verdict DESC, d.rule NULLS FIRST, d.repo",
        "d");
    const int task = int(decisionFields().size());
    const PgResult d = m_db.query(decisionSql.constData(), PgParams().add(campaignId));
    if (!d.ok()) {
        fail(u"campaign decisions could not be read"_s);
        return std::nullopt;
    }
    for (int row = 0; row < d.rows(); ++row) {
        CampaignSummary::RepoOutcome o;
        PgFields::read(d, row, o.decision, decisionFields());
        o.decision.taskId = d.text(row, task);
        o.taskId = o.decision.taskId;
        o.state = o.decision.verdict == RepoVerdict::Skipped
                      ? TaskState::Skipped
                      : taskStateFromString(d.text(row, task + 1));
        o.prNumber = pgOptionalInt(d, row, task + 2);
        o.prMerged = pgBool(d, row, task + 3);
        o.retries = int(d.int64(row, task + 4));
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
    return s;
}

QStringList PgStore::campaignIds()
{
    QStringList ids;
    const PgResult r = m_db.query("SELECT id FROM campaign ORDER BY created_at NULLS FIRST, id");
    if (!r.ok())
        fail(u"campaigns could not be read"_s);
    for (int i = 0; r.ok() && i < r.rows(); ++i)
        ids << r.text(i, 0);
    return ids;
}

QList<CampaignRecord> PgStore::campaigns()
{
    QList<CampaignRecord> out;
    static const QByteArray sql =
        PgFields::select(campaignFields(), "FROM campaign ORDER BY created_at NULLS FIRST, id");
    const PgResult r = m_db.query(sql.constData());
    if (!r.ok())
        fail(u"campaigns could not be read"_s);
    for (int i = 0; r.ok() && i < r.rows(); ++i)
        PgFields::read(r, i, out.emplace_back(), campaignFields());
    return out;
}

StoreStats PgStore::stats()
{
    StoreStats s;
    const PgResult counts =
        m_db.query("SELECT (SELECT count(*) FROM request), (SELECT count(*) FROM campaign), "
                   "(SELECT count(*) FROM task), (SELECT count(*) FROM identity), "
                   "(SELECT count(*) FROM command), (SELECT count(*) FROM log_line), "
                   "(SELECT count(*) FROM pull_request), "
                   "(SELECT count(*) FROM pull_request WHERE merged_at IS NOT NULL), "
                   "(SELECT count(*) FROM review), (SELECT count(*) FROM check_run), "
                   "(SELECT count(*) FROM repo_decision WHERE verdict = 'skipped'), "
                   "(SELECT count(*) FROM ingested_file), "
                   "(SELECT coalesce(sum(redactions), 0) FROM ingested_file)");
    const PgResult states =
        m_db.query("SELECT coalesce(state, 'unknown'), count(*) FROM task GROUP BY 1");
    const PgResult rules =
        m_db.query("SELECT coalesce(rule, 'unspecified'), count(*) FROM repo_decision "
                   "WHERE verdict = 'skipped' GROUP BY 1");
    if (!counts.ok() || counts.rows() != 1 || !states.ok() || !rules.ok()) {
        fail(u"counts could not be read"_s);
        return {};
    }
    qint64 *const fields[] = {&s.requests,  &s.campaigns, &s.tasks,        &s.identities,
                              &s.commands,  &s.logLines,  &s.pullRequests, &s.mergedPullRequests,
                              &s.reviews,   &s.checkRuns, &s.skippedRepos, &s.ingestedFiles,
                              &s.redactions};
    for (int i = 0; i < int(std::size(fields)); ++i)
        *fields[i] = counts.int64(0, i);
    for (int i = 0; i < states.rows(); ++i)
        s.tasksByState.insert(states.text(i, 0), states.int64(i, 1));
    for (int i = 0; i < rules.rows(); ++i)
        s.skipsByRule.insert(rules.text(i, 0), rules.int64(i, 1));
    s.evidenceHead = m_evidence->head(&s.evidenceEntries);
    return s;
}

} // namespace Tasktrail
