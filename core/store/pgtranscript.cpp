// PgStore's sessions' conversations, entry by entry: SqliteStore's statements
// (sqlitetranscript.cpp) in PostgreSQL's dialect, with the same rows in the same order.
#include "pgevidence.h"
#include "pgstore.h"
#include "recordredaction.h"

#include "records/taskchain.h"

#include <QTimeZone>

#include <limits>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// The columns readEntry() reads, in its order.
#define PG_TRANSCRIPT_COLUMNS                                                                      \
    "e.session_id, e.seq, e.task_id, e.role, e.tool, e.call_id, e.at, e.text, e.command_seq, "     \
    "e.sidechain, e.is_error"
// An entry that is a row of the conversation: all but a tool call a result of its session
// answers (TaskQueries::transcriptOutline); the EXISTS is a seek on transcript_entry_call.
#define PG_TRANSCRIPT_IS_ROW                                                                       \
    "NOT (e.role = 'tool_call' AND e.call_id IS NOT NULL AND EXISTS (SELECT 1 FROM "               \
    "transcript_entry r WHERE r.task_id = e.task_id AND r.call_id = e.call_id AND "                \
    "r.session_id = e.session_id AND r.role = 'tool_result'))"

TranscriptEntry readEntry(const PgResult &r, int row)
{
    TranscriptEntry e;
    e.sessionId = r.text(row, 0);
    e.seq = int(r.int64(row, 1));
    e.taskId = r.text(row, 2);
    e.role = r.text(row, 3);
    e.tool = r.text(row, 4);
    e.callId = r.text(row, 5);
    if (!r.isNull(row, 6))
        e.at = QDateTime::fromMSecsSinceEpoch(r.int64(row, 6), QTimeZone::utc());
    e.text = r.text(row, 7);
    e.commandSeq = r.isNull(row, 8) ? 0 : int(r.int64(row, 8));
    e.sidechain = r.int64(row, 9) != 0;
    e.isError = r.int64(row, 10) != 0;
    return e;
}

std::optional<TranscriptPosition> positionOf(const PgResult &r)
{
    if (!r.ok() || r.rows() == 0)
        return std::nullopt;
    return TranscriptPosition{r.text(0, 0), int(r.int64(0, 1))};
}

// A LIKE pattern that matches `text` anywhere, with LIKE's own wildcards taken literally, its
// ASCII letters folded as the searched column's are below.
QString containsPattern(const QString &text)
{
    QString escaped = text;
    for (QChar &c : escaped) {
        if (c >= u'A' && c <= u'Z')
            c = QChar(c.unicode() + (u'a' - u'A'));
    }
    escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return u'%' % escaped % u'%';
}

bool before(const TranscriptPosition &a, const TranscriptPosition &b)
{
    return a.sessionId < b.sessionId || (a.sessionId == b.sessionId && a.seq < b.seq);
}

} // namespace

bool PgStore::writeTranscriptEntry(const TranscriptEntry &given)
{
    TranscriptEntry e = given;
    m_redactions += RecordRedaction::redact(e);
    if (e.sessionId.isEmpty() || e.taskId.isEmpty() || e.seq < 1 || e.role.isEmpty()) {
        m_error = u"a transcript entry needs a session, a task, a number of 1 or more and a "
                  "role"_s;
        return false;
    }
    static const char *const sql =
        "INSERT INTO transcript_entry (session_id, seq, task_id, role, tool, call_id, at, text, "
        "command_seq, sidechain, is_error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
        "ON CONFLICT (session_id, seq) DO UPDATE SET task_id = $3, role = $4, tool = $5, "
        "call_id = $6, at = $7, text = $8, command_seq = $9, sidechain = $10, is_error = $11";
    PgParams params;
    params.add(e.sessionId).add(qint64(e.seq)).add(e.taskId).add(e.role);
    params.add(e.tool.isEmpty() ? QString() : e.tool)
        .add(e.callId.isEmpty() ? QString() : e.callId);
    params.add(e.at).add(e.text);
    params.add(e.commandSeq > 0 ? std::optional<int>(e.commandSeq) : std::nullopt);
    params.add(qint64(e.sidechain ? 1 : 0)).add(qint64(e.isError ? 1 : 0));
    // One chain entry per session: the evidence part reads every entry of it.
    m_evidence->touch("transcript", e.sessionId, sql, params);
    return write(sql, params) &&
           indexRecordText(u"transcript_entry"_s, e.sessionId % u'#' % QString::number(e.seq),
                           e.taskId, e.text.isNull() ? u""_s : e.text);
}

