#pragma once

#include <QMetaType>
#include <QString>

namespace Tasktrail {

// Something an importer noticed about its input, reported as data (file, line, reason).
// Errors reject a line or record; warnings keep it (e.g. invalid UTF-8 replaced).
struct IngestIssue
{
    enum class Severity
    {
        Warning,
        Error
    };
    Severity severity = Severity::Error;
    QString file;
    qint64 line = 0; // from 1; 0 when the issue concerns the whole file
    QString reason;

    QString toString() const; // "file:line: reason" (with "warning: " for warnings)
};

struct IngestCounts
{
    qint64 ingested = 0;   // records and log lines stored or updated
    qint64 duplicates = 0; // records and log lines that were stored before
    qint64 rejected = 0;   // malformed lines and records
    qint64 redactions = 0; // secrets replaced before storing
    qint64 warnings = 0;
    qint64 files = 0;

    IngestCounts &operator+=(const IngestCounts &other);
};

} // namespace Tasktrail

Q_DECLARE_METATYPE(Tasktrail::IngestIssue)
