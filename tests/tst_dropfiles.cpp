// What a drop onto the window hands to the importer: existing local files and directories.
#include "dropfiles.h"

#include <QDir>
#include <QFile>
#include <QMimeData>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestDropFiles final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void localFilesAndDirectories();
    void remoteAndMissingLeftOut();
    void duplicatesOnce();
    void noUrls();

private:
    QTemporaryDir m_dir;
    QString m_file;
    QString m_subdir;
};

void TestDropFiles::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_file = m_dir.filePath(u"run.jsonl"_s);
    QFile file(m_file);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{}\n");
    file.close();
    m_subdir = m_dir.filePath(u"logs"_s);
    QVERIFY(QDir(m_dir.path()).mkdir(u"logs"_s));
}

void TestDropFiles::localFilesAndDirectories()
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(m_subdir), QUrl::fromLocalFile(m_file)});
    QCOMPARE(localFilesFromMimeData(&mime), (QStringList{m_subdir, m_file})); // drag order
}

void TestDropFiles::remoteAndMissingLeftOut()
{
    QMimeData mime;
    mime.setUrls({QUrl(u"https://example.com/run.jsonl"_s), QUrl::fromLocalFile(m_file),
                  QUrl(u"ftp://example.com/logs/"_s),
                  QUrl::fromLocalFile(m_dir.filePath(u"missing.log"_s))});
    QCOMPARE(localFilesFromMimeData(&mime), QStringList{m_file});

    QMimeData remoteOnly;
    remoteOnly.setUrls({QUrl(u"https://example.com/run.jsonl"_s)});
    QVERIFY(localFilesFromMimeData(&remoteOnly).isEmpty());
}

void TestDropFiles::duplicatesOnce()
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(m_file), QUrl::fromLocalFile(m_file)});
    QCOMPARE(localFilesFromMimeData(&mime), QStringList{m_file});
}

void TestDropFiles::noUrls()
{
    QMimeData text;
    text.setText(m_file); // a path as text is not a dragged file
    QVERIFY(localFilesFromMimeData(&text).isEmpty());
    QVERIFY(localFilesFromMimeData(nullptr).isEmpty());
}

QTEST_GUILESS_MAIN(TestDropFiles)
#include "tst_dropfiles.moc"
