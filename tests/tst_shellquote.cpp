// Command lines as a POSIX shell reads them back: every row is quoted as written, and a real
// /bin/sh given the line hands the program exactly the recorded arguments.
#include "text/shellquote.h"

#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestShellQuote final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void commandLines_data();
    void commandLines();
    void shellReadsTheArgumentsBack_data() { commandLines_data(); }
    void shellReadsTheArgumentsBack();
    void oneWordIsACommandLineAsTyped();
};

void TestShellQuote::commandLines_data()
{
    QTest::addColumn<QStringList>("argv");
    QTest::addColumn<QString>("line");
    const auto row = [](const char *name, QStringList argv, QString line) {
        QTest::newRow(name) << argv << line;
    };
    row("plain words", {u"npm"_s, u"run"_s, u"lint"_s}, u"npm run lint"_s);
    row("message with spaces",
        {u"git"_s, u"commit"_s, u"-m"_s, u"Bump lodash 4.17.20 -> 4.17.21"_s},
        u"git commit -m \"Bump lodash 4.17.20 -> 4.17.21\""_s);
    row("paths, options and urls",
        {u"curl"_s, u"-fsS"_s, u"--retry=3"_s, u"https://registry.npmjs.org/@scope%2fpkg"_s},
        u"curl -fsS --retry=3 https://registry.npmjs.org/@scope%2fpkg"_s);
    row("empty argument", {u"git"_s, u"commit"_s, u"-m"_s, QString()}, u"git commit -m ''"_s);
    row("double quote", {u"echo"_s, u"say \"hi\""_s}, u"echo 'say \"hi\"'"_s);
    row("single quote", {u"echo"_s, u"it's done"_s}, u"echo \"it's done\""_s);
    row("both quotes and a dollar", {u"echo"_s, u"it's \"$HOME\""_s},
        u"echo 'it'\\''s \"$HOME\"'"_s);
    row("dollar", {u"echo"_s, u"$PATH"_s}, u"echo '$PATH'"_s);
    row("backquote", {u"echo"_s, u"`id`"_s}, u"echo '`id`'"_s);
    row("backslash", {u"printf"_s, u"a\\nb"_s}, u"printf 'a\\nb'"_s);
    row("newline", {u"git"_s, u"commit"_s, u"-m"_s, u"Title\n\nBody"_s},
        u"git commit -m \"Title\n\nBody\""_s);
    row("tab", {u"echo"_s, u"a\tb"_s}, u"echo \"a\tb\""_s);
    row("glob and operators", {u"rm"_s, u"*.log"_s, u"a;b"_s, u"x|y"_s, u"&"_s, u"(1)"_s},
        u"rm \"*.log\" \"a;b\" \"x|y\" \"&\" \"(1)\""_s);
    row("redirections", {u"echo"_s, u">out"_s, u"<in"_s}, u"echo \">out\" \"<in\""_s);
    row("history bang", {u"echo"_s, u"done!"_s}, u"echo 'done!'"_s);
    row("tilde at the start only", {u"ls"_s, u"~/x"_s, u"HEAD~1"_s}, u"ls \"~/x\" HEAD~1"_s);
    row("comment at the start only", {u"echo"_s, u"#1"_s, u"a#b"_s}, u"echo \"#1\" a#b"_s);
    row("braces", {u"echo"_s, u"{a,b}"_s}, u"echo \"{a,b}\""_s);
    row("unicode letters stay plain", {u"echo"_s, u"café"_s, u"日本語"_s}, u"echo café 日本語"_s);
    row("unicode with a space", {u"git"_s, u"commit"_s, u"-m"_s, u"Füge Übersetzung hinzu"_s},
        u"git commit -m \"Füge Übersetzung hinzu\""_s);
    row("no-break space is quoted", {u"echo"_s, u"a\u00a0b"_s}, u"echo \"a\u00a0b\""_s);
    row("assignment-like program", {u"FOO=bar"_s, u"x"_s}, u"\"FOO=bar\" x"_s);
    row("assignment-like argument", {u"env"_s, u"FOO=bar"_s}, u"env FOO=bar"_s);
}

void TestShellQuote::commandLines()
{
    QFETCH(QStringList, argv);
    QFETCH(QString, line);
    QCOMPARE(shellCommandLine(argv), line);
}

// The line after a program that prints its arguments NUL-separated: the shell must hand it
// the recorded arguments, no more, no fewer, unchanged.
void TestShellQuote::shellReadsTheArgumentsBack()
{
    QFETCH(QStringList, argv);
    QStringList args = argv;
    args.removeFirst(); // the program: "FOO=bar" would be run, not printed
    const QString line = shellCommandLine(QStringList{u"printf"_s, u"%s\\0"_s} + args);
    QProcess sh;
    sh.start(u"/bin/sh"_s, {u"-c"_s, line});
    QVERIFY2(sh.waitForFinished(10000), qPrintable(sh.errorString()));
    QCOMPARE(sh.exitCode(), 0);
    QStringList back = QString::fromUtf8(sh.readAllStandardOutput()).split(QChar(0));
    QCOMPARE(back.takeLast(), QString()); // after the last terminator
    if (args.isEmpty())
        back.clear(); // printf with no arguments prints the format once
    QCOMPARE(back, args);
}

void TestShellQuote::oneWordIsACommandLineAsTyped()
{
    QCOMPARE(shellCommandLine({u"npm test && npm run lint"_s}), u"npm test && npm run lint"_s);
    QCOMPARE(shellCommandLine({}), QString());
    QCOMPARE(shellQuoted(u"npm test"_s), u"\"npm test\""_s);
}

QTEST_GUILESS_MAIN(TestShellQuote)
#include "tst_shellquote.moc"
