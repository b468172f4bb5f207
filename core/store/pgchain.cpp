// PgStore's chain of one task and its command logs: the same rows, in the same order, as
// SqliteStore's (sqlitestorequeries.cpp, sqlitelogquery.cpp). SQLite sorts NULL before every
// value; the ORDER BYs below say so where a column can be NULL.
#include "pgrecordfields.h"
#include "pgstore.h"

#include "records/recordfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

#include <type_traits>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// Every row of `r` as a record, appended to `out`.
template<typename Record, typename List>
void readAll(const PgResult &r, List &out, std::span<const RecordField<Record>> fields)
{
    for (int row = 0; r.ok() && row < r.rows(); ++row)
        PgFields::read(r, row, out.emplace_back(), fields);
}

QString asciiLower(const QString &text)
{
    QString out = text;
    for (QChar &c : out) {
        if (c >= u'A' && c <= u'Z')
            c = QChar(c.unicode() + (u'a' - u'A'));
    }
    return out;
}

// A LIKE pattern that matches `text` anywhere, with LIKE's own wildcards taken literally.
QString containsPattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return u'%' % escaped % u'%';
}

// SQLite reads a negative LIMIT as none; PostgreSQL's is LIMIT NULL.
std::optional<qint64> noLimitBelowZero(int limit)
{
    return limit < 0 ? std::nullopt : std::optional<qint64>(limit);
}

} // namespace

std::optional<TaskChain> PgStore::taskChain(const QString &taskId)
{
    return readTaskChain(taskId, true);
}

std::optional<TaskChain> PgStore::taskChainOutline(const QString &taskId)
{
    return readTaskChain(taskId, false);
}

std::optional<RequestRecord> PgStore::requestById(const QString &id)
{
    if (id.isEmpty())
        return std::nullopt;
    static const QByteArray sql = PgFields::select(requestFields(), "FROM request WHERE id = $1");
    const PgResult r = run(sql.constData(), PgParams().add(id));
    if (!r.ok() || r.rows() == 0)
        return std::nullopt;
    RequestRecord request;
    PgFields::read(r, 0, request, requestFields());
    return request;
}

std::optional<TaskChain> PgStore::readTaskChain(const QString &taskId, bool conversation)
{
    static const QByteArray sql = PgFields::select(taskFields(), "FROM task WHERE id = $1");
    const PgResult task = run(sql.constData(), PgParams().add(taskId));
    if (!task.ok() || task.rows() == 0)
        return std::nullopt;
    TaskChain chain;
    TaskRecord &t = chain.task;
    PgFields::read(task, 0, t, taskFields());

    chain.request = requestById(t.requestId);
    if (!t.campaignId.isEmpty()) {
        static const QByteArray campaignSql =
            PgFields::select(campaignFields(), "FROM campaign WHERE id = $1");
        const PgResult c = run(campaignSql.constData(), PgParams().add(t.campaignId));
        if (c.ok() && c.rows() > 0)
            PgFields::read(c, 0, chain.campaign.emplace(), campaignFields());
        static const QByteArray decisionSql = PgFields::select(
            decisionFields(), "FROM repo_decision WHERE campaign_id = $1 AND repo = $2");
        const PgResult d = run(decisionSql.constData(), PgParams().add(t.campaignId).add(t.repo));
        if (d.ok() && d.rows() > 0)
            PgFields::read(d, 0, chain.decision.emplace(), decisionFields());
        // A task that did not name its request inherits its campaign's.
        if (!chain.request && chain.campaign && !chain.campaign->requestId.isEmpty()) {
            t.requestId = chain.campaign->requestId;
            chain.request = requestById(t.requestId);
        }
    }
    if (!t.identityId.isEmpty()) {
        static const QByteArray identitySql =
            PgFields::select(identityFields(), "FROM identity WHERE id = $1");
        const PgResult i = run(identitySql.constData(), PgParams().add(t.identityId));
        if (i.ok() && i.rows() > 0)
            PgFields::read(i, 0, chain.identity.emplace(), identityFields());
    }
    if (!t.policyId.isEmpty()) {
        static const QByteArray policySql = PgFields::select(
            policyFields(), "FROM policy WHERE id = $1 AND version = coalesce($2::text, '')");
        const PgResult p =
            run(policySql.constData(), PgParams().add(t.policyId).add(t.policyVersion));
        chain.policy = PolicyRecord{t.policyId, t.policyVersion, {}, {}, {}};
        if (p.ok() && p.rows() > 0)
            PgFields::read(p, 0, *chain.policy, policyFields());
    }
    if (!t.templateId.isEmpty()) {
        static const QByteArray templateSql =
            PgFields::select(templateFields(), "FROM task_template WHERE id = $1 AND "
                                               "version = coalesce($2::text, '')");
        const PgResult p =
            run(templateSql.constData(), PgParams().add(t.templateId).add(t.templateVersion));
        chain.taskTemplate = TemplateRecord{t.templateId, t.templateVersion, {}, {}};
        if (p.ok() && p.rows() > 0)
            PgFields::read(p, 0, *chain.taskTemplate, templateFields());
    }
    loadChainDetails(chain, conversation);
    loadChainTranscript(chain, conversation);
    loadChainPullRequest(chain);
    FindingFilter mine;
    mine.taskId = taskId;
    chain.findings = findings(mine);
    chain.checkedAt = checkedAt(taskId);
    chain.auditEvents = auditEvents(taskId);
    return chain;
}

