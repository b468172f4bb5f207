// The redaction rules: what a secret looks like, kind by kind. Patterns see one line of text
// with ANSI escapes removed and JSON escapes decoded (redactor.cpp).
#include "text/redactionrules.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

using Extent = RedactionRule::Extent;

// "[Aa][Uu]..." for the letters of `word`: case-insensitive for ASCII only, unlike PCRE's
// caseless mode, which also matches the Kelvin sign for "k" and the long s for "s".
QString anyCase(QLatin1StringView word)
{
    QString out;
    for (const char c : word) {
        const QChar ch = QLatin1Char(c);
        if (ch.isLetter())
            out += u'[' + ch.toUpper() + ch.toLower() + u']';
        else
            out += ch;
    }
    return out;
}

// Between a key and its value: `key: v`, `key=v`, `"key": "v"`, `'key' => 'v'`, and the
// same with the quotes escaped (`\"key\": \"v\"`, JSON inside a JSON string).
const QString keyValue = uR"((?:\\?["'])?[ \t]*(?::|=>?)[ \t]*(?:\\?["'])?)"_s;
// What closes a private key block, PEM (5 dashes) or SSH2 (4 dashes and a space) or PGP.
const QString keyEnd = uR"(-{4,5} ?END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-{4,5})"_s;

bool isBase64Url(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
           u == u'-' || u == u'_';
}

// The end of the run of base64url characters from `at`.
qsizetype runEnd(QStringView text, qsizetype at)
{
    while (at < text.size() && isBase64Url(text[at]))
        ++at;
    return at;
}

// JSON Web Tokens: three base64url segments joined by dots, the first two starting "eyJ"
// (a JSON object) and at least eleven long. Found in one pass: when a start fails, every start
// later in the same segment fails the same way, so the search goes on after that segment.
void findJwts(QStringView text, QList<std::pair<qsizetype, qsizetype>> &found)
{
    constexpr qsizetype shortest = 11;
    for (qsizetype at = text.indexOf(u"eyJ"); at >= 0; at = text.indexOf(u"eyJ", at)) {
        const qsizetype header = runEnd(text, at);
        const bool payload = header - at >= shortest && header < text.size() &&
                             text[header] == u'.' && text.sliced(header + 1).startsWith(u"eyJ");
        const qsizetype payloadEnd = payload ? runEnd(text, header + 1) : header;
        if (payload && payloadEnd - (header + 1) >= shortest && payloadEnd < text.size() &&
            text[payloadEnd] == u'.') {
            const qsizetype end = runEnd(text, payloadEnd + 1);
            found.append({at, end});
            at = end;
        } else {
            at = std::max(header, at + 1);
        }
    }
}

RedactionRule rule(QLatin1StringView kind, Extent extent, const QString &pattern,
                   QList<QLatin1StringView> anchors, QList<QLatin1StringView> jsonKeys = {},
                   QLatin1StringView mustContain = {})
{
    RedactionRule r{
        kind,       extent, QRegularExpression(pattern), std::move(anchors), std::move(jsonKeys),
        mustContain};
    r.pattern.optimize();
    Q_ASSERT_X(r.pattern.isValid(), "redactionRules", qPrintable(r.pattern.errorString()));
    return r;
}

