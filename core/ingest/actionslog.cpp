#include "actionslog.h"

#include "text/logtext.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

constexpr QByteArrayView stepPrefix = "##[group]Run ";
constexpr QByteArrayView exitPrefix = "##[error]Process completed with exit code ";

// The runner's own prefix, not any RFC 3339 time: a date, 'T', a time, a fraction, 'Z', a
// space. Other CI systems' timestamps (with an offset, without the 'Z') are command logs.
bool hasRunnerTime(QByteArrayView line)
{
    qsizetype prefix = 0;
    if (LogText::parseTimestampPrefix(line.data(), line.size(), &prefix) == 0 || prefix < 21)
        return false;
    const char zone = line.at(prefix - 1) == ' ' ? line.at(prefix - 2) : line.at(prefix - 1);
    return zone == 'Z' && line.at(10) == 'T';
}

} // namespace

bool looksLikeActionsJobLog(QByteArrayView head)
{
    if (head.startsWith("\xEF\xBB\xBF"))
        head = head.sliced(3);
    int lines = 0;
    int timed = 0;
    while (!head.isEmpty() && lines < 5) {
        const qsizetype nl = head.indexOf('\n');
        QByteArrayView line = nl < 0 ? head : head.first(nl);
        head = nl < 0 ? QByteArrayView() : head.sliced(nl + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (lines == 0 && line.trimmed().isEmpty())
            continue;
        const bool isTimed = hasRunnerTime(line);
        if (lines == 0 && !isTimed)
            return false;
        ++lines;
        timed += isTimed ? 1 : 0;
    }
    return timed >= std::min(lines, 3) && lines > 0;
}

QString actionsStepTitle(QByteArrayView text)
{
    if (!text.startsWith(stepPrefix))
        return {};
    return QString::fromUtf8(text.sliced(stepPrefix.size())).trimmed();
}

int actionsExitCode(QByteArrayView text)
{
    if (!text.startsWith(exitPrefix))
        return -1;
    QByteArrayView rest = text.sliced(exitPrefix.size());
    if (rest.endsWith('.'))
        rest.chop(1);
    bool ok = false;
    const int code = rest.toInt(&ok);
    return ok && code >= 0 && code <= 255 ? code : -1;
}

} // namespace Tasktrail
