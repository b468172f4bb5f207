#include "reportverb.h"

#include "cliverb.h"
#include "globaloptions.h"
#include "report/csvreportwriter.h"
#include "report/reportformat.h"
#include "report/reportrunner.h"
#include "store/recordstore.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QGuiApplication>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Tasktrail::Cli {
namespace {

// Whether the command line asks for a PDF report: decided before any QCoreApplication exists,
// so from argv as the platform gave it.
bool wantsPdf(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 1; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const VerbLine line = splitVerbLine(arguments);
    if (line.verb != u"report")
        return false;
    const QStringList &args = line.args;
    const auto valueAt = [&args](qsizetype i, const QString &option) {
        const QString &a = args.at(i);
        if (a.startsWith(option + u'='))
            return a.mid(option.size() + 1);
        return a == option && i + 1 < args.size() ? args.at(i + 1) : QString();
    };
    bool formatGiven = false;
    QString output;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == u"--format" || a == u"-f" || a.startsWith(u"--format=")) {
            formatGiven = true;
            if (valueAt(i, a == u"-f" ? u"-f"_s : u"--format"_s).toLower() == u"pdf")
                return true;
        } else if (a == u"-o" || a == u"--output" || a.startsWith(u"--output=")) {
            output = valueAt(i, a == u"-o" ? u"-o"_s : u"--output"_s);
        }
    }
    return !formatGiven && output.toLower().endsWith(u".pdf");
}

// --campaign, --since, --until and --filter together; a key set twice must agree.
bool buildFilter(const QCommandLineParser &p, TaskFilter *filter, QString *error)
{
    if (p.isSet(u"filter"_s)) {
        const auto parsed = parseFilterExpression(p.value(u"filter"_s), error);
        if (!parsed)
            return false;
        *filter = *parsed;
    }
    const auto set = [&](const char *option, auto &field, const auto &value) {
        if (field != std::remove_reference_t<decltype(field)>() && field != value) {
            *error = u"--%1 disagrees with --filter"_s.arg(QLatin1StringView(option));
            return false;
        }
        field = value;
        return true;
    };
    if (p.isSet(u"campaign"_s) && !set("campaign", filter->campaignId, p.value(u"campaign"_s)))
        return false;
    for (const char *option : {"since", "until"}) {
        const QString name = QLatin1StringView(option);
        if (!p.isSet(name))
            continue;
        const bool end = name == u"until";
        const QDateTime at = parseFilterDate(p.value(name), end);
        if (!at.isValid()) {
            *error = u"--%1: '%2' is not a date (YYYY-MM-DD or an ISO 8601 time)"_s.arg(
                name, p.value(name));
            return false;
        }
        if (!set(option, end ? filter->to : filter->from, at))
            return false;
    }
    if (filter->from.isValid() && filter->to.isValid() && filter->to <= filter->from) {
        *error = u"the range ends before it begins"_s;
        return false;
    }
    return true;
}

void addOptions(QCommandLineParser &p)
{
    p.addOption({u"campaign"_s, u"Report on this campaign."_s, u"ID"_s});
    p.addOption({u"since"_s, u"Tasks started on or after DATE (YYYY-MM-DD, UTC)."_s, u"DATE"_s});
    p.addOption({u"until"_s, u"Tasks started on or before DATE (the whole day)."_s, u"DATE"_s});
    p.addOption({u"filter"_s,
                 u"Any runs-view filter: key=value terms, all must hold (keys: text, state, "
                 "repo, kind, policy, campaign, from, to), e.g. 'state=failed repo=acme/web "
                 "text=\"bump lodash\"'."_s,
                 u"EXPR"_s});
    p.addOption({{u"f"_s, u"format"_s},
                 u"pdf, html, csv, md or json (default: from the file name)."_s,
                 u"FORMAT"_s});
    p.addOption({{u"o"_s, u"output"_s},
                 u"The file to write; for csv, out.csv writes out-summary.csv, out-tasks.csv, "
                 "... and a directory gets summary.csv, tasks.csv, ..."_s,
                 u"FILE"_s});
    p.addOption({u"title"_s, u"The report's title."_s, u"TEXT"_s});
    p.addOption({u"no-appendix"_s, u"Leave out each task's chain and findings."_s});
    p.addOption({u"generated-at"_s,
                 u"Print this time (ISO 8601, or 'now') as the time of the report; without it "
                 "the report has none, so the same records give the same file."_s,
                 u"TIME"_s});
    p.addOption({u"quiet"_s, u"No progress."_s});
}

} // namespace