std::vector<RedactionRule> makeRules()
{
    std::vector<RedactionRule> rules;
    rules.push_back(
        rule("private-key"_L1, Extent::KeyBlock,
             uR"(-{4,5} ?BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-{4,5}.*?(?:)"_s + keyEnd + u"|$)"_s,
             {"private key"_L1}));
    // Anthropic before OpenAI: both match "sk-ant-...", and the more exact kind wins.
    rules.push_back(
        rule("anthropic-key"_L1, Extent::Match, uR"(sk-ant-[A-Za-z0-9_-]{20,})"_s, {"sk-ant-"_L1}));
    // A bare "sk-" needs a boundary and a digit: "task-" and "risk-based-..." are words. A line
    // break written as a JSON escape (`\n`, in a tool call's arguments) is a boundary too.
    rules.push_back(
        rule("openai-key"_L1, Extent::Match,
             uR"(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}+)"
             uR"(|(?:(?<![A-Za-z0-9])|(?<=%3[Aa])|(?<=\\[nrt]))sk-[A-Za-z0-9_-]{20,}+)"_s,
             {"sk-"_L1}, {}, "0123456789"_L1));
    // Tokens start anywhere: after a letter (`xghp_...`), a digit or `%3A` in a URL.
    rules.push_back(
        rule("github-token"_L1, Extent::Match,
             uR"(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"_s,
             {"ghp_"_L1, "gho_"_L1, "ghs_"_L1, "ghu_"_L1, "ghr_"_L1, "github_pat_"_L1}));
    rules.push_back(rule("gitlab-token"_L1, Extent::Match,
                         uR"(gl(?:pat|dt|rt|ptt)-[A-Za-z0-9_-]{20,})"_s,
                         {"glpat-"_L1, "gldt-"_L1, "glrt-"_L1, "glptt-"_L1}));
    // Bot, user and legacy tokens (xoxb-, xoxp-, ...), and app-level tokens
    // (xapp-1-A0123-1234-abcdef...), whose numbered parts keep a name like xapp-server out.
    rules.push_back(
        rule("slack-token"_L1, Extent::Match,
             uR"(xox[baprs]-[A-Za-z0-9-]{10,}|xapp-[0-9]+-[A-Za-z0-9]+-[0-9]+-[A-Za-z0-9]{10,})"_s,
             {"xox"_L1, "xapp-"_L1}));
    rules.push_back(rule("npm-token"_L1, Extent::Match, uR"(npm_[A-Za-z0-9]{36}(?![A-Za-z0-9]))"_s,
                         {"npm_"_L1}));
    rules.push_back(rule("aws-access-key"_L1, Extent::Match,
                         uR"((?:(?<![A-Z0-9])|(?<=%3[Aa]))(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9]))"_s,
                         {"akia"_L1, "asia"_L1}));
    RedactionRule jwt = rule("jwt"_L1, Extent::Match, {}, {"eyj"_L1});
    jwt.find = findJwts;
    rules.push_back(jwt);
    rules.push_back(rule(
        "aws-secret"_L1, Extent::Group,
        anyCase("secret"_L1) + u"[_-]?"_s + anyCase("access"_L1) + u"[_-]?"_s + anyCase("key"_L1) +
            keyValue + uR"((?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=]))"_s,
        {"secret"_L1}, {"secretaccesskey"_L1, "secret_access_key"_L1, "aws_secret_access_key"_L1}));
    rules.push_back(rule("session-token"_L1, Extent::Group,
                         anyCase("session"_L1) + u"[_-]?"_s + anyCase("token"_L1) + keyValue +
                             uR"((?<secret>[A-Za-z0-9/+=%._-]{16,}))"_s,
                         {"sessiontoken"_L1, "session_token"_L1, "session-token"_L1},
                         {"sessiontoken"_L1, "session_token"_L1, "aws_session_token"_L1}));
    // .npmrc (`//registry/:_authToken=...`, `_auth`, `_password`) and .yarnrc.yml; a
    // `${VARIABLE}` is a reference, not a secret. The value ends at a backslash: in JSON text a
    // `\n` ends the line, and what follows it is read by the other rules.
    rules.push_back(rule("npm-auth"_L1, Extent::Group,
                         u"(?:_(?:"_s + anyCase("auth"_L1) + u"(?:"_s + anyCase("token"_L1) +
                             u")?|"_s + anyCase("password"_L1) + u")[ \\t]*=|"_s +
                             anyCase("npmauthtoken"_L1) +
                             uR"([ \t]*:)[ \t]*["']?(?<secret>(?!\$)[^\s"'#\\]+))"_s,
                         {"_auth"_L1, "_password"_L1, "npmauthtoken"_L1},
                         {"_authtoken"_L1, "_auth"_L1, "_password"_L1, "npmauthtoken"_L1}));
    // The header in any spelling, also as a JSON or dictionary key; the value ends where its
    // quoted string ends, else at the end of the line (Digest and AWS4 values have spaces).
    rules.push_back(
        rule("authorization"_L1, Extent::HeaderValue,
             anyCase("authorization"_L1) + uR"((?:\\?["'])?[ \t]*[:=][ \t]*(?<open>\\?["'])?)"_s,
             {"authorization"_L1}, {"authorization"_L1, "proxy-authorization"_L1}));
    // A bare bearer token: long, and with a digit or punctuation, so "Bearer authentication"
    // stays prose; at the start of a line in JSON text too (after `\n`, `\r` or `\t`).
    rules.push_back(rule("bearer-token"_L1, Extent::Group,
                         uR"((?:(?<![A-Za-z0-9])|(?<=\\[nrt])))"_s + anyCase("bearer"_L1) +
                             uR"([ \t]+(?<secret>[A-Za-z0-9._~+/=-]{16,}+))"_s,
                         {"bearer"_L1}, {}, "0123456789._~+/="_L1));
    // scheme://user:password@host: the password, up to the last @ of the authority.
    rules.push_back(rule("url-password"_L1, Extent::Group,
                         uR"([A-Za-z][A-Za-z0-9+.-]{0,31}://[^\s/?#@:"'<>]*(?::|%3[Aa]))"
                         uR"((?<secret>[^\s/?#"'<>]+)@)"_s,
                         {"://"_L1}));
    return rules;
}

} // namespace

const std::vector<RedactionRule> &redactionRules()
{
    static const std::vector<RedactionRule> rules = makeRules();
    return rules;
}

const QRegularExpression &privateKeyEnd()
{
    static const QRegularExpression end = [] {
        QRegularExpression re(keyEnd);
        re.optimize();
        return re;
    }();
    return end;
}

QString redactionMarker(const RedactionRule &rule)
{
    return u"[REDACTED:"_s + rule.kind + u']';
}

} // namespace Tasktrail
