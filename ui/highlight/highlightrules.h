#pragma once

#include <QList>
#include <QStringView>

namespace Tasktrail {

// What a text is, which decides how it is highlighted.
enum class HighlightKind
{
    CommandLog,
    UnifiedDiff,
    Json,
    Toml, // template and policy files
};

// The roles the built-in highlighter gives parts of a line; LogHighlighter turns each into a
// format derived from the widget palette.
enum class HighlightStyle
{
    Error,
    Warning,
    Timestamp,
    Prompt,
    DiffAdded,
    DiffRemoved,
    DiffHunk,
    DiffHeader,
    JsonKey,
    JsonString,
    JsonNumber,
    JsonLiteral,
    Comment,
    Section, // a TOML [table] header
};

struct StyledSpan
{
    qsizetype start = 0;
    qsizetype length = 0;
    HighlightStyle style = HighlightStyle::Error;

    friend bool operator==(const StyledSpan &, const StyledSpan &) = default;
};

// The built-in rules, one line at a time (none of the kinds keeps state across lines: JSON
// strings cannot span lines, and a TOML multi-line string's inner lines read as plain text). Spans
// are in order and do not overlap.
QList<StyledSpan> builtinSpans(QStringView line, HighlightKind kind);

// Whether a log line reads as an error (error, failed, ERR!, fatal; any case), the same
// words the log view's "next error" looks for.
bool isErrorLine(QStringView line);
QList<QStringView> errorWords();

} // namespace Tasktrail
