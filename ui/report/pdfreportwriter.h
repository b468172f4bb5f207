#pragma once

#include "report/reportdata.h"

#include <QFont>
#include <QSaveFile>

#include <memory>

class QPainter;
class QPdfWriter;

namespace Tasktrail {

// A paginated A4 PDF: a header with the title and a footer with the evidence chain head and the
// page number on every page, the tables, the charts (drawn with Qt Charts as vectors when it
// was found at build time; see pdfChartsAvailable()), the task table and each task's chain.
// Record text is shown through ReportText::visible(). Written through QSaveFile.
//
// QPdfWriter needs a QGuiApplication and Qt Charts a QApplication. The writer may run on a
// worker thread with its own store: the charts are then drawn on the application's thread
// (chartPicture()), so that thread's event loop must be running.
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
    void table(const QStringList &columns, const QList<QStringList> &rows);
    QList<double> columnWidths(const QStringList &columns, const QList<QStringList> &rows) const;

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

// Whether PDF reports draw their charts (Qt Charts was found at build time).
bool pdfChartsAvailable();

} // namespace Tasktrail
