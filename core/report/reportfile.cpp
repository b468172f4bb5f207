#include "reportfile.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {
constexpr qsizetype flushAt = 256 * 1024;
}

ReportFile::ReportFile(const QString &path)
    : m_file(path)
{}

bool ReportFile::open(QString *error)
{
    QDir().mkpath(QFileInfo(m_file.fileName()).absolutePath());
    if (m_file.open(QIODevice::WriteOnly))
        return true;
    *error = u"cannot write %1: %2"_s.arg(m_file.fileName(), m_file.errorString());
    return false;
}

void ReportFile::write(const QString &text)
{
    writeUtf8(text.toUtf8());
}

void ReportFile::writeUtf8(const QByteArray &bytes)
{
    m_buffer += bytes;
    if (m_buffer.size() >= flushAt)
        flush();
}

bool ReportFile::flush()
{
    if (!m_failed && !m_buffer.isEmpty() && m_file.write(m_buffer) != m_buffer.size())
        m_failed = true;
    m_buffer.clear();
    return !m_failed;
}

bool ReportFile::commit(QString *error)
{
    if (flush() && m_file.commit())
        return true;
    *error = u"cannot write %1: %2"_s.arg(m_file.fileName(), m_file.errorString());
    m_file.cancelWriting();
    return false;
}

void ReportFile::cancel()
{
    m_buffer.clear();
    m_file.cancelWriting();
}

} // namespace Tasktrail
