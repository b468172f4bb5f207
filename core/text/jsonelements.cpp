#include "text/jsonelements.h"

#include <QIODevice>
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

// Walks one value from `i` to the comma or closing bracket that ends it at depth 0. Over a
// document read in pieces (`atEnd` false) the walk stops where the bytes end (`suspended`)
// and goes on from there, in the same state, once more bytes were appended.
struct Walker
{
    Walker(QByteArrayView json_, qsizetype i_, qint64 line_)
        : json(json_)
        , i(i_)
        , line(line_)
    {}

    QByteArrayView json;
    qsizetype i = 0;
    qint64 line = 1;
    bool atEnd = true; // json holds the rest of the document

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
    bool complete = false;  // after walkValue() ran off the end: no bracket or string open
    bool suspended = false; // the bytes ended before the value did, and more may come
    struct ValueState
    {
        QByteArray open; // the brackets still open, innermost last
        bool inString = false;
        bool escaped = false;
        bool broken = false;
        qsizetype lastNonSpace = -1;
    } v;

    void walkValue(bool stopAtBrace, QByteArrayView start = {})
    {
        v = {};
        resumeValue(stopAtBrace, start);
    }

    void resumeValue(bool stopAtBrace, QByteArrayView start)
    {
        complete = false;
        suspended = false;
        for (; i < json.size(); ++i) {
            const char c = json.at(i);
            if (c == '\n') {
                const bool broken = v.broken || v.inString;
                // Whether the next line starts like the value is known only with its bytes.
                if (broken && !atEnd && json.size() - i - 1 < start.size()) {
                    suspended = true;
                    return;
                }
                ++line;
                v.broken = broken;
                if (v.broken && resyncAt(v.lastNonSpace, start)) {
                    --line;
                    i = v.lastNonSpace;
                    return;
                }
            }
            if (!isJsonSpace(c))
                v.lastNonSpace = i;
            if (v.inString) {
                if (v.escaped)
                    v.escaped = false;
                else if (c == '\\')
                    v.escaped = true;
                else if (c == '"' || c == '\n')
                    v.inString = false;
                continue;
            }
            if (c == '"') {
                v.inString = true;
            } else if (c == '{' || c == '[') {
                v.open.append(c);
            } else if (c == '}' || c == ']') {
                if (v.open.isEmpty()) {
                    if (c == ']' || stopAtBrace)
                        return;
                    v.broken = true;
                } else {
                    v.broken = v.broken || v.open.back() != (c == '}' ? '{' : '[');
                    v.open.chop(1);
                }
            } else if (c == ',' && v.open.isEmpty()) {
                return;
            }
        }
        suspended = !atEnd;
        complete = v.open.isEmpty() && !v.inString && !v.broken;
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
// `member` returns false to stop. A key that is not a plain string ends the walk. True when
// the walk ends at the object's closing brace: every member was met.
template<typename Member> bool walkMembers(QByteArrayView json, const Member &member)
{
    Walker w{json, skipBom(json), 1};
    w.skipSpace();
    if (w.i >= json.size() || json.at(w.i) != '{')
        return false;
    ++w.i;
    const auto atClose = [&w, json] { return w.i < json.size() && json.at(w.i) == '}'; };
    // Members: "key" : value , ...
    for (;;) {
        w.skipSpace();
        if (w.i >= json.size() || json.at(w.i) != '"')
            return atClose();
        const qsizetype keyStart = w.i + 1;
        qsizetype keyEnd = keyStart;
        while (keyEnd < json.size() && json.at(keyEnd) != '"') {
            if (json.at(keyEnd) == '\\' || json.at(keyEnd) == '\n')
                return false;
            ++keyEnd;
        }
        w.i = keyEnd + 1;
        w.skipSpace();
        if (w.i >= json.size() || json.at(w.i) != ':')
            return false;
        ++w.i;
        w.skipSpace();
        if (!member(json.sliced(keyStart, keyEnd - keyStart), w))
            return false;
        if (w.i >= json.size() || json.at(w.i) != ',')
            return atClose();
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

bool memberValues(QByteArrayView json, std::initializer_list<QByteArrayView> keys,
                  std::optional<QByteArrayView> *values)
{
    for (std::size_t k = 0; k < keys.size(); ++k)
        values[k].reset();
    return walkMembers(json, [&](QByteArrayView name, Walker &w) {
        const qsizetype start = w.i;
        w.walkValue(true);
        const auto key = std::find(keys.begin(), keys.end(), name);
        if (key != keys.end()) {
            qsizetype end = w.i;
            while (end > start && isJsonSpace(json.at(end - 1)))
                --end;
            values[key - keys.begin()] = json.sliced(start, end - start);
        }
        return true;
    });
}

Stream::Stream(QIODevice &device, qsizetype maxElement, qsizetype chunk)
    : m_device(device)
    , m_maxElement(maxElement)
    , m_chunk(std::max<qsizetype>(chunk, 1))
{}

bool Stream::fill()
{
    if (m_atEnd)
        return false;
    const qsizetype old = m_buffer.size();
    m_buffer.resize(old + m_chunk);
    const qint64 got = m_device.read(m_buffer.data() + old, m_chunk);
    m_buffer.resize(old + std::max<qint64>(got, 0));
    m_atEnd = got <= 0;
    return !m_atEnd;
}

void Stream::compact(qsizetype keepFrom)
{
    if (keepFrom <= 0)
        return;
    m_buffer.remove(0, keepFrom);
    m_base += keepFrom;
    m_at -= keepFrom;
}

// Drops what was consumed, once it is a chunk's worth, keeping the indentation before the
// cursor (lineStart() looks at it) and the byte before that.
void Stream::release()
{
    if (m_at < m_chunk)
        return;
    qsizetype keep = m_at;
    while (keep > 0 && m_at - keep < 4096 &&
           (m_buffer.at(keep - 1) == ' ' || m_buffer.at(keep - 1) == '\t'))
        --keep;
    compact(keep - 1);
}

void Stream::skipSpace()
{
    for (;;) {
        while (m_at < m_buffer.size() && isJsonSpace(m_buffer.at(m_at))) {
            if (m_buffer.at(m_at) == '\n')
                ++m_line;
            ++m_at;
        }
        if (m_at < m_buffer.size())
            return;
        release();
        if (!fill())
            return;
    }
}

char Stream::root()
{
    while (m_buffer.size() < 3 && fill()) {
    }
    m_at = skipBom(m_buffer);
    skipSpace();
    m_contentLine = m_line;
    const char c = m_at < m_buffer.size() ? m_buffer.at(m_at) : '\0';
    m_state = c == '{' ? State::BeforeObject : c == '[' ? State::RootValue : State::Done;
    return c;
}

// The value at the cursor, kept whole while it is at most m_maxElement bytes (and `keep`),
// else passed over keeping only what the walk may go back to.
Element Stream::walk(bool stopAtBrace, const QByteArray &start, bool keep)
{
    Element element;
    element.line = m_line;
    const qint64 firstOffset = m_base + m_at;
    qsizetype first = keep ? m_at : -1;
    Walker w{m_buffer, m_at, m_line};
    w.atEnd = m_atEnd;
    w.walkValue(stopAtBrace, start);
    while (w.suspended) {
        if (first >= 0 && w.i - first > m_maxElement)
            first = -1;
        if (first < 0) {
            if (w.i - w.v.lastNonSpace > 4096)
                w.v.lastNonSpace = -1;
            const qsizetype keepFrom = w.v.lastNonSpace >= 0 ? w.v.lastNonSpace : w.i;
            m_buffer.remove(0, keepFrom);
            m_base += keepFrom;
            w.i -= keepFrom;
            if (w.v.lastNonSpace >= 0)
                w.v.lastNonSpace -= keepFrom;
        }
        fill();
        w.json = m_buffer;
        w.atEnd = m_atEnd;
        w.resumeValue(stopAtBrace, start);
    }
    m_at = w.i;
    m_line = w.line;
    element.cutOff = w.i >= m_buffer.size() && !w.complete;
    if (first >= 0) {
        qsizetype end = w.i;
        while (end > first && isJsonSpace(m_buffer.at(end - 1)))
            --end;
        element.bytes = QByteArrayView(m_buffer).sliced(first, end - first);
    } else if (keep) {
        element.tooLarge = m_base + w.i - firstOffset;
    }
    m_contentLine = w.v.lastNonSpace >= 0
                        ? w.line - std::count(m_buffer.cbegin() + w.v.lastNonSpace,
                                              m_buffer.cbegin() + w.i, '\n')
                        : element.line;
    return element;
}

std::optional<QByteArray> Stream::nextKey()
{
    release();
    skipSpace();
    const char expected = m_state == State::BeforeObject ? '{' : ',';
    const bool atObject = m_state == State::BeforeObject || m_state == State::AfterMember;
    if (!atObject || m_at >= m_buffer.size() || m_buffer.at(m_at) != expected) {
        m_objectClosed = atObject && m_state == State::AfterMember && m_at < m_buffer.size() &&
                         m_buffer.at(m_at) == '}';
        m_state = State::Done;
        return std::nullopt;
    }
    const bool first = m_state == State::BeforeObject;
    m_state = State::Done; // until the key is whole
    ++m_at;
    skipSpace();
    if (m_at >= m_buffer.size() || m_buffer.at(m_at) != '"') {
        m_objectClosed = first && m_at < m_buffer.size() && m_buffer.at(m_at) == '}';
        return std::nullopt;
    }
    qsizetype end = m_at + 1;
    for (;;) {
        if (end >= m_buffer.size() && !fill())
            return std::nullopt;
        const char c = m_buffer.at(end);
        if (c == '\\' || c == '\n' || end - m_at > 4096)
            return std::nullopt;
        if (c == '"')
            break;
        ++end;
    }
    QByteArray key = m_buffer.mid(m_at + 1, end - m_at - 1);
    m_at = end + 1;
    skipSpace();
    if (m_at >= m_buffer.size() || m_buffer.at(m_at) != ':')
        return std::nullopt;
    ++m_at;
    skipSpace();
    m_state = State::MemberValue;
    return key;
}

std::optional<Element> Stream::value()
{
    if (m_state != State::MemberValue)
        return std::nullopt;
    m_state = State::AfterMember;
    return walk(true, {}, true);
}

void Stream::skipValue()
{
    if (m_state != State::MemberValue)
        return;
    m_state = State::AfterMember;
    walk(true, {}, false);
}

bool Stream::enterArray()
{
    if (m_state != State::MemberValue && m_state != State::RootValue)
        return false;
    skipSpace();
    if (m_at >= m_buffer.size() || m_buffer.at(m_at) != '[')
        return false;
    m_rootArray = m_state == State::RootValue;
    m_state = State::FirstElement;
    m_contentLine = m_line;
    ++m_at;
    return true;
}

std::optional<Element> Stream::nextElement()
{
    if (m_state != State::FirstElement && m_state != State::NextElement)
        return std::nullopt;
    release();
    if (m_state == State::NextElement) {
        // At the comma or ']' that ended the element before, or at the end.
        if (m_at >= m_buffer.size())
            return notClosed();
        if (m_buffer.at(m_at) == ']')
            return closeList();
        m_contentLine = m_line;
        ++m_at;
    }
    m_state = State::NextElement;
    skipSpace();
    if (m_at >= m_buffer.size())
        return notClosed();
    if (m_buffer.at(m_at) == ']')
        return closeList();
    const QByteArray start = lineStart(m_buffer, m_at).toByteArray();
    const Element element = walk(false, start, true);
    if (element.cutOff)
        m_state = State::Done; // the element's own error says where the document stops
    return element;
}

std::nullopt_t Stream::notClosed()
{
    m_problem = u"the list is not closed: the document ends before its ']'"_s;
    m_problemLine = m_contentLine;
    m_state = State::Done;
    return std::nullopt;
}

std::nullopt_t Stream::closeList()
{
    ++m_at;
    m_state = State::AfterMember;
    if (m_rootArray) {
        m_state = State::Done;
        skipSpace();
        if (m_at < m_buffer.size()) {
            m_problem = u"text after the end of the list"_s;
            m_problemLine = m_line;
        }
    }
    return std::nullopt;
}

Parsed parse(const Element &element)
{
    Parsed parsed;
    if (element.tooLarge > 0) {
        parsed.error = u"an element of %1 bytes, more than is read of one element: not read"_s.arg(
            element.tooLarge);
        parsed.errorLine = element.line;
        return parsed;
    }
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
