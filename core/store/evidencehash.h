#pragma once

#include "records/logline.h"
#include "text/sha256.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace Tasktrail {

class SqliteStatement;

// The canonical serialization of stored rows that the evidence chain hashes. Every value is
// tagged with its SQLite type, so NULL, '' and 0 differ, as do 5 and '5'; text and blobs are
// length-prefixed and numbers big-endian, so no two row sets serialize alike.
//
// Rows are collected as bytes and hashed at the end: most row sets (a task, a command's
// lines in one batch) are small, and hashing them in one go with a shared context saves a
// context per set. Past a block, a set gets a context of its own and is hashed as it grows.
class RowHasher final
{
public:
    // Starts a row of `columns` values from the table or part named `label`.
    void beginRow(const char *label, int columns);
    void addNull();
    void addInteger(qint64 value);
    void addReal(double value);
    void addText(const char *data, qsizetype size);
    void addBlob(const char *data, qsizetype size);
    // Every column of the statement's current row.
    void addRow(const char *label, const SqliteStatement &row);

    qint64 rows() const { return m_rows; }
    // The digest of all rows; `scratch` hashes a set that stayed small. Call it once.
    QByteArray finish(Sha256 &scratch);

private:
    // The bytes not hashed yet; spill() hashes them once they are a block.
    std::string &pending();
    void spill();
    void add(const char *data, size_t size);
    void addTagged(char tag, const char *data, size_t size);

    std::string m_pending;
    std::unique_ptr<Sha256> m_large;
    qint64 m_rows = 0;
};

// Records of a batch that share evidence entries: audit events (`audit_events`, a ref of
// their ids as a compact JSON array, Evidence::groupRef) and runs of log lines (`log`, a ref
// of their ranges joined by ',', Evidence::logRef). An entry takes up to maxRecords records
// and, past its first, a ref of at most maxRefBytes: PostgreSQL's index on (kind, ref, seq)
// takes 2.7 KB, and verify reads an entry back in one round of at most maxRecords statements.
// Its content and state are Evidence::combined() of its records' own, in the ref's order;
// an entry of one record has that record's own.
class SharedEntries final
{
public:
    static constexpr int maxRecords = 64;
    static constexpr qsizetype maxRefBytes = 2000;
    struct Entry
    {
        QByteArray ref;
        QByteArray content;
        QByteArray state;
    };
    using Visit = std::function<bool(const Entry &entry)>;

    // `open` and `close` go around the pieces of an entry's ref: "[" and "]" for a JSON array.
    SharedEntries(QByteArrayView open, QByteArrayView close)
        : m_open(open.toByteArray())
        , m_close(close.toByteArray())
    {}
    // A record with its piece of the ref; an entry that cannot take it goes to `visit` first.
    // False when `visit` refused an entry.
    bool add(const QByteArray &piece, const QByteArray &content, const QByteArray &state,
             const Visit &visit);
    // The last entry, if any; false when `visit` refused it.
    bool finish(const Visit &visit);

private:
    QByteArray m_open;
    QByteArray m_close;
    QByteArray m_pieces; // joined by ','
    QList<QByteArray> m_contents;
    QList<QByteArray> m_states;
};

// The log lines a batch appended, as runs of consecutive lines of one command: each run's
// state is the digest of its rows as its range (Evidence::logRef) reads them back (RowHasher's
// serialization), and runs share `log` entries (finishEntries, SharedEntries). The rows'
// bytes go to one buffer that is kept batch after batch, so lines cost no allocation of their
// own (a new run costs a little); past flushBytes every run's bytes so far are hashed and the
// buffer starts again, so memory stays bounded whatever the batch.
class LogRunHasher final
{
public:
    static constexpr std::size_t flushBytes = 16 * 1024 * 1024;

    // A line appended to the command with `commandKey` (its id packed as logLineId() does),
    // with the values as stored: a timestamp of 0 and a null ANSI text are NULL. `recordHash`:
    // the digest of the input record the line came from, if any.
    void add(qint64 commandKey, const LogLine &stored, const QByteArray &recordHash);
    bool isEmpty() const { return m_runs.empty(); }

    struct Run
    {
        qint64 commandKey = 0;
        qint64 firstLine = 0;
        qint64 lastLine = 0;
        QByteArray content; // the combined record digests; the state when there are none
        QByteArray state;
    };
    // Every run by command key and first line; stops at the first false. Then clear().
    bool finish(Sha256 &scratch, const std::function<bool(const Run &run)> &visit);

