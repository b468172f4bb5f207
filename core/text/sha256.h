#pragma once

#include <QByteArray>

#include <cstddef>

struct evp_md_ctx_st;
class QIODevice;

namespace Tasktrail {

// SHA-256 from OpenSSL's libcrypto rather than QCryptographicHash: every ingested file, record
// and log line is hashed, and on SHA-NI hardware OpenSSL is several times faster than Qt's
// portable code, which would otherwise cost a fifth of a log ingest. One context, reused
// digest after digest.
class Sha256 final
{
public:
    static constexpr int digestSize = 32; // bytes

    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void add(const char *data, size_t size);
    void add(const QByteArray &bytes) { add(bytes.constData(), size_t(bytes.size())); }
    // Adds what the device holds from its position to its end; false, with the digest
    // unfinished, when it cannot be read.
    bool add(QIODevice &device);
    // The digest of everything added since the last finish(); ready for the next one.
    QByteArray finish();

    // The digest of `bytes`, with a context kept per thread.
    static QByteArray of(const char *data, size_t size);
    static QByteArray of(const QByteArray &bytes)
    {
        return of(bytes.constData(), size_t(bytes.size()));
    }

private:
    evp_md_ctx_st *m_context = nullptr;
};

} // namespace Tasktrail
