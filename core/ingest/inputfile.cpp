#include "inputfile.h"

#include "gzipdevice.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

QString systemError(int code)
{
    QString text = QString::fromLocal8Bit(std::strerror(code));
    if (!text.isEmpty())
        text[0] = text.at(0).toLower();
    return text;
}

// Reads until `buffer` holds `size` bytes or the device ends: a pipe hands out what its
// writer has written so far.
bool readUpTo(QIODevice &device, qsizetype size, QByteArray *buffer)
{
    buffer->resize(size);
    qsizetype have = 0;
    while (have < size) {
        const qint64 got = device.read(buffer->data() + have, size - have);
        if (got < 0) {
            buffer->resize(have);
            return false;
        }
        if (got == 0)
            break;
        have += got;
    }
    buffer->resize(have);
    return true;
}

} // namespace

struct InputFile::Stat
{
    qint64 size = 0;
    qint64 modifiedNs = 0;
    qint64 changedNs = 0;
};

// Delivers a buffered head, then the rest of the source, counting what it delivered (a
// sequential device has no position).
class InputFile::PrefixedDevice final : public QIODevice
{
public:
    PrefixedDevice(QByteArray head, QIODevice &source)
        : m_head(std::move(head))
        , m_source(source)
    {
        open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return true; }
    bool atEnd() const override { return m_pos >= m_head.size() && m_source.atEnd(); }
    qint64 delivered() const { return m_delivered; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        qint64 got = 0;
        if (m_pos < m_head.size()) {
            got = std::min<qint64>(maxSize, m_head.size() - m_pos);
            std::memcpy(data, m_head.constData() + m_pos, size_t(got));
            m_pos += got;
        } else {
            got = m_source.read(data, maxSize);
            if (got < 0)
                setErrorString(m_source.errorString());
        }
        m_delivered += std::max<qint64>(got, 0);
        return got;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_head;
    qsizetype m_pos = 0;
    qint64 m_delivered = 0;
    QIODevice &m_source;
};

namespace {

std::optional<InputFile::Stat> statOf(int fd)
{
    struct stat st;
    if (::fstat(fd, &st) != 0)
        return std::nullopt;
    return InputFile::Stat{qint64(st.st_size),
                           qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                           qint64(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec};
}

} // namespace

QString InputFile::standardInputName()
{
    return u"(standard input)"_s;
}

QString pathProblem(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    struct stat st;
    if (::stat(native.constData(), &st) == 0)
        return {};
    const int code = errno;
    if (code == ELOOP)
        return u"a symbolic link loop (too many levels of symbolic links)"_s;
    if (code == ENOENT && ::lstat(native.constData(), &st) == 0 && S_ISLNK(st.st_mode))
        return u"a dangling symbolic link to %1"_s.arg(QFileInfo(path).symLinkTarget());
    return systemError(code);
}

std::unique_ptr<InputFile> InputFile::open(const QString &path, qsizetype headSize, QString *error)
{
    std::unique_ptr<InputFile> input(new InputFile);
    if (!input->start(path, headSize, error))
        return nullptr;
    return input;
}

InputFile::~InputFile() = default;

bool InputFile::start(const QString &path, qsizetype headSize, QString *error)
{
    m_file = std::make_unique<QFile>();
    const bool standardInput = path == u"-";
    m_name = standardInput ? standardInputName() : path;
    if (!standardInput)
        m_file->setFileName(path);
    const bool opened = standardInput ? m_file->open(STDIN_FILENO, QIODevice::ReadOnly)
                                      : m_file->open(QIODevice::ReadOnly);
    if (!opened) {
        const QString problem = standardInput ? QString() : pathProblem(path);
        *error = !problem.isEmpty() ? problem : m_file->errorString();
        return false;
    }
    struct stat st;
    if (::fstat(m_file->handle(), &st) != 0) {
        *error = systemError(errno);
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        *error = u"a directory"_s;
        return false;
    }
    m_sequential = !S_ISREG(st.st_mode);
    m_size = m_sequential ? -1 : qint64(st.st_size);
    if (!m_sequential)
        m_opened = std::make_unique<Stat>(statOf(m_file->handle()).value_or(Stat{}));

    QByteArray magic;
    if (!readUpTo(*m_file, 2, &magic)) {
        *error = m_file->errorString();
        return false;
    }
    QIODevice *source = m_file.get();
    if (GzipDevice::isGzip(magic)) {
        // The two bytes go to the decoder first.
        m_compressed = std::make_unique<PrefixedDevice>(magic, *m_file);
        m_gzip = std::make_unique<GzipDevice>(*m_compressed);
        source = m_gzip.get();
        magic.clear();
    }
    QByteArray rest;
    if (!readUpTo(*source, headSize - magic.size(), &rest)) {
        *error = source->errorString();
        return false;
    }
    m_head = magic + rest;
    if (canRewind())
        return rewind();
    m_content = std::make_unique<PrefixedDevice>(m_head, *source);
    return true;
}

qint64 InputFile::position() const
{
    if (!m_sequential)
        return m_file->pos();
    return m_compressed ? m_compressed->delivered() : m_content->delivered();
}

QIODevice &InputFile::content()
{
    if (m_content)
        return *m_content;
    return *m_file;
}

bool InputFile::rewind()
{
    return canRewind() && m_file->seek(0);
}

bool InputFile::readAll(qint64 limit, QByteArray *out, QString *error)
{
    QIODevice &device = content();
    out->clear();
    // A regular file is read into a buffer of its size (one byte more, to see it grew); what
    // grows chunk by chunk (a pipe, gzip data, a file that grew) is cut to its size at the end.
    // Read in chunks of 4 MiB, a 4.2 MB document was left in 16 MiB (QByteArray's growth), and
    // an ingest holds two.
    if (canRewind() && m_size >= 0 && m_size <= limit)
        out->reserve(qsizetype(m_size) + 1);
    const qsizetype chunk = 4 * 1024 * 1024;
    for (;;) {
        const qsizetype old = out->size();
        const qsizetype room = out->capacity() - old;
        const qsizetype want = room > 0 ? room : chunk;
        out->resize(old + want);
        const qint64 got = device.read(out->data() + old, want);
        out->resize(old + std::max<qint64>(got, 0));
        if (got < 0) {
            *error = u"cannot read: "_s % device.errorString();
            return false;
        }
        if (out->size() > limit) {
            *error = u"JSON document larger than the %1 byte limit"_s.arg(limit);
            return false;
        }
        if (got == 0) {
            if (out->capacity() - out->size() > chunk / 4)
                out->squeeze();
            return true;
        }
    }
}

QString InputFile::readError() const
{
    if (m_gzip && m_gzip->failed())
        return m_gzip->errorString();
    if (m_file->error() != QFileDevice::NoError)
        return m_file->errorString();
    return {};
}

QString InputFile::changedWhileRead() const
{
    if (!m_opened)
        return {};
    const std::optional<Stat> now = statOf(m_file->handle());
    if (!now)
        return {};
    if (now->size != m_opened->size)
        return u"it was %1 bytes when reading began and is %2 bytes now"_s.arg(m_opened->size)
            .arg(now->size);
    if (now->modifiedNs != m_opened->modifiedNs || now->changedNs != m_opened->changedNs)
        return u"it was written to while it was read"_s;
    if (!m_gzip && position() != m_opened->size)
        return u"%1 of its %2 bytes were read"_s.arg(position()).arg(m_opened->size);
    return {};
}

namespace {

// A directory the process may list: opendir() says so, for every user including root.
QString directoryProblem(const QString &path)
{
    DIR *dir = ::opendir(QFile::encodeName(path).constData());
    if (!dir)
        return u"cannot read the directory: "_s % systemError(errno);
    ::closedir(dir);
    return {};
}

// What a link points to counts: a link to a FIFO would wait for a writer as well.
QString specialKind(const QFileInfo &info)
{
    struct stat st;
    if (::stat(QFile::encodeName(info.filePath()).constData(), &st) != 0)
        return {};
    if (S_ISFIFO(st.st_mode))
        return u"a FIFO"_s;
    if (S_ISSOCK(st.st_mode))
        return u"a socket"_s;
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        return u"a device"_s;
    return {};
}

void expandDirectory(const QString &root, ExpandedInputs *out)
{
    if (const QString problem = directoryProblem(root); !problem.isEmpty()) {
        out->problems.append({root, problem, false});
        return;
    }
    QStringList files;
    QDirIterator it(root, QDir::Files | QDir::Dirs | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info = it.fileInfo();
        if (info.isSymLink() && info.isDir()) {
            out->problems.append({path, u"a symbolic link to a directory: not followed"_s, true});
        } else if (info.isDir()) {
            if (const QString problem = directoryProblem(path); !problem.isEmpty())
                out->problems.append({path, problem, false});
        } else if (const QString problem = pathProblem(path); !problem.isEmpty()) {
            out->problems.append({path, problem, false});
        } else if (const QString kind = specialKind(info); !kind.isEmpty()) {
            out->problems.append(
                {path, kind % u" in a directory is not read; name it to read it"_s, true});
        } else {
            files << path;
        }
    }
    std::sort(files.begin(), files.end());
    out->files += files;
}

} // namespace

ExpandedInputs expandInputs(const QStringList &paths)
{
    ExpandedInputs out;
    for (const QString &path : paths) {
        if (path == u"-") {
            out.files << path;
            continue;
        }
        if (const QString problem = pathProblem(path); !problem.isEmpty()) {
            out.problems.append({path, problem, false});
            continue;
        }
        if (QFileInfo(path).isDir())
            expandDirectory(path, &out);
        else
            out.files << path;
    }
    return out;
}

} // namespace Tasktrail
