#include "tomlreader.h"

#include "tomlscalar.h"

#include <QRegularExpression>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace Tasktrail {

const TomlEntry *TomlValue::find(QStringView key) const
{
    for (const TomlEntry &e : table) {
        if (e.key == key)
            return &e;
    }
    return nullptr;
}

TomlEntry *TomlValue::find(QStringView key)
{
    return const_cast<TomlEntry *>(std::as_const(*this).find(key));
}

QString describe(TomlValue::Type type)
{
    switch (type) {
    case TomlValue::Type::String:
        return u"a string"_s;
    case TomlValue::Type::Integer:
        return u"an integer"_s;
    case TomlValue::Type::Boolean:
        return u"a boolean"_s;
    case TomlValue::Type::DateTime:
        return u"a date-time"_s;
    case TomlValue::Type::Array:
        return u"an array"_s;
    case TomlValue::Type::Table:
        return u"a table"_s;
    }
    return QString();
}

namespace {

constexpr int maxDepth = 32;

bool isBareKeyChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
           c == u'_' || c == u'-';
}

bool isControl(QChar c)
{
    return (c.unicode() < 0x20 && c != u'\t') || c.unicode() == 0x7f;
}

QString quoted(QStringView key)
{
    return u'\'' + key.toString() + u'\'';
}

// A recursive-descent reader over the whole text. Every parse function returns false after a
// syntax error, which is recorded once in m_doc.errors.
class TomlParser
{
public:
    TomlParser(const QString &text, TomlDocument &doc)
        : m_text(text)
        , m_doc(doc)
    {}

    void parse();

private:
    QChar peek(qsizetype ahead = 0) const
    {
        return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : QChar();
    }
    bool atEnd() const { return m_pos >= m_text.size(); }
    bool at(QStringView s) const { return QStringView(m_text).mid(m_pos).startsWith(s); }
    void advance(qsizetype n = 1)
    {
        for (; n > 0 && !atEnd(); --n) {
            if (m_text[m_pos] == u'\n')
                ++m_line;
            ++m_pos;
        }
    }
    void skipSpaces()
    {
        while (peek() == u' ' || peek() == u'\t')
            advance();
    }
    void skipComment()
    {
        while (!atEnd() && peek() != u'\n')
            advance();
    }
    // Spaces, comments and newlines, as allowed between array elements.
    void skipBlank()
    {
        for (;;) {
            skipSpaces();
            if (peek() == u'#')
                skipComment();
            if (peek() != u'\n')
                return;
            advance();
        }
    }
    bool fail(const QString &message, int line = 0)
    {
        m_doc.errors.append({line ? line : m_line, message});
        return false;
    }
    void duplicate(const QString &message, int line) { m_doc.errors.append({line, message}); }
    QString found() const
    {
        if (atEnd())
            return u"the end of the file"_s;
        if (peek() == u'\n')
            return u"the end of the line"_s;
        return u'\'' + peek() + u'\'';
    }

    bool endOfLine(const QString &after);
    bool header();
    bool keyValue(TomlValue &table, int depth);
    bool key(QStringList *parts);
    bool keyPart(QString *part);
    TomlValue *subTable(TomlValue &parent, const QString &name, int line, TomlValue::Origin how);
    bool value(TomlValue *out, int depth);
    bool basicString(QString *out, bool multiLine);
    bool literalString(QString *out, bool multiLine);
    bool escape(QString *out, bool multiLine);
    bool array(TomlValue *out, int depth);
    bool inlineTable(TomlValue *out, int depth);
    bool scalar(TomlValue *out);

    QString m_text;
    TomlDocument &m_doc;
    qsizetype m_pos = 0;
    int m_line = 1;
    TomlValue *m_current = nullptr;
    TomlValue m_scratch; // takes the keys of a duplicate table, so they are not reported twice
};

void TomlParser::parse()
{
    m_doc.root = TomlValue();
    m_doc.root.line = 1;
    m_current = &m_doc.root;
    for (;;) {
        skipSpaces();
        if (atEnd())
            return;
        if (peek() == u'\n') {
            advance();
            continue;
        }
        if (peek() == u'#') {
            skipComment();
            continue;
        }
        if (peek() == u'[' ? !header() : !(keyValue(*m_current, 0) && endOfLine(u"the value"_s)))
            return;
    }
}

