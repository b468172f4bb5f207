#include "evidencehash.h"

#include "sqlitestatement.h"

#include <QCryptographicHash>
#include <QtEndian>

#include <openssl/evp.h>

#include <cstring>
#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

void putBigEndian(char *out, quint64 value)
{
    qToBigEndian(value, out);
}

QByteArray lengthPrefixed(const QByteArray &bytes)
{
    char length[4];
    qToBigEndian(quint32(bytes.size()), length);
    return QByteArray(length, 4) + bytes;
}

} // namespace

namespace {
constexpr size_t hashBlock = 16384;
}

RowHasher::RowHasher()
    : m_context(EVP_MD_CTX_new())
{
    if (!m_context || !EVP_DigestInit_ex(m_context, EVP_sha256(), nullptr))
        qFatal("OpenSSL cannot hash SHA-256");
}

RowHasher::~RowHasher()
{
    EVP_MD_CTX_free(m_context);
}

void RowHasher::add(const char *data, qsizetype size)
{
    m_pending.append(data, size_t(size));
    if (m_pending.size() >= hashBlock)
        flush();
}

void RowHasher::flush()
{
    EVP_DigestUpdate(m_context, m_pending.data(), m_pending.size());
    m_pending.clear();
}

QByteArray RowHasher::finish()
{
    flush();
    QByteArray digest(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int size = 0;
    EVP_DigestFinal_ex(m_context, reinterpret_cast<unsigned char *>(digest.data()), &size);
    digest.resize(size);
    return digest;
}

void RowHasher::addLength(qsizetype size)
{
    char length[8];
    putBigEndian(length, quint64(size));
    add(length, 8);
}

void RowHasher::beginRow(const char *label, int columns)
{
    ++m_rows;
    const qsizetype size = qsizetype(std::strlen(label));
    add("R", 1);
    addLength(size);
    add(label, size);
    addLength(columns);
}

void RowHasher::addNull()
{
    add("N", 1);
}

void RowHasher::addInteger(qint64 value)
{
    char bytes[9] = {'I'};
    putBigEndian(bytes + 1, quint64(value));
    add(bytes, 9);
}

void RowHasher::addReal(double value)
{
    quint64 bits = 0;
    static_assert(sizeof bits == sizeof value);
    std::memcpy(&bits, &value, sizeof bits);
    char bytes[9] = {'F'};
    putBigEndian(bytes + 1, bits);
    add(bytes, 9);
}

void RowHasher::addText(const char *data, qsizetype size)
{
    add("T", 1);
    addLength(size);
    add(data, size);
}

void RowHasher::addBlob(const char *data, qsizetype size)
{
    add("B", 1);
    addLength(size);
    add(data, size);
}

void RowHasher::addRow(const char *label, const SqliteStatement &row)
{
    const int columns = row.columnCount();
    beginRow(label, columns);
    for (int i = 0; i < columns; ++i) {
        switch (row.columnType(i)) {
        case SQLITE_INTEGER:
            addInteger(row.int64(i));
            break;
        case SQLITE_FLOAT:
            addReal(row.real(i));
            break;
        case SQLITE_TEXT: {
            const QByteArrayView text = row.view(i);
            addText(text.data(), text.size());
            break;
        }
        case SQLITE_BLOB: {
            const QByteArrayView blob = row.view(i);
            addBlob(blob.data(), blob.size());
            break;
        }
        default:
            addNull();
            break;
        }
    }
}

namespace Evidence {

QByteArray genesis()
{
    return QByteArray(hashSize, '\0');
}

QByteArray chainHash(const QByteArray &previous, qint64 seq, const QString &kind,
                     const QString &ref, const QByteArray &contentHash, const QByteArray &stateHash)
{
    char seqBytes[8];
    putBigEndian(seqBytes, quint64(seq));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(previous);
    hash.addData(QByteArrayView(seqBytes, 8));
    hash.addData(lengthPrefixed(kind.toUtf8()));
    hash.addData(lengthPrefixed(ref.toUtf8()));
    hash.addData(contentHash);
    hash.addData(stateHash);
    return hash.result();
}

QString joinRef(const QString &first, char16_t sep, const QString &second)
{
    QString out;
    out.reserve(first.size() + second.size() + 1);
    for (const QChar c : first) {
        if (c == u'%' || c == QChar(sep))
            out += u'%' % QString::number(c.unicode(), 16).toUpper().rightJustified(2, u'0');
        else
            out += c;
    }
    return out % QChar(sep) % second;
}

std::optional<std::pair<QString, QString>> splitRef(const QString &ref, char16_t sep)
{
    const qsizetype at = ref.indexOf(QChar(sep));
    if (at < 0)
        return std::nullopt;
    QString first;
    first.reserve(at);
    for (qsizetype i = 0; i < at; ++i) {
        bool ok = false;
        const int code = ref.at(i) == u'%' && i + 2 < at ? ref.mid(i + 1, 2).toInt(&ok, 16) : 0;
        if (ok) {
            first += QChar(char16_t(code));
            i += 2;
        } else {
            first += ref.at(i);
        }
    }
    return std::pair{first, ref.mid(at + 1)};
}

QString logRef(qint64 commandKey, qint64 firstLine, qint64 lastLine)
{
    return QString::number(commandKey) % u':' % QString::number(firstLine) % u'-' %
           QString::number(lastLine);
}

std::optional<LogRange> parseLogRef(const QString &ref)
{
    const qsizetype colon = ref.indexOf(u':');
    const qsizetype dash = ref.indexOf(u'-', colon + 1);
    if (colon <= 0 || dash <= colon + 1)
        return std::nullopt;
    bool okKey = false, okFirst = false, okLast = false;
    LogRange range{ref.left(colon).toLongLong(&okKey),
                   ref.mid(colon + 1, dash - colon - 1).toLongLong(&okFirst),
                   ref.mid(dash + 1).toLongLong(&okLast)};
    if (!okKey || !okFirst || !okLast || range.firstLine > range.lastLine)
        return std::nullopt;
    return range;
}

} // namespace Evidence
} // namespace Tasktrail
