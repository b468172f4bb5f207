#include "htmlreportwriter.h"

#include "query/runsentence.h"
#include "reportcharts.h"
#include "reporttables.h"
#include "reporttext.h"
#include "svgchart.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

using ReportText::html;

constexpr const char *head = R"HTML(<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<style>
body { font-family: sans-serif; font-size: 14px; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.n { text-align: right; }
.prov th { width: 14em; }
.chart { display: block; margin: 1em 0; }
section.task { border-top: 1px solid #ccc; margin-top: 1.5em; }
code, .mono { font-family: monospace; }
footer { margin-top: 3em; color: #666; font-size: 12px; }
</style>
)HTML";

bool numeric(const QString &text)
{
    bool ok = false;
    text.toDouble(&ok);
    return ok;
}

} // namespace

HtmlReportWriter::HtmlReportWriter(const QString &path)
    : m_file(path)
{}

void HtmlReportWriter::row(const QStringList &cells, const char *cell, qsizetype linkColumn)
{
    const QLatin1StringView tag(cell);
    QString out = u"<tr>"_s;
    for (qsizetype i = 0; i < cells.size(); ++i) {
        const QString &c = cells[i];
        const bool number = tag == "td"_L1 && numeric(c);
        const QString text =
            i == linkColumn ? u"<a href=\""_s % html(c) % u"\">"_s % html(c) % u"</a>"_s : html(c);
        out += u'<' % tag % (number ? u" class=\"n\""_s : QString()) % u"><bdi>"_s % text %
               u"</bdi></"_s % tag % u'>';
    }
    m_file.write(out % u"</tr>\n"_s);
}

void HtmlReportWriter::table(const QStringList &columns, const QList<QStringList> &rows)
{
    m_file.write(u"<table>\n<thead>\n"_s);
    row(columns, "th");
    m_file.write(u"</thead>\n<tbody>\n"_s);
    for (const QStringList &r : rows)
        row(r);
    m_file.write(u"</tbody>\n</table>\n"_s);
}

bool HtmlReportWriter::begin(const ReportData &data)
{
    QString error;
    if (!m_file.open(&error))
        return setError(error);
    m_file.write(QLatin1StringView(head) % u"<title>"_s % html(data.title) %
                 u"</title>\n</head>\n<body>\n<h1>"_s % html(data.title) % u"</h1>\n"_s);
    m_file.write(u"<table class=\"prov\">\n"_s);
    for (const auto &[field, value] : ReportTables::provenance(data))
        m_file.write(u"<tr><th>"_s % html(field) % u"</th><td><bdi>"_s % html(value) %
                     u"</bdi></td></tr>\n"_s);
    m_file.write(u"</table>\n"_s);
    const QList<ReportChart> charts = ReportCharts::charts(data);
    if (!charts.isEmpty()) {
        m_file.write(u"<h2 id=\"charts\">Charts</h2>\n"_s);
        for (const ReportChart &c : charts)
            m_file.write(svgChart(c));
    }
    for (const ReportTable &t : ReportTables::tables(data)) {
        m_file.write(u"<h2 id=\""_s % html(t.id) % u"\">"_s % html(t.title) % u"</h2>\n"_s);
        if (!t.note.isEmpty())
            m_file.write(u"<p>"_s % html(t.note) % u"</p>\n"_s);
        if (t.rows.isEmpty())
            m_file.write(u"<p>None.</p>\n"_s);
        else
            table(t.columns, t.rows);
    }
    m_file.write(u"<h2 id=\"tasks\">Tasks</h2>\n"_s);
    if (data.taskCount == 0) {
        m_file.write(u"<p>None.</p>\n"_s);
        return true;
    }
    m_file.write(u"<table>\n<thead>\n"_s);
    row(ReportTables::taskColumns(), "th");
    m_file.write(u"</thead>\n<tbody>\n"_s);
    m_tableOpen = true;
    return true;
}

bool HtmlReportWriter::writeTask(const ReportTask &task)
{
    const QStringList cells = ReportTables::taskCells(task.row);
    row(cells, "td", cells.size() - 1);
    return true;
}

bool HtmlReportWriter::beginAppendix()
{
    if (m_tableOpen)
        m_file.write(u"</tbody>\n</table>\n"_s);
    m_tableOpen = false;
    m_file.write(u"<h2 id=\"appendix\">Appendix: task chains</h2>\n"_s);
    return true;
}

bool HtmlReportWriter::writeChain(const TaskChain &chain)
{
    m_file.write(u"<section class=\"task\">\n<h3><bdi>"_s %
                 html(ReportTables::chainHeading(chain)) % u"</bdi></h3>\n<p><bdi>"_s %
                 html(RunSentence::of(chain)) % u"</bdi></p>\n<table class=\"prov\">\n"_s);
    for (const auto &[field, value] : ReportTables::chainFields(chain))
        m_file.write(u"<tr><th>"_s % html(field) % u"</th><td><bdi>"_s % html(value) %
                     u"</bdi></td></tr>\n"_s);
    m_file.write(u"</table>\n"_s);
    const QStringList commands = ReportTables::chainCommands(chain);
    if (!commands.isEmpty()) {
        m_file.write(u"<p>Commands:</p>\n<ol class=\"mono\">\n"_s);
        for (const QString &c : commands)
            m_file.write(u"<li><bdi>"_s % html(c) % u"</bdi></li>\n"_s);
        m_file.write(u"</ol>\n"_s);
    }
    if (!chain.findings.isEmpty()) {
        QList<QStringList> rows;
        for (const Finding &f : chain.findings)
            rows << ReportTables::findingCells(f).mid(1);
        m_file.write(u"<p>Findings:</p>\n"_s);
        table(ReportTables::findingColumns().mid(1), rows);
    }
    m_file.write(u"</section>\n"_s);
    return true;
}

bool HtmlReportWriter::finish()
{
    if (m_tableOpen)
        m_file.write(u"</tbody>\n</table>\n"_s);
    m_file.write(u"<footer>Written by Tasktrail from the records as of the evidence chain head "
                 "shown above.</footer>\n</body>\n</html>\n"_s);
    QString error;
    return m_file.commit(&error) || setError(error);
}

} // namespace Tasktrail
