#include "reporttext.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace Tasktrail::ReportText {
namespace {

bool hidden(char32_t c)
{
    if (c == u'\t' || c == u'\n')
        return false;
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

QString codePoint(char32_t c)
{
    return u"[U+"_s % QString::number(uint(c), 16).toUpper().rightJustified(4, u'0') % u']';
}

} // namespace

QString visible(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            const char32_t full = QChar::surrogateToUcs4(c, text.at(i + 1));
            if (hidden(full))
                out += codePoint(full);
            else
                out += QStringView(text).mid(i, 2);
            ++i;
        } else if (hidden(c.unicode()) || c.isSurrogate()) {
            out += codePoint(c.unicode());
        } else {
            out += c;
        }
    }
    return out;
}

QString html(const QString &text)
{
    const QString shown = visible(text);
    QString out;
    out.reserve(shown.size() + shown.size() / 8);
    for (const QChar c : shown) {
        switch (c.unicode()) {
        case u'&':
            out += u"&amp;"_s;
            break;
        case u'<':
            out += u"&lt;"_s;
            break;
        case u'>':
            out += u"&gt;"_s;
            break;
        case u'"':
            out += u"&quot;"_s;
            break;
        case u'\'':
            out += u"&#39;"_s;
            break;
        default:
            out += c;
        }
    }
    return out;
}

QString isoTime(const QDateTime &at)
{
    return at.isValid() ? at.toUTC().toString(Qt::ISODate) : QString();
}

QString duration(std::optional<qint64> ms)
{
    if (!ms)
        return {};
    const qint64 s = qMax<qint64>(0, *ms) / 1000;
    if (s < 60)
        return u"%1 s"_s.arg(s);
    const qint64 min = s / 60;
    if (min < 60)
        return u"%1 min"_s.arg(min);
    const qint64 h = min / 60;
    if (h < 48)
        return u"%1 h %2 min"_s.arg(h).arg(min % 60, 2, 10, QLatin1Char('0'));
    return u"%1 d %2 h"_s.arg(h / 24).arg(h % 24);
}

QString number(double value)
{
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
        return QString::number(qint64(value));
    return QString::number(value, 'g', 6);
}

} // namespace Tasktrail::ReportText
