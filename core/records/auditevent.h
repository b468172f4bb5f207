#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace Tasktrail {

// One GitHub audit-log event (REST or streamed NDJSON). Only what correlation and review need
// is kept; the token itself never appears in an audit event, only its hash.
struct AuditEvent
{
    QString id; // `_document_id`, else a digest of the event
    QString action;
    QString actor;
    bool actorIsBot = false;
    QString repo; // owner/name
    QDateTime at; // `@timestamp` or `created_at`, UTC
    QString hashedToken;
    QString tokenId;
    QString programmaticAccessType;
    QStringList tokenScopes;
    QString requestMethod;
    QString requestRoute;
    QString userAgent;
};

// An audit event linked to a task, and why it was linked.
struct AuditLink
{
    AuditEvent event;
    QString match; // "hashed_token", "token_id" or "actor_repo"
};

} // namespace Tasktrail
