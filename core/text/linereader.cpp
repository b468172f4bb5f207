#include "text/linereader.h"

#include <QIODevice>

#include <cstring>

namespace Tasktrail {

namespace {
constexpr qsizetype chunkSize = 4 * 1024 * 1024;
}

LineReader::LineReader(QIODevice &device, qsizetype maxLine)
    : m_device(device)
    , m_maxLine(maxLine)
{}

bool LineReader::fill()
{
    if (m_eof)
        return false;
    if (m_pos > 0) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    const qsizetype old = m_buffer.size();
    m_buffer.resize(old + chunkSize);
    const qint64 got = m_device.read(m_buffer.data() + old, chunkSize);
    if (got <= 0) {
        m_buffer.resize(old);
        m_eof = true;
        m_failed = got < 0;
        return false;
    }
    m_buffer.resize(old + got);
    m_hash.add(m_buffer.constData() + old, size_t(got));
    return true;
}

bool LineReader::atEnd() const
{
    return m_eof && m_pos >= m_buffer.size();
}

bool LineReader::next(QByteArray &line, qsizetype *fullLength)
{
    line.clear();
    qsizetype length = 0;
    char lastByte = 0;
    for (;;) {
        const char *start = m_buffer.constData() + m_pos;
        const qsizetype available = m_buffer.size() - m_pos;
        const void *nl = available > 0 ? std::memchr(start, '\n', size_t(available)) : nullptr;
        const qsizetype take = nl ? static_cast<const char *>(nl) - start : available;
        const qsizetype room = m_maxLine - line.size();
        if (room > 0)
            line.append(start, qMin(take, room));
        if (take > 0)
            lastByte = start[take - 1];
        length += take;
        m_pos += take;
        m_consumed += take;
        if (nl) {
            ++m_pos;
            ++m_consumed;
            break;
        }
        if (!fill()) {
            if (m_failed) {
                line.clear();
                if (fullLength)
                    *fullLength = 0;
                return false;
            }
            if (length == 0 && line.isEmpty()) {
                if (fullLength)
                    *fullLength = 0;
                return false;
            }
            break;
        }
    }
    // A CR before the LF belongs to the line break: not to the line, nor to its length.
    if (lastByte == '\r') {
        --length;
        if (line.size() > length)
            line.chop(1);
    }
    // A UTF-8 byte order mark belongs to the file, not to its first line.
    if (m_lineNumber == 0 && line.startsWith("\xEF\xBB\xBF")) {
        line.remove(0, 3);
        length -= 3;
    }
    ++m_lineNumber;
    if (fullLength)
        *fullLength = length;
    return true;
}

QByteArray LineReader::sha256Hex()
{
    return m_hash.finish().toHex();
}

} // namespace Tasktrail
