#pragma once

#include "store/recordstore.h"

#include <QCommandLineParser>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <cstdio>
#include <memory>

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
    int usageExit() const { return m_helped ? Ok : fail(m_error); }
    bool json() const;
    QString database() const;
    std::unique_ptr<RecordStore> open(int *exitCode) const;
    // parse() and then open(): nullptr with *exitCode set when either stops the verb (after
    // --help that is Ok).
    std::unique_ptr<RecordStore> parseAndOpen(const QStringList &args, int minPositional,
                                              int maxPositional, int *exitCode);

private:
    QString m_verb;
    bool m_withFormat = false;
    QCommandLineParser m_parser;
    QString m_error;
    bool m_helped = false;
};

} // namespace Tasktrail::Cli
