#include "gzipdevice.h"

#include <zlib.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {
constexpr qsizetype inputChunk = 256 * 1024;
// 16 + the largest window: zlib reads a gzip header and trailer, not a zlib one.
constexpr int gzipWindowBits = 16 + MAX_WBITS;
} // namespace

struct GzipDevice::Stream
{
    z_stream z{};
    QByteArray input;
    bool initialised = false;
    bool inMember = false; // between a member's header and its trailer
};

GzipDevice::GzipDevice(QIODevice &source, QObject *parent)
    : QIODevice(parent)
    , m_source(source)
    , m_stream(std::make_unique<Stream>())
{
    m_stream->initialised = inflateInit2(&m_stream->z, gzipWindowBits) == Z_OK;
    if (m_stream->initialised)
        open(QIODevice::ReadOnly);
    else
        setErrorString(u"cannot start the gzip decoder"_s);
}

GzipDevice::~GzipDevice()
{
    if (m_stream->initialised)
        inflateEnd(&m_stream->z);
}

bool GzipDevice::isGzip(QByteArrayView head)
{
    return head.size() >= 2 && uchar(head.at(0)) == 0x1f && uchar(head.at(1)) == 0x8b;
}

bool GzipDevice::atEnd() const
{
    return m_finished && QIODevice::atEnd();
}

void GzipDevice::close()
{
    m_finished = true;
    QIODevice::close();
}

qint64 GzipDevice::writeData(const char *, qint64)
{
    return -1;
}

// More compressed bytes into the stream; false at the end of the source.
bool GzipDevice::refill()
{
    Stream &s = *m_stream;
    s.input.resize(inputChunk);
    const qint64 got = m_source.read(s.input.data(), inputChunk);
    if (got < 0) {
        setErrorString(m_source.errorString());
        m_failed = true;
    }
    if (got <= 0) {
        s.input.clear();
        return false;
    }
    s.input.resize(got);
    s.z.next_in = reinterpret_cast<Bytef *>(s.input.data());
    s.z.avail_in = uInt(got);
    return true;
}

qint64 GzipDevice::readData(char *data, qint64 maxSize)
{
    Stream &s = *m_stream;
    if (m_finished || maxSize <= 0)
        return 0;
    s.z.next_out = reinterpret_cast<Bytef *>(data);
    s.z.avail_out = uInt(qMin<qint64>(maxSize, 1 << 30));
    const uInt wanted = s.z.avail_out;
    while (s.z.avail_out == wanted) {
        if (s.z.avail_in == 0 && !refill()) {
            m_finished = true;
            if (m_failed)
                return -1;
            if (!s.inMember)
                return 0;
            setErrorString(u"the gzip data ends in the middle: the file is cut off"_s);
            m_failed = true;
            return -1;
        }
        s.inMember = true;
        const int rc = inflate(&s.z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            // The member is complete; another may follow.
            s.inMember = false;
            inflateReset(&s.z);
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            m_finished = true;
            setErrorString(u"corrupt gzip data: "_s %
                           QString::fromLatin1(s.z.msg ? s.z.msg : "unknown error"));
            m_failed = true;
            return -1;
        }
    }
    return qint64(wanted - s.z.avail_out);
}

} // namespace Tasktrail
