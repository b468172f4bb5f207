// PgStore's IngestWriter: the same merge-writes as SqliteStore's (sqlitestore.cpp), every text
// through the same redaction step, upserts with ON CONFLICT, log lines with COPY.
#include "pgevidence.h"
#include "pgrecordfields.h"
#include "pgstore.h"
#include "recordredaction.h"
#include "searchtokens.h"

#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// More log lines than this in one batch are sent before the commit, to bound memory.
constexpr qint64 copyBatchLines = 20000;

} // namespace

bool PgStore::writeRequest(const RequestRecord &given)
{
    RequestRecord r = given;
    m_redactions += RecordRedaction::redact(r);
    static const QByteArray sql = PgFields::upsert("request", requestFields());
    const PgParams params = PgFields::params(r, requestFields());
    m_evidence->touch("request", r.id, sql, params);
    return write(sql.constData(), params) && indexRecordText(u"request"_s, r.id, {}, r.text);
}

bool PgStore::writeCampaign(const CampaignRecord &given)
{
    CampaignRecord c = given;
    m_redactions += RecordRedaction::redact(c);
    static const QByteArray sql = PgFields::upsert("campaign", campaignFields());
    const PgParams params = PgFields::params(c, campaignFields());
    m_evidence->touch("campaign", c.id, sql, params);
    if (!write(sql.constData(), params) || !indexRecordText(u"campaign"_s, c.id, {}, c.title))
        return false;
    for (RepoDecision d : c.decisions) {
        if (d.campaignId.isEmpty())
            d.campaignId = c.id;
        if (!writeDecision(d))
            return false;
    }
    return true;
}

bool PgStore::writeDecision(const RepoDecision &given)
{
    RepoDecision d = given;
    m_redactions += RecordRedaction::redact(d);
    static const QByteArray sql = PgFields::upsert("repo_decision", decisionFields());
    const PgParams params = PgFields::params(d, decisionFields());
    m_evidence->touch("decision", Evidence::joinRef(d.campaignId, u'/', d.repo), sql, params);
    return write(sql.constData(), params) &&
           indexRecordText(u"decision"_s, d.campaignId % u' ' % d.repo, d.taskId, d.reason);
}

bool PgStore::writeIdentity(const IdentityRecord &given)
{
    IdentityRecord i = given;
    m_redactions += RecordRedaction::redact(i);
    static const QByteArray sql = PgFields::upsert("identity", identityFields());
    const PgParams params = PgFields::params(i, identityFields());
    m_evidence->touch("identity", i.id, sql, params);
    return write(sql.constData(), params);
}

bool PgStore::writePolicy(const PolicyRecord &given)
{
    PolicyRecord p = given;
    m_redactions += RecordRedaction::redact(p);
    const QString ref = Evidence::joinRef(p.id, u'@', p.version);
    if (p.version.isNull())
        p.version = u""_s; // a key column: no version is the empty one
    static const QByteArray sql = PgFields::upsert("policy", policyFields());
    const PgParams params = PgFields::params(p, policyFields());
    m_evidence->touch("policy", ref, sql, params);
    return write(sql.constData(), params);
}

bool PgStore::writeTemplate(const TemplateRecord &given)
{
    TemplateRecord t = given;
    m_redactions += RecordRedaction::redact(t);
    const QString ref = Evidence::joinRef(t.id, u'@', t.version);
    if (t.version.isNull())
        t.version = u""_s; // a key column: no version is the empty one
    static const QByteArray sql = PgFields::upsert("task_template", templateFields());
    const PgParams params = PgFields::params(t, templateFields());
    m_evidence->touch("template", ref, sql, params);
    return write(sql.constData(), params);
}

