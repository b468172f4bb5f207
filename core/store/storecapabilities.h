#pragma once

#include <QString>

namespace Tasktrail {

// Who a store's connection is and what it may change (docs/team-database.md, "Roles"): on
// PostgreSQL the tasktrail_* role the login role is a member of and the grants it holds; on
// SQLite the file's owner, who may do everything, unless the file is open read-only. The app
// shows it in the status bar and disables what the role may not do.
struct StoreCapabilities
{
    QString backend;       // "SQLite" or "PostgreSQL"
    QString where;         // the file, or database@host
    QString user;          // the login role (PostgreSQL)
    QString role;          // tasktrail_reader, _ingest, _launch, _owner, "superuser"; empty: none
    bool readOnly = false; // the connection cannot write at all
    bool ingest = false;   // import, ingest and sync: write records
    bool launch = false;   // launch, and the queue's controls
    bool editPolicies = false; // load template and policy files

    // "PostgreSQL tasktrail@db.example.com as alice (tasktrail_reader)", "SQLite /path/x.db".
    QString describe() const;
    // Why an action this connection may not do is disabled.
    QString whyNot() const;
};

} // namespace Tasktrail
