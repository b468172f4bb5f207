#include "text/jsonelements.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail::JsonElements {
namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

qsizetype skipBom(QByteArrayView json)
{
    return json.startsWith("\xEF\xBB\xBF") ? 3 : 0;
}

// Walks one value from `i` to the comma or closing bracket that ends it at depth 0.
struct Walker
{
    QByteArrayView json;
    qsizetype i = 0;
    qint64 line = 1;

    void skipSpace()
    {
        while (i < json.size() && isJsonSpace(json.at(i))) {
            if (json.at(i) == '\n')
                ++line;
            ++i;
        }
    }

    // Stops at the ',' or ']' (or, with `stopAtBrace`, '}') that ends the value, or at the
    // end of the input. Once the value is known to be broken (a line break inside a string,
    // a bracket closed by the wrong one), it also stops at a comma that ends a line when the
    // next line starts like the value did (`start`: its indentation and first character), as
    // the elements of a pretty-printed list do.
    bool complete = false; // after walkValue() ran off the end: no bracket or string open

    void walkValue(bool stopAtBrace, QByteArrayView start = {})
    {
        complete = false;
        QByteArray open; // the brackets still open, innermost last
        bool inString = false;
        bool escaped = false;
        bool broken = false;
        qsizetype lastNonSpace = -1;
        for (; i < json.size(); ++i) {
            const char c = json.at(i);
            if (c == '\n') {
                ++line;
                broken = broken || inString;
                if (broken && resyncAt(lastNonSpace, start)) {
                    --line;
                    i = lastNonSpace;
                    return;
                }
            }
            if (!isJsonSpace(c))
                lastNonSpace = i;
            if (inString) {
                if (escaped)
                    escaped = false;
                else if (c == '\\')
                    escaped = true;
                else if (c == '"' || c == '\n')
                    inString = false;
                continue;
            }
            if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                open.append(c);
            } else if (c == '}' || c == ']') {
                if (open.isEmpty()) {
                    if (c == ']' || stopAtBrace)
                        return;
                    broken = true;
                } else {
                    broken = broken || open.back() != (c == '}' ? '{' : '[');
                    open.chop(1);
                }
            } else if (c == ',' && open.isEmpty()) {
                return;
            }
        }
        complete = open.isEmpty() && !inString && !broken;
    }

    // At the line break at i: the line ended with a comma (`comma`) and the next one starts
    // like the value did.
    bool resyncAt(qsizetype comma, QByteArrayView start) const
    {
        return comma >= 0 && json.at(comma) == ',' && !start.isEmpty() &&
               json.sliced(i + 1).startsWith(start);
    }
};

// The indentation and first character of the value at `at`, when it starts its line.
QByteArrayView lineStart(QByteArrayView json, qsizetype at)
{
    qsizetype begin = at;
    while (begin > 0 && (json.at(begin - 1) == ' ' || json.at(begin - 1) == '\t'))
        --begin;
    if (begin > 0 && json.at(begin - 1) != '\n')
        return {};
    return json.sliced(begin, at - begin + 1);
}

} // namespace

qint64 lineAt(QByteArrayView json, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, json.size());
    return 1 + std::count(json.cbegin(), json.cbegin() + offset, '\n');
}

Scan scanArray(QByteArrayView json, qsizetype open)
{
    Scan scan;
    Walker w{json, open + 1, lineAt(json, open)};
    const auto notClosed = [&scan, json] {
        // At the last line with content, not the empty one after the final line break.
        qsizetype end = json.size();
        while (end > 0 && isJsonSpace(json.at(end - 1)))
            --end;
        scan.problem = u"the list is not closed: the document ends before its ']'"_s;
        scan.problemLine = lineAt(json, std::max<qsizetype>(end - 1, 0));
        return scan;
    };
    for (;;) {
        w.skipSpace();
        if (w.i >= json.size())
            return notClosed();
        if (json.at(w.i) == ']')
            break;
        Element element;
        element.line = w.line;
        const qsizetype start = w.i;
        w.walkValue(false, lineStart(json, start));
        qsizetype end = w.i;
        while (end > start && isJsonSpace(json.at(end - 1)))
            --end;
        element.bytes = json.sliced(start, end - start);
        element.cutOff = w.i >= json.size() && !w.complete;
        scan.elements.append(element);
        if (element.cutOff)
            return scan; // the element's own error says where the document stops
        if (w.i >= json.size())
            return notClosed();
        if (json.at(w.i) == ']')
            break;
        ++w.i; // the comma
    }
    ++w.i;
    w.skipSpace();
    // A list inside a wrapper object is followed by the rest of the wrapper.
    if (w.i < json.size() && rootArray(json) == open) {
        scan.problem = u"text after the end of the list"_s;
        scan.problemLine = w.line;
    }
    return scan;
}

