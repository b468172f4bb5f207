#pragma once

#include "store/evidencechain.h"
#include "store/findingstore.h"
#include "store/ingestwriter.h"
#include "store/launchstore.h"
#include "store/overviewqueries.h"
#include "store/policydocuments.h"
#include "store/reportqueries.h"
#include "store/synccursors.h"
#include "store/taskqueries.h"

#include <QString>

#include <memory>

namespace Tasktrail {

// One connection serving every role of the database (docs/data-model.md, "The store and its
// roles"). Code that needs one role takes that role's interface: an importer an IngestWriter,
// the Findings view a FindingStore, the queue a LaunchStore. SQL and its dialect (full-text
// search, upserts, JSON) stay inside the implementations; the rest of Tasktrail only sees
// records.
class RecordStore : public IngestWriter,
                    public TaskQueries,
                    public FindingStore,
                    public PolicyDocuments,
                    public EvidenceChain,
                    public LaunchStore,
                    public ReportQueries,
                    public OverviewQueries,
                    public SyncCursors
{
public:
    ~RecordStore() override;
};

// How a store is opened. ReadOnly never writes the database (nor creates it): for what only
// reads, so a database on read-only media or in a directory one cannot write can be inspected.
// An SQLite file that no connection has open is then read as it is, and later commits of other
// connections are not seen. ReadFollowing is the same for a connection held open beside
// writers (a view): it sees every commit, and, like any reader of such a file, may create the
// write-ahead log's -wal and -shm files beside it when it can; where it cannot, it reads the
// file as it is, as ReadOnly does.
enum class StoreAccess
{
    ReadWrite,
    ReadOnly,
    ReadFollowing,
};

// For a program's main(), before any thread opens a store: turns off SQLite's memory
// statistics, which take a process-wide lock around every allocation SQLite makes (a few
// percent of the ingest's writer thread). Nothing in Tasktrail reads them. False when SQLite
// was already in use, which changes nothing else.
bool configureStoresForProcess();

// Opens the store at `location`: a file path (SQLite; created when missing, unless opened to
// read).
// Returns nullptr and sets *error when it cannot.
std::unique_ptr<RecordStore> openStore(const QString &location, QString *error,
                                       StoreAccess access = StoreAccess::ReadWrite);

// A second, read-only connection to the database `store` is connected to, for a worker thread
// that reads beside it (a check reading the next batches while `store` writes the findings of
// the last). An SQLite file needs its writer in write-ahead-log mode and gets a small page
// cache (readerPageCacheKiB). Returns nullptr and sets *error when it cannot: the caller then
// reads on `store` itself.
std::unique_ptr<RecordStore> openReader(const StoreConnection &store, QString *error);
constexpr int readerPageCacheKiB = 8192;

} // namespace Tasktrail
