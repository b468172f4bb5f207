// Inspect AI evaluation logs (inspect.aisi.org.uk, "Log Files"; inspect_ai.log's EvalLog):
// a .json file is one EvalLog document whose `samples` array holds the samples; a .eval file
// is a ZIP with the log's header (header.json, or _journal/start.json while the evaluation
// runs) and one member per sample (samples/<id>_epoch_<n>.json). Each sample becomes a task
// (inspectsample.cpp). A malformed sample is reported where it is and the others are read.
#include "fileingest.h"
#include "inspectsample.h"
#include "text/jsonelements.h"
#include "text/jsonfields.h"

#include <QBuffer>
#include <QFileDevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <zip.h>

#include <memory>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// What all of one archive's members may unpack to, read one after another.
constexpr quint64 maxUnpacked = 4ull * 1024 * 1024 * 1024;

struct ZipCloser
{
    void operator()(zip_t *zip) const { zip_discard(zip); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;

ZipPtr openZip(QByteArrayView bytes, QString *error)
{
    zip_error_t zipError;
    zip_error_init(&zipError);
    zip_source_t *source =
        zip_source_buffer_create(bytes.constData(), zip_uint64_t(bytes.size()), 0, &zipError);
    ZipPtr zip(source ? zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &zipError)
                      : nullptr);
    if (!zip) {
        if (error)
            *error = QString::fromUtf8(zip_error_strerror(&zipError));
        if (source)
            zip_source_free(source);
    }
    zip_error_fini(&zipError);
    return zip;
}

// An archive in a file is read where it lies, member by member (libzip reads the central
// directory at its end, then each member's bytes); one in memory from there.
ZipPtr openZip(QIODevice &device, QString *error)
{
    if (auto *buffer = qobject_cast<QBuffer *>(&device))
        return openZip(QByteArrayView(buffer->data()), error);
    auto *file = qobject_cast<QFileDevice *>(&device);
    const int fd = file && file->handle() >= 0 ? ::dup(file->handle()) : -1;
    if (fd < 0) {
        *error = u"the archive is neither a file nor in memory"_s;
        return nullptr;
    }
    int code = 0;
    ZipPtr zip(zip_fdopen(fd, ZIP_CHECKCONS, &code)); // it owns fd once it opened
    if (!zip) {
        ::close(fd);
        zip_error_t zipError;
        zip_error_init_with_code(&zipError, code);
        *error = QString::fromUtf8(zip_error_strerror(&zipError));
        zip_error_fini(&zipError);
    }
    return zip;
}

// A member name Inspect writes: relative, without "..", backslashes or control characters.
bool isPlainMemberName(const QString &name)
{
    static const QRegularExpression bad(u"(^/|\\\\|(^|/)\\.\\.(/|$)|[\\x00-\\x1f])"_s);
    return !name.isEmpty() && !bad.match(name).hasMatch();
}

// Reads one member whole. *error says why not: too big (checked before anything is
// unpacked), or damaged (libzip checks the CRC and the size at the end of the member).
bool readMember(zip_t *zip, zip_uint64_t index, quint64 *unpacked, QByteArray *out, QString *error)
{
    zip_stat_t stat;
    if (zip_stat_index(zip, index, 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE)) {
        *error = QString::fromUtf8(zip_strerror(zip));
        return false;
    }
    if (stat.size > quint64(maxInspectMemberSize)) {
        *error = u"it unpacks to %1 bytes, more than the %2 bytes read of one member (a ZIP "
                 "bomb or not an Inspect log): not read"_s.arg(stat.size)
                     .arg(maxInspectMemberSize);
        return false;
    }
    if (stat.size > maxUnpacked - *unpacked) {
        *error = u"the archive unpacks to more than %1 bytes: not read"_s.arg(maxUnpacked);
        return false;
    }
    *unpacked += stat.size;
    out->resize(qsizetype(stat.size));
    zip_file_t *file = zip_fopen_index(zip, index, 0);
    const zip_int64_t got = file ? zip_fread(file, out->data(), stat.size) : zip_int64_t(-1);
    char probe = 0;
    const bool whole = got == zip_int64_t(stat.size) && zip_fread(file, &probe, 1) == 0;
    *error =
        QString::fromUtf8(file ? zip_error_strerror(zip_file_get_error(file)) : zip_strerror(zip));
    if (file)
        zip_fclose(file);
    return whole;
}

// A JSON member as an object; *error says why not, with the member's line.
std::optional<QJsonObject> parseMember(const QByteArray &bytes, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = u"%1: invalid JSON: %2"_s.arg(JsonElements::lineAt(bytes, parseError.offset))
                     .arg(parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = u"1: expected a JSON object"_s;
        return std::nullopt;
    }
    return doc.object();
}

bool isSampleMember(const QString &name)
{
    return name.startsWith(u"samples/") && name.endsWith(u".json") && name.indexOf(u'/', 8) < 0;
}

} // namespace

