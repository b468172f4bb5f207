#include "report/pdfreportwriter.h"

#include "query/runsentence.h"
#include "report/reportcharts.h"
#include "report/reporttables.h"
#include "report/reporttext.h"

#include "report/svgchart.h"

#include <QFontMetricsF>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgRenderer>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Points: the writer's resolution is 72 dpi, so one unit is one point.
constexpr double pageW = 595;
constexpr double pageH = 842;
constexpr double margin = 42;
constexpr double bodyTop = margin + 22;
constexpr double bodyBottom = pageH - margin - 20;
constexpr double bodyW = pageW - 2 * margin;
constexpr double lineH = 12;

// The task table's columns that fit an A4 page, as indexes into ReportTables::taskColumns().
constexpr int taskColumns[] = {0, 1, 3, 9, 11, 13, 14, 17, 18};

QStringList pick(const QStringList &all)
{
    QStringList out;
    for (const int i : taskColumns)
        out << all.value(i);
    return out;
}

} // namespace

PdfReportWriter::PdfReportWriter(const QString &path)
    : m_file(path)
{}

PdfReportWriter::~PdfReportWriter()
{
    if (m_painter && m_painter->isActive())
        m_painter->end();
}

bool PdfReportWriter::begin(const ReportData &data)
{
    if (!m_file.open(QIODevice::WriteOnly))
        return setError(u"cannot write %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
    m_pdf = std::make_unique<QPdfWriter>(&m_file);
    m_pdf->setResolution(72);
    m_pdf->setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, {}));
    m_pdf->setTitle(data.title);
    m_pdf->setCreator(u"Tasktrail"_s);
    m_painter = std::make_unique<QPainter>();
    if (!m_painter->begin(m_pdf.get()))
        return setError(u"cannot start the PDF %1"_s.arg(m_file.fileName()));
    m_title = ReportText::visible(data.title);
    m_head = QString::fromLatin1(data.evidenceHead);
    m_font = QFont(u"sans-serif"_s);
    m_font.setPointSizeF(8);
    newPage();
    heading(data.title, 0);
    fields(ReportTables::provenance(data));
    for (const ReportChart &c : ReportCharts::charts(data)) {
        // The HTML report's SVG, rendered as vectors: the same chart in both formats, drawn
        // without QtWidgets and on whatever thread writes the report. Qt Svg draws text as
        // outlines, so the title is drawn here, where it stays text a reader can search.
        ReportChart untitled = c;
        untitled.title.clear();
        QSvgRenderer renderer(svgChart(untitled).toUtf8());
        if (!renderer.isValid())
            continue;
        const QSizeF size = QSizeF(renderer.defaultSize()).scaled(bodyW, 260, Qt::KeepAspectRatio);
        const double scale = size.width() / renderer.defaultSize().width();
        ensureSpace(size.height() + 8);
        renderer.render(m_painter.get(), QRectF(QPointF(margin, m_y), size));
        QFont titleFont = m_font;
        titleFont.setBold(true);
        titleFont.setPixelSize(qMax(1, qRound(14 * scale)));
        m_painter->setFont(titleFont);
        m_painter->drawText(QPointF(margin + 8 * scale, m_y + 14 * scale),
                            ReportText::visible(c.title));
        m_painter->setFont(m_font);
        m_y += size.height() + 8;
    }
    for (const ReportTable &t : ReportTables::tables(data)) {
        heading(t.title, 1);
        if (!t.note.isEmpty())
            paragraph(t.note);
        if (t.rows.isEmpty())
            paragraph(u"None."_s);
        else
            table(t.columns, t.rows);
    }
    heading(u"Tasks"_s, 1);
    if (data.taskCount == 0) {
        paragraph(u"None."_s);
    } else {
        const QStringList columns = pick(ReportTables::taskColumns());
        m_taskWidths = {0.22, 0.2, 0.09, 0.15, 0.08, 0.05, 0.08, 0.06, 0.07};
        for (double &w : m_taskWidths)
            w *= bodyW;
        tableRow(columns, m_taskWidths, true);
        m_taskTable = true;
    }
    return true;
}

bool PdfReportWriter::writeTask(const ReportTask &task)
{
    if (m_y + lineH > bodyBottom) {
        newPage();
        tableRow(pick(ReportTables::taskColumns()), m_taskWidths, true);
    }
    tableRow(pick(ReportTables::taskCells(task.row)), m_taskWidths, false);
    return true;
}

