#pragma once

#include <QByteArray>
#include <QSaveFile>
#include <QString>

namespace Tasktrail {

// One output file of a report, written through QSaveFile in UTF-8 with a write buffer: the
// path keeps its old content until commit() succeeds. A write error is remembered and
// reported by commit().
class ReportFile final
{
public:
    explicit ReportFile(const QString &path);

    bool open(QString *error);
    void write(const QString &text);
    void writeUtf8(const QByteArray &bytes);
    bool commit(QString *error);
    void cancel();

private:
    bool flush();

    QSaveFile m_file;
    QByteArray m_buffer;
    bool m_failed = false;
};

} // namespace Tasktrail
