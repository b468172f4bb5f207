// A session's conversation, entry by entry (transcript_entry, schema version 7).
#include "recordredaction.h"
#include "sqliteevidence.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include "records/taskchain.h"

#include <limits>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// The columns readEntry() reads, in its order.
#define TRANSCRIPT_COLUMNS                                                                         \
    "e.session_id, e.seq, e.task_id, e.role, e.tool, e.call_id, e.at, e.text, e.command_seq, "     \
    "e.sidechain, e.is_error"
// An entry that is a row of the conversation: all but a tool call a result of its session
// answers (TaskQueries::transcriptOutline). The EXISTS is a seek on transcript_entry_call.
#define TRANSCRIPT_IS_ROW                                                                          \
    "NOT (e.role = 'tool_call' AND e.call_id IS NOT NULL AND EXISTS (SELECT 1 FROM "               \
    "transcript_entry r WHERE r.task_id = e.task_id AND r.call_id = e.call_id AND "                \
    "+r.session_id = e.session_id AND r.role = 'tool_result'))"

TranscriptEntry readEntry(const SqliteStatement &row)
{
    TranscriptEntry e;
    e.sessionId = row.text(0);
    e.seq = int(row.int64(1));
    e.taskId = row.text(2);
    e.role = row.text(3);
    e.tool = row.text(4);
    e.callId = row.text(5);
    e.at = row.dateTime(6);
    e.text = row.text(7);
    e.commandSeq = row.optionalInt(8).value_or(0);
    e.sidechain = row.int64(9) != 0;
    e.isError = row.int64(10) != 0;
    return e;
}

QString containsPattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return u'%' % escaped % u'%';
}

bool before(const TranscriptPosition &a, const TranscriptPosition &b)
{
    return a.sessionId < b.sessionId || (a.sessionId == b.sessionId && a.seq < b.seq);
}

} // namespace

bool SqliteStore::writeTranscriptEntry(const TranscriptEntry &given)
{
    TranscriptEntry e = given;
    m_redactions += RecordRedaction::redact(e);
    if (e.sessionId.isEmpty() || e.taskId.isEmpty() || e.seq < 1 || e.role.isEmpty()) {
        m_error = u"a transcript entry needs a session, a task, a number of 1 or more and a "
                  "role"_s;
        return false;
    }
    auto &stmt = statement(
        "INSERT INTO transcript_entry (session_id, seq, task_id, role, tool, call_id, at, text, "
        "command_seq, sidechain, is_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
        "ON CONFLICT (session_id, seq) DO UPDATE SET task_id = ?3, role = ?4, tool = ?5, "
        "call_id = ?6, at = ?7, text = ?8, command_seq = ?9, sidechain = ?10, is_error = ?11");
    stmt.bind(1, e.sessionId);
    stmt.bind(2, e.seq);
    stmt.bind(3, e.taskId);
    stmt.bind(4, e.role);
    stmt.bind(5, e.tool.isEmpty() ? QString() : e.tool);
    stmt.bind(6, e.callId.isEmpty() ? QString() : e.callId);
    stmt.bind(7, e.at);
    stmt.bind(8, e.text);
    stmt.bind(9, e.commandSeq > 0 ? std::optional<int>(e.commandSeq) : std::nullopt);
    stmt.bind(10, e.sidechain ? 1 : 0);
    stmt.bind(11, e.isError ? 1 : 0);
    // One chain entry per session: the evidence part reads every entry of it.
    m_evidence->touch("transcript", e.sessionId, stmt);
    return run(stmt) &&
           indexRecordText(u"transcript_entry"_s, e.sessionId % u'#' % QString::number(e.seq),
                           e.taskId, e.text.isNull() ? u""_s : e.text);
}

