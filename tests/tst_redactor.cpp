#include "text/redactionrules.h"
#include "text/redactor.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

// Made-up secrets in the shapes of the real ones.
const QString githubToken = u"ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"_s;
const QString awsKeyId = u"AKIAIOSFODNN7EXAMPLE"_s;
const QString awsSecret = u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"_s; // 40 characters
const QString jwt = u"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0YXNrdHJhaWwtdGVzdCJ9."
                    "c2lnbmF0dXJlLW9mLXRoZS10ZXN0"_s;

// One example of a rule: `input` redacts to `expected`; a negative example expects `input`.
struct Example
{
    QLatin1StringView kind;
    const char *name;
    QString input;
    QString expected;
};

QString marker(QLatin1StringView kind)
{
    return u"[REDACTED:"_s + kind + u']';
}

// Every rule's examples, the ones that must be redacted and the ones that must not.
QList<Example> examples()
{
    const auto m = [](const char *kind) { return marker(QLatin1StringView(kind)); };
    return {
        {"private-key"_L1, "PEM block on one line",
         u"key=-----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA-----END RSA PRIVATE KEY----- done"_s,
         u"key="_s + m("private-key") + u" done"_s},
        {"private-key"_L1, "PGP block on one line",
         u"-----BEGIN PGP PRIVATE KEY BLOCK-----lQOYBGN-----END PGP PRIVATE KEY BLOCK-----"_s,
         m("private-key")},
        {"private-key"_L1, "public key stays", u"-----BEGIN PUBLIC KEY-----"_s,
         u"-----BEGIN PUBLIC KEY-----"_s},
        {"private-key"_L1, "words stay", u"the private key is never logged"_s,
         u"the private key is never logged"_s},

        {"anthropic-key"_L1, "API key",
         u"ANTHROPIC_API_KEY=sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfGh"_s,
         u"ANTHROPIC_API_KEY="_s + m("anthropic-key")},
        {"anthropic-key"_L1, "too short", u"sk-ant-short"_s, u"sk-ant-short"_s},

        {"openai-key"_L1, "project key",
         u"OPENAI_API_KEY=sk-proj-AbCdEf0123456789_GhIjKlMnOpQrStUvWx-yz"_s,
         u"OPENAI_API_KEY="_s + m("openai-key")},
        {"openai-key"_L1, "legacy key",
         u"key: sk-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKl"_s,
         u"key: "_s + m("openai-key")},
        {"openai-key"_L1, "task ids stay", u"task-1234567890abcdefghijkl"_s,
         u"task-1234567890abcdefghijkl"_s},
        {"openai-key"_L1, "words stay", u"see sk-learn-tutorial-examples-here"_s,
         u"see sk-learn-tutorial-examples-here"_s},

        {"github-token"_L1, "classic PAT", u"export GH_TOKEN="_s + githubToken,
         u"export GH_TOKEN="_s + m("github-token")},
        {"github-token"_L1, "after a letter", u"x"_s + githubToken, u"x"_s + m("github-token")},
        {"github-token"_L1, "after a digit", u"7"_s + githubToken, u"7"_s + m("github-token")},
        {"github-token"_L1, "after %3A in a URL",
         u"https://x-access-token%3A"_s + githubToken + u"@github.com/acme/web"_s,
         u"https://x-access-token%3A"_s + m("github-token") + u"@github.com/acme/web"_s},
        {"github-token"_L1, "in a clone URL",
         u"https://x-access-token:ghs_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789@github.com/acme/web"_s,
         u"https://x-access-token:"_s + m("github-token") + u"@github.com/acme/web"_s},
        {"github-token"_L1, "fine-grained PAT",
         u"GITHUB_TOKEN=github_pat_11ABCDEFG0abcdefghij_KLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv"_s,
         u"GITHUB_TOKEN="_s + m("github-token")},
        {"github-token"_L1, "after something like a marker",
         u"[REDACTED "_s + githubToken + u" [REDACTED:x "_s + githubToken,
         u"[REDACTED "_s + m("github-token") + u" [REDACTED:x "_s + m("github-token")},
        {"github-token"_L1, "the prefix alone stays", u"the ghp_ prefix marks a classic token"_s,
         u"the ghp_ prefix marks a classic token"_s},

        {"gitlab-token"_L1, "personal access token", u"GITLAB_TOKEN=glpat-xY3kP9qR2sT5uV8wZ1aB"_s,
         u"GITLAB_TOKEN="_s + m("gitlab-token")},
        {"gitlab-token"_L1, "too short", u"glpat-short"_s, u"glpat-short"_s},

        {"slack-token"_L1, "bot token",
         u"SLACK=xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"_s,
         u"SLACK="_s + m("slack-token")},
        {"slack-token"_L1, "words stay", u"xoxo, hugs from the team"_s,
         u"xoxo, hugs from the team"_s},
        {"slack-token"_L1, "app-level token",
         u"SLACK_APP_TOKEN=xapp-1-A0123456789-1234567890123-"
         "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"_s,
         u"SLACK_APP_TOKEN="_s + m("slack-token")},
        {"slack-token"_L1, "app names stay", u"deploy xapp-production-server and xapp-1-build"_s,
         u"deploy xapp-production-server and xapp-1-build"_s},

        {"npm-token"_L1, "access token", u"NPM_TOKEN=npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"_s,
         u"NPM_TOKEN="_s + m("npm-token")},
        {"npm-token"_L1, "npm's variables stay", u"npm_config_cache=/home/ci/.npm"_s,
         u"npm_config_cache=/home/ci/.npm"_s},

        {"aws-access-key"_L1, "access key id", u"aws_access_key_id = "_s + awsKeyId,
         u"aws_access_key_id = "_s + m("aws-access-key")},
        {"aws-access-key"_L1, "after %3A", u"id%3A"_s + awsKeyId, u"id%3A"_s + m("aws-access-key")},
        {"aws-access-key"_L1, "words stay", u"ASIAN markets opened"_s, u"ASIAN markets opened"_s},
        {"aws-access-key"_L1, "longer ids stay", awsKeyId + u"X"_s, awsKeyId + u"X"_s},

        {"jwt"_L1, "a token", u"id_token="_s + jwt, u"id_token="_s + m("jwt")},
        {"jwt"_L1, "after a letter and a dash", u"release-"_s + jwt, u"release-"_s + m("jwt")},
        {"jwt"_L1, "after other segments", u"eyJabcdefghijk.x."_s + jwt,
         u"eyJabcdefghijk.x."_s + m("jwt")},
        {"jwt"_L1, "one segment stays", u"eyJhbGciOiJIUzI1NiJ9 is a header"_s,
         u"eyJhbGciOiJIUzI1NiJ9 is a header"_s},

        {"aws-secret"_L1, "config file", u"aws_secret_access_key="_s + awsSecret,
         u"aws_secret_access_key="_s + m("aws-secret")},
        {"aws-secret"_L1, "environment, upper case", u"export AWS_SECRET_ACCESS_KEY="_s + awsSecret,
         u"export AWS_SECRET_ACCESS_KEY="_s + m("aws-secret")},
        {"aws-secret"_L1, "JSON credentials", u"{\"SecretAccessKey\": \""_s + awsSecret + u"\"}"_s,
         u"{\"SecretAccessKey\": \""_s + m("aws-secret") + u"\"}"_s},
        {"aws-secret"_L1, "a reference stays", u"aws_secret_access_key = ${AWS_SECRET}"_s,
         u"aws_secret_access_key = ${AWS_SECRET}"_s},

        {"session-token"_L1, "JSON credentials",
         u"\"SessionToken\": \"IQoJb3JpZ2luX2VjEDYaCXVzLWVhc3QtMSJHMEUCIQD\","_s,
         u"\"SessionToken\": \""_s + m("session-token") + u"\","_s},
        {"session-token"_L1, "words stay", u"session token expired, logging in again"_s,
         u"session token expired, logging in again"_s},

        {"npm-auth"_L1, ".npmrc token",
         u"//registry.npmjs.org/:_authToken=4f3c2b1a-0000-1111-2222-333344445555"_s,
         u"//registry.npmjs.org/:_authToken="_s + m("npm-auth")},
        {"npm-auth"_L1, ".npmrc password", u"//npm.example.com/:_password=aHVudGVyMg=="_s,
         u"//npm.example.com/:_password="_s + m("npm-auth")},
        {"npm-auth"_L1, "ends at a line break in JSON text",
         u"{\"t\":\"_authToken=4f3c2b1a-0000\\nnext\"}"_s,
         u"{\"t\":\"_authToken="_s + m("npm-auth") + u"\\nnext\"}"_s},
        {"npm-auth"_L1, "a variable stays", u"//registry.npmjs.org/:_authToken=${NPM_TOKEN}"_s,
         u"//registry.npmjs.org/:_authToken=${NPM_TOKEN}"_s},

        {"authorization"_L1, "header", u"Authorization: Bearer xyz"_s,
         u"Authorization: "_s + m("authorization")},
        {"authorization"_L1, "mixed case", u"AUTHorization: token abc"_s,
         u"AUTHorization: "_s + m("authorization")},
        {"authorization"_L1, "JSON key in text", u"{\"Authorization\": \"Bearer abc\", \"x\": 1}"_s,
         u"{\"Authorization\": \""_s + m("authorization") + u"\", \"x\": 1}"_s},
        {"authorization"_L1, "escaped JSON in text",
         u"{\\\"Authorization\\\": \\\"Bearer abc\\\", \\\"x\\\": 1}"_s,
         u"{\\\"Authorization\\\": \\\""_s + m("authorization") + u"\\\", \\\"x\\\": 1}"_s},
        {"authorization"_L1, "quoted in a shell command",
         u"curl -H 'AUTHORIZATION: Basic dXNlcjpwYXNz' https://api.example.com"_s,
         u"curl -H 'AUTHORIZATION: "_s + m("authorization") + u"' https://api.example.com"_s},
        {"authorization"_L1, "inside a TOML string",
         u"prompt = \"call with Authorization: Bearer abc123 then\""_s,
         u"prompt = \"call with Authorization: "_s + m("authorization") + u"\""_s},
        {"authorization"_L1, "prose stays", u"authorization failed for acme/web"_s,
         u"authorization failed for acme/web"_s},
        {"authorization"_L1, "redacted already", u"Authorization: "_s + m("authorization"),
         u"Authorization: "_s + m("authorization")},
        {"authorization"_L1, "a marker written in front hides nothing",
         u"Authorization: [REDACTED:authorization] Basic dXNlcjpwYXNz"_s,
         u"Authorization: [REDACTED:authorization] "_s + m("authorization")},

        {"bearer-token"_L1, "bare token", u"using Bearer 9f8e7d6c5b4a39281706abcdef"_s,
         u"using Bearer "_s + m("bearer-token")},
        {"bearer-token"_L1, "prose stays", u"Bearer authentication required"_s,
         u"Bearer authentication required"_s},
        {"bearer-token"_L1, "after a line break in JSON text",
         u"{\"body\":\"x\\nBearer 9f8e7d6c5b4a39281706abcdef\"}"_s,
         u"{\"body\":\"x\\nBearer "_s + m("bearer-token") + u"\"}"_s},

        {"openai-key"_L1, "after a line break in JSON text",
         u"{\"a\":\"x\\nsk-9f8e7d6c5b4a39281706abcdef\"}"_s,
         u"{\"a\":\"x\\n"_s + m("openai-key") + u"\"}"_s},

        {"url-password"_L1, "password in a URL",
         u"git clone https://deploy:s3cr3t-Pa55@git.example.com/acme/web.git"_s,
         u"git clone https://deploy:"_s + m("url-password") + u"@git.example.com/acme/web.git"_s},
        {"url-password"_L1, "database URL", u"postgres://app:hunter2@db:5432/app"_s,
         u"postgres://app:"_s + m("url-password") + u"@db:5432/app"_s},
        {"url-password"_L1, "user without password stays", u"ssh://git@github.com/acme/web.git"_s,
         u"ssh://git@github.com/acme/web.git"_s},
        {"url-password"_L1, "port and query stay", u"http://localhost:8080/path?mail=a@b.org"_s,
         u"http://localhost:8080/path?mail=a@b.org"_s},
    };
}