bool PgStore::writeTask(const TaskRecord &given)
{
    TaskRecord t = given;
    m_redactions += RecordRedaction::redact(t);
    static const QByteArray sql = PgFields::upsert("task", taskFields());
    const PgParams params = PgFields::params(t, taskFields());
    m_evidence->touch("task", t.id, sql, params);
    if (!write(sql.constData(), params) || !indexRecordText(u"task"_s, t.id, t.id, t.prompt))
        return false;
    const auto withTask = [&t](auto item) {
        if (item.taskId.isEmpty())
            item.taskId = t.id;
        return item;
    };
    bool ok = true;
    for (const auto &s : t.sessions)
        ok = ok && writeSession(withTask(s));
    for (const auto &c : t.commands)
        ok = ok && writeCommand(withTask(c));
    for (const auto &r : t.tests)
        ok = ok && writeTest(withTask(r));
    for (const auto &f : t.filesChanged)
        ok = ok && writeFileChange(withTask(f));
    for (const auto &c : t.contacts)
        ok = ok && writeContact(withTask(c));
    for (const auto &f : t.failures)
        ok = ok && writeFailure(withTask(f));
    return ok;
}

bool PgStore::writeSession(const SessionRecord &given)
{
    SessionRecord s = given;
    m_redactions += RecordRedaction::redact(s);
    static const QByteArray sql = PgFields::upsert("task_session", sessionFields());
    const PgParams params = PgFields::params(s, sessionFields());
    m_evidence->touch("task", s.taskId, sql, params);
    return write(sql.constData(), params);
}

bool PgStore::writeCommand(const CommandRecord &given)
{
    CommandRecord c = given;
    m_redactions += RecordRedaction::redact(c);
    static const QByteArray sql = PgFields::upsert("command", commandFields());
    const PgParams params = PgFields::params(c, commandFields());
    m_evidence->touch("task", c.taskId, sql, params);
    return write(sql.constData(), params);
}

bool PgStore::writeTest(const TestResult &given)
{
    TestResult r = given;
    m_redactions += RecordRedaction::redact(r);
    static const QByteArray sql = PgFields::upsert("test_result", testFields());
    const PgParams params = PgFields::params(r, testFields());
    m_evidence->touch("task", r.taskId, sql, params);
    return write(sql.constData(), params);
}

bool PgStore::writeFileChange(const FileChange &given)
{
    FileChange f = given;
    m_redactions += RecordRedaction::redact(f);
    static const char *const sql =
        "INSERT INTO file_change (task_id, path, change, additions, deletions) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (task_id, path) DO UPDATE SET "
        "change = coalesce($3, file_change.change), additions = $4, deletions = $5";
    PgParams params;
    params.add(f.taskId).add(f.path).add(f.change).add(f.additions).add(f.deletions);
    m_evidence->touch("task", f.taskId, sql, params);
    return write(sql, params);
}

bool PgStore::writeContact(const ExternalContact &given)
{
    ExternalContact c = given;
    m_redactions += RecordRedaction::redact(c);
    static const char *const sql =
        "INSERT INTO contact (task_id, host, tool, purpose, at) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (task_id, host, tool) DO UPDATE SET purpose = coalesce($4, "
        "contact.purpose), at = coalesce($5, contact.at)";
    PgParams params;
    params.add(c.taskId).add(c.host).add(c.tool.isNull() ? QString(u""_s) : c.tool);
    params.add(c.purpose).add(c.at);
    m_evidence->touch("task", c.taskId, sql, params);
    return write(sql, params);
}

bool PgStore::writeFailure(const FailureRecord &given)
{
    FailureRecord f = given;
    m_redactions += RecordRedaction::redact(f);
    static const char *const sql =
        "INSERT INTO failure (task_id, seq, kind, message, retried, at) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (task_id, seq) DO UPDATE SET "
        "kind = coalesce($3, failure.kind), message = coalesce($4, failure.message), "
        "retried = $5, at = coalesce($6, failure.at)";
    PgParams params;
    params.add(f.taskId).add(qint64(f.seq)).add(f.kind).add(f.message);
    params.add(qint64(f.retried ? 1 : 0)).add(f.at);
    m_evidence->touch("task", f.taskId, sql, params);
    return write(sql, params);
}

bool PgStore::writePullRequest(const PullRequestRecord &given)
{
    PullRequestRecord p = given;
    m_redactions += RecordRedaction::redact(p);
    static const QByteArray sql = PgFields::upsert("pull_request", pullRequestFields());
    const PgParams params = PgFields::params(p, pullRequestFields());
    m_evidence->touch("pull_request", Evidence::joinRef(p.repo, u'#', QString::number(p.number)),
                      sql, params);
    return write(sql.constData(), params) &&
           indexRecordText(u"pull_request"_s, p.repo % u'#' % QString::number(p.number), {},
                           p.title);
}

