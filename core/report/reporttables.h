#pragma once

#include "reportdata.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

namespace Tasktrail {

// A table of a report as plain text cells, the same in every format; writers escape them for
// theirs. `id` names the table in CSV file names and HTML anchors.
struct ReportTable
{
    QString id;
    QString title;
    QStringList columns;
    QList<QStringList> rows;
    QString note; // what a reader needs to read the table right
};

using ReportFields = QList<std::pair<QString, QString>>;

namespace ReportTables {

// Where the report comes from: title, filter, evidence head, campaign, generation time.
ReportFields provenance(const ReportData &data);
// The summary as metric/value rows, then skip reasons, findings by rule, review load,
// per-repository outcomes and every skipped repository.
QList<ReportTable> tables(const ReportData &data);

// The last column is the task's tasktrail:// link, which opens it in the app.
QStringList taskColumns();
QStringList taskCells(const ReportTaskRow &row);
QStringList findingColumns();
QStringList findingCells(const Finding &finding);
// A finding's triage in a cell: "false positive (alice, 2026-12-04: a test fixture)", or
// "new" for one never triaged.
QString triageText(const FindingTriage &triage);

// A task's chain in the order it happened: request, identity, policy, template, campaign
// decision, pull request, reviews; then its commands, one line each.
QString chainHeading(const TaskChain &chain);
ReportFields chainFields(const TaskChain &chain);
QStringList chainCommands(const TaskChain &chain);

} // namespace ReportTables
} // namespace Tasktrail