QString decodeUnicodeEscapes(QString text)
{
    for (qsizetype at = text.indexOf(u"\\u"_s); at >= 0; at = text.indexOf(u"\\u"_s, at + 1)) {
        bool ok = false;
        const ushort code = text.mid(at + 2, 4).toUShort(&ok, 16);
        if (ok)
            text.replace(at, 6, QChar(code));
    }
    return text;
}

QString redacted(QString text, int *count = nullptr)
{
    const int n = Redactor::redactText(text);
    if (count)
        *count = n;
    return text;
}

} // namespace

class TestRedactor final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyRuleHasExamples();
    void rules_data();
    void rules();
    void colourInsideASecret_data();
    void colourInsideASecret();
    void jsonEscapeInsideASecret_data();
    void jsonEscapeInsideASecret();
    void ordinaryTextSurvives_data();
    void ordinaryTextSurvives();
    void lineStreams_data();
    void lineStreams();
    void logLines_data();
    void logLines();
    void multiLineText();
    void json();
    void prefilterIsSound();
    void hostileLinesStayLinear_data();
    void hostileLinesStayLinear();
};

void TestRedactor::everyRuleHasExamples()
{
    QSet<QString> positive, negative;
    for (const Example &e : examples())
        (e.input == e.expected ? negative : positive).insert(e.kind);
    for (const RedactionRule &rule : redactionRules()) {
        QVERIFY2(positive.contains(rule.kind), qPrintable(rule.kind + u": no example"_s));
        QVERIFY2(negative.contains(rule.kind), qPrintable(rule.kind + u": no counterexample"_s));
        QVERIFY2(rule.pattern.isValid(), qPrintable(rule.pattern.errorString()));
        // The pre-filter folds ASCII case only: anchors are lower case.
        for (const QLatin1StringView anchor : rule.anchors)
            QCOMPARE(QString(anchor), QString(anchor).toLower());
        // A JSON walk is skipped when the document shows no anchor: every key has one.
        for (const QLatin1StringView key : rule.jsonKeys) {
            bool anchored = false;
            for (const QLatin1StringView anchor : rule.anchors)
                anchored = anchored || QString(key).contains(anchor, Qt::CaseInsensitive);
            QVERIFY2(anchored, qPrintable(rule.kind + u": key "_s + key + u" has no anchor"_s));
        }
    }
}

