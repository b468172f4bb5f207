#pragma once

#include <QByteArray>

namespace Tasktrail {

// The schema of an embedded Tasktrail database, documented in docs/data-model.md.
// Every statement is IF NOT EXISTS, so an older file is brought up to date by running it again,
// in one transaction, when its user_version is below sqliteSchemaVersion, after a copy of the
// file is kept beside it (SqliteStore::upgrade). Version 6 added the task_sort_* and
// finding_sort_* indexes of the sortable tables, version 7 the transcript_entry table,
// version 8 the schema_version table (which Tasktrail brought the file to which version, so
// that an older Tasktrail can say which one it needs), version 9 the finding_triage table,
// version 10 log_fts without positions (detail=none) in new files: an older Tasktrail would
// send that index phrase queries it refuses, and verify it against a scratch index with
// positions. A file brought up to 10 keeps its log_fts, which Tasktrail reads either way.
// Version 11: the runs table's indexes (sqliteDeferredIndexes) may be missing, from a first
// load stopped before it built them; an older Tasktrail names them with INDEXED BY and would
// fail on such a file. The upgrade builds any that are missing.
// Version 12: the task's child tables keyed by the task (test_result, file_change, contact,
// failure) are WITHOUT ROWID in new files: their rows are kept in key order, a task's next to
// each other, with no second index for the key. An older Tasktrail's secret scan addresses
// their rows by rowid and would fail on such a file. A file brought up to 12 keeps its tables
// as they were made; Tasktrail reads and writes both alike.
// Times are INTEGER milliseconds since the epoch (UTC); lists are JSON arrays.
extern const char *const sqliteSchema;
constexpr int sqliteSchemaVersion = 12;
// The page size of a new file. A file keeps the size it was made with (only a VACUUM out of
// WAL mode could change it); every size reads and writes alike. 16 KiB pages against SQLite's
// default of 4: the whole scale-100 demo set ingested in 174.9 and 194.5 s against 196.9 and
// 194.4 s, alternately, into a 1.7% smaller file (README.md, "Benchmark").
constexpr int sqlitePageSize = 16384;
// Indexes that only make reads faster, which a file of the current version may lack: a writer
// adds them when it opens the file (SqliteStore::open). They change no version: a Tasktrail
// without them reads and writes the file as before.
extern const char *const sqliteLookupIndexes;

// The runs table's indexes (its order, its sortable columns, the state filter), which only
// reads use. A first load, into a file without tasks, drops them and builds them once its
// rows are in (SqliteStore::beginBulkLoad): kept up to date row by row, each batch of tasks
// rewrites most of their pages. A first load stopped before its end leaves a file without
// them, which the next ingest builds them in at its end (not a writer's open: a first load in
// another process may be without them on purpose). A read that names one of them
// (INDEXED BY) does so only while it is there.
struct DeferredIndex
{
    const char *name;
    const char *columns; // "(...)", as CREATE INDEX takes them
};
// The table they index; its being empty at the start of a run makes the run a first load.
inline constexpr const char *deferredIndexTable = "task";
inline constexpr int deferredIndexCount = 10;
extern const DeferredIndex sqliteDeferredIndexes[deferredIndexCount];
// CREATE INDEX IF NOT EXISTS for each of them, one statement a line.
QByteArray deferredIndexScript();

// Settings of the log lines' full-text index (log_fts), kept in the file (log_fts_config):
// SqliteStore sets them on every file it opens to write, new or made before. They change how
// the index is written, never what a search finds.
// - hashsize: the terms FTS5 gathers in memory before it writes them as a segment (1 MB by
//   default). A batch of log lines (IngestOptions::logBatchLines, ~5 MB of text) then becomes
//   one segment instead of several, and there is less to merge later.
// - automerge 0: no merging of a level's segments while they are written (FTS5 merges 4 at a
//   time by default, rewriting each line's postings again at every level). Measured on a
//   bulk load it saves about a fifth of the index's CPU time.
// - crisismerge 16 (FTS5's default, kept explicit): a level that reaches 16 segments is merged
//   at once into one segment of the next level. With automerge off this is what bounds the
//   segments a search reads: fewer than 16 per level, and a level holds 16 times the one
//   below. Searching them costs a seek each; the benchmark (bench_ingest) compares first
//   pages and counts with FTS5's defaults. No merge or optimize runs at the end of an ingest:
//   it would rewrite what is already indexed, and the pages it frees stay in the file.
struct Fts5Setting
{
    const char *name;
    int value;
};
inline constexpr Fts5Setting logIndexSettings[] = {
    {"hashsize", 16 * 1024 * 1024},
    {"automerge", 0},
    {"crisismerge", 16},
};

} // namespace Tasktrail
