#pragma once

// `tasktrail-cli scan` on any store: every stored text read through the redaction step again,
// for what older versions stored before the step knew a kind of secret; what it finds is
// rewritten in one batch that the evidence chain explains (docs/data-model.md, "Redaction").
// SecretScanner decides what to redact and which evidence explains it; a backend
// (sqlitesecretscan.cpp, pgsecretscan.cpp) reads the rows and writes the changes.
#include "records/secretscan.h"
#include "secretscancolumns.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace Tasktrail {

class SecretScanner
{
public:
    virtual ~SecretScanner();
    SecretScanner(const SecretScanner &) = delete;
    SecretScanner &operator=(const SecretScanner &) = delete;

    // The report, or nothing when reading or writing failed (the store's errorString() says
    // why; nothing was changed).
    std::optional<SecretScanReport> run();

protected:
    explicit SecretScanner(bool apply);

    // One row as a backend read it: where it is (`rowId`, or the text `rowKey`), how a report
    // names it, the evidence record it is part of, and the values of the table's text, json
    // and key columns in that order (a null QByteArray: SQL NULL).
    struct StoredRow
    {
        qint64 rowId = 0;
        QString rowKey;
        bool rowKeyIsText = false;
        QString rowName;
        QString evidenceKind;
        QString evidenceRef;
        QList<QByteArray> values;
    };
    // One log line: its id (command key and line number) and its texts (`ansi` null: none).
    struct StoredLine
    {
        qint64 id = 0;
        QByteArray text;
        QByteArray ansi;
    };
    // One value the scan rewrites.
    struct Change
    {
        const ScannedTable *table = nullptr;
        const char *column = nullptr;
        qint64 rowId = 0;
        QString rowKey;
        bool rowKeyIsText = false;
        QString rowName;
        QString evidenceKind; // empty: not in the evidence chain; after carriedRecords():
                              // audit_events for an event that shares an entry
        QString evidenceRef;  // after carriedRecords(): every ref, one per line
        QByteArray before;
        QByteArray after;
        QList<std::pair<QString, int>> kinds;
    };
    // Whether a record matched its latest evidence entry before the scan.
    enum class RecordState
    {
        NoEntry,
        Intact,
        Edited
    };
    // The same from either store's evidence ledger (currentState() and latest()).
    template<typename Ledger>
    static RecordState stateIn(Ledger &ledger, const QString &kind, const QString &ref)
    {
        QString error;
        const auto state = ledger.currentState(kind, ref, &error);
        const auto entry = ledger.latest(kind, ref);
        if (!entry)
            return RecordState::NoEntry;
        return state && state->hash == entry->stateHash ? RecordState::Intact : RecordState::Edited;
    }

    // What the backend does. A failing call sets the store's error and returns false.
    virtual const std::vector<ScannedTable> &tables() = 0;
    virtual bool begin() = 0; // a batch when applying, a read-only transaction otherwise
    virtual bool commit() = 0;
    virtual void rollback() = 0;
    virtual qint64 evidenceEntries() = 0;
    virtual bool readRows(const ScannedTable &table,
                          const std::function<void(const StoredRow &)> &onRow) = 0;
    // Every log line in id order.
    virtual bool readLogLines(const std::function<void(const StoredLine &)> &onLine) = 0;
    // The ref of every evidence entry of a kind (`log`, `audit_events`), each once; false on
    // a database error (the store says which).
    virtual bool readEntryRefs(const char *kind,
                               const std::function<void(const QString &)> &onRef) = 0;
    virtual RecordState recordState(const QString &kind, const QString &ref) = 0;
    virtual bool rewrite(const Change &change) = 0;
    virtual bool finishRewrites() { return true; }
    // Inserts one `redaction` row; its id.
    virtual std::optional<qint64> insertRedaction(const QDateTime &at, const Change &change,
                                                  const QString &kind, int count) = 0;
    // `kind` is one of evidenceParts' literals.
    virtual void touchEvidence(const char *kind, const QString &ref, const QByteArray &what) = 0;
    // After the commit: frees the space the old text held; a note for the report when it cannot.
    virtual QString compact() = 0;

    bool applying() const { return m_apply; }

private:
    // An evidence record (kind, ref) and the ids of the redaction rows that explain it.
    using Records = std::map<std::pair<QString, QString>, QStringList>;

    void scanRow(const ScannedTable &table, const StoredRow &stored);
    void scanLine(const ScannedTable &table, const StoredLine &stored);
    void redactValue(const Change &row, const char *column, const QByteArray &value, bool json);
    void checkKeys(const ScannedTable &table, const QString &rowName, const QStringList &keys);
    void addChange(Change change);
    std::optional<Records> carriedRecords();
    bool applyChanges();
    bool recordRedactions(Records &groups);

    bool m_apply;
    SecretScanReport m_report;
    QList<Change> m_changes;
    // The streams of the command whose lines are being read: a private key block spans lines.
    struct LineStreams;
    std::unique_ptr<LineStreams> m_lines;
};

} // namespace Tasktrail