void PgStore::loadChainDetails(TaskChain &chain, bool sessionTexts)
{
    TaskRecord &t = chain.task;
    const PgParams task = PgParams().add(t.id);
    static const QByteArray sessionSql =
        PgFields::select(sessionFields(), "FROM task_session WHERE task_id = $1 "
                                          "ORDER BY attempt NULLS FIRST, started_at NULLS FIRST");
    readAll(run(sessionSql.constData(), task), t.sessions, sessionFields());

    // Each command with its key and the number of its log lines (a count over its id range).
    static const QByteArray commandSql = PgFields::select(
        commandFields(), ", key, (SELECT count(*) FROM log_line l WHERE l.id >= key << 32 AND "
                         "l.id < (key + 1) << 32) FROM command WHERE task_id = $1 ORDER BY seq");
    static_assert(logLineBits == 32);
    const int keyColumn = int(commandFields().size());
    const PgResult commands = run(commandSql.constData(), task);
    for (int row = 0; commands.ok() && row < commands.rows(); ++row) {
        TaskChain::Command c;
        PgFields::read(commands, row, c.record, commandFields());
        c.key = commands.int64(row, keyColumn);
        c.logLines = commands.int64(row, keyColumn + 1);
        t.commands << c.record;
        chain.commands << c;
    }

    static const QByteArray testSql =
        PgFields::select(testFields(), "FROM test_result WHERE task_id = $1 ORDER BY name");
    readAll(run(testSql.constData(), task), t.tests, testFields());
    static const QByteArray fileSql =
        PgFields::select(fileChangeFields(), "FROM file_change WHERE task_id = $1 ORDER BY path");
    readAll(run(fileSql.constData(), task), t.filesChanged, fileChangeFields());
    static const QByteArray contactSql = PgFields::select(
        contactFields(), "FROM contact WHERE task_id = $1 ORDER BY at NULLS FIRST, host");
    readAll(run(contactSql.constData(), task), t.contacts, contactFields());
    static const QByteArray failureSql =
        PgFields::select(failureFields(), "FROM failure WHERE task_id = $1 ORDER BY seq");
    readAll(run(failureSql.constData(), task), t.failures, failureFields());

    if (!sessionTexts)
        return;
    const PgResult texts = run("SELECT session_id, text FROM session_transcript "
                               "WHERE task_id = $1 ORDER BY session_id",
                               task);
    for (int row = 0; texts.ok() && row < texts.rows(); ++row)
        chain.transcripts << TranscriptRecord{texts.text(row, 0), t.id, texts.text(row, 1)};
}

void PgStore::loadChainPullRequest(TaskChain &chain)
{
    const TaskRecord &t = chain.task;
    if (t.repo.isEmpty())
        return;
    // Order of preference: the number the task recorded, then its head ref, then its sha.
    static const QByteArray prSql = PgFields::select(
        pullRequestFields(),
        "FROM pull_request WHERE repo = $1 AND (number = $2 OR ($2::bigint IS NULL AND "
        "(head_ref = $3 OR head_sha = $4))) ORDER BY number DESC LIMIT 1");
    const PgResult pr = run(prSql.constData(),
                            PgParams().add(t.repo).add(t.prNumber).add(t.headRef).add(t.headSha));
    if (!pr.ok() || pr.rows() == 0)
        return;
    PgFields::read(pr, 0, chain.pullRequest.emplace(), pullRequestFields());
    const PullRequestRecord &p = *chain.pullRequest;
    static const QByteArray reviewSql =
        PgFields::select(reviewFields(), "FROM review WHERE repo = $1 AND pr_number = $2 "
                                         "ORDER BY submitted_at NULLS FIRST, id");
    readAll(run(reviewSql.constData(), PgParams().add(p.repo).add(qint64(p.number))), chain.reviews,
            reviewFields());
    const PgParams ofPr = PgParams().add(p.repo).add(qint64(p.number)).add(p.headSha);
    static const QByteArray checkSql =
        PgFields::select(checkRunFields(), "FROM check_run WHERE repo = $1 AND (pr_number = $2 OR "
                                           "head_sha = $3) ORDER BY name NULLS FIRST, id");
    readAll(run(checkSql.constData(), ofPr), chain.checkRuns, checkRunFields());
    static const QByteArray suiteSql =
        PgFields::select(checkSuiteFields(), "FROM check_suite WHERE repo = $1 AND (pr_number = $2 "
                                             "OR head_sha = $3) ORDER BY app NULLS FIRST, id");
    readAll(run(suiteSql.constData(), ofPr), chain.checkSuites, checkSuiteFields());
}