bool TomlParser::endOfLine(const QString &after)
{
    skipSpaces();
    if (peek() == u'#')
        skipComment();
    if (atEnd() || peek() == u'\n') {
        advance();
        return true;
    }
    return fail(u"expected the end of the line after %1, found %2"_s.arg(after, found()));
}

bool TomlParser::header()
{
    const int line = m_line;
    const bool arrayHeader = peek(1) == u'[';
    advance(arrayHeader ? 2 : 1);
    skipSpaces();
    QStringList parts;
    if (!key(&parts))
        return false;
    skipSpaces();
    if (!at(arrayHeader ? u"]]" : u"]"))
        return fail(arrayHeader ? u"expected ']]' to close the array-of-tables header"_s
                                : u"expected ']' to close the table header"_s);
    advance(arrayHeader ? 2 : 1);
    const QString name = parts.join(u'.');
    if (m_doc.firstTable.isEmpty()) {
        m_doc.firstTable = name;
        m_doc.firstTableLine = line;
    }
    TomlValue *parent = &m_doc.root;
    for (qsizetype i = 0; i + 1 < parts.size() && parent; ++i)
        parent = subTable(*parent, parts[i], line, TomlValue::Origin::Implicit);
    if (!parent)
        return false;
    TomlEntry *entry = parent->find(parts.constLast());
    m_scratch = TomlValue();
    m_current = &m_scratch;
    if (arrayHeader) {
        if (!entry) {
            TomlValue list;
            list.type = TomlValue::Type::Array;
            list.arrayOfTables = true;
            list.line = line;
            parent->table.push_back({parts.constLast(), line, list});
            entry = &parent->table.back();
        }
        if (entry->value.isArrayOfTables()) {
            TomlValue element;
            element.line = line;
            element.origin = TomlValue::Origin::Header;
            entry->value.array.push_back(element);
            m_current = &entry->value.array.back();
        } else {
            duplicate(u"[[%1]] needs an array of tables, but '%1' is already %2 (line %3)"_s
                          .arg(name, describe(entry->value.type))
                          .arg(entry->line),
                      line);
        }
    } else if (!entry) {
        TomlValue table;
        table.line = line;
        table.origin = TomlValue::Origin::Header;
        parent->table.push_back({parts.constLast(), line, table});
        m_current = &parent->table.back().value;
    } else if (entry->value.isTable() && entry->value.origin == TomlValue::Origin::Implicit) {
        entry->value.origin = TomlValue::Origin::Header;
        entry->value.line = line;
        entry->line = line;
        m_current = &entry->value;
    } else {
        duplicate(u"duplicate table [%1] (first defined on line %2)"_s.arg(name).arg(entry->line),
                  line);
    }
    return endOfLine(u"the table header"_s);
}

TomlValue *TomlParser::subTable(TomlValue &parent, const QString &name, int line,
                                TomlValue::Origin how)
{
    TomlEntry *entry = parent.find(name);
    if (!entry) {
        TomlValue table;
        table.line = line;
        table.origin = how;
        parent.table.push_back({name, line, table});
        return &parent.table.back().value;
    }
    TomlValue &v = entry->value;
    if (v.isArrayOfTables() && how == TomlValue::Origin::Implicit)
        return &v.array.back();
    if (v.isTable() && v.origin != TomlValue::Origin::Inline &&
        (how == TomlValue::Origin::Implicit || v.origin == TomlValue::Origin::Dotted))
        return &v;
    fail(u"%1 is already %2 (line %3) and cannot be extended here"_s
             .arg(quoted(name), describe(v.type))
             .arg(entry->line),
         line);
    return nullptr;
}

bool TomlParser::keyValue(TomlValue &table, int depth)
{
    const int line = m_line;
    QStringList parts;
    if (!key(&parts))
        return false;
    skipSpaces();
    if (peek() != u'=')
        return fail(u"expected '=' after key"_s);
    advance();
    skipSpaces();
    TomlValue v;
    if (!value(&v, depth))
        return false;
    TomlValue *target = &table;
    for (qsizetype i = 0; i + 1 < parts.size() && target; ++i)
        target = subTable(*target, parts[i], line, TomlValue::Origin::Dotted);
    if (!target)
        return false;
    if (const TomlEntry *old = target->find(parts.constLast()))
        duplicate(u"duplicate key %1 (first set on line %2)"_s.arg(quoted(parts.join(u'.')))
                      .arg(old->line),
                  line);
    else
        target->table.push_back({parts.constLast(), line, std::move(v)});
    return true;
}

