#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>
#include <tuple>

namespace Tasktrail {

enum class Severity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
};

QString toString(Severity severity);
// Unknown text reads as Info.
Severity severityFromString(QStringView text);

// Where a finding's evidence is, so a viewer can open the chain at it.
enum class EvidenceKind
{
    Task,     // the task record itself (state, times, retries)
    Request,  // the request (requester, trigger)
    Identity, // the identity (token kind, scopes)
    Command,  // a command: seq
    LogLine,  // a line of a command's log: seq + line
    File,     // a changed file: ref = path
    Test,     // a test result: ref = test name, seq = its command when known
    Contact,  // an external host: ref = host
    PullRequest,
    Review,     // ref = reviewer
    CheckRun,   // ref = check name
    AuditEvent, // ref = the audit event's id
};

QString toString(EvidenceKind kind);
EvidenceKind evidenceKindFromString(QStringView text);

// Where a reviewer is with a finding (docs/conformance.md, "Triage"). A finding nobody has
// triaged is New.
enum class TriageState
{
    New,
    Acknowledged,
    FalsePositive,
    NeedsFollowUp,
    Fixed,
};

// "new", "acknowledged", "false_positive", "needs_follow_up", "fixed": what is stored and
// printed as JSON.
QString toString(TriageState state);
// "false positive", "needs follow-up": for a reader.
QString displayName(TriageState state);
// Any of the two spellings above, any case, '-', '_' or ' ' between words; nullopt otherwise.
std::optional<TriageState> triageStateFromString(QStringView text);
QList<TriageState> allTriageStates();

// A finding's latest triage: who set which state when, and why.
struct FindingTriage
{
    TriageState state = TriageState::New;
    QString by;
    QDateTime at; // invalid for a finding never triaged
    QString note;

    friend bool operator==(const FindingTriage &, const FindingTriage &) = default;
};

// One way a run left what its template and policy allowed.
struct Finding
{
    QString taskId;
    QString rule; // stable id, e.g. "command_not_allowed"
    Severity severity = Severity::Medium;
    QString message; // one sentence a reviewer reads
    EvidenceKind evidenceKind = EvidenceKind::Task;
    QString evidenceRef;
    int commandSeq = 0;
    qint64 lineNo = 0;
    QDateTime at; // when the evidence happened, when known
    // The versions the run was checked against.
    QString templateId;
    QString templateVersion;
    QString policyId;
    QString policyVersion;

    // As read from the store: the row id (0 otherwise; a check renumbers the rows) and the
    // triage, kept by the finding's identity (task, rule and evidence) across checks. Neither
    // is what a check gives, so == leaves them out.
    qint64 id = 0;
    FindingTriage triage;

    friend bool operator==(const Finding &a, const Finding &b)
    {
        const auto checked = [](const Finding &f) {
            return std::tie(f.taskId, f.rule, f.severity, f.message, f.evidenceKind, f.evidenceRef,
                            f.commandSeq, f.lineNo, f.at, f.templateId, f.templateVersion,
                            f.policyId, f.policyVersion);
        };
        return checked(a) == checked(b);
    }
};

// A finding as stored: its row id names it (verify), and changes whenever the task is checked
// again.
struct StoredFinding
{
    qint64 id = 0;
    Finding finding;
};

// What the findings view offers to filter by, from the findings stored.
enum class FindingFacet
{
    Rule,
    Identity, // the identity id of the finding's task
};

// A column the Findings table can be sorted by. Default is newest task first, then most
// severe; the others order by that column with ties broken by the finding's row id.
enum class FindingSortColumn
{
    Default,
    Severity,
    Rule,
    Task,
};

struct FindingSort
{
    FindingSortColumn column = FindingSortColumn::Default;
    bool descending = false; // ignored by Default

    friend bool operator==(const FindingSort &, const FindingSort &) = default;
};

// A finding's place in a FindingSort order: where the next page goes on.
struct FindingKey
{
    qint64 id = 0;       // the finding's row id, unique
    qint64 taskTime = 0; // its task's coalesce(started, created), for Default
    QString taskId;
    int severity = 0;
    QString rule;
};

struct KeyedFinding
{
    Finding finding;
    FindingKey key;
};

struct FindingFilter
{
    QString taskId;
    std::optional<Severity> minSeverity;
    QString rule;
    QString repo;
    QString identityId;
    QString policyId;
    QDateTime from;
    QDateTime until;
    int limit = 1000;
    std::optional<Severity> severity;       // exactly this one (the Overview's bars)
    std::optional<TriageState> triageState; // New includes findings never triaged
};

} // namespace Tasktrail