bool PdfReportWriter::beginAppendix()
{
    m_taskTable = false;
    newPage();
    heading(u"Appendix: task chains"_s, 1);
    return true;
}

bool PdfReportWriter::writeChain(const TaskChain &chain)
{
    ensureSpace(5 * lineH);
    heading(ReportTables::chainHeading(chain), 2);
    paragraph(RunSentence::of(chain));
    fields(ReportTables::chainFields(chain));
    for (const QString &c : ReportTables::chainCommands(chain))
        paragraph(c, 12);
    if (!chain.findings.isEmpty()) {
        QList<QStringList> rows;
        for (const Finding &f : chain.findings)
            rows << ReportTables::findingCells(f).mid(1, 5);
        // Severity, rule and the triage state ("false positive", "needs follow-up") stay
        // whole; the message, the evidence and who triaged and why give way.
        const QFontMetricsF fm(m_font);
        double state = 0;
        for (const TriageState s :
             {TriageState::New, TriageState::Acknowledged, TriageState::FalsePositive,
              TriageState::NeedsFollowUp, TriageState::Fixed})
            state = qMax(state, fm.horizontalAdvance(displayName(s)) + 8);
        const double whole = bodyW; // at most their widest cell
        table(ReportTables::findingColumns().mid(1, 5), rows, {whole, whole, state});
    }
    m_y += 4;
    return true;
}

