#pragma once

// Shared by the launch tests: a real SQLite store in a temporary directory with a template, a
// policy and a repository catalogue loaded the way a person would load them.
#include "launch/createguard.h"
#include "launch/launchplanner.h"
#include "launch/queuecontrol.h"
#include "store/recordstore.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace LaunchFixture {

using namespace Tasktrail;

struct Budgets
{
    QString version = QStringLiteral("3");
    int concurrency = -1;
    int perRepository = -1;
    int reviewsPerDay = -1;
    int maxRepositories = -1;
    int maxRetries = 2;
};

inline QString templateText(const Budgets &b)
{
    QString text = QString::fromUtf8("[template]\n"
                                     "id = \"deps-bump\"\n"
                                     "version = \"%1\"\n"
                                     "name = \"Dependency bump\"\n"
                                     "prompt = \"Bump {package} to {version} in {repo}.\"\n"
                                     "\n"
                                     "[repositories]\n"
                                     "include = [\"acme-*/*\"]\n"
                                     "exclude = [\"acme-web/legacy-*\"]\n"
                                     "topics = [\"npm\"]\n"
                                     "languages = [\"JavaScript\", \"TypeScript\"]\n"
                                     "required_files = [\"package.json\"]\n"
                                     "\n"
                                     "[stop]\n"
                                     "max_retries = %2\n"
                                     "\n"
                                     "[budgets]\n"
                                     "reviewer_team = \"acme/platform\"\n")
                       .arg(b.version)
                       .arg(b.maxRetries);
    const auto limit = [&text](const char *key, int value) {
        if (value >= 0)
            text += QLatin1StringView(key) + QStringLiteral(" = ") + QString::number(value) +
                    QLatin1Char('\n');
    };
    limit("concurrency", b.concurrency);
    limit("per_repository", b.perRepository);
    limit("reviews_per_day", b.reviewsPerDay);
    limit("max_repositories", b.maxRepositories);
    text += QString::fromUtf8("\n"
                              "[[freeze]]\n"
                              "name = \"payments-release-42\"\n"
                              "from = 2026-11-10T00:00:00Z\n"
                              "until = 2026-12-01T00:00:00Z\n"
                              "repositories = [\"acme-payments/*\"]\n");
    return text;
}

inline const char *policyText()
{
    return "[policy]\n"
           "id = \"deps-fanout\"\n"
           "version = \"5\"\n"
           "\n"
           "[[grant]]\n"
           "templates = [\"deps-bump\"]\n"
           "token_kinds = [\"github_app_user_token\"]\n"
           "scopes = [\"agent_tasks:write\", \"contents:write\"]\n"
           "requesters = [\"mgarcia\", \"release-*\"]\n";
}

