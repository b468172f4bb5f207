#include "text/redactor.h"

#include "text/logtext.h"
#include "text/redactionprefilter.h"
#include "text/redactionrules.h"
#include "text/sha256.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <array>
#include <limits>

using namespace Qt::StringLiterals;

namespace Tasktrail {

void RedactionTally::add(int rule)
{
    if (byRule.size() <= rule)
        byRule.resize(rule + 1);
    ++byRule[rule];
}

int RedactionTally::total() const
{
    int total = 0;
    for (const int n : byRule)
        total += n;
    return total;
}

namespace {

using Extent = RedactionRule::Extent;
constexpr char16_t escape = 0x1b;
constexpr QStringView markerStart = u"[REDACTED";

Sighting scan(QStringView text)
{
    return scanForSecrets(text);
}

Sighting scan(const QByteArray &utf8)
{
    return scanForSecrets(utf8.constData(), utf8.size());
}

// The length of the escape sequence at text[i] (an ESC), read as LogText::stripAnsi reads it.
qsizetype escapeLength(QStringView text, qsizetype i)
{
    const qsizetype n = text.size();
    qsizetype j = i + 1;
    if (j < n && text[j] == u'[') { // CSI: parameters, then a final character @..~
        ++j;
        while (j < n && !(text[j] >= u'@' && text[j] <= u'~'))
            ++j;
        return std::min(j + 1, n) - i;
    }
    if (j < n && text[j] == u']') { // OSC: up to BEL or ESC backslash
        ++j;
        while (j < n && text[j] != u'\a' &&
               !(text[j] == escape && j + 1 < n && text[j + 1] == u'\\'))
            ++j;
        j += (j < n && text[j] == u'\a') ? 1 : 2;
        return std::min(j, n) - i;
    }
    return std::min(j + 1, n) - i;
}

int hexDigit(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

// A line as the rules read it, with ANSI escapes removed and JSON escapes decoded, and where
// each of its characters stands in the line as given.
struct View
{
    QString text;
    QList<qsizetype> from; // per character: its first position in the line; empty: the same
    QList<qsizetype> to;   // one past its last

    qsizetype lineFrom(qsizetype i) const { return from.isEmpty() ? i : from.at(i); }
    qsizetype lineTo(qsizetype end) const { return to.isEmpty() ? end : to.at(end - 1); }
    void push(QChar c, qsizetype f, qsizetype t)
    {
        text += c;
        from.append(f);
        to.append(t);
    }
};

// \" \\ \/ and \uXXXX are decoded; \n, \t and the \u of other control characters stay as
// written, since a line break inside a line is no line break to a reader.
View decodeJson(const QString &line)
{
    View view;
    const qsizetype n = line.size();
    for (qsizetype i = 0; i < n;) {
        if (line[i] == u'\\' && i + 1 < n) {
            const QChar d = line[i + 1];
            if (d == u'"' || d == u'\\' || d == u'/') {
                view.push(d, i, i + 2);
                i += 2;
                continue;
            }
            if (d == u'u' && i + 6 <= n) {
                int code = 0;
                for (qsizetype k = i + 2; k < i + 6 && code >= 0; ++k) {
                    const int digit = hexDigit(line[k]);
                    code = digit < 0 ? -1 : code * 16 + digit;
                }
                if (code >= 0x20 || code == escape) {
                    view.push(QChar(char16_t(code)), i, i + 6);
                    i += 6;
                    continue;
                }
            }
        }
        view.push(line[i], i, i + 1);
        ++i;
    }
    return view;
}

View withoutAnsi(View decoded)
{
    if (!decoded.text.contains(QChar(escape)))
        return decoded;
    View view;
    const qsizetype n = decoded.text.size();
    for (qsizetype i = 0; i < n;) {
        if (decoded.text[i] == escape) {
            i += escapeLength(decoded.text, i);
            continue;
        }
        view.push(decoded.text[i], decoded.from.at(i), decoded.to.at(i));
        ++i;
    }
    return view;
}

View viewOf(const QString &line, const Sighting &seen)
{
    if (!seen.ansi && !seen.escaped)
        return View{line, {}, {}};
    return withoutAnsi(decodeJson(line));
}

// Which quote is open at a position of a line, read from the start; positions asked for in
// increasing order continue where the last one stopped, so a line is read once.
class QuoteTracker
{
public:
    explicit QuoteTracker(QStringView line)
        : m_line(line)
    {}

    // ", ' or none, at `at`.
    QStringView openAt(qsizetype at)
    {
        for (; m_position < at; ++m_position) {
            const QChar c = m_line[m_position];
            if (m_open.isNull()) {
                if (c == u'"' || c == u'\'')
                    m_open = c;
            } else if (c == u'\\' && m_open == u'"') {
                ++m_position;
            } else if (c == m_open) {
                m_open = QChar();
            }
        }
        return m_open == u'"' ? u"\"" : m_open == u'\'' ? u"'" : QStringView();
    }

private:
    QStringView m_line;
    qsizetype m_position = 0;
    QChar m_open;
};

// Where a header value that starts at `start` ends: at its closing quote, else at the end of
// the line without trailing space.
qsizetype valueEnd(QStringView line, qsizetype start, QStringView quote)
{
    if (!quote.isEmpty()) {
        for (qsizetype i = start; i < line.size(); ++i) {
            if (line.sliced(i).startsWith(quote))
                return i;
            if (quote == u"\"" && line[i] == u'\\')
                ++i; // an escaped character inside "..."
        }
    }
    qsizetype end = line.size();
    while (end > start && line[end - 1].isSpace())
        --end;
    return end;
}

// The end of the marker "[REDACTED:<kind>]" or "[REDACTED:<kind>#<hex>]" (redactKey) that
// starts at text[at], or -1 when none does.
qsizetype markerEnd(QStringView text, qsizetype at)
{
    if (!text.sliced(at).startsWith(markerStart) || at + markerStart.size() >= text.size() ||
        text[at + markerStart.size()] != u':')
        return -1;
    qsizetype i = at + markerStart.size() + 1;
    while (i < text.size() && ((text[i] >= u'a' && text[i] <= u'z') || text[i] == u'-'))
        ++i;
    if (i < text.size() && text[i] == u'#') {
        ++i;
        while (i < text.size() &&
               ((text[i] >= u'0' && text[i] <= u'9') || (text[i] >= u'a' && text[i] <= u'f')))
            ++i;
    }
    return i < text.size() && text[i] == u']' ? i + 1 : -1;
}

// A rule's marker; with a tag (redactKey), "[REDACTED:<kind>#<tag>]".
QString markerOf(const RedactionRule &rule, const QString &tag)
{
    QString marker = redactionMarker(rule);
    if (!tag.isEmpty())
        marker.insert(marker.size() - 1, u"#"_s + tag);
    return marker;
}

// Whether text[at] is part of a marker the step wrote before. Markers are short: no further
// back than the longest one is looked at.
bool insideMarker(QStringView text, qsizetype at)
{
    constexpr qsizetype longest = 64;
    const qsizetype from = std::max<qsizetype>(0, at - longest);
    const qsizetype to = std::min(text.size(), at + markerStart.size());
    const qsizetype open = text.sliced(from, to - from).lastIndexOf(markerStart);
    return open >= 0 && markerEnd(text, from + open) > at;
}

// Past the markers (and the space between them) that a value starts with: what is left of it
// is still a secret, whatever was written in front of it.
qsizetype pastMarkers(QStringView text, qsizetype at, qsizetype end)
{
    for (qsizetype after = markerEnd(text, at); after > 0 && after <= end;
         after = markerEnd(text, at)) {
        at = after;
        while (at < end && text[at].isSpace())
            ++at;
    }
    return at;
}

struct Span
{
    qsizetype from = 0;
    qsizetype to = 0;
    int rule = 0;
    bool opensKeyBlock = false;
};

bool holdsOneOf(QStringView secret, QLatin1StringView characters)
{
    return characters.isEmpty() ||
           std::any_of(secret.cbegin(), secret.cend(),
                       [characters](QChar c) { return characters.contains(c); });
}

// Every span one rule finds. Each search goes forward only, so that no line is read again
// from each match (a hostile line of "Authorization: " repeated stays linear).
void findSpans(const QString &text, size_t r, QList<Span> &spans)
{
    const RedactionRule &rule = redactionRules()[r];
    if (rule.find) {
        QList<std::pair<qsizetype, qsizetype>> found;
        rule.find(text, found);
        for (const auto &[from, to] : std::as_const(found)) {
            if (!insideMarker(text, from))
                spans.append({from, to, int(r), false});
        }
        return;
    }
    QuoteTracker quotes(text);
    qsizetype covered = 0; // the end of the last header value
    auto it = rule.pattern.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        Span s{m.capturedStart(), m.capturedEnd(), int(r), false};
        if (rule.extent == Extent::Group) {
            s.from = m.capturedStart(u"secret");
            s.to = m.capturedEnd(u"secret");
        } else if (rule.extent == Extent::HeaderValue) {
            if (m.capturedStart() < covered)
                continue; // inside the value found before
            QStringView quote = m.capturedView(u"open");
            if (quote.isEmpty())
                quote = quotes.openAt(m.capturedStart());
            s.to = covered = valueEnd(text, m.capturedEnd(), quote);
            s.from = pastMarkers(text, m.capturedEnd(), s.to);
        } else if (rule.extent == Extent::KeyBlock) {
            s.opensKeyBlock = !privateKeyEnd().match(m.captured()).hasMatch();
        }
        // Marked already: the step may run again on what it wrote.
        if (s.from < 0 || s.to <= s.from || insideMarker(text, s.from) ||
            !holdsOneOf(QStringView(text).sliced(s.from, s.to - s.from), rule.mustContain))
            continue;
        spans.append(s);
    }
}

void findSpans(const QString &text, quint32 rules, QList<Span> &spans)
{
    for (size_t r = 0; r < redactionRules().size(); ++r) {
        if (rules & (quint32(1) << r))
            findSpans(text, r, spans);
    }
}

// Sorted, and overlapping spans joined: no part of a secret stays because another rule's
// match started earlier. Of spans that start together the longest, then the first rule, names
// the kind.
QList<Span> joined(QList<Span> spans)
{
    std::sort(spans.begin(), spans.end(), [](const Span &a, const Span &b) {
        if (a.from != b.from)
            return a.from < b.from;
        return a.to != b.to ? a.to > b.to : a.rule < b.rule;
    });
    QList<Span> out;
    for (const Span &s : std::as_const(spans)) {
        if (!out.isEmpty() && s.from < out.last().to) {
            out.last().to = std::max(out.last().to, s.to);
            out.last().opensKeyBlock = out.last().opensKeyBlock || s.opensKeyBlock;
        } else {
            out.append(s);
        }
    }
    return out;
}

// The colour sequences (CSI) in line[from, to): kept after a marker, so the rest of the line
// keeps its colours.
QString colourSequences(const QString &line, qsizetype from, qsizetype to)
{
    QString out;
    for (qsizetype i = from; i < to;) {
        if (line[i] != escape) {
            ++i;
            continue;
        }
        const qsizetype length = std::min(escapeLength(line, i), to - i);
        if (i + 1 < to && line[i + 1] == u'[')
            out += QStringView(line).sliced(i, length);
        i += length;
    }
    return out;
}

int keyBlockRule()
{
    static const int rule = [] {
        const auto &rules = redactionRules();
        for (size_t r = 0; r < rules.size(); ++r) {
            if (rules[r].extent == Extent::KeyBlock)
                return int(r);
        }
        return -1;
    }();
    return rule;
}

} // namespace

int Redactor::redactString(QString &line, RedactionTally *tally)
{
    const auto &rules = redactionRules();
    QString done; // a key block's last line, already replaced
    if (m_inPrivateKey) {
        const View view = withoutAnsi(decodeJson(line));
        const QRegularExpressionMatch end = privateKeyEnd().match(view.text);
        const QString marker = markerOf(rules[size_t(keyBlockRule())], m_tag);
        if (!end.hasMatch()) {
            line = marker % colourSequences(line, 0, line.size());
            return 0;
        }
        m_inPrivateKey = false;
        const qsizetype cut = view.lineTo(end.capturedEnd());
        done = marker % colourSequences(line, 0, cut);
        line.remove(0, cut);
    }
    const Sighting seen = scan(line);
    const View view = viewOf(line, seen);
    const quint32 anchored = view.from.isEmpty() ? seen.rules : scan(view.text).rules;
    QList<Span> spans;
    if (anchored)
        findSpans(view.text, anchored, spans);
    spans = joined(spans);
    if (!spans.isEmpty()) {
        QString out = done;
        qsizetype position = 0;
        for (const Span &s : std::as_const(spans)) {
            const qsizetype from = view.lineFrom(s.from);
            const qsizetype to = view.lineTo(s.to);
            out += QStringView(line).sliced(position, from - position);
            out += markerOf(rules[size_t(s.rule)], m_tag) + colourSequences(line, from, to);
            position = to;
            if (tally)
                tally->add(s.rule);
            m_inPrivateKey = m_inPrivateKey || s.opensKeyBlock;
        }
        out += QStringView(line).sliced(position);
        line = out;
    } else if (!done.isNull()) {
        line.prepend(done);
    }
    return int(spans.size());
}

int Redactor::redact(QString &text, RedactionTally *tally)
{
    if (!m_inPrivateKey && !mayContainSecret(text))
        return 0;
    if (!text.contains(u'\n'))
        return redactString(text, tally);
    QStringList lines = text.split(u'\n');
    int count = 0;
    bool changed = false;
    for (QString &line : lines) {
        const bool inBlock = m_inPrivateKey;
        const int n = redactString(line, tally);
        changed = changed || n > 0 || inBlock;
        count += n;
    }
    if (changed)
        text = lines.join(u'\n');
    return count;
}

int Redactor::redactLine(QByteArray &line, RedactionTally *tally)
{
    if (!m_inPrivateKey) {
        const Sighting seen = scan(line);
        if (!seen.any())
            return 0;
        // Colours alone: the text without them decides.
        if (!seen.rules && !seen.escaped && !scan(LogText::stripAnsi(line)).any())
            return 0;
    }
    const bool inBlock = m_inPrivateKey;
    QString text = QString::fromUtf8(line);
    const int count = redactString(text, tally);
    if (count || inBlock)
        line = text.toUtf8();
    return count;
}

int Redactor::redactLogLine(const QByteArray &raw, QByteArray *text, QByteArray *ansi,
                            RedactionTally *tally)
{
    if (!raw.contains('\x1b')) {
        *text = raw;
        *ansi = QByteArray();
        return redactLine(*text, tally);
    }
    bool otherEscapes = false;
    const QByteArray plain = LogText::stripAnsi(raw, &otherEscapes);
    int count = 0;
    if (m_inPrivateKey || scan(plain).any()) {
        QString line = QString::fromUtf8(raw);
        count = redactString(line, tally);
        const QByteArray redacted = line.toUtf8();
        *text = LogText::stripAnsi(redacted);
        *ansi = LogText::keepColours(redacted);
    } else {
        *text = plain;
        *ansi = otherEscapes ? LogText::keepColours(raw) : raw;
    }
    if (*ansi == *text)
        *ansi = QByteArray(); // no colours left
    return count;
}

int Redactor::redactText(QString &text, RedactionTally *tally)
{
    Redactor stream;
    return stream.redact(text, tally);
}

int Redactor::redactKey(QString &value, RedactionTally *tally)
{
    if (!mayContainSecret(value))
        return 0;
    Redactor stream;
    stream.m_tag = keyTag(value);
    return stream.redact(value, tally);
}

// The tag is a digest of the whole value, not of the secret in it: it must tell apart values
// that differ only in their secret (else `T-ghp_A...` and `T-ghp_B...` become one task and one
// overwrites the other) and be the same on every ingest, so it depends on the original. It
// holds nothing reversible: SHA-256 is one-way, and 48 bits of it name a value among the
// values of one database without being a full fingerprint. Hashing the whole value rather than
// the secret alone also keeps it from being a handle on the secret itself: the same token in
// two different ids gives two unrelated tags, so the tag cannot be matched against a list of
// known tokens or used to follow one token across records.
QString Redactor::keyTag(QStringView value)
{
    return QString::fromLatin1(Sha256::of(value.toUtf8()).toHex().left(12));
}

bool Redactor::isKeyName(QStringView key)
{
    static constexpr QStringView whole[] = {
        u"id",   u"ref",  u"repo", u"repository", u"full_name", u"head_branch", u"sha",
        u"name", u"path", u"host", u"tool",       u"version",   u"request_key"};
    for (const QStringView k : whole) {
        if (key.compare(k, Qt::CaseInsensitive) == 0)
            return true;
    }
    static constexpr QStringView suffixes[] = {u"_id", u"_ref", u"_sha", u"_version"};
    for (const QStringView s : suffixes) {
        if (key.endsWith(s, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

int Redactor::secretKeyRule(QStringView key)
{
    // Every key of every JSON object asks: most are told by their length at once.
    static const auto [shortest, longest] = [] {
        qsizetype lo = std::numeric_limits<qsizetype>::max(), hi = 0;
        for (const RedactionRule &rule : redactionRules()) {
            for (const QLatin1StringView k : rule.jsonKeys) {
                lo = std::min(lo, k.size());
                hi = std::max(hi, k.size());
            }
        }
        return std::pair{lo, hi};
    }();
    if (key.size() < shortest || key.size() > longest)
        return -1;
    const auto &rules = redactionRules();
    for (size_t r = 0; r < rules.size(); ++r) {
        for (const QLatin1StringView k : rules[r].jsonKeys) {
            if (key.size() == k.size() && key.compare(k, Qt::CaseInsensitive) == 0)
                return int(r);
        }
    }
    return -1;
}

namespace {

int redactMembers(QJsonObject &object, RedactionTally *tally)
{
    const auto &rules = redactionRules();
    int count = 0;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const int rule = Redactor::secretKeyRule(it.key());
        const QJsonValue value = it.value();
        const bool empty = value.isNull() || (value.isString() && value.toString().isEmpty());
        if (rule >= 0 && !empty && !value.toString().startsWith(markerStart)) {
            it.value() = redactionMarker(rules[size_t(rule)]);
            if (tally)
                tally->add(rule);
            ++count;
            continue;
        }
        if (value.isString() && Redactor::isKeyName(it.key())) {
            QString text = value.toString();
            if (const int n = Redactor::redactKey(text, tally)) {
                it.value() = text;
                count += n;
            }
            continue;
        }
        QJsonValue item = value;
        if (const int n = Redactor::redactJson(item, tally)) {
            it.value() = item;
            count += n;
        }
    }
    // A key is text too.
    const QStringList keys = object.keys();
    for (const QString &key : keys) {
        QString redacted = key;
        if (const int n = Redactor::redactText(redacted, tally)) {
            object.insert(redacted, object.take(key));
            count += n;
        }
    }
    return count;
}

} // namespace

int Redactor::redactJson(QJsonValue &value, RedactionTally *tally)
{
    if (value.isString()) {
        QString text = value.toString();
        const int count = redactText(text, tally);
        if (count)
            value = text;
        return count;
    }
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        const int count = redactMembers(object, tally);
        if (count)
            value = object;
        return count;
    }
    if (!value.isArray())
        return 0;
    QJsonArray array = value.toArray();
    // The strings of an array may be consecutive lines (a log record's lines[]), and a
    // private key block spans them: one stream follows them in order.
    Redactor lines;
    int count = 0;
    bool changed = false;
    for (qsizetype i = 0; i < array.size(); ++i) {
        QJsonValue item = array.at(i);
        int n = 0;
        bool replaced = false;
        if (item.isString()) {
            QString text = item.toString();
            replaced = lines.inPrivateKey();
            n = lines.redact(text, tally);
            item = text;
        } else {
            n = redactJson(item, tally);
        }
        if (n || replaced) {
            array.replace(i, item);
            changed = true;
        }
        count += n;
    }
    if (changed)
        value = array;
    return count;
}

bool Redactor::mayContainSecret(const char *data, qsizetype size)
{
    return scanForSecrets(data, size).any();
}

bool Redactor::mayContainSecret(QStringView text)
{
    return scan(text).any();
}

} // namespace Tasktrail
