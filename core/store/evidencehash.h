#pragma once

#include <QByteArray>
#include <QString>

#include <optional>
#include <string>
#include <utility>

struct evp_md_ctx_st;

namespace Tasktrail {

class SqliteStatement;

// The canonical serialization of stored rows that the evidence chain hashes. Every value is
// tagged with its SQLite type, so NULL, '' and 0 differ, as do 5 and '5'; text and blobs are
// length-prefixed and numbers big-endian, so no two row sets serialize alike.
//
// SHA-256 from OpenSSL's libcrypto rather than QCryptographicHash: every ingested log line
// goes through here, and on SHA-NI hardware OpenSSL hashes about ten times faster than Qt's
// portable code, which would otherwise be a fifth of the cost of ingesting a log.
class RowHasher final
{
public:
    RowHasher();
    ~RowHasher();
    RowHasher(const RowHasher &) = delete;
    RowHasher &operator=(const RowHasher &) = delete;

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
    // The digest of everything added; call it once, at the end.
    QByteArray finish();

private:
    void add(const char *data, qsizetype size);
    void addLength(qsizetype size);
    void flush();

    evp_md_ctx_st *m_context = nullptr;
    std::string m_pending; // small adds are hashed in blocks
    qint64 m_rows = 0;
};

namespace Evidence {

constexpr int hashSize = 32; // SHA-256

// The chain hash before the first entry: 32 zero bytes.
QByteArray genesis();
// SHA-256(previous || seq || kind || ref || contentHash || stateHash), with seq as 8 bytes
// big-endian and kind and ref length-prefixed.
QByteArray chainHash(const QByteArray &previous, qint64 seq, const QString &kind,
                     const QString &ref, const QByteArray &contentHash,
                     const QByteArray &stateHash);

// A two-part record key as one ref: "<first><sep><second>", '%' and `sep` in the first part
// escaped as %25 and %XX so that the ref splits back at the first `sep` whatever the ids hold
// ("C-7/acme/web", "acme/web#42", "P-deps@3"). The SQL of the unlisted-rows checks builds the
// same string with replace().
QString joinRef(const QString &first, char16_t sep, const QString &second);
std::optional<std::pair<QString, QString>> splitRef(const QString &ref, char16_t sep);

// A range of one command's log lines: "<command key>:<first>-<last>".
QString logRef(qint64 commandKey, qint64 firstLine, qint64 lastLine);
struct LogRange
{
    qint64 commandKey = 0;
    qint64 firstLine = 0;
    qint64 lastLine = 0;
};
std::optional<LogRange> parseLogRef(const QString &ref);

} // namespace Evidence
} // namespace Tasktrail
