#include "demooutput.h"

#include <QDir>
#include <QSaveFile>

#include <utility>

using namespace Qt::StringLiterals;

namespace Tasktrail::Demo {
namespace {

constexpr qsizetype flushThreshold = 1024 * 1024;

// Writes right-aligned digits ending at `end`; returns where they start. Building text in a
// local buffer and appending it once is several times faster than appending char by char.
char *putDigits(char *end, qint64 value, int width)
{
    char *p = end;
    do {
        *--p = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value > 0 || end - p < width);
    return p;
}

// Proleptic Gregorian date from days since 1970-01-01 (Howard Hinnant's algorithm); far
// cheaper than QDateTime for the millions of log timestamps.
void civilFromDays(qint64 days, qint64 *year, int *month, int *day)
{
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 doe = days - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (*month <= 2 ? 1 : 0);
}

qint64 floorDiv(qint64 a, qint64 b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

} // namespace

void appendNumber(QByteArray &out, qint64 value)
{
    char buffer[24];
    char *end = buffer + sizeof buffer;
    // Safe for every value the generator produces; none is near the minimum.
    char *begin = putDigits(end, value < 0 ? -value : value, 1);
    if (value < 0)
        *--begin = '-';
    out.append(begin, end - begin);
}

void appendTime(QByteArray &out, qint64 epochMs, bool withMillis)
{
    const qint64 days = floorDiv(epochMs, 86400000);
    const qint64 msOfDay = epochMs - days * 86400000;
    qint64 year = 0;
    int month = 0;
    int day = 0;
    civilFromDays(days, &year, &month, &day);
    char text[] = "0000-00-00T00:00:00.000Z";
    putDigits(text + 4, year, 4);
    putDigits(text + 7, month, 2);
    putDigits(text + 10, day, 2);
    putDigits(text + 13, msOfDay / 3600000, 2);
    putDigits(text + 16, msOfDay / 60000 % 60, 2);
    putDigits(text + 19, msOfDay / 1000 % 60, 2);
    if (withMillis) {
        putDigits(text + 23, msOfDay % 1000, 3);
        out.append(text, 24);
    } else {
        text[19] = 'Z';
        out.append(text, 20);
    }
}

QByteArray formatTime(qint64 epochMs)
{
    QByteArray out;
    appendTime(out, epochMs, false);
    return out;
}

QByteArray formatDate(qint64 epochMs)
{
    return formatTime(epochMs).left(10);
}

JsonWriter &JsonWriter::beginObject()
{
    separate();
    m_out.append('{');
    ++m_depth;
    m_hasItems &= ~(quint64(1) << m_depth);
    return *this;
}

JsonWriter &JsonWriter::beginObject(QByteArrayView name)
{
    key(name);
    m_out.append('{');
    ++m_depth;
    m_hasItems &= ~(quint64(1) << m_depth);
    return *this;
}

JsonWriter &JsonWriter::endObject()
{
    m_out.append('}');
    --m_depth;
    return *this;
}

JsonWriter &JsonWriter::beginArray()
{
    separate();
    m_out.append('[');
    ++m_depth;
    m_hasItems &= ~(quint64(1) << m_depth);
    return *this;
}

JsonWriter &JsonWriter::beginArray(QByteArrayView name)
{
    key(name);
    m_out.append('[');
    ++m_depth;
    m_hasItems &= ~(quint64(1) << m_depth);
    return *this;
}

JsonWriter &JsonWriter::endArray()
{
    m_out.append(']');
    --m_depth;
    return *this;
}

JsonWriter &JsonWriter::str(QByteArrayView name, QByteArrayView value)
{
    key(name);
    string(value);
    return *this;
}

JsonWriter &JsonWriter::strOrNull(QByteArrayView name, QByteArrayView value)
{
    if (value.isEmpty())
        return null(name);
    return str(name, value);
}

JsonWriter &JsonWriter::num(QByteArrayView name, qint64 value)
{
    key(name);
    appendNumber(m_out, value);
    return *this;
}

JsonWriter &JsonWriter::fixed(QByteArrayView name, double value, int decimals)
{
    key(name);
    m_out.append(QByteArray::number(value, 'f', decimals));
    return *this;
}

JsonWriter &JsonWriter::boolean(QByteArrayView name, bool value)
{
    key(name);
    m_out.append(value ? "true" : "false");
    return *this;
}

JsonWriter &JsonWriter::null(QByteArrayView name)
{
    key(name);
    m_out.append("null");
    return *this;
}

JsonWriter &JsonWriter::time(QByteArrayView name, qint64 epochMs)
{
    if (epochMs == 0)
        return *this;
    key(name);
    m_out.append('"');
    appendTime(m_out, epochMs, false);
    m_out.append('"');
    return *this;
}

JsonWriter &JsonWriter::timeOrNull(QByteArrayView name, qint64 epochMs)
{
    if (epochMs == 0)
        return null(name);
    return time(name, epochMs);
}

JsonWriter &JsonWriter::str(QByteArrayView value)
{
    separate();
    string(value);
    return *this;
}

JsonWriter &JsonWriter::num(qint64 value)
{
    separate();
    appendNumber(m_out, value);
    return *this;
}

void JsonWriter::separate()
{
    const quint64 bit = quint64(1) << m_depth;
    if (m_depth > 0 && (m_hasItems & bit))
        m_out.append(',');
    m_hasItems |= bit;
}

void JsonWriter::key(QByteArrayView name)
{
    separate();
    m_out.append('"');
    m_out.append(name);
    m_out.append("\":");
}

void JsonWriter::string(QByteArrayView text)
{
    static constexpr char hex[] = "0123456789abcdef";
    m_out.append('"');
    qsizetype clean = 0; // start of the run of characters that need no escape
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const auto u = static_cast<unsigned char>(c);
        if (c != '"' && c != '\\' && u >= 0x20)
            continue;
        m_out.append(text.sliced(clean, i - clean));
        clean = i + 1;
        if (c == '"' || c == '\\') {
            m_out.append('\\');
            m_out.append(c);
        } else if (c == '\n') {
            m_out.append("\\n");
        } else {
            const char escape[] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 0xf]};
            m_out.append(escape, sizeof escape);
        }
    }
    m_out.append(text.sliced(clean));
    m_out.append('"');
}

