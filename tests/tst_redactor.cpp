#include "text/redactor.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

// 36 alphanumerics: the body of a GitHub token after its prefix.
constexpr char token36[] = "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
constexpr char awsSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"; // 40 characters

QByteArray withToken(const char *before, const char *prefix, const char *after = "")
{
    return QByteArray(before) + prefix + token36 + after;
}

} // namespace

class TestRedactor final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void redactsLines_data();
    void redactsLines();
    void redactsText_data();
    void redactsText();
    void resetLeavesAKeyBlock();
    void prefilterSeesEveryKind_data();
    void prefilterSeesEveryKind();
};

void TestRedactor::redactsLines_data()
{
    // Lines go through one Redactor in order, as the lines of a log do.
    QTest::addColumn<QByteArrayList>("lines");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::addColumn<int>("count");

    const QByteArray token = "[REDACTED:github-token]";

    QTest::newRow("classic PAT ghp_") << QByteArrayList{withToken("export GH_TOKEN=", "ghp_")}
                                      << QByteArrayList{"export GH_TOKEN=" + token} << 1;
    QTest::newRow("OAuth app token gho_")
        << QByteArrayList{withToken("token ", "gho_", " expires soon")}
        << QByteArrayList{"token " + token + " expires soon"} << 1;
    QTest::newRow("installation token ghs_ in a clone URL")
        << QByteArrayList{withToken("https://x-access-token:", "ghs_", "@github.com/acme/web")}
        << QByteArrayList{"https://x-access-token:" + token + "@github.com/acme/web"} << 1;
    QTest::newRow("user-to-server token ghu_")
        << QByteArrayList{withToken("", "ghu_")} << QByteArrayList{token} << 1;
    QTest::newRow("refresh token ghr_") << QByteArrayList{withToken("refresh=", "ghr_", ";")}
                                        << QByteArrayList{"refresh=" + token + ";"} << 1;
    QTest::newRow("fine-grained PAT github_pat_")
        << QByteArrayList{"GITHUB_TOKEN=github_pat_11ABCDEFG0abcdefghij_"
                          "KLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789AB"}
        << QByteArrayList{"GITHUB_TOKEN=" + token} << 1;
    QTest::newRow("AWS access key id")
        << QByteArrayList{"aws_access_key_id = AKIAIOSFODNN7EXAMPLE"}
        << QByteArrayList{"aws_access_key_id = [REDACTED:aws-access-key]"} << 1;
    QTest::newRow("AWS secret, config file")
        << QByteArrayList{QByteArray("aws_secret_access_key=") + awsSecret}
        << QByteArrayList{"aws_secret_access_key=[REDACTED:aws-secret]"} << 1;
    QTest::newRow("AWS secret, environment variable")
        << QByteArrayList{QByteArray("export AWS_SECRET_ACCESS_KEY=") + awsSecret}
        << QByteArrayList{"export AWS_SECRET_ACCESS_KEY=[REDACTED:aws-secret]"} << 1;
    QTest::newRow("AWS secret, JSON")
        << QByteArrayList{QByteArray(R"("aws_secret_access_key": ")") + awsSecret + "\","}
        << QByteArrayList{R"("aws_secret_access_key": "[REDACTED:aws-secret]",)"} << 1;
    QTest::newRow("bearer header")
        << QByteArrayList{"Authorization: Bearer xyz"}
        << QByteArrayList{"Authorization: [REDACTED:authorization]"} << 1;
    QTest::newRow("token header, lower case")
        << QByteArrayList{"authorization: token abc"}
        << QByteArrayList{"authorization: [REDACTED:authorization]"} << 1;
    QTest::newRow("header in a curl command: the rest of the line goes")
        << QByteArrayList{"curl -H 'AUTHORIZATION: Basic dXNlcjpwYXNz' https://api.example.com"}
        << QByteArrayList{"curl -H 'AUTHORIZATION: [REDACTED:authorization]"} << 1;
    QTest::newRow("already redacted header is left alone")
        << QByteArrayList{"Authorization: [REDACTED:authorization]"}
        << QByteArrayList{"Authorization: [REDACTED:authorization]"} << 0;
    QTest::newRow("private key block over lines")
        << QByteArrayList{"-----BEGIN OPENSSH PRIVATE KEY-----",
                          "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
                          "QyNTUxOQAAACDZ3a1dz7Y6p6Xn0oWk0xGQ2mWc9v0r1rFv7N8oq4r8OQAAAJg",
                          "-----END OPENSSH PRIVATE KEY-----", "ssh-add: identity added"}
        << QByteArrayList{"[REDACTED:private-key]", "[REDACTED:private-key]",
                          "[REDACTED:private-key]", "[REDACTED:private-key]",
                          "ssh-add: identity added"}
        << 1;
    QTest::newRow("END line keeps what follows the key")
        << QByteArrayList{"-----BEGIN EC PRIVATE KEY-----", "MHcCAQEEIBkg4LVWM9nuwNSk3",
                          "-----END EC PRIVATE KEY----- (copied from vault)"}
        << QByteArrayList{"[REDACTED:private-key]", "[REDACTED:private-key]",
                          "[REDACTED:private-key] (copied from vault)"}
        << 1;
    QTest::newRow("private key on one line")
        << QByteArrayList{"key=-----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA"
                          "-----END RSA PRIVATE KEY----- done",
                          "next line"}
        << QByteArrayList{"key=[REDACTED:private-key] done", "next line"} << 1;
    QTest::newRow("clean line") << QByteArrayList{"npm ci --prefer-offline"}
                                << QByteArrayList{"npm ci --prefer-offline"} << 0;
    QTest::newRow("clean line naming a token prefix")
        << QByteArrayList{"the ghp_ prefix marks a classic token; ASIAN markets"}
        << QByteArrayList{"the ghp_ prefix marks a classic token; ASIAN markets"} << 0;
    QTest::newRow("clean line, not UTF-8")
        << QByteArrayList{"byte \xff stays"} << QByteArrayList{"byte \xff stays"} << 0;
    QTest::newRow("non-ASCII text around a secret survives")
        << QByteArrayList{withToken("Gr\xC3\xB6\xC3\x9F"
                                    "e ",
                                    "ghp_", " \xE2\x9C\x93")}
        << QByteArrayList{"Gr\xC3\xB6\xC3\x9F"
                          "e " +
                          token + " \xE2\x9C\x93"}
        << 1;
    QTest::newRow("two secrets of different kinds")
        << QByteArrayList{withToken("", "ghp_", " AKIAIOSFODNN7EXAMPLE")}
        << QByteArrayList{token + " [REDACTED:aws-access-key]"} << 2;
    QTest::newRow("two tokens") << QByteArrayList{withToken("old=", "ghp_", " new=") + "ghs_" +
                                                  token36}
                                << QByteArrayList{"old=" + token + " new=" + token} << 2;
}

