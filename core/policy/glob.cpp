#include "glob.h"

#include <QList>

namespace Tasktrail {
namespace {

struct Token
{
    enum Kind : char
    {
        Literal,
        Star,       // '*'
        DoubleStar, // '**'
        AnyOne,     // '?'
    };
    Kind kind = Literal;
    QChar c;
};

// Dynamic programming over pattern tokens and text positions: O(pattern x text), correct
// for any mix of '*' and '**', and never exponential.
bool matchFrom(QStringView pattern, QStringView text)
{
    QList<Token> tokens;
    tokens.reserve(pattern.size());
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern[i];
        if (c == u'*' && i + 1 < pattern.size() && pattern[i + 1] == u'*') {
            tokens.append({Token::DoubleStar, c});
            ++i;
        } else if (c == u'*') {
            tokens.append({Token::Star, c});
        } else if (c == u'?') {
            tokens.append({Token::AnyOne, c});
        } else {
            tokens.append({Token::Literal, c});
        }
    }
    const qsizetype n = text.size();
    // matched[j]: the tokens so far match text[0, j).
    QList<bool> matched(n + 1, false);
    matched[0] = true;
    for (const Token &token : tokens) {
        QList<bool> next(n + 1, false);
        if (token.kind == Token::Star || token.kind == Token::DoubleStar) {
            const bool crossesSlash = token.kind == Token::DoubleStar;
            bool reachable = false;
            for (qsizetype j = 0; j <= n; ++j) {
                if (j > 0 && !crossesSlash && text[j - 1] == u'/')
                    reachable = false;
                reachable = reachable || matched[j];
                next[j] = reachable;
            }
        } else {
            for (qsizetype j = 1; j <= n; ++j) {
                const QChar c = text[j - 1];
                const bool ok = token.kind == Token::AnyOne ? c != u'/' : c == token.c;
                next[j] = matched[j - 1] && ok;
            }
        }
        matched = std::move(next);
    }
    return matched[n];
}

} // namespace

bool globMatch(QStringView pattern, QStringView text)
{
    if (pattern.isEmpty())
        return false;
    // "**/" also matches nothing at all, so "**/*.lock" matches "yarn.lock".
    if (pattern.startsWith(u"**/") && matchFrom(pattern.mid(3), text))
        return true;
    return matchFrom(pattern, text);
}

bool matchesAny(const QStringList &patterns, QStringView text)
{
    for (const QString &pattern : patterns) {
        if (globMatch(pattern, text))
            return true;
    }
    return false;
}

} // namespace Tasktrail
