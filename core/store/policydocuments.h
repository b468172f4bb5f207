#pragma once

#include "store/storeconnection.h"

#include "records/templatespec.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace Tasktrail {

// Template and policy files as loaded (docs/policy-files.md).
class PolicyDocuments : public virtual StoreConnection
{
public:
    // Template and policy files as loaded (docs/policy-files.md). A released version never
    // changes: writing a kind + id + version again with another digest fails, with the same
    // digest it is a no-op (*changed false). A new document also names its version in the
    // policy or task_template table, so runs that point at it show its name and digest.
    virtual bool writePolicyDocument(const PolicyDocument &doc, bool *changed) = 0;
    virtual std::optional<PolicyDocument>
    policyDocument(PolicyDocument::Kind kind, const QString &id, const QString &version) = 0;
    // Every stored version of a kind, the newest loaded first.
    virtual QList<PolicyDocument> policyDocuments(PolicyDocument::Kind kind) = 0;
};

} // namespace Tasktrail