QList<LogLine> PgStore::logLines(qint64 commandKey, qint64 fromLine, int count)
{
    QList<LogLine> out;
    const std::optional<qint64> first = logLineId(commandKey, std::max<qint64>(fromLine, 1));
    if (!first || count == 0)
        return out;
    const PgResult r = run(
        "SELECT id, ts, text, ansi FROM log_line WHERE id >= $1 AND id < $2 "
        "ORDER BY id LIMIT $3",
        PgParams().add(*first).add((commandKey + 1) << logLineBits).add(noLimitBelowZero(count)));
    for (int row = 0; r.ok() && row < r.rows(); ++row) {
        LogLine line;
        line.lineNo = r.int64(row, 0) & maxLogLineNo;
        line.timestampMs = r.isNull(row, 1) ? 0 : r.int64(row, 1);
        line.text = r.utf8(row, 2);
        line.ansi = r.utf8(row, 3);
        out << line;
    }
    return out;
}

std::optional<qint64> PgStore::findLogLine(qint64 commandKey, qint64 fromLine, const QString &text,
                                           bool backwards)
{
    return findLogLineAny(commandKey, fromLine, QStringList{text}, backwards);
}

// A scan of the command's id range in id order that stops at the first match, as on SQLite.
// SQLite's LIKE ignores ASCII case only; so does this, by folding both sides' ASCII letters
// (ILIKE would fold other letters too).
std::optional<qint64> PgStore::findLogLineAny(qint64 commandKey, qint64 fromLine,
                                              const QStringList &fragments, bool backwards)
{
    QStringList patterns;
    for (const QString &fragment : fragments) {
        // PostgreSQL text cannot hold a NUL, nor a stored line (SQLite skips these too).
        if (!fragment.isEmpty() && !fragment.contains(QChar::Null))
            patterns << containsPattern(asciiLower(fragment));
    }
    if (patterns.isEmpty() || fromLine > maxLogLineNo || (backwards && fromLine < 1) ||
        commandKey < 1 || commandKey > maxCommandKey)
        return std::nullopt;
    const qint64 first = commandKey << logLineBits;
    const qint64 from = first | qMax<qint64>(fromLine, 0);
    PgParams params;
    params.add(backwards ? first : from).add(backwards ? from : (first | maxLogLineNo));
    // Only the number of placeholders varies; every value is bound.
    QByteArray sql = "SELECT id FROM log_line WHERE id >= $1 AND id <= $2 AND translate(text, "
                     "'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') LIKE ANY (ARRAY[";
    for (qsizetype i = 0; i < patterns.size(); ++i) {
        sql += (i ? ", $" : "$") + QByteArray::number(i + 3) + "::text";
        params.add(patterns.at(i));
    }
    sql += backwards ? "]) ORDER BY id DESC LIMIT 1" : "]) ORDER BY id LIMIT 1";
    const PgResult r = run(sql.constData(), params);
    if (!r.ok() || r.rows() == 0)
        return std::nullopt;
    return r.int64(0, 0) & maxLogLineNo;
}

QStringList PgStore::taskIds(int offset, int limit)
{
    return ids(run("SELECT id FROM task ORDER BY id LIMIT $1 OFFSET $2",
                   PgParams().add(noLimitBelowZero(limit)).add(qint64(qMax(offset, 0)))));
}

QStringList PgStore::taskIdsForPullRequest(const QString &repo, int number)
{
    return ids(run("SELECT id FROM task WHERE repo = $1 AND pr_number = $2 ORDER BY id",
                   PgParams().add(repo).add(qint64(number))));
}

QStringList PgStore::taskIdsForSession(const QString &sessionId)
{
    return ids(run("SELECT task_id FROM task_session WHERE id = $1 ORDER BY task_id",
                   PgParams().add(sessionId)));
}

QStringList PgStore::ids(const PgResult &r)
{
    QStringList out;
    for (int row = 0; r.ok() && row < r.rows(); ++row)
        out << r.text(row, 0);
    return out;
}

std::optional<IdentityRecord> PgStore::identity(const QString &id)
{
    static const QByteArray sql = PgFields::select(identityFields(), "FROM identity WHERE id = $1");
    const PgResult r = run(sql.constData(), PgParams().add(id));
    if (!r.ok() || r.rows() == 0)
        return std::nullopt;
    IdentityRecord found;
    PgFields::read(r, 0, found, identityFields());
    return found;
}

} // namespace Tasktrail
