#pragma once

#include "records/evidence.h"
#include "records/taskchain.h"

#include <QJsonObject>

#include <optional>

namespace Tasktrail {

class RecordStore;

// An in-toto Statement (v1) with a SLSA Provenance v1 predicate for one task: the pull
// request's head commit (or the task itself) as subject, the request, template and policy as
// the build definition, the identity as builder, and each command's log as a byproduct.
// Identities go in without their hashed token; logs only as digests.
namespace Attestation {

inline constexpr auto buildType = "urn:tasktrail:agent-task:v1";

struct CommandLog
{
    QByteArray sha256Hex; // of the command's log text lines joined by "\n"
    qint64 lines = 0;
};

struct Inputs
{
    TaskChain chain;
    QList<CommandLog> logs;  // one per chain.commands entry, in the same order
    QByteArray evidenceHead; // hex
    std::optional<EvidenceEntry> taskEvidence;
    QByteArray currentTaskState; // the task's rows as they are now (raw SHA-256)

    // False when the task's rows no longer match its latest evidence entry.
    bool taskMatchesEvidence() const
    {
        return taskEvidence && taskEvidence->stateHash == currentTaskState;
    }
};

// Reads everything the statement says from the store; nullopt (and *error) for an unknown task.
std::optional<Inputs> collect(RecordStore &store, const QString &taskId, QString *error);
CommandLog commandLog(RecordStore &store, qint64 commandKey);

QJsonObject statement(const Inputs &inputs);

} // namespace Attestation
} // namespace Tasktrail
