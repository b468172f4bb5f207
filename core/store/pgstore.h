#pragma once

#include "pgconnection.h"
#include "recordstore.h"

#include <memory>
#include <unordered_map>

namespace Tasktrail {

class LogRedaction;
class PgEvidenceLedger;
class SearchTokens;

// The team database: the same roles as SqliteStore on PostgreSQL 15+ (docs/team-database.md).
//
// It talks to libpq directly rather than through Qt Sql's QPSQL driver: log lines go in with
// COPY, which QPSQL cannot send. tests/benchmarks/bench_pgingest.cpp measured COPY as the
// fastest way in: 8 to 40 times QPSQL's execBatch() and libpq's INSERT row by row (both wait
// for each row's answer), 1.1 to 1.2 times libpq's pipelined INSERTs (README.md,
// "Benchmark"). Every other statement is sent with bound values.
//
// The schema is created and upgraded by ordered migrations (pgschema.h).
class PgStore final : public RecordStore
{
public:
    PgStore();
    ~PgStore() override;

    bool open(const QString &location, StoreAccess access = StoreAccess::ReadWrite);
    // The schema version the database had before open() upgraded it (0: a new database).
    int openedAtVersion() const { return m_openedAt; }
    // The role the connection is logged in as.
    QString role() const { return m_db.user(); }

    QString location() const override { return m_location; }
    QString errorString() const override { return m_error; }
    qint64 redactions() const override { return m_redactions; }
    StoreCapabilities capabilities() override;

    bool beginBatch() override;
    bool commitBatch() override;
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
    // Several ingests may write at once: batches are written in their input's order, and new
    // commands get their keys from the key's sequence in that order; there is nothing to plan.
    bool planCommandKeys(const QList<std::pair<QString, int>> &) override { return true; }
    bool writesBatchesInKeyOrder() const override { return false; }
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
                               QList<qint64> *rowids) override;
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
    bool lockChecks() override;
    void unlockChecks() override;
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
    // Findings triage (pgtriage.cpp).
    bool triageFindings(const QList<qint64> &findingIds, const FindingTriage &triage) override;
    QList<FindingTriage> triageHistory(qint64 findingId) override;

private:
    friend class PgEvidenceLedger;
    friend class PgSecretScan; // pgsecretscan.cpp: rewrites what it redacts, with evidence
    bool migrate(StoreAccess access);
    bool fail(const QString &what);
    bool inBatch() const { return m_inBatch; }
    PgResult run(const char *sql, const PgParams &params);
    // run() through a prepared statement (PgConnection::queryPrepared()): for the statements
    // run once per record or line, keyed lookups and single-row writes.
    PgResult runPrepared(const char *sql, const PgParams &params);
    // A statement whose rows nobody reads. Inside a batch it is sent without waiting for its
    // answer (PgConnection::send()); a failure then fails the next statement that waits for
    // one and every one after it, the commit included, and the batch is rolled back as before.
    bool exec(const char *sql, const PgParams &params);
    // exec() of a record's write, run once per record: inside a batch, prepared once per
    // connection (PgConnection::Plan::Prepared).
    bool write(const char *sql, const PgParams &params);
    // exec() and write(): sent as `plan` says inside a batch, run and answered outside one.
    bool statement(const char *sql, const PgParams &params, PgConnection::Plan plan);
    bool indexRecordText(const QString &kind, const QString &ref, const QString &taskId,
                         const QString &text);
    std::optional<bool> logLineKnown(qint64 commandKey, qint64 lineNo, qint64 id);
    bool flushLogLines();

    PgConnection m_db;
    QString m_location;
    QString m_error;
    int m_openedAt = 0;
    bool m_inBatch = false;
    std::unique_ptr<PgEvidenceLedger> m_evidence;
    std::unique_ptr<LogRedaction> m_logRedaction;
    qint64 m_redactions = 0;
    // Log lines of the open batch, in COPY's text format, sent at the latest on commit.
    QByteArray m_pendingLines;
    qint64 m_pendingCount = 0;
    bool m_stagingReady = false;
    // Per command key: the highest line number stored before this batch, and the lines the
    // batch appended, so that a line read twice is not appended twice.
    std::unordered_map<qint64, qint64> m_storedMaxLine;

    // The chain of one task, its logs, transcript entries and audit events (pgchain.cpp,
    // pgtranscript.cpp, pgaudit.cpp).
    std::optional<TaskChain> readTaskChain(const QString &taskId, bool conversation);
    std::optional<RequestRecord> requestById(const QString &id); // campaigns use it too
    void loadChainDetails(TaskChain &chain, bool sessionTexts);
    void loadChainTranscript(TaskChain &chain, bool entries);
    void loadChainPullRequest(TaskChain &chain);
    std::optional<TranscriptEntry> transcriptCall(const TranscriptEntry &result);
    std::optional<TranscriptPosition> resultOfCall(const QString &taskId,
                                                   const TranscriptPosition &call);
    bool linkAuditEventsInTransaction(QStringList *relinkedTasks);
    static QStringList ids(const PgResult &r);
    // Search (pgsearch.cpp): the search columns hold the words SQLite's index would hold.
    const SearchTokens &searchTokens();
    QList<SearchHit> searchRecords(const QByteArray &tsquery, int limit);
    QList<SearchHit> searchLogs(const QByteArray &tsquery, int limit);
    // verify's check of record_text and of the search columns (pgsearchverify.cpp).
    void verifySearchText(EvidenceReport &report);
    void verifySearchColumn(EvidenceReport &report, bool logs);
    std::unique_ptr<SearchTokens> m_searchTokens;

    // verify's check of the audit links (pgauditverify.cpp).
    void verifyAuditLinks(EvidenceReport &report);
};

} // namespace Tasktrail
