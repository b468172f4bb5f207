// Typed settings: a key and its default together, and the recent-databases list.
#include "settings.h"

#include <QDir>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestSettings final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void unsetKeysReadAsDefaults();
    void valuesSurviveReopening();
    void resetRestoresDefault();
    void wrongTypeReadsAsDefault();
    void recentDatabasesMostRecentFirst();
    void recentDatabasesWithoutDuplicates();
    void recentDatabasesKeepTen();
    void recentDatabasesAreAbsolute();
    void recentTeamDatabasesAsGiven();
    void removeRecentDatabase();
    void defaultConstructorUsesApplicationSettings();

private:
    QString iniPath() const { return m_dir.filePath(u"tasktrail.ini"_s); }

    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
};

void TestSettings::initTestCase()
{
    // Nothing here may touch the real user's settings.
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestSettings::init()
{
    QFile::remove(iniPath());
    m_settings = std::make_unique<Settings>(iniPath());
}

void TestSettings::cleanup()
{
    m_settings.reset();
}

void TestSettings::unsetKeysReadAsDefaults()
{
    QCOMPARE(m_settings->recentDatabases.value(), QStringList());
    QCOMPARE(m_settings->lastDatabase.value(), QString());
    QCOMPARE(m_settings->windowGeometry.value(), QByteArray());
    QCOMPARE(m_settings->windowState.value(), QByteArray());
    QCOMPARE(m_settings->lastImportDir.value(), QString());

    QSettings storage(iniPath(), QSettings::IniFormat);
    Setting<int> answer(storage, "test/answer", 42);
    QCOMPARE(answer.key(), u"test/answer"_s);
    QCOMPARE(answer.defaultValue(), 42);
    QCOMPARE(answer.value(), 42);
}

void TestSettings::valuesSurviveReopening()
{
    const QByteArray geometry("\x01\x00\xd9\xd0\xcb\xff", 6); // binary, as saveGeometry() gives
    m_settings->lastDatabase.setValue(u"/data/runs.db"_s);
    m_settings->windowGeometry.setValue(geometry);
    m_settings->lastImportDir.setValue(u"/data/logs"_s);
    m_settings->recentDatabases.setValue({u"/data/one.db"_s});
    m_settings.reset(); // writes the file

    Settings reopened(iniPath());
    QCOMPARE(reopened.lastDatabase.value(), u"/data/runs.db"_s);
    QCOMPARE(reopened.windowGeometry.value(), geometry);
    QCOMPARE(reopened.lastImportDir.value(), u"/data/logs"_s);
    // An INI file stores a one-entry list like a string; it still reads back as a list.
    QCOMPARE(reopened.recentDatabases.value(), QStringList{u"/data/one.db"_s});
}

void TestSettings::resetRestoresDefault()
{
    m_settings->lastDatabase.setValue(u"/data/runs.db"_s);
    QVERIFY(m_settings->storage().contains(m_settings->lastDatabase.key()));
    m_settings->lastDatabase.reset();
    QVERIFY(!m_settings->storage().contains(m_settings->lastDatabase.key()));
    QCOMPARE(m_settings->lastDatabase.value(), QString());
}

void TestSettings::wrongTypeReadsAsDefault()
{
    QSettings storage(iniPath(), QSettings::IniFormat);
    storage.setValue(u"test/number"_s, u"not a number"_s);
    Setting<int> number(storage, "test/number", 7);
    QCOMPARE(number.value(), 7);
    number.setValue(12);
    QCOMPARE(number.value(), 12);
    storage.setValue(u"test/number"_s, u"13"_s); // as an INI file gives it back
    QCOMPARE(number.value(), 13);
}

void TestSettings::recentDatabasesMostRecentFirst()
{
    m_settings->addRecentDatabase(u"/data/a.db"_s);
    m_settings->addRecentDatabase(u"/data/b.db"_s);
    m_settings->addRecentDatabase(u"/data/c.db"_s);
    QCOMPARE(m_settings->recentDatabases.value(),
             (QStringList{u"/data/c.db"_s, u"/data/b.db"_s, u"/data/a.db"_s}));
}

void TestSettings::recentDatabasesWithoutDuplicates()
{
    m_settings->addRecentDatabase(u"/data/a.db"_s);
    m_settings->addRecentDatabase(u"/data/b.db"_s);
    m_settings->addRecentDatabase(u"/data/c.db"_s);
    m_settings->addRecentDatabase(u"/data/a.db"_s); // moves to the front, not added twice
    QCOMPARE(m_settings->recentDatabases.value(),
             (QStringList{u"/data/a.db"_s, u"/data/c.db"_s, u"/data/b.db"_s}));
    m_settings->addRecentDatabase(u"/data/a.db"_s);
    QCOMPARE(m_settings->recentDatabases.value().size(), 3);
    m_settings->addRecentDatabase(QString()); // ignored
    QCOMPARE(m_settings->recentDatabases.value().size(), 3);
}

void TestSettings::recentDatabasesKeepTen()
{
    QCOMPARE(Settings::maxRecentDatabases, 10);
    for (int i = 1; i <= 15; ++i)
        m_settings->addRecentDatabase(u"/data/%1.db"_s.arg(i));
    const QStringList recent = m_settings->recentDatabases.value();
    QCOMPARE(recent.size(), 10);
    QCOMPARE(recent.constFirst(), u"/data/15.db"_s);
    QCOMPARE(recent.constLast(), u"/data/6.db"_s); // 1..5 fell off the end

    m_settings->addRecentDatabase(u"/data/8.db"_s); // already listed: nothing falls off
    QCOMPARE(m_settings->recentDatabases.value().size(), 10);
    QCOMPARE(m_settings->recentDatabases.value().constFirst(), u"/data/8.db"_s);
    QCOMPARE(m_settings->recentDatabases.value().constLast(), u"/data/6.db"_s);
}

void TestSettings::recentDatabasesAreAbsolute()
{
    m_settings->addRecentDatabase(u"/data/a.db"_s);
    // The same file by a relative path and by a path with "..": one entry.
    const QString relative = QDir::current().relativeFilePath(u"/data/a.db"_s);
    m_settings->addRecentDatabase(relative);
    m_settings->addRecentDatabase(u"/data/sub/../a.db"_s);
    QCOMPARE(m_settings->recentDatabases.value(), QStringList{u"/data/a.db"_s});
}

// A team database's location is no file path: kept as given, and removed by it.
void TestSettings::recentTeamDatabasesAsGiven()
{
    const QString url = u"postgresql://alice@db.example:5433/tasktrail"_s;
    const QString keywords = u"host=db.example dbname=tasktrail"_s;
    m_settings->addRecentDatabase(url);
    m_settings->addRecentDatabase(keywords);
    m_settings->addRecentDatabase(u"/data/a.db"_s);
    QCOMPARE(m_settings->recentDatabases.value(), (QStringList{u"/data/a.db"_s, keywords, url}));
    QCOMPARE(Settings::databaseEntry(url), url);
    m_settings->removeRecentDatabase(url);
    QCOMPARE(m_settings->recentDatabases.value(), (QStringList{u"/data/a.db"_s, keywords}));
}

void TestSettings::removeRecentDatabase()
{
    m_settings->addRecentDatabase(u"/data/a.db"_s);
    m_settings->addRecentDatabase(u"/data/b.db"_s);
    m_settings->removeRecentDatabase(u"/data/a.db"_s);
    QCOMPARE(m_settings->recentDatabases.value(), QStringList{u"/data/b.db"_s});
    m_settings->removeRecentDatabase(u"/data/missing.db"_s);
    QCOMPARE(m_settings->recentDatabases.value(), QStringList{u"/data/b.db"_s});
}

void TestSettings::defaultConstructorUsesApplicationSettings()
{
    // Test mode puts the application's settings in a test location, not the user's.
    QCoreApplication::setOrganizationName(u"TasktrailTest"_s);
    QCoreApplication::setApplicationName(u"tst_settings"_s);
    {
        Settings app;
        app.storage().clear();
        app.lastDatabase.setValue(u"/data/app.db"_s);
    }
    Settings again;
    QCOMPARE(again.lastDatabase.value(), u"/data/app.db"_s);
    again.storage().clear();
    QCOMPARE(again.lastDatabase.value(), QString());
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
