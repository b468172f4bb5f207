// Two runs compared from their chains alone: commands aligned as a longest common subsequence
// of their normalised command lines, the lists of each run set against the other's, and the
// line diff of two logs.
#include "query/runcomparison.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

// "npm test=1" is argv {npm, test} with exit code 1; "make=?" an unknown exit code.
QList<TaskChain::Command> commands(const QStringList &lines)
{
    QList<TaskChain::Command> out;
    for (const QString &line : lines) {
        TaskChain::Command c;
        c.record.seq = int(out.size()) + 1;
        const QString argv = line.section(u'=', 0, 0);
        const QString exit = line.section(u'=', 1);
        c.record.argv = argv.split(u' ', Qt::SkipEmptyParts);
        if (exit != u"?")
            c.record.exitCode = exit.toInt();
        out << c;
    }
    return out;
}

TaskChain chain(const QString &id, const QStringList &lines)
{
    TaskChain c;
    c.task.id = id;
    c.commands = commands(lines);
    return c;
}

// Each aligned row as "<mark><seq in A>/<seq in B>": = same, ~ exit differs, < only in A,
// > only in B, and - for the side without a command.
QString rowsOf(const RunComparison &c)
{
    QStringList rows;
    for (const RunComparison::AlignedCommand &row : c.commands) {
        const char *mark = "";
        switch (row.match) {
        case RunComparison::Match::Same:
            mark = "=";
            break;
        case RunComparison::Match::ExitDiffers:
            mark = "~";
            break;
        case RunComparison::Match::OnlyA:
            mark = "<";
            break;
        case RunComparison::Match::OnlyB:
            mark = ">";
            break;
        }
        const auto seq = [](const TaskChain &chain, qsizetype index) {
            return index < 0 ? u"-"_s : QString::number(chain.commands.at(index).record.seq);
        };
        rows << QLatin1String(mark) % seq(c.a, row.a) % u'/' % seq(c.b, row.b);
    }
    return rows.join(u' ');
}

} // namespace

class TestRunComparison final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void alignCommands_data();
    void alignCommands();
    void normalisation();
    void sets();
    void logLines_data();
    void logLines();
    void largeMiddleIsBounded();
};

void TestRunComparison::alignCommands_data()
{
    QTest::addColumn<QStringList>("a");
    QTest::addColumn<QStringList>("b");
    QTest::addColumn<QString>("expected");

    const QStringList base{u"git clone r=0"_s, u"npm ci=0"_s, u"npm test=0"_s, u"git push=0"_s};
    QTest::newRow("same") << base << base << u"=1/1 =2/2 =3/3 =4/4"_s;
    QTest::newRow("both empty") << QStringList() << QStringList() << QString();
    QTest::newRow("only in A") << base
                               << QStringList{u"git clone r=0"_s, u"npm test=0"_s, u"git push=0"_s}
                               << u"=1/1 <2/- =3/2 =4/3"_s;
    QTest::newRow("only in B") << base
                               << QStringList{u"git clone r=0"_s, u"npm install lodash=0"_s,
                                              u"npm ci=0"_s, u"npm test=0"_s, u"git push=0"_s}
                               << u"=1/1 >-/2 =2/3 =3/4 =4/5"_s;
    QTest::newRow("A empty") << QStringList() << QStringList{u"make=0"_s, u"make test=2"_s}
                             << u">-/1 >-/2"_s;
    QTest::newRow("different exit code")
        << base << QStringList{u"git clone r=0"_s, u"npm ci=0"_s, u"npm test=1"_s, u"git push=0"_s}
        << u"=1/1 =2/2 ~3/3 =4/4"_s;
    QTest::newRow("unknown exit code differs")
        << QStringList{u"make=?"_s} << QStringList{u"make=0"_s} << u"~1/1"_s;
    QTest::newRow("both unknown differs")
        << QStringList{u"make=?"_s} << QStringList{u"make=?"_s} << u"~1/1"_s;
    // Swapped commands cannot both be matched: the first of A's stays unmatched and is
    // listed before B's, as diff lists a removal before an addition.
    QTest::newRow("reordering") << QStringList{u"git clone r=0"_s, u"npm ci=0"_s,
                                               u"npm test=1"_s,    u"npm audit=0"_s,
                                               u"git commit=0"_s,  u"git push=0"_s}
                                << QStringList{u"git clone r=0"_s, u"npm install lodash=0"_s,
                                               u"npm ci=0"_s,      u"npm test=0"_s,
                                               u"git push=0"_s,    u"git commit=0"_s}
                                << u"=1/1 >-/2 =2/3 ~3/4 <4/- <5/- =6/5 >-/6"_s;
    QTest::newRow("arguments differ")
        << QStringList{u"npm install lodash@4.17.20=0"_s}
        << QStringList{u"npm install lodash@4.17.21=0"_s} << u"<1/- >-/1"_s;
    QTest::newRow("repeated command") << QStringList{u"npm test=1"_s, u"npm test=0"_s}
                                      << QStringList{u"npm test=0"_s} << u"~1/1 <2/-"_s;
}