void TestRedactor::rules_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    for (const Example &e : examples())
        QTest::addRow("%s: %s", e.kind.data(), e.name) << e.input << e.expected;
}

void TestRedactor::rules()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);

    int count = 0;
    const QString once = redacted(input, &count);
    QCOMPARE(once, expected);
    QCOMPARE(count, int(expected.count(u"[REDACTED:"_s) - input.count(u"[REDACTED:"_s)));
    // The step may run again on what it wrote: nothing changes.
    QCOMPARE(redacted(once, &count), once);
    QCOMPARE(count, 0);
    // The same as UTF-8 bytes, as a log line is.
    QByteArray line = input.toUtf8();
    Redactor().redactLine(line);
    QCOMPARE(QString::fromUtf8(line), expected);
}

void TestRedactor::colourInsideASecret_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    for (const Example &e : examples()) {
        if (e.input != e.expected && !e.input.contains(u'\\'))
            QTest::addRow("%s: %s", e.kind.data(), e.name) << e.input << e.expected;
    }
    QTest::newRow("PEM header")
        << u"-----BEGIN RSA PRIVATE KEY-----MIIE-----END RSA PRIVATE KEY-----"_s
        << marker("private-key"_L1);
}

// A colour change anywhere in a secret, its key or its header hides nothing: the text and the
// coloured text both come out as the uncoloured line does.
void TestRedactor::colourInsideASecret()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);

    const QString colour = u"\x1b[32m"_s;
    for (qsizetype at = 1; at < input.size(); ++at) {
        const QByteArray raw = (input.left(at) + colour + input.mid(at)).toUtf8();
        QByteArray text, ansi;
        Redactor().redactLogLine(raw, &text, &ansi);
        QCOMPARE(QString::fromUtf8(text), expected);
        QVERIFY(!ansi.isNull());
        QVERIFY2(ansi.contains("\x1b[32m"), ansi.constData()); // the colour stays
        QByteArray plainOfAnsi = ansi;
        plainOfAnsi.replace("\x1b[32m", "");
        QCOMPARE(QString::fromUtf8(plainOfAnsi), expected);
    }
}

