#pragma once

#include "report/reportdata.h"

#include <QFont>
#include <QSaveFile>

#include <memory>

class QPainter;
class QPdfWriter;

namespace Tasktrail {

// A paginated A4 PDF: a header with the title and a footer with the evidence chain head and the
// page number on every page, the tables, the charts (the HTML report's SVG rendered as vectors
// with QSvgRenderer), the task table and each task's chain. Record text is shown through
// ReportText::visible(). Written through QSaveFile.
//
// QPdfWriter needs a QGuiApplication (the offscreen platform will do); the writer itself may
// run on any thread.
class PdfReportWriter final : public ReportWriter
{
public:
    explicit PdfReportWriter(const QString &path);
    ~PdfReportWriter() override;

    bool begin(const ReportData &data) override;
    bool writeTask(const ReportTask &task) override;
    bool beginAppendix() override;
    bool writeChain(const TaskChain &chain) override;
    bool finish() override;
    void cancel() override;

private:
    void newPage();
    void ensureSpace(double height);
    void heading(const QString &text, int level);
    void paragraph(const QString &text, double indent = 0);
    void fields(const QList<std::pair<QString, QString>> &rows);
    void tableRow(const QStringList &cells, const QList<double> &widths, bool header);
    // `minWidths` (points, per column, optional): what a column keeps when the table is
    // narrowed to fit the page.
    void table(const QStringList &columns, const QList<QStringList> &rows,
               const QList<double> &minWidths = {});
    QList<double> columnWidths(const QStringList &columns, const QList<QStringList> &rows,
                               const QList<double> &minWidths) const;

    QSaveFile m_file;
    std::unique_ptr<QPdfWriter> m_pdf;
    std::unique_ptr<QPainter> m_painter;
    QString m_title;
    QString m_head;
    QFont m_font;
    QList<double> m_taskWidths;
    double m_y = 0;
    int m_page = 0;
    bool m_taskTable = false;
};

} // namespace Tasktrail
