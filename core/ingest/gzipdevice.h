#pragma once

#include <QIODevice>

#include <memory>

namespace Tasktrail {

// Reads gzip data (RFC 1952, also several members one after another, as `cat a.gz b.gz`
// writes them) from another device as the bytes it holds. Sequential and read-only. Corrupt
// data, and data that ends before its member does, is an error: read() returns -1 and
// errorString() says what is wrong, so a cut-off file is never taken for a whole one.
class GzipDevice final : public QIODevice
{
public:
    explicit GzipDevice(QIODevice &source, QObject *parent = nullptr);
    ~GzipDevice() override;

    bool isSequential() const override { return true; }
    bool atEnd() const override;
    void close() override;

    // Whether a read failed; errorString() says why.
    bool failed() const { return m_failed; }

    // The first bytes of gzip data: 1f 8b.
    static bool isGzip(QByteArrayView head);

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 maxSize) override;

private:
    bool refill();

    struct Stream;
    QIODevice &m_source;
    std::unique_ptr<Stream> m_stream;
    bool m_finished = false;
    bool m_failed = false;
};

} // namespace Tasktrail
