#pragma once

#include "policyfile.h"
#include "tomlreader.h"

#include <QDateTime>
#include <QStringList>

#include <optional>

namespace Tasktrail {

// What a list of glob patterns matches, which decides the extra checks on each pattern.
enum class PatternKind
{
    Text,        // commands, test names, people
    TemplateRef, // a template id or id@version
    Path,        // repository-relative file paths: no leading '/'
    Repository,  // owner/name
    Host,        // a host name, not a URL
};

// Reads typed fields out of a parsed TOML document for parseTemplate() and parsePolicy(),
// recording every problem (wrong type, unknown key, bad pattern, negative limit) as a
// PolicyFileError with the value's line and dotted field name. `prefix` is the table's
// field path ("stop", "freeze[2]"), empty for the document's root.
class SpecReader final
{
public:
    SpecReader(const QString &file, QList<PolicyFileError> *errors);

    int errorCount() const { return int(m_errors->size()) - m_start; }
    void error(int line, const QString &field, const QString &message);

    // Reports every key of `table` that is not in `known`, suggesting a close known one.
    // At the root, the keys are tables and the messages say so.
    void checkKeys(const TomlValue &table, const QString &prefix, const QStringList &known);

    // A [table]; nullptr when absent (reported when required) or not a table.
    const TomlValue *table(const TomlValue &root, const QString &name, bool required);
    // The tables of [[name]]; empty when absent or not an array of tables.
    QList<const TomlValue *> tables(const TomlValue &root, const QString &name);

    QString string(const TomlValue &table, const QString &prefix, const QString &key,
                   bool required = false);
    // An identifier such as a template id or version: letters, digits, '.', '_', '-'. The
    // version may be written as an integer.
    QString identifier(const TomlValue &table, const QString &prefix, const QString &key,
                       bool integerAllowed);
    QStringList strings(const TomlValue &table, const QString &prefix, const QString &key);
    QStringList patterns(const TomlValue &table, const QString &prefix, const QString &key,
                         PatternKind kind);
    std::optional<bool> boolean(const TomlValue &table, const QString &prefix, const QString &key);
    // A count or limit: 0 or more; -1 when absent.
    int limit(const TomlValue &table, const QString &prefix, const QString &key);
    // A duration string ("30m") in milliseconds; -1 when absent.
    qint64 duration(const TomlValue &table, const QString &prefix, const QString &key);
    QDateTime dateTime(const TomlValue &table, const QString &prefix, const QString &key,
                       bool required);

    // The value of `key` when it has the type, else nullptr (reported when present).
    const TomlEntry *typed(const TomlValue &table, const QString &prefix, const QString &key,
                           TomlValue::Type type);

    static QString field(const QString &prefix, const QString &key);
    // The closest of `candidates` to `word` when it is close enough to be a typo.
    static QString closest(const QString &word, const QStringList &candidates);

private:
    void missing(const TomlValue &table, const QString &prefix, const QString &key);
    QString patternError(const QString &pattern, PatternKind kind) const;

    QString m_file;
    QList<PolicyFileError> *m_errors;
    int m_start = 0;
};

} // namespace Tasktrail
