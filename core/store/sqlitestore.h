#pragma once

#include "recordstore.h"

#include <QHash>

#include <memory>
#include <unordered_map>

struct sqlite3;

namespace Tasktrail {

class EvidenceLedger;
class LogRedaction;
class SearchTokens;
class SqliteStatement;
struct SearchTerm;
class WalCheckpointer;

// The embedded store: one SQLite file in WAL mode.
//
// It talks to SQLite's C API rather than through QtSql: ingest binds millions of log lines,
// and QVariant-based binding costs more than the whole FTS5 insert. Every statement is still
// prepared once with bound values.
class SqliteStore final : public RecordStore
{
public:
    SqliteStore();
    ~SqliteStore() override;

    bool open(const QString &path, StoreAccess access = StoreAccess::ReadWrite);

    // A writer copies its write-ahead log into the file on a thread of its own
    // (walcheckpointer.h): from `backgroundFrames` pages of log on, and past `writerFrames`
    // after its own commits. 0 hands it back to SQLite's automatic checkpoint. For tuning and
    // tests; open() sets the defaults.
    void setWalCheckpointFrames(int backgroundFrames, int writerFrames);
    // The checkpoints run so far: {thread, writer}; {0, 0} without a checkpointer.
    std::pair<qint64, qint64> walCheckpoints() const;
    // Copies the whole write-ahead log into the file and empties it, once the copying thread's
    // copy under way ends; false when a reader's snapshot kept part of it, or on an error.
    bool truncateLog();
    // The most the connection's page cache holds (open() sets a reader's and a writer's).
    bool setPageCacheKiB(int kib);

    QString location() const override { return m_path; }
    QString errorString() const override { return m_error; }
    qint64 redactions() const override { return m_redactions; }
    StoreCapabilities capabilities() override;

    bool beginBatch() override;
    bool commitBatch() override;
    void beginBulkLoad() override;
    void endBulkLoad() override;
    void rollbackBatch() override;
    bool beginSnapshot() override;
    void endSnapshot() override;
    void interrupt() override;

    bool markRecordSeen(const QByteArray &contentHash, bool *isNew) override;
    bool writeRequest(const RequestRecord &request) override;
    bool writeCampaign(const CampaignRecord &campaign) override;
    bool writeDecision(const RepoDecision &decision) override;
    bool writeIdentity(const IdentityRecord &identity) override;
    bool writePolicy(const PolicyRecord &policy) override;
    bool writeTemplate(const TemplateRecord &taskTemplate) override;
    bool writeTask(const TaskRecord &task) override;
    bool writeSession(const SessionRecord &session) override;
    bool writeCommand(const CommandRecord &command) override;
    bool writeTest(const TestResult &test) override;
    bool writeFileChange(const FileChange &change) override;
    bool writeContact(const ExternalContact &contact) override;
    bool writeFailure(const FailureRecord &failure) override;
    bool writePullRequest(const PullRequestRecord &pr) override;
    bool writeReview(const ReviewRecord &review) override;
    bool writeCheckRun(const CheckRunRecord &checkRun) override;
    bool writeCheckSuite(const CheckSuiteRecord &checkSuite) override;
    bool writeTranscript(const TranscriptRecord &transcript) override;
    bool writeTranscriptEntry(const TranscriptEntry &entry) override;
    std::optional<int> commandSeqForCall(const QString &taskId, const QString &callId) override;
    std::optional<qint64> commandKey(const QString &taskId, int seq) override;
    bool planCommandKeys(const QList<std::pair<QString, int>> &commands) override;
    // One writer at a time holds the file's write lock.
    bool writesBatchesInKeyOrder() const override { return true; }
    bool appendLogLine(qint64 commandKey, const LogLine &line, bool *inserted) override;
    bool appendRedactedLogLine(qint64 commandKey, RedactedLogLine &line, bool *inserted) override;
    bool linkPullRequests() override;
    bool linkPullRequests(const PullRequestLinkScope &scope) override;
    bool writeAuditEvent(const AuditEvent &event, bool *inserted) override;
    bool linkAuditEvents(QStringList *relinkedTasks) override;
    std::optional<IngestedFile> findIngestedFile(qint64 size, const QByteArray &headHash,
                                                 const QByteArray &sha256) override;
    bool recordIngestedFile(const IngestedFile &file) override;