std::optional<int> SqliteStore::commandSeqForCall(const QString &task, const QString &call)
{
    QString taskId = task;
    QString callId = call;
    m_redactions += RecordRedaction::redactKey(taskId) + RecordRedaction::redactKey(callId);
    auto &stored = statement("SELECT command_seq FROM transcript_entry WHERE task_id = ? AND "
                             "call_id = ? AND command_seq IS NOT NULL LIMIT 1");
    stored.bind(1, taskId);
    stored.bind(2, callId);
    std::optional<int> seq;
    if (stored.next())
        seq = stored.optionalInt(0);
    stored.reset();
    if (seq)
        return seq;
    auto &next = statement(
        "SELECT max(coalesce((SELECT max(seq) FROM command WHERE task_id = ?1), 0), "
        "coalesce((SELECT max(command_seq) FROM transcript_entry WHERE task_id = ?1), 0))");
    next.bind(1, taskId);
    qint64 last = 0;
    if (next.next())
        last = next.int64(0);
    next.reset();
    if (last >= std::numeric_limits<int>::max()) {
        m_error = u"task %1 has no command number left"_s.arg(taskId);
        return std::nullopt;
    }
    return int(last + 1);
}

void SqliteStore::loadTranscript(TaskChain &chain, bool entries)
{
    if (!entries) {
        auto &counted = statement("SELECT count(*) FROM transcript_entry WHERE task_id = ?");
        counted.bind(1, chain.task.id);
        if (counted.next())
            chain.transcriptEntries = counted.int64(0);
        counted.reset();
        return;
    }
    auto &rows = statement("SELECT " TRANSCRIPT_COLUMNS " FROM transcript_entry e WHERE "
                           "e.task_id = ? ORDER BY e.session_id, e.seq");
    rows.bind(1, chain.task.id);
    while (rows.next())
        chain.transcript << readEntry(rows);
    rows.reset();
    chain.transcriptEntries = chain.transcript.size();
}

TranscriptOutline SqliteStore::transcriptOutline(const QString &taskId, int step)
{
    TranscriptOutline outline;
    outline.step = qMax(step, 1);
    auto &walk = statement("SELECT e.session_id, e.seq FROM transcript_entry e WHERE "
                           "e.task_id = ? AND " TRANSCRIPT_IS_ROW " ORDER BY e.session_id, e.seq");
    walk.bind(1, taskId);
    while (walk.next()) {
        const QString session = walk.text(0);
        if (outline.rows % outline.step == 0)
            outline.anchors << TranscriptPosition{session, int(walk.int64(1))};
        if (outline.sessions.isEmpty() || outline.sessions.constLast() != session)
            outline.sessions << session;
        ++outline.rows;
    }
    walk.reset();
    return outline;
}

std::optional<TranscriptEntry> SqliteStore::transcriptCall(const TranscriptEntry &result)
{
    auto &call = statement("SELECT " TRANSCRIPT_COLUMNS " FROM transcript_entry e WHERE "
                           "e.task_id = ? AND e.call_id = ? AND +e.session_id = ? AND "
                           "e.role = 'tool_call' ORDER BY +e.seq LIMIT 1");
    call.bind(1, result.taskId);
    call.bind(2, result.callId);
    call.bind(3, result.sessionId);
    std::optional<TranscriptEntry> found;
    if (call.next())
        found = readEntry(call);
    call.reset();
    return found;
}

QList<TranscriptRow> SqliteStore::transcriptRows(const QString &taskId,
                                                 const TranscriptPosition &from, int count)
{
    QList<TranscriptRow> rows;
    if (count <= 0)
        return rows;
    auto &page = statement("SELECT " TRANSCRIPT_COLUMNS " FROM transcript_entry e WHERE "
                           "e.task_id = ?1 AND (e.session_id, e.seq) >= (?2, ?3) AND "
                           "" TRANSCRIPT_IS_ROW " ORDER BY e.session_id, e.seq LIMIT ?4");
    page.bind(1, taskId);
    page.bind(2, from.sessionId.isNull() ? u""_s : from.sessionId);
    page.bind(3, from.seq);
    page.bind(4, count);
    while (page.next())
        rows << TranscriptRow{readEntry(page), std::nullopt};
    page.reset();
    for (TranscriptRow &row : rows) {
        if (row.entry.role == u"tool_result" && !row.entry.callId.isEmpty())
            row.call = transcriptCall(row.entry);
    }
    return rows;
}

