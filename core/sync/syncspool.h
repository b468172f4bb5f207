#pragma once

#include <QString>

#include <memory>

class QLockFile;
class QTemporaryDir;

namespace Tasktrail {

// The folder a sync keeps what it downloads in while it runs (GitHub's documents, a run's log
// archive), one per run under a known parent: `<parent>/run-XXXXXX`, held by the lock file
// `<parent>/run-XXXXXX.lock` while the run lives and removed when it ends. A run that was
// killed cannot remove its folder; the next run that opens a spool under the same parent
// removes every folder whose lock no live process holds.
class SyncSpool final
{
public:
    SyncSpool();
    ~SyncSpool();
    SyncSpool(const SyncSpool &) = delete;
    SyncSpool &operator=(const SyncSpool &) = delete;

    // `<temp>/tasktrail-sync-<uid>`: the parent when none is given.
    static QString defaultParent();

    // Removes the folders of runs that ended without removing theirs, then makes this run's.
    // False with *error when no folder could be made, or when `parent` is a link or not this
    // user's own folder (it is made private to the user).
    bool open(const QString &parent, QString *error);
    QString path() const;
    QString filePath(const QString &name) const;
    // How many stale folders open() removed.
    int removedStale() const { return m_removedStale; }

private:
    void removeStale(const QString &parent);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QLockFile> m_lock;
    int m_removedStale = 0;
};

} // namespace Tasktrail