std::unique_ptr<QCoreApplication> createApplication(int &argc, char **argv)
{
    if (wantsPdf(argc, argv)) {
        // QPdfWriter needs a QGuiApplication, never a display: the CLI draws offscreen.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        return std::make_unique<QGuiApplication>(argc, argv);
    }
    return std::make_unique<QCoreApplication>(argc, argv);
}

int runReport(const QStringList &args)
{
    VerbParser v(u"report"_s,
                 u"Writes a report over a campaign, a time range or a filter of the runs: "
                 "outcomes, pull requests, skips, findings, usage, review load, per-repository "
                 "and per-task detail, with the evidence chain head it was read at."_s,
                 false);
    addOptions(v.parser());
    if (!v.parse(args, 0, 0))
        return v.usageExit();
    const QCommandLineParser &p = v.parser();
    const QString output = p.value(u"output"_s);
    if (output.isEmpty())
        return fail(u"report needs -o FILE"_s);
    const auto format = p.isSet(u"format"_s) ? reportFormatFromString(p.value(u"format"_s))
                                             : reportFormatForPath(output);
    if (!format)
        return fail(p.isSet(u"format"_s)
                        ? u"--format must be pdf, html, csv, md or json, not '%1'"_s.arg(
                              p.value(u"format"_s))
                        : u"cannot tell the format from '%1'; give --format"_s.arg(output));
    ReportQuery query;
    QString error;
    if (!buildFilter(p, &query.filter, &error))
        return fail(error);
    query.title = p.value(u"title"_s);
    query.appendix = !p.isSet(u"no-appendix"_s);
    if (p.isSet(u"generated-at"_s)) {
        const QString at = p.value(u"generated-at"_s);
        query.generatedAt =
            at == u"now" ? QDateTime::currentDateTimeUtc() : parseFilterDate(at, false);
        if (!query.generatedAt.isValid())
            return fail(u"--generated-at: '%1' is not a time"_s.arg(at));
    }
    auto writer = createReportWriter(*format, output);
    if (!writer)
        return fail(u"this build of tasktrail-cli writes no PDF (it was built without the "
                    "desktop app)"_s);
    int code = Ok;
    auto store = v.open(&code, StoreAccess::ReadOnly);
    if (!store)
        return code;
    ReportRunner runner(*store);
    if (!p.isSet(u"quiet"_s) && isatty(fileno(stderr))) {
        runner.setProgressCallback([](qint64 done, qint64 total) {
            print(u"\r\033[K[%1%] %2 of %3"_s
                      .arg(total ? 100.0 * double(done) / double(total) : 100.0, 5, 'f', 1)
                      .arg(done)
                      .arg(total),
                  stderr);
        });
    }
    const bool ok = runner.run(query, *writer);
    if (!p.isSet(u"quiet"_s) && isatty(fileno(stderr)))
        print(u"\r\033[K"_s, stderr);
    if (!ok)
        return fail(runner.errorString());
    const QString where =
        *format == ReportFormat::Csv ? CsvReportWriter::tablePath(output, u"*"_s) : output;
    print(u"wrote a %1 report to %2\n"_s.arg(toString(*format), where));
    return Ok;
}

} // namespace Tasktrail::Cli
