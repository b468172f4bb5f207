#include "tomlparser.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Tasktrail::TomlDetail {
namespace {

bool isControl(QChar c)
{
    return (c.unicode() < 0x20 && c != u'\t') || c.unicode() == 0x7f;
}

} // namespace

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
        // Tasktrail's documents hold no NUL (docs/record-format.md): a reader in C would
        // stop there and hide the rest.
        if (code == 0)
            return fail(u"\\%1 escape of NUL: strings must not contain NUL"_s.arg(e));
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

} // namespace Tasktrail::TomlDetail
