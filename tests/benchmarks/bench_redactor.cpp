// Redaction benchmark. Not a test: run it by hand, see README.md ("Benchmark").
//
//   bench_redactor [--scale 10] [--work DIR] [--rounds 3]
//
// Generates the demo set (or reuses DIR), reads its command logs the way ingest does (the
// timestamp prefix cut off, each section one stream), and times per line, best of the rounds:
//   1. a copy of every line (the loop itself);
//   2. the pre-filter alone (Redactor::mayContainSecret);
//   3. the whole step the store runs on a log line (Redactor::redactLogLine: text and colours).
#include "demo/demogenerator.h"
#include "text/logtext.h"
#include "text/redactor.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

void say(const QString &text)
{
    std::fputs(qUtf8Printable(text + u'\n'), stdout);
    std::fflush(stdout);
}

// Every log line of the demo set, an empty array where a section header starts a stream.
QByteArrayList readLines(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir + u"/logs"_s, {u"*.log"_s}, QDir::Files);
    while (it.hasNext())
        files << it.next();
    std::sort(files.begin(), files.end());
    QByteArrayList lines;
    for (const QString &path : std::as_const(files)) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        while (!f.atEnd()) {
            QByteArray line = f.readLine();
            line.chop(line.endsWith('\n') ? 1 : 0);
            if (line.startsWith("##[tasktrail]")) {
                lines << QByteArray();
                continue;
            }
            qsizetype prefix = 0;
            LogText::parseTimestampPrefix(line.constData(), line.size(), &prefix);
            lines << line.mid(prefix);
        }
    }
    return lines;
}

// The best time of `rounds` runs of `pass`, in nanoseconds per line.
double best(int rounds, qsizetype lines, const std::function<qint64()> &pass, qint64 *result)
{
    qint64 fastest = std::numeric_limits<qint64>::max();
    for (int r = 0; r < rounds; ++r) {
        QElapsedTimer clock;
        clock.start();
        *result = pass();
        fastest = std::min(fastest, clock.nsecsElapsed());
    }
    return double(fastest) / double(std::max<qsizetype>(1, lines));
}

// The three measures over the lines, printed.
void measure(const QByteArrayList &lines, int rounds)
{
    qint64 bytes = 0, coloured = 0;
    for (const QByteArray &line : lines) {
        bytes += line.size();
        coloured += line.contains('\x1b') ? 1 : 0;
    }
    say(u"%1 log lines, %2 MB, %3 with ANSI escapes"_s.arg(lines.size())
            .arg(double(bytes) / 1e6, 0, 'f', 1)
            .arg(coloured));

    qint64 result = 0;
    const double copy = best(
        rounds, lines.size(),
        [&] {
            qint64 total = 0;
            for (const QByteArray &line : lines) {
                QByteArray text = line;
                total += text.size();
            }
            return total;
        },
        &result);
    const double prefilter = best(
        rounds, lines.size(),
        [&] {
            qint64 hits = 0;
            for (const QByteArray &line : lines)
                hits += Redactor::mayContainSecret(line.constData(), line.size()) ? 1 : 0;
            return hits;
        },
        &result);
    const qint64 hits = result;
    const double step = best(
        rounds, lines.size(),
        [&] {
            qint64 redactions = 0;
            Redactor stream;
            QByteArray text, ansi;
            for (const QByteArray &line : lines) {
                if (line.isNull()) {
                    stream.reset();
                    continue;
                }
                redactions += stream.redactLogLine(line, &text, &ansi);
            }
            return redactions;
        },
        &result);
    say(u"  copy of each line            %1 ns/line"_s.arg(copy, 0, 'f', 1));
    say(u"  pre-filter                   %1 ns/line (%2 lines let through, %3%)"_s
            .arg(prefilter, 0, 'f', 1)
            .arg(hits)
            .arg(100.0 * double(hits) / double(std::max<qsizetype>(1, lines.size())), 0, 'f', 2));
    say(u"  redactLogLine (text, ansi)   %1 ns/line, %2 secrets"_s.arg(step, 0, 'f', 1)
            .arg(result));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({u"scale"_s, u"Demo scale (10: about 530,000 log lines)."_s, u"S"_s, u"10"_s});
    p.addOption({u"work"_s, u"Directory for the demo set."_s, u"DIR"_s,
                 QDir::temp().filePath(u"tasktrail-bench-redactor"_s)});
    p.addOption({u"rounds"_s, u"Runs of each measure; the best counts."_s, u"N"_s, u"3"_s});
    p.process(app);
    const QString dir = p.value(u"work"_s);
    const int rounds = std::max(1, p.value(u"rounds"_s).toInt());
    if (!QDir(dir + u"/logs"_s).exists()) {
        DemoGenerator generator;
        QString error;
        if (!generator.generate({dir, p.value(u"scale"_s).toDouble(), 20261124}, &error)) {
            say(u"cannot generate the demo set: "_s + error);
            return 2;
        }
    }
    measure(readLines(dir), rounds);
    return 0;
}