void TestRedactor::jsonEscapeInsideASecret_data()
{
    colourInsideASecret_data();
}

// A character written as a JSON \u escape anywhere in the line changes nothing either.
void TestRedactor::jsonEscapeInsideASecret()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);

    for (qsizetype at = 0; at < input.size(); ++at) {
        const QString escaped = input.left(at) +
                                u"\\u%1"_s.arg(uint(input.at(at).unicode()), 4, 16, QChar(u'0')) +
                                input.mid(at + 1);
        const QString out = redacted(escaped);
        QCOMPARE(decodeUnicodeEscapes(out), expected);
    }
}

void TestRedactor::ordinaryTextSurvives_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("build output") << u"npm ci --prefer-offline && npm test"_s;
    QTest::newRow("sha1") << u"commit da39a3ee5e6b4b0d3255bfef95601890afd80709"_s;
    QTest::newRow("sha256")
        << u"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_s;
    QTest::newRow("hashed token, base64")
        << u"hashed_token=n2Yd3kL8b0Q2e8s5aQ7yS1J0l4W6cF9p+3rT2vN1mKo="_s;
    QTest::newRow("UUID") << u"request 123e4567-e89b-12d3-a456-426614174000 accepted"_s;
    QTest::newRow("words") << u"The secretary of the Asian session approved the authorization."_s;
    QTest::newRow("URLs") << u"Downloading https://repo.maven.apache.org/maven2/org/x/1.0/x.pom"_s;
    QTest::newRow("e-mail") << u"Signed-off-by: Ada <ada@example.com>"_s;
    QTest::newRow("non-ASCII text") << u"Größe ✓ ghp_ kurz"_s;
}