    std::optional<TaskChain> taskChain(const QString &taskId) override;
    std::optional<TaskChain> taskChainOutline(const QString &taskId) override;
    using TaskQueries::taskChainOutlines;
    QList<std::optional<TaskChain>> taskChainOutlines(const QStringList &taskIds,
                                                      OutlineScope scope,
                                                      bool *complete = nullptr) override;
    TranscriptOutline transcriptOutline(const QString &taskId, int step) override;
    QList<TranscriptRow> transcriptRows(const QString &taskId, const TranscriptPosition &from,
                                        int count) override;
    qint64 transcriptRowOf(const QString &taskId, const TranscriptPosition &position) override;
    std::optional<TranscriptPosition> findTranscriptRow(const QString &taskId,
                                                        const TranscriptPosition &from,
                                                        const QString &text,
                                                        bool backwards) override;
    std::optional<TranscriptPosition> transcriptCallOfCommand(const QString &taskId,
                                                              int commandSeq) override;
    QList<LogLine> logLines(qint64 commandKey, qint64 fromLine, int count) override;
    QList<AuditLink> auditEvents(const QString &taskId) override;
    QList<AuditEvent> unlinkedAuditEvents(int limit) override;
    std::optional<qint64> findLogLine(qint64 commandKey, qint64 fromLine, const QString &text,
                                      bool backwards) override;
    std::optional<qint64> findLogLineAny(qint64 commandKey, qint64 fromLine,
                                         const QStringList &fragments, bool backwards) override;
    QList<SearchHit> search(const QString &query, int limit) override;
    std::optional<CampaignSummary> campaign(const QString &campaignId) override;
    QStringList campaignIds() override;
    QList<CampaignRecord> campaigns() override;
    StoreStats stats() override;
    QList<TaskRow> tasks(const TaskFilter &filter, int offset, int limit) override;
    qint64 taskCount(const TaskFilter &filter) override;
    QList<TaskRow> taskPage(const TaskFilter &filter, const TaskPageRequest &request) override;
    QList<TaskKey> taskAnchors(const TaskFilter &filter, const TaskPageRequest &walk, int step,
                               QList<qint64> *rowids = nullptr) override;
    QList<TaskRow> taskRowsOf(const QList<qint64> &rowids) override;
    qint64 taskRow(const TaskFilter &filter, const TaskSort &sort, const QString &taskId,
                   TaskKey *key) override;
    QStringList facetValues(TaskFacet facet) override;
    bool replaceFindings(const QString &taskId, const QList<Finding> &findings) override;
    QList<Finding> findings(const FindingFilter &filter) override;
    QList<KeyedFinding> findingPage(const FindingFilter &filter, const FindingSort &sort,
                                    const std::optional<FindingKey> &after) override;
    std::optional<Severity> worstFinding(const QString &taskId) override;
    int findingCount(const QString &taskId) override;
    QList<StoredFinding> storedFindings(const QString &taskId) override;
    std::optional<StoredFinding> storedFinding(qint64 id) override;
    QStringList uncheckedTaskIds(const QString &after, int limit) override;
    std::optional<QDateTime> checkedAt(const QString &taskId) override;
    QStringList findingFacetValues(FindingFacet facet) override;
    QStringList taskIdsUsing(const QString &templateOrPolicyId, const QString &version,
                             bool isTemplate, const QString &after, int limit) override;
    QStringList taskIds(int offset, int limit) override;
    QStringList taskIdsForPullRequest(const QString &repo, int number) override;
    QStringList taskIdsForSession(const QString &sessionId) override;
    bool writePolicyDocument(const PolicyDocument &doc, bool *changed) override;
    std::optional<PolicyDocument> policyDocument(PolicyDocument::Kind kind, const QString &id,
                                                 const QString &version) override;
    QList<PolicyDocument> policyDocuments(PolicyDocument::Kind kind) override;
    EvidenceReport verifyEvidence(const QByteArray &knownHeadHex) override;
    QByteArray evidenceHead() override;
    std::optional<EvidenceEntry> latestEvidence(const QString &kind, const QString &ref) override;
    QByteArray currentEvidenceState(const QString &kind, const QString &ref) override;
    std::optional<SecretScanReport> scanSecrets(bool apply) override;
    bool writeRepository(const KnownRepository &repository) override;
    QList<KnownRepository> repositories() override;
    std::optional<SyncCursor> syncCursor(const QString &source) override;
    bool writeSyncCursor(const SyncCursor &cursor) override;
    std::optional<IdentityRecord> identity(const QString &id) override;
    bool claimIdempotencyKey(const QString &key, QString *campaignId, bool *claimed) override;
    std::optional<QString> campaignForIdempotencyKey(const QString &key) override;
    bool writeQueueEntry(const QueueEntry &entry) override;
    std::optional<QueueEntry> queueEntry(const QString &taskId) override;
    QList<QueueEntry> queueEntries(const QString &campaignId, bool withFinal) override;
    bool appendLaunchEvent(const LaunchEvent &event) override;
    QList<LaunchEvent> launchEvents(const QString &taskId) override;
    bool writeLaunchAttempt(const LaunchAttempt &attempt) override;
    QList<LaunchAttempt> launchAttempts(const QString &taskId) override;
    std::optional<ReportAggregates> reportAggregates(const TaskFilter &filter) override;
    QList<ReportTaskRow> reportTasks(const TaskFilter &filter, int offset, int limit) override;
    // The Overview tab's counts (sqliteoverview.cpp / pgoverview.cpp).
    std::optional<OverviewData> overview(const OverviewRange &range) override;
    QList<Finding> findingsOfTasks(const QStringList &taskIds) override;
    // Findings triage (sqlitetriage.cpp).
    bool triageFindings(const QList<qint64> &findingIds, const FindingTriage &triage) override;
    QList<FindingTriage> triageHistory(qint64 findingId) override;

