#include "tomlreader.h"

#include "tomlparser.h"
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

namespace TomlDetail {
namespace {

bool isBareKeyChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
           c == u'_' || c == u'-';
}

QString quoted(QStringView key)
{
    return u'\'' + key.toString() + u'\'';
}

} // namespace

QString TomlParser::found() const
{
    if (atEnd())
        return u"the end of the file"_s;
    if (peek() == u'\n')
        return u"the end of the line"_s;
    return u'\'' + peek() + u'\'';
}

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

} // namespace TomlDetail

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
    TomlDetail::TomlParser(text, doc).parse();
    return doc;
}

} // namespace Tasktrail
