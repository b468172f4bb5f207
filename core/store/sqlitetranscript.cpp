// A session's conversation, entry by entry (transcript_entry, schema version 7).
#include "recordredaction.h"
#include "sqliteevidence.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include "records/taskchain.h"

#include <limits>

using namespace Qt::StringLiterals;

namespace Tasktrail {

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
    m_redactions += RecordRedaction::redact(taskId) + RecordRedaction::redact(callId);
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

void SqliteStore::loadTranscript(TaskChain &chain)
{
    auto &entries = statement("SELECT session_id, seq, role, tool, call_id, at, text, command_seq, "
                              "sidechain, is_error FROM transcript_entry WHERE task_id = ? "
                              "ORDER BY session_id, seq");
    entries.bind(1, chain.task.id);
    while (entries.next()) {
        TranscriptEntry e;
        e.sessionId = entries.text(0);
        e.taskId = chain.task.id;
        e.seq = int(entries.int64(1));
        e.role = entries.text(2);
        e.tool = entries.text(3);
        e.callId = entries.text(4);
        e.at = entries.dateTime(5);
        e.text = entries.text(6);
        e.commandSeq = entries.optionalInt(7).value_or(0);
        e.sidechain = entries.int64(8) != 0;
        e.isError = entries.int64(9) != 0;
        chain.transcript << e;
    }
    entries.reset();
}

} // namespace Tasktrail
