#include "exportdialog.h"

#include "asyncquery.h"
#include "displaytext.h"
#include "report/reportcharts.h"
#include "report/reportrunner.h"
#include "report/reporttext.h"
#include "report/svgchart.h"
#include "reportexporter.h"
#include "store/recordstore.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

#include <utility>

#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr int previewDelayMs = 300;
const QUrl chartUrl(u"tasktrail-preview:chart"_s);

QString esc(const QString &text)
{
    return ReportText::html(text);
}

// The expression narrows the scope; a key both set must agree.
std::optional<TaskFilter> narrowed(TaskFilter scope, const TaskFilter &extra, QString *error)
{
    bool ok = true;
    const auto merge = [&](const char *key, auto &field, const auto &value) {
        using Field = std::remove_reference_t<decltype(field)>;
        if (value == Field())
            return;
        if (field != Field() && field != value) {
            *error = ExportDialog::tr("'%1' in the filter disagrees with the scope")
                         .arg(QLatin1StringView(key));
            ok = false;
            return;
        }
        field = value;
    };
    merge("text", scope.text, extra.text);
    merge("state", scope.state, extra.state);
    merge("repo", scope.repo, extra.repo);
    merge("campaign", scope.campaignId, extra.campaignId);
    merge("kind", scope.identityKind, extra.identityKind);
    merge("policy", scope.policyId, extra.policyId);
    merge("from", scope.from, extra.from);
    merge("to", scope.to, extra.to);
    if (!ok)
        return std::nullopt;
    return scope;
}

// A row of the summary table; a breakdown of the row above is indented.
QString row(const QString &label, qint64 value, bool indent = false)
{
    return u"<tr><td>%1%2</td><td align=\"right\">%3</td></tr>"_s.arg(
        indent ? u"&nbsp;&nbsp;&nbsp;&nbsp;"_s : QString(), esc(label), QString::number(value));
}

enum QuerySlot
{
    CampaignsSlot,
    PreviewSlot,
};

} // namespace

ExportDialog::ExportDialog(const QString &dbPath, const TaskFilter &runsFilter, QWidget *parent)
    : QDialog(parent)
    , m_dbPath(dbPath)
    , m_runsFilter(runsFilter)
    , m_previewTimer(new QTimer(this))
    , m_exporter(new ReportExporter(this))
{
    setWindowTitle(tr("Export Report"));
    setObjectName(u"exportDialog"_s);
    // Campaigns and the preview are read on a connection of the dialog's own, off the GUI
    // thread; the export itself runs on the exporter's.
    m_queries = new AsyncQuery(this);
    m_queries->setDatabase(dbPath);

    m_preview = new QTextBrowser(this);
    m_preview->setObjectName(u"exportPreview"_s);
    m_preview->setOpenLinks(false);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(u"exportProgress"_s);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_status = new QLabel(this);
    m_status->setObjectName(u"exportStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    connect(m_queries, &AsyncQuery::errorOccurred, this, [this](const QString &error) {
        m_openError = error;
        m_status->setText(tr("Cannot open %1: %2").arg(QDir::toNativeSeparators(m_dbPath), error));
        updateState();
    });

    auto *buttons = new QDialogButtonBox(this);
    m_exportButton = buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    m_exportButton->setObjectName(u"exportButton"_s);
    m_cancelButton = buttons->addButton(tr("Cancel Export"), QDialogButtonBox::ActionRole);
    m_cancelButton->setObjectName(u"cancelExportButton"_s);
    buttons->addButton(QDialogButtonBox::Close);
    connect(m_exportButton, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_cancelButton, &QPushButton::clicked, this, &ExportDialog::cancelExport);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(createScopeBox());
    leftLayout->addWidget(createOutputBox());
    leftLayout->addStretch();
    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(m_preview);
    splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(previewDelayMs);
    connect(m_previewTimer, &QTimer::timeout, this, &ExportDialog::refreshPreview);
    connect(m_exporter, &ReportExporter::progress, this, [this](qint64 done, qint64 total) {
        m_progress->setValue(
            int(qBound<qint64>(qint64(0), done * 1000 / qMax<qint64>(1, total), qint64(1000))));
    });
    connect(m_exporter, &ReportExporter::finished, this, &ExportDialog::exportFinished);
    formatChanged();
    scopeChanged();
    resize(960, 600);
}

ExportDialog::~ExportDialog() = default;

