#include "markdownreportwriter.h"

#include "query/runsentence.h"
#include "reporttables.h"
#include "reporttext.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

MarkdownReportWriter::MarkdownReportWriter(const QString &path)
    : m_file(path)
{}

QString MarkdownReportWriter::escape(const QString &text)
{
    const QString shown = ReportText::visible(text);
    QString out;
    out.reserve(shown.size() + 8);
    for (const QChar c : shown) {
        if (c == u'\n' || c == u'\r' || c == u'\t')
            out += u' ';
        else if (QStringView(u"\\`*_[]<>|~&#!").contains(c))
            out += u'\\' % c;
        else
            out += c;
    }
    return out;
}

void MarkdownReportWriter::table(const QStringList &columns)
{
    row(columns);
    QString rule = u"|"_s;
    for (qsizetype i = 0; i < columns.size(); ++i)
        rule += u" --- |"_s;
    m_file.write(rule % u'\n');
}

void MarkdownReportWriter::row(const QStringList &cells)
{
    QString out = u"|"_s;
    for (const QString &c : cells)
        out += u' ' % escape(c) % u" |"_s;
    m_file.write(out % u'\n');
}

bool MarkdownReportWriter::begin(const ReportData &data)
{
    QString error;
    if (!m_file.open(&error))
        return setError(error);
    m_file.write(u"# "_s % escape(data.title) % u"\n\n"_s);
    table({u"Field"_s, u"Value"_s});
    for (const auto &[field, value] : ReportTables::provenance(data))
        row({field, value});
    for (const ReportTable &t : ReportTables::tables(data)) {
        m_file.write(u"\n## "_s % escape(t.title) % u"\n\n"_s);
        if (!t.note.isEmpty())
            m_file.write(escape(t.note) % u"\n\n"_s);
        if (t.rows.isEmpty()) {
            m_file.write(u"None.\n"_s);
            continue;
        }
        table(t.columns);
        for (const QStringList &r : t.rows)
            row(r);
    }
    m_file.write(u"\n## Tasks\n\n"_s);
    if (data.taskCount == 0)
        m_file.write(u"None.\n"_s);
    else
        table(ReportTables::taskColumns());
    return true;
}

bool MarkdownReportWriter::writeTask(const ReportTask &task)
{
    row(ReportTables::taskCells(task.row));
    return true;
}

bool MarkdownReportWriter::beginAppendix()
{
    m_file.write(u"\n## Appendix: task chains\n"_s);
    return true;
}

bool MarkdownReportWriter::writeChain(const TaskChain &chain)
{
    m_file.write(u"\n### "_s % escape(ReportTables::chainHeading(chain)) % u"\n\n"_s %
                 escape(RunSentence::of(chain)) % u"\n\n"_s);
    for (const auto &[field, value] : ReportTables::chainFields(chain))
        m_file.write(u"- **"_s % field % u":** "_s % escape(value) % u'\n');
    const QStringList commands = ReportTables::chainCommands(chain);
    if (!commands.isEmpty()) {
        m_file.write(u"\nCommands:\n\n"_s);
        for (const QString &c : commands)
            m_file.write(u"- "_s % escape(c) % u'\n');
    }
    if (!chain.findings.isEmpty()) {
        m_file.write(u"\nFindings:\n\n"_s);
        table(ReportTables::findingColumns().mid(1));
        for (const Finding &f : chain.findings)
            row(ReportTables::findingCells(f).mid(1));
    }
    return true;
}

bool MarkdownReportWriter::finish()
{
    QString error;
    return m_file.commit(&error) || setError(error);
}

} // namespace Tasktrail
