#include "jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Tasktrail::JsonWriter {
namespace {

void appendEscaped(QByteArray &out, const QString &s)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    const QByteArray utf8 = s.toUtf8();
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u != '"' && u != '\\') {
            out += c;
            continue;
        }
        out += '\\';
        switch (u) {
        case '"':
            out += '"';
            break;
        case '\\':
            out += '\\';
            break;
        case '\b':
            out += 'b';
            break;
        case '\f':
            out += 'f';
            break;
        case '\n':
            out += 'n';
            break;
        case '\r':
            out += 'r';
            break;
        case '\t':
            out += 't';
            break;
        default:
            out += "u00";
            out += hex[u >> 4];
            out += hex[u & 0xf];
        }
    }
    out += '"';
}

} // namespace

QByteArray stringArray(const QStringList &list)
{
    for (const QString &s : list) {
        if (!s.isValidUtf16())
            return QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact);
    }
    QByteArray out;
    qsizetype size = 2;
    for (const QString &s : list)
        size += s.size() + 3;
    out.reserve(size);
    out += '[';
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i > 0)
            out += ',';
        appendEscaped(out, list.at(i));
    }
    out += ']';
    return out;
}

} // namespace Tasktrail::JsonWriter