bool looksLikeInspectLog(QByteArrayView head)
{
    // EvalLog's first fields, in the order Inspect writes them.
    static const QRegularExpression opening(
        u"^\\{\\s*\"version\"\\s*:\\s*\\d+\\s*,\\s*\"status\"\\s*:\\s*\"[a-z]+\"\\s*,\\s*"
        "\"eval\"\\s*:\\s*\\{"_s);
    return opening.match(QString::fromUtf8(head.first(std::min<qsizetype>(head.size(), 512))))
        .hasMatch();
}

bool looksLikeInspectEvalHead(QByteArrayView head)
{
    // The first local file header's name (offset 30, its length at 26, little-endian).
    if (head.size() < 30 || !head.startsWith("PK\x03\x04"))
        return false;
    const qsizetype length = qsizetype(quint8(head.at(26))) | (qsizetype(quint8(head.at(27))) << 8);
    if (head.size() < 30 + length)
        return false;
    const QByteArrayView name = head.sliced(30, length);
    return name == "header.json" || name.startsWith("_journal/") || name.startsWith("samples/");
}

bool looksLikeInspectEvalArchive(const QByteArray &archive)
{
    const ZipPtr zip = openZip(QByteArrayView(archive), nullptr);
    return zip && (zip_name_locate(zip.get(), "header.json", 0) >= 0 ||
                   zip_name_locate(zip.get(), "_journal/start.json", 0) >= 0);
}

namespace {

// The log without its samples, member by member: its header. nullopt (with the file
// rejected) when any of it is not JSON or the object does not close.
std::optional<QJsonObject> inspectHeader(FileIngest &ingest, QIODevice &document)
{
    JsonElements::Stream stream(document);
    const auto notWhole = [&ingest](qint64 line, const QString &why) {
        ingest.reject(line,
                      u"not a whole Inspect AI log (%1): nothing of it was ingested"_s.arg(why));
        return std::nullopt;
    };
    if (stream.root() != '{')
        return notWhole(1, u"not an object"_s);
    QJsonObject header;
    while (const std::optional<QByteArray> key = stream.nextKey()) {
        if (*key == "samples") {
            stream.skipValue();
            header.insert(u"samples"_s, QJsonArray());
            continue;
        }
        const std::optional<JsonElements::Element> value = stream.value();
        const JsonElements::Parsed parsed =
            value ? JsonElements::parse(*value) : JsonElements::Parsed{};
        if (!parsed.value)
            return notWhole(parsed.errorLine, QString::fromUtf8(*key) % u": "_s % parsed.error);
        header.insert(QString::fromUtf8(*key), *parsed.value);
    }
    if (!stream.objectClosed())
        return notWhole(stream.position() > 0 ? stream.line() : 1,
                        u"the object is not closed, or a key is not a plain string"_s);
    return header;
}

} // namespace

