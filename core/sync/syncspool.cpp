#include "syncspool.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QTemporaryDir>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

const QString runPrefix = u"run-"_s;

} // namespace

SyncSpool::SyncSpool() = default;

SyncSpool::~SyncSpool()
{
    // The folder first, then the lock: no other run may take the folder for stale while it
    // is still being removed.
    m_dir.reset();
    m_lock.reset();
}

// One parent per user: the temporary folder is shared, and no other user may place or remove
// what a user's sync removes.
QString SyncSpool::defaultParent()
{
#ifdef Q_OS_UNIX
    return QDir::tempPath() % u"/tasktrail-sync-"_s % QString::number(::getuid());
#else
    return QDir::tempPath() % u"/tasktrail-sync"_s;
#endif
}

bool SyncSpool::open(const QString &parent, QString *error)
{
    if (!QDir().mkpath(parent)) {
        *error = u"cannot make the folder %1"_s.arg(parent);
        return false;
    }
    // Stale folders are removed from the parent, so it must be this user's own folder and
    // nobody else's to write in: not a link another user placed to make a sync remove elsewhere.
    const QFileInfo info(parent);
#ifdef Q_OS_UNIX
    const bool own = info.ownerId() == ::getuid();
#else
    const bool own = true;
#endif
    if (info.isSymLink() || !info.isDir() || !own ||
        !QFile::setPermissions(parent, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)) {
        *error = u"the folder %1 is not this user's own folder; not using it"_s.arg(parent);
        return false;
    }
    removeStale(parent);
    m_dir = std::make_unique<QTemporaryDir>(parent % u'/' % runPrefix % u"XXXXXX"_s);
    if (!m_dir->isValid()) {
        *error = u"cannot make a temporary folder in %1: %2"_s.arg(parent, m_dir->errorString());
        return false;
    }
    m_lock = std::make_unique<QLockFile>(m_dir->path() % u".lock"_s);
    m_lock->setStaleLockTime(0); // held as long as the run lives, however long that is
    if (!m_lock->tryLock(0)) {
        *error = u"cannot lock the temporary folder %1"_s.arg(m_dir->path());
        return false;
    }
    return true;
}

// A folder is stale when its lock can be taken: the run that made it is gone (QLockFile
// recognises the lock of a process that no longer runs). A folder without a lock file is
// stale once it is older than a minute (a run makes its lock right after its folder).
void SyncSpool::removeStale(const QString &parent)
{
    // Links are never followed: removing one's target would remove what the link points to.
    const QFileInfoList folders = QDir(parent).entryInfoList(
        {runPrefix % u'*'}, QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks);
    for (const QFileInfo &folder : folders) {
        const QString lockPath = folder.absoluteFilePath() % u".lock"_s;
        const bool hadLock = QFileInfo::exists(lockPath);
        if (!hadLock && folder.lastModified().secsTo(QDateTime::currentDateTime()) < 60)
            continue;
        QLockFile lock(lockPath);
        lock.setStaleLockTime(0);
        if (!lock.tryLock(0))
            continue; // a live run's
        if (QDir(folder.absoluteFilePath()).removeRecursively())
            ++m_removedStale;
        lock.unlock();
    }
}

QString SyncSpool::path() const
{
    return m_dir ? m_dir->path() : QString();
}

QString SyncSpool::filePath(const QString &name) const
{
    return m_dir ? m_dir->filePath(name) : QString();
}

} // namespace Tasktrail
