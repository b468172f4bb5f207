#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace Tasktrail::ReportText {

// Text as a reader must see it: characters that are invisible or change how the text around
// them is displayed (bidi overrides and isolates, zero-width characters, other format and
// control characters, line separators, lone surrogates) become a visible "[U+202E]". Tabs and
// line feeds stay. Every human-readable format (HTML, Markdown, CSV, PDF) shows record text
// through this; JSON keeps the exact values.
QString visible(const QString &text);

// visible(), then & < > " ' as entities: safe in element content and in quoted attributes.
QString html(const QString &text);

// ISO 8601 UTC to the second ("2026-06-01T12:34:56Z"); empty for an invalid time.
QString isoTime(const QDateTime &at);
// "45 s", "12 min", "3 h 05 min", "2 d 4 h"; empty for nullopt.
QString duration(std::optional<qint64> ms);
// A number as the reports print it: integers without a fraction, others to 6 significant
// digits at most, never in exponent form below 1e15.
QString number(double value);

} // namespace Tasktrail::ReportText
