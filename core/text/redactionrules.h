#pragma once

#include <QLatin1StringView>
#include <QList>
#include <QRegularExpression>
#include <QString>

#include <utility>
#include <vector>

namespace Tasktrail {

// One kind of secret the Redactor replaces with "[REDACTED:<kind>]". The rules are a table
// (redactionrules.cpp) that tst_redactor walks, every rule with examples that must and must
// not be redacted.
struct RedactionRule
{
    enum class Extent
    {
        Match,       // the whole match is the secret
        Group,       // the group named "secret" is
        HeaderValue, // the value after the match, up to the end of its quoted string or line
        KeyBlock,    // the match; without an END marker also the lines after it, up to one
    };

    QLatin1StringView kind;
    Extent extent = Extent::Match;
    // ASCII only: a case-insensitive part is spelled with classes ([Aa]...), so that the
    // pre-filter's ASCII case folding sees everything the pattern can match.
    QRegularExpression pattern;
    // Lower-case strings of two or more characters; every text the pattern matches contains
    // one of them, ignoring ASCII case. The pre-filter looks for these before any pattern runs.
    QList<QLatin1StringView> anchors;
    // JSON object keys (compared in lower case) whose string value is a secret of this kind
    // as a whole: `{"SecretAccessKey": "..."}` decoded is a key and a value, not one text.
    QList<QLatin1StringView> jsonKeys;
    // When set, a secret holds at least one of these characters: checked after the match, so
    // that a pattern never scans a long run again from each of its starts.
    QLatin1StringView mustContain;
    // When set, finds the secrets instead of `pattern` (a shape a pattern cannot find in one
    // pass over a hostile line): appends each one's [start, end).
    void (*find)(QStringView text, QList<std::pair<qsizetype, qsizetype>> &found) = nullptr;
};

// Every rule, in priority order: of two matches over the same characters, the earlier rule
// names the kind.
const std::vector<RedactionRule> &redactionRules();

// The END line of a private key block (PEM or PGP armour): the KeyBlock rule's closing marker.
const QRegularExpression &privateKeyEnd();

// "[REDACTED:<kind>]"
QString redactionMarker(const RedactionRule &rule);

} // namespace Tasktrail
