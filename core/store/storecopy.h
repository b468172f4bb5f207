#pragma once

#include <QByteArrayList>
#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

namespace Tasktrail {

class PgConnection;

// Every table of the team database's current schema: those a copy fills and those it leaves
// (StoreCopy refuses a target with any other). What `admin init-roles` grants on.
QByteArrayList teamDatabaseTables();

// How far a copy is: the table being copied, its rows copied and in all, and the rows of every
// table copied and in all (a resumed copy starts with what the earlier one committed).
struct StoreCopyProgress
{
    QString table;
    qint64 tableDone = 0;
    qint64 tableRows = 0;
    qint64 done = 0;
    qint64 total = 0;
};

// Moves an SQLite file into an empty team database on PostgreSQL (docs/team-database.md,
// "Moving to the team database"): table by table, every row as stored, the evidence chain
// included, so the target has the same chain head and `verify` passes on both ends. Copying
// rows rather than ingesting the records again is what keeps each entry's state hash: the
// rows are the ones the chain was computed over.
//
// Each table's rows go in with COPY in batches, each batch one transaction with the count of
// the table's rows copied so far (tables copy_source and copy_progress of the target). A copy
// that is killed or cancelled leaves whole batches, and the next copy from the same file goes
// on after the last one; it refuses to when the file's chain head changed in between, and it
// refuses a target that holds anything it did not copy itself. The source is only read (one
// read transaction, so every table is of the same moment); the target's schema is brought up
// to date first.
//
// Runs on the thread that calls run(); cancel() is thread-safe.
class StoreCopy final
{
public:
    using Progress = std::function<void(const StoreCopyProgress &)>;

    StoreCopy();
    ~StoreCopy();
    StoreCopy(const StoreCopy &) = delete;
    StoreCopy &operator=(const StoreCopy &) = delete;

    void setProgressCallback(Progress progress) { m_progress = std::move(progress); }
    // Rows per batch (one transaction each); at least 1.
    void setBatchRows(int rows) { m_batchRows = qMax(1, rows); }

    bool run(const QString &sqliteFile, const QString &pgLocation);
    void cancel();

    bool wasCancelled() const { return m_cancelled.load(); }
    bool resumed() const { return m_resumed; }
    // The chain head both databases have after a successful copy (hex; empty for no chain).
    QByteArray head() const { return m_head; }
    qint64 rowsCopied() const { return m_rowsCopied; }
    QString errorString() const { return m_error; }

private:
    struct Source;
    bool fail(const QString &error);
    bool prepareTarget(const QString &sqliteFile, const QString &pgLocation);
    bool claimTarget(const QString &sqliteFile);
    bool copyTable(const QString &table, StoreCopyProgress &progress);
    bool sendBatch(const QString &table, const QByteArray &columns, const QByteArray &rows,
                   qint64 done);
    bool finish();

    Progress m_progress;
    int m_batchRows = 5000;
    std::atomic<bool> m_cancelled = false;
    std::unique_ptr<Source> m_source;
    std::unique_ptr<PgConnection> m_target;
    std::atomic<PgConnection *> m_cancelTarget = nullptr;
    bool m_resumed = false;
    QByteArray m_head;
    qint64 m_rowsCopied = 0;
    QString m_error;
};

// A copy on a thread of its own, for a caller with an event loop (the CLI's `copy`, the app):
// progress() and finished() arrive on the job's thread.
class StoreCopyJob final : public QObject
{
    Q_OBJECT
public:
    explicit StoreCopyJob(QObject *parent = nullptr);
    // Cancels a running copy and waits for it to stop.
    ~StoreCopyJob() override;

    void setBatchRows(int rows) { m_copy.setBatchRows(rows); }
    // False, and nothing started, while a copy runs.
    bool start(const QString &sqliteFile, const QString &pgLocation);
    void cancel() { m_copy.cancel(); } // thread-safe
    bool isRunning() const { return m_thread != nullptr; }
    const StoreCopy &copy() const { return m_copy; }

Q_SIGNALS:
    void progress(const Tasktrail::StoreCopyProgress &progress);
    // error is empty on success; "cancelled" after a cancel.
    void finished(const QString &error);

private:
    StoreCopy m_copy;
    std::unique_ptr<QThread> m_thread;
};

} // namespace Tasktrail

Q_DECLARE_METATYPE(Tasktrail::StoreCopyProgress)
