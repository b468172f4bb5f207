#include "text/redactor.h"

#include <QRegularExpression>

#include <array>
#include <cstring>
#include <string_view>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

struct Rule
{
    QRegularExpression pattern;
    QString replacement;
};

const std::array<Rule, 5> &rules()
{
    static const std::array<Rule, 5> table{{
        {QRegularExpression(u"\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"_s),
         u"[REDACTED:github-token]"_s},
        {QRegularExpression(u"\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b"_s), u"[REDACTED:aws-access-key]"_s},
        {QRegularExpression(u"(aws_secret_access_key[\"']?\\s*[=:]\\s*[\"']?)[A-Za-z0-9/+=]{40}"_s,
                            QRegularExpression::CaseInsensitiveOption),
         u"\\1[REDACTED:aws-secret]"_s},
        // Possessive spaces: backtracking into them would let the lookahead start at a space
        // and redact an already redacted header a second time.
        {QRegularExpression(u"(authorization\\s*+:\\s*+)(?!\\[REDACTED)[^\\r\\n]+"_s,
                            QRegularExpression::CaseInsensitiveOption),
         u"\\1[REDACTED:authorization]"_s},
        {QRegularExpression(u"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?"
                            "(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)"_s,
                            QRegularExpression::DotMatchesEverythingOption),
         u"[REDACTED:private-key]"_s},
    }};
    return table;
}

// Case-sensitive, so each case-insensitive rule needs its usual spellings here.
constexpr std::array<std::string_view, 13> needles{
    "ghp_", "gho_",        "ghs_",         "ghu_",         "ghr_",         "github_pat_", "AKIA",
    "ASIA", "PRIVATE KEY", "uthorization", "UTHORIZATION", "ecret_access", "ECRET_ACCESS"};

int applyRules(QString &text)
{
    int count = 0;
    for (const Rule &rule : rules()) {
        // Count matches first; QString::replace does not say how many it replaced.
        int matches = 0;
        auto it = rule.pattern.globalMatch(text);
        while (it.hasNext()) {
            it.next();
            ++matches;
        }
        if (matches)
            text.replace(rule.pattern, rule.replacement);
        count += matches;
    }
    return count;
}

const QByteArray endKeyTail = QByteArrayLiteral("PRIVATE KEY-----");

} // namespace

bool Redactor::mayContainSecret(const char *data, qsizetype size)
{
    for (const std::string_view needle : needles) {
        if (memmem(data, size_t(size), needle.data(), needle.size()))
            return true;
    }
    return false;
}

int Redactor::redactLine(QByteArray &line)
{
    if (m_inPrivateKey) {
        // Inside a key block every line is key material, up to and including END.
        const qsizetype end = line.indexOf("-----END ");
        if (end < 0 || line.indexOf(endKeyTail, end) < 0) {
            line = QByteArrayLiteral("[REDACTED:private-key]");
            return 0;
        }
        m_inPrivateKey = false;
        const qsizetype after = line.indexOf(endKeyTail, end) + endKeyTail.size();
        line = QByteArrayLiteral("[REDACTED:private-key]") + line.mid(after);
        return 0;
    }
    if (!mayContainSecret(line.constData(), line.size()))
        return 0;
    QString text = QString::fromUtf8(line);
    const qsizetype begin = text.indexOf(u"-----BEGIN "_s);
    const bool opensKey = begin >= 0 && text.indexOf(u"PRIVATE KEY-----"_s, begin) >= 0 &&
                          text.indexOf(u"-----END "_s, begin) < 0;
    const int count = applyRules(text);
    m_inPrivateKey = opensKey;
    if (count)
        line = text.toUtf8();
    return count;
}

int Redactor::redactText(QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    if (!mayContainSecret(utf8.constData(), utf8.size()))
        return 0;
    return applyRules(text);
}

} // namespace Tasktrail
