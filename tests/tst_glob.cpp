#include "policy/glob.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestGlob final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void match_data();
    void match();
    void anyOfSeveral();
    void pathologicalPatternTerminates();
};

void TestGlob::match_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("matches");

    QTest::newRow("literal") << u"package.json"_s << u"package.json"_s << true;
    QTest::newRow("literal differs") << u"package.json"_s << u"package.jsonx"_s << false;
    QTest::newRow("case sensitive") << u"README.md"_s << u"readme.md"_s << false;
    QTest::newRow("empty pattern") << QString() << QString() << false;
    QTest::newRow("star in segment") << u"acme-*/*"_s << u"acme-web/shop"_s << true;
    QTest::newRow("star stops at slash") << u"src/*.ts"_s << u"src/a/b.ts"_s << false;
    QTest::newRow("star matches empty") << u"npm run *"_s << u"npm run "_s << true;
    QTest::newRow("double star crosses") << u"src/**.ts"_s << u"src/a/b.ts"_s << true;
    QTest::newRow("leading double star dir") << u"**/*.lock"_s << u"yarn.lock"_s << true;
    QTest::newRow("leading double star deep") << u"**/*.lock"_s << u"a/b/Cargo.lock"_s << true;
    QTest::newRow("dir tree") << u".github/**"_s << u".github/workflows/ci.yml"_s << true;
    QTest::newRow("dir tree other") << u".github/**"_s << u"docs/.github"_s << false;
    QTest::newRow("question") << u"v?.txt"_s << u"v1.txt"_s << true;
    QTest::newRow("question not slash") << u"a?b"_s << u"a/b"_s << false;
    QTest::newRow("earlier double star backtracks") << u"**/b*"_s << u"a/b/c/bd"_s << true;
    QTest::newRow("star then double star") << u"*/**/x"_s << u"a/b/c/x"_s << true;
    QTest::newRow("command with args") << u"git *"_s << u"git push -u origin main"_s << true;
    QTest::newRow("command prefix only") << u"npm test"_s << u"npm test --watch"_s << false;
    QTest::newRow("host suffix") << u"*.npmjs.org"_s << u"registry.npmjs.org"_s << true;
    QTest::newRow("host suffix not bare") << u"*.npmjs.org"_s << u"npmjs.org"_s << false;
    QTest::newRow("replacement char literal") << u"a\uFFFDb"_s << u"a\uFFFDb"_s << true;
    QTest::newRow("replacement char not wildcard") << u"a\uFFFDb"_s << u"axb"_s << false;
}

void TestGlob::match()
{
    QFETCH(QString, pattern);
    QFETCH(QString, text);
    QFETCH(bool, matches);
    QCOMPARE(globMatch(pattern, text), matches);
}

void TestGlob::anyOfSeveral()
{
    const QStringList patterns{u"package.json"_s, u"**/package-lock.json"_s};
    QVERIFY(matchesAny(patterns, u"package.json"));
    QVERIFY(matchesAny(patterns, u"web/package-lock.json"));
    QVERIFY(!matchesAny(patterns, u"src/index.ts"));
    QVERIFY(!matchesAny({}, u"anything"));
}

void TestGlob::pathologicalPatternTerminates()
{
    // A pattern that makes naive backtracking exponential: with it this would not finish.
    const QString text = QString(5000, u'a');
    const QString pattern = u"*a*a*a*a*a*a*a*a*b"_s;
    QVERIFY(!globMatch(pattern, text));
    QVERIFY(globMatch(u"*a*a*a*a*a*a*a*a*"_s, text));
}

QTEST_APPLESS_MAIN(TestGlob)
#include "tst_glob.moc"
