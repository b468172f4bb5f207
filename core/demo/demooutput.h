#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringBuilder>

#include <functional>
#include <memory>

class QSaveFile;

// Streaming output for the demo generator: a JSON writer that appends to a byte buffer and
// files that roll over at a size bound. Demo data reaches hundreds of megabytes, so nothing
// here builds a whole document in memory.
namespace Tasktrail::Demo {

// Epoch milliseconds of a UTC date and time (proleptic Gregorian, Howard Hinnant's algorithm).
constexpr qint64 utcMs(int year, int month, int day, int hour = 0, int minute = 0)
{
    const int y = year - (month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const qint64 days = qint64(era) * 146097 + doe - 719468;
    return ((days * 24 + hour) * 60 + minute) * 60 * 1000;
}

// Appends a number without a temporary QByteArray; log lines are written millions of times.
void appendNumber(QByteArray &out, qint64 value);
// 2026-03-01T12:00:00Z, or with milliseconds 2026-03-01T12:00:00.123Z (UTC, from epoch ms).
void appendTime(QByteArray &out, qint64 epochMs, bool withMillis);
QByteArray formatTime(qint64 epochMs);
QByteArray formatDate(qint64 epochMs); // 2026-12-01

// Writes compact JSON in the order the calls come, so keys stay in a readable order
// ("tasktrail" and "kind" first) and output is byte-identical for the same calls.
class JsonWriter final
{
public:
    explicit JsonWriter(QByteArray &out)
        : m_out(out)
    {}

    JsonWriter &beginObject();
    JsonWriter &beginObject(QByteArrayView key);
    JsonWriter &endObject();
    JsonWriter &beginArray();
    JsonWriter &beginArray(QByteArrayView key);
    JsonWriter &endArray();

    JsonWriter &str(QByteArrayView key, QByteArrayView value);
    template<typename A, typename B>
    JsonWriter &str(QByteArrayView key, const QStringBuilder<A, B> &value)
    {
        return str(key, QByteArrayView(QByteArray(value)));
    }
    JsonWriter &strOrNull(QByteArrayView key, QByteArrayView value); // empty -> null
    JsonWriter &num(QByteArrayView key, qint64 value);
    JsonWriter &fixed(QByteArrayView key, double value, int decimals);
    JsonWriter &boolean(QByteArrayView key, bool value);
    JsonWriter &null(QByteArrayView key);
    JsonWriter &time(QByteArrayView key, qint64 epochMs);       // 0 leaves the key out
    JsonWriter &timeOrNull(QByteArrayView key, qint64 epochMs); // 0 -> null

    // Array elements.
    JsonWriter &str(QByteArrayView value);
    JsonWriter &num(qint64 value);

private:
    void separate();
    void key(QByteArrayView name);
    void string(QByteArrayView text);

    QByteArray &m_out;
    quint64 m_hasItems = 0; // bit n: the container at depth n already has an element
    int m_depth = 0;
};

// A series of files stem-0001.ext, stem-0002.ext, ... each holding at most `maxWeight` units
// (records, or log lines). Items are appended through a buffer that is flushed at 1 MiB;
// each file is written through QSaveFile, so a failed run leaves no half file behind.
class ChunkedFiles final
{
public:
    struct Shape
    {
        QByteArray open;      // written when a file starts
        QByteArray separator; // between items
        // written when a file ends; told how many items the file holds
        std::function<QByteArray(qint64 items)> close;
    };
    static Shape jsonLines();
    static Shape jsonArray();
    static Shape jsonListWrapper(QByteArrayView listKey); // {"<key>":[ ... ]}
    static Shape checkRunList();                          // {"check_runs":[...],"total_count":N}
    static Shape plainText();

    ChunkedFiles(QString directory, QString stem, QString suffix, Shape shape, qint64 maxWeight);
    ~ChunkedFiles();
    ChunkedFiles(const ChunkedFiles &) = delete;
    ChunkedFiles &operator=(const ChunkedFiles &) = delete;

    // Starts an item of the given weight, rolling over to a new file first when it would not
    // fit; the caller appends the item's bytes to the returned buffer.
    QByteArray &beginItem(qint64 weight = 1);
    void endItem();
    // Closes and commits the open file. False (with errorString()) when any write failed.
    bool finish();

    bool failed() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    int fileCount() const { return m_fileNumber; }

private:
    void openNext();
    void closeCurrent();
    void flush();
    void fail(const QString &message);

    QString m_directory;
    QString m_stem;
    QString m_suffix;
    Shape m_shape;
    qint64 m_maxWeight;
    std::unique_ptr<QSaveFile> m_file;
    QByteArray m_buffer;
    qint64 m_weight = 0;
    qint64 m_items = 0;
    int m_fileNumber = 0;
    QString m_error;
};

} // namespace Tasktrail::Demo
