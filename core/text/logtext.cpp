#include "text/logtext.h"

#include <algorithm>
#include <cstring>

namespace Tasktrail::LogText {
namespace {

// Length of the well-formed UTF-8 sequence at p (1..4), or 0 when it is ill-formed.
int sequenceLength(const unsigned char *p, qsizetype left)
{
    const unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    auto cont = [&](int i) { return i < left && (p[i] & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (left < 3 || !cont(1) || !cont(2))
            return 0;
        if (c == 0xE0 && p[1] < 0xA0)
            return 0; // overlong
        if (c == 0xED && p[1] >= 0xA0)
            return 0; // surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (left < 4 || !cont(1) || !cont(2) || !cont(3))
            return 0;
        if (c == 0xF0 && p[1] < 0x90)
            return 0;
        if (c == 0xF4 && p[1] >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

int digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; ++i) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = int(y - era * 400);
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

} // namespace

bool isValidUtf8(const char *data, qsizetype size)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data);
    qsizetype i = 0;
    while (i < size) {
        // Fast path over ASCII, eight bytes at a time.
        while (i + 8 <= size) {
            quint64 word;
            memcpy(&word, p + i, 8);
            if (word & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= size)
            break;
        const int n = sequenceLength(p + i, size - i);
        if (!n)
            return false;
        i += n;
    }
    return true;
}

QByteArray sanitizeUtf8(const QByteArray &data)
{
    QByteArray out;
    out.reserve(data.size());
    const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
    const qsizetype size = data.size();
    qsizetype i = 0;
    while (i < size) {
        const int n = sequenceLength(p + i, size - i);
        if (n) {
            out.append(data.constData() + i, n);
            i += n;
        } else {
            out.append("\xEF\xBF\xBD");
            ++i;
        }
    }
    return out;
}

qint64 parseTimestampPrefix(const char *p, qsizetype size, qsizetype *prefixLength)
{
    *prefixLength = 0;
    // YYYY-MM-DDTHH:MM:SS at least, then fraction, then Z or an offset, then a space.
    if (size < 20 || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != ' ') || p[13] != ':' ||
        p[16] != ':')
        return 0;
    const int year = digits(p, 4), month = digits(p + 5, 2), day = digits(p + 8, 2);
    const int hour = digits(p + 11, 2), minute = digits(p + 14, 2), second = digits(p + 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
        minute < 0 || minute > 59 || second < 0 || second > 60)
        return 0;
    qsizetype i = 19;
    int millis = 0;
    if (i < size && (p[i] == '.' || p[i] == ',')) {
        ++i;
        int scale = 100;
        while (i < size && p[i] >= '0' && p[i] <= '9') {
            millis += (p[i] - '0') * scale;
            scale /= 10;
            ++i;
        }
    }
    int offsetMinutes = 0;
    if (i < size && (p[i] == 'Z' || p[i] == 'z')) {
        ++i;
    } else if (i + 6 <= size && (p[i] == '+' || p[i] == '-') && p[i + 3] == ':') {
        const int oh = digits(p + i + 1, 2), om = digits(p + i + 4, 2);
        if (oh < 0 || om < 0)
            return 0;
        offsetMinutes = (p[i] == '-' ? -1 : 1) * (oh * 60 + om);
        i += 6;
    } else {
        return 0; // without a zone the time is ambiguous: leave the text alone
    }
    if (i < size && p[i] != ' ' && p[i] != '\t')
        return 0;
    *prefixLength = i < size ? i + 1 : i;
    const qint64 days = daysFromCivil(year, month, day);
    const qint64 secs = days * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
    return secs * 1000 + millis;
}

namespace {

// The length of the escape sequence starting at line[i] (an ESC); *csi tells whether it is a
// CSI sequence.
qsizetype escapeLength(const QByteArray &line, qsizetype i, bool *csi)
{
    const qsizetype size = line.size();
    qsizetype j = i + 1;
    *csi = j < size && line.at(j) == '[';
    if (*csi) { // CSI: parameters, then a final byte @..~
        ++j;
        while (j < size && !(line.at(j) >= '@' && line.at(j) <= '~'))
            ++j;
        return std::min(j + 1, size) - i;
    }
    if (j < size && line.at(j) == ']') { // OSC: up to BEL or ESC backslash
        ++j;
        while (j < size && line.at(j) != '\x07' &&
               !(line.at(j) == '\x1b' && j + 1 < size && line.at(j + 1) == '\\'))
            ++j;
        j += (j < size && line.at(j) == '\x07') ? 1 : 2;
        return std::min(j, size) - i;
    }
    return std::min(j + 1, size) - i; // a two-byte escape
}

} // namespace

QByteArray stripAnsi(const QByteArray &line, bool *otherEscapes)
{
    QByteArray out;
    out.reserve(line.size());
    bool others = false;
    const qsizetype size = line.size();
    qsizetype i = 0;
    while (i < size) {
        const qsizetype next = line.indexOf('\x1b', i);
        if (next < 0) {
            out.append(line.constData() + i, size - i);
            break;
        }
        out.append(line.constData() + i, next - i);
        bool csi = false;
        i = next + escapeLength(line, next, &csi);
        others = others || !csi;
    }
    if (otherEscapes)
        *otherEscapes = others;
    return out;
}

QByteArray keepColours(const QByteArray &line)
{
    QByteArray out;
    out.reserve(line.size());
    const qsizetype size = line.size();
    qsizetype i = 0;
    while (i < size) {
        const qsizetype next = line.indexOf('\x1b', i);
        if (next < 0) {
            out.append(line.constData() + i, size - i);
            break;
        }
        out.append(line.constData() + i, next - i);
        bool csi = false;
        const qsizetype length = escapeLength(line, next, &csi);
        if (csi)
            out.append(line.constData() + next, length);
        i = next + length;
    }
    return out;
}

} // namespace Tasktrail::LogText