bool TomlParser::key(QStringList *parts)
{
    for (;;) {
        QString part;
        if (!keyPart(&part))
            return false;
        parts->append(part);
        skipSpaces();
        if (peek() != u'.')
            return true;
        advance();
        skipSpaces();
    }
}

bool TomlParser::keyPart(QString *part)
{
    if (peek() == u'"') {
        if (at(u"\"\"\""))
            return fail(u"a key cannot be a multi-line string"_s);
        return basicString(part, false);
    }
    if (peek() == u'\'') {
        if (at(u"'''"))
            return fail(u"a key cannot be a multi-line string"_s);
        return literalString(part, false);
    }
    const qsizetype start = m_pos;
    while (isBareKeyChar(peek()))
        advance();
    if (m_pos == start)
        return fail(u"expected a key, found %1"_s.arg(found()));
    *part = m_text.mid(start, m_pos - start);
    return true;
}

bool TomlParser::value(TomlValue *out, int depth)
{
    out->line = m_line;
    if (depth > maxDepth)
        return fail(u"values nested more than %1 deep"_s.arg(maxDepth));
    const QChar c = peek();
    if (c == u'"' || c == u'\'') {
        out->type = TomlValue::Type::String;
        const bool multiLine = at(c == u'"' ? u"\"\"\"" : u"'''");
        return c == u'"' ? basicString(&out->string, multiLine)
                         : literalString(&out->string, multiLine);
    }
    if (c == u'[')
        return array(out, depth);
    if (c == u'{')
        return inlineTable(out, depth);
    if (atEnd() || c == u'\n' || c == u'#')
        return fail(u"expected a value"_s);
    return scalar(out);
}

bool TomlParser::basicString(QString *out, bool multiLine)
{
    const int line = m_line;
    advance(multiLine ? 3 : 1);
    if (multiLine && peek() == u'\n')
        advance(); // a newline right after the opening quotes is not part of the string
    for (;;) {
        if (atEnd() || (!multiLine && peek() == u'\n'))
            return fail(u"unterminated string (opened on line %1)"_s.arg(line));
        const QChar c = peek();
        if (c == u'"') {
            if (!multiLine) {
                advance();
                return true;
            }
            qsizetype quotes = 0;
            while (peek(quotes) == u'"')
                ++quotes;
            if (quotes >= 3) {
                if (quotes > 5)
                    return fail(u"too many quotes at the end of a multi-line string"_s);
                out->append(QString(quotes - 3, u'"'));
                advance(quotes);
                return true;
            }
            out->append(QString(quotes, u'"'));
            advance(quotes);
        } else if (c == u'\\') {
            if (!escape(out, multiLine))
                return false;
        } else if (isControl(c) && !(multiLine && c == u'\n')) {
            return fail(u"control character in a string: write it as an escape (\\t, \\n, "
                        "\\uXXXX)"_s);
        } else {
            out->append(c);
            advance();
        }
    }
}

bool TomlParser::escape(QString *out, bool multiLine)
{
    const QChar e = peek(1);
    static const QString simple = u"btnfr\"\\"_s;
    static const QString meaning = u"\b\t\n\f\r\"\\"_s;
    if (const qsizetype i = simple.indexOf(e); i >= 0 && !e.isNull()) {
        out->append(meaning[i]);
        advance(2);
        return true;
    }
    if (e == u'u' || e == u'U') {
        const int digits = e == u'u' ? 4 : 8;
        const QString hex = m_text.mid(m_pos + 2, digits);
        static const QRegularExpression hexDigits(u"^[0-9A-Fa-f]+$"_s);
        const uint code = hex.toUInt(nullptr, 16);
        if (hex.size() != digits || !hexDigits.match(hex).hasMatch() || code > 0x10FFFF ||
            (code >= 0xD800 && code <= 0xDFFF))
            return fail(u"invalid Unicode escape: \\%1 needs %2 hex digits of a Unicode scalar "
                        "value"_s.arg(e)
                            .arg(digits));
        const char32_t scalar = code;
        out->append(QString::fromUcs4(&scalar, 1));
        advance(2 + digits);
        return true;
    }
    // A backslash at the end of a line of a multi-line string joins it with the next line.
    qsizetype ahead = 1;
    while (multiLine && (peek(ahead) == u' ' || peek(ahead) == u'\t'))
        ++ahead;
    if (multiLine && peek(ahead) == u'\n') {
        advance(ahead);
        while (peek() == u' ' || peek() == u'\t' || peek() == u'\n')
            advance();
        return true;
    }
    return fail(u"invalid escape '\\%1' in a string"_s.arg(e.isNull() ? QString() : QString(e)));
}