void TestRedactor::ordinaryTextSurvives()
{
    QFETCH(QString, text);
    int count = -1;
    QCOMPARE(redacted(text, &count), text);
    QCOMPARE(count, 0);
}

void TestRedactor::lineStreams_data()
{
    // Lines go through one Redactor in order, as the lines of a log do.
    QTest::addColumn<QByteArrayList>("lines");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::addColumn<int>("count");

    const QByteArray key = "[REDACTED:private-key]";
    QTest::newRow("private key block over lines")
        << QByteArrayList{"-----BEGIN OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU",
                          "QyNTUxOQAAACDZ3a1dz7Y6p6Xn0oWk0xGQ2mWc9v0r1rFv7N8oq4r8OQAAAJg",
                          "-----END OPENSSH PRIVATE KEY-----", "ssh-add: identity added"}
        << QByteArrayList{key, key, key, key, "ssh-add: identity added"} << 1;
    QTest::newRow("END line keeps what follows the key")
        << QByteArrayList{"-----BEGIN EC PRIVATE KEY-----", "MHcCAQEEIBkg4LVWM9nuwNSk3",
                          "-----END EC PRIVATE KEY----- (copied from vault)"}
        << QByteArrayList{key, key, key + " (copied from vault)"} << 1;
    QTest::newRow("PGP armour with headers and a blank line")
        << QByteArrayList{"-----BEGIN PGP PRIVATE KEY BLOCK-----",
                          "Comment: release signing",
                          "",
                          "lQOYBGNoAAABCAC",
                          "=Xn1m",
                          "-----END PGP PRIVATE KEY BLOCK-----",
                          "gpg: done"}
        << QByteArrayList{key, key, key, key, key, key, "gpg: done"} << 1;
    QTest::newRow("SSH2 key") << QByteArrayList{"---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----",
                                                "P2/56wAAAi4AAAA3aWYt",
                                                "---- END SSH2 ENCRYPTED PRIVATE KEY ----"}
                              << QByteArrayList{key, key, key} << 1;
    QTest::newRow("coloured PEM header")
        << QByteArrayList{"-----BEGIN RSA \x1b[1mPRIVATE KEY\x1b[0m-----", "MIIEowIBAAKCAQEA",
                          "-----END RSA PRIVATE KEY-----"}
        << QByteArrayList{key + "\x1b[1m\x1b[0m", key, key} << 1;
    QTest::newRow("a secret after the END marker")
        << QByteArrayList{"-----BEGIN PRIVATE KEY-----", "MIIE",
                          "-----END PRIVATE KEY----- "
                          "token=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"}
        << QByteArrayList{key, key, key + " token=[REDACTED:github-token]"} << 2;
    QTest::newRow("clean line, not UTF-8")
        << QByteArrayList{"byte \xff stays"} << QByteArrayList{"byte \xff stays"} << 0;
    QTest::newRow("two secrets of different kinds")
        << QByteArrayList{"ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 AKIAIOSFODNN7EXAMPLE"}
        << QByteArrayList{"[REDACTED:github-token] [REDACTED:aws-access-key]"} << 2;
    QTest::newRow("header with a token in it is one secret")
        << QByteArrayList{"Authorization: Bearer ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"}
        << QByteArrayList{"Authorization: [REDACTED:authorization]"} << 1;
}

