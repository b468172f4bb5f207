#include "text/redactionprefilter.h"

#include "text/redactionrules.h"

#include <array>
#include <vector>

namespace Tasktrail {
namespace {

constexpr unsigned escape = 0x1b;

// Looks for every rule's anchors in one pass: each pair of adjacent characters, ASCII case
// folded, is looked up in a bitmap of the anchors' first pairs; only a hit compares the
// anchors that start with that pair.
class Prefilter
{
public:
    Prefilter()
    {
        const auto &rules = redactionRules();
        Q_ASSERT(rules.size() <= 32);
        for (size_t r = 0; r < rules.size(); ++r) {
            for (const QLatin1StringView anchor : rules[r].anchors) {
                Q_ASSERT(anchor.size() >= 2);
                const unsigned pair = (fold(anchor[0].unicode()) << 8) | fold(anchor[1].unicode());
                m_anchors.push_back({pair, QByteArray(anchor.data(), anchor.size()), int(r)});
                mark(pair);
            }
        }
        for (unsigned c = 0; c <= 0x80; ++c)
            mark((escape << 8) | c);
        mark(('\\' << 8) | 'u');
        mark(('\\' << 8) | '/');
    }

    template<typename Char> Sighting scan(const Char *p, qsizetype n) const
    {
        Sighting seen;
        if (n < 2) {
            seen.ansi = n == 1 && unsigned(p[0]) == escape;
            return seen;
        }
        unsigned previous = fold(p[0]);
        for (qsizetype i = 1; i < n; ++i) {
            const unsigned c = fold(p[i]);
            const unsigned pair = (previous << 8) | c;
            if (m_bits[pair >> 6] & (quint64(1) << (pair & 63)))
                look(p, n, i - 1, pair, seen);
            previous = c;
        }
        return seen;
    }

private:
    struct Anchor
    {
        unsigned pair;
        QByteArray text; // lower case
        int rule;
    };

    template<typename Char> static unsigned fold(Char c)
    {
        const unsigned u = unsigned(c);
        if (u >= 0x80)
            return 0x80; // no anchor has one
        return u >= 'A' && u <= 'Z' ? u + ('a' - 'A') : u;
    }
    void mark(unsigned pair) { m_bits[pair >> 6] |= quint64(1) << (pair & 63); }

    template<typename Char>
    void look(const Char *p, qsizetype n, qsizetype at, unsigned pair, Sighting &seen) const
    {
        if ((pair >> 8) == escape)
            seen.ansi = true;
        else if (pair == (('\\' << 8) | 'u') || pair == (('\\' << 8) | '/'))
            seen.escaped = true;
        for (const Anchor &a : m_anchors) {
            if (a.pair != pair || at + a.text.size() > n)
                continue;
            qsizetype k = 2;
            while (k < a.text.size() && fold(p[at + k]) == unsigned(a.text.at(k)))
                ++k;
            if (k == a.text.size())
                seen.rules |= quint32(1) << a.rule;
        }
    }

    std::array<quint64, 1024> m_bits{};
    std::vector<Anchor> m_anchors;
};

const Prefilter &prefilter()
{
    static const Prefilter filter;
    return filter;
}

} // namespace

Sighting scanForSecrets(QStringView text)
{
    return prefilter().scan(text.utf16(), text.size());
}

Sighting scanForSecrets(const char *utf8, qsizetype size)
{
    return prefilter().scan(reinterpret_cast<const unsigned char *>(utf8), size);
}

} // namespace Tasktrail
