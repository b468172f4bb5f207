#pragma once

#include "states.h"

#include <QString>
#include <QStringList>

namespace Tasktrail {

// The authority a task ran under. The token itself is never stored: only the SHA-256
// digest, base64-encoded the way GitHub's audit log writes `hashed_token`.
struct IdentityRecord
{
    QString id;
    IdentityKind kind = IdentityKind::Unknown;
    QString principal;   // the account the token belongs to (user, app, bot)
    QString onBehalfOf;  // the human the automation acted for
    QStringList scopes;  // OAuth scopes or fine-grained permissions
    QString hashedToken; // base64(SHA-256(token))
    QString tokenId;     // GitHub's token id, where known
};

// The template and policy versions that allowed a run.
struct PolicyRecord
{
    QString id;
    QString version;
    QString name;
    QString verdict; // "allowed", "denied", ... as recorded at launch
    QString digest;  // content digest of the policy text in force
};

struct TemplateRecord
{
    QString id;
    QString version;
    QString name;
    QString digest;
};

} // namespace Tasktrail
