// Report benchmark. Not a test: run it by hand, see README.md ("Benchmark").
//
//   bench_report [--tasks 100000] [--format json] [--no-appendix] [--work DIR]
//
// Builds a store of that many tasks (in a child process, so building does not count towards
// this process's peak memory): 2,000 repositories, 100 campaigns with skipped repositories,
// pull requests with reviewer teams for most tasks, findings for a tenth, usage for all. Then
// writes one report over every task and prints its time and the peak resident memory
// (/proc/self/status VmHWM) before and after: a streamed report stays near the baseline
// whatever the number of tasks.
#include "report/csvreportwriter.h"
#include "report/reportformat.h"
#include "report/reportrunner.h"
#include "store/recordstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

constexpr qint64 minute = 60 * 1000;
constexpr qint64 epoch = 1767225600000; // 2026-01-01
constexpr int repos = 2000;
constexpr int campaigns = 100;

void say(const QString &text)
{
    std::fputs(qPrintable(text + u'\n'), stdout);
    std::fflush(stdout);
}

qint64 peakRssKb()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

QDateTime at(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

bool writeTask(RecordStore &store, int i)
{
    const QString repo = u"acme-%1/repo-%2"_s.arg(i % 20).arg(i % repos);
    const qint64 start = epoch + qint64(i) * 5 * minute;
    TaskRecord t;
    t.id = u"task-%1"_s.arg(i, 7, 10, QLatin1Char('0'));
    t.repo = repo;
    t.campaignId = u"cmp-%1"_s.arg(i % campaigns);
    t.identityId = u"id-%1"_s.arg(i % 50);
    t.policyId = u"deps-fanout"_s;
    t.policyVersion = u"5"_s;
    t.templateId = u"deps-bump"_s;
    t.templateVersion = u"3"_s;
    const int roll = i % 20;
    t.state = roll < 15   ? TaskState::Completed
              : roll < 17 ? TaskState::Failed
              : roll < 18 ? TaskState::TimedOut
              : roll < 19 ? TaskState::Cancelled
                          : TaskState::InProgress;
    t.prompt = u"Bump lodash in "_s + repo;
    t.createdAt = at(start);
    t.startedAt = at(start);
    t.completedAt = at(start + (3 + i % 90) * minute);
    t.retries = i % 7 == 0 ? 1 : 0;
    t.usage = QJsonObject{{u"input_tokens"_s, 1000 + i % 5000}, {u"output_tokens"_s, 200}};
    t.commands << CommandRecord{t.id, 1, {u"npm"_s, u"test"_s}, {}, 0, t.startedAt, t.completedAt};
    if (t.state == TaskState::Completed)
        t.prNumber = i + 1;
    if (!store.writeTask(t))
        return false;
    if (t.prNumber) {
        PullRequestRecord pr;
        pr.repo = repo;
        pr.number = *t.prNumber;
        pr.title = u"Bump lodash"_s;
        pr.state = i % 3 == 0 ? u"open"_s : u"closed"_s;
        pr.requestedTeams = {u"team-%1"_s.arg(i % 12)};
        pr.createdAt = t.completedAt;
        if (i % 3 == 1)
            pr.mergedAt = t.completedAt.addSecs(3600 * (1 + i % 30));
        pr.closedAt = pr.mergedAt;
        if (!store.writePullRequest(pr))
            return false;
    }
    if (i % 10 == 0) {
        Finding f{t.id,
                  u"runtime_over_budget"_s,
                  Severity::Medium,
                  u"ran too long"_s,
                  EvidenceKind::Task,
                  {},
                  0,
                  0,
                  {},
                  u"deps-bump"_s,
                  u"3"_s,
                  u"deps-fanout"_s,
                  u"5"_s,
                  0,
                  {}};
        if (!store.replaceFindings(t.id, {f}))
            return false;
    }
    return true;
}

int build(const QString &db, int tasks)
{
    QString error;
    auto store = openStore(db, &error);
    if (!store) {
        say(error);
        return 2;
    }
    for (int c = 0; c < campaigns; ++c) {
        CampaignRecord campaign{u"cmp-%1"_s.arg(c),
                                {},
                                u"Campaign %1"_s.arg(c),
                                u"deps-bump"_s,
                                u"3"_s,
                                u"deps-fanout"_s,
                                u"5"_s,
                                at(epoch),
                                {}};
        for (int s = 0; s < 5; ++s)
            campaign.decisions << RepoDecision{campaign.id,
                                               u"acme-skip/repo-%1-%2"_s.arg(c).arg(s),
                                               RepoVerdict::Skipped,
                                               s % 2 ? u"archived"_s : u"release_freeze"_s,
                                               u"skipped"_s,
                                               {},
                                               {},
                                               at(epoch)};
        store->beginBatch();
        store->writeCampaign(campaign);
        store->commitBatch();
    }
    for (int i = 0; i < tasks; i += 5000) {
        if (!store->beginBatch())
            return 2;
        for (int j = i; j < qMin(tasks, i + 5000); ++j) {
            if (!writeTask(*store, j)) {
                say(store->errorString());
                return 2;
            }
        }
        if (!store->commitBatch())
            return 2;
    }
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addOption({u"tasks"_s, u"Tasks in the store."_s, u"N"_s, u"100000"_s});
    p.addOption({u"format"_s, u"json, csv, html or md."_s, u"F"_s, u"json"_s});
    p.addOption({u"no-appendix"_s, u"Without each task's chain."_s});
    p.addOption({u"work"_s, u"Directory for the store and the report (kept)."_s, u"DIR"_s});
    p.addOption({u"build-only"_s, u"Only build the store at DB."_s, u"DB"_s});
    p.process(app);
    const int tasks = p.value(u"tasks"_s).toInt();
    if (p.isSet(u"build-only"_s))
        return build(p.value(u"build-only"_s), tasks);

    QTemporaryDir temp;
    const QString work = p.isSet(u"work"_s) ? p.value(u"work"_s) : temp.path();
    const QString db = work + u"/bench-report-%1.db"_s.arg(tasks);
    if (!QFileInfo::exists(db)) {
        QElapsedTimer clock;
        clock.start();
        const int code =
            QProcess::execute(QCoreApplication::applicationFilePath(),
                              {u"--tasks"_s, QString::number(tasks), u"--build-only"_s, db});
        if (code != 0)
            return code;
        say(u"built %1 tasks in %2 s"_s.arg(tasks).arg(double(clock.elapsed()) / 1000, 0, 'f', 1));
    }
    const auto format = reportFormatFromString(p.value(u"format"_s));
    if (!format || *format == ReportFormat::Pdf) {
        say(u"--format must be json, csv, html or md"_s);
        return 2;
    }
    QString error;
    auto store = openStore(db, &error);
    if (!store) {
        say(error);
        return 2;
    }
    // The baseline: this process with the store open and queried once.
    const qint64 count = store->taskCount({});
    const qint64 baseline = peakRssKb();
    ReportQuery query;
    query.appendix = !p.isSet(u"no-appendix"_s);
    const QString out = work + u"/bench-report."_s + toString(*format);
    const QString written = *format == ReportFormat::Csv
                                ? CsvReportWriter::tablePath(out, u"tasks"_s)
                                : out; // the biggest file
    auto writer = createReportWriter(*format, out);
    ReportRunner runner(*store);
    QElapsedTimer clock;
    clock.start();
    // The aggregates alone first: what SQL's sorting and grouping costs.
    if (!runner.readData(query)) {
        say(runner.errorString());
        return 2;
    }
    const double aggregateSeconds = double(clock.elapsed()) / 1000;
    const qint64 afterAggregates = peakRssKb();
    clock.restart();
    if (!runner.run(query, *writer)) {
        say(runner.errorString());
        return 2;
    }
    const double seconds = double(clock.elapsed()) / 1000;
    const qint64 peak = peakRssKb();
    say(u"report: %1 tasks, %2%3, %4 s (%5 tasks/s), %6 MB written"_s.arg(count)
            .arg(toString(*format),
                 query.appendix && *format != ReportFormat::Csv ? u" with appendix"_s : QString())
            .arg(seconds, 0, 'f', 1)
            .arg(qRound(double(count) / seconds))
            .arg(double(QFileInfo(written).size()) / 1e6, 0, 'f', 1));
    say(u"aggregates alone: %1 s, peak RSS %2 MB"_s.arg(aggregateSeconds, 0, 'f', 1)
            .arg(double(afterAggregates) / 1024, 0, 'f', 1));
    say(u"peak RSS: baseline %1 MB, after the report %2 MB, ratio %3"_s
            .arg(double(baseline) / 1024, 0, 'f', 1)
            .arg(double(peak) / 1024, 0, 'f', 1)
            .arg(double(peak) / double(baseline), 0, 'f', 2));
    return 0;
}
