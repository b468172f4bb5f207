#pragma once

#include "tomlreader.h"

#include <QStringList>

// The parser behind parseToml(), shared by tomlreader.cpp (tables, keys, arrays) and
// tomlstrings.cpp (the four kinds of string). Not part of the library's interface.
namespace Tasktrail::TomlDetail {

constexpr int maxDepth = 32;

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
    // What the parser stands at, for messages: "'x'", "the end of the line".
    QString found() const;

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

} // namespace Tasktrail::TomlDetail
