#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringView>

class QJsonValue;

namespace Tasktrail {

// How many secrets a redaction replaced, by index into redactionRules().
struct RedactionTally
{
    QList<int> byRule;

    void add(int rule);
    int total() const;
};

// The one redaction step every stored and printed text passes: secrets are replaced with
// "[REDACTED:<kind>]" by the rules of redactionrules.cpp (GitHub, GitLab, Slack, npm, OpenAI
// and Anthropic tokens, AWS keys, JWTs, private key blocks, Authorization headers, bearer
// tokens, passwords in URLs). It depends on QtCore alone.
//
// The rules see each line as a person reads it: ANSI escape sequences removed and JSON string
// escapes (\u0041, \/, \") decoded, so neither can hide a secret; what is replaced is the
// secret's span in the text as given. A cheap pre-filter runs first and never says "clean"
// for a text a rule would change.
//
// A Redactor object follows one stream of lines: a private key block spans lines, so the
// lines between BEGIN and END are redacted too (each becomes the marker, so line numbers stay).
class Redactor final
{
public:
    // Redacts one line (no newline) in place; returns how many secrets it replaced. Invalid
    // UTF-8 is left alone unless the line had a secret.
    int redactLine(QByteArray &line, RedactionTally *tally = nullptr);
    // Redacts text that may span lines, following the stream across them.
    int redact(QString &text, RedactionTally *tally = nullptr);
    // A command's output line as read: `raw` may hold ANSI escapes. *text becomes the plain
    // redacted line, *ansi the same line with its colours (CSI sequences), derived from the
    // redacted text, or a null array when it has none; other escapes (OSC hyperlinks, window
    // titles) are dropped, since they can carry text nobody sees.
    int redactLogLine(const QByteArray &raw, QByteArray *text, QByteArray *ansi,
                      RedactionTally *tally = nullptr);

    // A standalone value that may span lines.
    static int redactText(QString &text, RedactionTally *tally = nullptr);
    // A value that names a record or that records are matched by (an id, a ref, a repository,
    // any part of a key): each marker also carries keyTag() of the whole original value,
    // "[REDACTED:<kind>#<12 hex>]", so that two values that differ only in their secret stay
    // two values, and the same value redacts the same way every time (ingesting a file twice
    // changes nothing, and a reference meets the id it names).
    static int redactKey(QString &value, RedactionTally *tally = nullptr);
    // The first 12 hex digits of the SHA-256 of the whole value as given (UTF-8).
    static QString keyTag(QStringView value);
    // Whether a JSON member (or a column) of this name holds a key value, as the native and
    // GitHub formats name them (redactJson redacts it as redactKey does): `id`, `*_id`, `ref`,
    // `*_ref`, `repo`, `repository`, `full_name`, `version`, `*_version`, `head_branch`, `sha`,
    // `*_sha`, `request_key`, and the key parts `name`, `path`, `host` and `tool`. Names in
    // camelCase are not: `AccessKeyId` is a credential's part, not a record's id.
    static bool isKeyName(QStringView key);
    // Every string of a JSON value, and its keys; a string under a key that names a secret
    // (`Authorization`, `SecretAccessKey`, `_authToken`, ...) goes whole, one under a key name
    // (isKeyName) is redacted as redactKey() does. Consecutive
    // strings of an array are one stream of lines.
    static int redactJson(QJsonValue &value, RedactionTally *tally = nullptr);
    // The rule whose JSON keys include `key`, or -1.
    static int secretKeyRule(QStringView key);

    // The pre-filter: false means no rule can change this text. Sound for raw bytes too: an
    // escape (ANSI, or \u and \/ of JSON) that could hide a secret answers true.
    static bool mayContainSecret(const char *data, qsizetype size);
    static bool mayContainSecret(QStringView text);

    bool inPrivateKey() const { return m_inPrivateKey; }
    void setInPrivateKey(bool inside) { m_inPrivateKey = inside; }
    void reset() { m_inPrivateKey = false; }

private:
    int redactString(QString &line, RedactionTally *tally);

    bool m_inPrivateKey = false;
    QString m_tag; // redactKey(): the original value's tag, carried by every marker
};

} // namespace Tasktrail
