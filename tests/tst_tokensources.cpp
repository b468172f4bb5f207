#include "github/tokensources.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

QString writeFile(const QTemporaryDir &dir, const QByteArray &content, QFileDevice::Permissions p)
{
    const QString path = dir.filePath(u"tokens"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(content);
    file.close();
    file.setPermissions(p);
    return path;
}

constexpr auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

} // namespace

class TestTokenSources final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void variableNames()
    {
        QCOMPARE(EnvTokenSource::variableName(u"octo-bot"_s), u"TASKTRAIL_TOKEN_OCTO_BOT"_s);
        QCOMPARE(EnvTokenSource::variableName(u"ci.user@corp 2"_s),
                 u"TASKTRAIL_TOKEN_CI_USER_CORP_2"_s);
        QCOMPARE(EnvTokenSource::variableName(u"é"_s), u"TASKTRAIL_TOKEN__"_s);
    }

    void environment()
    {
        QProcessEnvironment env;
        env.insert(u"TASKTRAIL_TOKEN_OCTO_BOT"_s, u"ghp_specific\n"_s);
        env.insert(u"TASKTRAIL_TOKEN"_s, u"ghp_fallback"_s);
        EnvTokenSource source(env);
        QString error;
        QCOMPARE(source.token(u"octo-bot"_s, &error), QByteArray("ghp_specific"));
        QCOMPARE(source.token(u"other"_s, &error), QByteArray("ghp_fallback"));

        EnvTokenSource empty{QProcessEnvironment()};
        QVERIFY(!empty.token(u"octo-bot"_s, &error));
        QVERIFY2(error.contains("TASKTRAIL_TOKEN_OCTO_BOT"_L1), qPrintable(error));
    }

    void gitHubCliEnvironment()
    {
        QProcessEnvironment env;
        env.insert(u"GITHUB_TOKEN"_s, u"ghp_second"_s);
        QString error;
        QCOMPARE(GitHubCliEnvTokenSource(env).token(u"any"_s, &error), QByteArray("ghp_second"));
        env.insert(u"GH_TOKEN"_s, u" ghp_first\n"_s);
        QCOMPARE(GitHubCliEnvTokenSource(env).token(u"any"_s, &error), QByteArray("ghp_first"));

        GitHubCliEnvTokenSource empty{QProcessEnvironment()};
        QVERIFY(!empty.token(u"any"_s, &error));
        QVERIFY2(error.contains("GH_TOKEN"_L1), qPrintable(error));
    }

    void privateFile()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, "ghp_onlyone\n", ownerOnly);
        FileTokenSource source(path);
        QString error;
        QCOMPARE(source.token(u"anyone"_s, &error), QByteArray("ghp_onlyone"));
    }

    void fileWithIdentities()
    {
        QTemporaryDir dir;
        const QString path =
            writeFile(dir, "# tokens\nocto-bot = ghp_a\n\nci=ghp_b\n", QFileDevice::ReadOwner);
        FileTokenSource source(path);
        QString error;
        QCOMPARE(source.token(u"octo-bot"_s, &error), QByteArray("ghp_a"));
        QCOMPARE(source.token(u"ci"_s, &error), QByteArray("ghp_b"));
        QVERIFY(!source.token(u"someone"_s, &error));
        QVERIFY2(error.contains("someone"_L1), qPrintable(error));
        QVERIFY(!error.contains("ghp_"_L1));
    }

    void refusesFilesOthersCanRead_data()
    {
        QTest::addColumn<int>("extra");
        QTest::addColumn<QString>("mode");
        QTest::newRow("group read") << int(QFileDevice::ReadGroup) << u"0640"_s;
        QTest::newRow("other read") << int(QFileDevice::ReadOther) << u"0604"_s;
        QTest::newRow("group write") << int(QFileDevice::WriteGroup) << u"0620"_s;
    }

    void refusesFilesOthersCanRead()
    {
        QFETCH(int, extra);
        QFETCH(QString, mode);
        QTemporaryDir dir;
        const QString path =
            writeFile(dir, "ghp_secret\n", ownerOnly | QFileDevice::Permissions::fromInt(extra));
        FileTokenSource source(path);
        QString error;
        QVERIFY(!source.token(u"octo-bot"_s, &error));
        QVERIFY2(error.contains(mode) && error.contains("chmod 600"_L1), qPrintable(error));
        QVERIFY(!error.contains("ghp_secret"_L1));
    }

    void missingFile()
    {
        QTemporaryDir dir;
        FileTokenSource source(dir.filePath(u"absent"_s));
        QString error;
        QVERIFY(!source.token(u"octo-bot"_s, &error));
        QVERIFY(error.contains("does not exist"_L1));
    }

    void memory()
    {
        MemoryTokenSource source;
        QString error;
        QVERIFY(!source.token(u"a"_s, &error));
        source.setToken(u"a"_s, "t1");
        QCOMPARE(source.token(u"a"_s, &error), QByteArray("t1"));
        source.removeToken(u"a"_s);
        QVERIFY(!source.token(u"a"_s, &error));
    }
};

QTEST_GUILESS_MAIN(TestTokenSources)
#include "tst_tokensources.moc"
