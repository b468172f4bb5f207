#pragma once

#include "records/taskchain.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Tasktrail {

class TaskQueries;

// Two runs side by side: their chains, their commands aligned, and what each changed,
// contacted, tested and found. Built from two chains alone, so it is the same on every store.
struct RunComparison
{
    enum class Match
    {
        Same,        // the same command line, the same exit code
        OnlyA,       // run A ran it, run B did not (at this place in the sequence)
        OnlyB,       // run B ran it, run A did not
        ExitDiffers, // the same command line, another exit code (or one of them unknown)
    };

    // One row of the aligned commands: an index into each chain's commands, -1 for none.
    struct AlignedCommand
    {
        Match match = Match::Same;
        qsizetype a = -1;
        qsizetype b = -1;
    };

    // The values of one kind (paths, hosts, finding rules) in both runs or in one only,
    // each list sorted and without duplicates.
    struct Sets
    {
        QStringList both;
        QStringList onlyA;
        QStringList onlyB;
    };

    // A test by name with its outcome in each run (empty: the run did not record it).
    struct TestPair
    {
        QString name;
        QString outcomeA;
        QString outcomeB;
    };

    TaskChain a;
    TaskChain b;
    QList<AlignedCommand> commands;
    // Set when the commands were too many to align in full (more than maxAlignCells pairs
    // after their common start and end): the middle is then listed as only in A, then only
    // in B.
    bool commandsApproximate = false;
    Sets files;
    Sets hosts;
    Sets findingRules;
    QList<TestPair> tests; // by name

    // The links of a chain as one line each, empty where the chain has none: what the two
    // chains are compared by at a glance.
    struct Links
    {
        QString request;      // id (ticket, requester)
        QString identity;     // principal (kind)
        QString policy;       // id@version
        QString taskTemplate; // id@version
        QString pullRequest;  // "#257 merged, 2 reviews"
    };
    static Links linksOf(const TaskChain &chain);

    // The comparison of two chains (outlines are enough: the conversation is not compared).
    static RunComparison of(const TaskChain &a, const TaskChain &b);

    // The command line as compared: argv with the program reduced to its file name
    // (/usr/bin/npm is npm), the run's own task id replaced by "<task>" (a branch named after
    // the task is the same branch in both runs), and its repository (owner/name within an
    // argument, or an argument that is the repository's name alone, a checkout directory) by
    // "<repo>" (two repositories of a campaign clone the same way). Arguments are kept apart,
    // so `git commit -m "a b"` and `git commit -m a b` differ.
    static QStringList normalisedCommand(const CommandRecord &command, const TaskRecord &task);

    // The run's duration in milliseconds (started to completed), nullopt when unknown.
    static std::optional<qint64> durationMs(const TaskRecord &task);
    static std::optional<qint64> durationMs(const CommandRecord &command);

    // At most this many cells of an alignment table (rows x columns after the common start
    // and end are taken off), so that two huge inputs cannot exhaust memory.
    static constexpr qint64 maxAlignCells = qint64(4) * 1000 * 1000;
};

QString toString(RunComparison::Match match); // same, only_a, only_b, exit_differs

// The line diff of two commands' logs. At most `lineLimit` lines of each are read and
// compared, so a huge log cannot stall the comparison; `truncated` says when more were there.
struct LogDiff
{
    enum class Op
    {
        Same,
        OnlyA,
        OnlyB,
    };
    struct Line
    {
        Op op = Op::Same;
        qint64 lineA = 0; // line number in A's log (from 1); 0 for a line only in B
        qint64 lineB = 0;
        QString text;
    };

    QList<Line> lines;
    qint64 linesA = 0; // how many lines each log has in all
    qint64 linesB = 0;
    bool truncated = false;
    // The middle of the compared lines was too large to align (see maxAlignCells).
    bool approximate = false;

    static constexpr int defaultLineLimit = 2000;

    // The diff of `a`'s log with `b`'s; either may be null (a command only in one run), which
    // compares with no lines.
    static LogDiff of(TaskQueries &store, const TaskChain::Command *a, const TaskChain::Command *b,
                      int lineLimit = defaultLineLimit);
    // The diff of two lists of lines (what of() does once it has read them).
    static LogDiff ofLines(const QStringList &a, const QStringList &b);
    bool changed() const;
};

QString toString(LogDiff::Op op); // same, only_a, only_b

} // namespace Tasktrail
