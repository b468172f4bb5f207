#include "sha256.h"

#include <QIODevice>

#include <openssl/evp.h>

namespace Tasktrail {

namespace {

// Fetched once: OpenSSL 3 looks an algorithm up again on every implicit use.
const EVP_MD *sha256Algorithm()
{
    static EVP_MD *md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (!md)
        qFatal("OpenSSL has no SHA-256");
    return md;
}

} // namespace

Sha256::Sha256()
    : m_context(EVP_MD_CTX_new())
{
    if (!m_context || !EVP_DigestInit_ex(m_context, sha256Algorithm(), nullptr))
        qFatal("OpenSSL cannot hash SHA-256");
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(m_context);
}

void Sha256::add(const char *data, size_t size)
{
    EVP_DigestUpdate(m_context, data, size);
}

bool Sha256::add(QIODevice &device)
{
    if (!device.isReadable())
        return false;
    QByteArray buffer(64 * 1024, Qt::Uninitialized);
    for (;;) {
        const qint64 got = device.read(buffer.data(), buffer.size());
        if (got < 0)
            return false;
        if (got == 0)
            return device.atEnd();
        add(buffer.constData(), size_t(got));
    }
}

QByteArray Sha256::finish()
{
    QByteArray digest(digestSize, Qt::Uninitialized);
    unsigned int written = 0;
    EVP_DigestFinal_ex(m_context, reinterpret_cast<unsigned char *>(digest.data()), &written);
    digest.resize(int(written));
    EVP_DigestInit_ex(m_context, sha256Algorithm(), nullptr);
    return digest;
}

QByteArray Sha256::of(const char *data, size_t size)
{
    thread_local Sha256 hash;
    hash.add(data, size);
    return hash.finish();
}

} // namespace Tasktrail
