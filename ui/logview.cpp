#include "logview.h"

#include "ansitext.h"
#include "asyncquery.h"
#include "highlight/highlightrules.h"
#include "highlight/loghighlighter.h"
#include "store/recordstore.h"

#include <QFontDatabase>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>

#include <limits>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// Lines longer than this are cut for display; a minified bundle on one line must not stall
// the layout of every frame.
constexpr qsizetype maxShownChars = 4000;
constexpr int textPadding = 6;

// Query slots: reading lines and searching are superseded independently.
enum QuerySlot
{
    LinesSlot,
    SearchSlot,
};

int clampToInt(qint64 value)
{
    return int(qBound(qint64(0), value, qint64(std::numeric_limits<int>::max())));
}

} // namespace

LogView::LogView(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_queries(new AsyncQuery(this))
    , m_highlighter(std::make_unique<LogHighlighter>(palette()))
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setAutoFillBackground(true);
    viewport()->setBackgroundRole(QPalette::Base);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, viewport(),
            qOverload<>(&QWidget::update));
    connect(horizontalScrollBar(), &QScrollBar::valueChanged, viewport(),
            qOverload<>(&QWidget::update));
}

LogView::~LogView() = default;

void LogView::setLog(RecordStore *store, qint64 commandKey, qint64 lineCount)
{
    const QString location = store ? store->location() : QString();
    if (location != m_queries->database())
        m_queries->setDatabase(location);
    m_queries->cancel(LinesSlot);
    m_queries->cancel(SearchSlot);
    m_requestedWindows.clear();
    m_hasLog = store != nullptr;
    m_commandKey = commandKey;
    m_lineCount = store ? qMax<qint64>(lineCount, 0) : 0;
    m_cache.reset(commandKey);
    m_widestLine = 0;
    m_findText.clear();
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    updateScrollBars();
    setCurrentLine(0);
    viewport()->update();
}

void LogView::clear()
{
    setLog(nullptr, 0, 0);
}

qint64 LogView::firstVisibleLine() const
{
    return m_lineCount > 0 ? qint64(verticalScrollBar()->value()) + 1 : 0;
}

int LogView::visibleLineCount() const
{
    return qMax(1, viewport()->height() / lineHeight());
}

bool LogView::isLineVisible(qint64 lineNo) const
{
    const qint64 first = firstVisibleLine();
    return lineNo >= 1 && lineNo <= m_lineCount && lineNo >= first &&
           lineNo < first + visibleLineCount();
}

void LogView::scrollToLine(qint64 lineNo)
{
    if (m_lineCount == 0)
        return;
    lineNo = qBound<qint64>(1, lineNo, m_lineCount);
    if (!isLineVisible(lineNo))
        verticalScrollBar()->setValue(clampToInt(lineNo - 1 - visibleLineCount() / 2));
    setCurrentLine(lineNo);
}

qint64 LogView::searchStart(bool backwards) const
{
    if (m_currentLine == 0)
        return backwards ? m_lineCount : 1;
    return backwards ? m_currentLine - 1 : m_currentLine + 1;
}

template<typename Search> void LogView::startSearch(Search search)
{
    m_queries->run(SearchSlot, this, std::move(search),
                   [this](std::optional<qint64> found) { onSearchResult(found); });
}

void LogView::findNext(const QString &text, bool backwards)
{
    if (!m_hasLog || text.isEmpty()) {
        Q_EMIT searchFinished(-1);
        return;
    }
    m_findText = text;
    viewport()->update();
    startSearch([key = m_commandKey, from = searchStart(backwards), text, backwards](
                    RecordStore &store) { return store.findLogLine(key, from, text, backwards); });
}

void LogView::nextError(bool backwards)
{
    if (!m_hasLog) {
        Q_EMIT searchFinished(-1);
        return;
    }
    QStringList words;
    for (QStringView word : errorWords())
        words << word.toString();
    startSearch(
        [key = m_commandKey, from = searchStart(backwards), words, backwards](RecordStore &store) {
            return store.findLogLineAny(key, from, words, backwards);
        });
}

bool LogView::isSearching() const
{
    return m_queries->isPending(SearchSlot);
}

void LogView::onSearchResult(std::optional<qint64> found)
{
    if (found)
        scrollToLine(*found);
    Q_EMIT searchFinished(found ? *found : -1);
}

