#pragma once

#include "store/recordstore.h"

#include <QCommandLineParser>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <cstdio>
#include <limits>
#include <memory>
#include <optional>

// What every verb of tasktrail-cli shares: exit codes, output, option parsing, the database.
namespace Tasktrail::Cli {

enum ExitCode
{
    Ok = 0,
    Rejected = 1, // ingest: some input rejected; verify: problems found
    Fatal = 2
};

// Prints text after the redaction step (ingest/redactor.h).
void print(const QString &text, FILE *stream = stdout);
// Prints "tasktrail-cli: message" on stderr and returns Fatal.
int fail(const QString &message);
void printJson(const QJsonValue &value);
// $TASKTRAIL_DB, or tasktrail.db in the per-user data location.
QString defaultDatabase();

// Parses a verb's arguments; on a usage error prints it and returns false.
class VerbParser
{
public:
    VerbParser(const QString &verb, const QString &description, bool withFormat);
    QCommandLineParser &parser() { return m_parser; }

    bool parse(const QStringList &args, int minPositional, int maxPositional);
    // Adds an option that parseWords() knows (the help, --db and --format options are).
    void addOption(const QCommandLineOption &option);
    // Like parse(), for a verb whose positional arguments are words of a query: an argument
    // that starts with '-' but is none of the options added here ("-text:foo") is a word,
    // and after "--" everything is.
    bool parseWords(const QStringList &args, int minPositional);
    // The whole number an option holds, within [min, max]; nullopt after printing why not
    // ("--command 4294967297: must be at most 2147483647").
    std::optional<int> intOption(const QString &name, int min, int max) const;
    int usageExit() const { return m_helped ? Ok : fail(m_error); }
    bool json() const;
    QString database() const;
    // A verb that only reads opens ReadOnly: it never writes the database, and works on one
    // it cannot write.
    std::unique_ptr<RecordStore> open(int *exitCode,
                                      StoreAccess access = StoreAccess::ReadWrite) const;
    // parse() and then open(): nullptr with *exitCode set when either stops the verb (after
    // --help that is Ok).
    std::unique_ptr<RecordStore> parseAndOpen(const QStringList &args, int minPositional,
                                              int maxPositional, int *exitCode,
                                              StoreAccess access = StoreAccess::ReadWrite);

private:
    QString m_verb;
    bool m_withFormat = false;
    QCommandLineParser m_parser;
    QString m_error;
    bool m_helped = false;
    QList<QCommandLineOption> m_options;
};

} // namespace Tasktrail::Cli
