#pragma once

#include "ingest/ingestor.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <functional>

class QIODevice;

namespace Tasktrail {

class FileIngest;
class LineReader;
class SqliteStore;

namespace Fuzz {

// The bytes libFuzzer hands over, as the owned, NUL-terminated QByteArray that QFile::readAll()
// gives the readers in real use.
QByteArray inputBytes(const uint8_t *data, size_t size);

// Drops Qt's messages and the ingest's issue log: printing them for every input would slow
// fuzzing to a crawl. A qFatal() still aborts, and so counts as a crash.
void silenceMessages();

// An empty database for every input, so that what one input stored never changes how the
// next one is read and every crash replays from its input alone. The schema is created once
// per process in a scratch directory; each call closes the previous store and opens a fresh
// copy of that file.
SqliteStore &freshStore();

// A path in the scratch directory, which is removed when the process ends.
QString scratchPath(const QString &name);
// Writes `bytes` to a file of that name in the scratch directory, for readers that take a path.
QString scratchFile(const QString &name, const QByteArray &bytes);

// A harness's own check failed: prints why and aborts, which libFuzzer records as a crash.
[[noreturn]] void fail(const char *what, const QString &detail = {});

// Reads one file of a known format the way Ingestor::ingestFile() does once it has detected
// the format: one FileIngest over a fresh store, the format's reader, finish() (abort() after
// a store error), then the pull-request and audit-event links every ingest ends with. Then
// checks what every ingest promises (docs/data-model.md): the evidence chain verifies, and the
// same bytes read a second time store nothing new. `options` are the ingest's (the task a job
// log or session log goes to).
using DocumentReader = std::function<bool(FileIngest &, const QByteArray &)>;
using LineFormatReader = bool (*)(FileIngest &, LineReader &);
void ingestDocument(const QByteArray &input, const QString &format, const DocumentReader &read);
// The same for the readers that stream a document from a device and read it twice. The
// device hands the bytes out a few at a time (how many depends on the input's size), so that
// every place a read can stop inside a value is met; a ZIP comes from memory.
using StreamReader = bool (*)(FileIngest &, QIODevice &);
void ingestStream(const QByteArray &input, const QString &format, StreamReader read);
void ingestLines(const QByteArray &input, const QString &format, LineFormatReader read,
                 qsizetype maxLine, const IngestOptions &options = {});

} // namespace Fuzz
} // namespace Tasktrail

// The libFuzzer entry point every harness defines; the replay driver calls it too.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