QString LogView::lineText(qint64 lineNo)
{
    const LogLine *line = m_cache.line(lineNo);
    return line ? QString::fromUtf8(line->text) : QString();
}

bool LogView::isLineLoaded(qint64 lineNo) const
{
    return m_cache.hasWindow(LogLineCache::windowOf(lineNo));
}

QString LogView::loadingText()
{
    return tr("…");
}

void LogView::loadVisibleLines()
{
    if (!m_hasLog || m_lineCount == 0)
        return;
    const qint64 first = firstVisibleLine();
    const qint64 last = qMin(m_lineCount, first + visibleLineCount());
    const QList<qint64> missing = m_cache.missingWindows(first, last);
    if (missing.isEmpty() || missing == m_requestedWindows)
        return;
    // One request for what is on screen now; scrolling on supersedes it.
    m_requestedWindows = missing;
    m_queries->run(
        LinesSlot, this,
        [key = m_commandKey, missing](RecordStore &store) {
            QList<QList<LogLine>> windows;
            for (qint64 index : missing)
                windows.push_back(LogLineCache::fetchWindow(store, key, index));
            return windows;
        },
        [this, missing](const QList<QList<LogLine>> &windows) {
            m_requestedWindows.clear();
            for (qsizetype i = 0; i < windows.size(); ++i)
                m_cache.insertWindow(missing.at(i), windows.at(i));
            viewport()->update();
            Q_EMIT linesLoaded();
        });
}

void LogView::setCurrentLine(qint64 lineNo)
{
    if (lineNo == m_currentLine)
        return;
    m_currentLine = lineNo;
    viewport()->update();
    Q_EMIT currentLineChanged(lineNo);
}

int LogView::lineHeight() const
{
    return qMax(1, fontMetrics().height());
}

int LogView::gutterWidth() const
{
    const int digits = int(QString::number(qMax<qint64>(m_lineCount, 1)).size());
    return fontMetrics().horizontalAdvance(u'9') * digits + 2 * textPadding;
}

void LogView::updateScrollBars()
{
    const int visible = visibleLineCount();
    verticalScrollBar()->setPageStep(visible);
    verticalScrollBar()->setSingleStep(1);
    verticalScrollBar()->setRange(0, clampToInt(m_lineCount - visible));
    const int textWidth = viewport()->width() - gutterWidth() - textPadding;
    horizontalScrollBar()->setPageStep(qMax(1, textWidth));
    horizontalScrollBar()->setSingleStep(fontMetrics().horizontalAdvance(u'M') * 4);
    horizontalScrollBar()->setRange(0, qMax(0, m_widestLine - textWidth));
}

QList<QTextLayout::FormatRange> LogView::lineFormats(const LogLine &line, QString *text)
{
    QList<QTextLayout::FormatRange> ranges;
    if (line.ansi.isEmpty()) {
        *text = QString::fromUtf8(line.text).left(maxShownChars);
        ranges = m_highlighter->formatLine(*text, HighlightKind::CommandLog);
    } else {
        text->clear();
        for (const AnsiSegment &segment : parseAnsi(line.ansi)) {
            QTextCharFormat f;
            if (segment.foreground >= 0)
                f.setForeground(ansiColor(segment.foreground));
            if (segment.background >= 0)
                f.setBackground(ansiColor(segment.background));
            if (segment.bold)
                f.setFontWeight(QFont::Bold);
            ranges.push_back({int(text->size()), int(segment.text.size()), f});
            *text += segment.text;
        }
    }
    if (text->size() > maxShownChars)
        text->truncate(maxShownChars);
    return ranges;
}