ChunkedFiles::Shape ChunkedFiles::jsonLines()
{
    return {{}, {}, [](qint64) { return QByteArray(); }};
}

ChunkedFiles::Shape ChunkedFiles::jsonArray()
{
    return {"[\n", ",\n", [](qint64) { return QByteArray("\n]\n"); }};
}

ChunkedFiles::Shape ChunkedFiles::jsonListWrapper(QByteArrayView listKey)
{
    return {"{\"" + listKey.toByteArray() + "\":[\n", ",\n",
            [](qint64) { return QByteArray("\n]}\n"); }};
}

ChunkedFiles::Shape ChunkedFiles::checkRunList()
{
    // total_count comes last because it is known only when the file is full.
    return {"{\"check_runs\":[\n", ",\n", [](qint64 items) {
                QByteArray close("\n],\"total_count\":");
                appendNumber(close, items);
                close.append("}\n");
                return close;
            }};
}

ChunkedFiles::Shape ChunkedFiles::plainText()
{
    return jsonLines();
}

ChunkedFiles::ChunkedFiles(QString directory, QString stem, QString suffix, Shape shape,
                           qint64 maxWeight)
    : m_directory(std::move(directory))
    , m_stem(std::move(stem))
    , m_suffix(std::move(suffix))
    , m_shape(std::move(shape))
    , m_maxWeight(maxWeight)
{
    m_buffer.reserve(flushThreshold + 64 * 1024);
}

ChunkedFiles::~ChunkedFiles()
{
    if (m_file)
        m_file->cancelWriting();
}

QByteArray &ChunkedFiles::beginItem(qint64 weight)
{
    if (m_file && m_weight > 0 && m_weight + weight > m_maxWeight)
        closeCurrent();
    if (!m_file)
        openNext();
    if (m_items > 0)
        m_buffer.append(m_shape.separator);
    m_weight += weight;
    ++m_items;
    return m_buffer;
}

void ChunkedFiles::endItem()
{
    if (m_buffer.size() >= flushThreshold)
        flush();
}

bool ChunkedFiles::finish()
{
    if (m_file)
        closeCurrent();
    return !failed();
}

void ChunkedFiles::openNext()
{
    ++m_fileNumber;
    const QString name = m_stem % u'-' % u"%1"_s.arg(m_fileNumber, 4, 10, QChar(u'0')) % m_suffix;
    m_file = std::make_unique<QSaveFile>(QDir(m_directory).filePath(name));
    if (!m_file->open(QIODevice::WriteOnly))
        fail(u"cannot write %1: %2"_s.arg(m_file->fileName(), m_file->errorString()));
    m_buffer.append(m_shape.open);
    m_weight = 0;
    m_items = 0;
}

void ChunkedFiles::closeCurrent()
{
    m_buffer.append(m_shape.close(m_items));
    flush();
    if (!failed() && !m_file->commit())
        fail(u"cannot write %1: %2"_s.arg(m_file->fileName(), m_file->errorString()));
    if (failed())
        m_file->cancelWriting();
    m_file.reset();
}

void ChunkedFiles::flush()
{
    if (!failed() && m_file->write(m_buffer) != m_buffer.size())
        fail(u"cannot write %1: %2"_s.arg(m_file->fileName(), m_file->errorString()));
    m_buffer.truncate(0);
}

void ChunkedFiles::fail(const QString &message)
{
    if (m_error.isEmpty())
        m_error = message;
}

} // namespace Tasktrail::Demo