std::optional<int> PgStore::commandSeqForCall(const QString &task, const QString &call)
{
    QString taskId = task;
    QString callId = call;
    m_redactions += RecordRedaction::redactKey(taskId) + RecordRedaction::redactKey(callId);
    const PgResult stored = run("SELECT command_seq FROM transcript_entry WHERE task_id = $1 AND "
                                "call_id = $2 AND command_seq IS NOT NULL LIMIT 1",
                                PgParams().add(taskId).add(callId));
    if (!stored.ok())
        return std::nullopt;
    if (stored.rows() > 0)
        return int(stored.int64(0, 0));
    const PgResult next =
        run("SELECT greatest(coalesce((SELECT max(seq) FROM command WHERE task_id = $1), 0), "
            "coalesce((SELECT max(command_seq) FROM transcript_entry WHERE task_id = $1), 0))",
            PgParams().add(taskId));
    if (!next.ok() || next.rows() != 1)
        return std::nullopt;
    const qint64 last = next.int64(0, 0);
    if (last >= std::numeric_limits<int>::max()) {
        m_error = u"task %1 has no command number left"_s.arg(taskId);
        return std::nullopt;
    }
    return int(last + 1);
}

void PgStore::loadChainTranscript(TaskChain &chain, bool entries)
{
    const PgParams task = PgParams().add(chain.task.id);
    if (!entries) {
        const PgResult counted =
            run("SELECT count(*) FROM transcript_entry WHERE task_id = $1", task);
        if (counted.ok() && counted.rows() == 1)
            chain.transcriptEntries = counted.int64(0, 0);
        return;
    }
    const PgResult rows = run("SELECT " PG_TRANSCRIPT_COLUMNS " FROM transcript_entry e WHERE "
                              "e.task_id = $1 ORDER BY e.session_id, e.seq",
                              task);
    for (int row = 0; rows.ok() && row < rows.rows(); ++row)
        chain.transcript << readEntry(rows, row);
    chain.transcriptEntries = chain.transcript.size();
}

TranscriptOutline PgStore::transcriptOutline(const QString &taskId, int step)
{
    TranscriptOutline outline;
    outline.step = qMax(step, 1);
    const PgResult walk =
        run("SELECT e.session_id, e.seq FROM transcript_entry e WHERE "
            "e.task_id = $1 AND " PG_TRANSCRIPT_IS_ROW " ORDER BY e.session_id, e.seq",
            PgParams().add(taskId));
    for (int row = 0; walk.ok() && row < walk.rows(); ++row) {
        const QString session = walk.text(row, 0);
        if (outline.rows % outline.step == 0)
            outline.anchors << TranscriptPosition{session, int(walk.int64(row, 1))};
        if (outline.sessions.isEmpty() || outline.sessions.constLast() != session)
            outline.sessions << session;
        ++outline.rows;
    }
    return outline;
}

std::optional<TranscriptEntry> PgStore::transcriptCall(const TranscriptEntry &result)
{
    const PgResult call =
        run("SELECT " PG_TRANSCRIPT_COLUMNS " FROM transcript_entry e WHERE "
            "e.task_id = $1 AND e.call_id = $2 AND e.session_id = $3 AND "
            "e.role = 'tool_call' ORDER BY e.seq LIMIT 1",
            PgParams().add(result.taskId).add(result.callId).add(result.sessionId));
    if (!call.ok() || call.rows() == 0)
        return std::nullopt;
    return readEntry(call, 0);
}

QList<TranscriptRow> PgStore::transcriptRows(const QString &taskId, const TranscriptPosition &from,
                                             int count)
{
    QList<TranscriptRow> rows;
    if (count <= 0)
        return rows;
    const PgResult page = run("SELECT " PG_TRANSCRIPT_COLUMNS " FROM transcript_entry e WHERE "
                              "e.task_id = $1 AND (e.session_id, e.seq) >= ($2, $3) AND "
                              "" PG_TRANSCRIPT_IS_ROW " ORDER BY e.session_id, e.seq LIMIT $4",
                              PgParams()
                                  .add(taskId)
                                  .add(from.sessionId.isNull() ? u""_s : from.sessionId)
                                  .add(qint64(from.seq))
                                  .add(qint64(count)));
    for (int row = 0; page.ok() && row < page.rows(); ++row)
        rows << TranscriptRow{readEntry(page, row), std::nullopt};
    for (TranscriptRow &row : rows) {
        if (row.entry.role == u"tool_result" && !row.entry.callId.isEmpty())
            row.call = transcriptCall(row.entry);
    }
    return rows;
}

