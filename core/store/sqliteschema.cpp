#include "sqliteschema.h"

namespace Tasktrail {

const char *const sqliteSchema = R"SQL(
CREATE TABLE IF NOT EXISTS request (
  id TEXT PRIMARY KEY, text TEXT, requester TEXT, trigger_system TEXT,
  correlation_id TEXT, created_at INTEGER);
CREATE TABLE IF NOT EXISTS campaign (
  id TEXT PRIMARY KEY, request_id TEXT, title TEXT, template_id TEXT, template_version TEXT,
  policy_id TEXT, policy_version TEXT, created_at INTEGER);
CREATE TABLE IF NOT EXISTS repo_decision (
  campaign_id TEXT NOT NULL, repo TEXT NOT NULL, verdict TEXT NOT NULL, rule TEXT, reason TEXT,
  evidence TEXT, task_id TEXT, decided_at INTEGER, PRIMARY KEY (campaign_id, repo));
CREATE INDEX IF NOT EXISTS repo_decision_rule ON repo_decision (verdict, rule);
CREATE TABLE IF NOT EXISTS identity (
  id TEXT PRIMARY KEY, kind TEXT, principal TEXT, on_behalf_of TEXT, scopes TEXT,
  hashed_token TEXT, token_id TEXT);
CREATE TABLE IF NOT EXISTS policy (
  id TEXT NOT NULL, version TEXT NOT NULL, name TEXT, verdict TEXT, digest TEXT,
  PRIMARY KEY (id, version));
CREATE TABLE IF NOT EXISTS task_template (
  id TEXT NOT NULL, version TEXT NOT NULL, name TEXT, digest TEXT, PRIMARY KEY (id, version));
CREATE TABLE IF NOT EXISTS task (
  id TEXT PRIMARY KEY, repo TEXT, campaign_id TEXT, request_id TEXT, identity_id TEXT,
  policy_id TEXT, policy_version TEXT, template_id TEXT, template_version TEXT, state TEXT,
  state_reason TEXT, prompt TEXT, base_ref TEXT, head_ref TEXT, head_sha TEXT, source TEXT,
  created_at INTEGER, started_at INTEGER, completed_at INTEGER, confidence REAL,
  known_gaps TEXT, pr_number INTEGER, pr_artifact_id INTEGER, retries INTEGER, usage TEXT);
CREATE INDEX IF NOT EXISTS task_campaign ON task (campaign_id, repo);
CREATE INDEX IF NOT EXISTS task_repo_head ON task (repo, head_ref);
-- The runs table's indexes (its order, its sortable columns, the state filter) are
-- sqliteDeferredIndexes below: a writer adds them when it opens the file.
CREATE TABLE IF NOT EXISTS task_session (
  id TEXT PRIMARY KEY, task_id TEXT NOT NULL, attempt INTEGER, state TEXT, model TEXT,
  error TEXT, started_at INTEGER, completed_at INTEGER);
CREATE INDEX IF NOT EXISTS task_session_task ON task_session (task_id);
CREATE TABLE IF NOT EXISTS command (
  key INTEGER PRIMARY KEY, task_id TEXT NOT NULL, seq INTEGER NOT NULL, argv TEXT, cwd TEXT,
  exit_code INTEGER, started_at INTEGER, ended_at INTEGER, UNIQUE (task_id, seq));
-- A log line's id is (command key << 32) | line number: unique without a second index, and
-- the same id keys the full-text index.
CREATE TABLE IF NOT EXISTS log_line (
  id INTEGER PRIMARY KEY, ts INTEGER, text TEXT NOT NULL, ansi TEXT);
-- columnsize=0: no token count per line (the log_fts_docsize table, a tenth of the index).
-- Only bm25() and the rank column read those counts; log search orders by rowid, never by
-- them. detail=none: the rows of each token, not its positions in them (a third of the
-- index). Log search checks phrases on the stored text instead (TokenSearch). A file made
-- before keeps its index as it was made, and search reads it as such: the same results. The
-- index's settings for bulk loads are sqliteschema.h's logIndexSettings.
CREATE VIRTUAL TABLE IF NOT EXISTS log_fts USING fts5 (
  text, content='log_line', content_rowid='id', columnsize=0, detail=none);
-- A task's tests, files changed, contacts and failures: WITHOUT ROWID (schema 12), so the table
-- is its key's index and a task's rows lie together, which is how they are read (a chain, a
-- check, the evidence). In a file made before it keeps its rowid and the key's own index.
CREATE TABLE IF NOT EXISTS test_result (
  task_id TEXT NOT NULL, name TEXT NOT NULL, outcome TEXT, command_seq INTEGER,
  duration_ms INTEGER, PRIMARY KEY (task_id, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS file_change (
  task_id TEXT NOT NULL, path TEXT NOT NULL, change TEXT, additions INTEGER, deletions INTEGER,
  PRIMARY KEY (task_id, path)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS contact (
  task_id TEXT NOT NULL, host TEXT NOT NULL, tool TEXT NOT NULL, purpose TEXT, at INTEGER,
  PRIMARY KEY (task_id, host, tool)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS failure (
  task_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT, message TEXT, retried INTEGER,
  at INTEGER, PRIMARY KEY (task_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pull_request (
  repo TEXT NOT NULL, number INTEGER NOT NULL, github_id INTEGER, title TEXT, state TEXT,
  draft INTEGER, author TEXT, head_ref TEXT, head_sha TEXT, base_ref TEXT, url TEXT,
  merge_commit_sha TEXT, merged_by TEXT, mergeable_state TEXT, labels TEXT,
  requested_reviewers TEXT, requested_teams TEXT, created_at INTEGER, updated_at INTEGER,
  closed_at INTEGER, merged_at INTEGER, PRIMARY KEY (repo, number));
CREATE INDEX IF NOT EXISTS pull_request_head ON pull_request (repo, head_ref);
CREATE INDEX IF NOT EXISTS pull_request_sha ON pull_request (repo, head_sha);
CREATE TABLE IF NOT EXISTS review (
  id INTEGER PRIMARY KEY, repo TEXT, pr_number INTEGER, reviewer TEXT, state TEXT,
  commit_id TEXT, submitted_at INTEGER);
CREATE INDEX IF NOT EXISTS review_pr ON review (repo, pr_number);
CREATE TABLE IF NOT EXISTS check_run (
  id INTEGER PRIMARY KEY, repo TEXT, head_sha TEXT, name TEXT, status TEXT, conclusion TEXT,
  app TEXT, pr_number INTEGER, started_at INTEGER, completed_at INTEGER);
CREATE INDEX IF NOT EXISTS check_run_sha ON check_run (repo, head_sha);
-- Version 6: check suites, and what the agent said in each session (searchable as
-- record_text kind 'transcript').
CREATE TABLE IF NOT EXISTS check_suite (
  id INTEGER PRIMARY KEY, repo TEXT, head_sha TEXT, head_branch TEXT, status TEXT,
  conclusion TEXT, app TEXT, pr_number INTEGER, created_at INTEGER, updated_at INTEGER);
CREATE INDEX IF NOT EXISTS check_suite_sha ON check_suite (repo, head_sha);
CREATE TABLE IF NOT EXISTS session_transcript (
  session_id TEXT PRIMARY KEY, task_id TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS session_transcript_task ON session_transcript (task_id);
-- Searchable text of records (request text, prompts, PR titles, skip reasons).
CREATE TABLE IF NOT EXISTS record_text (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, task_id TEXT,
  text TEXT NOT NULL, UNIQUE (kind, ref));
CREATE VIRTUAL TABLE IF NOT EXISTS record_fts USING fts5 (
  text, content='record_text', content_rowid='id');
CREATE TABLE IF NOT EXISTS record_seen (hash BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ingested_file (
  sha256 TEXT PRIMARY KEY, head_hash TEXT NOT NULL, size INTEGER NOT NULL, path TEXT,
  format TEXT, records INTEGER, rejected INTEGER, redactions INTEGER, ingested_at INTEGER);
CREATE INDEX IF NOT EXISTS ingested_file_head ON ingested_file (size, head_hash);
-- Conformance findings: what a run did that its template and policy versions did not allow.
-- severity is the Severity enum's value (info 0 .. critical 4), so ">=" filters by minimum.
CREATE TABLE IF NOT EXISTS finding (
  id INTEGER PRIMARY KEY, task_id TEXT NOT NULL, rule TEXT NOT NULL, severity INTEGER NOT NULL,
  message TEXT, evidence_kind TEXT, evidence_ref TEXT, command_seq INTEGER, line_no INTEGER,
  at INTEGER, template_id TEXT, template_version TEXT, policy_id TEXT, policy_version TEXT,
  checked_at INTEGER);
CREATE INDEX IF NOT EXISTS finding_task ON finding (task_id);
CREATE INDEX IF NOT EXISTS finding_severity ON finding (severity, rule);
-- The Findings table's sortable columns (version 6), ties broken by id as in the tasks' ones.
CREATE INDEX IF NOT EXISTS finding_sort_severity ON finding (severity, id);
CREATE INDEX IF NOT EXISTS finding_sort_rule ON finding (rule, id);
CREATE INDEX IF NOT EXISTS finding_sort_task ON finding (task_id, id);
-- When each task was last checked: a task without findings conforms only if it was checked.
CREATE TABLE IF NOT EXISTS task_check (task_id TEXT PRIMARY KEY, checked_at INTEGER NOT NULL);
-- Template and policy files as loaded: the exact text of every version ever in force.
CREATE TABLE IF NOT EXISTS policy_document (
  kind TEXT NOT NULL, id TEXT NOT NULL, version TEXT NOT NULL, name TEXT, digest TEXT NOT NULL,
  text TEXT NOT NULL, source_path TEXT, loaded_at INTEGER, PRIMARY KEY (kind, id, version));
-- GitHub audit-log events and the tasks they were correlated with (sqliteauditquery.cpp).
CREATE TABLE IF NOT EXISTS audit_event (
  id TEXT PRIMARY KEY, action TEXT, actor TEXT, actor_is_bot INTEGER, repo TEXT, at INTEGER,
  hashed_token TEXT, token_id TEXT, programmatic_access_type TEXT, token_scopes TEXT,
  request_method TEXT, request_route TEXT, user_agent TEXT);
CREATE INDEX IF NOT EXISTS audit_event_token ON audit_event (hashed_token, at);
CREATE INDEX IF NOT EXISTS audit_event_token_id ON audit_event (token_id, at);
CREATE INDEX IF NOT EXISTS audit_event_actor ON audit_event (actor, repo, at);
CREATE INDEX IF NOT EXISTS audit_event_at ON audit_event (at);
CREATE TABLE IF NOT EXISTS audit_link (
  event_id TEXT NOT NULL, task_id TEXT NOT NULL, match TEXT NOT NULL,
  PRIMARY KEY (event_id, task_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS audit_link_task ON audit_link (task_id);
-- Each task's correlation window and identity as of the last linking run: what changed since
-- is what has to be linked again, and the windows are searchable by token and by actor.
CREATE TABLE IF NOT EXISTS audit_task_window (
  task_id TEXT PRIMARY KEY, lo INTEGER NOT NULL, hi INTEGER NOT NULL, repo TEXT,
  hashed_token TEXT, token_id TEXT, principal TEXT) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS audit_task_window_token
  ON audit_task_window (hashed_token, lo, hi, repo);
CREATE INDEX IF NOT EXISTS audit_task_window_token_id
  ON audit_task_window (token_id, lo, hi, repo);
CREATE INDEX IF NOT EXISTS audit_task_window_actor
  ON audit_task_window (principal, repo, lo, hi);
-- The rowid of the last audit event the linking has seen.
CREATE TABLE IF NOT EXISTS audit_link_state (
  id INTEGER PRIMARY KEY CHECK (id = 1), last_event INTEGER NOT NULL);
-- The evidence chain: one entry per record a committed batch touched, its audit events and
-- runs of log lines up to 64 to an entry; chain_hash links each entry to the one before
-- (docs/data-model.md).
CREATE TABLE IF NOT EXISTS evidence (
  seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, content_hash BLOB NOT NULL,
  state_hash BLOB NOT NULL, chain_hash BLOB NOT NULL, at INTEGER);
CREATE INDEX IF NOT EXISTS evidence_ref ON evidence (kind, ref, seq);
-- What `scan` redacted from rows stored before the redaction step knew a kind of secret: the
-- row, column, rule and count, never the secret. In the evidence chain as `redaction`.
CREATE TABLE IF NOT EXISTS redaction (
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, table_name TEXT NOT NULL, row_ref TEXT NOT NULL,
  column_name TEXT NOT NULL, rule TEXT NOT NULL, count INTEGER NOT NULL);
-- Launching (docs/launching.md): the repositories Tasktrail knows, the idempotency keys of
-- submitted launches, the queue and every state change of its entries.
CREATE TABLE IF NOT EXISTS repository (
  name TEXT PRIMARY KEY, archived INTEGER, fork INTEGER, topics TEXT, language TEXT,
  default_branch TEXT, files TEXT, local_path TEXT, updated_at INTEGER);
CREATE TABLE IF NOT EXISTS launch_submission (
  idempotency_key TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, submitted_at INTEGER);
CREATE TABLE IF NOT EXISTS launch_queue (
  task_id TEXT PRIMARY KEY, campaign_id TEXT, repo TEXT, template_id TEXT,
  template_version TEXT, backend TEXT, state TEXT NOT NULL, attempts INTEGER NOT NULL,
  next_attempt_at INTEGER, last_failure_kind TEXT, last_failure TEXT, paused INTEGER NOT NULL,
  created_at INTEGER, updated_at INTEGER, spec TEXT, reviewer_team TEXT, request_key TEXT,
  review_day TEXT, remote_id TEXT, requested TEXT);
CREATE INDEX IF NOT EXISTS launch_queue_state ON launch_queue (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS launch_queue_campaign ON launch_queue (campaign_id, created_at);
CREATE TABLE IF NOT EXISTS launch_event (
  id INTEGER PRIMARY KEY, task_id TEXT NOT NULL, at INTEGER, from_state TEXT, to_state TEXT,
  reason TEXT);
CREATE INDEX IF NOT EXISTS launch_event_task ON launch_event (task_id, id);
-- One row per start on a backend that creates its runs elsewhere, written before it is asked.
CREATE TABLE IF NOT EXISTS launch_attempt (
  task_id TEXT NOT NULL, attempt INTEGER NOT NULL, started_at INTEGER, fingerprint TEXT,
  request TEXT, outcome TEXT NOT NULL, status INTEGER, answer TEXT, remote_id TEXT, lookup TEXT,
  candidates TEXT, resolution TEXT, resolved_by TEXT, ended_at INTEGER,
  PRIMARY KEY (task_id, attempt));
-- Version 6. Where `sync github` stopped reading each source (store/synccursors.h).
CREATE TABLE IF NOT EXISTS sync_cursor (
  source TEXT PRIMARY KEY, since TEXT, seen_until TEXT, etag TEXT, position TEXT,
  updated_at INTEGER) WITHOUT ROWID;
-- Version 7. A session's conversation entry by entry (store/ingestwriter.h, TranscriptEntry),
-- searchable as record_text kind 'transcript_entry' with ref "<session id>#<seq>".
CREATE TABLE IF NOT EXISTS transcript_entry (
  session_id TEXT NOT NULL, seq INTEGER NOT NULL, task_id TEXT NOT NULL, role TEXT NOT NULL,
  tool TEXT, call_id TEXT, at INTEGER, text TEXT, command_seq INTEGER, sidechain INTEGER,
  is_error INTEGER, PRIMARY KEY (session_id, seq));
CREATE INDEX IF NOT EXISTS transcript_entry_task ON transcript_entry (task_id, session_id, seq);
-- A tool call's command number (both seeks: the planner must not pick the second index for the
-- first lookup by its "command_seq IS NOT NULL", which would scan every entry of the task).
CREATE INDEX IF NOT EXISTS transcript_entry_call ON transcript_entry (task_id, call_id,
  command_seq);
-- A new shell call's command number is one past the task's highest: a seek, not a scan of every
-- entry of the task for each call.
CREATE INDEX IF NOT EXISTS transcript_entry_command ON transcript_entry (task_id, command_seq);
-- Version 8. Which Tasktrail brought the file to which schema version, and when: a file of a
-- newer version tells an older Tasktrail which one it needs.
CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER PRIMARY KEY, tasktrail TEXT NOT NULL, applied_at INTEGER);
-- Version 9. Findings triage (docs/conformance.md, "Triage"): every change of a finding's
-- state, appended, never updated; the latest row of a finding's identity (task, rule,
-- evidence: what a check gives again, unlike the finding's row id) is its state. Each row is
-- an evidence entry of kind 'triage'.
CREATE TABLE IF NOT EXISTS finding_triage (
  id INTEGER PRIMARY KEY, task_id TEXT NOT NULL, rule TEXT NOT NULL, evidence_kind TEXT NOT NULL,
  evidence_ref TEXT NOT NULL, command_seq INTEGER NOT NULL, line_no INTEGER NOT NULL,
  state TEXT NOT NULL, triaged_by TEXT NOT NULL, triaged_at INTEGER NOT NULL, note TEXT);
CREATE INDEX IF NOT EXISTS finding_triage_subject ON finding_triage (task_id, rule,
  evidence_kind, evidence_ref, command_seq, line_no, id);
)SQL";

// Seeks where reads scanned. A pull request's check runs and suites are those of its number or
// of its head commit: one index each (with check_run_sha, check_suite_sha), a union of two
// seeks; without the number's index every check run of the repository was read. The tasks
// that use a template or a policy, in id order: the conformance check's pages; without them
// every page read the whole task table. A task's pull request by its GitHub database id (the
// linking): without it each task read every pull request of its repository.
const char *const sqliteLookupIndexes = R"SQL(
CREATE INDEX IF NOT EXISTS check_run_pr ON check_run (repo, pr_number);
CREATE INDEX IF NOT EXISTS check_suite_pr ON check_suite (repo, pr_number);
CREATE INDEX IF NOT EXISTS task_template_use ON task (template_id, id);
CREATE INDEX IF NOT EXISTS task_policy_use ON task (policy_id, id);
CREATE INDEX IF NOT EXISTS pull_request_github_id ON pull_request (repo, github_id, number);
)SQL";

// The runs table's order: a page deep in a million tasks walks task_order, not the table.
// One index per sortable column of the runs table (version 6): its value, never NULL, and the
// id that breaks ties, so a page at any depth is a seek to a key (sqlitetasksort.cpp uses the
// same expressions, which SQLite requires to use them). task_sort_state also serves the state
// filter.
const DeferredIndex sqliteDeferredIndexes[deferredIndexCount] = {
    {"task_started", "(started_at)"},
    {"task_order", "(coalesce(started_at, created_at) DESC, id)"},
    {"task_state", "(state)"},
    {"task_sort_repo", "(coalesce(repo, ''), id)"},
    {"task_sort_campaign", "(coalesce(campaign_id, ''), id)"},
    {"task_sort_state", "(coalesce(state, 'unknown'), id)"},
    {"task_sort_policy", "(coalesce(policy_id, '') || '@' || coalesce(policy_version, ''), id)"},
    {"task_sort_pr", "(coalesce(pr_number, -1), id)"},
    {"task_sort_started", "(coalesce(started_at, created_at, -9223372036854775807), id)"},
    {"task_sort_duration",
     "(coalesce(completed_at - coalesce(started_at, created_at), -9223372036854775807), id)"},
};

QByteArray deferredIndexScript()
{
    QByteArray script;
    for (const DeferredIndex &index : sqliteDeferredIndexes)
        script.append("CREATE INDEX IF NOT EXISTS ")
            .append(index.name)
            .append(" ON ")
            .append(deferredIndexTable)
            .append(' ')
            .append(index.columns)
            .append(";\n");
    return script;
}

} // namespace Tasktrail