    // Turns what a person typed (searchTerms(): words, phrases, prefixes) into an FTS5 query;
    // nothing typed becomes an FTS5 operator.
    static QString ftsQuery(const QString &userText);
    static constexpr int lineBits = logLineBits; // records/logline.h

private:
    friend class EvidenceLedger;    // sqliteevidence*.cpp: reads and appends with our statements
    friend struct SearchIndexCheck; // sqlitesearchverify.cpp
    friend class SqliteSecretScan;  // sqlitesecretscan.cpp: rewrites what it redacts, with evidence
    SqliteStatement &statement(const char *sql);
    // A statement whose text is built per call (a filter's terms): prepared once per distinct
    // text. Reset it after use, as the literal ones.
    SqliteStatement &statement(const QByteArray &sql);
    bool run(SqliteStatement &stmt);
    bool execScript(const char *sql);
    bool openReadOnly(const QString &absolutePath, bool following);
    bool refuseNewer(int version);
    bool upgrade(int version);
    void tuneLogIndex();
    bool fail(const QString &what);
    // One linking statement; each row it links is touched with the rule that linked it.
    bool runLinking(SqliteStatement &stmt, const char *kind, const char *rule);
    bool indexRecordText(const QString &kind, const QString &ref, const QString &taskId,
                         const QString &text);
    qint64 count(const char *sql);
    // FTS5's `detail` of a full-text table of this file, as its CREATE statement gives it:
    // "full" (FTS5's default), "column" or "none". Only "full" keeps positions, which phrase
    // queries need; log_fts is made with "none" (sqliteschema.cpp), files made before keep
    // "full".
    QByteArray ftsDetail(const char *table);
    // `match` is ftsQuery() of `terms`, for an index with positions.
    QList<SearchHit> searchLogs(const QList<SearchTerm> &terms, const QString &match, int limit);
    QList<SearchHit> searchRecords(const QString &match, int limit);
    std::optional<RequestRecord> request(const QString &id);
    void loadTaskDetails(TaskChain &chain, bool sessionTexts);
    void loadPullRequest(TaskChain &chain);
    void loadTranscript(TaskChain &chain, bool entries);
    std::optional<TaskChain> readTaskChain(const QString &taskId, bool transcriptEntries);
    std::optional<TranscriptEntry> transcriptCall(const TranscriptEntry &result);
    std::optional<TranscriptPosition> resultOfCall(const QString &taskId,
                                                   const TranscriptPosition &call);
    // verify's checks of derived data: each recomputes it and reports where it differs.
    bool recomputeAuditLinks();
    bool insertAuditLinks(const char *rangeSql, const char *restSql);
    void verifyAuditLinks(EvidenceReport &report);
    void verifySearchIndex(EvidenceReport &report);
    void verifyStoredChecks(EvidenceReport &report);

    sqlite3 *m_db = nullptr;
    QString m_path;
    QString m_error;
    // Keyed by the address of the SQL literal: each call site has its own statement.
    std::unordered_map<const char *, std::unique_ptr<SqliteStatement>> m_statements;
    std::unordered_map<QByteArray, std::unique_ptr<SqliteStatement>> m_builtStatements;
    std::unique_ptr<EvidenceLedger> m_evidence; // what the open batch touched
    // planCommandKeys(): the keys of the commands named, and the next key for one not named
    // (0: no plan, SQLite gives the next key).
    QHash<std::pair<QString, int>, qint64> m_plannedCommandKeys;
    qint64 m_nextCommandKey = 0;
    qint64 newCommandKey(const QString &taskId, int seq);
    std::unique_ptr<LogRedaction> m_logRedaction;
    std::unique_ptr<WalCheckpointer> m_checkpointer; // a writer's, on a file
    bool m_logIndexTuned = false; // tuneLogIndex() ran in this connection's first batch
    bool m_bulkLoad = false;      // beginBulkLoad() dropped the runs table's indexes
    QByteArray m_logFtsDetail;    // ftsDetail("log_fts"), read once per connection
    std::unique_ptr<SearchTokens> m_searchTokens; // checks phrases on log text (searchLogs)
    qint64 m_redactions = 0;
};

} // namespace Tasktrail
