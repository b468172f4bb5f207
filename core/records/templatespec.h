#pragma once

#include "records/states.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Tasktrail {

// A window in which tasks must not be launched, e.g. a release freeze. Repositories are
// name globs ("acme-payments/*"); an empty list means every repository.
struct FreezeWindow
{
    QString name;
    QDateTime from;  // UTC, inclusive
    QDateTime until; // UTC, exclusive
    QStringList repositories;
};

// Which repositories a template may run in.
struct RepositoryScope
{
    QStringList include; // owner/name globs; empty: every repository
    QStringList exclude; // owner/name globs
    QStringList topics;  // at least one of them, when given
    QStringList languages;
    bool allowArchived = false;
    bool allowForks = false;
    QStringList requiredFiles; // e.g. "package.json", "CODEOWNERS"
};

// An approved task template: what an agent task built from it may do, when it must stop, and
// the budgets it runs under. Loaded from a versioned text file (see docs/policy-files.md).
// Glob patterns use '*' (within one path segment), '**' (across segments) and '?'.
// A limit of -1 means "no limit".
struct TemplateSpec
{
    QString id;
    QString version;
    QString name;
    QString description;
    QString prompt; // the instructions; "{repo}" is replaced by the repository

    RepositoryScope repositories;

    QStringList allowedFiles;    // changed paths must match one (empty: any path)
    QStringList deniedFiles;     // changed paths must match none
    QStringList approvalFiles;   // changing these needs a human's approval first
    QStringList allowedCommands; // command lines (argv joined by spaces) must match one
    QStringList approvalCommands;
    QStringList requiredTests; // test names (globs) that must run and pass
    QStringList allowedHosts;  // host globs the task may contact (empty: none)

    QStringList labels;    // labels every PR of this template must carry
    QStringList reviewers; // reviewers (users, or "org/team") every PR must request

    // When to stop instead of improvising.
    int maxRetries = -1;
    qint64 maxRuntimeMs = -1;
    int maxFilesChanged = -1;
    int maxLinesChanged = -1; // additions + deletions

    // Budgets for the launch queue.
    int concurrency = -1;     // tasks of this template running at once
    int perRepository = -1;   // tasks running at once in one repository
    QString reviewerTeam;     // whose reviewing capacity the PRs consume
    int reviewsPerDay = -1;   // PRs per day that team can review
    int maxRepositories = -1; // blast radius: repositories per campaign
    QList<FreezeWindow> freezes;
};

// One grant of a policy: who may run which templates with which authority. A field left
// empty does not restrict.
struct PolicyGrant
{
    QStringList templates; // template ids, or "id@version"; globs allowed
    QList<IdentityKind> tokenKinds;
    QStringList scopes;     // scopes a token may hold; a token with another is refused
    QStringList requesters; // requester names (globs)
    QStringList principals; // identity principals (globs), e.g. "svc-migrations[bot]"
};

// A policy: which identities may run which templates, for whom.
struct PolicySpec
{
    QString id;
    QString version;
    QString name;
    QString description;
    QList<PolicyGrant> grants;
};

// A template or policy file as stored: the exact text in force for a version, its digest
// (hex SHA-256 of the text) and where it was loaded from.
struct PolicyDocument
{
    enum class Kind
    {
        Template,
        Policy,
    };
    Kind kind = Kind::Template;
    QString id;
    QString version;
    QString name;
    QString digest;
    QString text;
    QString sourcePath;
    QDateTime loadedAt;
};

QString toString(PolicyDocument::Kind kind); // "template", "policy"
std::optional<PolicyDocument::Kind> policyKindFromString(QStringView text);

} // namespace Tasktrail