void TestRedactor::redactsLines()
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
}

void TestRedactor::redactsText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("count");

    QTest::newRow("secrets on several lines")
        << u"first line\nAuthorization: Bearer abc.def\n-----BEGIN RSA PRIVATE KEY-----\n"
           "MIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nlast ghp_"_s +
               QString::fromLatin1(token36)
        << u"first line\nAuthorization: [REDACTED:authorization]\n[REDACTED:private-key]\n"
           "last [REDACTED:github-token]"_s
        << 3;
    QTest::newRow("header on one line of several")
        << u"GET /repos\nauthorization: token abc\nAccept: application/json"_s
        << u"GET /repos\nauthorization: [REDACTED:authorization]\nAccept: application/json"_s << 1;
    QTest::newRow("key block without an algorithm")
        << u"config:\n-----BEGIN PRIVATE KEY-----\nMIIEvQ\nIBADAN\n-----END PRIVATE KEY-----\nend"_s
        << u"config:\n[REDACTED:private-key]\nend"_s << 1;
    QTest::newRow("clean text") << u"npm test\nall 42 passed\n"_s << u"npm test\nall 42 passed\n"_s
                                << 0;
}

void TestRedactor::redactsText()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QFETCH(int, count);

    QCOMPARE(Redactor::redactText(text), count);
    QCOMPARE(text, expected);
}

void TestRedactor::resetLeavesAKeyBlock()
{
    Redactor redactor;
    QByteArray begin = "-----BEGIN RSA PRIVATE KEY-----";
    QCOMPARE(redactor.redactLine(begin), 1);
    redactor.reset(); // a new log section starts: its lines are not key material
    QByteArray next = "npm ci";
    QCOMPARE(redactor.redactLine(next), 0);
    QCOMPARE(next, QByteArray("npm ci"));
}

void TestRedactor::prefilterSeesEveryKind_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("mayContain");

    QTest::newRow("ghp_") << withToken("", "ghp_") << true;
    QTest::newRow("github_pat_") << QByteArray("github_pat_11ABC") << true;
    QTest::newRow("AKIA") << QByteArray("AKIAIOSFODNN7EXAMPLE") << true;
    QTest::newRow("aws secret, lower case") << QByteArray("aws_secret_access_key=") << true;
    QTest::newRow("aws secret, upper case") << QByteArray("AWS_SECRET_ACCESS_KEY=") << true;
    QTest::newRow("Authorization") << QByteArray("Authorization: x") << true;
    QTest::newRow("AUTHORIZATION") << QByteArray("AUTHORIZATION: x") << true;
    QTest::newRow("private key") << QByteArray("-----BEGIN PRIVATE KEY-----") << true;
    QTest::newRow("clean") << QByteArray("npm ci && npm test") << false;
}

void TestRedactor::prefilterSeesEveryKind()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, mayContain);

    QCOMPARE(Redactor::mayContainSecret(line.constData(), line.size()), mayContain);
}

QTEST_GUILESS_MAIN(TestRedactor)
#include "tst_redactor.moc"