std::optional<TranscriptPosition> SqliteStore::resultOfCall(const QString &taskId,
                                                            const TranscriptPosition &call)
{
    auto &result = statement(
        "SELECT r.session_id, r.seq FROM transcript_entry c JOIN transcript_entry r ON "
        "r.task_id = c.task_id AND r.call_id = c.call_id AND +r.session_id = c.session_id AND "
        "r.role = 'tool_result' WHERE c.session_id = ? AND c.seq = ? AND c.task_id = ? AND "
        "c.role = 'tool_call' ORDER BY +r.seq LIMIT 1");
    result.bind(1, call.sessionId);
    result.bind(2, call.seq);
    result.bind(3, taskId);
    std::optional<TranscriptPosition> found;
    if (result.next())
        found = TranscriptPosition{result.text(0), int(result.int64(1))};
    result.reset();
    return found;
}

qint64 SqliteStore::transcriptRowOf(const QString &taskId, const TranscriptPosition &position)
{
    auto &exists = statement(
        "SELECT 1 FROM transcript_entry WHERE session_id = ? AND seq = ? AND task_id = ?");
    exists.bind(1, position.sessionId);
    exists.bind(2, position.seq);
    exists.bind(3, taskId);
    const bool found = exists.next();
    exists.reset();
    if (!found)
        return -1;
    const TranscriptPosition row = resultOfCall(taskId, position).value_or(position);
    auto &count = statement("SELECT count(*) FROM transcript_entry e WHERE e.task_id = ?1 AND "
                            "(e.session_id, e.seq) < (?2, ?3) AND " TRANSCRIPT_IS_ROW);
    count.bind(1, taskId);
    count.bind(2, row.sessionId);
    count.bind(3, row.seq);
    qint64 rows = -1;
    if (count.next())
        rows = count.int64(0);
    count.reset();
    return rows;
}

std::optional<TranscriptPosition> SqliteStore::findTranscriptRow(const QString &taskId,
                                                                 const TranscriptPosition &from,
                                                                 const QString &text,
                                                                 bool backwards)
{
    // SQLite's LIKE reads a pattern only up to a NUL: "\0x" would match every entry.
    if (text.isEmpty() || text.contains(QChar::Null))
        return std::nullopt;
    TranscriptPosition at = from;
    if (at.isNull())
        at = backwards ? TranscriptPosition{u"\U0010FFFF"_s, 0} : TranscriptPosition{u""_s, 0};
    auto &forward = statement("SELECT e.session_id, e.seq FROM transcript_entry e WHERE "
                              "e.task_id = ?1 AND (e.session_id, e.seq) > (?2, ?3) AND e.text "
                              "LIKE ?4 ESCAPE '\\' ORDER BY e.session_id, e.seq LIMIT 1");
    auto &backward = statement("SELECT e.session_id, e.seq FROM transcript_entry e WHERE "
                               "e.task_id = ?1 AND (e.session_id, e.seq) < (?2, ?3) AND e.text "
                               "LIKE ?4 ESCAPE '\\' ORDER BY e.session_id DESC, e.seq DESC "
                               "LIMIT 1");
    auto &find = backwards ? backward : forward;
    const QString pattern = containsPattern(text);
    // A folded call shows on its result's row, which may lie on the other side of `from`:
    // then the search goes on past the call.
    for (;;) {
        find.bind(1, taskId);
        find.bind(2, at.sessionId);
        find.bind(3, at.seq);
        find.bind(4, pattern);
        std::optional<TranscriptPosition> hit;
        if (find.next())
            hit = TranscriptPosition{find.text(0), int(find.int64(1))};
        find.reset();
        if (!hit)
            return std::nullopt;
        const TranscriptPosition row = resultOfCall(taskId, *hit).value_or(*hit);
        if (from.isNull() || (backwards ? before(row, from) : before(from, row)))
            return row;
        at = *hit;
    }
}

std::optional<TranscriptPosition> SqliteStore::transcriptCallOfCommand(const QString &taskId,
                                                                       int commandSeq)
{
    // The call itself where the transcript has one, else whichever entry names the command.
    auto &call = statement("SELECT session_id, seq FROM transcript_entry WHERE task_id = ? AND "
                           "command_seq = ? ORDER BY role <> 'tool_call', session_id, seq "
                           "LIMIT 1");
    call.bind(1, taskId);
    call.bind(2, commandSeq);
    std::optional<TranscriptPosition> found;
    if (call.next())
        found = TranscriptPosition{call.text(0), int(call.int64(1))};
    call.reset();
    return found;
}

} // namespace Tasktrail
