// tasktrail:// links: what they name, how ids are encoded, and what is refused.
#include "text/tasktraillink.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

Q_DECLARE_METATYPE(Tasktrail::TasktrailLink::Kind)

class TestTasktrailLink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parses_data();
    void parses();
    void refuses_data();
    void refuses();
    void roundTrips_data();
    void roundTrips();
    void recognisesLinks();
};

void TestTasktrailLink::parses_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<TasktrailLink::Kind>("kind");
    QTest::addColumn<QString>("id");
    using K = TasktrailLink::Kind;
    QTest::newRow("task") << u"tasktrail://task/68ac2be2"_s << K::Task << u"68ac2be2"_s;
    QTest::newRow("campaign") << u"tasktrail://campaign/camp-2024-11-lodash"_s << K::Campaign
                              << u"camp-2024-11-lodash"_s;
    QTest::newRow("finding") << u"tasktrail://finding/42"_s << K::Finding << u"42"_s;
    QTest::newRow("scheme in capitals") << u"TaskTrail://task/a"_s << K::Task << u"a"_s;
    QTest::newRow("escaped slash")
        << u"tasktrail://task/acme%2Fweb%2F7"_s << K::Task << u"acme/web/7"_s;
    QTest::newRow("escaped space and hash")
        << u"tasktrail://task/a%20b%23c"_s << K::Task << u"a b#c"_s;
    QTest::newRow("lower-case hex") << u"tasktrail://task/a%2fb"_s << K::Task << u"a/b"_s;
    QTest::newRow("utf-8") << u"tasktrail://campaign/caf%C3%A9"_s << K::Campaign << u"caf\u00e9"_s;
    QTest::newRow("unreserved marks")
        << u"tasktrail://task/a-b_c.d~e"_s << K::Task << u"a-b_c.d~e"_s;
}

void TestTasktrailLink::parses()
{
    QFETCH(QString, url);
    QFETCH(TasktrailLink::Kind, kind);
    QFETCH(QString, id);
    QString error;
    const std::optional<TasktrailLink> link = parseTasktrailLink(url, &error);
    QVERIFY2(link, qPrintable(error));
    QCOMPARE(link->kind, kind);
    QCOMPARE(link->id, id);
}

void TestTasktrailLink::refuses_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("reason");
    const auto row = [](const char *name, const QString &url, const QString &reason) {
        QTest::newRow(name) << url << reason;
    };
    row("empty", QString(), u"does not start with tasktrail://"_s);
    row("another scheme", u"https://task/1"_s, u"does not start with tasktrail://"_s);
    row("no slashes", u"tasktrail:task/1"_s, u"does not start with tasktrail://"_s);
    row("unknown kind", u"tasktrail://run/1"_s, u"unknown kind \"run\""_s);
    row("kind in capitals", u"tasktrail://Task/1"_s, u"unknown kind \"Task\""_s);
    row("no kind", u"tasktrail:///1"_s, u"unknown kind \"\""_s);
    row("no id", u"tasktrail://task"_s, u"the task id is missing"_s);
    row("empty id", u"tasktrail://campaign/"_s, u"the campaign id is missing"_s);
    row("raw slash", u"tasktrail://task/a/b"_s, u"holds a '/'"_s);
    row("trailing slash", u"tasktrail://task/a/"_s, u"holds a '/'"_s);
    row("query", u"tasktrail://task/a?x=1"_s, u"query or a fragment"_s);
    row("fragment", u"tasktrail://task/a#log"_s, u"query or a fragment"_s);
    row("raw space", u"tasktrail://task/a b"_s, u"space, a control or a non-ASCII"_s);
    row("raw non-ASCII", u"tasktrail://task/caf\u00e9"_s, u"space, a control or a non-ASCII"_s);
    row("percent at the end", u"tasktrail://task/a%"_s, u"two hex digits"_s);
    row("short escape", u"tasktrail://task/a%2"_s, u"two hex digits"_s);
    row("bad escape", u"tasktrail://task/a%zz"_s, u"two hex digits"_s);
    row("escaped NUL", u"tasktrail://task/a%00b"_s, u"NUL character"_s);
    row("escaped bad utf-8", u"tasktrail://task/a%C3"_s, u"not UTF-8"_s);
    row("too long", u"tasktrail://task/"_s + QString(2000, u'a'), u"longer than 512"_s);
    row("finding not a number", u"tasktrail://finding/abc"_s, u"positive number"_s);
    row("finding zero", u"tasktrail://finding/0"_s, u"positive number"_s);
    row("finding negative", u"tasktrail://finding/-3"_s, u"positive number"_s);
    row("finding leading zero", u"tasktrail://finding/07"_s, u"positive number"_s);
    row("finding overflow", u"tasktrail://finding/99999999999999999999"_s, u"positive number"_s);
}

void TestTasktrailLink::refuses()
{
    QFETCH(QString, url);
    QFETCH(QString, reason);
    QString error;
    const std::optional<TasktrailLink> link = parseTasktrailLink(url, &error);
    QVERIFY2(!link, qPrintable(link ? link->id : QString()));
    QVERIFY2(error.startsWith(u"not a Tasktrail link: "_s), qPrintable(error));
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY2(error.contains(u"expected tasktrail://task/ID"_s), qPrintable(error));
}

void TestTasktrailLink::roundTrips_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("url");
    QTest::newRow("plain") << u"68ac2be2"_s << u"tasktrail://task/68ac2be2"_s;
    QTest::newRow("reserved characters")
        << u"acme/web?x#1 %"_s << u"tasktrail://task/acme%2Fweb%3Fx%231%20%25"_s;
    QTest::newRow("non-ASCII") << u"\u00e9t\u00e9"_s << u"tasktrail://task/%C3%A9t%C3%A9"_s;
    QTest::newRow("control characters")
        << u"t1 line\nbreak\u0007"_s << u"tasktrail://task/t1%20line%0Abreak%07"_s;
}

void TestTasktrailLink::roundTrips()
{
    QFETCH(QString, id);
    QFETCH(QString, url);
    QCOMPARE(taskLinkUrl(id), url);
    const std::optional<TasktrailLink> link = parseTasktrailLink(url);
    QVERIFY(link);
    QCOMPARE(*link, (TasktrailLink{TasktrailLink::Kind::Task, id}));
    QCOMPARE(toUrl({TasktrailLink::Kind::Finding, u"7"_s}), u"tasktrail://finding/7"_s);
    QCOMPARE(toUrl({TasktrailLink::Kind::Campaign, id}).mid(20), url.mid(16));
}

void TestTasktrailLink::recognisesLinks()
{
    QVERIFY(looksLikeTasktrailLink(u"tasktrail://task/1"));
    QVERIFY(looksLikeTasktrailLink(u"TASKTRAIL:x"));
    QVERIFY(!looksLikeTasktrailLink(u"tasktrail.db"));
    QVERIFY(!looksLikeTasktrailLink(u"/home/me/tasktrail://x"));
    QVERIFY(!looksLikeTasktrailLink(u"tasktrail"));
}

QTEST_GUILESS_MAIN(TestTasktrailLink)
#include "tst_tasktraillink.moc"