QWidget *ExportDialog::createScopeBox()
{
    auto *box = new QGroupBox(tr("Scope"), this);
    auto *form = new QFormLayout(box);
    m_scopeGroup = new QButtonGroup(this);
    const QString current = filterExpression(m_runsFilter);
    auto *runs = new QRadioButton(
        current.isEmpty() ? tr("Runs view (all tasks)") : tr("Runs view: %1").arg(current), box);
    runs->setObjectName(u"scopeRunsFilter"_s);
    auto *campaign = new QRadioButton(tr("Campaign"), box);
    campaign->setObjectName(u"scopeCampaign"_s);
    auto *range = new QRadioButton(tr("Time range"), box);
    range->setObjectName(u"scopeRange"_s);
    m_scopeGroup->addButton(runs, int(Scope::RunsFilter));
    m_scopeGroup->addButton(campaign, int(Scope::Campaign));
    m_scopeGroup->addButton(range, int(Scope::Range));
    runs->setChecked(true);

    m_campaign = new QComboBox(box);
    m_campaign->setObjectName(u"campaignCombo"_s);
    campaign->setEnabled(false); // until campaigns are read
    m_queries->run(
        CampaignsSlot, this, [](RecordStore &store) { return store.campaigns(); },
        [this](const QList<CampaignRecord> &campaigns) { fillCampaigns(campaigns); });
    const QDate today = QDate::currentDate();
    m_from = new QDateEdit(today.addDays(-30), box);
    m_from->setObjectName(u"rangeFrom"_s);
    m_to = new QDateEdit(today, box);
    m_to->setObjectName(u"rangeTo"_s);
    for (QDateEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(u"yyyy-MM-dd"_s);
        connect(edit, &QDateEdit::dateChanged, this, &ExportDialog::scopeChanged);
    }
    auto *rangeRow = new QHBoxLayout;
    rangeRow->addWidget(m_from);
    rangeRow->addWidget(new QLabel(tr("to"), box));
    rangeRow->addWidget(m_to);

    m_expression = new QLineEdit(box);
    m_expression->setObjectName(u"filterExpression"_s);
    m_expression->setPlaceholderText(u"state=failed repo=acme/web"_s);
    m_expression->setClearButtonEnabled(true);
    m_filterError = new QLabel(box);
    m_filterError->setObjectName(u"filterError"_s);
    m_filterError->setTextFormat(Qt::PlainText);
    m_filterError->setWordWrap(true);
    m_filterError->setStyleSheet(u"color: palette(link-visited);"_s);

    form->addRow(runs);
    form->addRow(campaign, m_campaign);
    form->addRow(range, rangeRow);
    form->addRow(tr("Filter:"), m_expression);
    form->addRow(m_filterError);
    connect(m_scopeGroup, &QButtonGroup::idToggled, this, [this](int, bool checked) {
        if (checked)
            scopeChanged();
    });
    connect(m_campaign, &QComboBox::currentIndexChanged, this, &ExportDialog::scopeChanged);
    connect(m_expression, &QLineEdit::textChanged, this, &ExportDialog::scopeChanged);
    return box;
}

QWidget *ExportDialog::createOutputBox()
{
    auto *box = new QGroupBox(tr("Output"), this);
    auto *form = new QFormLayout(box);
    m_format = new QComboBox(box);
    m_format->setObjectName(u"formatCombo"_s);
    m_format->addItem(tr("PDF"), int(ReportFormat::Pdf));
    m_format->addItem(tr("HTML"), int(ReportFormat::Html));
    m_format->addItem(tr("CSV"), int(ReportFormat::Csv));
    m_format->addItem(tr("Markdown"), int(ReportFormat::Markdown));
    m_format->addItem(tr("JSON"), int(ReportFormat::Json));
    m_appendix = new QCheckBox(tr("Include the per-task appendix"), box);
    m_appendix->setObjectName(u"appendixCheck"_s);
    m_appendix->setChecked(true);
    m_path = new QLineEdit(box);
    m_path->setObjectName(u"outputPath"_s);
    auto *browse = new QPushButton(tr("Browse…"), box);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    m_csvNote = new QLabel(tr("CSV writes one file per table next to this name "
                              "(name-summary.csv, name-tasks.csv, ...)."),
                           box);
    m_csvNote->setWordWrap(true);
    form->addRow(tr("Format:"), m_format);
    form->addRow(m_appendix);
    form->addRow(tr("File:"), pathRow);
    form->addRow(m_csvNote);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
    connect(m_path, &QLineEdit::textChanged, this, &ExportDialog::updateState);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    return box;
}

void ExportDialog::setScope(Scope scope)
{
    m_scopeGroup->button(int(scope))->setChecked(true);
}

ExportDialog::Scope ExportDialog::scope() const
{
    return Scope(m_scopeGroup->checkedId());
}

void ExportDialog::setCampaign(const QString &id)
{
    if (m_queries->isPending(CampaignsSlot))
        m_wantedCampaign = id;
    else
        m_campaign->setCurrentIndex(m_campaign->findData(id));
}