bool PgStore::writeReview(const ReviewRecord &given)
{
    ReviewRecord r = given;
    m_redactions += RecordRedaction::redact(r);
    static const QByteArray sql = PgFields::upsert("review", reviewFields());
    const PgParams params = PgFields::params(r, reviewFields());
    m_evidence->touch("review", QString::number(r.id), sql, params);
    return write(sql.constData(), params);
}

bool PgStore::writeCheckRun(const CheckRunRecord &given)
{
    CheckRunRecord c = given;
    m_redactions += RecordRedaction::redact(c);
    static const QByteArray sql = PgFields::upsert("check_run", checkRunFields());
    const PgParams params = PgFields::params(c, checkRunFields());
    m_evidence->touch("check_run", QString::number(c.id), sql, params);
    return write(sql.constData(), params);
}

bool PgStore::writeCheckSuite(const CheckSuiteRecord &given)
{
    CheckSuiteRecord c = given;
    m_redactions += RecordRedaction::redact(c);
    static const QByteArray sql = PgFields::upsert("check_suite", checkSuiteFields());
    const PgParams params = PgFields::params(c, checkSuiteFields());
    m_evidence->touch("check_suite", QString::number(c.id), sql, params);
    return write(sql.constData(), params);
}

bool PgStore::writeTranscript(const TranscriptRecord &given)
{
    TranscriptRecord t = given;
    m_redactions += RecordRedaction::redact(t);
    if (t.sessionId.isEmpty() || t.taskId.isEmpty()) {
        m_error = u"a transcript needs a session and a task"_s;
        return false;
    }
    static const char *const sql =
        "INSERT INTO session_transcript (session_id, task_id, text) VALUES ($1, $2, $3) "
        "ON CONFLICT (session_id) DO UPDATE SET task_id = $2, text = $3";
    PgParams params;
    params.add(t.sessionId).add(t.taskId).add(t.text);
    m_evidence->touch("transcript", t.sessionId, sql, params);
    return write(sql, params) && indexRecordText(u"transcript"_s, t.sessionId, t.taskId, t.text);
}

std::optional<IngestedFile> PgStore::findIngestedFile(qint64 size, const QByteArray &headHash,
                                                      const QByteArray &sha256)
{
    const PgResult r = run("SELECT sha256, path, format, records, rejected, redactions, "
                           "ingested_at FROM ingested_file WHERE size = $1 AND head_hash = $2 "
                           "AND ($3::text IS NULL OR sha256 = $3)",
                           PgParams().add(size).addUtf8(headHash).addUtf8(sha256));
    if (!r.ok() || r.rows() == 0)
        return std::nullopt;
    IngestedFile f;
    f.sha256 = r.utf8(0, 0);
    f.headHash = headHash;
    f.size = size;
    f.path = r.text(0, 1);
    f.format = r.text(0, 2);
    f.records = r.int64(0, 3);
    f.rejected = r.int64(0, 4);
    f.redactions = r.int64(0, 5);
    if (!r.isNull(0, 6))
        f.ingestedAt = QDateTime::fromMSecsSinceEpoch(r.int64(0, 6), QTimeZone::utc());
    return f;
}

bool PgStore::recordIngestedFile(const IngestedFile &given)
{
    IngestedFile f = given;
    m_redactions += RecordRedaction::redact(f);
    PgParams params;
    params.addUtf8(f.sha256).addUtf8(f.headHash).add(f.size).add(f.path).add(f.format);
    params.add(f.records).add(f.rejected).add(f.redactions).add(f.ingestedAt);
    return exec("INSERT INTO ingested_file (sha256, head_hash, size, path, format, records, "
                "rejected, redactions, ingested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                "ON CONFLICT (sha256) DO NOTHING",
                params);
}