void TestRunComparison::alignCommands()
{
    QFETCH(QStringList, a);
    QFETCH(QStringList, b);
    QFETCH(QString, expected);
    const RunComparison c = RunComparison::of(chain(u"T-A"_s, a), chain(u"T-B"_s, b));
    QCOMPARE(rowsOf(c), expected);
    QVERIFY(!c.commandsApproximate);
    // Every command of each run is on exactly one row, in its run's order.
    QList<qsizetype> seenA;
    QList<qsizetype> seenB;
    for (const auto &row : c.commands) {
        if (row.a >= 0)
            seenA << row.a;
        if (row.b >= 0)
            seenB << row.b;
    }
    QCOMPARE(seenA.size(), a.size());
    QCOMPARE(seenB.size(), b.size());
    QVERIFY(std::is_sorted(seenA.cbegin(), seenA.cend()));
    QVERIFY(std::is_sorted(seenB.cbegin(), seenB.cend()));
}

void TestRunComparison::normalisation()
{
    // The program's path, each run's own task id and its repository do not make commands
    // differ; spacing inside an argument does.
    TaskChain a = chain(u"T-1"_s, {u"/usr/bin/git checkout -b agent/T-1=0"_s, u"echo=0"_s,
                                   u"git clone https://github.com/acme/web.git web=0"_s,
                                   u"cp web.cfg web2=0"_s});
    TaskChain b = chain(u"T-2"_s, {u"git checkout -b agent/T-2=0"_s, u"echo=0"_s,
                                   u"git clone https://github.com/acme/api.git api=0"_s,
                                   u"cp api.cfg api2=0"_s});
    a.task.repo = u"acme/web"_s;
    b.task.repo = u"acme/api"_s;
    a.commands[1].record.argv = {u"git"_s, u"commit"_s, u"-m"_s, u"Bump lodash"_s};
    b.commands[1].record.argv = {u"git"_s, u"commit"_s, u"-m"_s, u"Bump"_s, u"lodash"_s};
    // Only an argument that is the repository's name alone is its checkout directory:
    // "web.cfg" and "web2" stay as they are.
    QCOMPARE(rowsOf(RunComparison::of(a, b)), u"=1/1 <2/- >-/2 =3/3 <4/- >-/4"_s);
    QCOMPARE(RunComparison::normalisedCommand(a.commands.at(0).record, a.task),
             (QStringList{u"git"_s, u"checkout"_s, u"-b"_s, u"agent/<task>"_s}));
    QCOMPARE(RunComparison::normalisedCommand(a.commands.at(2).record, a.task),
             (QStringList{u"git"_s, u"clone"_s, u"https://github.com/<repo>.git"_s, u"<repo>"_s}));
    // Without a repository nothing is replaced.
    a.task.repo.clear();
    QCOMPARE(RunComparison::normalisedCommand(a.commands.at(2).record, a.task).constLast(),
             u"web"_s);
}

