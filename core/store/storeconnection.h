#pragma once

#include "storecapabilities.h"

#include <QString>

namespace Tasktrail {

// One connection to a database, shared by every role interface a store serves (IngestWriter,
// TaskQueries, FindingStore, PolicyDocuments, EvidenceChain, LaunchStore, ReportQueries).
// A connection is used by one thread at a time: the one that opened it, or one it was handed
// to whole; a worker thread opens its own on the same location. Only interrupt() may be called
// from another thread.
class StoreConnection
{
public:
    virtual ~StoreConnection();

    virtual QString location() const = 0;
    virtual QString errorString() const = 0;
    // Every text a write is given passes the one redaction step (text/redactor.h) before it
    // is stored, ids and log lines included: how many secrets that replaced since the
    // connection was opened.
    virtual qint64 redactions() const = 0;
    // Who the connection is and what it may change, asked of the database (a query: call it on
    // the connection's own thread, never the GUI's).
    virtual StoreCapabilities capabilities() = 0;

    // A batch is one transaction: after a crash the database holds exactly the batches that
    // committed, and a reader on another connection never sees half of one.
    virtual bool beginBatch() = 0;
    virtual bool commitBatch() = 0;
    virtual void rollbackBatch() = 0;

    // A read of several statements that sees one committed state of the database: what other
    // connections commit in between shows only after endSnapshot(). Never inside a batch.
    virtual bool beginSnapshot() = 0;
    virtual void endSnapshot() = 0;

    // Thread-safe: makes the query running on this connection, if any, fail soon with an
    // "interrupted" error (a stale query of a view whose filter changed).
    virtual void interrupt() = 0;
};

} // namespace Tasktrail
