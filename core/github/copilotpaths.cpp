#include "github/copilotpaths.h"

#include <QStringList>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

QString encoded(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

} // namespace

std::optional<CopilotPaths> CopilotPaths::forRepo(const QString &fullName, QString *error)
{
    const QStringList parts = fullName.split(u'/');
    if (parts.size() != 2 || parts.at(0).trimmed().isEmpty() || parts.at(1).trimmed().isEmpty()) {
        if (error)
            *error = u"the repository '%1' is not owner/name"_s.arg(fullName);
        return std::nullopt;
    }
    return CopilotPaths{encoded(parts.at(0)), encoded(parts.at(1))};
}

QString CopilotPaths::tasks() const
{
    return u"/agents/repos/"_s % owner % u'/' % name % u"/tasks"_s;
}

QString CopilotPaths::task(const QString &taskId) const
{
    return tasks() % u'/' % encoded(taskId);
}

QString CopilotPaths::pull(qint64 number) const
{
    return u"/repos/"_s % owner % u'/' % name % u"/pulls/"_s % QString::number(number);
}

QString CopilotPaths::pullsWithHead(const QString &headRef) const
{
    return u"/repos/"_s % owner % u'/' % name % u"/pulls?state=all&head="_s % owner % u"%3A"_s %
           encoded(headRef);
}

QString CopilotPaths::reviews(int number) const
{
    return pull(number) % u"/reviews"_s;
}

QString CopilotPaths::checkRuns(const QString &sha) const
{
    return u"/repos/"_s % owner % u'/' % name % u"/commits/"_s % encoded(sha) % u"/check-runs"_s;
}

} // namespace Tasktrail