inline bool loadDocument(RecordStore &store, PolicyDocument::Kind kind, const QString &id,
                         const QString &version, const QString &text)
{
    PolicyDocument doc;
    doc.kind = kind;
    doc.id = id;
    doc.version = version;
    doc.name = id;
    doc.text = text;
    doc.digest = QString::fromLatin1(
        QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
    doc.sourcePath = id + QStringLiteral(".toml");
    bool changed = false;
    // In a batch, as the policy loader does: the documents are part of the evidence chain.
    if (store.beginBatch() && store.writePolicyDocument(doc, &changed) && store.commitBatch())
        return true;
    store.rollbackBatch();
    return false;
}

inline bool loadTemplate(RecordStore &store, const Budgets &b)
{
    return loadDocument(store, PolicyDocument::Kind::Template, QStringLiteral("deps-bump"),
                        b.version, templateText(b));
}

inline KnownRepository repo(const QString &name,
                            const QString &language = QStringLiteral("TypeScript"),
                            const QStringList &topics = {QStringLiteral("npm")})
{
    KnownRepository r;
    r.name = name;
    r.language = language;
    r.topics = topics;
    r.defaultBranch = QStringLiteral("main");
    r.files = {QStringLiteral("package.json"), QStringLiteral("README.md")};
    return r;
}

// The catalogue every planner test starts from: one repository per rule.
inline bool loadCatalogue(RecordStore &store)
{
    QList<KnownRepository> repos{repo(QStringLiteral("acme-web/cart")),
                                 repo(QStringLiteral("acme-web/checkout")),
                                 repo(QStringLiteral("acme-web/legacy-shop")),
                                 repo(QStringLiteral("acme-api/gateway"), QStringLiteral("Go")),
                                 repo(QStringLiteral("acme-api/search"),
                                      QStringLiteral("TypeScript"), {QStringLiteral("python")}),
                                 repo(QStringLiteral("acme-payments/ledger")),
                                 repo(QStringLiteral("other/tool"))};
    KnownRepository archived = repo(QStringLiteral("acme-web/old-site"));
    archived.archived = true;
    KnownRepository fork = repo(QStringLiteral("acme-web/forked-ui"));
    fork.fork = true;
    KnownRepository noManifest = repo(QStringLiteral("acme-web/docs"));
    noManifest.files = {QStringLiteral("README.md")};
    repos << archived << fork << noManifest;
    for (const KnownRepository &r : std::as_const(repos)) {
        if (!store.writeRepository(r))
            return false;
    }
    return true;
}

// What the launch tests start from: the deps-bump template (default budgets), the deps-fanout@5
// policy and the repository catalogue.
inline bool loadScene(RecordStore &store)
{
    return loadTemplate(store, {}) &&
           loadDocument(store, PolicyDocument::Kind::Policy, QStringLiteral("deps-fanout"),
                        QStringLiteral("5"), QString::fromUtf8(policyText())) &&
           loadCatalogue(store);
}

inline LaunchRequest request(const QStringList &repos)
{
    LaunchRequest r;
    r.templateRef = QStringLiteral("deps-bump@3");
    r.policyRef = QStringLiteral("deps-fanout@5");
    r.repositories = repos;
    r.parameters = {{QStringLiteral("package"), QStringLiteral("lodash")},
                    {QStringLiteral("version"), QStringLiteral("4.17.21")}};
    r.requester = QStringLiteral("mgarcia");
    r.triggerSystem = QStringLiteral("portal");
    r.identity.id = QStringLiteral("svc-deps");
    r.identity.kind = IdentityKind::GitHubAppUserToken;
    r.identity.principal = QStringLiteral("svc-deps[bot]");
    r.identity.scopes = {QStringLiteral("agent_tasks:write")};
    r.backend = QStringLiteral("test");
    return r;
}

// A fixed instant outside the template's freeze: 2026-10-05 12:00 UTC.
inline QDateTime noon()
{
    return QDateTime(QDate(2026, 10, 5), QTime(12, 0), Qt::UTC);
}

inline std::unique_ptr<RecordStore> open(const QTemporaryDir &dir)
{
    QString error;
    auto store = openStore(dir.filePath(QStringLiteral("launch.db")), &error);
    if (!store)
        qWarning("%s", qPrintable(error));
    return store;
}

// Leaves a queued entry as a worker leaves it when looking for the task an uncertain POST may
// have created finds two: attempt 1's POST answered 502, attempt 2 found tasks t-a and t-b.
inline bool holdForConfirmation(RecordStore &store, const QString &taskId, const QDateTime &at)
{
    auto e = store.queueEntry(taskId);
    if (!e || !store.beginBatch())
        return false;
    const QJsonObject request{{QStringLiteral("prompt"), QStringLiteral("Bump lodash")},
                              {QStringLiteral("base_ref"), QStringLiteral("main")}};
    LaunchAttempt first = CreateGuard::pending(taskId, 1, at, request);
    first.outcome = CreateOutcome::Uncertain;
    first.status = 502;
    first.answer = QStringLiteral("POST /agents/repos/acme-web/cart/tasks: HTTP 502: Bad Gateway");
    first.endedAt = at.addSecs(2);
    LaunchAttempt second = CreateGuard::pending(taskId, 2, at.addSecs(60), request);
    second.outcome = CreateOutcome::Undecided;
    second.lookup = QStringLiteral("of the 2 tasks of user 42 created since ... could be the one: "
                                   "2 match, 0 cannot be compared");
    for (const char *id : {"t-a", "t-b"}) {
        second.candidates.append(QJsonObject{
            {QStringLiteral("id"), QLatin1StringView(id)},
            {QStringLiteral("created_at"), at.toString(Qt::ISODate)},
            {QStringLiteral("state"), QStringLiteral("queued")},
            {QStringLiteral("name"), QStringLiteral("Bump lodash")},
            {QStringLiteral("creator_id"), 42},
            {QStringLiteral("why"), QStringLiteral("prompt, base ref and head ref match")}});
    }
    second.endedAt = at.addSecs(62);
    e->attempts = 2;
    const bool ok = store.writeLaunchAttempt(first) && store.writeLaunchAttempt(second) &&
                    QueueControl::transition(store, *e, QueueState::NeedsConfirmation,
                                             QStringLiteral("needs confirmation: two candidates"),
                                             at.addSecs(62)) &&
                    store.commitBatch();
    if (!ok)
        store.rollbackBatch();
    return ok;
}

inline const RepoPlan *find(const LaunchPlan &plan, const QString &repo)
{
    for (const RepoPlan &r : plan.repos) {
        if (r.decision.repo == repo)
            return &r;
    }
    return nullptr;
}

} // namespace LaunchFixture
