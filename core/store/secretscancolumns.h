#pragma once

#include <vector>

namespace Tasktrail {

// What `scan` reads of one table (sqlitesecretscan.cpp). Every TEXT column of the schema is in
// one of the three lists; tst_secretscan checks that against the schema, so a column added
// later cannot be forgotten.
struct ScannedTable
{
    const char *table;
    // SQL: what addresses a row in an UPDATE (rowid, or the primary key). SQLite's scan names a
    // row of a table without a rowid by its primary key instead (sqlitesecretscan.cpp).
    const char *rowKey;
    const char *rowName; // SQL: how a report names the row
    // SQL: the evidence record the row is part of (docs/data-model.md); null: not in the chain.
    const char *evidenceKind;
    const char *evidenceRef;
    std::vector<const char *> text; // free text: redacted in place
    std::vector<const char *> json; // JSON text: its strings redacted, written back compact
    // Ids and the columns that refer to them: checked, never changed, since the evidence chain
    // names records by them and other tables join on them.
    std::vector<const char *> keys;
    const char *ftsIndex; // the external-content FTS5 index over `text`, if any
};

// Every table, log_line included (its lines are read as the streams of their commands).
const std::vector<ScannedTable> &scannedTables();

// The same, and the tables only the PostgreSQL schema has (pgschema.cpp). Its scan addresses
// a row by its ctid, whatever `rowKey` says.
const std::vector<ScannedTable> &postgresScannedTables();

} // namespace Tasktrail
