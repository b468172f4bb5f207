#pragma once

#include <QString>
#include <QStringList>

namespace Tasktrail {

// The roles of a team database (docs/team-database.md, "Roles"): group roles without login
// that people's and jobs' login roles are made members of.
//   tasktrail_reader  reads everything, changes nothing
//   tasktrail_ingest  reads; inserts and updates records; deletes only derived rows (search
//                     text, audit links, findings); appends to the evidence chain, never
//                     changes it
//   tasktrail_launch  the queue (repositories, submissions, queue, events, attempts), and what
//                     ingest may do (a launch stores its finished runs)
//   tasktrail_owner   owns the tables: upgrades the schema
// The evidence table refuses UPDATE, DELETE and TRUNCATE by a trigger as well, for its owner
// and superusers too.
//
// Creates the roles that are missing and sets every grant again (running it twice changes
// nothing), on the database `location` names, after bringing its schema up to date. The
// connection must be allowed to create roles and to hand the tables to tasktrail_owner (a
// superuser, or the tables' owner with CREATEROLE). *done lists what was done, in words.
bool initPgRoles(const QString &location, QStringList *done, QString *error);

} // namespace Tasktrail