void ExportDialog::fillCampaigns(const QList<CampaignRecord> &campaigns)
{
    for (const CampaignRecord &c : campaigns)
        m_campaign->addItem(c.title.isEmpty() ? c.id : u"%1 — %2"_s.arg(c.id, c.title), c.id);
    m_scopeGroup->button(int(Scope::Campaign))->setEnabled(m_campaign->count() > 0);
    if (!m_wantedCampaign.isEmpty())
        m_campaign->setCurrentIndex(m_campaign->findData(std::exchange(m_wantedCampaign, {})));
    updateState();
}

bool ExportDialog::isLoading() const
{
    return m_queries->isPending(CampaignsSlot) || m_queries->isPending(PreviewSlot);
}

void ExportDialog::setRange(QDate from, QDate to)
{
    m_from->setDate(from);
    m_to->setDate(to);
}

void ExportDialog::setFilterExpression(const QString &expression)
{
    m_expression->setText(expression);
}

void ExportDialog::setFormat(ReportFormat format)
{
    m_format->setCurrentIndex(m_format->findData(int(format)));
}

ReportFormat ExportDialog::format() const
{
    return ReportFormat(m_format->currentData().toInt());
}

void ExportDialog::setAppendix(bool appendix)
{
    m_appendix->setChecked(appendix);
}

void ExportDialog::setOutputPath(const QString &path)
{
    m_path->setText(path);
}

QString ExportDialog::outputPath() const
{
    return m_path->text().trimmed();
}

TaskFilter ExportDialog::scopeFilter() const
{
    switch (scope()) {
    case Scope::Campaign:
        return ReportQuery::forCampaign(m_campaign->currentData().toString()).filter;
    case Scope::Range:
        return ReportQuery::forRange(m_from->date().startOfDay(Qt::UTC),
                                     m_to->date().addDays(1).startOfDay(Qt::UTC))
            .filter;
    case Scope::RunsFilter:
        break;
    }
    return m_runsFilter;
}

std::optional<ReportQuery> ExportDialog::buildQuery(QString *error) const
{
    const auto extra = parseFilterExpression(m_expression->text(), error);
    if (!extra)
        return std::nullopt;
    const auto filter = narrowed(scopeFilter(), *extra, error);
    if (!filter)
        return std::nullopt;
    ReportQuery q;
    q.filter = *filter;
    q.appendix = m_appendix->isChecked();
    return q;
}

std::optional<ReportQuery> ExportDialog::query() const
{
    QString error;
    return buildQuery(&error);
}

QString ExportDialog::filterError() const
{
    return m_filterError->text();
}

bool ExportDialog::canExport() const
{
    // A campaign report needs its campaign: none is chosen while the campaigns are read.
    if (scope() == Scope::Campaign && m_campaign->currentData().toString().isEmpty())
        return false;
    return m_openError.isEmpty() && !m_exporter->isRunning() && filterError().isEmpty() &&
           !outputPath().isEmpty();
}

void ExportDialog::scopeChanged()
{
    m_campaign->setEnabled(scope() == Scope::Campaign);
    m_from->setEnabled(scope() == Scope::Range);
    m_to->setEnabled(scope() == Scope::Range);
    QString error;
    m_filterError->setText(buildQuery(&error) ? QString() : error);
    updateState();
    m_previewTimer->start();
}

void ExportDialog::formatChanged()
{
    const ReportFormat f = format();
    m_csvNote->setVisible(f == ReportFormat::Csv);
    m_appendix->setEnabled(f != ReportFormat::Csv);
    const QString path = outputPath();
    if (!path.isEmpty()) {
        const QFileInfo info(path);
        const QString base =
            info.suffix().isEmpty() ? path : info.path() + u'/' + info.completeBaseName();
        m_path->setText(base + u'.' + toString(f));
    }
    updateState();
}

void ExportDialog::browse()
{
    const QString suffix = toString(format());
    const QString filter = tr("%1 files (*.%2)").arg(m_format->currentText(), suffix);
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export Report"), outputPath(), filter);
    if (path.isEmpty())
        return;
    setOutputPath(QFileInfo(path).suffix().isEmpty() ? path + u'.' + suffix : path);
}

void ExportDialog::updateState()
{
    m_exportButton->setEnabled(canExport());
    m_cancelButton->setEnabled(m_exporter->isRunning());
}

bool ExportDialog::startExport()
{
    const auto q = query();
    if (!q || !canExport())
        return false;
    m_progress->setValue(0);
    if (!m_exporter->start(m_dbPath, *q, format(), outputPath()))
        return false;
    m_status->setText(tr("Exporting to %1…").arg(QDir::toNativeSeparators(outputPath())));
    updateState();
    return true;
}

void ExportDialog::cancelExport()
{
    m_exporter->cancel();
}

