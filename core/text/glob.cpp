#include "text/glob.h"

#include <vector>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Backtracking over (pattern position, text position) with a memo, so a pattern full of
// stars costs O(pattern * text) instead of exponential time.
class GlobMatcher
{
public:
    GlobMatcher(QStringView pattern, QStringView text)
        : m_p(pattern)
        , m_t(text)
        , m_memo(std::size_t(pattern.size() + 1) * std::size_t(text.size() + 1), Unknown)
    {}

    bool match(qsizetype pi, qsizetype ti)
    {
        char &memo = m_memo[std::size_t(pi * (m_t.size() + 1) + ti)];
        if (memo == Unknown)
            memo = compute(pi, ti) ? Yes : No;
        return memo == Yes;
    }

private:
    enum : char
    {
        Unknown,
        Yes,
        No
    };

    bool compute(qsizetype pi, qsizetype ti)
    {
        if (pi == m_p.size())
            return ti == m_t.size();
        const QChar c = m_p[pi];
        if (c == u'*' && pi + 1 < m_p.size() && m_p[pi + 1] == u'*') {
            const qsizetype next = pi + 2;
            if (next < m_p.size() && m_p[next] == u'/' && match(next + 1, ti))
                return true; // "**/" standing for no directory at all
            for (qsizetype k = ti; k <= m_t.size(); ++k) {
                if (match(next, k))
                    return true;
            }
            return false;
        }
        if (c == u'*') {
            for (qsizetype k = ti; k <= m_t.size(); ++k) {
                if (match(pi + 1, k))
                    return true;
                if (k < m_t.size() && m_t[k] == u'/')
                    break;
            }
            return false;
        }
        if (ti == m_t.size())
            return false;
        if (c == u'?')
            return m_t[ti] != u'/' && match(pi + 1, ti + 1);
        if (c == u'\\' && pi + 1 < m_p.size())
            return m_t[ti] == m_p[pi + 1] && match(pi + 2, ti + 1);
        return m_t[ti] == c && match(pi + 1, ti + 1);
    }

    QStringView m_p;
    QStringView m_t;
    std::vector<char> m_memo;
};

bool hasWildcard(QStringView pattern)
{
    return pattern.contains(u'*') || pattern.contains(u'?') || pattern.contains(u'\\');
}

} // namespace

bool globMatch(QStringView pattern, QStringView text)
{
    if (!hasWildcard(pattern))
        return pattern == text;
    return GlobMatcher(pattern, text).match(0, 0);
}

bool matchesAny(const QStringList &patterns, QStringView text)
{
    for (const QString &p : patterns) {
        if (globMatch(p, text))
            return true;
    }
    return false;
}

QString globError(QStringView pattern)
{
    if (pattern.trimmed().isEmpty())
        return u"empty pattern"_s;
    if (pattern.contains(u"***"))
        return u"'***' is not a pattern: use '*' within a path segment or '**' across them"_s;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern[i];
        if (c.category() == QChar::Other_Control)
            return u"control character in pattern"_s;
        if (c == u'\\') {
            if (i + 1 == pattern.size())
                return u"pattern ends in a lone '\\'"_s;
            ++i;
        }
    }
    return QString();
}

} // namespace Tasktrail
