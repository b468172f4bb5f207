#pragma once

#include "loglinecache.h"

#include <QAbstractScrollArea>
#include <QTextLayout>

#include <memory>
#include <optional>

namespace Tasktrail {

class AsyncQuery;
class LogHighlighter;
class RecordStore;

// One command's log, read lazily: only the visible lines are laid out, fetched from the store
// in windows (LogLineCache), so a log of a million lines opens at once. Lines that kept their
// ANSI escapes are shown in their colours, the others with the built-in log highlighting.
// Searching goes through the store, over the whole log, not only what was fetched. Every read
// runs on the view's query thread: painting shows what is cached (a placeholder for a line
// still loading) and repaints when the lines arrive; a search reports when it is done.
class LogView final : public QAbstractScrollArea
{
    Q_OBJECT

public:
    explicit LogView(QWidget *parent = nullptr);
    ~LogView() override;

    // The log is read from the store's database on a connection of the view's own; `store` is
    // not kept.
    void setLog(RecordStore *store, qint64 commandKey, qint64 lineCount);
    void clear();

    qint64 lineCount() const { return m_lineCount; }
    // The line searches and error jumps continue from; 0 before any.
    qint64 currentLine() const { return m_currentLine; }
    qint64 firstVisibleLine() const;
    int visibleLineCount() const;
    bool isLineVisible(qint64 lineNo) const;

    // Makes `lineNo` current and scrolls it into view (centred when it was out of view).
    void scrollToLine(qint64 lineNo);

    // Looks for the next line after (or before) the current one containing `text`, ignoring
    // ASCII case; when found it becomes current. searchFinished() reports the line number, or
    // -1 when there is none. A newer search supersedes one still running.
    void findNext(const QString &text, bool backwards = false);
    // The same for the next line reading as an error (error, failed, ERR!, fatal).
    void nextError(bool backwards = false);
    bool isSearching() const;

    // The text of a line as shown, without ANSI escapes; empty when it is absent or not
    // loaded yet.
    QString lineText(qint64 lineNo);
    bool isLineLoaded(qint64 lineNo) const;
    const LogLineCache &cache() const { return m_cache; }

    // Shown in place of a line that is still being read.
    static QString loadingText();

Q_SIGNALS:
    void currentLineChanged(qint64 lineNo);
    void searchFinished(qint64 lineNo);
    // Lines asked for by painting were read and are about to be shown.
    void linesLoaded();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateScrollBars();
    int lineHeight() const;
    int gutterWidth() const;
    void setCurrentLine(qint64 lineNo);
    qint64 searchStart(bool backwards) const;
    template<typename Search> void startSearch(Search search);
    void onSearchResult(std::optional<qint64> found);
    void loadVisibleLines();
    QList<QTextLayout::FormatRange> lineFormats(const LogLine &line, QString *text);
    void paintLine(QPainter &painter, qint64 lineNo, int y);

    AsyncQuery *m_queries = nullptr;
    bool m_hasLog = false;
    qint64 m_commandKey = 0;
    QList<qint64> m_requestedWindows; // being read for the newest line request
    qint64 m_lineCount = 0;
    qint64 m_currentLine = 0;
    QString m_findText;
    LogLineCache m_cache;
    std::unique_ptr<LogHighlighter> m_highlighter;
    int m_widestLine = 0;
};

} // namespace Tasktrail