std::optional<qint64> PgStore::commandKey(const QString &task, int seq)
{
    QString taskId = task;
    m_redactions += RecordRedaction::redactKey(taskId);
    if (seq < 1 || taskId.isEmpty()) {
        m_error =
            u"a command needs a task id and a number of 1 or more, not '%1' %2"_s.arg(taskId).arg(
                seq);
        return std::nullopt;
    }
    const PgParams params = PgParams().add(taskId).add(qint64(seq));
    // A concurrent ingest may create the same command: whoever inserts second reads its key.
    PgResult r = runPrepared("INSERT INTO command (task_id, seq) VALUES ($1, $2) "
                             "ON CONFLICT (task_id, seq) DO NOTHING RETURNING key",
                             params);
    if (r.ok() && r.rows() == 1)
        m_evidence->touch("task", taskId,
                          "command " + taskId.toUtf8() + ' ' + QByteArray::number(seq));
    else if (r.ok())
        r = run("SELECT key FROM command WHERE task_id = $1 AND seq = $2", params);
    if (!r.ok() || r.rows() != 1)
        return std::nullopt;
    const qint64 key = r.int64(0, 0);
    if (key < 1 || key > maxCommandKey) {
        m_error = u"command key %1 is past the last one a log line id can hold (%2)"_s.arg(key).arg(
            maxCommandKey);
        return std::nullopt;
    }
    return key;
}

// Whether a line number of a command is stored or pending already. The highest stored line
// of each command is read once per batch; only a line at or below it (a file read again, or
// lines arriving out of order) costs a lookup of its own.
std::optional<bool> PgStore::logLineKnown(qint64 commandKey, qint64 lineNo, qint64 id)
{
    auto it = m_storedMaxLine.find(commandKey);
    if (it == m_storedMaxLine.end()) {
        const qint64 first = commandKey << logLineBits;
        const PgResult r =
            runPrepared("SELECT coalesce(max(id), 0) FROM log_line WHERE id BETWEEN $1 AND $2",
                        PgParams().add(first).add(first | maxLogLineNo));
        if (!r.ok())
            return std::nullopt;
        const qint64 max = r.int64(0, 0);
        it = m_storedMaxLine.emplace(commandKey, max ? (max & maxLogLineNo) : 0).first;
    }
    if (lineNo > it->second)
        return false;
    if (!flushLogLines())
        return std::nullopt;
    const PgResult r = run("SELECT 1 FROM log_line WHERE id = $1", PgParams().add(id));
    if (!r.ok())
        return std::nullopt;
    return r.rows() > 0;
}

bool PgStore::appendLogLine(qint64 commandKey, const LogLine &given, bool *inserted)
{
    RedactedLogLine line = LogRedaction::prepare(given);
    return appendRedactedLogLine(commandKey, line, inserted);
}

bool PgStore::appendRedactedLogLine(qint64 commandKey, RedactedLogLine &prepared, bool *inserted)
{
    const LogLine &line = prepared.line;
    const std::optional<qint64> packed = logLineId(commandKey, line.lineNo);
    if (!packed) {
        m_error = u"log line %1 of command key %2 is out of range (lines 1 to %3, keys 1 to %4)"_s
                      .arg(line.lineNo)
                      .arg(commandKey)
                      .arg(maxLogLineNo)
                      .arg(maxCommandKey);
        return false;
    }
    m_redactions += m_logRedaction->finish(commandKey, prepared);
    const std::optional<bool> known = logLineKnown(commandKey, line.lineNo, *packed);
    if (!known)
        return false;
    *inserted = !*known;
    if (*known)
        return true;
    auto &max = m_storedMaxLine[commandKey];
    max = qMax(max, line.lineNo);
    m_pendingLines += QByteArray::number(*packed) + '\t';
    m_pendingLines += line.timestampMs ? QByteArray::number(line.timestampMs) : QByteArray("\\N");
    m_pendingLines += '\t';
    appendCopyText(m_pendingLines, line.text);
    m_pendingLines += '\t';
    if (line.ansi.isNull())
        m_pendingLines += "\\N";
    else
        appendCopyText(m_pendingLines, line.ansi);
    m_pendingLines += '\t';
    appendCopyText(m_pendingLines, searchTokens().tsvector(line.text));
    m_pendingLines += '\n';
    m_evidence->lineAppended(commandKey, line);
    return ++m_pendingCount < copyBatchLines || flushLogLines();
}

