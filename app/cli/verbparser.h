#pragma once

#include <QCommandLineParser>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <cstdio>
#include <memory>

namespace Tasktrail {
class RecordStore;
}

// What every verb of tasktrail-cli shares: output, exit codes and argument parsing.
namespace Tasktrail::Cli {

enum ExitCode
{
    Ok = 0,
    Rejected = 1, // ingest: some input rejected; verify: problems found
    Fatal = 2
};

void print(const QString &text, FILE *stream = stdout);
int fail(const QString &message); // prints to stderr, returns Fatal
void printJson(const QJsonValue &value);
QString defaultDatabase();

// Parses a verb's arguments; on a usage error prints it and returns false.
class VerbParser final
{
public:
    VerbParser(const QString &verb, const QString &description, bool withFormat);
    QCommandLineParser &parser() { return m_parser; }

    bool parse(const QStringList &args, int minPositional, int maxPositional);
    int usageExit() const { return m_helped ? Ok : fail(m_error); }
    bool json() const;
    QString database() const;
    std::unique_ptr<RecordStore> open(int *exitCode) const;

private:
    QString m_verb;
    bool m_withFormat = false;
    QCommandLineParser m_parser;
    QString m_error;
    bool m_helped = false;
};

} // namespace Tasktrail::Cli