void ExportDialog::exportFinished(bool ok, bool cancelled, const QString &error,
                                  const QString &path)
{
    const QString where = QDir::toNativeSeparators(path);
    if (ok) {
        m_progress->setValue(m_progress->maximum());
        m_status->setText(format() == ReportFormat::Csv
                              ? tr("Written next to %1 (one CSV file per table)").arg(where)
                              : tr("Written to %1").arg(where));
    } else if (cancelled) {
        m_status->setText(tr("Cancelled; %1 was left as it was").arg(where));
    } else {
        m_status->setText(tr("Export failed: %1").arg(error));
    }
    updateState();
    if (m_closeWhenFinished)
        QDialog::reject();
}

// Closing while an export runs cancels it; the dialog closes once the worker has stopped.
void ExportDialog::reject()
{
    if (m_exporter->isRunning()) {
        m_closeWhenFinished = true;
        m_exporter->cancel();
        return;
    }
    QDialog::reject();
}

QString ExportDialog::previewHtml() const
{
    return m_previewSource;
}

QString ExportDialog::statusText() const
{
    return m_status->text();
}

void ExportDialog::refreshPreview()
{
    m_previewTimer->stop();
    const auto q = query();
    if (!q || !m_openError.isEmpty()) {
        m_queries->cancel(PreviewSlot);
        showPreview(std::nullopt, q.has_value());
        return;
    }
    m_queries->run(
        PreviewSlot, this, [q = *q](RecordStore &store) { return ReportRunner(store).readData(q); },
        [this](const std::optional<ReportData> &report) { showPreview(report, true); });
}

void ExportDialog::showPreview(const std::optional<ReportData> &report, bool valid)
{
    if (!report) {
        m_previewSource = u"<p><i>%1</i></p>"_s.arg(esc(
            valid ? tr("The report cannot be read.") : tr("No preview: %1").arg(filterError())));
        m_preview->setHtml(m_previewSource);
    } else {
        m_previewSource = summaryHtml(*report);
        showChart(*report);
    }
    Q_EMIT previewRefreshed();
}

QString ExportDialog::summaryHtml(const ReportData &report) const
{
    const ReportAggregates &a = report.aggregates;
    QString html = u"<h3>%1</h3>"_s.arg(esc(report.title));
    html += u"<p>%1 <code>%2</code></p>"_s.arg(
        esc(tr("Filter:")), esc(report.filter.isEmpty() ? tr("(all tasks)") : report.filter));
    if (report.campaign)
        html += u"<p>%1</p>"_s.arg(
            esc(tr("Campaign %1: %2").arg(report.campaign->id, report.campaign->title)));
    html += u"<table cellspacing=\"2\">"_s + row(tr("Tasks"), report.taskCount);
    for (auto it = a.tasksByState.cbegin(); it != a.tasksByState.cend(); ++it)
        html += row(it.key(), it.value(), true);
    html += row(tr("Pull requests"), a.prsOpened);
    html += row(tr("merged"), a.prsMerged, true);
    html += row(tr("closed unmerged"), a.prsClosedUnmerged, true);
    html += row(tr("open"), a.prsOpen, true);
    html += row(tr("Repositories skipped"), a.skippedRepos);
    for (const SkipReasonCount &skip : a.skipReasons)
        html += row(skip.rule.isEmpty() ? skip.reason : skip.rule, skip.count, true);
    qint64 findings = 0;
    for (const qint64 n : a.findingsBySeverity)
        findings += n;
    html += row(tr("Findings"), findings);
    for (auto it = a.findingsBySeverity.cbegin(); it != a.findingsBySeverity.cend(); ++it)
        html += row(toString(it.key()), it.value(), true);
    html += u"</table>"_s;
    html += u"<p>%1 <code>%2</code></p>"_s.arg(esc(tr("Evidence chain head:")),
                                               esc(report.evidenceHead.isEmpty()
                                                       ? tr("(none)")
                                                       : QString::fromLatin1(report.evidenceHead)));
    return html;
}

void ExportDialog::showChart(const ReportData &report)
{
    QString html = m_previewSource;
    const QList<ReportChart> charts = ReportCharts::charts(report);
    if (!charts.isEmpty()) {
        QSvgRenderer renderer(svgChart(charts.first()).toUtf8());
        if (renderer.isValid()) {
            const QSize size = renderer.defaultSize().isValid()
                                   ? renderer.defaultSize().scaled(560, 320, Qt::KeepAspectRatio)
                                   : QSize(560, 320);
            QImage image(size, QImage::Format_ARGB32_Premultiplied);
            image.fill(Qt::white);
            QPainter painter(&image);
            renderer.render(&painter);
            painter.end();
            m_preview->document()->addResource(QTextDocument::ImageResource, chartUrl, image);
            html += u"<p><img src=\"%1\"></p>"_s.arg(chartUrl.toString());
        }
    }
    m_previewSource = html;
    m_preview->setHtml(html);
}

} // namespace Tasktrail