bool ingestInspectLog(FileIngest &ingest, QIODevice &document)
{
    // The header first (it may follow the samples), then the samples one by one.
    const std::optional<QJsonObject> header = inspectHeader(ingest, document);
    if (!header)
        return true;
    const InspectEval eval = InspectEval::fromLog(*header);
    if (!ingest.ensureBatch())
        return false;
    if (!document.seek(0)) {
        ingest.reject(0, u"cannot read the log a second time: "_s % document.errorString());
        return true;
    }
    JsonElements::Stream stream(document);
    stream.root();
    while (const std::optional<QByteArray> key = stream.nextKey()) {
        if (*key != "samples" || !stream.enterArray()) {
            stream.skipValue();
            continue;
        }
        for (qint64 i = 1;
             const std::optional<JsonElements::Element> element = stream.nextElement(); ++i) {
            const JsonElements::Parsed parsed = JsonElements::parse(*element);
            const QString where = u"sample %1"_s.arg(i);
            if (!parsed.value) {
                ingest.reject(parsed.errorLine, where % u": "_s % parsed.error);
                continue;
            }
            if (!parsed.value->isObject()) {
                ingest.reject(element->line, where % u": expected an object, got "_s %
                                                 jsonTypeName(*parsed.value));
                continue;
            }
            if (!ingestInspectSample(ingest, eval, parsed.value->toObject(), where,
                                     element->line) ||
                !ingest.step(ingest.options().recordBatch, stream.position()))
                return false;
        }
        if (!stream.problem().isEmpty())
            ingest.reject(stream.problemLine(), u"samples: %1; the whole samples before it are "
                                                "read"_s.arg(stream.problem()));
    }
    return true;
}

bool ingestInspectEvalLog(FileIngest &ingest, QIODevice &archive)
{
    QString error;
    const ZipPtr zip = openZip(archive, &error);
    if (!zip) {
        ingest.reject(0, u"not a whole ZIP archive (%1): nothing of it was ingested"_s.arg(error));
        return true;
    }
    quint64 unpacked = 0;
    std::optional<QJsonObject> header;
    for (const char *name : {"header.json", "_journal/start.json"}) {
        const zip_int64_t index = zip_name_locate(zip.get(), name, 0);
        QByteArray bytes;
        if (index < 0)
            continue;
        if (!readMember(zip.get(), zip_uint64_t(index), &unpacked, &bytes, &error) ||
            !(header = parseMember(bytes, &error))) {
            ingest.reject(0, u"%1: %2; nothing of the log was ingested"_s.arg(
                                 QString::fromLatin1(name), error));
            return true;
        }
        break;
    }
    if (!header) {
        ingest.reject(0, u"a ZIP archive without Inspect AI's header.json or "
                         "_journal/start.json: not an Inspect AI log; nothing of it was "
                         "ingested"_s);
        return true;
    }
    const InspectEval eval = InspectEval::fromLog(*header);
    if (!ingest.ensureBatch())
        return false;
    const zip_int64_t count = zip_get_num_entries(zip.get(), 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        const QString name = QString::fromUtf8(zip_get_name(zip.get(), zip_uint64_t(i), 0));
        if (!isPlainMemberName(name)) {
            ingest.warn(0, u"member %1: a name that is not a plain relative path (%2): not "
                           "read"_s.arg(i + 1)
                               .arg(name.left(200)));
            continue;
        }
        if (!isSampleMember(name))
            continue; // summaries, reductions, the journal: what the samples say again
        QByteArray bytes;
        std::optional<QJsonObject> sample;
        if (!readMember(zip.get(), zip_uint64_t(i), &unpacked, &bytes, &error)) {
            ingest.reject(0, name % u": "_s % error);
            continue;
        }
        if (!(sample = parseMember(bytes, &error))) {
            ingest.reject(0, name % u':' % error);
            continue;
        }
        bytes.clear();
        if (!ingestInspectSample(ingest, eval, *sample, name, 0) ||
            !ingest.step(ingest.options().recordBatch, 0))
            return false;
    }
    return true;
}

} // namespace Tasktrail
