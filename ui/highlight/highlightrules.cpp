#include "highlightrules.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

bool containsAny(QStringView line, const QList<QStringView> &words)
{
    for (QStringView word : words) {
        if (line.contains(word, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool isWarningLine(QStringView line)
{
    return line.contains(u"warning", Qt::CaseInsensitive) ||
           line.contains(u"WARN", Qt::CaseSensitive);
}

QList<StyledSpan> commandLogSpans(QStringView line)
{
    // A leading timestamp (ISO 8601 or a bare time), then the rest of the line.
    static const QRegularExpression timestamp(
        u"^\\[?(\\d{4}-\\d{2}-\\d{2}[T ])?\\d{2}:\\d{2}:\\d{2}([.,]\\d+)?(Z|[+-]\\d{2}:?\\d{2})?\\]?"_s);
    QList<StyledSpan> spans;
    qsizetype rest = 0;
    const auto match = timestamp.match(line.toString()); // matchView() is Qt 6.5
    if (match.hasMatch()) {
        spans << StyledSpan{0, match.capturedLength(0), HighlightStyle::Timestamp};
        rest = match.capturedLength(0);
        while (rest < line.size() && line.at(rest).isSpace())
            ++rest;
    }
    const QStringView body = line.sliced(rest);
    if (body.isEmpty())
        return spans;
    if (isErrorLine(body))
        spans << StyledSpan{rest, body.size(), HighlightStyle::Error};
    else if (isWarningLine(body))
        spans << StyledSpan{rest, body.size(), HighlightStyle::Warning};
    else if (body.startsWith(u"$ "))
        spans << StyledSpan{rest, body.size(), HighlightStyle::Prompt};
    return spans;
}

QList<StyledSpan> diffSpans(QStringView line)
{
    if (line.isEmpty())
        return {};
    HighlightStyle style = HighlightStyle::DiffHeader;
    if (line.startsWith(u"+++ ") || line.startsWith(u"--- ") || line.startsWith(u"diff ") ||
        line.startsWith(u"index ") || line.startsWith(u"new file") ||
        line.startsWith(u"deleted file") || line.startsWith(u"rename ")) {
        style = HighlightStyle::DiffHeader;
    } else if (line.startsWith(u"@@")) {
        style = HighlightStyle::DiffHunk;
    } else if (line.front() == u'+') {
        style = HighlightStyle::DiffAdded;
    } else if (line.front() == u'-') {
        style = HighlightStyle::DiffRemoved;
    } else {
        return {};
    }
    return {StyledSpan{0, line.size(), style}};
}

// JSON values, or TOML values from `from` on (TOML also has 'literal strings', dates and
// comments).
QList<StyledSpan> valueSpans(QStringView line, qsizetype from, bool toml)
{
    QList<StyledSpan> spans;
    const qsizetype size = line.size();
    qsizetype i = from;
    while (i < size) {
        const QChar c = line.at(i);
        if (toml && c == u'#') {
            spans << StyledSpan{i, size - i, HighlightStyle::Comment};
            break;
        }
        if (toml && c == u'\'') {
            const qsizetype close = line.indexOf(u'\'', i + 1);
            const qsizetype end = close < 0 ? size : close + 1;
            spans << StyledSpan{i, end - i, HighlightStyle::JsonString};
            i = end;
        } else if (c == u'"') {
            qsizetype end = i + 1;
            while (end < size && line.at(end) != u'"')
                end += line.at(end) == u'\\' ? 2 : 1;
            end = qMin(end + 1, size);
            // A string followed by a colon is a key.
            qsizetype next = end;
            while (next < size && line.at(next).isSpace())
                ++next;
            const bool key = !toml && next < size && line.at(next) == u':';
            spans << StyledSpan{i, end - i,
                                key ? HighlightStyle::JsonKey : HighlightStyle::JsonString};
            i = end;
        } else if (c == u'-' || c.isDigit()) {
            qsizetype end = i + 1;
            while (end < size &&
                   (line.at(end).isDigit() || line.at(end) == u'.' || line.at(end) == u'e' ||
                    line.at(end) == u'E' || line.at(end) == u'+' || line.at(end) == u'-' ||
                    (toml && (line.at(end) == u':' || line.at(end) == u'T' ||
                              line.at(end) == u'Z' || line.at(end) == u'_'))))
                ++end;
            spans << StyledSpan{i, end - i, HighlightStyle::JsonNumber};
            i = end;
        } else if (c.isLetter()) {
            qsizetype end = i + 1;
            while (end < size && line.at(end).isLetter())
                ++end;
            const QStringView word = line.sliced(i, end - i);
            if (word == u"true" || word == u"false" || word == u"null")
                spans << StyledSpan{i, end - i, HighlightStyle::JsonLiteral};
            i = end;
        } else {
            ++i;
        }
    }
    return spans;
}

QList<StyledSpan> jsonSpans(QStringView line)
{
    return valueSpans(line, 0, false);
}

QList<StyledSpan> tomlSpans(QStringView line)
{
    qsizetype start = 0;
    while (start < line.size() && line.at(start).isSpace())
        ++start;
    if (start == line.size())
        return {};
    if (line.at(start) == u'#')
        return {StyledSpan{start, line.size() - start, HighlightStyle::Comment}};
    if (line.at(start) == u'[') {
        const qsizetype close = line.lastIndexOf(u']');
        const qsizetype end = close < start ? line.size() : close + 1;
        QList<StyledSpan> spans{StyledSpan{start, end - start, HighlightStyle::Section}};
        const qsizetype comment = line.indexOf(u'#', end);
        if (comment >= 0)
            spans << StyledSpan{comment, line.size() - comment, HighlightStyle::Comment};
        return spans;
    }
    // key = value; a line without '=' continues an array or a multi-line string.
    const qsizetype equals = line.indexOf(u'=', start);
    const qsizetype quote = line.indexOf(u'"', start);
    if (equals < 0 || (quote >= 0 && quote < equals && line.at(start) != u'"'))
        return valueSpans(line, start, true);
    qsizetype keyEnd = equals;
    while (keyEnd > start && line.at(keyEnd - 1).isSpace())
        --keyEnd;
    QList<StyledSpan> spans{StyledSpan{start, keyEnd - start, HighlightStyle::JsonKey}};
    spans << valueSpans(line, equals + 1, true);
    return spans;
}

} // namespace

QList<QStringView> errorWords()
{
    return {u"error", u"failed", u"ERR!", u"fatal"};
}

bool isErrorLine(QStringView line)
{
    return containsAny(line, errorWords());
}

QList<StyledSpan> builtinSpans(QStringView line, HighlightKind kind)
{
    switch (kind) {
    case HighlightKind::CommandLog:
        return commandLogSpans(line);
    case HighlightKind::UnifiedDiff:
        return diffSpans(line);
    case HighlightKind::Json:
        return jsonSpans(line);
    case HighlightKind::Toml:
        return tomlSpans(line);
    }
    return {};
}

} // namespace Tasktrail