void TestRunComparison::sets()
{
    TaskChain a = chain(u"T-A"_s, {});
    TaskChain b = chain(u"T-B"_s, {});
    for (const QString &path : {u"package.json"_s, u"package-lock.json"_s, u"README.md"_s})
        a.task.filesChanged << FileChange{a.task.id, path, u"modified"_s, 1, 1};
    for (const QString &path : {u"package-lock.json"_s, u"package.json"_s, u"yarn.lock"_s})
        b.task.filesChanged << FileChange{b.task.id, path, u"modified"_s, 1, 1};
    for (const QString &host : {u"github.com"_s, u"registry.npmjs.org"_s, u"github.com"_s})
        a.task.contacts << ExternalContact{a.task.id, host, {}, {}, {}};
    b.task.contacts << ExternalContact{b.task.id, u"github.com"_s, {}, {}, {}};
    b.task.contacts << ExternalContact{b.task.id, u"evil.example"_s, {}, {}, {}};
    a.task.tests << TestResult{a.task.id, u"cart"_s, u"failed"_s, 1, {}}
                 << TestResult{a.task.id, u"cart"_s, u"passed"_s, 2, {}};
    b.task.tests << TestResult{b.task.id, u"checkout"_s, u"passed"_s, 1, {}};
    Finding finding;
    finding.rule = u"host_not_allowed"_s;
    b.findings << finding;
    const RunComparison c = RunComparison::of(a, b);
    QCOMPARE(c.files.both, (QStringList{u"package-lock.json"_s, u"package.json"_s}));
    QCOMPARE(c.files.onlyA, QStringList{u"README.md"_s});
    QCOMPARE(c.files.onlyB, QStringList{u"yarn.lock"_s});
    QCOMPARE(c.hosts.both, QStringList{u"github.com"_s});
    QCOMPARE(c.hosts.onlyA, QStringList{u"registry.npmjs.org"_s});
    QCOMPARE(c.hosts.onlyB, QStringList{u"evil.example"_s});
    QCOMPARE(c.findingRules.onlyB, QStringList{u"host_not_allowed"_s});
    QVERIFY(c.findingRules.onlyA.isEmpty() && c.findingRules.both.isEmpty());
    QCOMPARE(c.tests.size(), 2);
    QCOMPARE(c.tests.at(0).name, u"cart"_s);
    QCOMPARE(c.tests.at(0).outcomeA, u"passed"_s); // the retry's outcome
    QVERIFY(c.tests.at(0).outcomeB.isEmpty());
    QCOMPARE(c.tests.at(1).outcomeB, u"passed"_s);
}

void TestRunComparison::logLines_data()
{
    QTest::addColumn<QStringList>("a");
    QTest::addColumn<QStringList>("b");
    QTest::addColumn<QString>("expected"); // op and line numbers per line

    QTest::newRow("equal") << QStringList{u"x"_s, u"y"_s} << QStringList{u"x"_s, u"y"_s}
                           << u"=1,1 =2,2"_s;
    QTest::newRow("one changed") << QStringList{u"ok"_s, u"PASS"_s, u"done"_s}
                                 << QStringList{u"ok"_s, u"FAIL"_s, u"done"_s}
                                 << u"=1,1 <2,0 >0,2 =3,3"_s;
    QTest::newRow("only A") << QStringList{u"x"_s} << QStringList() << u"<1,0"_s;
    QTest::newRow("inserted") << QStringList{u"a"_s, u"c"_s} << QStringList{u"a"_s, u"b"_s, u"c"_s}
                              << u"=1,1 >0,2 =2,3"_s;
}

void TestRunComparison::logLines()
{
    QFETCH(QStringList, a);
    QFETCH(QStringList, b);
    QFETCH(QString, expected);
    const LogDiff diff = LogDiff::ofLines(a, b);
    QStringList got;
    for (const LogDiff::Line &line : diff.lines) {
        const QChar mark = line.op == LogDiff::Op::Same    ? u'='
                           : line.op == LogDiff::Op::OnlyA ? u'<'
                                                           : u'>';
        got << mark % QString::number(line.lineA) % u',' % QString::number(line.lineB);
        QCOMPARE(line.text, line.lineA > 0 ? a.at(line.lineA - 1) : b.at(line.lineB - 1));
    }
    QCOMPARE(got.join(u' '), expected);
    QCOMPARE(diff.changed(), a != b);
}

void TestRunComparison::largeMiddleIsBounded()
{
    // 3000 x 3000 different lines between a common start and end: more cells than an
    // alignment may use, so the middle is listed as removed, then added, and said to be so.
    QStringList a{u"start"_s};
    QStringList b{u"start"_s};
    for (int i = 0; i < 3000; ++i) {
        a << u"a%1"_s.arg(i);
        b << u"b%1"_s.arg(i);
    }
    a << u"end"_s;
    b << u"end"_s;
    const LogDiff diff = LogDiff::ofLines(a, b);
    QVERIFY(diff.approximate);
    QCOMPARE(diff.lines.size(), 2 + 3000 + 3000);
    QVERIFY(diff.lines.constFirst().op == LogDiff::Op::Same);
    QVERIFY(diff.lines.at(1).op == LogDiff::Op::OnlyA);
    QVERIFY(diff.lines.at(3001).op == LogDiff::Op::OnlyB);
    QVERIFY(diff.lines.constLast().op == LogDiff::Op::Same);
    QCOMPARE(diff.lines.constLast().lineB, 3002);
    // Below the bound the same shape is aligned exactly.
    QVERIFY(!LogDiff::ofLines(a.mid(0, 1000), b.mid(0, 1000)).approximate);
}

QTEST_APPLESS_MAIN(TestRunComparison)
#include "tst_runcomparison.moc"
