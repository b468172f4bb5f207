#include "localrepository.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr int maxFiles = 2000;

std::optional<QString> git(const QString &dir, const QStringList &args, QString *error)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(u"git"_s, args);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        if (error)
            *error = u"git %1 in %2: %3"_s.arg(
                args.join(u' '), dir,
                p.error() == QProcess::FailedToStart
                    ? u"git is not installed"_s
                    : QString::fromUtf8(p.readAllStandardError()).trimmed());
        return std::nullopt;
    }
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

} // namespace

QString repositoryNameFromRemote(const QString &url)
{
    static const QRegularExpression remote(
        u"^(?:https?://|ssh://)?(?:[^@/]+@)?[^:/]+[:/](?:\\d+/)?([^/]+)/([^/]+?)(?:\\.git)?/?$"_s);
    const auto m = remote.match(url.trimmed());
    return m.hasMatch() ? m.captured(1) % u'/' % m.captured(2) : QString();
}

std::optional<KnownRepository> readLocalRepository(const QString &path, QString *error)
{
    if (!QFileInfo(path).isDir()) {
        *error = u"%1 is not a directory"_s.arg(path);
        return std::nullopt;
    }
    const auto top = git(path, {u"rev-parse"_s, u"--show-toplevel"_s}, error);
    if (!top)
        return std::nullopt;
    KnownRepository repo;
    repo.localPath = QDir::cleanPath(*top);
    const auto origin = git(repo.localPath, {u"remote"_s, u"get-url"_s, u"origin"_s}, nullptr);
    repo.name = origin ? repositoryNameFromRemote(*origin) : QString();
    if (repo.name.isEmpty())
        repo.name = u"local/"_s % QFileInfo(repo.localPath).fileName();
    if (const auto head =
            git(repo.localPath, {u"symbolic-ref"_s, u"--short"_s, u"refs/remotes/origin/HEAD"_s},
                nullptr))
        repo.defaultBranch = head->section(u'/', 1);
    else if (const auto branch =
                 git(repo.localPath, {u"symbolic-ref"_s, u"--short"_s, u"HEAD"_s}, nullptr))
        repo.defaultBranch = *branch;
    const auto files = git(repo.localPath, {u"ls-files"_s}, error);
    if (!files)
        return std::nullopt;
    for (const QString &file : files->split(u'\n', Qt::SkipEmptyParts)) {
        if (file.count(u'/') <= 1 && repo.files.size() < maxFiles)
            repo.files << file;
    }
    repo.updatedAt = QDateTime::currentDateTimeUtc();
    return repo;
}

} // namespace Tasktrail