qsizetype rootArray(QByteArrayView json)
{
    qsizetype i = skipBom(json);
    while (i < json.size() && isJsonSpace(json.at(i)))
        ++i;
    return i < json.size() && json.at(i) == '[' ? i : -1;
}

namespace {

// Calls `member` with each top-level member's key and the walker at its value's first byte;
// `member` returns false to stop. A key that is not a plain string ends the walk.
template<typename Member> void walkMembers(QByteArrayView json, const Member &member)
{
    Walker w{json, skipBom(json), 1};
    w.skipSpace();
    if (w.i >= json.size() || json.at(w.i) != '{')
        return;
    ++w.i;
    // Members: "key" : value , ...
    for (;;) {
        w.skipSpace();
        if (w.i >= json.size() || json.at(w.i) != '"')
            return;
        const qsizetype keyStart = w.i + 1;
        qsizetype keyEnd = keyStart;
        while (keyEnd < json.size() && json.at(keyEnd) != '"') {
            if (json.at(keyEnd) == '\\' || json.at(keyEnd) == '\n')
                return;
            ++keyEnd;
        }
        w.i = keyEnd + 1;
        w.skipSpace();
        if (w.i >= json.size() || json.at(w.i) != ':')
            return;
        ++w.i;
        w.skipSpace();
        if (!member(json.sliced(keyStart, keyEnd - keyStart), w))
            return;
        if (w.i >= json.size() || json.at(w.i) != ',')
            return;
        ++w.i;
    }
}

} // namespace

qsizetype keyedArray(QByteArrayView json, QByteArrayView key)
{
    qsizetype found = -1;
    walkMembers(json, [&](QByteArrayView name, Walker &w) {
        if (name == key && w.i < json.size() && json.at(w.i) == '[')
            found = w.i;
        w.walkValue(true);
        return true;
    });
    return found;
}

std::optional<Element> keyedValue(QByteArrayView json, QByteArrayView key)
{
    std::optional<Element> found;
    walkMembers(json, [&](QByteArrayView name, Walker &w) {
        const qsizetype start = w.i;
        const qint64 line = w.line;
        w.walkValue(true);
        if (name != key)
            return true;
        qsizetype end = w.i;
        while (end > start && isJsonSpace(json.at(end - 1)))
            --end;
        found = Element{json.sliced(start, end - start), line, w.i >= json.size() && !w.complete};
        return true;
    });
    return found;
}

Parsed parse(const Element &element)
{
    Parsed parsed;
    if (element.bytes.isEmpty()) {
        parsed.error = u"an empty element: a comma without a value before it"_s;
        parsed.errorLine = element.line;
        return parsed;
    }
    // Wrapped in an array, so that a number or a string parses as well as an object does.
    QByteArray wrapped;
    wrapped.reserve(element.bytes.size() + 2);
    wrapped.append('[').append(element.bytes).append(']');
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(wrapped, &error);
    if (error.error == QJsonParseError::NoError && document.array().size() == 1) {
        parsed.value = document.array().at(0);
        return parsed;
    }
    if (element.cutOff) {
        parsed.error = u"the document ends inside this element: the list is cut off"_s;
        parsed.errorLine = element.line;
        return parsed;
    }
    const qsizetype at = std::clamp<qsizetype>(error.offset - 1, 0, element.bytes.size());
    parsed.error = error.error == QJsonParseError::NoError
                       ? u"more than one value where one element belongs"_s
                   : error.error == QJsonParseError::IllegalUTF8String
                       ? u"invalid UTF-8 in a string"_s
                       : u"JSON syntax error: "_s % error.errorString();
    parsed.errorLine = element.line + lineAt(element.bytes, at) - 1;
    return parsed;
}

} // namespace Tasktrail::JsonElements
