#pragma once

#include "agentbackend.h"
#include "records/launchrecords.h"

#include <QDateTime>
#include <QList>
#include <QStringList>

namespace Tasktrail {

class RecordStore;

// The queue's side of launching a run once (docs/launching.md, "Launching once"): every start
// on a backend that creates its runs elsewhere is recorded before the backend is asked, what
// the create came to is recorded when the backend reports it, and the next start is told to
// look for the run, or to follow it, instead of creating a second one.
namespace CreateGuard {

// How the next start creates its run, from the attempts recorded so far.
struct Plan
{
    QDateTime lookSince;   // valid: look for a run created since then before creating one
    QString adoptRemoteId; // follow this run; create nothing
    QString note;          // why, for the entry's event; empty: a plain create
    // Valid with lookSince: not finding the run before then is no answer yet; look again then.
    QDateTime conclusiveAt;
};

// `settleMs` (AgentBackend::createSettleMs) after the open attempt started, not finding its run
// is conclusive; before that (a worker restarted right after a POST it never saw answered)
// the plan says when a look may conclude.
Plan plan(const QList<LaunchAttempt> &attempts, const QDateTime &now = {}, qint64 settleMs = 0);

// Hex SHA-256 of the request's compact JSON (QJsonObject keeps its keys sorted, so the same
// request always has the same fingerprint).
QString fingerprint(const QJsonObject &request);

// The attempt as recorded before the backend is asked: pending, with the request's
// fingerprint and the request with its string values redacted.
LaunchAttempt pending(const QString &taskId, int attempt, const QDateTime &now,
                      const QJsonObject &request);

// Writes what the backend reported about attempt `attempt`, and what a look it made tells
// about earlier attempts whose outcome was open. *reason is the sentence for the entry's event.
bool record(RecordStore &store, const QString &taskId, int attempt, const CreateReport &report,
            const QDateTime &now, QString *reason);

// The attempt ended (the backend finished it). True when there is no such attempt.
bool end(RecordStore &store, const QString &taskId, int attempt, const QDateTime &now);

// Whether an attempt's create may have made a run nobody follows: pending, uncertain or
// undecided, and not settled since.
bool isOpen(const LaunchAttempt &attempt);

// What a person reads to decide: per attempt, what was sent and when, what answered, what
// looking found, and (withCandidates) each candidate on a line of its own.
QStringList evidence(const QList<LaunchAttempt> &attempts, bool withCandidates);
// One line for a candidate object of LaunchAttempt::candidates.
QString candidateText(const QJsonObject &candidate);

} // namespace CreateGuard
} // namespace Tasktrail
