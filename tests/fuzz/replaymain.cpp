// Runs a fuzz harness over saved inputs without libFuzzer, so that every build (GCC too)
// replays the inputs that once crashed a reader: each file named, and every file under each
// directory named, in name order. A path that does not exist is skipped.
#include "fuzzingest.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <algorithm>
#include <cstdio>

namespace {

QStringList inputFiles(const QStringList &paths)
{
    QStringList files;
    for (const QString &path : paths) {
        // A target's regressions/ directory exists only once an input has crashed it.
        if (!QFileInfo::exists(path)) {
            std::printf("%s: none\n", qUtf8Printable(path));
            continue;
        }
        if (!QFileInfo(path).isDir()) {
            files << path;
            continue;
        }
        QStringList found;
        QDirIterator it(path, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext())
            found << it.next();
        std::sort(found.begin(), found.end());
        files += found;
    }
    return files;
}

} // namespace

int main(int argc, char **argv)
{
    QStringList paths;
    for (int i = 1; i < argc; ++i)
        paths << QString::fromLocal8Bit(argv[i]);
    int replayed = 0;
    for (const QString &path : inputFiles(paths)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "%s: %s\n", qUtf8Printable(path),
                         qUtf8Printable(file.errorString()));
            return 2;
        }
        const QByteArray bytes = file.readAll();
        std::printf("replaying %s (%lld bytes)\n", qUtf8Printable(path), qlonglong(bytes.size()));
        std::fflush(stdout);
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.constData()),
                               size_t(bytes.size()));
        ++replayed;
    }
    std::printf("%d inputs replayed without a crash\n", replayed);
    // Nothing to replay means the paths are wrong, not that all is well.
    return replayed > 0 ? 0 : 1;
}