bool PdfReportWriter::finish()
{
    if (!m_painter->end())
        return setError(u"cannot finish the PDF %1"_s.arg(m_file.fileName()));
    m_pdf.reset();
    if (!m_file.commit())
        return setError(u"cannot write %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
    return true;
}

void PdfReportWriter::cancel()
{
    if (m_painter && m_painter->isActive())
        m_painter->end();
    m_pdf.reset();
    m_file.cancelWriting();
}

void PdfReportWriter::newPage()
{
    if (m_page > 0)
        m_pdf->newPage();
    ++m_page;
    QPainter &p = *m_painter;
    QFont small = m_font;
    small.setPointSizeF(7);
    p.setFont(small);
    p.setPen(QColor(0x55, 0x55, 0x55));
    const QFontMetricsF fm(small);
    p.drawText(QPointF(margin, margin), fm.elidedText(m_title, Qt::ElideRight, bodyW * 0.7));
    const QString brand = u"Tasktrail report"_s;
    p.drawText(QPointF(pageW - margin - fm.horizontalAdvance(brand), margin), brand);
    p.drawLine(QPointF(margin, margin + 4), QPointF(pageW - margin, margin + 4));
    const double footY = pageH - margin;
    p.drawLine(QPointF(margin, footY - 10), QPointF(pageW - margin, footY - 10));
    p.drawText(QPointF(margin, footY), u"Evidence chain head "_s % m_head.left(16));
    const QString page = u"Page "_s % QString::number(m_page);
    p.drawText(QPointF(pageW - margin - fm.horizontalAdvance(page), footY), page);
    p.setPen(Qt::black);
    p.setFont(m_font);
    m_y = bodyTop;
}

void PdfReportWriter::ensureSpace(double height)
{
    if (m_y + height > bodyBottom)
        newPage();
}

void PdfReportWriter::heading(const QString &text, int level)
{
    QFont f = m_font;
    f.setBold(true);
    f.setPointSizeF(level == 0 ? 16 : level == 1 ? 12 : 9);
    const QFontMetricsF fm(f);
    const QString shown = ReportText::visible(text);
    const QRectF box = fm.boundingRect(QRectF(0, 0, bodyW, 1000), Qt::TextWordWrap, shown);
    ensureSpace(box.height() + (level < 2 ? 3 * lineH : 2 * lineH));
    m_y += level < 2 ? 8 : 4;
    m_painter->setFont(f);
    m_painter->drawText(QRectF(margin, m_y, bodyW, box.height()), Qt::TextWordWrap, shown);
    m_painter->setFont(m_font);
    m_y += box.height() + 4;
}

void PdfReportWriter::paragraph(const QString &text, double indent)
{
    const QString shown = ReportText::visible(text);
    const QFontMetricsF fm(m_font);
    const QRectF box =
        fm.boundingRect(QRectF(0, 0, bodyW - indent, 10000), Qt::TextWordWrap, shown);
    ensureSpace(box.height());
    m_painter->drawText(QRectF(margin + indent, m_y, bodyW - indent, box.height()),
                        Qt::TextWordWrap, shown);
    m_y += box.height() + 2;
}

void PdfReportWriter::fields(const QList<std::pair<QString, QString>> &rows)
{
    const double labelW = 110;
    QFont bold = m_font;
    bold.setBold(true);
    const QFontMetricsF fm(m_font);
    for (const auto &[label, value] : rows) {
        const QString shown = ReportText::visible(value);
        const QRectF box =
            fm.boundingRect(QRectF(0, 0, bodyW - labelW, 10000), Qt::TextWordWrap, shown);
        ensureSpace(box.height());
        m_painter->setFont(bold);
        m_painter->drawText(QRectF(margin, m_y, labelW, lineH), label);
        m_painter->setFont(m_font);
        m_painter->drawText(QRectF(margin + labelW, m_y, bodyW - labelW, box.height()),
                            Qt::TextWordWrap, shown);
        m_y += qMax(box.height(), lineH) + 1;
    }
}

void PdfReportWriter::tableRow(const QStringList &cells, const QList<double> &widths, bool header)
{
    QFont f = m_font;
    f.setBold(header);
    m_painter->setFont(f);
    const QFontMetricsF fm(f);
    double x = margin;
    for (qsizetype i = 0; i < cells.size() && i < widths.size(); ++i) {
        const QString shown =
            fm.elidedText(ReportText::visible(cells[i]), Qt::ElideRight, widths[i] - 4);
        m_painter->drawText(QRectF(x, m_y, widths[i] - 4, lineH), Qt::AlignLeft | Qt::AlignVCenter,
                            shown);
        x += widths[i];
    }
    m_painter->setPen(QColor(0xcc, 0xcc, 0xcc));
    m_painter->drawLine(QPointF(margin, m_y + lineH), QPointF(margin + bodyW, m_y + lineH));
    m_painter->setPen(Qt::black);
    m_painter->setFont(m_font);
    m_y += lineH + 1;
}

QList<double> PdfReportWriter::columnWidths(const QStringList &columns,
                                            const QList<QStringList> &rows,
                                            const QList<double> &minWidths) const
{
    // Each column as wide as its widest cell, scaled down together when they do not fit; a
    // column never below its minimum (nor its widest cell, when that is narrower), the others
    // sharing what is left.
    const QFontMetricsF fm(m_font);
    QList<double> widths;
    for (const QString &c : columns)
        widths << fm.horizontalAdvance(c) + 12;
    for (const QStringList &r : rows) {
        for (qsizetype i = 0; i < r.size() && i < widths.size(); ++i)
            widths[i] = qMax(widths[i], fm.horizontalAdvance(ReportText::visible(r[i])) + 8);
    }
    QList<double> floor(widths.size(), 0.0);
    for (qsizetype i = 0; i < widths.size() && i < minWidths.size(); ++i)
        floor[i] = qMin(widths[i], minWidths[i]);
    QList<bool> pinned(widths.size(), false);
    for (;;) {
        double free = 0;
        double room = bodyW;
        for (qsizetype i = 0; i < widths.size(); ++i) {
            if (pinned[i])
                room -= floor[i];
            else
                free += widths[i];
        }
        if (free <= room || free <= 0)
            break; // everything fits
        const double scale = qMax(0.0, room) / free;
        bool pinnedMore = false;
        for (qsizetype i = 0; i < widths.size(); ++i) {
            if (!pinned[i] && widths[i] * scale < floor[i]) {
                pinned[i] = true;
                pinnedMore = true;
            }
        }
        if (pinnedMore)
            continue;
        for (qsizetype i = 0; i < widths.size(); ++i)
            widths[i] = pinned[i] ? floor[i] : widths[i] * scale;
        return widths;
    }
    for (qsizetype i = 0; i < widths.size(); ++i) {
        if (pinned[i])
            widths[i] = floor[i];
    }
    return widths;
}

void PdfReportWriter::table(const QStringList &columns, const QList<QStringList> &rows,
                            const QList<double> &minWidths)
{
    const QList<double> widths = columnWidths(columns, rows, minWidths);
    ensureSpace(2 * lineH);
    tableRow(columns, widths, true);
    for (const QStringList &r : rows) {
        if (m_y + lineH > bodyBottom) {
            newPage();
            tableRow(columns, widths, true);
        }
        tableRow(r, widths, false);
    }
    m_y += 4;
}

} // namespace Tasktrail
