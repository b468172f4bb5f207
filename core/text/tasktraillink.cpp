#include "text/tasktraillink.h"

#include <QByteArray>
#include <QStringDecoder>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// Ids are short (task ids, campaign ids); a longer one is not a link Tasktrail made.
constexpr qsizetype maxIdLength = 512;

QStringView kindName(TasktrailLink::Kind kind)
{
    switch (kind) {
    case TasktrailLink::Kind::Task:
        return u"task";
    case TasktrailLink::Kind::Campaign:
        return u"campaign";
    case TasktrailLink::Kind::Finding:
        return u"finding";
    }
    return u"task";
}

std::optional<TasktrailLink::Kind> kindOf(QStringView name)
{
    for (const auto kind :
         {TasktrailLink::Kind::Task, TasktrailLink::Kind::Campaign, TasktrailLink::Kind::Finding}) {
        if (name == kindName(kind))
            return kind;
    }
    return std::nullopt;
}

bool isHexDigit(char16_t c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

// Percent-decodes `encoded` as UTF-8. The raw text is printable ASCII without '/': anything
// else must have been escaped, as toUrl() does.
std::optional<QString> decodeId(QStringView encoded, QString *why)
{
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        const QChar c = encoded[i];
        if (c == u'%') {
            if (i + 2 >= encoded.size() || !isHexDigit(encoded[i + 1].unicode()) ||
                !isHexDigit(encoded[i + 2].unicode())) {
                *why = u"a '%' is not followed by two hex digits"_s;
                return std::nullopt;
            }
            i += 2;
        } else if (c == u'/') {
            *why = u"the id holds a '/' (write it as %2F)"_s;
            return std::nullopt;
        } else if (c.unicode() <= 0x20 || c.unicode() >= 0x7f) {
            *why = u"the id holds a space, a control or a non-ASCII character (percent-encode "
                   u"it)"_s;
            return std::nullopt;
        }
    }
    const QByteArray bytes = QByteArray::fromPercentEncoding(encoded.toLatin1());
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString id = utf8.decode(bytes);
    if (utf8.hasError()) {
        *why = u"the decoded id is not UTF-8"_s;
        return std::nullopt;
    }
    // Any other character may be in a stored id, and its link must open it.
    if (id.contains(QChar(0))) {
        *why = u"the decoded id holds a NUL character"_s;
        return std::nullopt;
    }
    return id;
}

bool isFindingId(const QString &id)
{
    bool ok = false;
    const qlonglong n = id.toLongLong(&ok);
    return ok && n > 0 && id.front() != u'+' && id.front() != u'0';
}

} // namespace

QString toUrl(const TasktrailLink &link)
{
    return tasktrailScheme % u"://"_s % kindName(link.kind) % u'/' %
           QString::fromLatin1(QUrl::toPercentEncoding(link.id));
}

bool looksLikeTasktrailLink(QStringView text)
{
    return text.size() > tasktrailScheme.size() &&
           text.startsWith(tasktrailScheme, Qt::CaseInsensitive) &&
           text[tasktrailScheme.size()] == u':';
}

std::optional<TasktrailLink> parseTasktrailLink(QStringView url, QString *error)
{
    const auto refuse = [&](const QString &why) -> std::optional<TasktrailLink> {
        if (error)
            *error = u"not a Tasktrail link: "_s % why %
                     u" (expected tasktrail://task/ID, "_s
                     u"tasktrail://campaign/ID or tasktrail://finding/ID)"_s;
        return std::nullopt;
    };
    const QString prefix = tasktrailScheme % u"://"_s;
    if (!url.startsWith(prefix, Qt::CaseInsensitive))
        return refuse(u"it does not start with tasktrail://"_s);
    const QStringView rest = url.mid(prefix.size());
    if (rest.contains(u'?') || rest.contains(u'#'))
        return refuse(u"it has a query or a fragment"_s);
    const qsizetype slash = rest.indexOf(u'/');
    const QStringView name = slash < 0 ? rest : rest.left(slash);
    const std::optional<TasktrailLink::Kind> kind = kindOf(name);
    if (!kind)
        return refuse(u"unknown kind \""_s % name.left(40).toString() % u'"');
    const QStringView encoded = slash < 0 ? QStringView() : rest.mid(slash + 1);
    if (encoded.isEmpty())
        return refuse(u"the "_s % name % u" id is missing"_s);
    if (encoded.size() > maxIdLength * 3)
        return refuse(u"the id is longer than %1 characters"_s.arg(maxIdLength));
    QString why;
    std::optional<QString> id = decodeId(encoded, &why);
    if (!id)
        return refuse(why);
    if (id->isEmpty() || id->size() > maxIdLength)
        return refuse(u"the id is empty or longer than %1 characters"_s.arg(maxIdLength));
    if (*kind == TasktrailLink::Kind::Finding && !isFindingId(*id))
        return refuse(u"a finding id is a positive number, not \""_s % id->left(40) % u'"');
    return TasktrailLink{*kind, *std::move(id)};
}

} // namespace Tasktrail