void TestRedactor::lineStreams()
{
    QFETCH(QByteArrayList, lines);
    QFETCH(QByteArrayList, expected);
    QFETCH(int, count);

    Redactor redactor;
    int total = 0;
    for (QByteArray &line : lines)
        total += redactor.redactLine(line);
    QCOMPARE(lines, expected);
    QCOMPARE(total, count);
    QVERIFY(!redactor.inPrivateKey());
}

void TestRedactor::logLines_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("ansi"); // null: no colours

    QTest::newRow("plain line") << QByteArray("npm test") << QByteArray("npm test") << QByteArray();
    QTest::newRow("coloured line keeps its colours")
        << QByteArray("\x1b[32mok\x1b[0m 12 tests") << QByteArray("ok 12 tests")
        << QByteArray("\x1b[32mok\x1b[0m 12 tests");
    QTest::newRow("token split by a colour: the colour goes after the marker")
        << QByteArray("GH_TOKEN=ghp_\x1b[32maBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\x1b[0m done")
        << QByteArray("GH_TOKEN=[REDACTED:github-token] done")
        << QByteArray("GH_TOKEN=[REDACTED:github-token]\x1b[32m\x1b[0m done");
    QTest::newRow("header name split by a reset")
        << QByteArray("Authorization\x1b[0m: Bearer abc123")
        << QByteArray("Authorization: [REDACTED:authorization]")
        << QByteArray("Authorization\x1b[0m: [REDACTED:authorization]");
    QTest::newRow("hyperlink target with a password is dropped")
        << QByteArray("\x1b]8;;https://ci:pa55word@ci.example.com/run/1\x1b\\run 1\x1b]8;;\x1b\\")
        << QByteArray("run 1") << QByteArray();
    QTest::newRow("window title dropped, colours kept")
        << QByteArray("\x1b]0;build\x07\x1b[1mdone\x1b[0m") << QByteArray("done")
        << QByteArray("\x1b[1mdone\x1b[0m");
}

void TestRedactor::logLines()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, ansi);

    QByteArray gotText, gotAnsi;
    Redactor().redactLogLine(raw, &gotText, &gotAnsi);
    QCOMPARE(gotText, text);
    QCOMPARE(gotAnsi, ansi);
    QCOMPARE(gotAnsi.isNull(), ansi.isNull());
}

void TestRedactor::multiLineText()
{
    int count = 0;
    const QString text =
        u"first line\nAuthorization: Bearer abc.def\n-----BEGIN RSA PRIVATE KEY-----\n"
        "MIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nlast "_s +
        githubToken;
    // Line for line: a TOML or JSON text keeps its line numbers.
    QCOMPARE(redacted(text, &count),
             u"first line\nAuthorization: [REDACTED:authorization]\n[REDACTED:private-key]\n"
             "[REDACTED:private-key]\n[REDACTED:private-key]\nlast [REDACTED:github-token]"_s);
    QCOMPARE(count, 3);
}

