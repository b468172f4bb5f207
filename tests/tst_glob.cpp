// The glob patterns of template and policy files.
#include "text/glob.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestGlob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void globs_data();
    void globs();
    void globErrors();
};

void TestGlob::globs_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("matches");
    const auto row = [](const char *name, QString p, QString t, bool m) {
        QTest::newRow(name) << p << t << m;
    };
    row("literal", u"package.json"_s, u"package.json"_s, true);
    row("literal differs", u"package.json"_s, u"package.jso"_s, false);
    row("case-sensitive", u"README.md"_s, u"readme.md"_s, false);
    row("star in a segment", u"acme-*/*"_s, u"acme-web/cart-api"_s, true);
    row("star does not cross /", u"*.json"_s, u"src/a.json"_s, false);
    row("star matches empty", u"npm run *"_s, u"npm run "_s, true);
    row("star before a slash", u"src/*/index.js"_s, u"src/cart/index.js"_s, true);
    row("star stays in its segment", u"src/*/index.js"_s, u"src/a/b/index.js"_s, false);
    row("double star crosses /", u".github/**"_s, u".github/workflows/ci.yml"_s, true);
    row("double star needs the prefix", u".github/**"_s, u"src/.github/x"_s, false);
    row("double star slash matches nothing", u"**/*.lock"_s, u"yarn.lock"_s, true);
    row("double star slash in the middle", u"a/**/b"_s, u"a/b"_s, true);
    row("double star slash deep", u"**/*.lock"_s, u"a/b/Cargo.lock"_s, true);
    row("double star suffix", u"**/*.lock"_s, u"a/b/lock"_s, false);
    row("question mark", u"v?"_s, u"v4"_s, true);
    row("question mark is one char", u"v?"_s, u"v10"_s, false);
    row("question mark not /", u"a?b"_s, u"a/b"_s, false);
    row("command with URL", u"git **"_s,
        u"git clone --depth 1 https://github.com/acme-web/cart-api.git cart-api"_s, true);
    row("command star stops at URL", u"git *"_s, u"git push -u origin copilot/x"_s, false);
    row("command star", u"git *"_s, u"git status"_s, true);
    row("host star", u"*.github.com"_s, u"api.github.com"_s, true);
    row("host star needs a label", u"*.github.com"_s, u"github.com"_s, false);
    row("escaped star", u"a\\*b"_s, u"a*b"_s, true);
    row("escaped star is literal", u"a\\*b"_s, u"axb"_s, false);
    row("template reference", u"ci-migrate@*"_s, u"ci-migrate@2"_s, true);
    row("bot principal", u"svc-*[bot]"_s, u"svc-migrations[bot]"_s, true);
    row("many stars", u"*a*a*a*a*a*a*b"_s, QString(40, u'a'), false);
    row("many stars, long text", u"*a*a*a*a*a*a*a*a*b"_s, QString(5000, u'a'), false);
    row("earlier double star backtracks", u"**/b*"_s, u"a/b/c/bd"_s, true);
    row("star then double star", u"*/**/x"_s, u"a/b/c/x"_s, true);
    row("empty pattern", QString(), QString(), true);
    row("empty pattern, text", QString(), u"x"_s, false);
}

void TestGlob::globs()
{
    QFETCH(QString, pattern);
    QFETCH(QString, text);
    QFETCH(bool, matches);
    QCOMPARE(globMatch(pattern, text), matches);
    QCOMPARE(matchesAny({u"nothing-like-it"_s, pattern}, text), matches);
}

void TestGlob::globErrors()
{
    QVERIFY(!matchesAny({}, u"x"));
    QCOMPARE(globError(u"acme-*/*"), QString());
    QCOMPARE(globError(u"a\\*"), QString());
    QVERIFY(!globError(u"").isEmpty());
    QVERIFY(!globError(u"  ").isEmpty());
    QVERIFY(globError(u"a/***").contains(u"'***'"_s));
    QVERIFY(globError(u"a\\").contains(u"lone"_s));
    QVERIFY(globError(u"a\tb").contains(u"control"_s));
}

QTEST_GUILESS_MAIN(TestGlob)
#include "tst_glob.moc"
