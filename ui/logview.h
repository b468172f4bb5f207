#pragma once

#include "loglinecache.h"

#include <QAbstractScrollArea>
#include <QTextLayout>

#include <memory>

namespace Tasktrail {

class LogHighlighter;
class RecordStore;

// One command's log, read lazily: only the visible lines are laid out, fetched from the store
// in windows (LogLineCache), so a log of a million lines opens at once. Lines that kept their
// ANSI escapes are shown in their colours, the others with the built-in log highlighting.
// Searching goes through the store, over the whole log, not only what was fetched.
class LogView final : public QAbstractScrollArea
{
    Q_OBJECT

public:
    explicit LogView(QWidget *parent = nullptr);
    ~LogView() override;

    // The store is not owned and must outlive the log shown (or be replaced by clear()).
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

    // The next line after (or before) the current one containing `text`, ignoring ASCII case;
    // it becomes current. Returns the line number, or -1 when there is none.
    qint64 findNext(const QString &text, bool backwards = false);
    // The same for the next line reading as an error (error, failed, ERR!, fatal).
    qint64 nextError(bool backwards = false);

    // The text of a line as shown, without ANSI escapes; empty when it is absent.
    QString lineText(qint64 lineNo);
    const LogLineCache &cache() const { return m_cache; }

Q_SIGNALS:
    void currentLineChanged(qint64 lineNo);

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
    QList<QTextLayout::FormatRange> lineFormats(const LogLine &line, QString *text);
    void paintLine(QPainter &painter, qint64 lineNo, int y);

    RecordStore *m_store = nullptr;
    qint64 m_commandKey = 0;
    qint64 m_lineCount = 0;
    qint64 m_currentLine = 0;
    QString m_findText;
    LogLineCache m_cache;
    std::unique_ptr<LogHighlighter> m_highlighter;
    int m_widestLine = 0;
};

} // namespace Tasktrail
