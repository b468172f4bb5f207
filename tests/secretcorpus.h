// Secrets to plant, for the corpus test: one of every kind the redactor knows, each with a tag
// of its own ("QZ" and six digits) at both ends of the secret, so that a leak anywhere (a file,
// its write-ahead log, a search index, an output) names the field it was planted in, even
// when a colour or an escape splits the secret in two.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <functional>

namespace SecretCorpus {

using namespace Qt::StringLiterals;

// The kinds in the order they are written into one field: the Authorization header last, since
// its value runs to the end of the line.
inline const QStringList &kinds()
{
    static const QStringList k{u"private-key"_s,  u"anthropic-key"_s,  u"openai-key"_s,
                               u"github-token"_s, u"gitlab-token"_s,   u"slack-token"_s,
                               u"npm-token"_s,    u"aws-access-key"_s, u"jwt"_s,
                               u"aws-secret"_s,   u"session-token"_s,  u"npm-auth"_s,
                               u"bearer-token"_s, u"url-password"_s,   u"authorization"_s};
    return k;
}

// A secret of `kind` in its usual context, with `tag` in it twice. `multiLine` writes a private
// key as a PEM block of three lines, else on one line.
inline QString secret(const QString &kind, const QString &t, bool multiLine)
{
    if (kind == u"private-key")
        return multiLine ? u"-----BEGIN RSA PRIVATE KEY-----\nMIIE"_s + t + u"keybody"_s + t +
                               u"\n-----END RSA PRIVATE KEY-----"_s
                         : u"-----BEGIN RSA PRIVATE KEY-----"_s + t + u"keybody"_s + t +
                               u"-----END RSA PRIVATE KEY-----"_s;
    if (kind == u"anthropic-key")
        return u"sk-ant-api03-"_s + t + u"abcdefghij"_s + t;
    if (kind == u"openai-key")
        return u"sk-proj-"_s + t + u"abcdefghij"_s + t;
    if (kind == u"github-token")
        return u"ghp_"_s + t + u"abcdefghijklmnopqrst"_s + t;
    if (kind == u"gitlab-token")
        return u"glpat-"_s + t + u"abcd"_s + t;
    if (kind == u"slack-token")
        return u"xoxb-"_s + t + u'-' + t;
    if (kind == u"npm-token")
        return u"npm_"_s + t + u"abcdefghijklmnopqrst"_s + t;
    if (kind == u"aws-access-key")
        return u"AKIA"_s + t + t;
    if (kind == u"jwt")
        return u"eyJhbGciOiJIUzI1NiJ9.eyJ"_s + t + u"payload"_s + t + u".c2ln"_s + t;
    if (kind == u"aws-secret")
        return u"aws_secret_access_key="_s + t + u"abcdefghijklmnopqrstuvwx"_s + t;
    if (kind == u"session-token")
        return u"aws_session_token="_s + t + u"sessionvalue"_s + t;
    if (kind == u"npm-auth")
        return u"//registry.npmjs.org/:_authToken="_s + t + u"-npm-"_s + t;
    if (kind == u"bearer-token")
        return u"Bearer "_s + t + u"abc123"_s + t;
    if (kind == u"url-password")
        return u"https://deploy:"_s + t + u"pw"_s + t + u"@git.example.com/acme/web.git"_s;
    return u"Authorization: Basic "_s + t + u"dXNlcg"_s + t; // authorization
}

class Corpus
{
public:
    // One secret of `kind` planted at `where`, with a new tag.
    QString plant(const QString &kind, const QString &where, bool multiLine = true)
    {
        const QString t = u"QZ%1"_s.arg(m_next++, 6, 10, QChar(u'0'));
        m_where.insert(t.toLower(), kind + u" in "_s + where);
        return secret(kind, t, multiLine);
    }
    // One secret of every kind, each on its own line (or, on one line, separated by " ; ").
    QString plantAll(const QString &where, bool multiLine = true)
    {
        QStringList all;
        for (const QString &kind : kinds())
            all << plant(kind, where, multiLine);
        return all.join(multiLine ? u"\n"_s : u" ; "_s);
    }
    qsizetype planted() const { return m_where.size(); }

    // Every tag in `bytes` (ASCII case ignored: a search index keeps its terms in lower case),
    // with where it was planted.
    QStringList leaks(const QByteArray &bytes, const QString &in) const
    {
        QStringList found;
        const QByteArray lower = bytes.toLower();
        for (qsizetype at = lower.indexOf("qz"); at >= 0; at = lower.indexOf("qz", at + 2)) {
            const QByteArray t = lower.mid(at, 8);
            if (t.size() == 8 &&
                std::all_of(t.cbegin() + 2, t.cend(), [](char c) { return c >= '0' && c <= '9'; }))
                found << in + u": "_s + m_where.value(QString::fromLatin1(t), u"?"_s);
        }
        found.removeDuplicates();
        return found;
    }

private:
    int m_next = 1;
    QHash<QString, QString> m_where;
};

// Every string in a JSON value, by its path ("sessions/0/error"), and the value with one of
// them replaced.
inline QStringList stringPaths(const QJsonValue &value, const QString &prefix = {})
{
    QStringList paths;
    const auto at = [&prefix](const QString &key) -> QString {
        return prefix.isEmpty() ? key : prefix + u'/' + key;
    };
    if (value.isString()) {
        paths << prefix;
    } else if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            paths += stringPaths(it.value(), at(it.key()));
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            paths += stringPaths(a.at(i), at(QString::number(i)));
    }
    return paths;
}

inline QJsonValue withString(const QJsonValue &value, QStringView path,
                             const std::function<QString(const QString &)> &change)
{
    const qsizetype slash = path.indexOf(u'/');
    const QString head = (slash < 0 ? path : path.first(slash)).toString();
    const QStringView rest = slash < 0 ? QStringView() : path.sliced(slash + 1);
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        o.insert(head, rest.isEmpty() ? QJsonValue(change(o.value(head).toString()))
                                      : withString(o.value(head), rest, change));
        return o;
    }
    if (value.isArray()) {
        QJsonArray a = value.toArray();
        const qsizetype i = head.toLongLong();
        a.replace(i, rest.isEmpty() ? QJsonValue(change(a.at(i).toString()))
                                    : withString(a.at(i), rest, change));
        return a;
    }
    return value;
}

} // namespace SecretCorpus
