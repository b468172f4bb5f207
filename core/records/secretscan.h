#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Tasktrail {

// Secrets of one kind found in one column of one stored row by a scan of the database.
struct SecretFound
{
    QString table;
    QString row; // as a person names it ("T-1", "acme/web#42", "log 3:12"), redacted itself
    QString column;
    QString kind; // the redaction rule's
    int count = 0;
    bool redacted = false; // false in a dry run, and in a key column, which is never changed
};

// What RecordStore::scanSecrets() found and did.
struct SecretScanReport
{
    bool applied = false;
    qint64 rowsScanned = 0;
    QList<SecretFound> found;
    // Records whose evidence was not carried forward (edited after ingest before the scan),
    // and secrets left in key columns.
    QStringList notes;
    qint64 firstEntry = 0; // the evidence entries appended, seq first..last; 0 when none
    qint64 lastEntry = 0;

    int secrets(bool redactedOnly = false) const
    {
        int n = 0;
        for (const SecretFound &f : found)
            n += (!redactedOnly || f.redacted) ? f.count : 0;
        return n;
    }
};

} // namespace Tasktrail