void LogView::paintLine(QPainter &painter, qint64 lineNo, int y)
{
    const int height = lineHeight();
    const int gutter = gutterWidth();
    const QPalette &pal = palette();
    if (lineNo == m_currentLine) {
        QColor band = pal.color(QPalette::Highlight);
        band.setAlpha(60);
        painter.fillRect(QRect(0, y, viewport()->width(), height), band);
    }

    const LogLine *line = m_cache.line(lineNo);
    QString text;
    QList<QTextLayout::FormatRange> ranges;
    const bool loading = !line && !m_cache.hasWindow(LogLineCache::windowOf(lineNo));
    if (line) {
        ranges = lineFormats(*line, &text);
    } else if (loading) {
        text = loadingText();
        QTextCharFormat placeholder;
        placeholder.setForeground(pal.color(QPalette::PlaceholderText));
        ranges.push_back({0, int(text.size()), placeholder});
    }
    if (lineNo == m_currentLine && !m_findText.isEmpty()) {
        QTextCharFormat match;
        match.setBackground(pal.color(QPalette::Highlight));
        match.setForeground(pal.color(QPalette::HighlightedText));
        for (qsizetype at = text.indexOf(m_findText, 0, Qt::CaseInsensitive); at >= 0;
             at = text.indexOf(m_findText, at + m_findText.size(), Qt::CaseInsensitive))
            ranges.push_back({int(at), int(m_findText.size()), match});
    }

    QTextLayout layout(text, font());
    QTextOption option;
    option.setWrapMode(QTextOption::NoWrap);
    layout.setTextOption(option);
    layout.setFormats(ranges);
    layout.beginLayout();
    QTextLine textLine = layout.createLine();
    if (textLine.isValid())
        textLine.setLineWidth(qreal(1 << 24)); // no wrapping: wider than any shown line
    layout.endLayout();
    if (textLine.isValid()) {
        const int width = int(textLine.naturalTextWidth());
        if (width > m_widestLine) {
            m_widestLine = width;
            updateScrollBars();
        }
    }
    painter.save();
    painter.setClipRect(QRect(gutter, y, viewport()->width() - gutter, height));
    painter.setPen(pal.color(QPalette::Text));
    layout.draw(&painter, QPointF(gutter + textPadding - horizontalScrollBar()->value(), y));
    painter.restore();

    painter.setPen(lineNo == m_currentLine ? pal.color(QPalette::Text)
                                           : pal.color(QPalette::PlaceholderText));
    painter.drawText(QRect(0, y, gutter - textPadding, height), Qt::AlignRight | Qt::AlignVCenter,
                     QString::number(lineNo));
}

void LogView::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event);
    QPainter painter(viewport());
    const int gutter = gutterWidth();
    painter.fillRect(QRect(0, 0, gutter, viewport()->height()),
                     palette().color(QPalette::AlternateBase));
    if (m_lineCount == 0)
        return;
    loadVisibleLines();
    const qint64 first = firstVisibleLine();
    const qint64 last = qMin(m_lineCount, first + visibleLineCount());
    const int height = lineHeight();
    for (qint64 lineNo = first; lineNo <= last; ++lineNo)
        paintLine(painter, lineNo, int(lineNo - first) * height);
}

void LogView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void LogView::keyPressEvent(QKeyEvent *event)
{
    qint64 target = -1;
    const qint64 from = m_currentLine > 0 ? m_currentLine : firstVisibleLine();
    switch (event->key()) {
    case Qt::Key_Up:
        target = from - 1;
        break;
    case Qt::Key_Down:
        target = from + 1;
        break;
    case Qt::Key_PageUp:
        target = from - visibleLineCount();
        break;
    case Qt::Key_PageDown:
        target = from + visibleLineCount();
        break;
    case Qt::Key_Home:
        target = 1;
        break;
    case Qt::Key_End:
        target = m_lineCount;
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    if (m_lineCount == 0)
        return;
    target = qBound<qint64>(1, target, m_lineCount);
    // Keep the current line at the edge while stepping, rather than jumping to the centre.
    if (target < firstVisibleLine())
        verticalScrollBar()->setValue(clampToInt(target - 1));
    else if (target >= firstVisibleLine() + visibleLineCount())
        verticalScrollBar()->setValue(clampToInt(target - visibleLineCount()));
    setCurrentLine(target);
}

void LogView::mousePressEvent(QMouseEvent *event)
{
    if (m_lineCount == 0)
        return;
    const qint64 lineNo = firstVisibleLine() + qint64(event->position().y()) / lineHeight();
    if (lineNo <= m_lineCount)
        setCurrentLine(lineNo);
}

void LogView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_highlighter->setPalette(palette());
    if (event->type() == QEvent::FontChange)
        updateScrollBars();
    QAbstractScrollArea::changeEvent(event);
}

} // namespace Tasktrail
