// The outlines of many tasks at once (TaskQueries::taskChainOutlines): readTaskChain's
// statements (pgchain.cpp), each run once for the whole list of task ids, which is bound as one
// JSON array; as SqliteStore does (sqlitechainbatch.cpp).
#include "findingtriagesql.h"
#include "pgrecordfields.h"
#include "pgrows.h"
#include "pgstore.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// The task ids of a statement: $1 is a JSON array of them.
#define TASKTRAIL_PG_BATCH_IDS "(SELECT json_array_elements_text($1::json))"

QJsonValue jsonText(const QString &text)
{
    return text.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QString json(const QJsonArray &array)
{
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

} // namespace

QList<std::optional<TaskChain>> PgStore::taskChainOutlines(const QStringList &taskIds,
                                                           OutlineScope scope, bool *complete)
{
    bool allRead = true;
    const auto setComplete = qScopeGuard([&allRead, complete] {
        if (complete)
            *complete = allRead;
    });
    // Every statement's result: one that failed leaves the chains incomplete.
    const auto query = [this, &allRead](const char *sql, const PgParams &params) {
        PgResult r = run(sql, params);
        allRead = allRead && r.ok();
        return r;
    };
    const bool whole = scope == OutlineScope::Whole;
    QList<std::optional<TaskChain>> out(taskIds.size());
    if (taskIds.isEmpty())
        return out;
    const PgParams ids = PgParams().add(json(QJsonArray::fromStringList(taskIds)));
    QHash<QString, TaskChain> chains;
    // Runs `sql`; `row` reads each row into the chain of the task in `taskColumn`.
    const auto each = [&query, &chains](const char *sql, const PgParams &params, int taskColumn,
                                        const auto &read) {
        const PgResult r = query(sql, params);
        for (int row = 0; r.ok() && row < r.rows(); ++row) {
            const auto it = chains.find(r.text(row, taskColumn));
            if (it != chains.end())
                read(r, row, *it);
        }
    };

    static const QByteArray taskSql =
        PgFields::select(taskFields(), ", id FROM task WHERE id IN " TASKTRAIL_PG_BATCH_IDS);
    {
        const PgResult r = query(taskSql.constData(), ids);
        const int idColumn = int(taskFields().size());
        for (int row = 0; r.ok() && row < r.rows(); ++row)
            PgFields::read(r, row, chains[r.text(row, idColumn)].task, taskFields());
    }
    if (chains.isEmpty())
        return out;

    static const QByteArray campaignSql =
        PgFields::select(campaignFields(),
                         ", t.id FROM task t JOIN campaign c ON c.id = t.campaign_id "
                         "WHERE t.id IN " TASKTRAIL_PG_BATCH_IDS " AND t.campaign_id <> ''",
                         "c");
    each(campaignSql.constData(), ids, int(campaignFields().size()),
         [](const PgResult &r, int row, TaskChain &c) {
             PgFields::read(r, row, c.campaign.emplace(), campaignFields());
         });
    static const QByteArray decisionSql = PgFields::select(
        decisionFields(),
        ", t.id FROM task t JOIN repo_decision d ON d.campaign_id = t.campaign_id AND "
        "d.repo = t.repo WHERE t.id IN " TASKTRAIL_PG_BATCH_IDS " AND t.campaign_id <> ''",
        "d");
    each(decisionSql.constData(), ids, int(decisionFields().size()),
         [](const PgResult &r, int row, TaskChain &c) {
             PgFields::read(r, row, c.decision.emplace(), decisionFields());
         });
    static const QByteArray identitySql =
        PgFields::select(identityFields(),
                         ", t.id FROM task t JOIN identity i ON i.id = t.identity_id "
                         "WHERE t.id IN " TASKTRAIL_PG_BATCH_IDS " AND t.identity_id <> ''",
                         "i");
    each(identitySql.constData(), ids, int(identityFields().size()),
         [](const PgResult &r, int row, TaskChain &c) {
             PgFields::read(r, row, c.identity.emplace(), identityFields());
         });
    for (TaskChain &c : chains) {
        const TaskRecord &t = c.task;
        if (!t.policyId.isEmpty())
            c.policy = PolicyRecord{t.policyId, t.policyVersion, {}, {}, {}};
        if (!t.templateId.isEmpty())
            c.taskTemplate = TemplateRecord{t.templateId, t.templateVersion, {}, {}};
    }
    static const QByteArray policySql = PgFields::select(
        policyFields(),
        ", t.id FROM task t JOIN policy p ON p.id = t.policy_id AND "
        "p.version = coalesce(t.policy_version, '') WHERE t.id IN " TASKTRAIL_PG_BATCH_IDS
        " AND t.policy_id <> ''",
        "p");
    each(policySql.constData(), ids, int(policyFields().size()),
         [](const PgResult &r, int row, TaskChain &c) {
             PgFields::read(r, row, *c.policy, policyFields());
         });
    static const QByteArray templateSql = PgFields::select(
        templateFields(),
        ", t.id FROM task t JOIN task_template p ON p.id = t.template_id AND "
        "p.version = coalesce(t.template_version, '') WHERE t.id IN " TASKTRAIL_PG_BATCH_IDS
        " AND t.template_id <> ''",
        "p");
    each(templateSql.constData(), ids, int(templateFields().size()),
         [](const PgResult &r, int row, TaskChain &c) {
             PgFields::read(r, row, *c.taskTemplate, templateFields());
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
            static const QByteArray requestSql = PgFields::select(
                requestFields(), "FROM request WHERE id IN " TASKTRAIL_PG_BATCH_IDS);
            const PgResult r = query(requestSql.constData(), PgParams().add(json(wanted)));
            for (int row = 0; r.ok() && row < r.rows(); ++row) {
                RequestRecord request;
                PgFields::read(r, row, request, requestFields());
                requests.insert(request.id, request);
            }
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

    // The task's details, in loadChainDetails' order within each task.
    static const QByteArray sessionSql = PgFields::select(
        sessionFields(), ", task_id FROM task_session WHERE task_id IN " TASKTRAIL_PG_BATCH_IDS
                         " ORDER BY task_id, attempt NULLS FIRST, started_at NULLS FIRST, id");
    each(sessionSql.constData(), ids, int(sessionFields().size()),
         [](const PgResult &r, int row, TaskChain &c) {
             PgFields::read(r, row, c.task.sessions.emplace_back(), sessionFields());
         });
    // A check reads no line counts: counting walks every line of every command.
    static const QByteArray commandSql = PgFields::select(
        commandFields(),
        ", key, (SELECT count(*) FROM log_line l WHERE l.id >= key << 32 AND "
        "l.id < (key + 1) << 32), task_id FROM command WHERE task_id IN " TASKTRAIL_PG_BATCH_IDS
        " ORDER BY task_id, seq");
    static const QByteArray commandCheckSql = PgFields::select(
        commandFields(), ", key, 0, task_id FROM command WHERE task_id IN " TASKTRAIL_PG_BATCH_IDS
                         " ORDER BY task_id, seq");
    static_assert(logLineBits == 32);
    {
        const int keyColumn = int(commandFields().size());
        const PgResult r = query(whole ? commandSql.constData() : commandCheckSql.constData(), ids);
        for (int row = 0; r.ok() && row < r.rows(); ++row) {
            const auto it = chains.find(r.text(row, keyColumn + 2));
            if (it == chains.end())
                continue;
            TaskChain::Command c;
            PgFields::read(r, row, c.record, commandFields());
            c.key = r.int64(row, keyColumn);
            c.logLines = r.int64(row, keyColumn + 1);
            it->task.commands << c.record;
            it->commands << c;
        }
    }
    static const QByteArray testSql = PgFields::select(
        testFields(), ", task_id FROM test_result WHERE task_id IN " TASKTRAIL_PG_BATCH_IDS
                      " ORDER BY task_id, name");
    each(testSql.constData(), ids, int(testFields().size()),
         [](const PgResult &r, int row, TaskChain &c) {
             PgFields::read(r, row, c.task.tests.emplace_back(), testFields());
         });
    static const QByteArray fileSql = PgFields::select(
        fileChangeFields(), ", task_id FROM file_change WHERE task_id IN " TASKTRAIL_PG_BATCH_IDS
                            " ORDER BY task_id, path");
    each(fileSql.constData(), ids, int(fileChangeFields().size()),
         [](const PgResult &r, int row, TaskChain &c) {
             PgFields::read(r, row, c.task.filesChanged.emplace_back(), fileChangeFields());
         });
    static const QByteArray contactSql = PgFields::select(
        contactFields(), ", task_id FROM contact WHERE task_id IN " TASKTRAIL_PG_BATCH_IDS
                         " ORDER BY task_id, at NULLS FIRST, host, tool");
    each(contactSql.constData(), ids, int(contactFields().size()),
         [](const PgResult &r, int row, TaskChain &c) {
             PgFields::read(r, row, c.task.contacts.emplace_back(), contactFields());
         });
    static const QByteArray failureSql = PgFields::select(
        failureFields(),
        ", task_id FROM failure WHERE task_id IN " TASKTRAIL_PG_BATCH_IDS " ORDER BY task_id, seq");
    each(failureSql.constData(), ids, int(failureFields().size()),
         [](const PgResult &r, int row, TaskChain &c) {
             PgFields::read(r, row, c.task.failures.emplace_back(), failureFields());
         });
    each("SELECT task_id, count(*) FROM transcript_entry WHERE task_id IN " TASKTRAIL_PG_BATCH_IDS
         " GROUP BY task_id",
         ids, 0,
         [](const PgResult &r, int row, TaskChain &c) { c.transcriptEntries = r.int64(row, 1); });

    // The pull request, as loadChainPullRequest picks it: the number the task recorded, then
    // its head ref, then its sha; the highest number first.
    static const QByteArray prSql = PgFields::select(
        pullRequestFields(),
        ", t.id FROM task t CROSS JOIN LATERAL (SELECT * FROM pull_request q WHERE "
        "q.repo = t.repo AND (q.number = t.pr_number OR (t.pr_number IS NULL AND "
        "(q.head_ref = t.head_ref OR q.head_sha = t.head_sha))) ORDER BY q.number DESC LIMIT 1) p "
        "WHERE t.id IN " TASKTRAIL_PG_BATCH_IDS " AND t.repo <> ''",
        "p");
    each(prSql.constData(), ids, int(pullRequestFields().size()),
         [](const PgResult &r, int row, TaskChain &c) {
             PgFields::read(r, row, c.pullRequest.emplace(), pullRequestFields());
         });
    // Each chain's pull request as [task, repo, number, head sha], in order.
    QJsonArray prs;
    for (const TaskChain &c : std::as_const(chains)) {
        if (c.pullRequest)
            prs << QJsonArray{c.task.id, jsonText(c.pullRequest->repo), c.pullRequest->number,
                              jsonText(c.pullRequest->headSha)};
    }
    if (!prs.isEmpty()) {
        const PgParams ofPrs = PgParams().add(json(prs));
#define TASKTRAIL_PG_BATCH_PRS                                                                     \
    "(SELECT j.value ->> 0 AS task, j.value ->> 1 AS repo, (j.value ->> 2)::bigint AS number, "    \
    "j.value ->> 3 AS head_sha, j.ordinality AS n FROM json_array_elements($1::json) "             \
    "WITH ORDINALITY j) j"
        static const QByteArray reviewSql = PgFields::select(
            reviewFields(),
            ", j.task FROM " TASKTRAIL_PG_BATCH_PRS " JOIN review r ON r.repo = j.repo AND "
            "r.pr_number = j.number ORDER BY j.n, r.submitted_at NULLS FIRST, r.id",
            "r");
        each(reviewSql.constData(), ofPrs, int(reviewFields().size()),
             [](const PgResult &r, int row, TaskChain &c) {
                 PgFields::read(r, row, c.reviews.emplace_back(), reviewFields());
             });
        static const QByteArray checkSql = PgFields::select(
            checkRunFields(),
            ", j.task FROM " TASKTRAIL_PG_BATCH_PRS " JOIN check_run r ON r.repo = j.repo AND "
            "(r.pr_number = j.number OR r.head_sha = j.head_sha) "
            "ORDER BY j.n, r.name NULLS FIRST, r.id",
            "r");
        each(checkSql.constData(), ofPrs, int(checkRunFields().size()),
             [](const PgResult &r, int row, TaskChain &c) {
                 PgFields::read(r, row, c.checkRuns.emplace_back(), checkRunFields());
             });
        static const QByteArray suiteSql = PgFields::select(
            checkSuiteFields(),
            ", j.task FROM " TASKTRAIL_PG_BATCH_PRS " JOIN check_suite r ON r.repo = j.repo AND "
            "(r.pr_number = j.number OR r.head_sha = j.head_sha) "
            "ORDER BY j.n, r.app NULLS FIRST, r.id",
            "r");
        each(suiteSql.constData(), ofPrs, int(checkSuiteFields().size()),
             [](const PgResult &r, int row, TaskChain &c) {
                 PgFields::read(r, row, c.checkSuites.emplace_back(), checkSuiteFields());
             });
#undef TASKTRAIL_PG_BATCH_PRS
    }

    // Findings as findings() orders one task's, their check and the audit events.
    each("SELECT " TASKTRAIL_PG_FINDING_COLUMNS ", f.id, " TASKTRAIL_TRIAGE_COLUMNS
         " FROM finding f" TASKTRAIL_TRIAGE_JOIN " WHERE f.task_id IN " TASKTRAIL_PG_BATCH_IDS
         " ORDER BY f.task_id, f.severity DESC, f.id",
         ids, 0, [](const PgResult &r, int row, TaskChain &c) {
             Finding f = pgFindingAt(r, row);
             f.id = r.int64(row, 13);
             f.triage = pgTriageAt(r, row, 14);
             c.findings << f;
         });
    each("SELECT task_id, checked_at FROM task_check WHERE task_id IN " TASKTRAIL_PG_BATCH_IDS, ids,
         0, [](const PgResult &r, int row, TaskChain &c) {
             if (!r.isNull(row, 1))
                 c.checkedAt = QDateTime::fromMSecsSinceEpoch(r.int64(row, 1), QTimeZone::utc());
             else
                 c.checkedAt = QDateTime();
         });
    // For a check, only the events it reads.
    const auto event = [](const PgResult &r, int row, TaskChain &c) {
        c.auditEvents.append(AuditLink{pgAuditEventAt(r, row), r.text(row, 13)});
    };
    if (whole) {
        each("SELECT " TASKTRAIL_PG_EVENT_COLUMNS ", l.match, l.task_id FROM audit_link l "
             "JOIN audit_event e ON e.id = l.event_id WHERE l.task_id IN " TASKTRAIL_PG_BATCH_IDS
             " ORDER BY l.task_id, e.at NULLS FIRST, e.id",
             ids, 14, event);
    } else {
        each("SELECT " TASKTRAIL_PG_EVENT_COLUMNS ", l.match, l.task_id FROM audit_link l "
             "JOIN audit_event e ON e.id = l.event_id JOIN task t ON t.id = l.task_id "
             "WHERE l.task_id IN " TASKTRAIL_PG_BATCH_IDS " AND " TASKTRAIL_PG_EVENT_CHECKED " "
             "ORDER BY l.task_id, e.at NULLS FIRST, e.id",
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