std::optional<TranscriptPosition> PgStore::resultOfCall(const QString &taskId,
                                                        const TranscriptPosition &call)
{
    return positionOf(
        run("SELECT r.session_id, r.seq FROM transcript_entry c JOIN transcript_entry r ON "
            "r.task_id = c.task_id AND r.call_id = c.call_id AND r.session_id = c.session_id AND "
            "r.role = 'tool_result' WHERE c.session_id = $1 AND c.seq = $2 AND c.task_id = $3 AND "
            "c.role = 'tool_call' ORDER BY r.seq LIMIT 1",
            PgParams().add(call.sessionId).add(qint64(call.seq)).add(taskId)));
}

qint64 PgStore::transcriptRowOf(const QString &taskId, const TranscriptPosition &position)
{
    const PgResult exists =
        run("SELECT 1 FROM transcript_entry WHERE session_id = $1 AND seq = $2 AND task_id = $3",
            PgParams().add(position.sessionId).add(qint64(position.seq)).add(taskId));
    if (!exists.ok() || exists.rows() == 0)
        return -1;
    const TranscriptPosition row = resultOfCall(taskId, position).value_or(position);
    const PgResult count = run("SELECT count(*) FROM transcript_entry e WHERE e.task_id = $1 AND "
                               "(e.session_id, e.seq) < ($2, $3) AND " PG_TRANSCRIPT_IS_ROW,
                               PgParams().add(taskId).add(row.sessionId).add(qint64(row.seq)));
    return count.ok() && count.rows() == 1 ? count.int64(0, 0) : -1;
}

std::optional<TranscriptPosition> PgStore::findTranscriptRow(const QString &taskId,
                                                             const TranscriptPosition &from,
                                                             const QString &text, bool backwards)
{
    // PostgreSQL text cannot hold a NUL, nor can a stored entry (SQLite skips these too).
    if (text.isEmpty() || text.contains(QChar::Null))
        return std::nullopt;
    TranscriptPosition at = from;
    if (at.isNull())
        at = backwards ? TranscriptPosition{u"\U0010FFFF"_s, 0} : TranscriptPosition{u""_s, 0};
    // ASCII case folded on both sides, as SQLite's LIKE ignores ASCII case only.
    static const char *const forward =
        "SELECT e.session_id, e.seq FROM transcript_entry e WHERE e.task_id = $1 AND "
        "(e.session_id, e.seq) > ($2, $3) AND translate(e.text, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
        "'abcdefghijklmnopqrstuvwxyz') LIKE $4 ORDER BY e.session_id, e.seq LIMIT 1";
    static const char *const backward =
        "SELECT e.session_id, e.seq FROM transcript_entry e WHERE e.task_id = $1 AND "
        "(e.session_id, e.seq) < ($2, $3) AND translate(e.text, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
        "'abcdefghijklmnopqrstuvwxyz') LIKE $4 ORDER BY e.session_id DESC, e.seq DESC LIMIT 1";
    const QString pattern = containsPattern(text);
    // A folded call shows on its result's row, which may lie on the other side of `from`:
    // then the search goes on past the call.
    for (;;) {
        const std::optional<TranscriptPosition> hit = positionOf(
            run(backwards ? backward : forward,
                PgParams().add(taskId).add(at.sessionId).add(qint64(at.seq)).add(pattern)));
        if (!hit)
            return std::nullopt;
        const TranscriptPosition row = resultOfCall(taskId, *hit).value_or(*hit);
        if (from.isNull() || (backwards ? before(row, from) : before(from, row)))
            return row;
        at = *hit;
    }
}

std::optional<TranscriptPosition> PgStore::transcriptCallOfCommand(const QString &taskId,
                                                                   int commandSeq)
{
    // The call itself where the transcript has one, else whichever entry names the command.
    return positionOf(run("SELECT session_id, seq FROM transcript_entry WHERE task_id = $1 AND "
                          "command_seq = $2 ORDER BY role <> 'tool_call', session_id, seq "
                          "LIMIT 1",
                          PgParams().add(taskId).add(qint64(commandSeq))));
}

} // namespace Tasktrail
