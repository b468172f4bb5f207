#pragma once

#include "highlightrules.h"

#include <QList>
#include <QPalette>
#include <QStringView>
#include <QTextCharFormat>
#include <QTextLayout>

#include <memory>

class QTextDocument;

namespace Tasktrail {

class LogHighlighterPrivate;

// Highlighting of command logs, unified diffs and JSON behind one small interface.
//
// With KDE's KSyntaxHighlighting (KF6) at build time, diffs and JSON use its definitions and
// themes from one shared repository; command logs, for which it has no definition, and every
// kind without it use the built-in rules of highlightrules.h. Colours follow the palette given,
// so light and dark themes both read well.
class LogHighlighter final
{
public:
    explicit LogHighlighter(const QPalette &palette);
    ~LogHighlighter();
    LogHighlighter(const LogHighlighter &) = delete;
    LogHighlighter &operator=(const LogHighlighter &) = delete;

    void setPalette(const QPalette &palette);

    // The format the built-in rules use for a style under the current palette.
    QTextCharFormat format(HighlightStyle style) const;

    // The formats of one line, for a view that lays out lines itself.
    QList<QTextLayout::FormatRange> formatLine(QStringView line, HighlightKind kind);

    // Highlights a whole document from now on; the highlighter installed belongs to it and
    // replaces one installed by an earlier call.
    void highlight(QTextDocument *document, HighlightKind kind);

    // Whether KSyntaxHighlighting was found at build time.
    static bool hasKSyntaxHighlighting();

private:
    std::unique_ptr<LogHighlighterPrivate> d;
};

} // namespace Tasktrail
