#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

class QFile;
class QIODevice;

namespace Tasktrail {

class GzipDevice;

// One input of an ingest, opened for reading: a regular file, standard input ("-"), a FIFO
// or a character device (/dev/stdin), each of them plain or gzip-compressed (told by its
// first bytes, not its name). The first bytes are looked at before the format is decided and
// are not lost: content() delivers the input from its first byte.
class InputFile final
{
public:
    // The name standard input is reported under.
    static QString standardInputName();

    // Opens `path` ("-" is standard input) and reads up to `headSize` bytes of its content.
    // nullptr with *error saying why it cannot be read ("no such file or directory",
    // "a symbolic link loop", "permission denied", "corrupt gzip data: ...").
    static std::unique_ptr<InputFile> open(const QString &path, qsizetype headSize, QString *error);
    ~InputFile();

    QString name() const { return m_name; }
    const QByteArray &head() const { return m_head; }
    // A pipe, FIFO, device or standard input: read once, in order, size unknown beforehand.
    bool isSequential() const { return m_sequential; }
    bool isCompressed() const { return m_gzip != nullptr; }
    // Of the file as stored; -1 when it is not known before reading.
    qint64 size() const { return m_size; }
    // Bytes of the file as stored read so far.
    qint64 position() const;

    // The content from its first byte.
    QIODevice &content();
    // Reads the content into memory, at most `limit` bytes; false (with *error) when there is
    // more or it cannot be read.
    bool readAll(qint64 limit, QByteArray *out, QString *error);
    // Whether the content can be read a second time (a regular, uncompressed file), and the
    // means: back to the first byte.
    bool canRewind() const { return !m_sequential && !m_gzip; }
    bool rewind();

    // After reading: why the content read may not be the file's (a read error, corrupt or
    // cut-off gzip data), or how a regular file changed while it was read. Empty when
    // neither happened.
    QString readError() const;
    QString changedWhileRead() const;

private:
    InputFile() = default;
    bool start(const QString &path, qsizetype headSize, QString *error);

public:
    struct Stat; // what fstat() said when the file was opened

private:
    class PrefixedDevice;
    QString m_name;
    QByteArray m_head;
    bool m_sequential = false;
    qint64 m_size = -1;
    // Destroyed in reverse order: each reads from the one above it.
    std::unique_ptr<QFile> m_file;
    std::unique_ptr<PrefixedDevice> m_compressed; // gzip: its first bytes, then the rest
    std::unique_ptr<GzipDevice> m_gzip;
    std::unique_ptr<PrefixedDevice> m_content; // m_head, then the rest; not when rewound
    std::unique_ptr<Stat> m_opened;
};

// Files and directories named by a person, expanded to the inputs to read (directories
// recursively, in name order) and the problems met on the way, so that nothing is passed over
// without a word: a missing path, a dangling link, a symbolic link loop, a directory that
// cannot be read. Special files (FIFOs, sockets, devices) inside a directory are not read (a
// FIFO would wait for a writer) but reported; named directly, they are read.
struct InputProblem
{
    QString path;
    QString reason;
    bool warning = false; // passed over on purpose, not an error
};

struct ExpandedInputs
{
    QStringList files;
    QList<InputProblem> problems;
};

ExpandedInputs expandInputs(const QStringList &paths);

// Why `path` cannot be opened, from the system's own answer: "no such file or directory",
// "a symbolic link loop (too many levels of symbolic links)", "a dangling symbolic link to
// X", "permission denied". Empty when it can be looked at.
QString pathProblem(const QString &path);

} // namespace Tasktrail