// Sends the pending lines: COPY into a temporary table, then one INSERT of them that leaves a
// line another writer stored meanwhile as it is.
bool PgStore::flushLogLines()
{
    if (m_pendingCount == 0)
        return true;
    if (!m_stagingReady) {
        if (!m_db.exec("CREATE TEMPORARY TABLE IF NOT EXISTS log_line_incoming (id BIGINT, "
                       "ts BIGINT, text TEXT, ansi TEXT, search tsvector) ON COMMIT DELETE ROWS"))
            return fail(u"cannot stage log lines"_s);
        m_stagingReady = true;
    }
    const bool ok =
        m_db.copyIn("COPY log_line_incoming (id, ts, text, ansi, search) FROM STDIN",
                    m_pendingLines) &&
        m_db.exec("INSERT INTO log_line (id, ts, text, ansi, search) SELECT id, ts, text, ansi, "
                  "search FROM log_line_incoming ON CONFLICT (id) DO NOTHING; "
                  "TRUNCATE log_line_incoming");
    m_pendingLines.clear();
    m_pendingCount = 0;
    return ok || fail(u"cannot store log lines"_s);
}

bool PgStore::linkPullRequests()
{
    // SqliteStore::linkPullRequests' statements; every row a link changed is a touched record
    // of the evidence chain.
    static const char *const byArtifact =
        "UPDATE task SET pr_number = coalesce((SELECT p.number FROM pull_request p WHERE "
        "p.repo = task.repo AND p.github_id = task.pr_artifact_id LIMIT 1), (SELECT p.number "
        "FROM pull_request p WHERE p.repo = task.repo AND p.number = task.pr_artifact_id)) "
        "WHERE pr_number IS NULL AND pr_artifact_id IS NOT NULL AND EXISTS (SELECT 1 FROM "
        "pull_request p WHERE p.repo = task.repo AND (p.github_id = task.pr_artifact_id OR "
        "p.number = task.pr_artifact_id)) RETURNING id, pr_number";
    static const char *const byRef =
        "UPDATE task SET pr_number = (SELECT p.number FROM pull_request p WHERE p.repo = "
        "task.repo AND p.head_ref = task.head_ref ORDER BY p.number DESC LIMIT 1) "
        "WHERE pr_number IS NULL AND head_ref IS NOT NULL AND EXISTS (SELECT 1 FROM "
        "pull_request p WHERE p.repo = task.repo AND p.head_ref = task.head_ref) "
        "RETURNING id, pr_number";
    static const char *const bySha =
        "UPDATE task SET pr_number = (SELECT p.number FROM pull_request p WHERE p.repo = "
        "task.repo AND p.head_sha = task.head_sha ORDER BY p.number DESC LIMIT 1) "
        "WHERE pr_number IS NULL AND head_sha IS NOT NULL AND EXISTS (SELECT 1 FROM "
        "pull_request p WHERE p.repo = task.repo AND p.head_sha = task.head_sha) "
        "RETURNING id, pr_number";
    static const char *const checks =
        "UPDATE check_run SET pr_number = (SELECT p.number FROM pull_request p WHERE p.repo = "
        "check_run.repo AND p.head_sha = check_run.head_sha ORDER BY p.number DESC LIMIT 1) "
        "WHERE pr_number IS NULL AND EXISTS (SELECT 1 FROM pull_request p WHERE "
        "p.repo = check_run.repo AND p.head_sha = check_run.head_sha) "
        "RETURNING CAST(id AS TEXT), pr_number";
    // What the entry says is the rule that linked the row (Evidence::linkContent).
    const auto link = [this](const char *sql, const char *kind, const char *rule) {
        const PgResult r = run(sql, {});
        for (int i = 0; r.ok() && i < r.rows(); ++i)
            m_evidence->touch(kind, r.text(i, 0),
                              Evidence::linkContent(rule, r.utf8(i, 0), r.utf8(i, 1)));
        return r.ok();
    };
    return link(byArtifact, "task", "pr_artifact_id") && link(byRef, "task", "head_ref") &&
           link(bySha, "task", "head_sha") && link(checks, "check_run", "head_sha");
}

} // namespace Tasktrail
