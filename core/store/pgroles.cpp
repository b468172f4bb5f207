#include "pgroles.h"

#include "pgconnection.h"
#include "pgstore.h"
#include "storecopy.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// Grants are set from scratch: revoked first, so a table's grants are exactly these. Only
// Tasktrail's tables (teamDatabaseTables(), bound as the transaction's setting
// tasktrail.tables) and their sequences are handed to tasktrail_owner and made readable: the
// schema may hold another application's tables or an extension's views, which keep their
// owners and grants.
const char *const grantsSql = R"SQL(
DO $$
DECLARE
  r TEXT;
  tables TEXT[] := string_to_array(current_setting('tasktrail.tables'), ',');
BEGIN
  FOREACH r IN ARRAY ARRAY['tasktrail_reader', 'tasktrail_ingest', 'tasktrail_launch',
                           'tasktrail_owner'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO tasktrail_reader, '
                 'tasktrail_ingest, tasktrail_launch, tasktrail_owner', current_database());
  FOREACH r IN ARRAY tables LOOP
    EXECUTE format('ALTER TABLE %I OWNER TO tasktrail_owner', r);
    EXECUTE format('REVOKE ALL ON %I FROM tasktrail_reader, tasktrail_ingest, '
                   'tasktrail_launch', r);
    EXECUTE format('GRANT SELECT ON %I TO tasktrail_reader, tasktrail_ingest, '
                   'tasktrail_launch', r);
  END LOOP;
  -- The sequences of their identity columns.
  FOR r IN SELECT s.oid::regclass::text FROM pg_class s
           JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
           JOIN pg_class t ON t.oid = d.refobjid
           WHERE s.relkind = 'S' AND t.relnamespace = current_schema()::regnamespace
             AND t.relname = ANY (tables) LOOP
    EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM tasktrail_reader, tasktrail_ingest, '
                   'tasktrail_launch', r);
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO tasktrail_ingest, tasktrail_launch', r);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure::text FROM pg_proc p
           WHERE p.pronamespace = current_schema()::regnamespace
             AND p.proname IN ('evidence_refuse_change', 'triage_refuse_change',
                               'tasktrail_reader_only', 'evidence_check_append',
                               'triage_set_author') LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO tasktrail_owner', r);
  END LOOP;
END $$;
GRANT USAGE, CREATE ON SCHEMA public TO tasktrail_owner;
GRANT USAGE ON SCHEMA public TO tasktrail_reader, tasktrail_ingest, tasktrail_launch;
GRANT INSERT, UPDATE ON request, campaign, repo_decision, identity, policy, task_template, task,
  task_session, command, test_result, file_change, contact, failure, pull_request, review,
  check_run, check_suite, session_transcript, transcript_entry, record_text, record_seen,
  ingested_file, finding, task_check, policy_document, audit_event, audit_link,
  audit_task_window, audit_link_state, sync_cursor TO tasktrail_ingest;
GRANT INSERT ON log_line, evidence, redaction TO tasktrail_ingest;
-- The audit events no linking run has taken yet: listed by ingest, taken off by linking.
GRANT INSERT, DELETE ON audit_event_new TO tasktrail_ingest;
-- Derived rows, recomputed from the records: search text, audit links, findings.
GRANT DELETE ON record_text, audit_link, audit_task_window, finding, task_check
  TO tasktrail_ingest;
GRANT INSERT, UPDATE ON repository, launch_submission, launch_queue, launch_attempt
  TO tasktrail_launch;
GRANT INSERT ON launch_event TO tasktrail_launch;
GRANT tasktrail_ingest TO tasktrail_launch;
-- Triage (docs/conformance.md): every role may triage findings, each change with its evidence
-- entry; the history takes inserts only (schema version 7), so nobody may rewrite it. What a
-- reader inserts is held by schema version 8's triggers: evidence entries of kind 'triage'
-- only, each chaining onto the last, and triage rows under the reader's own login.
GRANT INSERT ON finding_triage TO tasktrail_reader, tasktrail_ingest;
GRANT INSERT ON evidence TO tasktrail_reader;
GRANT USAGE ON SEQUENCE finding_triage_id_seq TO tasktrail_reader;
-- Tables a later schema version adds: readable by every role from the start.
ALTER DEFAULT PRIVILEGES FOR ROLE tasktrail_owner IN SCHEMA public
  GRANT SELECT ON TABLES TO tasktrail_reader, tasktrail_ingest, tasktrail_launch;
)SQL";

} // namespace

bool initPgRoles(const QString &location, QStringList *done, QString *error)
{
    // Opening the store brings the schema up to date: the grants name its tables.
    PgStore store;
    if (!store.open(location)) {
        *error = store.errorString();
        return false;
    }
    PgConnection db;
    if (!db.open(location, error))
        return false;
    const PgResult existing = db.query(
        "SELECT rolname FROM pg_roles WHERE rolname IN ('tasktrail_reader', 'tasktrail_ingest', "
        "'tasktrail_launch', 'tasktrail_owner')");
    QStringList before;
    for (int i = 0; existing.ok() && i < existing.rows(); ++i)
        before << existing.text(i, 0);
    if (!db.exec("BEGIN") ||
        !db.query("SELECT set_config('tasktrail.tables', $1, true)",
                  PgParams().add(QString::fromLatin1(teamDatabaseTables().join(','))))
             .ok() ||
        !db.exec(grantsSql) || !db.exec("COMMIT")) {
        *error = u"cannot set up the roles: "_s + db.errorString();
        db.exec("ROLLBACK");
        return false;
    }
    for (const QString &role : {u"tasktrail_reader"_s, u"tasktrail_ingest"_s, u"tasktrail_launch"_s,
                                u"tasktrail_owner"_s})
        *done << (before.contains(role) ? u"role %1: grants set again"_s.arg(role)
                                        : u"role %1: created, grants set"_s.arg(role));
    *done
        << u"tables owned by tasktrail_owner; tables evidence and finding_triage take inserts only"_s
        << u"evidence takes only entries that chain; a reader appends triage entries only, as "
           "itself"_s;
    return true;
}

} // namespace Tasktrail
