#pragma once

#include "report/reportformat.h"
#include "report/reportquery.h"

#include <QDialog>

#include <memory>
#include <optional>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTextBrowser;
class QTimer;

namespace Tasktrail {

class AsyncQuery;
class RecordStore;
struct ReportData;
class ReportExporter;

// File > Export Report: what the report covers (the runs view's filter, a campaign or a time
// range, narrowed by an optional filter expression), its format and file, a preview of its
// summary, and the export itself on a worker thread with progress and Cancel.
class ExportDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Scope
    {
        RunsFilter,
        Campaign,
        Range,
    };

    // Reads the database at dbPath (a connection of its own) for the campaigns and the preview.
    ExportDialog(const QString &dbPath, const TaskFilter &runsFilter, QWidget *parent = nullptr);
    ~ExportDialog() override;

    void setScope(Scope scope);
    Scope scope() const;
    void setCampaign(const QString &id);
    void setRange(QDate from, QDate to); // both days included
    void setFilterExpression(const QString &expression);
    void setFormat(ReportFormat format);
    ReportFormat format() const;
    void setAppendix(bool appendix);
    void setOutputPath(const QString &path);
    QString outputPath() const;

    // The report the dialog would write; nullopt, with filterError() saying why, when the
    // expression does not parse or disagrees with the scope.
    std::optional<ReportQuery> query() const;
    QString filterError() const;
    bool canExport() const;

    // Reads the preview now instead of after the debounce (on the dialog's query thread;
    // previewRefreshed() says when it is shown).
    void refreshPreview();
    // True while campaigns or the preview are being read.
    bool isLoading() const;
    QString previewHtml() const;
    QString statusText() const;
    QProgressBar *progressBar() const { return m_progress; }
    ReportExporter *exporter() const { return m_exporter; }

    // Starts the export; false when the query is invalid, there is no path or one is running.
    bool startExport();
    void cancelExport();

Q_SIGNALS:
    void previewRefreshed();

protected:
    void reject() override;

private:
    QWidget *createScopeBox();
    QWidget *createOutputBox();
    TaskFilter scopeFilter() const;
    std::optional<ReportQuery> buildQuery(QString *error) const;
    void scopeChanged();
    void formatChanged();
    void browse();
    void updateState();
    void exportFinished(bool ok, bool cancelled, const QString &error, const QString &path);
    QString summaryHtml(const ReportData &report) const;
    void showChart(const ReportData &report);
    void showPreview(const std::optional<ReportData> &report, bool valid);
    void fillCampaigns(const QList<CampaignRecord> &campaigns);

    AsyncQuery *m_queries = nullptr;
    QString m_openError;      // why the database cannot be read, once that is known
    QString m_wantedCampaign; // chosen before the campaigns were read
    QString m_dbPath;
    TaskFilter m_runsFilter;
    QButtonGroup *m_scopeGroup = nullptr;
    QComboBox *m_campaign = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    QLineEdit *m_expression = nullptr;
    QLabel *m_filterError = nullptr;
    QComboBox *m_format = nullptr;
    QCheckBox *m_appendix = nullptr;
    QLineEdit *m_path = nullptr;
    QLabel *m_csvNote = nullptr;
    QTextBrowser *m_preview = nullptr;
    QTimer *m_previewTimer = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_exportButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    ReportExporter *m_exporter = nullptr;
    QString m_previewSource;
    bool m_closeWhenFinished = false;
};

} // namespace Tasktrail