void TestRedactor::json()
{
    QJsonValue value =
        QJsonDocument::fromJson(
            QByteArray(R"({"Credentials": {"AccessKeyId": "AKIAIOSFODNN7EXAMPLE",)"
                       R"("SecretAccessKey": "short-but-secret", "Expiration": "x"},)"
                       R"("headers": {"authorization": {"scheme": "basic"}},)"
                       R"("lines": ["-----BEGIN PRIVATE KEY-----", "MIIE",)"
                       R"("-----END PRIVATE KEY-----", "done"],)"
                       R"("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789": 1,)"
                       R"("_authToken": "${NPM_TOKEN}", "empty": {"authorization": ""}})"))
            .object();
    QCOMPARE(Redactor::redactJson(value), 6);
    const QJsonObject o = value.toObject();
    const QJsonObject credentials = o.value(u"Credentials").toObject();
    QCOMPARE(credentials.value(u"AccessKeyId").toString(), u"[REDACTED:aws-access-key]"_s);
    QCOMPARE(credentials.value(u"SecretAccessKey").toString(), u"[REDACTED:aws-secret]"_s);
    QCOMPARE(credentials.value(u"Expiration").toString(), u"x"_s);
    QCOMPARE(o.value(u"headers").toObject().value(u"authorization").toString(),
             u"[REDACTED:authorization]"_s);
    QCOMPARE(o.value(u"lines").toArray(),
             QJsonArray({u"[REDACTED:private-key]"_s, u"[REDACTED:private-key]"_s,
                         u"[REDACTED:private-key]"_s, u"done"_s}));
    QVERIFY(o.contains(u"[REDACTED:github-token]"));
    QCOMPARE(o.value(u"_authToken").toString(), u"[REDACTED:npm-auth]"_s);
    QCOMPARE(o.value(u"empty").toObject().value(u"authorization").toString(), QString());
}

// Whatever a rule would change, the pre-filter lets through: raw text with colours or JSON
// escapes in it included.
void TestRedactor::prefilterIsSound()
{
    for (const Example &e : examples()) {
        if (e.input == e.expected)
            continue;
        const QByteArray utf8 = e.input.toUtf8();
        QVERIFY2(Redactor::mayContainSecret(utf8.constData(), utf8.size()), e.name);
        QVERIFY2(Redactor::mayContainSecret(e.input), e.name);
    }
    const QByteArray coloured = "ghp\x1b[0m_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
    QVERIFY(Redactor::mayContainSecret(coloured.constData(), coloured.size()));
    const QByteArray escaped = R"({"t": "ghp\u005faBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"})";
    QVERIFY(Redactor::mayContainSecret(escaped.constData(), escaped.size()));
    const QByteArray slashes = R"({"u": "https:\/\/u:p@h"})";
    QVERIFY(Redactor::mayContainSecret(slashes.constData(), slashes.size()));
    const QByteArray clean = "npm ci && npm test";
    QVERIFY(!Redactor::mayContainSecret(clean.constData(), clean.size()));
}

void TestRedactor::hostileLinesStayLinear_data()
{
    // A line as long as a log line may be (1 MiB), made of what makes a pattern start again and
    // again: read once, it takes milliseconds; read again from each start, minutes.
    QTest::addColumn<QString>("piece");
    QTest::addColumn<QString>("prefix");
    QTest::newRow("sk-") << u"sk-"_s << QString();
    QTest::newRow("eyJ") << u"eyJ"_s << QString();
    QTest::newRow("-eyJ") << u"-eyJ"_s << QString();
    QTest::newRow("JWT headers") << u"eyJhbGciOiJIUzI1NiJ9."_s << QString();
    QTest::newRow("header names") << u"Authorization: "_s << QString();
    QTest::newRow("quoted headers") << u"'Authorization: x' "_s << QString();
    QTest::newRow("scheme runs") << u"abcdefgh"_s << QString();
    QTest::newRow("URLs") << u"a://b:"_s << QString();
    QTest::newRow("key block headers") << u"-----BEGIN RSA PRIVATE KEY-----"_s << QString();
    QTest::newRow("bearers") << u"Bearer "_s << QString();
    QTest::newRow("markers") << u"[REDACTED:github-token]"_s << QString();
    QTest::newRow("JSON escapes") << u"\\u0041"_s << QString();
    QTest::newRow("colours") << u"\x1b[1mA"_s << QString();
    QTest::newRow("github_pat_") << u"github_pat_"_s << QString();
    QTest::newRow("headers in a quote never closed") << u"Authorization: x "_s << u"'"_s;
}

void TestRedactor::hostileLinesStayLinear()
{
    QFETCH(QString, piece);
    QFETCH(QString, prefix);
    QString line = prefix + piece.repeated(1024 * 1024 / piece.size()) + u"://x"_s;
    QElapsedTimer clock;
    clock.start();
    Redactor::redactText(line);
    QVERIFY2(clock.elapsed() < 3000, qPrintable(u"%1 ms"_s.arg(clock.elapsed())));
}

QTEST_GUILESS_MAIN(TestRedactor)
#include "tst_redactor.moc"
