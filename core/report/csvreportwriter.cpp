#include "csvreportwriter.h"

#include "query/runsentence.h"
#include "reportfile.h"
#include "reporttables.h"
#include "reporttext.h"
#include "text/tasktraillink.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

bool looksNumeric(const QString &text)
{
    bool ok = false;
    text.toDouble(&ok);
    return ok;
}

} // namespace

CsvReportWriter::CsvReportWriter(const QString &path)
    : m_path(path)
{}

CsvReportWriter::~CsvReportWriter() = default;

QString CsvReportWriter::tablePath(const QString &path, const QString &table)
{
    const QFileInfo info(path);
    if (path.endsWith(u'/') || info.isDir())
        return QDir(path).filePath(table % u".csv"_s);
    QString base = path;
    if (base.endsWith(u".csv"_s, Qt::CaseInsensitive))
        base.chop(4);
    return base % u'-' % table % u".csv"_s;
}

QString CsvReportWriter::cell(const QString &text)
{
    QString v = ReportText::visible(text);
    if (!v.isEmpty() && QStringView(u"=+-@\t").contains(v.front()) && !looksNumeric(v))
        v.prepend(u'\'');
    const bool quote = v.contains(u',') || v.contains(u'"') || v.contains(u'\n') ||
                       v.contains(u'\r') ||
                       (!v.isEmpty() && (v.front().isSpace() || v.back().isSpace()));
    if (!quote)
        return v;
    v.replace(u'"', u"\"\""_s);
    return u'"' % v % u'"';
}

QString CsvReportWriter::line(const QStringList &cells)
{
    QString out;
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (i)
            out += u',';
        out += cell(cells[i]);
    }
    return out % u"\r\n"_s;
}

ReportFile *CsvReportWriter::openFile(const QString &table, const QStringList &columns)
{
    auto file = std::make_unique<ReportFile>(tablePath(m_path, table));
    QString error;
    if (!file->open(&error)) {
        setError(error);
        return nullptr;
    }
    file->write(line(columns));
    m_files.push_back(std::move(file));
    return m_files.back().get();
}

bool CsvReportWriter::begin(const ReportData &data)
{
    QList<ReportTable> tables = ReportTables::tables(data);
    // The summary starts with where the report comes from.
    QList<QStringList> provenance;
    for (const auto &[field, value] : ReportTables::provenance(data))
        provenance << QStringList{field, value};
    tables.first().rows = provenance + tables.first().rows;
    for (const ReportTable &t : std::as_const(tables)) {
        ReportFile *file = openFile(t.id, t.columns);
        if (!file)
            return false;
        for (const QStringList &row : t.rows)
            file->write(line(row));
    }
    m_tasks = openFile(u"tasks"_s, ReportTables::taskColumns());
    m_findings = openFile(u"findings"_s, ReportTables::findingColumns());
    return m_tasks && m_findings;
}

bool CsvReportWriter::writeTask(const ReportTask &task)
{
    m_tasks->write(line(ReportTables::taskCells(task.row)));
    for (const Finding &f : task.findings)
        m_findings->write(line(ReportTables::findingCells(f)));
    return true;
}

bool CsvReportWriter::beginAppendix()
{
    m_chains = openFile(u"chains"_s, {u"Task"_s, u"Summary"_s, u"Link"_s});
    return m_chains != nullptr;
}

bool CsvReportWriter::writeChain(const TaskChain &chain)
{
    m_chains->write(line({chain.task.id, RunSentence::of(chain), taskLinkUrl(chain.task.id)}));
    return true;
}

bool CsvReportWriter::finish()
{
    // Every file was written in full before the first commit, so what can still fail here is
    // the rename; one that fails cancels the files not committed yet.
    QString error;
    for (const auto &file : m_files) {
        if (!file->commit(&error)) {
            cancel();
            return setError(error);
        }
    }
    return true;
}

void CsvReportWriter::cancel()
{
    for (const auto &file : m_files)
        file->cancel();
}

} // namespace Tasktrail
