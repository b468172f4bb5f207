// The outlines of many tasks at once (TaskQueries::taskChainOutlines): readTaskChain's
// statements (sqlitestorequeries.cpp), each run once for the whole list of task ids, which is
// bound as one JSON array.
#include "findingtriagesql.h"
#include "sqliteauditrow.h"
#include "sqlitefindingrow.h"
#include "sqliterecordfields.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// The task ids of a statement: ?1 is a JSON array of them.
#define TASKTRAIL_BATCH_IDS "(SELECT value FROM json_each(?1))"

QJsonValue jsonText(const QString &text)
{
    return text.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QByteArray json(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

} // namespace

QList<std::optional<TaskChain>> SqliteStore::taskChainOutlines(const QStringList &taskIds,
                                                               OutlineScope scope, bool *complete)
{
    bool allRead = true;
    const auto setComplete = qScopeGuard([&allRead, complete] {
        if (complete)
            *complete = allRead;
    });
    const bool whole = scope == OutlineScope::Whole;
    QList<std::optional<TaskChain>> out(taskIds.size());
    if (taskIds.isEmpty())
        return out;
    // Bound without a copy: kept until the last statement ran.
    const QByteArray ids = json(QJsonArray::fromStringList(taskIds));
    QHash<QString, TaskChain> chains;
    // Runs `sql` over the ids; `row` reads each row into the chain of the task in `taskColumn`.
    const auto each = [this, &chains, &allRead](const char *sql, const QByteArray &param,
                                                int taskColumn, const auto &row) {
        auto &stmt = statement(sql);
        stmt.bindText(1, param);
        while (stmt.next()) {
            const auto it = chains.find(stmt.text(taskColumn));
            if (it != chains.end())
                row(stmt, *it);
        }
        allRead = allRead && stmt.done();
        stmt.reset();
    };

    static const QByteArray taskSql =
        SqliteFields::select(taskFields(), ", id FROM task WHERE id IN " TASKTRAIL_BATCH_IDS);
    {
        auto &stmt = statement(taskSql.constData());
        stmt.bindText(1, ids);
        const int idColumn = int(taskFields().size());
        while (stmt.next()) {
            TaskChain &chain = chains[stmt.text(idColumn)];
            SqliteFields::read(stmt, chain.task, taskFields());
        }
        allRead = allRead && stmt.done();
        stmt.reset();
    }
    if (chains.isEmpty())
        return out;

    static const QByteArray campaignSql =
        SqliteFields::select(campaignFields(),
                             ", t.id FROM task t JOIN campaign c ON c.id = t.campaign_id "
                             "WHERE t.id IN " TASKTRAIL_BATCH_IDS " AND t.campaign_id <> ''",
                             "c");
    each(campaignSql.constData(), ids, int(campaignFields().size()),
         [](const SqliteStatement &s, TaskChain &c) {
             SqliteFields::read(s, c.campaign.emplace(), campaignFields());
         });
    static const QByteArray decisionSql = SqliteFields::select(
        decisionFields(),
        ", t.id FROM task t JOIN repo_decision d ON d.campaign_id = t.campaign_id AND "
        "d.repo = t.repo WHERE t.id IN " TASKTRAIL_BATCH_IDS " AND t.campaign_id <> ''",
        "d");
    each(decisionSql.constData(), ids, int(decisionFields().size()),
         [](const SqliteStatement &s, TaskChain &c) {
             SqliteFields::read(s, c.decision.emplace(), decisionFields());
         });
    static const QByteArray identitySql =
        SqliteFields::select(identityFields(),
                             ", t.id FROM task t JOIN identity i ON i.id = t.identity_id "
                             "WHERE t.id IN " TASKTRAIL_BATCH_IDS " AND t.identity_id <> ''",
                             "i");
    each(identitySql.constData(), ids, int(identityFields().size()),
         [](const SqliteStatement &s, TaskChain &c) {
             SqliteFields::read(s, c.identity.emplace(), identityFields());
         });
    for (TaskChain &c : chains) {
        const TaskRecord &t = c.task;
        if (!t.policyId.isEmpty())
            c.policy = PolicyRecord{t.policyId, t.policyVersion, {}, {}, {}};
        if (!t.templateId.isEmpty())
            c.taskTemplate = TemplateRecord{t.templateId, t.templateVersion, {}, {}};
    }
    static const QByteArray policySql = SqliteFields::select(
        policyFields(),
        ", t.id FROM task t JOIN policy p ON p.id = t.policy_id AND "
        "p.version = coalesce(t.policy_version, '') WHERE t.id IN " TASKTRAIL_BATCH_IDS
        " AND t.policy_id <> ''",
        "p");
    each(policySql.constData(), ids, int(policyFields().size()),
         [](const SqliteStatement &s, TaskChain &c) {
             SqliteFields::read(s, *c.policy, policyFields());
         });
    static const QByteArray templateSql = SqliteFields::select(
        templateFields(),
        ", t.id FROM task t JOIN task_template p ON p.id = t.template_id AND "
        "p.version = coalesce(t.template_version, '') WHERE t.id IN " TASKTRAIL_BATCH_IDS
        " AND t.template_id <> ''",
        "p");
    each(templateSql.constData(), ids, int(templateFields().size()),
         [](const SqliteStatement &s, TaskChain &c) {
             SqliteFields::read(s, *c.taskTemplate, templateFields());
         });

    // Requests: the task's own, else (when it names none that is stored) its campaign's.
    {
        QJsonArray wanted;
        for (const TaskChain &c : std::as_const(chains)) {
            if (!c.task.requestId.isEmpty())
                wanted << c.task.requestId;
            if (c.campaign && !c.campaign->requestId.isEmpty())
                wanted << c.campaign->requestId;
        }
        QHash<QString, RequestRecord> requests;
        if (!wanted.isEmpty()) {
            const QByteArray requestIds = json(wanted);
            static const QByteArray requestSql = SqliteFields::select(
                requestFields(), "FROM request WHERE id IN " TASKTRAIL_BATCH_IDS);
            auto &stmt = statement(requestSql.constData());
            stmt.bindText(1, requestIds);
            while (stmt.next()) {
                RequestRecord r;
                SqliteFields::read(stmt, r, requestFields());
                requests.insert(r.id, r);
            }
            allRead = allRead && stmt.done();
            stmt.reset();
        }
        const auto lookUp = [&requests](const QString &id) -> std::optional<RequestRecord> {
            const auto it = requests.constFind(id);
            return id.isEmpty() || it == requests.constEnd() ? std::nullopt : std::optional(*it);
        };
        for (TaskChain &c : chains) {
            c.request = lookUp(c.task.requestId);
            if (!c.request && c.campaign && !c.campaign->requestId.isEmpty()) {
                c.task.requestId = c.campaign->requestId;
                c.request = lookUp(c.task.requestId);
            }
        }
    }

    // The task's details, in loadTaskDetails' order within each task.
    static const QByteArray sessionSql = SqliteFields::select(
        sessionFields(), ", task_id FROM task_session WHERE task_id IN " TASKTRAIL_BATCH_IDS
                         " ORDER BY task_id, attempt, started_at, rowid");
    each(sessionSql.constData(), ids, int(sessionFields().size()),
         [](const SqliteStatement &s, TaskChain &c) {
             SqliteFields::read(s, c.task.sessions.emplace_back(), sessionFields());
         });
    // A check reads no line counts: counting walks every line of every command.
    static const QByteArray commandSql = SqliteFields::select(
        commandFields(),
        ", c.key, (SELECT count(*) FROM log_line l WHERE l.id >= (c.key << ?2) AND "
        "l.id < ((c.key + 1) << ?2)), c.task_id FROM command c WHERE c.task_id "
        "IN " TASKTRAIL_BATCH_IDS " ORDER BY c.task_id, c.seq",
        "c");
    static const QByteArray commandCheckSql = SqliteFields::select(
        commandFields(),
        ", c.key, 0, c.task_id FROM command c WHERE c.task_id IN " TASKTRAIL_BATCH_IDS
        " ORDER BY c.task_id, c.seq",
        "c");
    {
        const int keyColumn = int(commandFields().size());
        auto &stmt = statement(whole ? commandSql.constData() : commandCheckSql.constData());
        stmt.bindText(1, ids);
        if (whole)
            stmt.bind(2, lineBits);
        while (stmt.next()) {
            const auto it = chains.find(stmt.text(keyColumn + 2));
            if (it == chains.end())
                continue;
            TaskChain::Command c;
            c.key = stmt.int64(keyColumn);
            SqliteFields::read(stmt, c.record, commandFields());
            c.logLines = stmt.int64(keyColumn + 1);
            it->task.commands << c.record;
            it->commands << c;
        }
        allRead = allRead && stmt.done();
        stmt.reset();
    }
    static const QByteArray testSql = SqliteFields::select(
        testFields(), ", task_id FROM test_result WHERE task_id IN " TASKTRAIL_BATCH_IDS
                      " ORDER BY task_id, name");
    each(testSql.constData(), ids, int(testFields().size()),
         [](const SqliteStatement &s, TaskChain &c) {
             SqliteFields::read(s, c.task.tests.emplace_back(), testFields());
         });
    static const QByteArray fileSql = SqliteFields::select(
        fileChangeFields(), ", task_id FROM file_change WHERE task_id IN " TASKTRAIL_BATCH_IDS
                            " ORDER BY task_id, path");
    each(fileSql.constData(), ids, int(fileChangeFields().size()),
         [](const SqliteStatement &s, TaskChain &c) {
             SqliteFields::read(s, c.task.filesChanged.emplace_back(), fileChangeFields());
         });
    static const QByteArray contactSql = SqliteFields::select(
        contactFields(), ", task_id FROM contact WHERE task_id IN " TASKTRAIL_BATCH_IDS
                         " ORDER BY task_id, at, host, tool");
    each(contactSql.constData(), ids, int(contactFields().size()),
         [](const SqliteStatement &s, TaskChain &c) {
             SqliteFields::read(s, c.task.contacts.emplace_back(), contactFields());
         });
    static const QByteArray failureSql = SqliteFields::select(
        failureFields(),
        ", task_id FROM failure WHERE task_id IN " TASKTRAIL_BATCH_IDS " ORDER BY task_id, seq");
    each(failureSql.constData(), ids, int(failureFields().size()),
         [](const SqliteStatement &s, TaskChain &c) {
             SqliteFields::read(s, c.task.failures.emplace_back(), failureFields());
         });
    each("SELECT task_id, count(*) FROM transcript_entry WHERE task_id IN " TASKTRAIL_BATCH_IDS
         " GROUP BY task_id",
         ids, 0, [](const SqliteStatement &s, TaskChain &c) { c.transcriptEntries = s.int64(1); });

    // The pull request, as loadPullRequest picks it: the number the task recorded, then its
    // head ref, then its sha; the highest number first.
    static const QByteArray prSql = SqliteFields::select(
        pullRequestFields(),
        ", t.id FROM task t JOIN pull_request p ON p.rowid = (SELECT q.rowid FROM pull_request q "
        "WHERE q.repo = t.repo AND (q.number = t.pr_number OR (t.pr_number IS NULL AND "
        "(q.head_ref = t.head_ref OR q.head_sha = t.head_sha))) ORDER BY q.number DESC LIMIT 1) "
        "WHERE t.id IN " TASKTRAIL_BATCH_IDS " AND t.repo <> ''",
        "p");
    each(prSql.constData(), ids, int(pullRequestFields().size()),
         [](const SqliteStatement &s, TaskChain &c) {
             SqliteFields::read(s, c.pullRequest.emplace(), pullRequestFields());
         });
    // Each chain's pull request as [task, repo, number, head sha].
    QJsonArray prs;
    for (const TaskChain &c : std::as_const(chains)) {
        if (c.pullRequest)
            prs << QJsonArray{c.task.id, jsonText(c.pullRequest->repo), c.pullRequest->number,
                              jsonText(c.pullRequest->headSha)};
    }
    if (!prs.isEmpty()) {
        const QByteArray ofPrs = json(prs);
        static const QByteArray reviewSql = SqliteFields::select(
            reviewFields(),
            ", j.value ->> 0 FROM json_each(?1) j JOIN review r ON r.repo = j.value ->> 1 AND "
            "r.pr_number = j.value ->> 2 ORDER BY j.key, r.submitted_at, r.id",
            "r");
        each(reviewSql.constData(), ofPrs, int(reviewFields().size()),
             [](const SqliteStatement &s, TaskChain &c) {
                 SqliteFields::read(s, c.reviews.emplace_back(), reviewFields());
             });
        static const QByteArray checkSql = SqliteFields::select(
            checkRunFields(),
            ", j.value ->> 0 FROM json_each(?1) j JOIN check_run r ON r.id IN (" +
                SqliteFields::checksOfPullRequest("check_run", "j.value ->> 1", "j.value ->> 2",
                                                  "j.value ->> 3") +
                ") ORDER BY j.key, r.name, r.id",
            "r");
        each(checkSql.constData(), ofPrs, int(checkRunFields().size()),
             [](const SqliteStatement &s, TaskChain &c) {
                 SqliteFields::read(s, c.checkRuns.emplace_back(), checkRunFields());
             });
        static const QByteArray suiteSql = SqliteFields::select(
            checkSuiteFields(),
            ", j.value ->> 0 FROM json_each(?1) j JOIN check_suite r ON r.id IN (" +
                SqliteFields::checksOfPullRequest("check_suite", "j.value ->> 1", "j.value ->> 2",
                                                  "j.value ->> 3") +
                ") ORDER BY j.key, r.app, r.id",
            "r");
        each(suiteSql.constData(), ofPrs, int(checkSuiteFields().size()),
             [](const SqliteStatement &s, TaskChain &c) {
                 SqliteFields::read(s, c.checkSuites.emplace_back(), checkSuiteFields());
             });
    }

    // Findings as findings() orders one task's, their check and the audit events.
    each("SELECT " TASKTRAIL_FINDING_COLUMNS ", f.id, " TASKTRAIL_TRIAGE_COLUMNS
         " FROM finding f" TASKTRAIL_TRIAGE_JOIN " WHERE f.task_id IN " TASKTRAIL_BATCH_IDS
         " ORDER BY f.task_id, f.severity DESC, f.id",
         ids, 0, [](const SqliteStatement &s, TaskChain &c) {
             Finding f = findingAt(s);
             f.id = s.int64(13);
             f.triage = triageAt(s, 14);
             c.findings << f;
         });
    each("SELECT task_id, checked_at FROM task_check WHERE task_id IN " TASKTRAIL_BATCH_IDS, ids, 0,
         [](const SqliteStatement &s, TaskChain &c) { c.checkedAt = s.dateTime(1); });
    // For a check, only the events it reads.
    const auto event = [](const SqliteStatement &s, TaskChain &c) {
        c.auditEvents.append(AuditLink{sqliteAuditEventAt(s), s.text(13)});
    };
    if (whole) {
        each("SELECT " TASKTRAIL_SQLITE_EVENT_COLUMNS ", l.match, l.task_id FROM audit_link l "
             "JOIN audit_event e ON e.id = l.event_id WHERE l.task_id IN " TASKTRAIL_BATCH_IDS
             " ORDER BY l.task_id, e.at, e.id",
             ids, 14, event);
    } else {
        each("SELECT " TASKTRAIL_SQLITE_EVENT_COLUMNS ", l.match, l.task_id FROM audit_link l "
             "JOIN audit_event e ON e.id = l.event_id JOIN task t ON t.id = l.task_id "
             "WHERE l.task_id IN " TASKTRAIL_BATCH_IDS " AND " TASKTRAIL_SQLITE_EVENT_CHECKED " "
             "ORDER BY l.task_id, e.at, e.id",
             ids, 14, event);
    }

    for (qsizetype i = 0; i < taskIds.size(); ++i) {
        const auto it = chains.constFind(taskIds.at(i));
        if (it != chains.constEnd())
            out[i] = *it;
    }
    return out;
}

} // namespace Tasktrail