bool TomlParser::literalString(QString *out, bool multiLine)
{
    const int line = m_line;
    advance(multiLine ? 3 : 1);
    if (multiLine && peek() == u'\n')
        advance();
    const QStringView close = multiLine ? u"'''" : u"'";
    for (;;) {
        if (atEnd() || (!multiLine && peek() == u'\n'))
            return fail(u"unterminated string (opened on line %1)"_s.arg(line));
        if (at(close)) {
            // Up to two quotes may end a multi-line literal string's text.
            qsizetype quotes = 0;
            while (multiLine && peek(quotes) == u'\'')
                ++quotes;
            if (quotes > 5)
                return fail(u"too many quotes at the end of a multi-line string"_s);
            out->append(QString(qMax<qsizetype>(0, quotes - 3), u'\''));
            advance(multiLine ? quotes : 1);
            return true;
        }
        if (isControl(peek()) && !(multiLine && peek() == u'\n'))
            return fail(u"control character in a string"_s);
        out->append(peek());
        advance();
    }
}

bool TomlParser::array(TomlValue *out, int depth)
{
    const int line = m_line;
    out->type = TomlValue::Type::Array;
    advance();
    for (;;) {
        skipBlank();
        if (atEnd())
            return fail(u"unterminated array (opened on line %1)"_s.arg(line));
        if (peek() == u']')
            break;
        TomlValue element;
        if (!value(&element, depth + 1))
            return false;
        out->array.push_back(std::move(element));
        skipBlank();
        if (atEnd())
            return fail(u"unterminated array (opened on line %1)"_s.arg(line));
        if (peek() == u',') {
            advance();
            continue;
        }
        if (peek() == u']')
            break;
        return fail(u"expected ',' or ']' in the array opened on line %1, found %2"_s.arg(line).arg(
            found()));
    }
    advance();
    return true;
}

bool TomlParser::inlineTable(TomlValue *out, int depth)
{
    out->type = TomlValue::Type::Table;
    out->origin = TomlValue::Origin::Inline;
    advance();
    skipSpaces();
    if (peek() == u'}') {
        advance();
        return true;
    }
    for (;;) {
        if (peek() == u'\n')
            return fail(u"an inline table must stay on one line"_s);
        if (!keyValue(*out, depth + 1))
            return false;
        skipSpaces();
        if (peek() == u',') {
            advance();
            skipSpaces();
            continue;
        }
        if (peek() == u'}') {
            advance();
            return true;
        }
        return fail(u"expected ',' or '}' in an inline table, found %1"_s.arg(found()));
    }
}

bool TomlParser::scalar(TomlValue *out)
{
    const qsizetype start = m_pos;
    static const QString stops = u" \t\n,]}#"_s;
    while (!atEnd() && !stops.contains(peek()))
        advance();
    // "2026-11-10 00:00:00Z": a space may separate a date from its time.
    static const QRegularExpression dateOnly(u"^\\d{4}-\\d{2}-\\d{2}$"_s);
    if (peek() == u' ' && peek(1).isDigit() && peek(3) == u':' &&
        dateOnly.match(QStringView(m_text).mid(start, m_pos - start)).hasMatch()) {
        advance();
        while (!atEnd() && !stops.contains(peek()))
            advance();
    }
    const QString token = m_text.mid(start, m_pos - start);
    if (token.isEmpty())
        return fail(u"expected a value, found %1"_s.arg(found()), out->line);
    const QString error = readTomlScalar(token, out);
    return error.isEmpty() || fail(error, out->line);
}

} // namespace

TomlDocument parseToml(const QByteArray &utf8)
{
    TomlDocument doc;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(utf8);
    if (decoder.hasError()) {
        // Find the line: decode line by line until one fails.
        int line = 1;
        for (const QByteArray &bytes : utf8.split('\n')) {
            QStringDecoder check(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
            const QString decoded = check.decode(bytes); // decoding is lazy until converted
            if (check.hasError())
                break;
            ++line;
        }
        doc.errors.append({line, u"the file is not valid UTF-8"_s});
        return doc;
    }
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    text.replace(u"\r\n"_s, u"\n"_s);
    TomlParser(text, doc).parse();
    return doc;
}

} // namespace Tasktrail