    // The runs of finish(), in its order, as `log` entries (SharedEntries); stops at the first
    // false.
    bool finishEntries(Sha256 &scratch, const SharedEntries::Visit &visit);
    void clear();
    // How often the buffer was hashed and emptied mid-batch (for tests).
    qsizetype flushes() const { return m_flushes; }

private:
    static constexpr std::size_t keptSegments = 1 << 16;

    struct Segment
    {
        std::size_t offset = 0;
        std::size_t size = 0;
        qsizetype next = -1;
    };
    struct Pending
    {
        qint64 commandKey = 0;
        qint64 firstLine = 0;
        qint64 lastLine = 0;
        qsizetype previousOfCommand = -1; // the run of the same command before this one
        qsizetype firstSegment = -1;
        qsizetype lastSegment = -1;
        std::unique_ptr<Sha256> hash; // the bytes hashed at a flush
        QList<QByteArray> recordHashes;
    };
    qsizetype runFor(qint64 commandKey, qint64 lineNo);
    void addSegment(Pending &run, std::size_t start);
    void hashSegments(Pending &run, Sha256 &hash);
    void flush();

    std::string m_bytes;
    std::vector<Segment> m_segments;
    std::vector<Pending> m_runs;
    QHash<qint64, qsizetype> m_lastRunOf; // command key: its latest run
    qsizetype m_current = -1;
    qsizetype m_flushes = 0;
};

namespace Evidence {

constexpr int hashSize = Sha256::digestSize;

// SHA-256 over the content hashes in order; a single hash stands for itself.
QByteArray combined(const QList<QByteArray> &hashes);
// Adds a write's content hash to a record's: `recordHash`, the input record's, or without
// one the digest of what the write stored; the same hash twice in a row counts once (a task
// record writes its sessions, commands, ... too).
void addContentHash(QList<QByteArray> &hashes, const QByteArray &recordHash,
                    const QByteArray &written);

// The chain hash before the first entry: 32 zero bytes.
QByteArray genesis();
// SHA-256(previous || seq || kind || ref || contentHash || stateHash), with seq as 8 bytes
// big-endian and kind and ref length-prefixed.
// kind and ref in UTF-8.
QByteArray chainHash(const QByteArray &previous, qint64 seq, QByteArrayView kind,
                     QByteArrayView ref, const QByteArray &contentHash,
                     const QByteArray &stateHash);

// A two-part record key as one ref: "<first><sep><second>", '%' and `sep` in the first part
// escaped as %25 and %XX so that the ref splits back at the first `sep` whatever the ids hold
// ("C-7/acme/web", "acme/web#42", "P-deps@3"). The SQL of the unlisted-rows checks builds the
// same string with replace().
QString joinRef(const QString &first, char16_t sep, const QString &second);
std::optional<std::pair<QString, QString>> splitRef(const QString &ref, char16_t sep);

// What pull-request linking wrote for a row it linked: the rule that matched ("head_ref", ...),
// the row and the number it got. The same whichever statement found the row (every task's, or
// one run's), so a run that links everything after a stopped one writes what one run would have.
QByteArray linkContent(const char *rule, const QByteArray &row, const QByteArray &number);

// A range of one command's log lines: "<command key>:<first>-<last>". parseLogRef() accepts
// only ranges whose ends are log line ids (records/logline.h).
QByteArray logRef(qint64 commandKey, qint64 firstLine, qint64 lastLine);
struct LogRange
{
    qint64 commandKey = 0;
    qint64 firstLine = 0;
    qint64 lastLine = 0;
};
std::optional<LogRange> parseLogRef(const QString &ref);
// The ranges of a `log` entry's ref: one, or up to SharedEntries::maxRecords joined by ','
// (LogRunHasher::finishEntries); nullopt when any of them does not parse, or for more.
std::optional<QList<LogRange>> parseLogRefs(const QString &ref);
// The ref of an `audit_events` entry: the ids as a compact JSON array (SharedEntries), each
// a JSON string of jsonString(); parseGroupRef() accepts a non-empty array of at most
// SharedEntries::maxRecords strings.
QByteArray jsonString(const QString &text);
QByteArray groupRef(const QStringList &ids);
std::optional<QStringList> parseGroupRef(const QString &ref);

// How verify names the lines of a `log` entry whose first range is of command `commandSeq` of
// task `taskId`: " (task T-1 command 2)", or " (64 runs of lines, the first task T-1 command 2)".
QString describeLogRuns(qsizetype runs, const QString &taskId, qint64 commandSeq);

} // namespace Evidence
} // namespace Tasktrail
