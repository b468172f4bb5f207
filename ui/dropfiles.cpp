#include "dropfiles.h"

#include <QFileInfo>
#include <QMimeData>
#include <QUrl>

namespace Tasktrail {

QStringList localFilesFromMimeData(const QMimeData *mimeData)
{
    QStringList files;
    if (!mimeData || !mimeData->hasUrls())
        return files;
    const QList<QUrl> urls = mimeData->urls();
    for (const QUrl &url : urls) {
        if (!url.isLocalFile())
            continue;
        const QFileInfo info(url.toLocalFile());
        if (!info.exists() || !(info.isFile() || info.isDir()))
            continue;
        const QString path = info.absoluteFilePath();
        if (!files.contains(path))
            files.append(path);
    }
    return files;
}

} // namespace Tasktrail
